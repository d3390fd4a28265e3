"""The domain pipeline: rules -> scores -> exact solve (with R14) -> explained result.

``match(problem)`` is what the app calls for one institution; every result class has a
``to_dict()`` that is plain JSON.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from operator import attrgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from .problem import Instance, Problem
from .rules import (
    NO_DATE,
    Frame,
    RuleResult,
    evaluate,
    frame_of,
    medically_able,
    r1_able_to_work,
    voluntary_only,
)
from .scoring import PARTS, Preference, applied_on, earliness, preference, score_parts, total_score
from .separation import Caps, SeparationInfo, partners_by_group, solve_separated

I64 = npt.NDArray[np.int64]


def _as_dict(cls: type) -> Callable[[Any], dict[str, Any]]:
    """A fast ``asdict`` for a result class whose fields hold plain values (str, int,
    float, None): one C-level attribute fetch per object, no recursion, no deepcopy.
    Thousands of unplaced inmates go through it on every run."""
    names = tuple(f.name for f in fields(cls))
    values = attrgetter(*names)
    return lambda obj: dict(zip(names, values(obj), strict=True))


@dataclass(frozen=True)
class Proposal:
    inmate_id: str
    vacancy_id: str
    score: int
    score_parts: dict[str, int]
    # R31: the day the inmate applied for this vacancy or its trade (ISO), None otherwise
    applied: str | None = None


@dataclass(frozen=True)
class Barred:
    rule: str
    reason: str
    vacancies: int


@dataclass(frozen=True)
class Outscored:
    vacancy_id: str
    capacity: int
    taken: int
    lowest_placed_score: int | None
    own_score: int


@dataclass(frozen=True)
class Unplaced:
    inmate_id: str
    reason: str  # 'no_eligible_vacancy' | 'outscored' | 'not_able_to_work'
    barred_by: list[Barred] = field(default_factory=list)
    outscored_by: list[Outscored] = field(default_factory=list)


@dataclass(frozen=True)
class InstitutionSummary:
    institution: str
    held: int
    able_to_work: int
    employed: int  # R1 today: able to work, with a paid placement active today
    proposed: int
    # (employed + committed + proposed to somebody not committed) / able_to_work
    projected_rate: float | None
    projected_rate_all_held: float | None  # the same people placed / held
    target: float
    shortfall: int  # people still missing to reach the target after the proposals
    # (which new workshops would close it: matching.planner.close_shortfall, exact)
    # False when R14's search ran out of its node budget: the proposals are a valid
    # answer (every rule and R14 hold) but more placements may exist
    proven_optimal: bool = True
    # able to work, with an accepted paid placement that starts later: placed in the
    # projections, never proposed again, not employed today
    committed: int = 0


@dataclass(frozen=True)
class TrainingRecommendation:
    course_id: str
    trade: str
    seats: int
    end_date: str
    extra_placements: int
    exact: bool  # False when seats were fewer than beneficiaries and the bound is not met
    upper_bound: int
    inmate_ids: list[str]


@dataclass(frozen=True)
class MatchResult:
    as_of: str
    proposals: list[Proposal]
    unplaced: list[Unplaced]
    summary: InstitutionSummary
    training_recommendations: list[TrainingRecommendation]
    separation: SeparationInfo
    timings: dict[str, float]
    # R31: applicants among the candidates, placed where they applied, and whether the
    # order of application days is exact (see scoring.Preference)
    applications: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON, field by field as ``dataclasses.asdict`` would give it (same keys,
        same order, fresh containers) but built directly: ``asdict`` deep-copies every
        value, which cost 0.2-0.4 s for 2,000 inmates."""
        return {
            "as_of": self.as_of,
            "proposals": [
                {"inmate_id": p.inmate_id, "vacancy_id": p.vacancy_id, "score": p.score,
                 "score_parts": dict(p.score_parts), "applied": p.applied}
                for p in self.proposals
            ],
            "unplaced": [_unplaced_dict(u) for u in self.unplaced],
            "summary": _summary_fields(self.summary),
            "training_recommendations": [
                _recommendation_dict(r) for r in self.training_recommendations
            ],
            "separation": self.separation.to_dict(),
            "timings": dict(self.timings),
            "applications": dict(self.applications),
        }


_barred_dict = _as_dict(Barred)
_outscored_dict = _as_dict(Outscored)
_summary_fields = _as_dict(InstitutionSummary)
_recommendation_fields = _as_dict(TrainingRecommendation)


def _unplaced_dict(u: Unplaced) -> dict[str, Any]:
    return {"inmate_id": u.inmate_id, "reason": u.reason,
            "barred_by": [_barred_dict(b) for b in u.barred_by],
            "outscored_by": [_outscored_dict(o) for o in u.outscored_by]}


