"""R1-R14 as predicates, written once (DOMAIN.md), evaluated by every backend.

Each function takes ``ops`` (``policy.ops.Ops``), the year's :class:`~policy.law.Law`,
the day, and *columns*: an object whose attributes are the backend's values for the
same facts, read on that day. A person (``p``) has:

    convicted, birth, female, fitness, review_valid, disability, pregnant,
    consent_voluntary, consent_private, regime, conditions, hours_now, employed,
    risk (R28: the index of the latest assessment's level on ``Law.risk_levels``,
    ``UNASSESSED`` when none)

and a vacancy (``v``): private, outside, heavy, women_barred, hours, wage,
max_risk (R28: the index of the highest level it may take, ``NO_RISK_LIMIT`` when none).
In the engine ``p`` columns are (n, 1) arrays and ``v`` columns (1, m), so a rule
gives the (n, m) matrix of allowed pairs; in SQL they are column expressions.
"""

from datetime import date
from typing import Any

from policy.dates import born_by, months_of
from policy.law import (
    ABLE_FITNESS,
    ADULT_AGE,
    DISABILITY_GROUPS_REDUCED_HOURS,
    JUVENILE_AGE_HOURS_STEP,
    MIN_WORKING_AGE,
    NEVER_OUTSIDE,
    OUTSIDE_ANY_CONDITIONS,
    OUTSIDE_BY_CONDITIONS,
    UNRESTRICTED_FITNESS,
    Law,
)
from policy.ops import Ops

NO_LIMIT = 10**6  # hours: a limit that does not apply
UNASSESSED = -1  # R28: a person without a risk-and-needs assessment
NO_RISK_LIMIT = 10**3  # R28: a vacancy that sets no highest risk level


# --- days -----------------------------------------------------------------------------


def active_on(ops: Ops, start: Any, end: Any, day: Any) -> Any:
    """A placement, consent or custody period [start, end) is in force on ``day``."""
    return in_force_throughout(ops, start, end, day, day)


def in_force_throughout(ops: Ops, start: Any, end: Any, first: Any, last: Any) -> Any:
    """[start, end) covers every day from ``first`` to ``last`` (both included)."""
    return ops.and_(start <= first, ops.open_after(end, last))


def aged_at_least(ops: Ops, birth: Any, day: date, years: Any) -> Any:
    """Has reached ``years`` (may be fractional: 61.5) on ``day`` (R4's day convention)."""
    return birth <= ops.day(born_by(day, months_of(years)))


# --- R1 and R4: who is able to work -----------------------------------------------------


def medically_able(ops: Ops, p: Any) -> Any:
    """R1: fit, fully or with limits, by the latest assessment. A lapsed review does not
    take anyone out of the count (R3 bars new placements instead)."""
    return ops.isin(p.fitness, ABLE_FITNESS)


def pension_age_reached(ops: Ops, law: Law, p: Any, day: date) -> Any:
    women = aged_at_least(ops, p.birth, day, law.pension_age(True, day.year))
    men = aged_at_least(ops, p.birth, day, law.pension_age(False, day.year))
    return ops.or_(ops.and_(p.female, women), ops.and_(ops.not_(p.female), men))


def in_voluntary_group(ops: Ops, law: Law, p: Any, day: date) -> Any:
    """R4: pension age, disability groups I and II, pregnancy (as the settings list)."""
    terms = []
    if "pension_age" in law.voluntary_groups:
        terms.append(pension_age_reached(ops, law, p, day))
    if "disability_1_2" in law.voluntary_groups:
        terms.append(ops.isin(p.disability, DISABILITY_GROUPS_REDUCED_HOURS))
    if "pregnant" in law.voluntary_groups:
        terms.append(p.pregnant)
    return ops.or_(*terms) if terms else ops.const(False)


def voluntary_consent_missing(ops: Ops, law: Law, p: Any, day: date) -> Any:
    """R4: in a voluntary-only group without a consent in force."""
    return ops.and_(in_voluntary_group(ops, law, p, day), ops.not_(p.consent_voluntary))


def able_to_work(ops: Ops, law: Law, p: Any, day: date) -> Any:
    """R1's denominator: convicted, medically able, not a voluntary-only inmate without
    consent."""
    return ops.and_(p.convicted, medically_able(ops, p),
                    ops.not_(voluntary_consent_missing(ops, law, p, day)))


# --- pair rules ---------------------------------------------------------------------------


def r3_fitness_allows(ops: Ops, p: Any, v: Any) -> Any:
    """R3: a valid review, and fit, or limited for work that is not heavy or hazardous."""
    return ops.and_(p.review_valid, ops.or_(
        p.fitness == UNRESTRICTED_FITNESS,
        ops.and_(ops.isin(p.fitness, ABLE_FITNESS), ops.not_(v.heavy))))


def r5_consent_allows(ops: Ops, p: Any, v: Any) -> Any:
    """R5: a private employer or sole trader needs the inmate's consent."""
    return ops.or_(ops.not_(v.private), p.consent_private)


def juvenile(ops: Ops, p: Any, day: date) -> Any:
    return ops.not_(aged_at_least(ops, p.birth, day, ADULT_AGE))


