"""Training recommendations: which course would make more inmates placeable.

For each course (not yet ended, with seats):

* beneficiaries: candidates (able, not employed) who lack what the course grants and whose
  release date is after the course's end (R13: a course ends before release);
* they are given the skill/certificate; their pairs are re-checked (only R12 reads skills
  and certificates, so the other rules' results are reused and R12 is updated by the
  change in the missing counts), and a pair that becomes allowed only thanks to the course
  must also still be open after the course ends (vacancy end, release date);
* the gain (extra number placed) is computed exactly by re-solving, but only where it can
  change - see :func:`gain_and_users`.

Seats: if the new optimum uses the course for at most ``seats`` inmates the gain is exact.
Otherwise the ``seats`` best-scored of them are enrolled and the instance re-solved: that
gain is a true lower bound, ``min(unlimited gain, seats)`` an upper bound; ``exact`` says
whether they meet.  R14 is not applied in these re-solves (both sides of the comparison
ignore it, so the gain is like for like).

Why the local re-solve is exact.  Let ``M`` be a maximum matching of the current graph
``G`` (no augmenting path) and ``G'`` = ``G`` plus the course's new edges.  In the
residual network of ``M`` in ``G'`` (source -> free candidate, candidate -> position on a
non-matching edge, position -> candidate on a matching edge, position -> sink while the
position has room), every augmenting path uses only vertices that are both reachable from
the source and able to reach the sink; call them ``I``.  An optimum of ``G'`` that uses the
fewest new edges can be taken as ``M`` plus vertex-disjoint augmenting paths (an
alternating cycle or an even path only adds new edges; ``M`` has none), so it differs from
``M`` only inside ``I``.  Hence the problem restricted to ``I`` - candidates and positions of
``I``, the edges among them, each position's capacity reduced by the ``M`` placements
outside ``I`` - solved exactly (most placed, then score 1 per pair not needing the course:
fewest enrolments), gives the gain (its placed count minus ``M``'s placements inside
``I``) and a smallest set of inmates that must be trained to reach it.  If the sink is not
reachable at all the gain is 0 and nothing is solved.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, dijkstra, shortest_path

from .problem import Instance
from .rules import Frame, missing_certs, missing_skills
from .scoring import score_parts, total_score
from .solver import Solution, reoptimize, solve

I64 = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_INMATE_FIELDS = (
    "birth",
    "female",
    "convicted",
    "regime",
    "conditions",
    "release",
    "fitness",
    "review_valid",
    "disability",
    "pregnant",
    "consent_voluntary",
    "consent_private",
    "current_hours",
    "employed",
    "upcoming",
    "last_training",
    "skill_level",
    "has_cert",
    "wish",
    "risk",
    "flagged",
    "banned",
)


def take_inmates(f: Frame, idx: I64) -> Frame:
    """The frame restricted to the inmates ``idx``."""
    changes: dict[str, object] = {k: getattr(f, k)[idx] for k in _INMATE_FIELDS}
    changes["inmate_ids"] = tuple(f.inmate_ids[i] for i in idx.tolist())
    return dataclasses.replace(f, **changes)  # type: ignore[arg-type]


class Residual:
    """A maximum matching ``M`` of ``inst`` and its residual network, for local re-solves."""

    def __init__(self, inst: Instance, mate: I64) -> None:
        self.inst = inst
        n, m = inst.n_candidates, inst.n_positions
        self.n, self.m = n, m
        self.src, self.snk = n + m, n + m + 1
        self.mate = mate  # position per candidate, -1 when free
        self.used = np.bincount(mate[mate >= 0], minlength=m)
        ec, ep = inst.edge_cand, inst.edge_pos
        matched = mate[ec] == ep
        self.mate_edge = np.full(n, -1, dtype=np.int64)
        self.mate_edge[ec[matched]] = np.flatnonzero(matched)
        key = ec * m + ep
        self.key_order = np.argsort(key, kind="stable")
        self.key_sorted = key[self.key_order]
        free_c = np.flatnonzero(mate < 0)
        room = np.flatnonzero(self.used < inst.capacity)
        # arcs of the residual network of M in G (new edges are added per course)
        self.tail = np.concatenate((np.full(free_c.size, self.src), ec[~matched], n + ep[matched]))
        self.head = np.concatenate((free_c, n + ep[~matched], ec[matched]))
        self.tail = np.concatenate((self.tail, n + room))
        self.head = np.concatenate((self.head, np.full(room.size, self.snk)))

        # positions reachable from each position in the residual network of M in G:
        # p -> q when a candidate placed at p has an edge to q (dense closure, m x m)
        other = ~matched & (mate[ec] >= 0)
        step = csr_matrix(
            (np.ones(int(other.sum()), dtype=np.int8), (mate[ec[other]], ep[other])), shape=(m, m)
        )
        self.closure = np.isfinite(shortest_path(step, directed=True, unweighted=True))
        start = np.zeros(m, dtype=bool)
        start[ep[mate[ec] < 0]] = True  # positions a free candidate has an edge to
        self.from_src = self.closure[start].any(axis=0)
        has_room = self.used < inst.capacity
        self.to_room = self.closure[:, has_room].any(axis=1)

    def augmentable(self, new_c: I64, new_p: I64) -> bool:
        """Whether adding the edges ``(new_c, new_p)`` creates an augmenting path: on the
        position closure, a new edge of a free candidate, or of a candidate placed at a
        reachable position, makes its position reachable; repeat until nothing changes."""
        reach = self.from_src.copy()
        if not new_c.size:
            return bool((reach & self.to_room).any())
        free = self.mate[new_c] < 0
        at = np.maximum(self.mate[new_c], 0)
        used = np.zeros(new_c.size, dtype=bool)
        while True:
            now = ~used & (free | reach[at])
            if not now.any():
                break
            used |= now
            reach |= self.closure[np.unique(new_p[now])].any(axis=0)
        return bool((reach & self.to_room).any())

    @classmethod
    def of(cls, inst: Instance, sol: Solution | None = None) -> Residual:
        """From ``sol`` when it is a maximum matching (no augmenting path), else from an
        exact optimum of ``inst`` (``sol`` may have lost placements to R14 or R29):
        reached from ``sol`` by cancelling the few cycles that lost them, or solved."""
        if sol is not None:
            res = cls(inst, sol.position_of())
            if not res.augmentable(np.zeros(0, np.int64), np.zeros(0, np.int64)):
                return res
            best = reoptimize(inst, sol.chosen)
            if best is not None:
                return cls(inst, best.position_of())
        return cls(inst, solve(inst).position_of())

    def _graph(self, new_c: I64, new_p: I64) -> csr_matrix:
        size = self.n + self.m + 2
        tail = np.concatenate((self.tail, new_c))
        head = np.concatenate((self.head, self.n + new_p))
        return csr_matrix((np.ones(tail.size, dtype=np.int8), (tail, head)), shape=(size, size))

    def _sink_reachable(self, new_c: I64, new_p: I64) -> bool:
        reach = breadth_first_order(
            self._graph(new_c, new_p), self.src, directed=True, return_predecessors=False
        )
        return bool((reach == self.snk).any())


_OFF = 1e12  # cost of a residual arc that is currently absent (never on a real path)


def gain_and_users(res: Residual, new_c: I64, new_p: I64) -> tuple[int, I64, I64]:
    """Exact (extra placed, users' candidates, users' positions) when the edges
    ``(new_c, new_p)`` (pairs not in ``res.inst``) are added: users are the candidates
    placed through a new edge in an optimum that uses the fewest of them.

    Successive shortest augmenting paths from ``res``'s maximum matching with cost 1 per
    new edge (see the module docstring): each path by Dijkstra on reduced costs, which
    stay >= 0 with the potentials of the previous round."""
    empty = np.zeros(0, dtype=np.int64)
    if new_c.size == 0 or not res.augmentable(new_c, new_p):
        return 0, empty, empty
    n, m, inst = res.n, res.m, res.inst
    size = n + m + 2
    src, snk = res.src, res.snk
    n_old = inst.n_edges
    ec = np.concatenate((inst.edge_cand, new_c))
    ep = np.concatenate((inst.edge_pos, new_p))
    n_e = ec.size
    is_new = np.zeros(n_e, dtype=np.float64)
    is_new[n_old:] = 1.0
    # edge lookup by (candidate, position)
    old_order, old_sorted = res.key_order, res.key_sorted
    new_key = new_c * m + new_p
    new_order = np.argsort(new_key, kind="stable")
    new_sorted = new_key[new_order]

    def edge_of(c: int, p: int) -> int:
        k = c * m + p
        i = int(np.searchsorted(new_sorted, k))
        if i < new_sorted.size and new_sorted[i] == k:
            return n_old + int(new_order[i])
        return int(old_order[int(np.searchsorted(old_sorted, k))])

    # fixed arc layout: S->c (n), c->p (n_e), p->c (n_e), p->T (m); absent arcs cost _OFF
    tail = np.concatenate((np.full(n, src), ec, n + ep, n + np.arange(m)))
    head = np.concatenate((np.arange(n), n + ep, ec, np.full(m, snk)))
    cost = np.concatenate((np.zeros(n), is_new, -is_new, np.zeros(m)))
    perm = np.argsort(tail, kind="stable")
    indices = head[perm].astype(np.int32)
    indptr = np.concatenate(([0], np.cumsum(np.bincount(tail, minlength=size)))).astype(np.int32)
    tail_p, head_p, cost_p = tail[perm], head[perm], cost[perm]

    mate_e = res.mate_edge.copy()  # edge of each placed candidate, -1 when free
    room = inst.capacity - res.used
    pi = np.zeros(size)
    alive = np.ones(size, dtype=bool)  # unreachable nodes stay unreachable
    gain = 0
    while True:
        matched = np.zeros(n_e, dtype=bool)
        matched[mate_e[mate_e >= 0]] = True
        on = np.concatenate((mate_e < 0, ~matched, matched, room > 0))[perm]
        on &= alive[tail_p]
        data = np.where(on, cost_p + pi[tail_p] - pi[head_p], _OFF)
        g = csr_matrix((data, indices, indptr), shape=(size, size))
        dist, pred = dijkstra(g, directed=True, indices=src, return_predecessors=True)
        if not dist[snk] < _OFF / 2:
            break
        # augment along S -> c0 -> p0 -> c1 -> p1 ... -> pk -> T
        v = int(pred[snk])
        room[v - n] -= 1
        while v != src:
            c = int(pred[v])
            mate_e[c] = edge_of(c, v - n)
            v = int(pred[c])
        gain += 1
        alive = dist < _OFF / 2
        pi = np.where(alive, pi + np.where(alive, dist, 0.0), pi)
    used_new = np.flatnonzero(mate_e >= n_old)
    return gain, used_new, ep[mate_e[used_new]]


@dataclasses.dataclass(frozen=True, eq=False)
class Context:
    """What every course re-uses: the rules other than R12 and R12's missing counts."""

    other: BoolArray  # candidate & every pair rule except R12
    missing_skills: I64
    missing_certs: I64

    @classmethod
    def of(cls, prep: object) -> Context:
        from .explain import Prepared

        assert isinstance(prep, Prepared)
        other = np.repeat(prep.candidate[:, None], prep.frame.shape[1], axis=1)
        for r in prep.rules:
            if r.rule != "R12":
                other &= r.allowed
        return cls(other, missing_skills(prep.frame), missing_certs(prep.frame))


