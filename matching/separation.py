"""R14: inmates flagged to be kept apart are never proposed to the same site and shift.

Separation makes the problem a matching with conflict pairs (NP-hard in general), but the
pairs are few, so an exact branch-and-bound on top of the exact solver works:

1. solve without R14 (an upper bound, lexicographic (placed, score));
2. if two separated inmates landed in the same group (site, workplace, shift), branch:
   either the first or the second may not take any vacancy of that group;
3. nodes are solved when they are created and explored best bound first; a node is only
   branched while its bound can beat the best feasible answer found (the *incumbent*);
   when the best open bound is no better than the incumbent, the incumbent is optimal.

A child node is solved from its parent's optimum less the edges it forbids, by cancelling
the positive cycles of the residual network until none is left (``solver.reoptimize``: one
or two cycles, exact as a whole solve), and a subproblem reached twice (the same
exclusions in another order) is solved once.

Every solved node is also *repaired* into a feasible answer (one inmate of each clashing
pair leaves the group, the one whose place there scores less; then every unplaced inmate
who fits a free position without meeting a partner takes it, best score first), so an
incumbent exists from the first branching on.  After ``Settings.separation_max_nodes``
re-solves the branch-and-bound stops and a mixed-integer model of the same problem takes
over (:func:`solve_milp`: ``scipy.optimize.milp``, HiGHS, one binary per pair, the
lexicographic objective as one weight ``B + score`` with ``B`` above any total score, a
zero gap, the separation constraints per pair and group), within
``Settings.separation_seconds``; its answer is checked (every rule, R14, the score
recomputed) and proven optimal.  A model larger than ``MILP_MAX_PAIRS`` pairs is not tried
(said before solving: ``method == "too_large"``); then, or when the time runs out, the
answer is the best feasible one found, a true lower bound, with ``exact = False`` and the
upper bound proven so far (``upper_placed``, ``upper_score``: the best open node of the
branch-and-bound, or the model's bound); it is *maximal*, so an inmate left out while a
vacancy they may take has a free position is always kept out by a partner placed in that
vacancy's group (the explanation's R14 reason is never false).  The result reports what
R14 cost: placements and score of the unconstrained optimum versus the answer.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .lazy_scipy import Bounds, LinearConstraint, csr_matrix, milp, vstack
from .problem import Instance
from .solver import Solution, reoptimize, solve

I64 = npt.NDArray[np.int64]
Forbidden = frozenset[tuple[int, int]]  # (candidate, group) pairs a node forbids
# the largest model tried (eligible pairs): 2,000 inmates and 150 vacancies have 10-50k
MILP_MAX_PAIRS = 300_000


@dataclass(frozen=True)
class SeparationInfo:
    pairs_flagged: int
    conflicts_unconstrained: int  # conflicting pairs in the optimum without R14
    placed_unconstrained: int
    score_unconstrained: int
    placed: int
    score: int
    nodes: int  # solver calls
    exact: bool  # proven optimal; False: the node budget ran out (a feasible lower bound)
    method: str = "unconstrained"  # | branch_and_bound | milp | milp_out_of_time | too_large
    upper_placed: int = -1  # proven upper bound (the answer itself when exact)
    upper_score: int = -1
    milp_seconds: float = 0.0
    # R29: groups whose cap bound the unconstrained optimum (0: the caps cost nothing)
    caps_binding: int = 0
    flagged_placed: int = 0  # flagged persons in the answer (caps held for all of them)
    # why the mixed-integer model was used without the branch-and-bound first ("" = not)
    milp_first: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "pairs_flagged": self.pairs_flagged,
            "conflicts_unconstrained": self.conflicts_unconstrained,
            "placed_unconstrained": self.placed_unconstrained,
            "score_unconstrained": self.score_unconstrained,
            "placed": self.placed,
            "score": self.score,
            "cost_placed": self.placed_unconstrained - self.placed,
            "cost_score": self.score_unconstrained - self.score,
            "solver_calls": self.nodes,
            "exact": self.exact,
            "method": self.method,
            "upper_placed": self.upper_placed,
            "upper_score": self.upper_score,
            "milp_seconds": round(self.milp_seconds, 3),
            "caps_binding": self.caps_binding,
            "flagged_placed": self.flagged_placed,
            "milp_first": self.milp_first,
        }


@dataclass(frozen=True, eq=False)
class Caps:
    """R29: at most ``room[g]`` more flagged candidates in group ``g`` (the cap less the
    flagged persons already working there, never below 0)."""

    flagged: npt.NDArray[np.bool_]  # per candidate
    room: I64  # per group

    def over(self, sol: Solution, group: I64) -> list[tuple[int, list[int]]]:
        """(group, its flagged candidates) for each group over its room, the lowest
        placed score first."""
        inst = sol.instance
        ch = sol.chosen[self.flagged[inst.edge_cand[sol.chosen]]]
        if ch.size == 0:
            return []
        g = group[inst.edge_pos[ch]]
        count = np.bincount(g, minlength=self.room.size)
        out = []
        for h in np.flatnonzero(count > self.room).tolist():
            mine = ch[g == h]
            mine = mine[np.argsort(inst.edge_score[mine], kind="stable")]
            out.append((h, inst.edge_cand[mine].tolist()))
        return out

    def full(self, pos: I64, group: I64) -> npt.NDArray[np.bool_]:
        """Per group: no room left for one more flagged candidate."""
        placed = np.flatnonzero((pos >= 0) & self.flagged)
        count = np.bincount(group[pos[placed]], minlength=self.room.size)
        return count >= self.room


NO_CAPS = None


def conflicts(sol: Solution, group: I64, pairs: I64) -> list[tuple[int, int, int]]:
    """(a, b, group) for each separated pair placed in the same group."""
    if pairs.size == 0:
        return []
    pos = sol.position_of()
    pa, pb = pos[pairs[:, 0]], pos[pairs[:, 1]]
    bad = (pa >= 0) & (pb >= 0)
    bad[bad] = group[pa[bad]] == group[pb[bad]]
    return [(int(a), int(b), int(group[pos[a]])) for a, b in pairs[bad]]


def partners_by_group(pos: I64, group: I64, pairs: I64) -> dict[int, set[int]]:
    """Per candidate, the groups where one of its separated partners is placed
    (``pos``: the position of each candidate, -1 when unplaced)."""
    out: dict[int, set[int]] = {}
    for a, b in pairs.tolist():
        if pos[b] >= 0:
            out.setdefault(a, set()).add(int(group[pos[b]]))
        if pos[a] >= 0:
            out.setdefault(b, set()).add(int(group[pos[a]]))
    return out


def repair(sol: Solution, group: I64, pairs: I64, caps: Caps | None = None) -> Solution:
    """A feasible answer under R14 and R29 near ``sol``: of each clashing pair the inmate
    whose place scores less leaves, and of a group over its cap the flagged whose places
    score least; then unplaced inmates take free positions where no partner is placed in
    the group and, when flagged, the group has room under its cap, best score first,
    until none can (the answer is maximal)."""
    inst = sol.instance
    chosen = sol.chosen
    score_of = np.zeros(inst.n_candidates, dtype=np.int64)
    score_of[inst.edge_cand[chosen]] = inst.edge_score[chosen]
    while True:
        tmp = Solution(inst, chosen, int(chosen.size), 0)
        clash = conflicts(tmp, group, pairs)
        if not clash:
            break
        drop: set[int] = set()
        for a, b, _ in clash:
            if a not in drop and b not in drop:
                drop.add(b if (score_of[b], a) < (score_of[a], b) else a)
        chosen = chosen[~np.isin(inst.edge_cand[chosen], list(drop))]
    if caps is not None:
        tmp = Solution(inst, chosen, int(chosen.size), 0)
        drop = {c for h, who in caps.over(tmp, group)
                for c in who[: len(who) - int(caps.room[h])]}
        chosen = chosen[~np.isin(inst.edge_cand[chosen], list(drop))]
    cur = Solution(inst, chosen, int(chosen.size), 0)
    pos = cur.position_of()
    room = inst.capacity - np.bincount(inst.edge_pos[chosen], minlength=inst.n_positions)
    open_e = np.flatnonzero((pos[inst.edge_cand] < 0) & (room[inst.edge_pos] > 0))
    if open_e.size:
        near = partners_by_group(pos, group, pairs)
        partners: dict[int, list[int]] = {}
        for a, b in pairs.tolist():
            partners.setdefault(a, []).append(b)
            partners.setdefault(b, []).append(a)
        added: list[int] = []
        left = None
        if caps is not None:
            placed_f = np.flatnonzero((pos >= 0) & caps.flagged)
            left = caps.room - np.bincount(group[pos[placed_f]], minlength=caps.room.size)
        order = open_e[np.lexsort((open_e, -inst.edge_score[open_e]))]
        for e, c, p in zip(
            order.tolist(), inst.edge_cand[order].tolist(), inst.edge_pos[order].tolist(),
            strict=True,
        ):
            g = int(group[p])
            if pos[c] >= 0 or room[p] <= 0 or g in near.get(c, ()):
                continue
            if left is not None and caps is not None and caps.flagged[c]:
                if left[g] <= 0:
                    continue
                left[g] -= 1
            pos[c] = p
            room[p] -= 1
            added.append(e)
            for other in partners.get(c, ()):
                near.setdefault(other, set()).add(g)
        if added:
            chosen = np.sort(np.concatenate((chosen, np.array(added, dtype=np.int64))))
    return Solution(inst, chosen, int(chosen.size), int(inst.edge_score[chosen].sum()))


# the mixed-integer model goes first when the unconstrained optimum breaks R14 in more
# places than this (dense separation: the branch-and-bound's tree would double per clash;
# measured in docs/benchmarks.md, "R14 and R29 exact", and "Dense separation: the model
# first from six clashes": with 6-12 clashes on 2,000-inmate institutions the model alone
# took 0.3-0.5 s of CPU, the branch-and-bound first 0.4-3.3 s; with 6, one of two was
# slower by 0.1 s) ...
MILP_FIRST_CLASHES = 5
# ... or, when a cap of R29 binds, in more places than this (the caps' own short budget,
# ``CAP_NODES``, was measured with it; not measured again)
MILP_FIRST_CLASHES_CAPS = 12
# when a cap binds, the branch-and-bound's budget before the model (each cap branches
# ``room + 1`` ways).  A child is re-optimised from its parent (``solver.reoptimize``):
# 0.34 ms on the national benchmark's institutions (389 inmates; a whole solve 1.2 ms),
# about 2.5 ms at 2,000, against a model of 25-50 ms and 1.1-1.5 s; there every tree
# closed within 45 calls, and at 2,000 inmates 161 calls (0.47 s) proved what the model
# took 1.7 s for (docs/benchmarks.md, "R29 caps without the model")
CAP_NODES = 200


def solve_separated(
    inst: Instance,
    group: I64,
    pairs: Sequence[tuple[int, int]] | I64,
    max_nodes: int = 200,
    seconds: float | None = 10.0,
    caps: Caps | None = None,
    units: tuple[int, ...] = (),
) -> tuple[Solution, SeparationInfo]:
    """Optimum under R14 and R29: the branch-and-bound, then (after ``max_nodes`` solver
    calls) the mixed-integer model within ``seconds`` (None or 0: no model, the best
    feasible answer found); the model first when the clashes are many.  ``group[p]`` is
    the separation group of position ``p``; ``pairs`` holds candidate index pairs to keep
    apart; ``caps`` the scattered model's room per group; ``units`` the tiers of the
    weights beneath "most placed" (``scoring.Preference``: the model solves them one
    after another, each exactly, instead of one weight too large for its tolerances)."""
    pr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    root = solve(inst)
    root_conf = conflicts(root, group, pr)
    over = caps.over(root, group) if caps is not None else []

    def flagged(sol: Solution) -> int:
        return int(caps.flagged[inst.edge_cand[sol.chosen]].sum()) if caps is not None else 0

    if not root_conf and not over:
        info = SeparationInfo(len(pr), 0, root.placed, root.score, root.placed, root.score, 1,
                              True, "unconstrained", root.placed, root.score,
                              flagged_placed=flagged(root))
        return root, info
    clashes = len(root_conf) + sum(len(who) - int(caps.room[h]) for h, who in over
                                   ) if caps is not None else len(root_conf)
    model = bool(seconds) and int((inst.capacity[inst.edge_pos] > 0).sum()) <= MILP_MAX_PAIRS
    most = MILP_FIRST_CLASHES_CAPS if over else MILP_FIRST_CLASHES
    first = "dense" if model and clashes > most else ""
    best = repair(root, group, pr, caps)
    exact, upper, nodes, took = False, (root.placed, root.score), 1, 0.0
    method = "milp" if first else "branch_and_bound"
    if first:
        best, exact, upper, took = _with_model(inst, group, pr, caps, units, seconds or 0.0,
                                               best, upper)
    if not exact:
        budget = max_nodes if not first else max(max_nodes // 4, 1)
        if over and model:  # caps branch wide: the model is quicker past a few calls
            budget = min(budget, CAP_NODES)
        found, exact, bound, nodes = _branch_and_bound(inst, group, pr, caps, root, best, budget)
        best, upper = found, min(upper, bound)
        if exact:
            upper, method = (best.placed, best.score), "branch_and_bound"
    if not exact and model and not first:
        best, exact, upper, took = _with_model(inst, group, pr, caps, units, seconds or 0.0,
                                               best, upper)
        method = "milp" if exact else "milp_out_of_time"
    elif not exact:
        method = "milp_out_of_time" if first else ("too_large" if seconds else method)
    info = SeparationInfo(
        len(pr), len(root_conf), root.placed, root.score, best.placed, best.score, nodes, exact,
        method, upper[0], upper[1], took, len(over), flagged(best), first,
    )
    return best, info


def _with_model(inst: Instance, group: I64, pr: I64, caps: Caps | None, units: tuple[int, ...],
                seconds: float, best: Solution, upper: tuple[int, int]
                ) -> tuple[Solution, bool, tuple[int, int], float]:
    """The model's answer when better than ``best``: (answer, proven, upper bound, time)."""
    t0 = time.perf_counter()
    found, bound = solve_milp(inst, group, pr, seconds, caps, units)
    took = time.perf_counter() - t0
    exact = found is not None and bound is None
    if found is not None and (found.placed, found.score) > (best.placed, best.score):
        best = found
    upper = (best.placed, best.score) if exact else min(upper, bound or upper)
    return best, exact, upper, took


