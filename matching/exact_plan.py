"""The fewest new workshops that bring an institution to its target, proven minimal.

:func:`matching.planner.close_shortfall` opens, step by step, the trade whose workshop
employs the most: each step is exact, the set is not always the smallest (six people with
skills AB, AB, AC, AC, B, C and a target of 100%: the greedy opens A(4), B(1), C(1); B(3)
and C(3) employ all six).  :func:`exact_shortfall` finds the smallest set.

Why the problem is small.  Let ``C`` be the candidates (able, not yet employed), ``E`` the
candidates whom the opened workshops admit.  A workshop with room for all its eligible
inmates takes any of them, so the most that can be placed is ``|E| + nu(C - E)``
(``nu``: a maximum placement in today's vacancies): moving someone of ``E`` from a
vacancy into the workshop never places fewer.  With Hall's theorem for capacities,
``nu(H) = |H| - delta(H)``, ``delta(H) = max over A subset of H of |A| - cap(N(A))`` (the
*deficiency*: ``N(A)`` the vacancies ``A`` may take), so the extra placed is
``delta(C) - delta(C - E)``.  A set of workshops therefore reaches the target iff
``delta(C - E) <= D = delta(C) - need``.  The positions are then always exactly ``need``
(augmenting from today's maximum placement fills no fewer existing positions), so fewest
workshops, then fewest positions, is decided by the first.

How it is solved (a cutting-plane loop, ``scipy.optimize.milp``/HiGHS on a small model):
the *master* chooses trades ``y`` (binary) and covered candidates ``cov <= sum of y over
their trades``, minimising the number of trades, subject to the cuts found so far.  Its
answer is checked by one maximum flow: if ``delta(C - E) <= D`` it is optimal (the master
is a relaxation); otherwise the flow's minimum cut gives the set ``A`` of largest
deficiency, and every plan must cover at least ``|A| - cap(N(A)) - D`` of ``A`` (else
``delta`` of what is left stays above ``D``): that cut is added.  Also valid from the
start: the extra placed is submodular, so ``sum of y_k * gain_k >= need`` (``gain_k``:
trade ``k`` alone, measured by the greedy's first step), and the greedy plan bounds the
answer from above (the master looks for strictly fewer workshops; none means the greedy
plan is minimal).  What makes the master strong (:class:`_Master`): only the candidates
some maximum placement leaves out count (``A``; with its Hall cut ``|E & A| >= need``
from the start), trades inside another's candidates are left out, and the placement into
the *tight* vacancies (few eligible per position) is part of the master as flow
variables, so a set of trades that would empty them is never proposed.

The first round (without the tight vacancies' flow) settles most institutions.  When its
answer fails the check, two exact methods take turns of doubling length until one
decides (:meth:`_Master.search`): the strong master above, and a branch-and-bound over
the trades whose nodes are the max flows themselves (:class:`_TradeSearch`, bounded by
the Hall cut of each node's minimum cut, submodularity and a Lagrangian bound on
coverage).  The model is the faster proof when many workshops are needed (the search's
tree grows with their number); the search when a few trades miss the target narrowly
through vacancies that are not tight (seed 2 of the benchmark: eight trades employ 211
of the 218 needed; the model took 8.5 s of CPU, the search about 160 max flows).  Within
the time budget the answer is proven; when the budget runs out the greedy plan (or a
better one found) is returned with the lower bound proven so far.
"""

from __future__ import annotations

import dataclasses
import heapq
import time
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .lazy_scipy import (
    Bounds,
    LinearConstraint,
    breadth_first_order,
    csr_matrix,
    hstack,
    maximum_flow,
    milp,
)
from .planner import ShortfallPlan, Site, Step, Workshop
from .problem import Problem

I64 = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
TIGHT = 6  # a vacancy is tight with at most this many eligible (in A) per position
PLAN_SECONDS = 5.0  # the exact plan's time budget (a 2,000-inmate institution: well under 1 s)
FIRST_TURN = 0.1  # seconds: the strong model's first turn (see _Master.search)
SEARCH_DEPTH = 10  # up to this many trades deep, the branch-and-bound goes first
DEEP_MODEL_SHARE = 0.75  # deeper, the model's share of the time left, in one turn
LAGRANGE_STEPS = 30  # subgradient steps of a node's coverage bound
ROUNDING = 1e-6  # a float bound prunes only this far below the whole number it bounds


