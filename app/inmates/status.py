"""Who is held, able to work and employed on a day (R1), as SQL clauses.

Built from dated history (custody periods, convictions, medical assessments,
consents, placements), so a past day's figures do not change later (R19).
Used by the officers' home page, the labour pool, the engine adapter and the
prosecutors' rates alike, so R1 is defined once.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from app.core.vocabulary import ConsentKind, Fitness, Sex
from app.inmates.models import Consent, CustodyPeriod, Inmate, MedicalAssessment
from app.placements.models import Placement
from app.settings.models import YearSettings


def years_before(day: date, years: Decimal) -> date:
    """The date ``years`` (possibly fractional, e.g. 61.5) before ``day``."""
    months = int(years * 12)
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last_day in (day.day, 30, 29, 28):  # 29 February and 31st fall back to month end
        try:
            return date(year, month, last_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def held_on(day: date) -> sa.Select:
    """Rows (inmate_id, institution_id) of everybody held on ``day``."""
    return sa.select(CustodyPeriod.inmate_id, CustodyPeriod.institution_id).where(
        CustodyPeriod.started_on <= day,
        sa.or_(CustodyPeriod.ended_on.is_(None), CustodyPeriod.ended_on > day),
    )


def fitness_on(day: date) -> sa.ScalarSelect:
    """The fitness of the latest medical assessment made on or before ``day``."""
    return (
        sa.select(MedicalAssessment.fitness)
        .where(MedicalAssessment.inmate_id == Inmate.id, MedicalAssessment.assessed_on <= day)
        .order_by(MedicalAssessment.assessed_on.desc(), MedicalAssessment.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def consent_in_force(kind: ConsentKind, day: date) -> sa.Exists:
    return sa.exists().where(
        Consent.inmate_id == Inmate.id,
        Consent.kind == kind,
        Consent.given_on <= day,
        sa.or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on > day),
    )


def in_voluntary_group(day: date, settings: YearSettings) -> sa.ColumnElement[bool]:
    """R4: pension age, disability groups I and II, pregnancy (as configured)."""
    groups = set(settings.voluntary_groups.split(","))
    clauses = []
    if "pension_age" in groups:
        clauses += [
            sa.and_(Inmate.sex == Sex.MALE,
                    Inmate.birth_date <= years_before(day, settings.pension_age_men)),
            sa.and_(Inmate.sex == Sex.FEMALE,
                    Inmate.birth_date <= years_before(day, settings.pension_age_women)),
        ]
    if "disability_1_2" in groups:
        clauses.append(sa.func.coalesce(Inmate.disability_group, 0).in_([1, 2]))  # NULL-safe
    if "pregnant" in groups:
        clauses.append(Inmate.pregnant.is_(True))
    return sa.or_(*clauses) if clauses else sa.false()


def able_to_work(day: date, settings: YearSettings) -> sa.ColumnElement[bool]:
    """R1: convicted, medically fit (fully or with limits), and not in a
    voluntary-only group without a consent in force, on ``day``."""
    return sa.and_(
        Inmate.convicted_on.is_not(None),
        Inmate.convicted_on <= day,
        fitness_on(day).in_([Fitness.FIT.value, Fitness.LIMITED.value]),
        sa.or_(
            sa.not_(in_voluntary_group(day, settings)),
            consent_in_force(ConsentKind.VOLUNTARY_WORK, day),
        ),
    )


def employed(day: date) -> sa.Exists:
    """R1: an active paid placement on ``day``."""
    return sa.exists().where(
        Placement.inmate_id == Inmate.id,
        Placement.paid.is_(True),
        Placement.start_date <= day,
        sa.or_(Placement.end_date.is_(None), Placement.end_date > day),
    )


def institution_counts(day: date, settings: YearSettings) -> sa.Select:
    """Per institution on ``day``: (institution_id, held, able, employed, employed_able)."""
    held = held_on(day).subquery()
    able = able_to_work(day, settings)
    works = employed(day)
    count_if = lambda condition: sa.func.count().filter(condition)  # noqa: E731
    return (
        sa.select(
            held.c.institution_id,
            sa.func.count().label("held"),
            count_if(able).label("able"),
            count_if(works).label("employed"),
            count_if(sa.and_(able, works)).label("employed_able"),
        )
        .select_from(held.join(Inmate, Inmate.id == held.c.inmate_id))
        .group_by(held.c.institution_id)
    )


# --- The same R1 counts for many days in one query (trends, R19) -----------------
# ``institution_counts`` evaluates correlated subqueries per inmate, fine for one
# day; a 24-month trend over 30,000 inmates needs joins instead. This is R1 again,
# in set form, so it must agree with the clauses above:
# tests/monitoring/test_rates.py::test_series_agrees_with_institution_counts checks it.

NEVER = date(1, 1, 1)  # a birth-date limit nobody meets: the group is not configured


def _days_table(days: list[date], settings_of: Callable[[int], YearSettings]) -> sa.CTE:
    """One row per day, with that day's R4 thresholds as columns (from its year's settings).
    A UNION ALL of SELECTs rather than VALUES: SQLite cannot name VALUES columns."""
    rows = []
    for day in days:
        settings = settings_of(day.year)
        groups = set(settings.voluntary_groups.split(","))
        pension = "pension_age" in groups
        rows.append(sa.select(
            sa.literal(day, sa.Date).label("day"),
            sa.literal(years_before(day, settings.pension_age_men) if pension else NEVER,
                       sa.Date).label("men_born_by"),
            sa.literal(years_before(day, settings.pension_age_women) if pension else NEVER,
                       sa.Date).label("women_born_by"),
            sa.literal(int("disability_1_2" in groups)).label("disability"),
            sa.literal(int("pregnant" in groups)).label("pregnancy"),
        ))
    return sa.union_all(*rows).cte("d")


def _on_day(days: sa.CTE, start: sa.ColumnElement, end: sa.ColumnElement) -> sa.ColumnElement:
    """[start, end) contains the day (end exclusive, open when null)."""
    return sa.and_(start <= days.c.day, sa.or_(end.is_(None), end > days.c.day))


def institution_counts_series(
    days: list[date], settings_of: Callable[[int], YearSettings]
) -> sa.Select:
    """Per (day, institution): (day, institution_id, held, able, employed, employed_able),
    for every day of ``days`` in one query; ``settings_of(year)`` gives each year's settings."""
    d = _days_table(days, settings_of)
    held = (sa.select(CustodyPeriod.inmate_id, CustodyPeriod.institution_id, d.c.day)
            .where(_on_day(d, CustodyPeriod.started_on, CustodyPeriod.ended_on)).subquery())
    assessment = sa.select(
        MedicalAssessment.inmate_id, MedicalAssessment.fitness, MedicalAssessment.assessed_on,
        sa.func.lead(MedicalAssessment.assessed_on).over(
            partition_by=MedicalAssessment.inmate_id,
            order_by=(MedicalAssessment.assessed_on, MedicalAssessment.id)).label("next_on"),
    ).subquery()
    fitness = (sa.select(assessment.c.inmate_id, d.c.day, assessment.c.fitness)
               .where(_on_day(d, assessment.c.assessed_on, assessment.c.next_on)).subquery())
    consent = (sa.select(Consent.inmate_id, d.c.day).distinct()
               .where(Consent.kind == ConsentKind.VOLUNTARY_WORK,
                      _on_day(d, Consent.given_on, Consent.withdrawn_on)).subquery())
    works = (sa.select(Placement.inmate_id, d.c.day).distinct()
             .where(Placement.paid.is_(True),
                    _on_day(d, Placement.start_date, Placement.end_date)).subquery())
    voluntary = sa.or_(
        sa.and_(Inmate.sex == Sex.MALE, Inmate.birth_date <= d.c.men_born_by),
        sa.and_(Inmate.sex == Sex.FEMALE, Inmate.birth_date <= d.c.women_born_by),
        sa.and_(d.c.disability == 1, sa.func.coalesce(Inmate.disability_group, 0).in_([1, 2])),
        sa.and_(d.c.pregnancy == 1, Inmate.pregnant.is_(True)),
    )
    able = sa.and_(
        Inmate.convicted_on.is_not(None), Inmate.convicted_on <= held.c.day,
        fitness.c.fitness.in_([Fitness.FIT.value, Fitness.LIMITED.value]),
        sa.or_(sa.not_(voluntary), consent.c.inmate_id.is_not(None)),
    )
    is_employed = works.c.inmate_id.is_not(None)
    count_if = lambda condition: sa.func.count().filter(condition)  # noqa: E731
    same = lambda sub: sa.and_(sub.c.inmate_id == held.c.inmate_id,  # noqa: E731
                               sub.c.day == held.c.day)
    return (
        sa.select(held.c.day, held.c.institution_id, sa.func.count().label("held"),
                  count_if(able).label("able"), count_if(is_employed).label("employed"),
                  count_if(sa.and_(able, is_employed)).label("employed_able"))
        .select_from(held.join(Inmate, Inmate.id == held.c.inmate_id)
                     .join(d, d.c.day == held.c.day)
                     .outerjoin(fitness, same(fitness)).outerjoin(consent, same(consent))
                     .outerjoin(works, same(works)))
        .group_by(held.c.day, held.c.institution_id)
    )