def _branch_and_bound(inst: Instance, group: I64, pr: I64, caps: Caps | None, root: Solution,
                      best: Solution, max_nodes: int
                      ) -> tuple[Solution, bool, tuple[int, int], int]:
    """(best answer, proven, upper bound, solver calls).  A node forbids (candidate,
    group) pairs; it branches on an R14 clash (one of the two leaves the group) or on a
    group over its cap (one of ``room + 1`` of its flagged leaves it: every feasible plan
    keeps one of them out, so the children cover every feasible plan)."""
    edge_group = group[inst.edge_pos]
    nodes = 1
    counter = 0
    heap: list[tuple[int, int, int, Forbidden, Solution]] = [
        (-root.placed, -root.score, 0, frozenset(), root)
    ]
    exact = True
    seen: set[Forbidden] = {frozenset()}
    while heap:
        neg_p, neg_s, _, forbidden, sol = heapq.heappop(heap)
        if (best.placed, best.score) >= (-neg_p, -neg_s):
            break  # no open branch can beat the incumbent: it is optimal
        for who, g in _branches(sol, group, pr, caps):
            child = forbidden | {(who, g)}
            if child in seen:
                continue  # the same subproblem reached in another order: already covered
            if nodes >= max_nodes:
                exact = False
                break
            seen.add(child)
            mask = np.ones(inst.n_edges, dtype=bool)
            for c, h in child:
                mask &= ~((inst.edge_cand == c) & (edge_group == h))
            kid = _child(inst, mask, sol)
            nodes += 1
            if (kid.placed, kid.score) <= (best.placed, best.score):
                continue  # cannot beat the incumbent
            if _branches(kid, group, pr, caps):
                fixed = repair(kid, group, pr, caps)
                if (fixed.placed, fixed.score) > (best.placed, best.score):
                    best = fixed
                counter += 1
                heapq.heappush(heap, (-kid.placed, -kid.score, counter, child, kid))
            else:
                best = kid
        if not exact:
            heapq.heappush(heap, (neg_p, neg_s, -1, forbidden, sol))  # still open
            break
    upper = (best.placed, best.score)  # closed nodes never beat it; open ones bound theirs
    if not exact:
        upper = max(upper, (-heap[0][0], -heap[0][1]))
    return best, exact, upper, nodes


