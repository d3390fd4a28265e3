"""R14: inmates flagged to be kept apart are never proposed to the same site and shift.

Separation makes the problem a matching with conflict pairs (NP-hard in general), but the
pairs are few, so an exact branch-and-bound on top of the exact solver works:

1. solve without R14 (an upper bound, lexicographic (placed, score));
2. if two separated inmates landed in the same group (site, workplace, shift), branch:
   either the first or the second may not take any vacancy of that group;
3. a branch is re-solved only if its parent's bound can still beat the best feasible
   answer found; the first feasible answer of the best-bound branch is optimal.

With more than ``Settings.separation_max_nodes`` re-solves the search stops and returns the
best feasible answer found (or, failing that, the relaxation with one inmate of every
conflicting pair removed), with ``exact = False``.  The result reports what R14 cost:
placements and score of the unconstrained optimum versus the answer.
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


@dataclass(frozen=True)
class SeparationInfo:
    pairs_flagged: int
    conflicts_unconstrained: int  # conflicting pairs in the optimum without R14
    placed_unconstrained: int
    score_unconstrained: int
    placed: int
    score: int
    nodes: int  # solver calls
    exact: bool

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


def solve_separated(
    inst: Instance,
    group: I64,
    pairs: Sequence[tuple[int, int]] | I64,
    max_nodes: int = 200,
) -> tuple[Solution, SeparationInfo]:
    """Exact optimum under R14.  ``group[p]`` is the separation group of position ``p``;
    ``pairs`` holds candidate index pairs to keep apart."""
    pr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    root = solve(inst)
    root_conf = conflicts(root, group, pr)
    if not root_conf:
        info = SeparationInfo(len(pr), 0, root.placed, root.score, root.placed, root.score, 1, True)
        return root, info
    edge_group = group[inst.edge_pos]
    nodes = 1
    best: Solution | None = None
    counter = 0
    # max-heap on the parent's bound; entries: (-placed, -score, tie, forbidden set)
    heap: list[tuple[int, int, int, frozenset[tuple[int, int]]]] = []

    def push_children(sol: Solution, forbidden: frozenset[tuple[int, int]]) -> None:
        nonlocal counter
        a, b, g = conflicts(sol, group, pr)[0]
        for who in (a, b):
            counter += 1
            heapq.heappush(heap, (-sol.placed, -sol.score, counter, forbidden | {(who, g)}))

    push_children(root, frozenset())
    exact = True
    while heap:
        neg_p, neg_s, _, forbidden = heapq.heappop(heap)
        if best is not None and (best.placed, best.score) >= (-neg_p, -neg_s):
            break  # no open branch can beat the best feasible answer
        if nodes >= max_nodes:
            exact = False
            break
        mask = np.ones(inst.n_edges, dtype=bool)
        for who, g in forbidden:
            mask &= ~((inst.edge_cand == who) & (edge_group == g))
        sub = inst.with_edges(mask)
        sol = solve(sub)
        nodes += 1
        sol = Solution(inst, np.flatnonzero(mask)[sol.chosen], sol.placed, sol.score, sol.stats)
        if best is not None and (sol.placed, sol.score) <= (best.placed, best.score):
            continue
        if conflicts(sol, group, pr):
            push_children(sol, forbidden)
        else:
            best = sol
    if best is None:  # budget exhausted: drop one inmate of each conflicting pair
        exact = False
        chosen = root.chosen
        pos = root.position_of()
        drop: set[int] = set()
        for a, b, _ in root_conf:
            if a not in drop and b not in drop:
                drop.add(b)
        keep = ~np.isin(inst.edge_cand[chosen], list(drop))
        chosen = chosen[keep]
        # removing an inmate can leave another conflict only if both were kept
        while True:
            tmp = Solution(inst, chosen, int(chosen.size), int(inst.edge_score[chosen].sum()))
            c = conflicts(tmp, group, pr)
            if not c:
                break
            chosen = chosen[inst.edge_cand[chosen] != c[0][1]]
        del pos
        best = Solution(inst, chosen, int(chosen.size), int(inst.edge_score[chosen].sum()))
    info = SeparationInfo(
        len(pr), len(root_conf), root.placed, root.score, best.placed, best.score, nodes, exact
    )
    return best, info
