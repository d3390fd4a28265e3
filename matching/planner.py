"""What if a workshop opened here?  Exact extra employment of planned positions.

A *workshop* is a planned vacancy: a trade, a number of positions, site, shift, weekly
hours, wage, heavy work or not, the kind of employer and a start date.  Its effect on one
institution is computed exactly, not estimated:

* the workshop's eligible inmates are decided by the engine's own rules (R2-R13 on the
  workshop as a vacancy column, with the existing vacancies in the same frame);
* ``M`` = a maximum placement of today's candidates in today's vacancies (the engine's
  solve; R14 is not applied, as in the training recommendations: both sides of the
  comparison ignore it);
* the extra inmates employed = the maximum flow from the source to the sink in the
  residual network of ``M`` with the workshop added (source -> unplaced candidate ->
  vacancy on a pair not used -> the candidate placed there -> ... -> a vacancy with room
  or the workshop -> sink).  A maximum placement of the grown graph is ``M`` plus a
  maximum flow of that residual network (Ford-Fulkerson), so the count is exact: equal to
  a full re-solve with the workshop (tested against full solves on random instances).

One institution's frame, rules, solve and residual network are built once; each workshop
is then one ``scipy.sparse.csgraph.maximum_flow`` call on the residual network, so ranking
the trades of an institution, or the institutions of the country for one trade, costs one
build per institution and one max flow per (institution, workshop).

:func:`close_shortfall` answers "the smallest set of new positions that would bring the
institution to the target" *greedily over exact gains*: at each step the trade whose
workshop (up to the remaining shortfall) would employ the most, measured exactly, is opened
(lazily: gains only shrink as workshops open, so stale gains are upper bounds and only the
best bound is re-measured; the choice equals measuring every trade) with exactly as many
positions as it fills, the placement is re-solved with it, and the next step starts from
there.  Each step is exact; the set as a whole is a
greedy answer, not proven the smallest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .explain import people_needed
from .lazy_scipy import breadth_first_order, csr_matrix, maximum_flow
from .problem import Problem, Vacancy
from .rules import evaluate, frame_of, r1_able_to_work

I64 = npt.NDArray[np.int64]
PLANNED = "planned:"  # id prefix of the workshops' vacancy columns


@dataclass(frozen=True)
class Workshop:
    """A planned workshop (one vacancy of ``positions`` positions)."""

    trade_code: str
    positions: int
    site: str = "inside"
    shift: str = "day"
    weekly_hours: int = 40
    monthly_wage: int | None = None  # None: the year's minimum wage (R10)
    heavy_or_hazardous: bool = False
    employer_kind: str = "private_company"
    start_date: dt.date | None = None  # None: the problem's date
    requires_skill: bool = True  # the trade's skill required; False: trainable on the job

    def vacancy(self, vacancy_id: str, problem: Problem) -> Vacancy:
        s = problem.settings
        return Vacancy(
            id=vacancy_id,
            employer_kind=self.employer_kind,
            trade_code=self.trade_code,
            title=f"planned {self.trade_code}",
            site=self.site,
            free_positions=max(0, int(self.positions)),
            weekly_hours=self.weekly_hours,
            shift=self.shift,
            heavy_or_hazardous=self.heavy_or_hazardous,
            required_skills=frozenset({self.trade_code}) if self.requires_skill else frozenset(),
            trainable_on_job=not self.requires_skill,
            start_date=self.start_date or problem.as_of,
            monthly_wage=s.min_monthly_wage if self.monthly_wage is None else self.monthly_wage,
        )


@dataclass(frozen=True)
class Impact:
    """The exact effect of one workshop on one institution."""

    institution: str
    trade_code: str
    positions: int
    eligible: int  # candidates (able, not employed) the rules allow in the workshop
    extra_employed: int  # exact: placements gained with the workshop
    able_to_work: int
    employed: int  # R1 today
    committed: int  # able, with an accepted placement that starts later
    placed_now: int  # a maximum placement today (R14 not applied)
    rate_now: float | None  # (employed + committed + placed_now) / able
    rate_with: float | None  # (employed + committed + placed_now + extra) / able
    target: float
    shortfall_now: int
    shortfall_with: int

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Step:
    trade_code: str
    positions: int  # opened with exactly the positions it fills
    extra_employed: int
    rate_after: float | None


@dataclass(frozen=True)
class ShortfallPlan:
    institution: str
    able_to_work: int
    employed: int  # R1 today
    committed: int  # able, with an accepted placement that starts later
    placed_now: int
    target: float
    shortfall_now: int
    steps: list[Step]
    positions_total: int
    shortfall_left: int  # not closable by any of the trades considered
    rate_after: float | None

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)


class Site:
    """One institution with planned workshops as extra vacancy columns: rules evaluated
    once, today's maximum placement and its residual network built once."""

    def __init__(self, problem: Problem, workshops: Sequence[Workshop]) -> None:
        self.problem = problem
        self.workshops = list(workshops)
        self.m0 = len(problem.vacancies)
        # a column with at least one position, so that R11 lets the rules judge it; the
        # capacities actually used are ``opened`` and the positions asked about
        planned = [
            dataclasses.replace(w.vacancy(f"{PLANNED}{k}", problem),
                                free_positions=max(1, w.positions))
            for k, w in enumerate(self.workshops)
        ]
        grown = dataclasses.replace(
            problem, vacancies=list(problem.vacancies) + planned, courses=()
        )
        # counts only: the rules decide who may take what; scores play no part
        f = frame_of(grown)
        allowed, _ = evaluate(f)
        able = r1_able_to_work(f)
        # the planner counts people, as the run's summary does: a second paid placement
        # (allowed when the year's one_paid_placement is off) employs nobody new.  Taking
        # the second jobs out of any placement keeps it feasible and loses no newly
        # employed person, so the most people newly employed is a maximum placement of
        # the inmates not yet committed (employed or with a placement starting), whatever
        # the setting; with the setting on these are exactly the run's candidates
        self.candidate = able & ~f.committed
        self.allowed = allowed & self.candidate[:, None]
        self.free = f.free_positions.copy()
        self.free[self.m0:] = 0
        self.able = int(able.sum())
        self.employed = int((f.employed & able).sum())
        # an accepted placement that starts later: placed already, as in the run's summary
        self.committed = int((f.upcoming & ~f.employed & able).sum())
        self.target_rate = problem.settings.target_rate
        self.target = float(self.target_rate)
        self.opened = np.zeros(len(self.workshops), dtype=np.int64)  # positions opened
        self._rebuild()

    # ------------------------------------------------------------------ internals
    def _rebuild(self) -> None:
        """Today's instance (existing vacancies plus the workshops opened so far), its
        maximum placement and the residual network's fixed arcs."""
        allowed = self.allowed.copy()
        closed = np.flatnonzero(self.opened == 0)
        allowed[:, self.m0 + closed] = False
        cap = self.free.copy()
        cap[self.m0:] = self.opened
        ec, ep = (a.astype(np.int64) for a in np.nonzero(allowed & (cap > 0)[None, :]))
        n, m = allowed.shape
        mate = _max_matching(n, m, cap, ec, ep)
        self.placed = int((mate >= 0).sum())
        self.n, self.m = n, m
        self.src, self.snk = n + m, n + m + 1
        matched = mate[ec] == ep
        free_c = np.flatnonzero((mate < 0) & self.candidate)
        room = cap - np.bincount(mate[mate >= 0], minlength=m)
        has_room = np.flatnonzero(room > 0)
        # residual arcs of M: S -> free candidate, candidate -> vacancy (pair not used),
        # vacancy -> candidate placed there, vacancy -> T (its room)
        self.tail = np.concatenate(
            (np.full(free_c.size, self.src), ec[~matched], n + ep[matched], n + has_room)
        )
        self.head = np.concatenate(
            (free_c, n + ep[~matched], ec[matched], np.full(has_room.size, self.snk))
        )
        self.arc_cap = np.concatenate(
            (np.ones(free_c.size + ec.size, dtype=np.int64), room[has_room])
        )
        # only what the source reaches can carry flow, and a workshop adds arcs only into
        # its own node: keep the reachable nodes (plus the workshops' and the sink) and
        # number them compactly, so each max flow runs on the part that matters
        size = n + m + 2
        graph = csr_matrix((np.ones(self.tail.size, np.int8), (self.tail, self.head)),
                           shape=(size, size))
        keep = np.zeros(size, dtype=bool)
        keep[breadth_first_order(graph, self.src, return_predecessors=False)] = True
        keep[self.snk] = True
        keep[n + self.m0 : n + m] = True
        self.node = np.where(keep, np.cumsum(keep) - 1, -1)
        self.size = int(keep.sum())
        arcs = keep[self.tail] & keep[self.head]
        self.tail = self.node[self.tail[arcs]]
        self.head = self.node[self.head[arcs]]
        self.arc_cap = self.arc_cap[arcs]
        self.network = csr_matrix((self.arc_cap.astype(np.int32), (self.tail, self.head)),
                                  shape=(self.size, self.size))

    def _extra(self, k: int, positions: int) -> int:
        """Exact extra placements if workshop ``k`` opened with ``positions`` positions
        (on top of what is open now)."""
        if positions <= 0:
            return 0
        j = self.m0 + k
        new_c = np.flatnonzero(self.allowed[:, j])
        if new_c.size == 0:
            return 0
        node, wk, snk = self.node, self.node[self.n + j], self.node[self.snk]
        new_c = node[new_c]
        new_c = new_c[new_c >= 0]  # candidates the source cannot reach add nothing
        if self.opened[k] > 0:  # already open: more room at the same column (its arc to
            # the sink may exist: built from arc lists, where duplicates add up)
            tail = np.concatenate((self.tail, [wk]))
            head = np.concatenate((self.head, [snk]))
            caps = np.concatenate((self.arc_cap, [positions]))
            graph = csr_matrix((caps.astype(np.int32), (tail, head)),
                               shape=(self.size, self.size))
        else:
            graph = self._with_arcs(np.append(new_c, wk), np.append(np.full(new_c.size, wk), snk),
                                    np.append(np.ones(new_c.size, np.int32), positions))
        return int(maximum_flow(graph, int(node[self.src]), int(snk)).flow_value)

    def _with_arcs(self, tails: I64, heads: I64, caps: npt.NDArray[np.int32]) -> csr_matrix:
        """The residual network plus new arcs (none parallel to one of its own), each
        inserted at the end of its row: no sort of the network's arcs per workshop."""
        net = self.network
        at = net.indptr[tails + 1]
        more = np.bincount(tails, minlength=self.size)
        indptr = net.indptr + np.concatenate(([0], np.cumsum(more))).astype(net.indptr.dtype)
        return csr_matrix((np.insert(net.data, at, caps),
                           np.insert(net.indices, at, heads.astype(net.indices.dtype)), indptr),
                          shape=net.shape)

    def _rate(self, placed: int) -> float | None:
        return None if self.able == 0 else round(
            (self.employed + self.committed + placed) / self.able, 6)

    def _shortfall(self, placed: int) -> int:
        need = people_needed(self.target_rate, self.able)
        return max(0, need - self.employed - self.committed - placed)

    # ------------------------------------------------------------------ answers
    def impact(self, k: int) -> Impact:
        w = self.workshops[k]
        extra = self._extra(k, w.positions)
        return Impact(
            institution=self.problem.institution,
            trade_code=w.trade_code,
            positions=w.positions,
            eligible=int(self.allowed[:, self.m0 + k].sum()),
            extra_employed=extra,
            able_to_work=self.able,
            employed=self.employed,
            committed=self.committed,
            placed_now=self.placed,
            rate_now=self._rate(self.placed),
            rate_with=self._rate(self.placed + extra),
            target=self.target,
            shortfall_now=self._shortfall(self.placed),
            shortfall_with=self._shortfall(self.placed + extra),
        )

    def close_shortfall(self) -> ShortfallPlan:
        placed0 = self.placed
        short0 = self._shortfall(placed0)
        steps: list[Step] = []
        # lazy greedy: a workshop's gain never grows as others open (the number placed
        # is submodular in the positions offered) nor as the shortfall left shrinks, so a
        # gain measured at an earlier step bounds it now; only the best bound is
        # re-measured, and a fresh best is the step's exact best (ties: first trade).
        # No workshop can employ more than the shortfall left, so bounds are cut to it at
        # each step: among trades that filled the whole shortfall before, the first one
        # that still does is chosen without measuring the others again
        bounds = [(-(1 << 62), k, -1) for k in range(len(self.workshops))]
        # each trade's gain alone (measured at the first step, else its bound: the
        # shortfall), an upper bound the exact plan reuses instead of measuring again
        self.first_gains = np.full(len(self.workshops), short0, dtype=np.int64)
        step = 0
        while (left := self._shortfall(self.placed)) > 0 and bounds:
            bounds = [(max(neg, -left), k, measured) for neg, k, measured in bounds]
            heapq.heapify(bounds)
            neg, k, measured = heapq.heappop(bounds)
            if measured != step:
                gain = self._extra(k, left)
                if step == 0:
                    self.first_gains[k] = gain
                if gain > 0:
                    heapq.heappush(bounds, (-gain, k, step))
                continue
            gain = -neg
            self.opened[k] = gain
            before = self.placed
            self._rebuild()
            assert self.placed == before + gain  # the exact gain was realised
            steps.append(Step(self.workshops[k].trade_code, gain, gain, self._rate(self.placed)))
            step += 1
        return ShortfallPlan(
            institution=self.problem.institution,
            able_to_work=self.able,
            employed=self.employed,
            committed=self.committed,
            placed_now=placed0,
            target=self.target,
            shortfall_now=short0,
            steps=steps,
            positions_total=sum(s.positions for s in steps),
            shortfall_left=self._shortfall(self.placed),
            rate_after=self._rate(self.placed),
        )


