"""R14: inmates flagged to be kept apart are never proposed to the same site and shift.

Separation makes the problem a matching with conflict pairs (NP-hard in general), but the
pairs are few, so an exact branch-and-bound on top of the exact solver works:

1. solve without R14 (an upper bound, lexicographic (placed, score));
2. if two separated inmates landed in the same group (site, workplace, shift), branch:
   either the first or the second may not take any vacancy of that group;
3. nodes are solved when they are created and explored best bound first; a node is only
   branched while its bound can beat the best feasible answer found (the *incumbent*);
   when the best open bound is no better than the incumbent, the incumbent is optimal.

Every solved node is also *repaired* into a feasible answer (one inmate of each clashing
pair leaves the group, the one whose place there scores less; then every unplaced inmate
who fits a free position without meeting a partner takes it, best score first), so an
incumbent exists from the first branching on.  After ``Settings.separation_max_nodes``
re-solves the search stops: the answer is the best feasible one found, a true lower bound,
with ``exact = False`` (not proven optimal); it is *maximal*, so an inmate left out while a
vacancy they may take has a free position is always kept out by a partner placed in that
vacancy's group (the explanation's R14 reason is never false).  The result reports what
R14 cost: placements and score of the unconstrained optimum versus the answer.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .problem import Instance
from .solver import Solution, solve

I64 = npt.NDArray[np.int64]
Forbidden = frozenset[tuple[int, int]]  # (candidate, group) pairs a node forbids


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
        }


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


def repair(sol: Solution, group: I64, pairs: I64) -> Solution:
    """A feasible answer under R14 near ``sol``: of each clashing pair the inmate whose
    place scores less leaves; then unplaced inmates take free positions where no partner
    is placed in the group, best score first, until none can (the answer is maximal)."""
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
        order = open_e[np.lexsort((open_e, -inst.edge_score[open_e]))]
        for e, c, p in zip(
            order.tolist(), inst.edge_cand[order].tolist(), inst.edge_pos[order].tolist(),
            strict=True,
        ):
            g = int(group[p])
            if pos[c] >= 0 or room[p] <= 0 or g in near.get(c, ()):
                continue
            pos[c] = p
            room[p] -= 1
            added.append(e)
            for other in partners.get(c, ()):
                near.setdefault(other, set()).add(g)
        if added:
            chosen = np.sort(np.concatenate((chosen, np.array(added, dtype=np.int64))))
    return Solution(inst, chosen, int(chosen.size), int(inst.edge_score[chosen].sum()))


def solve_separated(
    inst: Instance,
    group: I64,
    pairs: Sequence[tuple[int, int]] | I64,
    max_nodes: int = 200,
) -> tuple[Solution, SeparationInfo]:
    """Optimum under R14 (exact unless ``max_nodes`` solver calls do not suffice; then
    the best feasible answer found).  ``group[p]`` is the separation group of position
    ``p``; ``pairs`` holds candidate index pairs to keep apart."""
    pr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    root = solve(inst)
    root_conf = conflicts(root, group, pr)
    if not root_conf:
        info = SeparationInfo(len(pr), 0, root.placed, root.score, root.placed, root.score, 1, True)
        return root, info
    edge_group = group[inst.edge_pos]
    nodes = 1
    best = repair(root, group, pr)
    counter = 0
    # max-heap of solved, infeasible nodes on their own value (an upper bound of their
    # subtree): (-placed, -score, tie, forbidden set, solution)
    heap: list[tuple[int, int, int, Forbidden, Solution]] = [
        (-root.placed, -root.score, 0, frozenset(), root)
    ]
    exact = True
    while heap:
        neg_p, neg_s, _, forbidden, sol = heapq.heappop(heap)
        if (best.placed, best.score) >= (-neg_p, -neg_s):
            break  # no open branch can beat the incumbent: it is optimal
        a, b, g = conflicts(sol, group, pr)[0]
        for who in (a, b):
            if nodes >= max_nodes:
                exact = False
                break
            child = forbidden | {(who, g)}
            mask = np.ones(inst.n_edges, dtype=bool)
            for c, h in child:
                mask &= ~((inst.edge_cand == c) & (edge_group == h))
            sub = solve(inst.with_edges(mask))
            nodes += 1
            kid = Solution(inst, np.flatnonzero(mask)[sub.chosen], sub.placed, sub.score)
            if (kid.placed, kid.score) <= (best.placed, best.score):
                continue  # cannot beat the incumbent
            if conflicts(kid, group, pr):
                fixed = repair(kid, group, pr)
                if (fixed.placed, fixed.score) > (best.placed, best.score):
                    best = fixed
                counter += 1
                heapq.heappush(heap, (-kid.placed, -kid.score, counter, child, kid))
            else:
                best = kid
        if not exact:
            break
    info = SeparationInfo(
        len(pr), len(root_conf), root.placed, root.score, best.placed, best.score, nodes, exact
    )
    return best, info