def newly_allowed(
    prep: object, course: object, ctx: Context | None = None
) -> tuple[I64, BoolArray]:
    """(beneficiaries, their pairs allowed only thanks to ``course`` and open after it)."""
    from .explain import Prepared
    from .problem import Course

    assert isinstance(prep, Prepared) and isinstance(course, Course)
    ctx = Context.of(prep) if ctx is None else ctx
    f = prep.frame
    end = course.end_date.toordinal()
    lacks = np.zeros(f.shape[0], dtype=bool)
    lacks_skill = lacks_cert = lacks
    if course.grants_skill:
        lacks_skill = f.skill_level[:, f.skill_vocab.index(course.grants_skill)] <= 0
        lacks = lacks | lacks_skill
    if course.grants_certificate:
        lacks_cert = ~f.has_cert[:, f.cert_vocab.index(course.grants_certificate)]
        lacks = lacks | lacks_cert
    ben = np.flatnonzero(prep.candidate & lacks & (f.release > end))
    if ben.size == 0:
        return ben, np.zeros((0, f.shape[1]), dtype=bool)
    # R12 is the only rule reading skills and certificates: update its missing counts
    ms = ctx.missing_skills[ben]
    mc = ctx.missing_certs[ben]
    if course.grants_skill:
        req = f.req_skill[:, f.skill_vocab.index(course.grants_skill)]
        ms = ms - (lacks_skill[ben][:, None] & req[None, :])
    if course.grants_certificate:
        req = f.req_cert[:, f.cert_vocab.index(course.grants_certificate)]
        mc = mc - (lacks_cert[ben][:, None] & req[None, :])
    r12 = (mc == 0) & ((ms == 0) | f.trainable[None, :])
    open_after = (f.end[None, :] >= end) & (
        np.maximum(f.start, end)[None, :] <= f.release[ben][:, None]
    )
    return ben, ctx.other[ben] & r12 & ~prep.allowed[ben] & open_after