@dataclass(frozen=True)
class ExactPlan:
    """The smallest set of workshops (then positions) reaching the target."""

    plan: ShortfallPlan  # the workshops, each with exactly the positions it fills
    proven_optimal: bool  # False: the time budget ran out (``plan`` is the best found)
    workshops_lower_bound: int  # no plan with fewer workshops exists (proven)
    seconds: float
    cuts: int  # cuts of the master model
    greedy: ShortfallPlan  # the greedy plan, for comparison
    flows: int = 0  # max flows of the branch-and-bound over the trades

    def to_dict(self) -> dict[str, object]:
        return {
            **self.plan.to_dict(),
            "workshops": len(self.plan.steps),
            "proven_optimal": self.proven_optimal,
            "workshops_lower_bound": self.workshops_lower_bound,
            "seconds": round(self.seconds, 3),
        }


class _Graph:
    """Today's candidates, vacancies and the trades' eligibility, for the deficiency."""

    def __init__(self, site: Site) -> None:
        self.n, m = site.allowed.shape
        self.m0 = site.m0
        self.cap = site.free[: self.m0]
        self.out0 = ~site.candidate
        self.ec, self.ep = (a.astype(np.int64) for a in
                            np.nonzero(site.allowed[:, : self.m0] & (self.cap > 0)[None, :]))
        self.wc, self.wk = (a.astype(np.int64) for a in np.nonzero(site.allowed[:, self.m0:]))
        self.trades = m - self.m0

    def covered(self, chosen: Mask) -> Mask:
        """Candidates whom the chosen trades' workshops admit."""
        out = np.zeros(self.n, dtype=bool)
        out[self.wc[chosen[self.wk]]] = True
        return out

    def deficiency(self, covered: Mask) -> tuple[int, Mask]:
        """``delta`` of the candidates not covered, and the set ``A`` reaching it (the
        candidates on the source side of a minimum cut)."""
        n, m0 = self.n, self.m0
        out = self.out0 | covered
        keep = ~out[self.ec]
        inn = np.flatnonzero(~out)
        src, snk = n + m0, n + m0 + 1
        tail = np.concatenate((np.full(inn.size, src), self.ec[keep], n + np.arange(m0)))
        head = np.concatenate((inn, n + self.ep[keep], np.full(m0, snk)))
        caps = np.concatenate((np.ones(inn.size + int(keep.sum()), dtype=np.int32),
                               self.cap.astype(np.int32)))
        graph = csr_matrix((caps, (tail, head)), shape=(n + m0 + 2, n + m0 + 2))
        flow = maximum_flow(graph, src, snk)
        residual = graph - flow.flow
        residual.data[residual.data < 0] = 0
        residual.eliminate_zeros()
        side = np.zeros(n + m0 + 2, dtype=bool)
        side[breadth_first_order(residual, src, return_predecessors=False)] = True
        return int(inn.size - flow.flow_value), side[:n] & ~out


def exact_shortfall(
    problem: Problem,
    trades: Iterable[str],
    template: Workshop,
    greedy: ShortfallPlan | None = None,
    time_limit: float = PLAN_SECONDS,
) -> ExactPlan:
    """The fewest workshops (then positions) of the given trades, each like ``template``,
    that bring the institution to its target (as close as any set can), proven minimal
    within ``time_limit`` seconds, with the greedy plan (``ExactPlan.greedy``).
    ``greedy``: the greedy plan if already computed (then each trade's gain alone is
    measured again; without it they come from the greedy's first step)."""
    t0 = time.perf_counter()
    shops = [dataclasses.replace(template, trade_code=t, positions=0)
             for t in sorted(set(trades))]
    site = Site(problem, shops)
    placed0 = site.placed
    if greedy is None:
        greedy = site.close_shortfall()
        alone = site.first_gains.astype(float)
    else:
        alone = None
    best = [s.trade_code for s in greedy.steps]
    g = _Graph(site)
    d0, deficient = g.deficiency(np.zeros(g.n, dtype=bool))
    everything = g.covered(np.ones(g.trades, dtype=bool))
    need = min(site._shortfall(placed0), d0 - g.deficiency(everything)[0])
    lower = len(set(best)) if need > 0 else 0
    cuts = flows = 0
    if need > 0 and lower > 1:
        if alone is None:
            alone = _Marginals(site, need, placed0)(np.zeros(g.trades, dtype=bool))[1]
        master = _Master(g, deficient, need, d0 - need, alone, len(set(best)))
        found, lower, cuts, flows = master.search(t0 + time_limit)
        if found is not None:
            best = [shops[k].trade_code for k in np.flatnonzero(found)]
    plan = _plan_of(problem, shops, set(best), greedy)
    proven = lower >= len(plan.steps)
    return ExactPlan(plan, proven, min(lower, len(plan.steps)),
                     time.perf_counter() - t0, cuts, greedy, flows)


