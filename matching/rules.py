"""Eligibility rules R1-R13, R28 and R30 of DOMAIN.md, vectorised over all inmate x vacancy
pairs.

Each ``rN_*`` function takes a :class:`Frame` (the problem as numpy columns) and returns a
:class:`RuleResult` whose ``allowed`` is an ``(n_inmates, n_vacancies)`` boolean matrix.
R14 (separation) concerns pairs of inmates and R29 (the scattered model's cap) groups of
them: both are enforced by ``separation.py``.
:func:`check_pair` runs the same functions on one inmate and one vacancy, so the app can
re-check a proposal at accept time with the very same code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from policy import rules as law

from .lawops import NO_DATE, NUMPY
from .problem import (
    CONSENT_PRIVATE,
    CONSENT_VOLUNTARY,
    PRIVATE_EMPLOYER_KINDS,
    Inmate,
    Problem,
    Settings,
    Vacancy,
)

BoolArray = npt.NDArray[np.bool_]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Frame:
    """The problem as numpy columns (one row per inmate, one per vacancy)."""

    settings: Settings
    as_of: dt.date
    institution_is_juvenile: bool
    inmate_ids: tuple[str, ...]
    vacancy_ids: tuple[str, ...]
    # inmates
    birth: I64  # ordinal
    female: BoolArray
    convicted: BoolArray
    regime: npt.NDArray[np.str_]
    conditions: npt.NDArray[np.str_]
    release: I64  # ordinal, NO_DATE when none
    fitness: npt.NDArray[np.str_]
    review_valid: BoolArray
    disability: I64  # 0 = none
    pregnant: BoolArray
    consent_voluntary: BoolArray
    consent_private: BoolArray
    current_hours: I64
    employed: BoolArray
    upcoming: BoolArray
    last_training: I64  # ordinal, -1 when none
    skill_level: I64  # (n, k) levels 0..3 over the skill vocabulary
    has_cert: BoolArray  # (n, kc) over the certificate vocabulary
    wish: BoolArray  # (n, k) trade wishes over the skill vocabulary
    risk: I64  # R28: index on Settings.risk_levels, UNASSESSED when none
    flagged: BoolArray  # R29
    banned: BoolArray  # (n, m) R30: a court ban of the inmate covers the vacancy's trade
    # vacancies
    private: BoolArray
    outside: BoolArray
    free_positions: I64
    hours: I64
    heavy: BoolArray
    women_barred: BoolArray
    req_skill: BoolArray  # (m, k)
    req_cert: BoolArray  # (m, kc)
    trainable: BoolArray
    start: I64
    end: I64  # NO_DATE when none
    wage: I64
    needs_long_stay: BoolArray
    trade_skill: I64  # index of the trade code in the skill vocabulary
    trade_cert: I64  # index of the trade code in the certificate vocabulary
    shift: tuple[str, ...]
    site: tuple[str, ...]
    max_risk: I64  # R28: index of the highest level the vacancy may take
    skill_vocab: tuple[str, ...]
    cert_vocab: tuple[str, ...]

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.inmate_ids), len(self.vacancy_ids))

    @property
    def as_of_ord(self) -> int:
        return self.as_of.toordinal()

    def effective_start(self) -> I64:
        """A vacancy whose start date has passed starts on ``as_of``."""
        return np.maximum(self.start, self.as_of_ord)

    @property
    def committed(self) -> BoolArray:
        """Holds a paid placement now or accepted to start later (R9's one at a time)."""
        return self.employed | self.upcoming

    def hours_total(self) -> I64:
        return self.current_hours[:, None] + self.hours[None, :]


def _ord(d: dt.date | None, default: int) -> int:
    return default if d is None else d.toordinal()


def build_frame(
    inmates: Sequence[Inmate],
    vacancies: Sequence[Vacancy],
    settings: Settings,
    as_of: dt.date,
    institution_is_juvenile: bool = False,
    extra_skills: Sequence[str] = (),
    extra_certs: Sequence[str] = (),
) -> Frame:
    skills: dict[str, int] = {}
    certs: dict[str, int] = {}

    def sk(code: str) -> int:
        return skills.setdefault(code, len(skills))

    def ce(code: str) -> int:
        return certs.setdefault(code, len(certs))

    for code in extra_skills:
        sk(code)
    for code in extra_certs:
        ce(code)
    trade_skill = np.array([sk(v.trade_code) for v in vacancies], dtype=np.int64)
    trade_cert = np.array([ce(v.trade_code) for v in vacancies], dtype=np.int64)
    rs_i: list[int] = []
    rs_j: list[int] = []
    rc_i: list[int] = []
    rc_j: list[int] = []
    for j, v in enumerate(vacancies):
        for code in v.required_skills:
            rs_i.append(j)
            rs_j.append(sk(code))
        for code in v.required_certificates:
            rc_i.append(j)
            rc_j.append(ce(code))
    sl_i: list[int] = []
    sl_j: list[int] = []
    sl_v: list[int] = []
    hc_i: list[int] = []
    hc_j: list[int] = []
    w_i: list[int] = []
    w_j: list[int] = []
    for i, p in enumerate(inmates):
        for code, level in p.skills.items():
            sl_i.append(i)
            sl_j.append(sk(code))
            sl_v.append(int(level))
        for code in p.certificates:
            hc_i.append(i)
            hc_j.append(ce(code))
        for code in p.trade_wishes:
            w_i.append(i)
            w_j.append(sk(code))
    n, m, k, kc = len(inmates), len(vacancies), len(skills), len(certs)
    banned = _banned_pairs(inmates, vacancies)
    skill_level = np.zeros((n, k), dtype=np.int64)
    skill_level[sl_i, sl_j] = np.clip(sl_v, 0, 3) if sl_v else sl_v
    has_cert = np.zeros((n, kc), dtype=bool)
    has_cert[hc_i, hc_j] = True
    wish = np.zeros((n, k), dtype=bool)
    wish[w_i, w_j] = True
    req_skill = np.zeros((m, k), dtype=bool)
    req_skill[rs_i, rs_j] = True
    req_cert = np.zeros((m, kc), dtype=bool)
    req_cert[rc_i, rc_j] = True

    a = as_of.toordinal()

    def col(values: list[object], dtype: npt.DTypeLike) -> npt.NDArray[np.generic]:
        return np.array(values, dtype=dtype)

    return Frame(
        settings=settings,
        as_of=as_of,
        institution_is_juvenile=institution_is_juvenile,
        inmate_ids=tuple(p.id for p in inmates),
        vacancy_ids=tuple(v.id for v in vacancies),
        birth=col([p.birth_date.toordinal() for p in inmates], np.int64),
        female=col([p.sex == "female" for p in inmates], bool),
        convicted=col([p.legal_status == "convicted" for p in inmates], bool),
        regime=col([p.regime for p in inmates], str),
        conditions=col([p.conditions for p in inmates], str),
        release=col([_ord(p.release_date, NO_DATE) for p in inmates], np.int64),
        fitness=col([p.fitness for p in inmates], str),
        review_valid=col(
            [
                p.fitness_review_date is None or p.fitness_review_date.toordinal() >= a
                for p in inmates
            ],
            bool,
        ),
        disability=col([p.disability_group or 0 for p in inmates], np.int64),
        pregnant=col([bool(p.pregnant) for p in inmates], bool),
        consent_voluntary=col([CONSENT_VOLUNTARY in p.consents for p in inmates], bool),
        consent_private=col([CONSENT_PRIVATE in p.consents for p in inmates], bool),
        current_hours=col([int(p.current_weekly_hours) for p in inmates], np.int64),
        employed=col([bool(p.employed) for p in inmates], bool),
        upcoming=col([bool(p.upcoming_paid) for p in inmates], bool),
        last_training=col([_ord(p.last_training_end, -1) for p in inmates], np.int64),
        skill_level=skill_level,
        has_cert=has_cert,
        wish=wish,
        risk=col([int(p.risk_level) for p in inmates], np.int64),
        flagged=col([bool(p.flagged) for p in inmates], bool),
        banned=banned,
        private=col([v.employer_kind in PRIVATE_EMPLOYER_KINDS for v in vacancies], bool),
        outside=col([v.site == "outside" for v in vacancies], bool),
        free_positions=col([int(v.free_positions) for v in vacancies], np.int64),
        hours=col([int(v.weekly_hours) for v in vacancies], np.int64),
        heavy=col([bool(v.heavy_or_hazardous) for v in vacancies], bool),
        women_barred=col([bool(v.women_barred) for v in vacancies], bool),
        req_skill=req_skill,
        req_cert=req_cert,
        trainable=col([bool(v.trainable_on_job) for v in vacancies], bool),
        start=col([v.start_date.toordinal() for v in vacancies], np.int64),
        end=col([_ord(v.end_date, NO_DATE) for v in vacancies], np.int64),
        wage=col([int(v.monthly_wage) for v in vacancies], np.int64),
        needs_long_stay=col([bool(v.needs_long_stay) for v in vacancies], bool),
        trade_skill=trade_skill,
        trade_cert=trade_cert,
        shift=tuple(v.shift for v in vacancies),
        site=tuple(v.site for v in vacancies),
        max_risk=col([int(v.max_risk_level) for v in vacancies], np.int64),
        skill_vocab=tuple(skills),
        cert_vocab=tuple(certs),
    )


def _banned_pairs(inmates: Sequence[Inmate], vacancies: Sequence[Vacancy]) -> BoolArray:
    """R30: (inmate, vacancy) where a running ban of the inmate covers the vacancy's trade
    (the app passes only the bans that run on the day)."""
    by_trade: dict[str, list[int]] = {}
    for j, v in enumerate(vacancies):
        by_trade.setdefault(v.trade_code, []).append(j)
    rows: list[int] = []
    cols: list[int] = []
    for i, p in enumerate(inmates):
        for code in p.banned_trades:
            hit = by_trade.get(code, ())
            rows.extend([i] * len(hit))
            cols.extend(hit)
    out = np.zeros((len(inmates), len(vacancies)), dtype=bool)
    out[rows, cols] = True
    return out


def frame_of(problem: Problem) -> Frame:
    extra_s = [c.grants_skill for c in problem.courses if c.grants_skill]
    extra_c = [c.grants_certificate for c in problem.courses if c.grants_certificate]
    return build_frame(
        problem.inmates,
        problem.vacancies,
        problem.settings,
        problem.as_of,
        problem.institution_is_juvenile,
        extra_s,
        extra_c,
    )


@dataclass(frozen=True, eq=False)
class RuleResult:
    rule: str  # "R3"
    name: str  # "r3_medical_fitness"
    allowed: BoolArray  # (n_inmates, n_vacancies)
    reason: str  # why a pair is refused


def _rows(f: Frame, ok: BoolArray) -> BoolArray:
    return np.broadcast_to(ok[:, None], f.shape).copy()


def _cols(f: Frame, ok: BoolArray) -> BoolArray:
    return np.broadcast_to(ok[None, :], f.shape).copy()


# --- the law's columns --------------------------------------------------------------
# ``policy.rules`` is written once for numpy, SQL and Python; here its columns are the
# frame's, inmates as (n, 1) and vacancies as (1, m) so that every rule broadcasts to
# the (n, m) matrix of pairs.


class _Person:
    def __init__(self, f: Frame, shape: tuple[int, int] = (-1, 1)) -> None:
        def col(a: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
            return a.reshape(shape)

        self.convicted = col(f.convicted)
        self.birth = col(f.birth)
        self.female = col(f.female)
        self.fitness = col(f.fitness)
        self.review_valid = col(f.review_valid)
        self.disability = col(f.disability)
        self.pregnant = col(f.pregnant)
        self.consent_voluntary = col(f.consent_voluntary)
        self.consent_private = col(f.consent_private)
        self.regime = col(f.regime)
        self.conditions = col(f.conditions)
        self.hours_now = col(f.current_hours)
        self.employed = col(f.committed)
        self.risk = col(f.risk)


class _Job:
    def __init__(self, f: Frame) -> None:
        def col(a: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
            return a.reshape(1, -1)

        self.private = col(f.private)
        self.outside = col(f.outside)
        self.heavy = col(f.heavy)
        self.women_barred = col(f.women_barred)
        self.hours = col(f.hours)
        self.wage = col(f.wage)
        self.max_risk = col(f.max_risk)


def _person(f: Frame) -> _Person:
    """Inmates as 1-d columns (for per-inmate facts such as R1)."""
    return _Person(f, (-1,))


def _pairs(f: Frame, ok: npt.ArrayLike) -> BoolArray:
    return np.broadcast_to(np.asarray(ok, dtype=bool), f.shape).copy()


# --- R1: who counts as able to work (not a pair rule) -------------------------------


def voluntary_only(f: Frame) -> BoolArray:
    """R4 groups: pension age, disability groups I/II, pregnant women (configurable)."""
    return np.asarray(law.in_voluntary_group(NUMPY, f.settings, _person(f), f.as_of))


def medically_able(f: Frame) -> BoolArray:
    """R1: fit or limited by the latest assessment (a lapsed review still counts)."""
    return np.asarray(law.medically_able(NUMPY, _person(f)))


def r1_able_to_work(f: Frame) -> BoolArray:
    """R1: convicted, medically fit (fully or with limits), not a declined
    voluntary-only inmate.  The rate's denominator (``policy.rules.able_to_work``)."""
    return np.asarray(law.able_to_work(NUMPY, f.settings, _person(f), f.as_of))


# --- pair rules ---------------------------------------------------------------------


def r2_convicted_only(f: Frame) -> RuleResult:
    return RuleResult(
        "R2", "r2_convicted_only", _rows(f, f.convicted), "remand detainee is never proposed"
    )


def r3_medical_fitness(f: Frame) -> RuleResult:
    ok = law.r3_fitness_allows(NUMPY, _Person(f), _Job(f))
    return RuleResult(
        "R3",
        "r3_medical_fitness",
        _pairs(f, ok),
        "medically unfit, fitness review expired, or limited fitness for heavy work",
    )


def r4_voluntary_consent(f: Frame) -> RuleResult:
    ok = ~np.asarray(law.voluntary_consent_missing(NUMPY, f.settings, _person(f), f.as_of))
    return RuleResult(
        "R4",
        "r4_voluntary_consent",
        _rows(f, ok),
        "voluntary-only group (pension age, disability I/II, pregnancy) without consent",
    )


def r5_private_employer_consent(f: Frame) -> RuleResult:
    ok = law.r5_consent_allows(NUMPY, _Person(f), _Job(f))
    return RuleResult(
        "R5",
        "r5_private_employer_consent",
        _pairs(f, ok),
        "private employer without the inmate's recorded consent",
    )


def juvenile_hours_limit(f: Frame) -> I64:
    """Weekly hours limit by age for juveniles (adults: no juvenile limit)."""
    return np.asarray(law.juvenile_hours_limit(NUMPY, f.settings, _person(f), f.as_of))


def r6_juveniles(f: Frame) -> RuleResult:
    ok = law.r6_juvenile_allows(NUMPY, f.settings, _Person(f), _Job(f), f.as_of,
                                f.institution_is_juvenile, f.hours_total())
    return RuleResult(
        "R6",
        "r6_juveniles",
        _pairs(f, ok),
        "under 18: juvenile institution only, no heavy work, hours limit by age",
    )


def r7_sex_restriction(f: Frame) -> RuleResult:
    ok = law.r7_sex_allows(NUMPY, _Person(f), _Job(f))
    return RuleResult("R7", "r7_sex_restriction", _pairs(f, ok), "vacancy is barred to women")


def outside_allowed(f: Frame) -> BoolArray:
    return np.asarray(law.outside_allowed(NUMPY, f.settings, _person(f)))


def r8_outside_perimeter(f: Frame) -> RuleResult:
    ok = law.r8_outside_allows(NUMPY, f.settings, _Person(f), _Job(f))
    return RuleResult(
        "R8", "r8_outside_perimeter", _pairs(f, ok), "regime may not work outside the perimeter"
    )


def hours_limit(f: Frame) -> I64:
    return np.asarray(law.hours_limit(NUMPY, f.settings, _person(f)))


def r9_hours(f: Frame) -> RuleResult:
    p = _Person(f)
    ok = NUMPY.and_(law.r9_hours_allow(NUMPY, f.settings, p, f.hours_total()),
                    law.r9_another_paid_allowed(NUMPY, f.settings, p))
    return RuleResult(
        "R9", "r9_hours", _pairs(f, ok),
        "weekly hours over the limit, or already in a paid placement"
    )


def r10_minimum_wage(f: Frame) -> RuleResult:
    ok = law.r10_wage_allows(NUMPY, f.settings, f.wage, f.hours)
    return RuleResult("R10", "r10_minimum_wage", _cols(f, ok), "wage below the minimum (pro rata)")


def r11_capacity(f: Frame) -> RuleResult:
    ok = (f.free_positions > 0) & (f.end >= f.as_of_ord)
    return RuleResult(
        "R11", "r11_capacity", _cols(f, ok), "vacancy has no free position or has ended"
    )


def count_product(a: npt.ArrayLike, b: BoolArray) -> I64:
    """``a @ b.T`` in exact integers, ``a`` (n, k) and ``b`` (m, k) with few true entries
    per row of ``b`` (a vacancy asks for few skills): a sparse product, O(n * nnz(b)).
    Avoids BLAS, whose threads are slower than the product itself on a busy machine."""
    from scipy.sparse import csr_matrix

    bs = csr_matrix(np.asarray(b, dtype=np.int64))
    return np.ascontiguousarray(np.asarray(bs @ np.asarray(a, dtype=np.int64).T).T)


def missing_skills(f: Frame) -> I64:
    return count_product(f.skill_level <= 0, f.req_skill)


def missing_certs(f: Frame) -> I64:
    return count_product(~f.has_cert, f.req_cert)


def r12_qualification(f: Frame) -> RuleResult:
    ok = (missing_certs(f) == 0) & ((missing_skills(f) == 0) | f.trainable[None, :])
    return RuleResult(
        "R12",
        "r12_qualification",
        ok,
        "required certificate missing, or required skill missing and not trainable on the job",
    )


def r13_release_date(f: Frame) -> RuleResult:
    ok = f.effective_start()[None, :] <= f.release[:, None]
    return RuleResult("R13", "r13_release_date", ok, "vacancy starts after the release date")


def r28_workplace_security(f: Frame) -> RuleResult:
    ok = law.r28_security_allows(NUMPY, f.settings, _Person(f), _Job(f))
    return RuleResult("R28", "r28_workplace_security", _pairs(f, ok),
                      "risk level above the highest the vacancy may take")


def r30_court_ban(f: Frame) -> RuleResult:
    # the bans in the frame run on the day (the app passes those only); the law still
    # decides whether a running ban applies in prison at all
    a = f.as_of_ord
    runs = law.r30_ban_runs(NUMPY, f.settings, a, NO_DATE, a)
    return RuleResult("R30", "r30_court_ban", ~(f.banned & runs),
                      "a court's ban covers the vacancy's trade")


PAIR_RULES: tuple[Callable[[Frame], RuleResult], ...] = (
    r2_convicted_only,
    r3_medical_fitness,
    r4_voluntary_consent,
    r5_private_employer_consent,
    r6_juveniles,
    r7_sex_restriction,
    r8_outside_perimeter,
    r9_hours,
    r10_minimum_wage,
    r11_capacity,
    r12_qualification,
    r13_release_date,
    r28_workplace_security,
    r30_court_ban,
)


def evaluate(f: Frame) -> tuple[BoolArray, list[RuleResult]]:
    """All pair rules: the matrix of allowed pairs and each rule's own result."""
    results = [rule(f) for rule in PAIR_RULES]
    allowed = np.ones(f.shape, dtype=bool)
    for r in results:
        allowed &= r.allowed
    return allowed, results


@dataclass(frozen=True)
class Violation:
    rule: str
    name: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "name": self.name, "reason": self.reason}


def check_pair(
    inmate: Inmate,
    vacancy: Vacancy,
    settings: Settings,
    as_of: dt.date,
    institution_is_juvenile: bool = False,
) -> list[Violation]:
    """The rules (R2-R13, R28, R30) refusing this inmate this vacancy; empty when allowed.

    R14 (separation) needs the other inmates' placements: see
    ``separation.separation_conflict``.
    """
    f = build_frame([inmate], [vacancy], settings, as_of, institution_is_juvenile)
    return [
        Violation(r.rule, r.name, r.reason)
        for r in (rule(f) for rule in PAIR_RULES)
        if not bool(r.allowed[0, 0])
    ]