def juvenile_hours_limit(ops: Ops, law: Law, p: Any, day: date) -> Any:
    """R6: weekly hours allowed by age: none under 14, then the settings' limits."""
    return ops.where(
        aged_at_least(ops, p.birth, day, ADULT_AGE), NO_LIMIT,
        ops.where(aged_at_least(ops, p.birth, day, JUVENILE_AGE_HOURS_STEP),
                  law.max_hours_juvenile_16,
                  ops.where(aged_at_least(ops, p.birth, day, MIN_WORKING_AGE),
                            law.max_hours_juvenile_14, 0)))


def r6_juvenile_allows(ops: Ops, law: Law, p: Any, v: Any, day: date,
                       juvenile_institution: Any, hours: Any) -> Any:
    """R6: under 18 only in a juvenile institution, never heavy or hazardous work, and
    ``hours`` (all the week's hours) within the limit for the age."""
    young = juvenile(ops, p, day)
    return ops.and_(ops.or_(ops.not_(young), juvenile_institution),
                    ops.not_(ops.and_(young, v.heavy)),
                    hours <= juvenile_hours_limit(ops, law, p, day))


def r7_sex_allows(ops: Ops, p: Any, v: Any) -> Any:
    return ops.not_(ops.and_(p.female, v.women_barred))


def outside_allowed(ops: Ops, law: Law, p: Any) -> Any:
    """R8: minimum regime, or medium in the conditions the settings list; never maximum
    or extraordinary."""
    medium = [c for c in law.outside_medium_conditions]
    return ops.and_(
        ops.or_(ops.isin(p.regime, OUTSIDE_ANY_CONDITIONS),
                ops.and_(p.regime == OUTSIDE_BY_CONDITIONS, ops.isin(p.conditions, medium))
                if medium else ops.const(False)),
        ops.not_(ops.isin(p.regime, NEVER_OUTSIDE)))


def r8_outside_allows(ops: Ops, law: Law, p: Any, v: Any) -> Any:
    return ops.or_(ops.not_(v.outside), outside_allowed(ops, law, p))


def hours_limit(ops: Ops, law: Law, p: Any) -> Any:
    """R9: weekly hours for an adult; less for disability groups I and II."""
    return ops.where(ops.isin(p.disability, DISABILITY_GROUPS_REDUCED_HOURS),
                     law.max_hours_disabled, law.max_hours_adult)


def r9_hours_allow(ops: Ops, law: Law, p: Any, hours: Any) -> Any:
    """R9: ``hours`` (the week's total with the new placement) within the limit."""
    return hours <= hours_limit(ops, law, p)


def r9_another_paid_allowed(ops: Ops, law: Law, p: Any) -> Any:
    """R9: by default one paid placement at a time (a setting may allow several)."""
    return ops.not_(p.employed) if law.one_paid_placement else ops.const(True)


def paid_hours(ops: Ops, law: Law, hours: Any) -> Any:
    """R10: the hours pay is measured against, never above full time."""
    return ops.where(hours <= law.full_time_hours, hours, law.full_time_hours)


def r10_wage_allows(ops: Ops, law: Law, wage: Any, hours: Any) -> Any:
    """R10: at least the minimum monthly wage, pro rata (exact in integers: wage x full
    time >= minimum x hours, hours capped at full time)."""
    return wage * law.full_time_hours >= law.min_monthly_wage * paid_hours(ops, law, hours)


def minimum_wage(law: Law, hours: int) -> int:
    """R10 as a figure: the least monthly wage for ``hours`` a week (rounded up, so that
    a wage passes :func:`r10_wage_allows` exactly when it is at least this)."""
    paid = min(hours, law.full_time_hours)
    return -(-law.min_monthly_wage * paid // law.full_time_hours)


def same_workplace(ops: Ops, a: Any, b: Any) -> Any:
    """R14: the same site and shift, and the same workplace, where an empty workplace
    means the whole site (the safe reading). ``a``/``b`` have site, workplace, shift."""
    return ops.and_(a.site == b.site, a.shift == b.shift,
                    ops.or_(a.workplace == b.workplace, a.workplace == "", b.workplace == ""))


def weekly_hours_allowed(ops: Ops, law: Law, p: Any, day: date) -> Any:
    """R6 and R9 together: the most weekly hours a person may work in all placements."""
    young, adult = juvenile_hours_limit(ops, law, p, day), hours_limit(ops, law, p)
    return ops.where(young <= adult, young, adult)


# --- R28 and R30: security at work ----------------------------------------------------------


def risk_level_at_work(ops: Ops, law: Law, p: Any, v: Any) -> Any:
    """R28: the person's level as the vacancy sees it: the latest assessment's; with none,
    the highest level for a vacancy outside the perimeter (a setting) and no limit inside."""
    highest = len(law.risk_levels) - 1 if law.unassessed_highest_outside else 0
    return ops.where(p.risk == UNASSESSED, ops.where(v.outside, highest, 0), p.risk)


def r28_security_allows(ops: Ops, law: Law, p: Any, v: Any) -> Any:
    """R28: never above the highest risk level the vacancy may take."""
    return risk_level_at_work(ops, law, p, v) <= v.max_risk


def r30_ban_runs(ops: Ops, law: Law, start: Any, end: Any, day: Any) -> Any:
    """R30: a court's ban [start, end) bars its trades on ``day`` (if bans run in prison).
    A pair is allowed when no ban of the person that runs covers the vacancy's trade;
    each backend joins the bans' trades its own way (numpy: a matrix; SQL: EXISTS)."""
    return ops.and_(ops.const(law.bans_run_in_prison), active_on(ops, start, end, day))