def _recommendation_dict(rec: TrainingRecommendation) -> dict[str, Any]:
    d = _recommendation_fields(rec)
    d["inmate_ids"] = list(rec.inmate_ids)
    return d


@dataclass(frozen=True, eq=False)
class Prepared:
    """Intermediate arrays of one run (the training step re-uses them)."""

    problem: Problem
    frame: Frame
    rules: list[RuleResult]
    candidate: npt.NDArray[np.bool_]  # able, not employed
    allowed: npt.NDArray[np.bool_]  # candidate & all rules
    parts: dict[str, I64]
    score: I64
    group: I64  # separation group per vacancy
    pairs: I64  # (k, 2) inmate index pairs to keep apart
    applied_on: I64  # (n, m) R31: day of the application covering the pair, NO_DATE if none
    preference: Preference  # R31: the solver's weights (the score when nobody applied)


def separation_groups(problem: Problem) -> I64:
    """R14's and R29's group of each vacancy: its (site, workplace, shift).  A vacancy
    without a workplace counts as the whole site (``policy.rules.same_workplace``), so
    where a site and shift has one, all its vacancies form one group: the safe reading
    (never two separated inmates, nor more flagged than the cap, where the law's relation
    could see them together; it may keep apart some the law would allow together)."""
    whole = {(v.site, v.shift) for v in problem.vacancies if v.workplace == ""}
    keys: dict[tuple[str, str, str], int] = {}
    return np.array(
        [keys.setdefault((v.site, "" if (v.site, v.shift) in whole else v.workplace, v.shift),
                         len(keys)) for v in problem.vacancies],
        dtype=np.int64,
    )


def caps_of(prep: Prepared) -> Caps | None:
    """R29: the room each group has for more flagged persons (the institution's cap less
    those already working there); None when no flagged candidate may work at all."""
    flagged = prep.frame.flagged & prep.candidate
    if not prep.allowed[flagged].any():
        return None
    there = np.bincount(prep.group, weights=[v.flagged_placed for v in prep.problem.vacancies],
                        minlength=int(prep.group.max(initial=-1)) + 1).astype(np.int64)
    return Caps(flagged, np.maximum(prep.problem.settings.scattered_cap - there, 0))


def separation_pairs(problem: Problem) -> I64:
    idx = {p.id: i for i, p in enumerate(problem.inmates)}
    out = set()
    for i, p in enumerate(problem.inmates):
        for other in p.separated_from:
            j = idx.get(other)
            if j is not None and j != i:
                out.add((min(i, j), max(i, j)))
    return np.array(sorted(out), dtype=np.int64).reshape(-1, 2)


def candidates(f: Frame, problem: Problem) -> npt.NDArray[np.bool_]:
    """Who may be proposed: able to work (R1); employed inmates only where a second paid
    placement is allowed (R9)."""
    return r1_able_to_work(f) & (~f.committed | (not problem.settings.one_paid_placement))


def people_needed(target_rate: object, able: int) -> int:
    """People employed among the able that the target requires (rounded up, exact)."""
    return math.ceil(Decimal(target_rate) * able)  # type: ignore[arg-type]


def prepare(problem: Problem) -> Prepared:
    f = frame_of(problem)
    allowed, results = evaluate(f)
    candidate = candidates(f, problem)
    allowed &= candidate[:, None]
    parts = score_parts(f)
    score = total_score(parts)
    days = applied_on(problem.inmates, problem.vacancies)
    applied = allowed & (days < NO_DATE)
    return Prepared(
        problem,
        f,
        results,
        candidate,
        allowed,
        parts,
        score,
        separation_groups(problem),
        separation_pairs(problem),
        days,
        preference(score, applied, earliness(days, applied), placeable(allowed, f)),
    )


def placeable(allowed: npt.NDArray[np.bool_], f: Frame) -> int:
    """At most this many placements in any plan: candidates with an allowed pair, and
    free positions of vacancies someone may take."""
    return min(int(allowed.any(axis=1).sum()),
               int(f.free_positions[allowed.any(axis=0)].clip(min=0).sum()))


def instance_of(
    prep: Prepared, allowed: npt.NDArray[np.bool_] | None = None, score: I64 | None = None
) -> Instance:
    a = prep.allowed if allowed is None else allowed
    s = prep.preference.weight if score is None else score
    ii, jj = np.nonzero(a)
    return Instance(
        prep.frame.inmate_ids,
        prep.frame.vacancy_ids,
        prep.frame.free_positions.copy(),
        ii.astype(np.int64),
        jj.astype(np.int64),
        s[ii, jj].astype(np.int64),
    )


