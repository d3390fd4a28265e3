"""The domain pipeline: rules -> scores -> exact solve (with R14) -> explained result.

``match(problem)`` is what the app calls for one institution; every result class has a
``to_dict()`` that is plain JSON.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .problem import Instance, Problem
from .rules import (
    Frame,
    RuleResult,
    evaluate,
    frame_of,
    medically_able,
    r1_able_to_work,
    voluntary_only,
)
from .scoring import PARTS, score_parts, total_score
from .separation import SeparationInfo, solve_separated

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Proposal:
    inmate_id: str
    vacancy_id: str
    score: int
    score_parts: dict[str, int]


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
    employed: int
    proposed: int
    projected_rate: float | None  # (employed + proposed) / able_to_work
    projected_rate_all_held: float | None
    target: float
    shortfall: int  # people still missing to reach the target after the proposals
    positions_needed_by_trade: dict[str, int]
    shortfall_not_closable: int  # people no extra position in a known trade would place


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

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["separation"] = self.separation.to_dict()
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


def separation_groups(problem: Problem) -> I64:
    keys: dict[tuple[str, str, str], int] = {}
    return np.array(
        [keys.setdefault((v.site, v.workplace, v.shift), len(keys)) for v in problem.vacancies],
        dtype=np.int64,
    )


def separation_pairs(problem: Problem) -> I64:
    idx = {p.id: i for i, p in enumerate(problem.inmates)}
    out = set()
    for i, p in enumerate(problem.inmates):
        for other in p.separated_from:
            j = idx.get(other)
            if j is not None and j != i:
                out.add((min(i, j), max(i, j)))
    return np.array(sorted(out), dtype=np.int64).reshape(-1, 2)


def prepare(problem: Problem) -> Prepared:
    f = frame_of(problem)
    allowed, results = evaluate(f)
    candidate = r1_able_to_work(f) & ~f.employed
    allowed &= candidate[:, None]
    parts = score_parts(f)
    return Prepared(
        problem,
        f,
        results,
        candidate,
        allowed,
        parts,
        total_score(parts),
        separation_groups(problem),
        separation_pairs(problem),
    )


def instance_of(
    prep: Prepared, allowed: npt.NDArray[np.bool_] | None = None, score: I64 | None = None
) -> Instance:
    a = prep.allowed if allowed is None else allowed
    s = prep.score if score is None else score
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
    sol, sep = solve_separated(inst, prep.group, prep.pairs, problem.settings.separation_max_nodes)
    t2 = time.perf_counter()
    f = prep.frame
    n, m = f.shape
    pos = sol.position_of()

    proposals = [
        Proposal(
            f.inmate_ids[i],
            f.vacancy_ids[pos[i]],
            int(prep.score[i, pos[i]]),
            {p: int(prep.parts[p][i, pos[i]]) for p in PARTS},
        )
        for i in np.flatnonzero(pos >= 0).tolist()
    ]
    unplaced = _unplaced(prep, pos)
    t3 = time.perf_counter()
    recs: list[TrainingRecommendation] = []
    if with_training:
        from .training import recommend

        recs = recommend(prep, inst, sol)
    t4 = time.perf_counter()
    summary = _summary(prep, pos, unplaced)
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
    )


def _unplaced(prep: Prepared, pos: I64) -> list[Unplaced]:
    f = prep.frame
    n, m = f.shape
    able = r1_able_to_work(f)
    out: list[Unplaced] = []
    # not able to work (and not employed): why
    vol = voluntary_only(f) & ~f.consent_voluntary
    med = medically_able(f)
    for i in np.flatnonzero(~able & ~f.employed).tolist():
        why = []
        if not f.convicted[i]:
            why.append(Barred("R2", "remand detainee is never proposed", m))
        if not med[i]:
            why.append(Barred("R3", "medically unfit or fitness review expired", m))
        if vol[i]:
            why.append(Barred("R4", "voluntary-only group without consent", m))
        out.append(Unplaced(f.inmate_ids[i], "not_able_to_work", why))
    # able, not employed, not placed
    left = prep.candidate & (pos < 0)
    n_elig = prep.allowed.sum(axis=1)
    taken = np.bincount(pos[pos >= 0], minlength=m)
    placed_score = np.where(pos >= 0, prep.score[np.arange(n), np.maximum(pos, 0)], 0)
    lowest = np.full(m, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(lowest, pos[pos >= 0], placed_score[pos >= 0])
    refused = np.stack([~r.allowed for r in prep.rules])  # (rules, n, m)
    for i in np.flatnonzero(left).tolist():
        if n_elig[i] == 0:
            counts = refused[:, i, :].sum(axis=1)
            barred = [
                Barred(r.rule, r.reason, int(c))
                for r, c in zip(prep.rules, counts.tolist(), strict=False)
                if c > 0
            ]
            barred.sort(key=lambda b: -b.vacancies)
            out.append(Unplaced(f.inmate_ids[i], "no_eligible_vacancy", barred))
        else:
            js = np.flatnonzero(prep.allowed[i])
            js = js[np.argsort(-prep.score[i, js], kind="stable")][:5]
            by = [
                Outscored(
                    f.vacancy_ids[j],
                    int(f.free_positions[j]),
                    int(taken[j]),
                    None if taken[j] == 0 else int(lowest[j]),
                    int(prep.score[i, j]),
                )
                for j in js.tolist()
            ]
            # a free position left among its vacancies: only R14 kept the inmate out
            free = np.flatnonzero(prep.allowed[i] & (taken < f.free_positions))
            sep = (
                [
                    Barred(
                        "R14",
                        "kept apart from an inmate placed on the same site and shift",
                        int(free.size),
                    )
                ]
                if free.size
                else []
            )
            out.append(Unplaced(f.inmate_ids[i], "outscored", sep, by))
    return out


def _summary(prep: Prepared, pos: I64, unplaced: list[Unplaced]) -> InstitutionSummary:
    f = prep.frame
    p = prep.problem
    s = p.settings
    able = int(r1_able_to_work(f).sum())
    employed = int(f.employed.sum())
    proposed = int((pos >= 0).sum())
    held = f.shape[0]
    need = math.ceil(s.target_rate * able - 1e-9)
    shortfall = max(0, need - employed - proposed)
    # what would close it: one more position of a trade places an unplaced inmate who is
    # eligible for a full vacancy of that trade (outscored) - counted first, by the trade
    # of the inmate's best vacancy; then inmates with no eligible vacancy, by the trade
    # they wish (else their best skill).  Guidance, not an optimum.
    vac_trade = {v.id: v.trade_code for v in p.vacancies}
    by_inmate = {q.id: q for q in p.inmates}
    outscored: Counter[str] = Counter()
    no_vac: Counter[str] = Counter()
    for u in unplaced:
        if u.reason == "outscored" and u.outscored_by:
            outscored[vac_trade[u.outscored_by[0].vacancy_id]] += 1
        elif u.reason == "no_eligible_vacancy":
            q = by_inmate[u.inmate_id]
            trade = (
                min(q.trade_wishes)
                if q.trade_wishes
                else (max(q.skills, key=lambda k: (q.skills[k], k)) if q.skills else None)
            )
            if trade is not None:
                no_vac[trade] += 1
    needed: Counter[str] = Counter()
    left = shortfall
    for counter in (outscored, no_vac):
        for trade, c in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
            take = min(c, left)
            if take > 0:
                needed[trade] += take
                left -= take
    return InstitutionSummary(
        institution=p.institution,
        held=held,
        able_to_work=able,
        employed=employed,
        proposed=proposed,
        projected_rate=None if able == 0 else round((employed + proposed) / able, 6),
        projected_rate_all_held=None if held == 0 else round((employed + proposed) / held, 6),
        target=s.target_rate,
        shortfall=shortfall,
        positions_needed_by_trade=dict(needed),
        shortfall_not_closable=left,
    )
