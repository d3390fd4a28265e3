"""Training recommendations: which course would make more inmates placeable.

For each course (not yet ended, with seats):

* beneficiaries: candidates (able, not employed) who lack what the course grants and whose
  release date is after the course's end (R13: a course ends before release);
* they are given the skill/certificate; their pairs are re-checked with every rule, and a
  pair that becomes allowed only thanks to the course must also still be open after the
  course ends (vacancy end, release date);
* the instance is re-solved exactly; the gain is the extra number placed.

Seats: if the new optimum uses the course for at most ``seats`` inmates the gain is exact.
Otherwise the ``seats`` best-scored of them are enrolled and the instance re-solved: that
gain is a true lower bound, ``min(unlimited gain, seats)`` an upper bound; ``exact`` says
whether they meet.  R14 is not applied in these re-solves (both sides of the comparison
ignore it, so the gain is like for like).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

from .problem import Instance
from .rules import Frame, evaluate
from .scoring import score_parts, total_score
from .solver import Solution, max_placed, solve

I64 = npt.NDArray[np.int64]

_INMATE_FIELDS = (
    "age_months",
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
    "last_training",
    "skill_level",
    "has_cert",
    "wish",
)


def take_inmates(f: Frame, idx: I64) -> Frame:
    """The frame restricted to the inmates ``idx``."""
    changes: dict[str, object] = {k: getattr(f, k)[idx] for k in _INMATE_FIELDS}
    changes["inmate_ids"] = tuple(f.inmate_ids[i] for i in idx.tolist())
    return dataclasses.replace(f, **changes)  # type: ignore[arg-type]


def recommend(prep: object, inst: Instance, sol: Solution) -> list[object]:
    from .explain import Prepared, TrainingRecommendation

    assert isinstance(prep, Prepared)
    f = prep.frame
    problem = prep.problem
    base_placed = -1
    recs: list[TrainingRecommendation] = []
    as_of = f.as_of_ord
    for course in problem.courses:
        end = course.end_date.toordinal()
        if course.seats <= 0 or end < as_of:
            continue
        lacks = np.zeros(f.shape[0], dtype=bool)
        sk = ce = -1
        if course.grants_skill:
            sk = f.skill_vocab.index(course.grants_skill)
            lacks |= f.skill_level[:, sk] <= 0
        if course.grants_certificate:
            ce = f.cert_vocab.index(course.grants_certificate)
            lacks |= ~f.has_cert[:, ce]
        ben = np.flatnonzero(prep.candidate & lacks & (f.release > end))
        if ben.size == 0:
            continue
        sub = take_inmates(f, ben)
        level = sub.skill_level.copy()
        cert = sub.has_cert.copy()
        if sk >= 0:
            level[:, sk] = np.maximum(level[:, sk], 1)
        if ce >= 0:
            cert[:, ce] = True
        sub2 = dataclasses.replace(sub, skill_level=level, has_cert=cert)
        allowed2, _ = evaluate(sub2)
        old = prep.allowed[ben]
        open_after = (f.end[None, :] >= end) & (
            np.maximum(f.start, end)[None, :] <= sub.release[:, None]
        )
        new = allowed2 & ~old & open_after
        if not new.any():
            continue
        # 1) gain with every beneficiary trained: a maximum flow, cheap
        base_placed = max_placed(inst) if base_placed < 0 else base_placed
        gain = max_placed(_replace_rows(inst, ben, old | new, None)) - base_placed
        if gain <= 0:
            continue
        # 2) fewest enrolments achieving it: exact solve with score 1 on pairs that need
        #    no course and 0 on pairs that do (max placed, then fewest course pairs)
        ones = (~new).astype(np.int64)
        inst01 = _replace_rows(inst, ben, old | new, ones, other_score=1)
        users = _users(solve(inst01), ben, new)
        upper = min(gain, course.seats)
        if len(users) <= course.seats:
            extra, chosen, exact = gain, users, True
        else:
            # 3) seats short: enrol `seats` of them (best course-pair score first) and
            #    re-solve; a true lower bound, exact when it meets the upper bound
            score2 = total_score(score_parts(sub2))
            users.sort(key=lambda u: (-int(score2[u[0], u[1]]), u[0]))
            keep = np.zeros(ben.size, dtype=bool)
            keep[[k for k, _ in users[: course.seats]]] = True
            new_k = new & keep[:, None]
            extra = max_placed(_replace_rows(inst, ben, old | new_k, None)) - base_placed
            inst01k = _replace_rows(inst, ben, old | new_k, (~new_k).astype(np.int64), 1)
            chosen = _users(solve(inst01k), ben, new_k)
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
                inmate_ids=sorted(f.inmate_ids[ben[k]] for k, _ in chosen),
            )
        )
    recs.sort(key=lambda r: (-r.extra_placements, r.course_id))
    return list(recs)


def _replace_rows(
    inst: Instance,
    ben: I64,
    rows_allowed: npt.NDArray[np.bool_],
    rows_score: I64 | None,
    other_score: int | None = None,
) -> Instance:
    """``inst`` with the beneficiaries' pairs replaced by ``rows_allowed``."""
    is_ben = np.zeros(inst.n_candidates, dtype=bool)
    is_ben[ben] = True
    keep = ~is_ben[inst.edge_cand]
    bi, bj = np.nonzero(rows_allowed)
    other = inst.edge_score[keep] if other_score is None else np.full(int(keep.sum()), other_score)
    mine = np.zeros(bi.size, dtype=np.int64) if rows_score is None else rows_score[bi, bj]
    return Instance(
        inst.candidates,
        inst.positions,
        inst.capacity,
        np.concatenate((inst.edge_cand[keep], ben[bi])),
        np.concatenate((inst.edge_pos[keep], bj.astype(np.int64))),
        np.concatenate((other.astype(np.int64), mine.astype(np.int64))),
    )


def _users(sol: Solution, ben: I64, rows_new: npt.NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(beneficiary row, vacancy) placed through a pair that needs the course."""
    p_ben = sol.position_of()[ben]
    return [
        (k, int(p_ben[k])) for k in np.flatnonzero(p_ben >= 0).tolist() if rows_new[k, p_ben[k]]
    ]