def match(problem: Problem, *, with_training: bool = True) -> MatchResult:
    """Run the engine for one institution."""
    t0 = time.perf_counter()
    prep = prepare(problem)
    t1 = time.perf_counter()
    inst = instance_of(prep)
    pref = prep.preference
    units = () if pref.applied_unit == pref.early_unit else (pref.applied_unit, pref.early_unit)
    caps = caps_of(prep)
    sol, sep = solve_separated(inst, prep.group, prep.pairs, problem.settings.separation_max_nodes,
                               problem.settings.separation_seconds, caps, units)
    t2 = time.perf_counter()
    f = prep.frame
    n, m = f.shape
    pos = sol.position_of()

    proposals = _proposals(prep, pos)
    unplaced = _unplaced(prep, pos, caps)
    t3 = time.perf_counter()
    recs: list[TrainingRecommendation] = []
    if with_training:
        from .training import recommend

        recs = recommend(prep, inst, sol)
    t4 = time.perf_counter()
    summary = dataclasses.replace(_summary(prep, pos), proven_optimal=sep.exact)
    sep = _in_scores(sep, prep.preference)
    return MatchResult(
        as_of=problem.as_of.isoformat(),
        proposals=proposals,
        unplaced=unplaced,
        summary=summary,
        training_recommendations=recs,
        separation=sep,
        timings={
            "rules_and_scores": round(t1 - t0, 6),
            "solve": round(t2 - t1, 6),
            "explain": round(t3 - t2, 6),
            "training": round(t4 - t3, 6),
            "total": round(time.perf_counter() - t0, 6),
        },
        applications=_applications(prep, pos),
    )


def _in_scores(sep: SeparationInfo, pref: Preference) -> SeparationInfo:
    """The separation figures in scores: the solver saw R31's weights, whose lowest tier
    is the score (``Preference.parts``)."""
    if pref.applied_unit == pref.early_unit:
        return sep  # nobody applied: the weights are the scores
    def score(total: int) -> int:
        return total if total < 0 else pref.parts(total)[2]
    return dataclasses.replace(sep, score=score(sep.score),
                               score_unconstrained=score(sep.score_unconstrained),
                               upper_score=score(sep.upper_score) if sep.exact else -1)


def _applications(prep: Prepared, pos: I64) -> dict[str, Any]:
    """R31 in the run: candidates who applied for work they may take, those placed where
    they applied, and how exactly the order of application days was kept."""
    applied = prep.allowed & (prep.applied_on < NO_DATE)
    rows = np.flatnonzero(pos >= 0)
    pref = prep.preference
    return {
        "applicants": int(applied.any(axis=1).sum()),
        "placed_as_applied": int(applied[rows, pos[rows]].sum()),
        "date_levels": pref.levels,
        "dates_exact": pref.dates_exact,
        "applicants_exact": pref.applicants_exact,
    }


def _proposals(prep: Prepared, pos: I64) -> list[Proposal]:
    """One proposal per placed inmate; scores gathered per column with numpy, not
    element by element (a numpy scalar read costs as much as a whole row here)."""
    f = prep.frame
    rows = np.flatnonzero(pos >= 0)
    cols = pos[rows]
    scores = prep.score[rows, cols].tolist()
    parts = zip(*(prep.parts[p][rows, cols].tolist() for p in PARTS), strict=True)
    days = prep.applied_on[rows, cols].tolist()
    return [
        Proposal(f.inmate_ids[i], f.vacancy_ids[j], score, dict(zip(PARTS, values, strict=True)),
                 None if day >= NO_DATE else dt.date.fromordinal(day).isoformat())
        for i, j, score, values, day in zip(rows.tolist(), cols.tolist(), scores, parts, days,
                                            strict=True)
    ]


def _unplaced(prep: Prepared, pos: I64, caps: Caps | None = None) -> list[Unplaced]:
    f = prep.frame
    return _not_able(f) + _left_out(prep, pos, caps)


_R14_REASON = "kept apart from an inmate placed on the same site and shift"
_R29_REASON = "the workplace and shift already holds as many flagged persons as allowed"


def _not_able(f: Frame) -> list[Unplaced]:
    """Not able to work (and not employed): why."""
    m = f.shape[1]
    convicted = f.convicted.tolist()
    med = medically_able(f).tolist()
    vol = (voluntary_only(f) & ~f.consent_voluntary).tolist()
    out: list[Unplaced] = []
    for i in np.flatnonzero(~r1_able_to_work(f) & ~f.committed).tolist():
        why = []
        if not convicted[i]:
            why.append(Barred("R2", "remand detainee is never proposed", m))
        if not med[i]:
            why.append(Barred("R3", "medically unfit or fitness review expired", m))
        if vol[i]:
            why.append(Barred("R4", "voluntary-only group without consent", m))
        out.append(Unplaced(f.inmate_ids[i], "not_able_to_work", why))
    return out


