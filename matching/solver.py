"""Exact lexicographic b-matching: most candidates placed, then the highest total score.

Method (see README.md, "Why it is exact"):

1. Edges to positions of capacity 0 are dropped, capacities are cut to the position's degree.
2. The bipartite graph is split into connected components (``scipy.sparse.csgraph``).
   Components are independent: an optimum of the whole is the union of their optima.
3. Star components are solved in closed form, vectorised:
   one position -> its ``capacity`` best-scored candidates; one candidate -> its best edge.
4. The other components are grouped in batches of bounded size (memory stays bounded) and
   each batch becomes one rectangular assignment problem solved by
   ``scipy.sparse.csgraph.min_weight_full_bipartite_matching`` (LAPJVsp):

   * a position of capacity ``c`` and degree ``d`` becomes ``c`` copies, connected to its
     candidates by a *staircase* (candidate of rank ``j`` to copies
     ``max(0, j-(d-c)) .. min(c-1, j)``) - a concentrator: any ``<= c`` of the ``d``
     candidates can still be matched to distinct copies, with ``c*(d-c+1)`` edges instead
     of ``c*d``.  Proof: give the chosen ranks ``s_1 < ... < s_t`` (t <= c) the copies
     ``o_i = max(o_{i-1} + 1, s_i - (d-c))``; then ``o_i <= s_i`` by induction, and
     ``o_i <= c-1`` because either ``o_i = s_i-(d-c) <= c-1`` or ``o_i = o_j + (i-j)`` with
     ``o_j = 0`` (so ``o_i <= t-1``) or ``o_j = s_j-(d-c)`` and ``s_j <= d-1-(t-j)``;
   * the matrix is built directly in CSR form (copy ``k`` joins the contiguous ranks
     ``k .. k+(d-c)``);
   * if Hopcroft-Karp matches every row, every maximum matching does: weights ``1 + score``
     and no dummies (the best full matching is the lexicographic optimum).  Otherwise
     every row gets a private dummy column of weight 1 (being left out), so a full
     matching of the rows always exists;
   * a real edge weighs ``1 + B + score`` with ``B`` larger than any total score the
     batch can reach, so one more placement always beats any score gain; among equal
     counts the score decides.  All weights are integers far below 2**53, so float64
     sums are exact;
   * rows are the smaller side (candidates, or position copies when those are fewer).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .instance import InputError, Instance, IntArray
from .lazy_scipy import (
    connected_components,
    coo_matrix,
    csr_matrix,
    maximum_bipartite_matching,
    maximum_flow,
    min_weight_full_bipartite_matching,
)

# Small components are solved together, up to this many expanded edges per LAPJVsp call.
# LAPJVsp has a rows x columns term, so big batches are slower than one call per component.
BATCH_EDGES = 20_000
_FLOAT_EXACT = 2**52
_BATCH_SCORE_LIMIT = 2**20
# Positions first keep this many times their capacity (plus the slack) of their best
# candidates, and each candidate its best few edges (second number), checked optimal on
# the whole graph, before the whole staircase is solved.  The candidates' edges matter
# when almost everyone can be placed: without them some lose every edge
PRUNE_STEPS = ((5, 0), (5, 2))
PRUNE_SLACK = 5
_NO_ARC = -(2**62)  # no arc in is_optimal's network: far below any path, no overflow


@dataclass(frozen=True, eq=False)
class Solution:
    """An optimal assignment: ``chosen`` holds indices of edges of ``instance``."""

    instance: Instance
    chosen: IntArray
    placed: int
    score: int
    stats: dict[str, Any] = field(default_factory=dict)

    def assignments(self) -> list[tuple[str, str]]:
        inst = self.instance
        c = inst.edge_cand[self.chosen].tolist()
        p = inst.edge_pos[self.chosen].tolist()
        return [(inst.candidates[a], inst.positions[b]) for a, b in zip(c, p, strict=False)]

    def position_of(self) -> IntArray:
        """Per candidate, the index of its position or -1."""
        out = np.full(self.instance.n_candidates, -1, dtype=np.int64)
        out[self.instance.edge_cand[self.chosen]] = self.instance.edge_pos[self.chosen]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "assignments": [list(a) for a in self.assignments()],
            "placed": self.placed,
            "score": self.score,
        }


def solve(instance: Instance, *, batch_edges: int = BATCH_EDGES, prune: bool = True) -> Solution:
    """Exact optimum: max number placed, then max total score.  ``prune=False`` solves
    every component on its whole staircase (tests and the benchmark's comparison)."""
    t0 = time.perf_counter()
    inst = instance
    n, m = inst.n_candidates, inst.n_positions
    live = np.flatnonzero(inst.capacity[inst.edge_pos] > 0)
    if live.size and int(inst.edge_score.max()) > _BATCH_SCORE_LIMIT:
        batch_edges = 0  # large scores: one component per call, so the float limit is per
        # component (batching only saves call overhead)
    stats: dict[str, Any] = {"components": 0, "star_components": 0, "batches": 0, "pruned": 0}
    if live.size == 0:
        return Solution(inst, np.zeros(0, dtype=np.int64), 0, 0, stats)
    ec, ep = inst.edge_cand[live], inst.edge_pos[live]

    # --- connected components of the bipartite graph (candidates 0..n-1, positions n..)
    adj = coo_matrix(
        (np.ones(live.size, dtype=np.int8), (ec, ep + n)), shape=(n + m, n + m)
    ).tocsr()
    _, labels = connected_components(adj, directed=False)
    comp = labels[ec]
    # compact component ids over live edges
    _, comp = np.unique(comp, return_inverse=True)
    n_comp = int(comp.max()) + 1
    stats["components"] = n_comp
    cand_first = _first_occurrence(ec, n)
    pos_first = _first_occurrence(ep, m)
    n_cand_c = np.bincount(comp[cand_first], minlength=n_comp)
    n_pos_c = np.bincount(comp[pos_first], minlength=n_comp)

    chosen_parts: list[IntArray] = []
    # --- stars with one position: the `capacity` best candidates
    star_p = (n_pos_c == 1)[comp]
    if star_p.any():
        sel = live[star_p]
        chosen_parts.append(
            _top_per_group(inst.edge_pos[sel], inst.edge_score[sel], sel, inst.capacity)
        )
    # --- stars with one candidate (and several positions): its best edge
    star_c = ((n_cand_c == 1) & (n_pos_c > 1))[comp]
    if star_c.any():
        sel = live[star_c]
        ones = np.ones(n, dtype=np.int64)
        chosen_parts.append(_top_per_group(inst.edge_cand[sel], inst.edge_score[sel], sel, ones))
    stats["star_components"] = int(((n_pos_c == 1) | (n_cand_c == 1)).sum())

    # --- general components, batched
    general = ~(star_p | star_c)
    if general.any():
        gsel = live[general]
        gcomp = comp[general]
        order = np.argsort(gcomp, kind="stable")
        gsel, gcomp = gsel[order], gcomp[order]
        # estimated expanded size per component: sum over its positions of cap*(d-cap+1)
        deg = np.bincount(inst.edge_pos[gsel], minlength=m)
        cap = np.minimum(inst.capacity, deg)
        per_pos = cap * (deg - cap + 1)
        pos_comp = np.full(m, -1, dtype=np.int64)
        pos_comp[inst.edge_pos[gsel]] = gcomp
        has = pos_comp >= 0
        size_c = np.bincount(pos_comp[has], weights=per_pos[has], minlength=n_comp)
        size_c += np.bincount(gcomp, minlength=n_comp)  # dummies, roughly
        comps = np.unique(gcomp)
        bounds = np.searchsorted(gcomp, np.append(comps, n_comp))
        start = 0
        acc = 0.0
        for k in range(len(comps)):
            acc += size_c[comps[k]]
            last = k == len(comps) - 1
            if last or acc + size_c[comps[k + 1]] > batch_edges:
                sl = gsel[bounds[start] : bounds[k + 1]]
                part, pruned = _solve_batch(inst, sl, prune)
                chosen_parts.append(part)
                stats["pruned"] += pruned
                stats["batches"] += 1
                start, acc = k + 1, 0.0

    chosen = np.sort(np.concatenate(chosen_parts)) if chosen_parts else np.zeros(0, np.int64)
    placed = int(chosen.size)
    score = int(inst.edge_score[chosen].sum())
    stats["seconds"] = time.perf_counter() - t0
    return Solution(inst, chosen, placed, score, stats)


def _first_occurrence(idx: IntArray, size: int) -> IntArray:
    """Positions in ``idx`` of the first occurrence of each distinct value."""
    first = np.full(size, -1, dtype=np.int64)
    first[idx[::-1]] = np.arange(idx.size - 1, -1, -1)
    return first[first >= 0]


def _top_per_group(group: IntArray, score: IntArray, edge_idx: IntArray, cap: IntArray) -> IntArray:
    """Per group, the ``cap[group]`` highest-scored edges (ties: lowest edge index)."""
    order = np.lexsort((edge_idx, -score, group))
    g = group[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    lens = np.diff(np.r_[starts, g.size])
    rank = np.arange(g.size) - np.repeat(starts, lens)
    return edge_idx[order[rank < cap[g]]]


def _local(idx: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """(distinct values of ``idx``, each entry's rank among them), like ``np.unique(idx,
    return_inverse=True)`` but by a mask over ``0..size-1`` (no sort) when ``idx`` is
    large enough for that to pay."""
    if idx.size * 4 < size:
        return np.unique(idx, return_inverse=True)
    present = np.zeros(size, dtype=bool)
    present[idx] = True
    ids = np.flatnonzero(present)
    rank = np.cumsum(present) - 1
    return ids, rank[idx]


def _by_position(r: IntArray, c: IntArray, mb: int) -> IntArray:
    """Order of the edges by (position, candidate).  Instances keep their edges sorted by
    candidate, so a stable sort by position alone (a radix sort on small integers) is
    enough; otherwise a full lexicographic sort."""
    if r.size > 1 and bool((r[1:] >= r[:-1]).all()):
        small = np.int16 if mb < 2**15 else np.int32
        return np.argsort(c.astype(small), kind="stable")
    return np.lexsort((r, c))


def _solve_batch(inst: Instance, sel: IntArray, prune: bool = True) -> tuple[IntArray, bool]:
    """Exact optimum of the sub-instance made of edges ``sel`` (whole components).

    Big positions first keep only their best-scored candidates (``PRUNE_STEPS`` times the
    capacity, plus ``PRUNE_SLACK``; then also each candidate's best edges): the staircase
    of a position of capacity ``c`` and degree ``d`` has ``c*(d-c+1)`` entries,
    ``c*(K-c+1)`` once cut to ``K``.  The optimum of the pruned graph is then checked
    against the whole graph (:func:`is_optimal`, no improving cycle); if it fails, the
    next step keeps more, and the last step is the
    whole staircase, so the answer is always the exact optimum of ``sel``.  Returns the
    chosen edges and whether a pruned graph gave them."""
    pos_ids, c = _local(inst.edge_pos[sel], inst.n_positions)
    w = inst.edge_score[sel]
    deg = np.bincount(c, minlength=pos_ids.size)
    cap = np.minimum(inst.capacity[pos_ids], deg)
    full_size = int((cap * (deg - cap + 1)).sum())
    rank: IntArray | None = None
    r: IntArray | None = None
    own_rank: IntArray | None = None
    # is_optimal's weights stay far below 2**62 (no int64 overflow)
    small = (int(w.max()) + 1) * (pos_ids.size + 2) ** 3 < 2**56
    steps = PRUNE_STEPS if prune and small else ()
    for step, own in steps:
        keep_k = np.minimum(deg, step * cap + PRUNE_SLACK)
        if int((cap * (keep_k - cap + 1)).sum()) * 2 > full_size:
            break  # pruning would not halve the staircase: solve it whole
        if rank is None:
            rank = _rank_in_position(c, w, pos_ids.size)
        if r is None:
            r = _local(inst.edge_cand[sel], inst.n_candidates)[1]
        keep = rank < keep_k[c]
        if own:
            if own_rank is None:
                own_rank = _rank_in_position(r, w, int(r.max()) + 1)
            keep |= own_rank < own
        kept = np.flatnonzero(keep)
        at = kept[_solve_staircase(inst, sel[kept])]
        chosen = np.zeros(sel.size, dtype=bool)
        chosen[at] = True
        if is_optimal(r, c, w, inst.capacity[pos_ids], chosen):
            return sel[at], True
    return sel[_solve_staircase(inst, sel)], False


def _rank_in_position(c: IntArray, w: IntArray, mb: int) -> IntArray:
    """Each edge's rank among its position's edges (or its candidate's, given candidate
    numbers), best score first (ties: edge order)."""
    top = int(w.max()) + 1 if w.size else 1
    if mb * top < 2**31:  # one key, a radix sort for small ones
        key = c * top + (top - 1 - w)
        small = np.int16 if mb * top < 2**15 else np.int32
        order = np.argsort(key.astype(small), kind="stable")
    else:
        order = np.lexsort((-w, c))
    deg = np.bincount(c, minlength=mb)
    start = np.concatenate(([0], np.cumsum(deg)))[:-1]
    rank = np.empty(w.size, dtype=np.int64)
    rank[order] = np.arange(w.size) - np.repeat(start, deg)
    return rank


def is_optimal(r: IntArray, c: IntArray, w: IntArray, cap: IntArray,
               chosen: npt.NDArray[np.bool_]) -> bool:
    """Whether the placement ``chosen`` (a mask over the edges ``(r, c, w)``: candidate,
    position, score, local indices) is a lexicographic optimum, most placed then best score.

    The placement is a flow of source -> candidate -> position -> sink (plus an arc sink ->
    source), of weight ``B + score`` per placement with ``B`` larger than the score any
    cycle can change; it is optimal iff its residual network has no cycle of positive
    weight.  Every candidate node of that network has one way in (from the source when
    unplaced, from its position when placed), so the candidate nodes contract away: a
    network over the positions, the source and the sink, with arcs
    ``j -> k`` (a candidate placed at j moves to k: ``w_k - w_j``), ``source -> k`` (an
    unplaced one takes k: ``B + w``), ``j -> source`` (one leaves j: ``-B - w``),
    ``j -> sink`` (j has room), ``sink -> j`` (j has someone), ``sink <-> source``, each
    the best of its candidates.  A simple cycle there uses distinct positions, so distinct
    candidates: it is a cycle of the residual network, and the other way round.  Positive
    cycles are looked for by Bellman-Ford on the dense ``(m+2)^2`` matrix (longest paths
    from every node at once), which settles in a few rounds when there is none."""
    grid = _Residual(r, c, w, cap, chosen).grid
    n_nodes = grid.shape[0]
    dist = np.zeros(n_nodes, dtype=np.int64)
    for _ in range(n_nodes + 1):
        new = np.maximum(dist, (dist[:, None] + grid).max(axis=0))
        if (new == dist).all():
            return True
        dist = new
    return False  # still improving after n_nodes rounds: a positive cycle


class _Residual:
    """:func:`is_optimal`'s contracted residual network of a placement: ``grid[u, v]`` the
    best arc ``u -> v`` (``_NO_ARC`` when none), and per edge the arc it makes (``tail``,
    ``head``, ``gain``), so that a cycle's arcs can be mapped back to candidates."""

    def __init__(self, r: IntArray, c: IntArray, w: IntArray, cap: IntArray,
                 chosen: npt.NDArray[np.bool_]) -> None:
        mb = int(cap.size)
        n_nodes = mb + 2
        src, snk = mb, mb + 1
        nb = int(r.max()) + 1 if r.size else 0
        big = 2 * (int(w.max()) if w.size else 0) * n_nodes + 1
        pos = np.full(nb, -1, dtype=np.int64)
        pos[r[chosen]] = c[chosen]
        own = np.zeros(nb, dtype=np.int64)
        own[r[chosen]] = w[chosen]
        at = pos[r]
        # an edge not chosen: its candidate moves (or, unplaced, comes) to its position;
        # a chosen edge: its candidate leaves
        self.tail = np.where(chosen, c, np.where(at >= 0, at, src))
        self.head = np.where(chosen, src, c)
        self.gain = np.where(chosen, -big - w, np.where(at >= 0, w - own[r], big + w))
        arcs = np.full(n_nodes * n_nodes, _NO_ARC, dtype=np.int64)
        np.maximum.at(arcs, self.tail * n_nodes + self.head, self.gain)
        used = np.bincount(c[chosen], minlength=mb)
        arcs[np.flatnonzero(cap > used) * n_nodes + snk] = 0
        arcs[snk * n_nodes + np.flatnonzero(used > 0)] = 0
        arcs[snk * n_nodes + src] = 0
        if chosen.any():
            arcs[src * n_nodes + snk] = 0
        arcs[np.arange(n_nodes) * (n_nodes + 1)] = _NO_ARC  # a move to the same position
        self.grid = arcs.reshape(n_nodes, n_nodes)

    def positive_cycle(self) -> list[int] | None:
        """The nodes of a cycle of positive weight, in order; None when there is none (the
        placement is optimal).  Bellman-Ford as in :func:`is_optimal`, keeping each node's
        predecessor: a cycle among the predecessors is looked for after every round and
        kept when its weight is positive (checked: the answer never rests on the theory
        of predecessor graphs); if the rounds run out without one, ``[]`` (unknown)."""
        grid = self.grid
        n_nodes = grid.shape[0]
        cols = np.arange(n_nodes)
        dist = np.zeros(n_nodes, dtype=np.int64)
        pred = np.full(n_nodes, -1, dtype=np.int64)
        for _ in range(n_nodes + 1):
            reach = dist[:, None] + grid
            best = reach.argmax(axis=0)
            value = reach[best, cols]
            up = value > dist
            if not up.any():
                return None
            dist = np.where(up, value, dist)
            pred = np.where(up, best, pred)
            cycle = _pred_cycle(pred, int(np.flatnonzero(up)[0]))
            if cycle and int(grid[cycle, np.roll(cycle, -1)].sum()) > 0:
                return cycle
        return []

    def edge_of(self, u: int, v: int) -> int:
        """An edge (index into the placement's edges) making the best arc ``u -> v``."""
        hit = (self.tail == u) & (self.head == v) & (self.gain == self.grid[u, v])
        return int(np.flatnonzero(hit)[0])


def _pred_cycle(pred: IntArray, v: int) -> list[int]:
    """The cycle reached by following predecessors from ``v`` (nodes in arc order), or
    ``[]`` when the walk ends first."""
    seen: dict[int, int] = {}
    walk: list[int] = []
    while v >= 0 and v not in seen:
        seen[v] = len(walk)
        walk.append(v)
        v = int(pred[v])
    if v < 0:
        return []
    return walk[seen[v]:][::-1]  # predecessors point backwards: reverse into arc order


def reoptimize(instance: Instance, chosen: IntArray, max_cycles: int = 64) -> Solution | None:
    """The exact optimum of ``instance`` from a feasible placement ``chosen`` (edge
    indices) near it, by cancelling positive cycles of :func:`is_optimal`'s residual
    network until there is none (each cycle improves the placement strictly, and no
    positive cycle left is optimality itself).  A placement that differs from the
    optimum in a few moves (a branch of the separation's branch-and-bound forbids one
    candidate a group: its parent's optimum without that candidate) needs one or two
    cycles, against a whole solve.  None when the weights would leave the exact int64
    range, a cycle could not be told, or ``max_cycles`` ran out: then solve afresh."""
    inst = instance
    live = np.flatnonzero(inst.capacity[inst.edge_pos] > 0)
    r, c, w = inst.edge_cand[live], inst.edge_pos[live], inst.edge_score[live]
    if r.size and (int(w.max()) + 1) * (inst.n_positions + 2) ** 3 >= 2**56:
        return None
    on = np.zeros(live.size, dtype=bool)
    on[np.searchsorted(live, chosen)] = True
    snk = inst.n_positions + 1
    for _ in range(max_cycles):
        net = _Residual(r, c, w, inst.capacity, on)
        cycle = net.positive_cycle()
        if cycle is None:
            picked = live[on]
            return Solution(inst, picked, int(picked.size), int(inst.edge_score[picked].sum()))
        if not cycle:
            return None
        # each arc of the cycle not at the sink is one candidate's move (tails are
        # distinct, so candidates are): all read from the placement before the cycle
        moves = [net.edge_of(u, v) for u, v in zip(cycle, cycle[1:] + cycle[:1], strict=True)
                 if snk not in (u, v)]
        placed_at = np.full(inst.n_candidates, -1, dtype=np.int64)
        placed_at[r[on]] = np.flatnonzero(on)
        for e in moves:
            if on[e]:
                on[e] = False  # leaves
            else:
                if placed_at[r[e]] >= 0:
                    on[placed_at[r[e]]] = False  # moves from its position
                on[e] = True
    return None


def _solve_staircase(inst: Instance, sel: IntArray) -> IntArray:
    """Exact optimum of the sub-instance made of edges ``sel`` on the whole staircase:
    the indices into ``sel`` of the chosen edges."""
    cand_ids, r = _local(inst.edge_cand[sel], inst.n_candidates)
    pos_ids, c = _local(inst.edge_pos[sel], inst.n_positions)
    w = inst.edge_score[sel]
    nb, mb = cand_ids.size, pos_ids.size
    deg = np.bincount(c, minlength=mb)
    cap = np.minimum(inst.capacity[pos_ids], deg)
    off = np.concatenate(([0], np.cumsum(cap)))
    n_copies = int(off[-1])

    # staircase concentrator built directly as CSR, one row per copy: with the edges of a
    # position sorted by candidate (rank j), copy k is joined to ranks k .. k + (d - c),
    # i.e. rank j to copies max(0, j-(d-c)) .. min(c-1, j).  No COO sort needed.  Weights
    # are negated (minimised): scipy would otherwise copy the matrix to negate it; indices
    # are int32 as scipy wants them (no conversion copy).
    o = _by_position(r, c, mb)
    r_s = r[o].astype(np.int32)
    nw_s = -1.0 - w[o]  # -(1 + score)
    pstart = np.concatenate(([0], np.cumsum(deg)))[:-1]
    copy_pos = np.repeat(np.arange(mb), cap)
    copy_k = np.arange(n_copies) - np.repeat(off[:-1], cap)
    row_len = (deg - cap + 1)[copy_pos]
    indptr = np.concatenate(([0], np.cumsum(row_len)))
    src = np.repeat(pstart[copy_pos] + copy_k - indptr[:-1], row_len)
    src += np.arange(int(indptr[-1]))
    real = csr_matrix((nw_s[src], r_s[src], indptr.astype(np.int32)), shape=(n_copies, nb))
    del src
    rows_are_cands = nb <= n_copies
    if rows_are_cands:
        real = real.T.tocsr()
    n_rows, n_cols = real.shape

    max_w = int(w.max()) if w.size else 0
    # if every row can be matched (Hopcroft-Karp), every maximum matching matches every
    # row: maximise the score alone, no dummies and no big constant
    saturated = bool((maximum_bipartite_matching(real, perm_type="column") >= 0).all())
    if saturated:
        if (1 + max_w) * (n_rows + 1) >= _FLOAT_EXACT:
            raise _too_large(n_rows, max_w)
        mat = real  # weights -(1 + score): non-zero, as scipy requires
    else:
        # a private dummy column per row (weight 1: left out); a real edge weighs
        # 1 + B + score, so one more placement beats any score difference
        big = max_w * n_rows + 1
        if (1 + big + max_w) * (n_rows + 1) >= _FLOAT_EXACT:
            raise _too_large(n_rows, max_w)
        mat = _with_dummies(real, float(big))
    del real
    ri, ci = min_weight_full_bipartite_matching(mat)
    del mat
    keep = ci < n_cols
    if rows_are_cands:
        cand_l, pos_l = ri[keep], copy_pos[ci[keep]]
    else:
        cand_l, pos_l = ci[keep], copy_pos[ri[keep]]
    # map (local candidate, local position) back to the edge index: sorted by (pos, cand)
    key = c[o].astype(np.int64) * nb + r[o]
    at = np.searchsorted(key, pos_l.astype(np.int64) * nb + cand_l)
    return o[at]


def _with_dummies(real: csr_matrix, big: float) -> csr_matrix:
    """``real`` with ``big`` subtracted from every weight and a private dummy column of
    weight -1 at the end of each row (the matrix ``[real - big | -I]``, built in place of
    an ``hstack``)."""
    n_rows, n_cols = real.shape
    ends = real.indptr[1:]
    indices = np.insert(real.indices, ends, np.arange(n_cols, n_cols + n_rows, dtype=np.int32))
    data = np.insert(real.data - big, ends, -1.0)
    indptr = real.indptr + np.arange(n_rows + 1, dtype=real.indptr.dtype)
    return csr_matrix((data, indices, indptr), shape=(n_rows, n_cols + n_rows))


def _too_large(n_rows: int, max_w: int) -> InputError:
    return InputError(
        f"scores too large for exact arithmetic: a component of {n_rows} rows with scores "
        f"up to {max_w} needs (max score + 1) x (rows + 1)^2 below 2**52 when not every row "
        "can be placed"
    )


def brute_force(instance: Instance) -> tuple[int, int]:
    """(placed, score) by exhaustive search; for tests on tiny instances only."""
    inst = instance
    n = inst.n_candidates
    by_cand: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for c, p, s in zip(
        inst.edge_cand.tolist(), inst.edge_pos.tolist(), inst.edge_score.tolist(), strict=False
    ):
        by_cand[c].append((p, s))
    cap = inst.capacity.tolist()
    best = (0, 0)

    def rec(i: int, placed: int, score: int) -> None:
        nonlocal best
        if i == n:
            if (placed, score) > best:
                best = (placed, score)
            return
        rec(i + 1, placed, score)
        for p, s in by_cand[i]:
            if cap[p] > 0:
                cap[p] -= 1
                rec(i + 1, placed + 1, score + s)
                cap[p] += 1

    rec(0, 0, 0)
    return best


def check_feasible(instance: Instance, chosen: npt.NDArray[np.int64]) -> None:
    """Raise AssertionError unless ``chosen`` is a feasible assignment of ``instance``."""
    inst = instance
    cands = inst.edge_cand[chosen]
    assert np.unique(cands).size == cands.size, "a candidate placed twice"
    used = np.bincount(inst.edge_pos[chosen], minlength=inst.n_positions)
    assert (used <= inst.capacity).all(), "a position over capacity"


def max_placed(instance: Instance) -> int:
    """Only the largest number placed (no scores), by a maximum flow on the compact network
    source -> candidate (1) -> position (1 per edge) -> sink (capacity): no copies needed.
    Used by the tests as an independent check of the count."""
    inst = instance
    n, m = inst.n_candidates, inst.n_positions
    if inst.n_edges == 0:
        return 0
    src, snk = n + m, n + m + 1
    cand = np.unique(inst.edge_cand)
    pos = np.unique(inst.edge_pos)
    rows = np.concatenate((np.full(cand.size, src), inst.edge_cand, n + pos))
    cols = np.concatenate((cand, n + inst.edge_pos, np.full(pos.size, snk)))
    caps = np.concatenate((np.ones(cand.size + inst.n_edges, dtype=np.int64), inst.capacity[pos]))
    keep = caps > 0
    graph = csr_matrix(
        (caps[keep].astype(np.int32), (rows[keep], cols[keep])), shape=(n + m + 2, n + m + 2)
    )
    return int(maximum_flow(graph, src, snk).flow_value)
