"""R31: waiting lists and answers to applications, from the engine's own rules and result.

* :func:`waiting_list` orders the applicants to a course or a vacancy by the rule the
  engine applies (``scoring.Preference``): earlier application first, then the score, then
  the inmate id (a stable tie-break); the ineligible follow, with the rules that bar them.
  A vacancy's applicants are those who applied for it or for its trade (the engine prefers
  both alike).  Course eligibility is the training recommendations' (``training.py``):
  able to work and not committed to a paid placement, lacking what the course grants,
  released after it ends.
* :func:`answers` gives every open application its answer after a run: ``offered``,
  ``waiting`` (position N of M), ``not_eligible`` (the rules, and the course that would
  lift R12 where one does), ``outscored`` (by how much) or ``closed`` (the vacancy or the
  course is gone, full for good or ended).

Rule codes in ``reasons``/``rules``: the pair rules' (``R2``-``R13``, ``R28``, ``R30``),
``R1`` (not able to work), ``R9`` (already in a paid placement), ``R13`` for a course
that ends after release, ``R14``/``R29`` (separation or the scattered model's cap kept
the person out of a vacancy with room), ``qualified`` (already holds what a course grants).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .explain import MatchResult, Prepared, prepare
from .problem import Course, Problem
from .rules import NO_DATE
from .scoring import COURSE_KEY, TRADE_KEY, VACANCY_KEY, score_parts, total_score

I64 = npt.NDArray[np.int64]

KINDS = ("offered", "waiting", "not_eligible", "outscored", "closed")


@dataclass(frozen=True)
class WaitingPlace:
    inmate_id: str
    position: int | None  # 1-based among the eligible; None when not eligible
    applied_on: dt.date
    eligible: bool
    reasons: tuple[str, ...] = ()  # rule codes when not eligible
    score: int = 0  # the fit the order uses after the day (0 when not eligible)


@dataclass(frozen=True)
class Answer:
    kind: str  # one of KINDS
    rules: tuple[str, ...] = ()
    position: int | None = None  # on the waiting list of the vacancy or course
    of: int | None = None  # eligible applicants on that list
    score_gap: int | None = None  # outscored: lowest placed score minus own score
    helping_course_id: str | None = None  # a course that would make the person eligible

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "rules": list(self.rules), "position": self.position,
                "of": self.of, "score_gap": self.score_gap,
                "helping_course_id": self.helping_course_id}


# --- waiting lists ----------------------------------------------------------------------


def waiting_list(problem: Problem, target: str, prep: Prepared | None = None
                 ) -> list[WaitingPlace]:
    """The applicants to ``target`` ("course:<id>" or "vacancy:<id>"), eligible first in
    the engine's order, then the ineligible with their rules.  Unknown targets: empty."""
    prep = prepare(problem) if prep is None else prep
    if target.startswith(VACANCY_KEY):
        j = _index(prep.frame.vacancy_ids, target[len(VACANCY_KEY):])
        return [] if j is None else _vacancy_list(prep, j)
    if target.startswith(COURSE_KEY):
        course = _course(problem, target[len(COURSE_KEY):])
        return [] if course is None else _course_list(prep, course)
    return []


def _index(ids: tuple[str, ...], wanted: str) -> int | None:
    try:
        return ids.index(wanted)
    except ValueError:
        return None


def _course(problem: Problem, course_id: str) -> Course | None:
    return next((c for c in problem.courses if c.id == course_id), None)


def _ordered(ids: list[str], days: list[int], scores: list[int], ok: list[bool],
             reasons: list[tuple[str, ...]]) -> list[WaitingPlace]:
    """Eligible first (earlier day, higher score, id), then the ineligible (day, id)."""
    order = sorted(range(len(ids)), key=lambda k: (not ok[k], days[k],
                                                   -scores[k] if ok[k] else 0, ids[k]))
    out, rank = [], 0
    for k in order:
        rank += ok[k]
        out.append(WaitingPlace(ids[k], rank if ok[k] else None,
                                dt.date.fromordinal(days[k]), ok[k], reasons[k],
                                scores[k] if ok[k] else 0))
    return out


def _vacancy_list(prep: Prepared, j: int) -> list[WaitingPlace]:
    rows = np.flatnonzero(prep.applied_on[:, j] < NO_DATE)
    ids = [prep.frame.inmate_ids[i] for i in rows.tolist()]
    ok = prep.allowed[rows, j].tolist()
    reasons = [() if good else pair_rules(prep, i, j) for i, good in zip(rows.tolist(), ok,
                                                                         strict=True)]
    return _ordered(ids, prep.applied_on[rows, j].tolist(), prep.score[rows, j].tolist(),
                    ok, reasons)