def _max_matching(n: int, m: int, cap: I64, ec: I64, ep: I64) -> I64:
    """A maximum placement (position per candidate, -1 when unplaced) by one maximum flow
    source -> candidate (1) -> position (1 per pair) -> sink (capacity)."""
    mate = np.full(n, -1, dtype=np.int64)
    if ec.size == 0:
        return mate
    src, snk = n + m, n + m + 1
    cand, pos = np.unique(ec), np.unique(ep)
    tail = np.concatenate((np.full(cand.size, src), ec, n + pos))
    head = np.concatenate((cand, n + ep, np.full(pos.size, snk)))
    caps = np.concatenate((np.ones(cand.size + ec.size, dtype=np.int64), cap[pos]))
    size = n + m + 2
    graph = csr_matrix((caps.astype(np.int32), (tail, head)), shape=(size, size))
    flow = maximum_flow(graph, src, snk).flow.tocoo()
    used = (flow.data > 0) & (flow.row < n) & (flow.col >= n) & (flow.col < n + m)
    mate[flow.row[used]] = flow.col[used] - n
    return mate


def impact(problem: Problem, workshop: Workshop) -> Impact:
    """Exact effect of one workshop on one institution."""
    return Site(problem, [workshop]).impact(0)


def rank_trades(
    problem: Problem, trades: Iterable[str], template: Workshop
) -> list[Impact]:
    """For one institution, a workshop like ``template`` in each trade: the trades that
    would employ the most (ties: trade code)."""
    shops = [dataclasses.replace(template, trade_code=t) for t in sorted(set(trades))]
    site = Site(problem, shops)
    out = [site.impact(k) for k in range(len(shops))]
    out.sort(key=lambda i: (-i.extra_employed, i.trade_code))
    return out


def rank_institutions(problems: Iterable[Problem], workshop: Workshop) -> list[Impact]:
    """For one workshop, the institutions where it would employ the most (ties: the
    larger rate gain, then the institution)."""
    out = [impact(p, workshop) for p in problems]
    out.sort(key=lambda i: (-i.extra_employed, i.institution))
    return out


def close_shortfall(
    problem: Problem, trades: Iterable[str], template: Workshop
) -> ShortfallPlan:
    """Greedy over exact gains (see the module docstring): new workshops, one trade at a
    time, until the institution reaches its target or no trade adds anyone."""
    shops = [dataclasses.replace(template, trade_code=t, positions=0)
             for t in sorted(set(trades))]
    return Site(problem, shops).close_shortfall()