class _Marginals:
    """What each trade would add to a set of open workshops (each with room for the
    whole need), by the planner's residual max flows."""

    def __init__(self, site: Site, need: int, placed0: int) -> None:
        self.site, self.need, self.placed0 = site, need, placed0

    def __call__(self, chosen: Mask) -> tuple[int, npt.NDArray[np.float64]]:
        site = self.site
        site.opened[:] = np.where(chosen, self.need, 0)
        site._rebuild()
        done = min(self.need, site.placed - self.placed0)
        left = self.need - done
        gains = [0 if chosen[k] else site._extra(k, left) for k in range(len(chosen))]
        return done, np.array(gains, dtype=float)


class _Master:
    """The cutting-plane loop (module docstring) over the trades that matter.

    Only the *deficient* candidates ``A`` count (the source side of today's minimum cut:
    those some maximum placement leaves out): ``A`` has the largest deficiency, and by
    supermodularity of ``|X| - cap(N(X))`` every ``X`` of largest deficiency in ``C - E``
    may be taken inside ``A``, so the extra placed depends on ``E`` only through
    ``E & A``.  Hence: the covered candidates are those of ``A`` (fewer variables), one
    cut holds from the start (``|E & A| >= need``: the Hall cut of ``A``), and a trade
    whose candidates in ``A`` are a subset of another's (or that adds nobody alone) is
    never needed.  Each answer of the master that fails the flow check adds its Hall cut
    and a submodular cut whose coefficients need no new max flow (each trade's gain is
    at most its gain alone and at most the candidates of ``A`` it newly covers)."""

    def __init__(self, g: _Graph, deficient: Mask, need: int, limit: int,
                 alone: npt.NDArray[np.float64], incumbent: int) -> None:
        self.g, self.need, self.limit, self.incumbent = g, need, limit, incumbent
        self.alone = alone
        in_a = deficient[g.wc]
        wc, wk = g.wc[in_a], g.wk[in_a]
        self.cover_ids = np.unique(wc)
        nc, nt = self.cover_ids.size, g.trades
        self.nc, self.nt = nc, nt
        self.index = np.full(g.n, -1, dtype=np.int64)
        self.index[self.cover_ids] = np.arange(nc)
        self.sets = csr_matrix((np.ones(wc.size), (wk, self.index[wc])), shape=(nt, nc))
        # cov_i - sum of y over i's trades <= 0
        self.link = csr_matrix((np.r_[np.ones(nc), -np.ones(wc.size)],
                                (np.r_[np.arange(nc), self.index[wc]],
                                 np.r_[np.arange(nc), nc + wk])), shape=(nc, nc + nt))
        self.useful = _undominated(self.sets) & (alone > 0)
        self.rows = [np.r_[np.zeros(nc), alone], np.r_[np.ones(nc), np.zeros(nt)]]
        self.lows = [float(need), float(need)]
        self.flow, self.n_flow = self._tight_flow(deficient, wc, wk)
        self.found: Mask | None = None  # a plan smaller than the greedy one, once found
        self.lower = 1  # proven: no plan has fewer trades

    def _tight_flow(self, deficient: Mask, wc: I64, wk: I64) -> tuple[list[LinearConstraint], int]:
        """The placement into the *tight* vacancies (few eligible for their positions, in
        ``A``) as flow variables of the master: a plan reaching the target sends ``need``
        covered candidates to its workshops and still fills every tight position with the
        rest (a relaxation: the other vacancies are left out).  Candidates alike (the same
        tight vacancies and trades) are one flow node with their number as capacity."""
        g, nc, nt = self.g, self.nc, self.nt
        in_a = deficient[g.ec]
        ec, ep = g.ec[in_a], g.ep[in_a]
        pool = np.bincount(ep, minlength=g.m0)
        tight = (pool > 0) & (pool <= TIGHT * g.cap)
        ec, ep = ec[tight[ep]], ep[tight[ep]]
        vac = np.flatnonzero(tight)
        nv = vac.size
        if nv == 0:
            return [], 0
        vidx = np.full(g.m0, -1, dtype=np.int64)
        vidx[vac] = np.arange(nv)
        people = np.union1d(ec, self.cover_ids)
        pidx = np.full(g.n, -1, dtype=np.int64)
        pidx[people] = np.arange(people.size)
        member = np.zeros((people.size, nv + nt), dtype=bool)
        member[pidx[ec], vidx[ep]] = True
        member[pidx[wc], nv + wk] = True
        kinds, count = np.unique(member, axis=0, return_counts=True)
        xt, xj = np.nonzero(kinds[:, :nv])
        zt, zk = np.nonzero(kinds[:, nv:])
        nx, nz = xt.size, zt.size
        base = nc + nt  # variables: cov, y, then x (kind -> vacancy), z (kind -> trade)
        size = base + nx + nz
        xs, zs = base + np.arange(nx), base + nx + np.arange(nz)
        per_kind = csr_matrix((np.ones(nx + nz), (np.r_[xt, zt], np.r_[xs, zs])),
                              shape=(kinds.shape[0], size))
        per_vac = csr_matrix((np.ones(nx), (xj, xs)), shape=(nv, size))
        link = csr_matrix((np.r_[np.ones(nz), -count[zt].astype(float)],
                           (np.r_[np.arange(nz), np.arange(nz)], np.r_[zs, nc + zk])),
                          shape=(nz, size))
        total = csr_matrix((np.ones(nx + nz), (np.zeros(nx + nz, dtype=np.int64),
                                                np.r_[xs, zs])), shape=(1, size))
        cap = g.cap[vac].astype(float)
        return [LinearConstraint(per_kind, -np.inf, count.astype(float)),
                LinearConstraint(per_vac, -np.inf, cap),
                LinearConstraint(link, -np.inf, 0),
                LinearConstraint(total, cap.sum() + self.need, np.inf)], nx + nz

    def search(self, deadline: float) -> tuple[Mask | None, int, int, int]:
        """(a set of trades smaller than the incumbent reaching the target, or None; the
        proven lower bound; cuts added; max flows of the branch-and-bound).

        The first round leaves the tight vacancies' flow out (a weaker, faster model:
        it settles most institutions and proves a lower bound).  If its answer fails
        the flow check, two exact methods take turns, each pair of turns twice as long
        as the last (from ``FIRST_TURN`` seconds for the model), until one decides: the
        strong model (the tight vacancies' flow and the cuts; HiGHS starts again at
        each turn) and :class:`_TradeSearch` (max flows; it resumes where it stopped).
        Neither wins everywhere: on a 2,000-inmate institution with a near miss the
        model took 8.5 s of CPU and the search about 160 max flows (0.5 s); with twenty
        workshops to open the model takes a fraction of a second and the search may
        not end.  So when the search looks at most ``SEARCH_DEPTH`` trades deep it goes
        first, with turns twice the model's (turns that double keep the time within a
        small multiple of the faster method's); deeper, the model has
        ``DEEP_MODEL_SHARE`` of the time left at once (it proves such institutions in
        a few seconds, where restarts would double that), then the search the rest."""
        nc, nt, g = self.nc, self.nt, self.g
        if (left := deadline - time.perf_counter()) <= 0:
            return None, 1, 0, 0
        res = self._solve(False, left)
        if res.status == 2:  # infeasible: no plan with fewer workshops than the incumbent
            return None, self.incumbent, 0, 0
        if res.status != 0:  # out of time: the bound proven so far
            bound = getattr(res, "mip_dual_bound", None)
            ok = bound is not None and np.isfinite(bound)
            return None, max(1, int(np.ceil(bound - 1e-6))) if ok else 1, 0, 0
        chosen = np.round(res.x[nc : nc + nt]).astype(bool)
        delta, witness = g.deficiency(g.covered(chosen))
        if delta <= self.limit:
            return chosen, int(chosen.sum()), 0, 0
        self._cut(chosen, delta, witness)
        self.lower = int(round(res.fun))
        search = _TradeSearch(self)
        steps = search.run()
        players: list[tuple[Callable[[float], bool], float]] = [
            (lambda until: _advance(steps, until), 2.0), (self._strong, 1.0)]
        turn = FIRST_TURN
        if self.incumbent - 1 > SEARCH_DEPTH:  # the model first, most of the time at once
            players = players[::-1]
            turn = DEEP_MODEL_SHARE * (deadline - time.perf_counter())
        while not any(play(min(deadline, time.perf_counter() + share * turn))
                      for play, share in players):
            if time.perf_counter() >= deadline:
                break
            turn *= 2
        return self.found, self.lower, len(self.rows) - 2, search.flows

    def _strong(self, until: float) -> bool:
        """Rounds of the strong model until ``until``; True when it decided (then
        ``found`` and ``lower`` hold the answer)."""
        nc, nt, g = self.nc, self.nt, self.g
        while (left := until - time.perf_counter()) > 0:
            res = self._solve(self.n_flow > 0, left)
            if res.status == 2:  # no plan smaller than the incumbent
                self.lower = self.incumbent
                return True
            if res.status != 0:  # out of time: the bound proven so far
                bound = getattr(res, "mip_dual_bound", None)
                if bound is not None and np.isfinite(bound):
                    self.lower = max(self.lower, int(np.ceil(bound - 1e-6)))
                return self.lower >= self.incumbent
            chosen = np.round(res.x[nc : nc + nt]).astype(bool)
            delta, witness = g.deficiency(g.covered(chosen))
            if delta <= self.limit:  # the relaxation's optimum is a plan: the answer
                self.found, self.lower = chosen, int(chosen.sum())
                self.incumbent = self.lower
                return True
            self.lower = max(self.lower, int(round(res.fun)))
            self._cut(chosen, delta, witness)
        return False

    def _solve(self, strong: bool, seconds: float) -> Any:
        """One master model: the cuts so far, with the tight vacancies' flow if
        ``strong``."""
        nc, nt = self.nc, self.nt
        pad = self.n_flow if strong else 0
        cost = np.r_[np.zeros(nc), np.ones(nt), np.zeros(pad)]
        rows = csr_matrix(np.array(self.rows))
        cons = [LinearConstraint(hstack((self.link, csr_matrix((nc, pad)))), -np.inf, 0),
                LinearConstraint(csr_matrix(cost), -np.inf, self.incumbent - 1),
                LinearConstraint(hstack((rows, csr_matrix((rows.shape[0], pad)))),
                                 np.array(self.lows), np.inf),
                *(self.flow if strong else [])]
        bounds = Bounds(0, np.r_[np.ones(nc), self.useful.astype(float), np.full(pad, np.inf)])
        return milp(cost, constraints=cons, integrality=cost, bounds=bounds,
                    options={"mip_rel_gap": 0, "time_limit": seconds})

    def _cut(self, chosen: Mask, delta: int, witness: Mask) -> None:
        """The Hall cut of the witness (every plan covers at least ``delta - limit`` of
        it: restricted to ``A``, valid since only ``E & A`` counts) and the submodular cut
        at ``chosen`` (``f(S) <= f(T) + sum over S - T of gain_k(T)``)."""
        nc, nt = self.nc, self.nt
        row = np.zeros(nc + nt)
        row[self.index[witness & (self.index >= 0)]] = 1
        self.rows.append(row)
        self.lows.append(float(delta - self.limit))
        covered = np.asarray(self.sets[chosen].sum(axis=0)).ravel() > 0
        newly = self.sets @ (~covered).astype(float)
        gains = np.where(chosen, 0.0, np.minimum(self.alone, newly))
        done = self.need + self.limit - delta  # f(chosen) = d0 - delta
        self.rows.append(np.r_[np.zeros(nc), gains])
        self.lows.append(float(self.need - done))