def pair_rules(prep: Prepared, i: int, j: int) -> tuple[str, ...]:
    """Why inmate ``i`` may not take vacancy ``j``: the pair rules that refuse it, after
    R1 (not able to work) and R9 (already committed to a paid placement)."""
    person = person_rules(prep, i)
    return person + tuple(r.rule for r in prep.rules if not r.allowed[i, j]
                          and r.rule not in ("R2", "R4", *person))


def person_rules(prep: Prepared, i: int) -> tuple[str, ...]:
    """Why inmate ``i`` is no candidate at all (empty when a candidate)."""
    if prep.candidate[i]:
        return ()
    return ("R9",) if prep.frame.committed[i] else ("R1",)


def _course_list(prep: Prepared, course: Course) -> list[WaitingPlace]:
    key = COURSE_KEY + course.id
    rows = [i for i, p in enumerate(prep.problem.inmates) if key in p.applications]
    idx = np.array(rows, dtype=np.int64)
    ok, reasons = course_eligibility(prep, course, idx)
    days = [prep.problem.inmates[i].applications[key].toordinal() for i in rows]
    return _ordered([prep.frame.inmate_ids[i] for i in rows], days,
                    course_scores(prep, course, idx).tolist(), ok, reasons)


def course_eligibility(prep: Prepared, course: Course, idx: I64
                       ) -> tuple[list[bool], list[tuple[str, ...]]]:
    """As ``training.newly_allowed`` judges beneficiaries: a candidate (R1, R9), lacking
    what the course grants, released after the course ends (R13)."""
    f = prep.frame
    lacks = np.zeros(idx.size, dtype=bool)
    if course.grants_skill and course.grants_skill in f.skill_vocab:
        lacks |= f.skill_level[idx, f.skill_vocab.index(course.grants_skill)] <= 0
    elif course.grants_skill:
        lacks[:] = True
    if course.grants_certificate and course.grants_certificate in f.cert_vocab:
        lacks |= ~f.has_cert[idx, f.cert_vocab.index(course.grants_certificate)]
    elif course.grants_certificate:
        lacks[:] = True
    released_after = f.release[idx] > course.end_date.toordinal()
    ok, reasons = [], []
    for k, i in enumerate(idx.tolist()):
        why = person_rules(prep, i)
        why += () if released_after[k] else ("R13",)
        why += () if lacks[k] else ("qualified",)
        ok.append(not why)
        reasons.append(why)
    return ok, reasons


def course_scores(prep: Prepared, course: Course, idx: I64) -> I64:
    """The best score each would have, once trained, on a vacancy of the course's trade
    that they may take today apart from R12 (0 when there is none)."""
    from .training import Context, _trained, take_inmates

    f = prep.frame
    cols = np.array([t == course.trade_code for t in _trades(prep)], dtype=bool)
    if idx.size == 0 or not cols.any():
        return np.zeros(idx.size, dtype=np.int64)
    score = total_score(score_parts(_trained(take_inmates(f, idx), course, f)))
    open_pairs = Context.of(prep).other[idx] & cols[None, :]
    return np.where(open_pairs, score, 0).max(axis=1)


def _trades(prep: Prepared) -> list[str]:
    return [v.trade_code for v in prep.problem.vacancies]


# --- answers ----------------------------------------------------------------------------


def answers(problem: Problem, result: MatchResult, prep: Prepared | None = None
            ) -> dict[tuple[str, str], Answer]:
    """Every open application of ``problem``'s inmates answered from ``result`` (the run
    of the same problem): keyed (inmate id, application key)."""
    prep = prepare(problem) if prep is None else prep
    ctx = _Run(prep, result)
    out: dict[tuple[str, str], Answer] = {}
    for i, person in enumerate(problem.inmates):
        for key in person.applications:
            out[(person.id, key)] = ctx.answer(i, key)
    return out


