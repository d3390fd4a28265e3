"""The labour pool an employer sees (R17): per institution, how many inmates able to
work are not employed, by trade/skill and by the weekly hours they may work; and how
many would be eligible for a draft vacancy. Counts only, never a person, and any count
below 5 is shown as "fewer than 5".

Eligibility for a draft applies in SQL the rules that depend on the inmate and the
vacancy alone: R3 (fitness, review date, heavy work), R6 (juveniles), R7 (sex),
R8 (outside the perimeter), R9 (hours of disability groups I and II), R12
(certificates, skills unless trainable), R13 (release date); R1/R2/R4 come with "able
to work". R5 (consent to a private employer) is left out: an inmate is asked once a
vacancy is offered. R11 and R14 depend on other placements and belong to the engine.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from app.core.vocabulary import Conditions, Fitness, Regime, Sex, Site
from app.extensions import db
from app.inmates.models import Certificate, Inmate, InmateSkill, MedicalAssessment
from app.inmates.status import able_to_work, employed, fitness_on, held_on, years_before
from app.institutions.models import Institution
from app.settings.models import YearSettings
from app.settings.operations import settings_for
from app.taxonomy.models import Trade
from app.vacancies.models import Vacancy

SUPPRESS_BELOW = 5  # R17


@dataclass(frozen=True)
class Count:
    """A count as shown to an employer: ``value`` is None when suppressed (R17)."""

    value: int | None
    suppressed: bool

    @classmethod
    def of(cls, n: int) -> "Count":
        return cls(None, True) if n < SUPPRESS_BELOW else cls(n, False)


@dataclass(frozen=True)
class TradeCount:
    trade_code: str
    trade_name: str
    inmates: Count


@dataclass(frozen=True)
class HoursCount:
    weekly_hours: int
    inmates: Count


@dataclass
class InstitutionPool:
    institution_id: int
    code: str
    name: str
    region: str
    available: Count
    by_trade: list[TradeCount] = field(default_factory=list)
    by_hours: list[HoursCount] = field(default_factory=list)


def _available(day: date, settings: YearSettings) -> sa.Select:
    """Inmates held on ``day``, able to work and not employed, with their institution."""
    held = held_on(day).subquery()
    return (sa.select(Inmate.id.label("inmate_id"), held.c.institution_id)
            .select_from(held.join(Inmate, Inmate.id == held.c.inmate_id))
            .where(able_to_work(day, settings), sa.not_(employed(day))))


def hours_allowed(day: date, settings: YearSettings) -> sa.ColumnElement[int]:
    """The most weekly hours an inmate may work (R6 by age, R9 by disability)."""
    return sa.case(
        (Inmate.birth_date > years_before(day, Decimal(16)), settings.max_hours_juvenile_14),
        (Inmate.birth_date > years_before(day, Decimal(18)), settings.max_hours_juvenile_16),
        (sa.func.coalesce(Inmate.disability_group, 0).in_([1, 2]), settings.max_hours_disabled),
        else_=settings.max_hours_adult,
    )


def labour_pool(day: date | None = None,
                institution_ids: Iterable[int] | None = None) -> list[InstitutionPool]:
    """The pool of every institution (or of those given), counts suppressed below 5."""
    day = day or date.today()
    settings = settings_for(day.year)
    institutions = sa.select(Institution).order_by(Institution.code)
    if institution_ids is not None:
        institutions = institutions.where(Institution.id.in_(list(institution_ids)))
    pools = {i.id: InstitutionPool(i.id, i.code, i.name, i.region.name, Count.of(0))
             for i in db.session.scalars(institutions)}
    base = _available(day, settings)
    available = base.subquery()
    for institution_id, n in db.session.execute(
            sa.select(available.c.institution_id, sa.func.count())
            .group_by(available.c.institution_id)):
        if institution_id in pools:
            pools[institution_id].available = Count.of(n)
    _add_trades(pools, available)
    _add_hours(pools, base.add_columns(hours_allowed(day, settings).label("hours")).subquery())
    return list(pools.values())


def _add_trades(pools: dict[int, InstitutionPool], available: sa.Subquery) -> None:
    rows = db.session.execute(
        sa.select(available.c.institution_id, Trade.code, Trade.name_en, sa.func.count())
        .select_from(available)
        .join(InmateSkill, InmateSkill.inmate_id == available.c.inmate_id)
        .join(Trade, Trade.id == InmateSkill.trade_id)
        .group_by(available.c.institution_id, Trade.code, Trade.name_en)
        .order_by(available.c.institution_id, sa.func.count().desc(), Trade.code))
    for institution_id, code, name, n in rows:
        if institution_id in pools:
            pools[institution_id].by_trade.append(TradeCount(code, name, Count.of(n)))


def _add_hours(pools: dict[int, InstitutionPool], with_hours: sa.Subquery) -> None:
    rows = db.session.execute(
        sa.select(with_hours.c.institution_id, with_hours.c.hours, sa.func.count())
        .group_by(with_hours.c.institution_id, with_hours.c.hours)
        .order_by(with_hours.c.institution_id, with_hours.c.hours.desc()))
    for institution_id, hours, n in rows:
        if institution_id in pools:
            pools[institution_id].by_hours.append(HoursCount(hours, Count.of(n)))


# --- eligibility for one vacancy -----------------------------------------------------


def eligible_count(vacancy: Vacancy, day: date | None = None) -> Count:
    """How many able, not employed inmates of the vacancy's institution its rules let
    take it (see the module's docstring for which rules), suppressed below 5."""
    day = day or date.today()
    settings = settings_for(day.year)
    available = _available(day, settings).subquery()
    n = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(available.join(Inmate, Inmate.id == available.c.inmate_id))
        .where(available.c.institution_id == vacancy.institution_id,
               *vacancy_rules(vacancy, day, settings)))
    return Count.of(n or 0)