class _TradeSearch:
    """Is there a set of fewer trades than the incumbent reaching the target?  A
    depth-first branch-and-bound over the (useful) trades whose every node is exact:
    the node's trades ``S`` are checked by one max flow (``delta(C - E_S) <= limit``),
    which also gives its witness ``X_S`` (the deficient side of the minimum cut,
    outside ``E_S``).  Every plan containing ``S`` gains at most ``|X_S & E_T|`` over
    ``f(S)`` for the trades ``T`` it adds (the Hall cut of ``X_S``), so a subtree adding
    up to ``r`` more trades is pruned when either bound stays below the slack
    ``delta - limit``:

    * the sum of the ``r`` largest marginal bounds (``f`` is submodular: a trade adds
      no more to ``S`` than to a subset of it): each trade's newly covered candidates
      of ``X_S``, its gain at the parent node when that was measured (the children of
      a node are all measured before any is expanded) and its gain alone (measured by
      the greedy plan's first step);
    * the coverage of ``X_S`` by any ``r`` trades, with overlaps counted
      (:func:`_coverage_bound`).

    Children are taken in the order of their marginal bounds, each subtree with the
    trades after its own only (every set once).  The near miss of the benchmark's
    seed 2 (211 of the 218 needed with eight trades) takes about 160 max flows: the
    flows see every vacancy, where the model sees only the tight ones.  :meth:`run`
    is a generator that yields before each max flow, so the search can be resumed."""

    def __init__(self, master: _Master) -> None:
        self.m, self.g = master, master.g
        self.sets = master.sets.toarray() > 0  # trades x covered candidates of A
        self.useful = np.flatnonzero(master.useful)
        self.flows = 0

    def run(self) -> Generator[None, None, None]:
        """Fewer and fewer trades until none reach the target (``m.lower`` is then
        the incumbent) or the lower bound is met; ``m.found`` holds the best plan."""
        m = self.m
        while m.incumbent > m.lower:
            yield
            chosen = np.zeros(self.g.trades, dtype=bool)
            better = yield from self._dfs(chosen, *self._check(chosen), self.useful,
                                          m.alone[self.useful], m.incumbent - 1)
            if better is None:
                m.lower = m.incumbent
                return
            m.found, m.incumbent = better, int(better.sum())

    def _check(self, chosen: Mask) -> tuple[int, Mask]:
        """The deficiency left by the trades and its witness (candidates of ``A`` that
        some trade covers)."""
        self.flows += 1
        delta, witness = self.g.deficiency(self.g.covered(chosen))
        return delta, witness[self.m.cover_ids]

    def _dfs(self, chosen: Mask, delta: int, witness: Mask, trades: I64,
             bound: npt.NDArray[np.float64], r: int) -> Generator[None, None, Mask | None]:
        slack = delta - self.m.limit
        if slack <= 0:
            return chosen
        if r == 0 or trades.size == 0:
            return None
        fresh = self.sets[trades][:, witness]  # each trade's new candidates of X_S
        marginal = np.minimum(bound, fresh.sum(axis=1))
        order = np.argsort(-marginal, kind="stable")
        trades, marginal, fresh = trades[order], marginal[order], fresh[order]
        if marginal[:r].sum() < slack:
            return None  # no child passes (the usual end of a node): no coverage bound
        base, weight = _coverage_bound(fresh, r, slack)
        rest = _suffix_top(weight, r - 1)
        children: list[tuple[int, Mask, int, Mask]] = []
        for i, k in enumerate(trades):
            if marginal[i : i + r].sum() < slack:
                break  # the later children's bounds are no larger
            if base + weight[i] + rest[i + 1] < slack - ROUNDING:
                continue
            child = chosen.copy()
            child[k] = True
            yield
            d, x = self._check(child)
            if d <= self.m.limit:
                return child
            marginal[i] = min(marginal[i], slack - (d - self.m.limit))  # exact: f(k | S)
            children.append((i, child, d, x))
        # each child's subtree adds trades after it: their marginals, now exact where
        # measured, bound it once more
        after = _suffix_top(marginal, r - 1)
        for i, child, d, x in children:
            if marginal[i] + after[i + 1] < slack:
                continue
            found = yield from self._dfs(child, d, x, trades[i + 1 :], marginal[i + 1 :],
                                         r - 1)
            if found is not None:
                return found
        return None