class _Run:
    """One run's facts the answers read: placements, who took what, lists, courses."""

    def __init__(self, prep: Prepared, result: MatchResult) -> None:
        f = prep.frame
        self.prep = prep
        vcol = {v: j for j, v in enumerate(f.vacancy_ids)}
        row = {p: i for i, p in enumerate(f.inmate_ids)}
        self.pos = np.full(f.shape[0], -1, dtype=np.int64)
        for p in result.proposals:
            self.pos[row[p.inmate_id]] = vcol[p.vacancy_id]
        placed = np.flatnonzero(self.pos >= 0)
        self.taken = np.bincount(self.pos[placed], minlength=f.shape[1])
        self.lowest = np.full(f.shape[1], np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(self.lowest, self.pos[placed], prep.score[placed, self.pos[placed]])
        self.kept_out = {u.inmate_id: tuple(b.rule for b in u.barred_by
                                           if b.rule in ("R14", "R29"))
                         for u in result.unplaced}
        self.trained = {(i, r.course_id) for r in result.training_recommendations
                        for i in r.inmate_ids}
        self.open = (f.free_positions > 0) & (f.end >= f.as_of_ord)
        self.lists: dict[str, dict[str, WaitingPlace]] = {}
        self.helping: dict[tuple[int, int], str] | None = None

    def answer(self, i: int, key: str) -> Answer:
        if key.startswith(VACANCY_KEY):
            j = _index(self.prep.frame.vacancy_ids, key[len(VACANCY_KEY):])
            return Answer("closed") if j is None else self._vacancies(i, key, [j])
        if key.startswith(TRADE_KEY):
            trade = key[len(TRADE_KEY):]
            cols = [j for j, t in enumerate(_trades(self.prep)) if t == trade]
            return self._vacancies(i, key, cols)
        if key.startswith(COURSE_KEY):
            return self._course(i, key)
        return Answer("closed")

    def _place(self, key: str, i: int) -> tuple[int | None, int | None]:
        if key not in self.lists:
            ranked = waiting_list(self.prep.problem, key, self.prep)
            self.lists[key] = {w.inmate_id: w for w in ranked}
        places = self.lists[key]
        mine = places.get(self.prep.frame.inmate_ids[i])
        of = sum(w.eligible for w in places.values())
        return (mine.position if mine else None), of

    def _vacancies(self, i: int, key: str, cols: list[int]) -> Answer:
        """A vacancy (one column) or a trade (its vacancies)."""
        cols = [j for j in cols if self.open[j]]
        if not cols:
            return Answer("closed")
        if self.pos[i] in cols:
            return Answer("offered")
        ok = [j for j in cols if self.prep.allowed[i, j]]
        list_key = key if len(cols) == 1 and key.startswith(VACANCY_KEY) else None
        position, of = self._place(list_key, i) if list_key else (None, None)
        if not ok:
            rules = sorted({r for j in cols for r in pair_rules(self.prep, i, j)},
                           key=_rule_order)
            return Answer("not_eligible", tuple(rules),
                          helping_course_id=self._helping(i, cols))
        full = [j for j in ok if self.taken[j] >= self.prep.frame.free_positions[j]]
        kept = self.kept_out.get(self.prep.frame.inmate_ids[i], ())
        if full and len(full) == len(ok):
            gap = min(int(self.lowest[j]) - int(self.prep.score[i, j]) for j in full)
            return Answer("outscored", kept, position, of, max(gap, 0))
        return Answer("waiting", kept, position, of)

    def _course(self, i: int, key: str) -> Answer:
        course = _course(self.prep.problem, key[len(COURSE_KEY):])
        as_of = self.prep.frame.as_of_ord
        if course is None or course.seats <= 0 or course.end_date.toordinal() < as_of:
            return Answer("closed")
        if (self.prep.frame.inmate_ids[i], course.id) in self.trained:
            return Answer("offered")
        position, of = self._place(key, i)
        if position is None:
            mine = self.lists[key][self.prep.frame.inmate_ids[i]]
            return Answer("not_eligible", mine.reasons, None, of)
        return Answer("waiting", (), position, of)

    def _helping(self, i: int, cols: list[int]) -> str | None:
        """The first course (in the problem's order) after which the inmate may take one
        of ``cols``: only R12 can change by training (``training.newly_allowed``)."""
        if self.helping is None:
            from .training import Context, newly_allowed

            self.helping = {}
            ctx = Context.of(self.prep)
            for course in self.prep.problem.courses:
                if course.seats <= 0 or course.end_date.toordinal() < self.prep.frame.as_of_ord:
                    continue
                ben, new = newly_allowed(self.prep, course, ctx)
                for b, j in zip(*np.nonzero(new), strict=True):
                    self.helping.setdefault((int(ben[b]), int(j)), course.id)
        return next((self.helping[(i, j)] for j in cols if (i, j) in self.helping), None)


def _rule_order(code: str) -> tuple[int, str]:
    return (int(code[1:]), code) if code[1:].isdigit() else (1000, code)