def _left_out(prep: Prepared, pos: I64, caps: Caps | None = None) -> list[Unplaced]:
    """Able, not employed, not placed: the rules that bar every vacancy, or the five
    best vacancies that went to others.  Per-inmate figures are computed for all of
    them at once; the loop only assembles the records."""
    f = prep.frame
    m = f.shape[1]
    left = np.flatnonzero(prep.candidate & ~f.committed & (pos < 0))
    allowed = prep.allowed[left]
    n_elig = allowed.sum(axis=1).tolist()
    placed = np.flatnonzero(pos >= 0)
    taken = np.bincount(pos[placed], minlength=m)
    # indexing only the placed: with no vacancy at all there is no column to read
    lowest = np.full(m, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(lowest, pos[placed], prep.score[placed, pos[placed]])
    lowest_l = [None if t == 0 else low for t, low in zip(taken.tolist(), lowest.tolist(),
                                                          strict=True)]
    free_l, taken_l = f.free_positions.tolist(), taken.tolist()
    # a free position left at a vacancy whose group holds a separated partner: R14 kept
    # the inmate out there (counted only where a partner really is placed)
    near = partners_by_group(pos, prep.group, prep.pairs)
    free_room = taken < f.free_positions
    # R29: a free position whose group has no room for one more flagged person
    capped = (free_room & caps.full(pos, prep.group)[prep.group] if caps is not None
              else np.zeros(m, dtype=bool))
    n_cap = np.where(caps.flagged[left], (allowed & capped).sum(axis=1), 0).tolist() \
        if caps is not None else [0] * left.size
    # vacancies refused by each rule, per inmate (rules x left inmates)
    refused = np.stack([(~r.allowed[left]).sum(axis=1) for r in prep.rules]).T.tolist()
    # the five best allowed vacancies: stable sort on -score with the refused ones last
    score = prep.score[left]
    key = np.where(allowed, -score, np.iinfo(np.int64).max)
    best = np.argsort(key, axis=1, kind="stable")[:, :5]
    best_ok = np.take_along_axis(allowed, best, axis=1).tolist()
    best_score = np.take_along_axis(score, best, axis=1).tolist()
    out: list[Unplaced] = []
    for k, i in enumerate(left.tolist()):
        if n_elig[k] == 0:
            barred = [Barred(r.rule, r.reason, c)
                      for r, c in zip(prep.rules, refused[k], strict=True) if c > 0]
            barred.sort(key=lambda b: -b.vacancies)
            out.append(Unplaced(f.inmate_ids[i], "no_eligible_vacancy", barred))
            continue
        by = [Outscored(f.vacancy_ids[j], free_l[j], taken_l[j], lowest_l[j], own)
              for j, ok, own in zip(best[k].tolist(), best_ok[k], best_score[k], strict=True)
              if ok]
        groups = near.get(i)
        n_sep = (int((allowed[k] & free_room & np.isin(prep.group, list(groups))).sum())
                 if groups else 0)
        sep = [Barred("R14", _R14_REASON, n_sep)] if n_sep else []
        sep += [Barred("R29", _R29_REASON, n_cap[k])] if n_cap[k] else []
        out.append(Unplaced(f.inmate_ids[i], "outscored", sep, by))
    return out


def _summary(prep: Prepared, pos: I64) -> InstitutionSummary:
    f = prep.frame
    p = prep.problem
    s = p.settings
    able_mask = r1_able_to_work(f)
    able = int(able_mask.sum())
    # R1 as the app counts it: employed among the able, so the rate never passes 100%
    # (an unfit inmate at work is a violation, not progress towards the target).
    employed = int((f.employed & able_mask).sum())
    # committed: an accepted placement that starts later; not employed today (R1 counts
    # today only) but placed in every projection, as the proposal was before it was
    # accepted (accepting must not lower the projected rate)
    committed = int((f.upcoming & ~f.employed & able_mask).sum())
    proposed = int((pos >= 0).sum())
    # a second placement of somebody already at work employs nobody new
    newly = int(((pos >= 0) & ~f.committed).sum())
    placed = employed + committed + newly
    held = f.shape[0]
    need = people_needed(s.target_rate, able)
    return InstitutionSummary(
        institution=p.institution,
        held=held,
        able_to_work=able,
        employed=employed,
        committed=committed,
        proposed=proposed,
        projected_rate=None if able == 0 else round(placed / able, 6),
        # of all held, the same people placed (R1's employed, never one not able to work)
        projected_rate_all_held=None if held == 0 else round(placed / held, 6),
        target=float(s.target_rate),
        shortfall=max(0, need - placed),
    )