def _advance(steps: Generator[None, None, None], until: float) -> bool:
    """Run the search until ``until``; True when it has ended."""
    try:
        while time.perf_counter() < until:
            next(steps)
    except StopIteration:
        return True
    return False


def _coverage_bound(fresh: Mask, r: int, slack: float) -> tuple[float, npt.NDArray[np.float64]]:
    """``(base, weight)``: any ``r`` rows of ``fresh`` (trades x candidates) cover at
    most ``base`` plus the sum of their ``weight``.  For any ``u`` in ``[0, 1]`` per
    candidate, a covered candidate counts ``(1 - u) + u`` and its ``u`` is in some chosen
    row, so the cover is at most ``sum(1 - u) + sum over the rows of their candidates'
    u`` (a Lagrangian bound; ``u = 1``: the rows' sizes).  A few projected subgradient
    steps (Polyak's step toward half a candidate below ``slack``: covers are whole
    numbers, and the caller prunes only below ``slack - ROUNDING``, so float rounding
    never prunes a subtree that could reach it) lower it where rows overlap; the best
    ``u`` seen is kept."""
    weight = fresh.sum(axis=1).astype(float)
    if r <= 1 or r >= fresh.shape[0]:
        return 0.0, weight
    cover = fresh.astype(float)
    u = np.ones(fresh.shape[1])
    best, base, goal = np.inf, 0.0, slack - 0.5
    for _ in range(LAGRANGE_STEPS):
        w = cover @ u
        top = np.argpartition(-w, r - 1)[:r]
        b = float(np.sum(1 - u))
        value = b + float(w[top].sum())
        if value < best:
            best, base, weight = value, b, w
        if value < goal:
            break
        grad = cover[top].sum(axis=0) - (u < 1)
        norm = float(grad @ grad)
        if norm == 0:
            break
        u = np.clip(u - (value - goal) / norm * grad, 0.0, 1.0)
    return base, weight