def recommend(prep: object, inst: Instance, sol: Solution) -> list[object]:
    from .explain import Prepared, TrainingRecommendation

    assert isinstance(prep, Prepared)
    f = prep.frame
    problem = prep.problem
    res: Residual | None = None
    ctx: Context | None = None
    recs: list[TrainingRecommendation] = []
    as_of = f.as_of_ord
    for course in problem.courses:
        end = course.end_date.toordinal()
        if course.seats <= 0 or end < as_of:
            continue
        ctx = Context.of(prep) if ctx is None else ctx
        ben, new = newly_allowed(prep, course, ctx)
        bi, bj = np.nonzero(new)
        if bi.size == 0:
            continue
        res = Residual.of(inst, sol) if res is None else res
        gain, uc, up = gain_and_users(res, ben[bi], bj.astype(np.int64))
        if gain <= 0:
            continue
        upper = min(gain, course.seats)
        if uc.size <= course.seats:
            extra, chosen, exact = gain, uc, True
        else:
            # seats short: enrol `seats` of the users (best course-pair score first) and
            # re-solve; a true lower bound, exact when it meets the upper bound
            row = np.searchsorted(ben, uc)
            sub2 = _trained(take_inmates(f, ben[row]), course, f)
            score2 = total_score(score_parts(sub2))[np.arange(uc.size), up]
            order = np.lexsort((row, -score2))[: course.seats]
            keep = np.zeros(ben.size, dtype=bool)
            keep[row[order]] = True
            sel = keep[bi]
            extra, chosen, _ = gain_and_users(res, ben[bi[sel]], bj[sel].astype(np.int64))
            exact = extra == upper
        recs.append(
            TrainingRecommendation(
                course_id=course.id,
                trade=course.trade_code,
                seats=course.seats,
                end_date=course.end_date.isoformat(),
                extra_placements=int(extra),
                exact=bool(exact),
                upper_bound=int(upper),
                inmate_ids=sorted(f.inmate_ids[i] for i in chosen.tolist()),
            )
        )
    recs.sort(key=lambda r: (-r.extra_placements, r.course_id))
    return list(recs)


def _trained(sub: Frame, course: object, f: Frame) -> Frame:
    """``sub`` with the course's skill (level 1 at least) and certificate granted."""
    from .problem import Course

    assert isinstance(course, Course)
    level = sub.skill_level.copy()
    cert = sub.has_cert.copy()
    if course.grants_skill:
        k = f.skill_vocab.index(course.grants_skill)
        level[:, k] = np.maximum(level[:, k], 1)
    if course.grants_certificate:
        cert[:, f.cert_vocab.index(course.grants_certificate)] = True
    return dataclasses.replace(sub, skill_level=level, has_cert=cert)