def vacancy_rules(vacancy: Vacancy, day: date,
                  settings: YearSettings) -> list[sa.ColumnElement[bool]]:
    """The rules of a vacancy as WHERE clauses on Inmate."""
    start = max(vacancy.start_date, day)
    review = _review_on(day)
    clauses = [
        sa.or_(review.is_(None), review >= day),  # R3: an expired review blocks
        sa.or_(Inmate.release_date.is_(None), Inmate.release_date >= start),  # R13
        _juvenile_rule(vacancy, day, settings),  # R6
        *_qualification_rules(vacancy),  # R12
    ]
    if vacancy.heavy_or_hazardous:
        clauses.append(fitness_on(day) == Fitness.FIT.value)  # R3: limited is not enough
    if vacancy.women_barred:
        clauses.append(Inmate.sex != Sex.FEMALE)  # R7
    if vacancy.site == Site.OUTSIDE:
        clauses.append(_outside_allowed(settings))  # R8
    if vacancy.weekly_hours > settings.max_hours_disabled:
        clauses.append(sa.func.coalesce(Inmate.disability_group, 0).not_in([1, 2]))  # R9
    return clauses


def _review_on(day: date) -> sa.ScalarSelect:
    """The review date of the medical assessment in force on ``day``."""
    return (sa.select(MedicalAssessment.review_date)
            .where(MedicalAssessment.inmate_id == Inmate.id, MedicalAssessment.assessed_on <= day)
            .order_by(MedicalAssessment.assessed_on.desc(), MedicalAssessment.id.desc())
            .limit(1).scalar_subquery())


def _juvenile_rule(vacancy: Vacancy, day: date,
                   settings: YearSettings) -> sa.ColumnElement[bool]:
    """R6: under 18 only in a juvenile institution, never heavy, hours by age."""
    if (not vacancy.institution.is_juvenile or vacancy.heavy_or_hazardous
            or vacancy.weekly_hours > settings.max_hours_juvenile_16):
        youngest = 18
    elif vacancy.weekly_hours > settings.max_hours_juvenile_14:
        youngest = 16
    else:
        youngest = 14
    return Inmate.birth_date <= years_before(day, Decimal(youngest))


def _outside_allowed(settings: YearSettings) -> sa.ColumnElement[bool]:
    """R8: minimum regime, or medium with the conditions the settings allow."""
    conditions = [Conditions(c.strip()) for c in settings.outside_medium_conditions.split(",") if c.strip()]
    return sa.or_(Inmate.regime == Regime.MINIMUM,
                  sa.and_(Inmate.regime == Regime.MEDIUM, Inmate.conditions.in_(conditions)))


def _qualification_rules(vacancy: Vacancy) -> list[sa.ColumnElement[bool]]:
    """R12: every required certificate held; every required skill unless trainable."""
    rules = [sa.exists().where(Certificate.inmate_id == Inmate.id, Certificate.trade_id == t.id)
             for t in vacancy.required_certificates]
    if not vacancy.trainable_on_job:
        rules += [sa.exists().where(InmateSkill.inmate_id == Inmate.id,
                                    InmateSkill.trade_id == t.id, InmateSkill.level >= 1)
                  for t in vacancy.required_skills]
    return rules