def _suffix_top(values: npt.NDArray[np.float64], r: int) -> npt.NDArray[np.float64]:
    """``out[i]`` = the sum of the ``r`` largest of ``values[i:]`` (all when fewer)."""
    out = np.zeros(values.size + 1)
    heap: list[float] = []
    total = 0.0
    for i in range(values.size - 1, -1, -1):
        x = float(values[i])
        if len(heap) < r:
            heapq.heappush(heap, x)
            total += x
        elif r > 0 and x > heap[0]:
            total += x - heapq.heapreplace(heap, x)
        out[i] = total
    return out


def _undominated(sets: csr_matrix) -> Mask:
    """Trades whose candidates (rows of ``sets``) are not a subset of another trade's
    (of an earlier trade's when equal): any plan with a dominated trade stays a plan
    with the dominating one instead."""
    inter = (sets @ sets.T).toarray()
    size = np.diag(inter)
    inside = inter == size[:, None]  # inside[k, l]: k's candidates all in l's
    np.fill_diagonal(inside, False)
    equal = inside & inside.T
    earlier = np.tril(np.ones_like(inside), -1)  # l < k
    dominated = (inside & ~equal) | (equal & earlier)
    return (size > 0) & ~dominated.any(axis=1)


def _plan_of(problem: Problem, shops: list[Workshop], chosen: set[str],
             greedy: ShortfallPlan) -> ShortfallPlan:
    """The greedy steps restricted to the chosen trades (it reaches what they can reach:
    each workshop gets exactly the positions it fills), one step per trade."""
    if chosen == {s.trade_code for s in greedy.steps}:
        plan = greedy
    else:
        plan = Site(problem, [s for s in shops if s.trade_code in chosen]).close_shortfall()
    merged: dict[str, Step] = {}
    for s in plan.steps:
        before = merged.get(s.trade_code)
        if before is not None:
            s = Step(s.trade_code, before.positions + s.positions,
                     before.extra_employed + s.extra_employed, s.rate_after)
        merged[s.trade_code] = s
    return dataclasses.replace(plan, steps=list(merged.values()))