def _child(inst: Instance, mask: npt.NDArray[np.bool_], parent: Solution) -> Solution:
    """The optimum of ``inst`` on the edges ``mask`` (the parent's less those a branch
    forbids), from the parent's optimum less its forbidden edges: a few cycles cancelled
    (``solver.reoptimize``) instead of a whole solve; a whole solve when that cannot."""
    sub = inst.with_edges(mask)
    keep = parent.chosen[mask[parent.chosen]]
    found = reoptimize(sub, (np.cumsum(mask) - 1)[keep])
    if found is None:
        found = solve(sub)
    return Solution(inst, np.flatnonzero(mask)[found.chosen], found.placed, found.score)


def _branches(sol: Solution, group: I64, pr: I64, caps: Caps | None) -> list[tuple[int, int]]:
    """The (candidate, group) exclusions of one branching; empty when ``sol`` is feasible."""
    clash = conflicts(sol, group, pr)
    if clash:
        a, b, g = clash[0]
        return [(a, g), (b, g)]
    if caps is not None:
        over = caps.over(sol, group)
        if over:
            h, who = over[0]
            return [(c, h) for c in who[: int(caps.room[h]) + 1]]
    return []


def solve_milp(
    inst: Instance, group: I64, pairs: I64, seconds: float, caps: Caps | None = None,
    units: tuple[int, ...] = (),
) -> tuple[Solution | None, tuple[int, int] | None]:
    """The optimum under R14 and R29 by a mixed-integer model (HiGHS): (the answer, None)
    when proven optimal; (the best answer found or None, the upper bound proven) when the
    time runs out.  One binary per pair; each candidate once; each position up to its
    capacity; for each separated pair and each group both may take, at most one of the two
    there; for each group with a cap that could be passed, its flagged within its room.
    Without ``units``: maximises ``sum (B + score)`` with ``B = max score * (most
    placeable) + 1``: one more placement outweighs any score, so the lexicographic
    optimum, with a zero gap.  With ``units`` (weights in tiers): most placed first, then
    each tier in turn with the tiers before held at their optimum, each a small integer
    objective solved exactly."""
    t_end = time.perf_counter() + max(seconds, 0.001)
    live = np.flatnonzero(inst.capacity[inst.edge_pos] > 0)
    ec, ep, w = inst.edge_cand[live], inst.edge_pos[live], inst.edge_score[live]
    a_mat, upper = _model_rows(inst, group, pairs, caps, ec, ep)
    if units:
        most = min(inst.n_candidates, int(inst.capacity.sum()))
        objectives, count_unit = _merged([np.ones(live.size, dtype=np.int64),
                                          *_tiers(w, units)], most)
    else:
        big = int(w.max(initial=0)) * min(inst.n_candidates, int(inst.capacity.sum())) + 1
        objectives = [big + w]
    lower = np.full(upper.size, -np.inf)
    x, proven, bound = None, 0, None
    for c in objectives:
        left = t_end - time.perf_counter()
        res = milp(-c.astype(float), integrality=np.ones(live.size),
                   constraints=LinearConstraint(a_mat, lower, upper), bounds=Bounds(0, 1),
                   options={"time_limit": max(left, 0.001), "mip_rel_gap": 0,
                            "presolve": PRESOLVE})
        if res.x is not None:
            x = res.x
        if res.status != 0 or res.x is None:
            bound = getattr(res, "mip_dual_bound", None)
            break
        proven += 1
        # hold this tier at its optimum for the next ones
        a_mat = vstack([a_mat, csr_matrix(c.astype(float)[None, :])]).tocsr()
        lower = np.append(lower, float(c @ np.round(res.x)))
        upper = np.append(upper, np.inf)
    found = None
    if x is not None:
        chosen = live[np.flatnonzero(x > 0.5)]
        found = Solution(inst, chosen, int(chosen.size), int(inst.edge_score[chosen].sum()))
        _check(found, group, pairs, caps)
    if proven == len(objectives) and found is not None:
        return found, None
    if proven and found is not None:  # the count is proven, the tiers after it are not
        return found, (found.placed, 1 << 62)
    if bound is None or not np.isfinite(bound):
        return found, (inst.n_candidates, 1 << 62)
    total = int(np.floor(-bound + 1e-6))  # the most the first objective can reach
    if units:  # the first objective folds the count with the tiers below it
        return found, (total // count_unit, 1 << 62)
    big = int(objectives[0][0] - w[0]) if w.size else 1
    return found, (total // big, total - (total // big) * big)


# a merged objective's largest total: the range the single model was tested in before
# (one more placement outweighing every score: totals of about 10**8)
MODEL_TOTAL = 2**27
PRESOLVE = False  # HiGHS presolve: slower on these models (measured, docs/benchmarks.md)


def _merged(tiers: list[I64], most: int) -> tuple[list[I64], int]:
    """Consecutive tiers folded into one objective while its total stays within
    ``MODEL_TOTAL`` (each tier's unit above the total of the tiers folded under it): fewer
    models to solve one after another, each still exact.  Also the first tier's unit in
    the first objective."""
    out = [tiers[0]]
    top = int(tiers[0].max(initial=0)) * most
    first_unit, first = 1, True
    for t in tiers[1:]:
        b = int(t.max(initial=0)) * most
        if (top + 1) * (b + 1) <= MODEL_TOTAL:
            out[-1] = out[-1] * (b + 1) + t
            top = top * (b + 1) + b
            first_unit *= (b + 1) if first else 1
        else:
            out.append(t)
            top, first = b, False
    return out, first_unit


def _tiers(w: I64, units: tuple[int, ...]) -> list[I64]:
    """``w`` in the mixed radix of ``units`` (largest first): the digits, then the rest."""
    out, rest = [], w
    for u in units:
        out.append(rest // u)
        rest = rest % u
    return [*out, rest]


def _model_rows(inst: Instance, group: I64, pairs: I64, caps: Caps | None, ec: I64, ep: I64
                ) -> tuple[csr_matrix, npt.NDArray[np.float64]]:
    """The constraint matrix (rows <= upper) over the live edges."""
    n_e = ec.size
    rows = [ec, inst.n_candidates + ep]
    cols = [np.arange(n_e), np.arange(n_e)]
    upper = [np.ones(inst.n_candidates), inst.capacity.astype(float)]
    r = inst.n_candidates + inst.n_positions
    eg = group[ep]
    for a, b in pairs.tolist():
        both = np.intersect1d(eg[ec == a], eg[ec == b])
        if both.size == 0:
            continue
        on = np.flatnonzero(((ec == a) | (ec == b)) & np.isin(eg, both))
        rows.append(r + np.searchsorted(both, eg[on]))
        cols.append(on)
        upper.append(np.ones(both.size))
        r += both.size
    if caps is not None:
        on = np.flatnonzero(caps.flagged[ec])
        # only groups that more flagged candidates could reach than their room
        reach = np.zeros(caps.room.size, dtype=np.int64)
        for h in np.unique(eg[on]).tolist():
            reach[h] = np.unique(ec[on][eg[on] == h]).size
        tight = np.flatnonzero(reach > caps.room)
        on = on[np.isin(eg[on], tight)]
        rows.append(r + np.searchsorted(tight, eg[on]))
        cols.append(on)
        upper.append(caps.room[tight].astype(float))
        r += tight.size
    a_mat = csr_matrix((np.ones(sum(c.size for c in cols)),
                        (np.concatenate(rows), np.concatenate(cols))), shape=(r, n_e))
    return a_mat, np.concatenate(upper)


def _check(sol: Solution, group: I64, pairs: I64, caps: Caps | None = None) -> None:
    """The model's answer obeys every constraint (HiGHS' tolerances are not trusted)."""
    inst = sol.instance
    cands = inst.edge_cand[sol.chosen]
    used = np.bincount(inst.edge_pos[sol.chosen], minlength=inst.n_positions)
    if np.unique(cands).size != cands.size or (used > inst.capacity).any():
        raise RuntimeError("the mixed-integer answer is not a placement")
    if conflicts(sol, group, pairs):
        raise RuntimeError("the mixed-integer answer breaks R14")
    if caps is not None and caps.over(sol, group):
        raise RuntimeError("the mixed-integer answer breaks R29")
