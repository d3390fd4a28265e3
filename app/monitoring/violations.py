"""Violations: placements that broke a rule while they were active.

Each check is one function named after its rule (DOMAIN.md R2–R14). It returns
the placements active in a period (both ends included) that broke it, with the
day it was seen and why, computed in SQL.

A placement broke a rule in a period when it broke it on some day of the period
while active, so a period finds whatever a shorter period inside it finds
(tests/monitoring/test_violation_monotone.py); the day given is the first such day.
How each check covers every day: R3 judges each assessment's stretch of days;
R2 wants the request on every day worked on remand, R4 and R5 a consent in force
throughout; R6, R9 and R11, which count several placements, report the placement
that went over, counted with those senior to it (started earlier), a count that
never grows while it lasts, so its first day in the period decides; R14 finds the
first day two separated inmates overlapped.
Dated history (conviction, medical assessments, consents, placements,
separation links) is read as it was; facts without history (regime,
conditions, disability group, pregnancy, the vacancy's flags) as they are now.
Thresholds are the settings of the period's last year (R10: of each year).
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.sql.functions import FunctionElement

from app.core.labels import LABELS, RISK_LEVEL_LABELS
from app.core.lawsql import SQL
from app.core.vocabulary import (
    PRIVATE_EMPLOYER_KINDS,
    ConsentKind,
    InstitutionKind,
    Site,
)
from app.extensions import db
from app.inmates import risk
from app.inmates.law_columns import NOT_ASSESSED, InmateOnDay, person
from app.inmates.models import (
    Consent,
    CourtBan,
    Inmate,
    MedicalAssessment,
    RiskAssessment,
    ScatteredFlag,
    SeparationLink,
    court_ban_trades,
)
from app.institutions.models import Institution
from app.placements.models import Placement, placement_open_on
from app.placements.status import in_voluntary_group
from app.settings.operations import settings_for
from app.vacancies.models import Employer, Vacancy
from policy import Law, rules
from policy.dates import born_by, months_of
from policy.law import ADULT_AGE
from policy.ops import PYTHON
from policy.rules import active_on, in_force_throughout


def _day_shift(name: str, days: int) -> type[FunctionElement]:
    """A SQL function moving a date column by ``days`` whole days, portable
    (PostgreSQL: d + n; SQLite: date(d, '+n day')). One class per shift, so that
    SQLAlchemy's statement cache never mixes two of them."""
    shift = type(name, (FunctionElement,), {"type": sa.Date(), "name": name,
                                            "inherit_cache": True})

    @compiles(shift)
    def _default(element: FunctionElement, compiler: Any, **kw: Any) -> str:
        return f"({compiler.process(element.clauses, **kw)} {days:+d})"

    @compiles(shift, "sqlite")
    def _sqlite(element: FunctionElement, compiler: Any, **kw: Any) -> str:
        return f"date({compiler.process(element.clauses, **kw)}, '{days:+d} day')"

    return shift


day_before = _day_shift("day_before", -1)
day_after = _day_shift("day_after", +1)


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both included."""

    start: date
    end: date

    def overlaps(self, placement: Any = Placement) -> sa.ColumnElement[bool]:
        return sa.and_(placement.start_date <= self.end,
                       placement_open_on(self.start, placement))

    def first_day(self, placement: Any = Placement) -> sa.ColumnElement[date]:
        """The placement's first active day within the period."""
        return sa.case((placement.start_date > self.start, placement.start_date),
                       else_=sa.literal(self.start, sa.Date))

    def last_day(self, placement: Any = Placement) -> sa.ColumnElement[date]:
        """The placement's last active day within the period (its end date is exclusive)."""
        ended = sa.and_(placement.end_date.is_not(None), placement.end_date <= self.end)
        return sa.case((ended, day_before(placement.end_date)),
                       else_=sa.literal(self.end, sa.Date))

    def years(self) -> list["Period"]:
        """The period cut at each new year."""
        return [Period(max(self.start, date(y, 1, 1)), min(self.end, date(y, 12, 31)))
                for y in range(self.start.year, self.end.year + 1)]


@dataclass(frozen=True)
class Violation:
    rule: str
    placement_id: int
    inmate_id: int
    vacancy_id: int
    institution_id: int
    day: date
    detail: Any  # a lazy string, translated when shown
    other_placement_id: int | None = None  # R14: the separated inmate's placement


# --- a violation as kept figures hold it (JSON) ------------------------------------------
# Kept whole, with its day and why, so that a reader of kept violations runs no check.


def _json_of(value: Any) -> Any:
    """A value of a violation's why as JSON: a lazy message (``_l``) with its values, a
    date, a decimal; numbers and text as they are."""
    if isinstance(value, LazyString):
        return {"message": value._args[0],
                "values": {name: _json_of(item) for name, item in value._kwargs.items()}}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def _from_json(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if "message" in value:
        message = value["message"]  # a name, not a literal: pybabel would extract "message"
        return _l(message, **{name: _from_json(item) for name, item in value["values"].items()})
    return date.fromisoformat(value["date"]) if "date" in value else Decimal(value["decimal"])


def violation_json(violation: "Violation") -> list:
    return [violation.rule, violation.placement_id, violation.inmate_id, violation.vacancy_id,
            violation.institution_id, violation.day.isoformat(), _json_of(violation.detail),
            violation.other_placement_id]


def violation_from_json(kept: list) -> "Violation":
    rule, placement_id, inmate_id, vacancy_id, institution_id, day, detail, other = kept
    return Violation(rule, placement_id, inmate_id, vacancy_id, institution_id,
                     date.fromisoformat(day), _from_json(detail), other)


def in_order(violations: list["Violation"]) -> list["Violation"]:
    """Oldest first, then by rule and placement: as every list of violations is shown."""
    return sorted(violations, key=lambda v: (v.day, int(v.rule[1:]), v.placement_id,
                                             v.other_placement_id or 0))


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)  # SQLite text


def _label(value: Any) -> Any:
    """The lazy translated label of an enumeration value (app/core/labels.py)."""
    key = getattr(value, "value", value)
    return LABELS.get(key, key)


def _placements(period: Period, scope: sa.ColumnElement[bool], *columns: Any,
                inmate: bool = True, vacancy: bool = True) -> sa.Select:
    """Placements active in the period and in scope, joined to inmate and vacancy, or not
    (``inmate=False``, ``vacancy=False``) when the check reads nothing of them: each
    placement has both, and joining every inmate's row costs more than a check that
    finds few."""
    query = sa.select(Placement.id, Placement.inmate_id, Placement.vacancy_id,
                      Placement.institution_id, *columns)
    if inmate:
        query = query.join(Inmate, Inmate.id == Placement.inmate_id)
    if vacancy:
        query = query.join(Vacancy, Vacancy.id == Placement.vacancy_id)
    return query.where(period.overlaps(), scope)


# --- a dry run: the statements the checks run, recorded and not run -------------------
# The kept violations (app/monitoring/operations.py) are forgotten by writes to the columns
# these statements read (app/placements/kept.py), recorded here rather than listed by hand.

_recording: ContextVar[list[sa.Executable] | None] = ContextVar("_recording", default=None)


def _rows(query: sa.Executable) -> Any:
    """The rows of ``query``; in a dry run none, the query recorded."""
    recorded = _recording.get()
    if recorded is None:
        return db.session.execute(query)
    recorded.append(query)
    return []


def _law(year: int) -> Law:
    """The law of ``year`` (its settings); in a dry run, the legal defaults (no database)."""
    return Law.for_year(year) if _recording.get() is not None else settings_for(year).law


def check_statements() -> list[sa.Executable]:
    """Every statement the checks run for a period, recorded in a dry run."""
    recorded: list[sa.Executable] = []
    token = _recording.set(recorded)
    try:
        find_violations(Period(date(2000, 1, 1), date(2000, 1, 2)), sa.true())
    finally:
        _recording.reset(token)
    return recorded


def _violations(rule: str, query: sa.Select, detail: Callable[[Any], Any]) -> list[Violation]:
    """Rows with a ``day`` column → violations; ``detail(row)`` says why."""
    return [Violation(rule, row.id, row.inmate_id, row.vacancy_id, row.institution_id,
                      _as_date(row.day), detail(row))
            for row in _rows(query)]


def _consent_throughout(kind: ConsentKind, first: sa.ColumnElement,
                        last: sa.ColumnElement) -> sa.Exists:
    """One consent of ``kind`` in force from ``first`` to ``last`` (withdrawal exclusive)."""
    return sa.exists().where(
        Consent.inmate_id == Placement.inmate_id, Consent.kind == kind,
        in_force_throughout(SQL, Consent.given_on, Consent.withdrawn_on, first, last))


class _Job:
    """The vacancy's columns ``policy.rules`` reads (``v``); hours and wage are the
    placement's own, which is what the inmate really works and is paid."""

    private = Employer.kind.in_(PRIVATE_EMPLOYER_KINDS)
    outside = Vacancy.site == Site.OUTSIDE
    heavy = sa.func.coalesce(Vacancy.heavy_or_hazardous, sa.false())
    women_barred = sa.func.coalesce(Vacancy.women_barred, sa.false())
    hours = Placement.weekly_hours
    wage = Placement.monthly_wage


def _with_employer(query: sa.Select) -> sa.Select:
    return query.join(Employer, Employer.id == Vacancy.employer_id)


def r2_remand_without_request(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                              ) -> list[Violation]:
    """R2: a remand (not yet convicted) detainee worked without their own written request
    in force on every day worked on remand in the period (from the placement's first
    day there to the day before the conviction, or its last day)."""
    first, last = period.first_day(), period.last_day()
    convicted_later = sa.and_(Inmate.convicted_on.is_not(None), Inmate.convicted_on <= last)
    last_on_remand = sa.case((convicted_later, day_before(Inmate.convicted_on)), else_=last)
    query = _placements(period, scope, first.label("day"), vacancy=False).where(
        # not convicted on the first day means not convicted on the period's first day
        # either: a test of the inmate's row alone, so the inmates convicted by then are
        # left out before the join
        sa.not_(InmateOnDay(period.start).convicted),
        sa.not_(InmateOnDay(first).convicted),
        ~_consent_throughout(ConsentKind.REMAND_WORK_REQUEST, first, last_on_remand))
    return _violations("R2", query, lambda row: _l(
        "no written request of their own on file."))


def r3_medical_fitness(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                       ) -> list[Violation]:
    """R3 (``policy.rules.r3_fitness_allows``): unfit, limited fitness in heavy or hazardous
    work, or a review date passed, on the first day in the period the placement broke it.

    Each assessment decides from the day it was made until the next one (``_Fitness``),
    the inmate's own recorded fitness and review date before the first: within such a
    stretch of the placement's days in the period, the fitness breaks the rule on its
    first day or never, a passed review from the day after the review date. So every
    day of the period is judged (a shorter period finds nothing the longer one does
    not), from one row per assessment."""
    found = []
    for row in _rows(_Fitness(period, scope).broken()):
        review_passed = row.review is not None and _as_date(row.review) < _as_date(row.day)
        fitness_breaks = row.fitness_broken or review_passed
        day = _as_date(row.day) if fitness_breaks else _as_date(row.review) + timedelta(days=1)
        found.append(Violation("R3", row.id, row.inmate_id, row.vacancy_id, row.institution_id,
                               day, _l(
            "fitness %(fitness)s, review date %(review)s.",
            fitness=_label(row.fitness) if row.fitness != NOT_ASSESSED else _l("not assessed"),
            review=row.review or "—")))
    return _first_per_placement(found)


class _Fitness:
    """The stretches of each placement's days in the period with one fitness: one per
    medical assessment made by its last day there (from the day it was made, or the
    first day, to the day before the next one, or the last day), and before the first
    assessment one with the inmate's own recorded fitness and review date. The
    placement's assessments are sorted once, each valid until the next one (``lead``;
    several on one day: the last recorded, the others' stretches are empty)."""

    def __init__(self, period: Period, scope: sa.ColumnElement[bool]) -> None:
        self.period, self.scope = period, scope
        self.first, self.last = period.first_day(), period.last_day()

    def _assessed(self) -> sa.Select:
        next_on = sa.func.lead(MedicalAssessment.assessed_on).over(
            partition_by=Placement.id,
            order_by=(MedicalAssessment.assessed_on, MedicalAssessment.id))
        dated = (_placements(self.period, self.scope, self.first.label("first"),
                             self.last.label("last"), Vacancy.heavy_or_hazardous,
                             sa.type_coerce(MedicalAssessment.fitness, sa.String)
                             .label("fitness"),
                             MedicalAssessment.review_date.label("review"),
                             MedicalAssessment.assessed_on, next_on.label("next_on"),
                             inmate=False)
                 .join(MedicalAssessment,
                       sa.and_(MedicalAssessment.inmate_id == Placement.inmate_id,
                               MedicalAssessment.assessed_on <= self.last))
                 .subquery())
        begins = sa.case((dated.c.assessed_on > dated.c.first, dated.c.assessed_on),
                         else_=dated.c.first)
        ends = sa.case((sa.and_(dated.c.next_on.is_not(None), dated.c.next_on <= dated.c.last),
                        day_before(dated.c.next_on)), else_=dated.c.last)
        return sa.select(dated.c.id, dated.c.inmate_id, dated.c.vacancy_id,
                         dated.c.institution_id, dated.c.heavy_or_hazardous, dated.c.fitness,
                         dated.c.review, begins.label("day"), ends.label("until")).where(
            sa.or_(dated.c.next_on.is_(None), dated.c.next_on > dated.c.first),
            sa.or_(dated.c.next_on.is_(None), dated.c.next_on > dated.c.assessed_on))

    def _before_any(self) -> sa.Select:
        earliest = (sa.select(sa.func.min(MedicalAssessment.assessed_on))
                    .where(MedicalAssessment.inmate_id == Placement.inmate_id)
                    .scalar_subquery())
        ends = sa.case((sa.and_(earliest.is_not(None), earliest <= self.last),
                        day_before(earliest)), else_=self.last)
        own = (sa.select(sa.func.coalesce(sa.type_coerce(Inmate.fitness, sa.String),
                                          NOT_ASSESSED))
               .where(Inmate.id == Placement.inmate_id).scalar_subquery())
        review = (sa.select(Inmate.fitness_review_date)
                  .where(Inmate.id == Placement.inmate_id).scalar_subquery())
        return _placements(self.period, self.scope, Vacancy.heavy_or_hazardous,
                           own.label("fitness"), review.label("review"),
                           self.first.label("day"), ends.label("until"), inmate=False).where(
            sa.or_(earliest.is_(None), earliest > self.first))

    def broken(self) -> sa.Select:
        """The stretches where the rule was broken on some day: the fitness (from the
        stretch's first day, ``fitness_broken``) or a review date passed before its
        last day."""
        stretch = sa.union_all(self._assessed(), self._before_any()).subquery()
        job = SimpleNamespace(heavy=sa.func.coalesce(stretch.c.heavy_or_hazardous, sa.false()))
        fitness = SimpleNamespace(fitness=stretch.c.fitness, review_valid=sa.true())
        fitness_broken = sa.not_(rules.r3_fitness_allows(SQL, fitness, job))
        review_passed = sa.and_(stretch.c.review.is_not(None),
                                stretch.c.review < stretch.c.until)
        return (sa.select(stretch, fitness_broken.label("fitness_broken"))
                .where(sa.or_(fitness_broken, review_passed)))


def _first_per_placement(found: list[Violation]) -> list[Violation]:
    first: dict[int, Violation] = {}
    for item in sorted(found, key=lambda v: v.day):
        first.setdefault(item.placement_id, item)
    return list(first.values())


def r4_voluntary_without_consent(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                                 ) -> list[Violation]:
    """R4: an inmate of a voluntary-only group (pension age, disability I/II, pregnancy)
    worked without a voluntary-work consent in force throughout."""
    law = _law(period.end.year)
    first, last = period.first_day(), period.last_day()
    query = _placements(period, scope, last.label("day"), vacancy=False).where(
        in_voluntary_group(period.end, law),
        ~_consent_throughout(ConsentKind.VOLUNTARY_WORK, first, last))
    candidates = _violations("R4", query, lambda row: _l(
        "Voluntary-only group (pension age, disability I/II or pregnancy) at work "
        "without a voluntary-work consent in force."))
    # Pension age depends on the day: a placement that ended earlier is checked on its own
    # last day (the group only grows with age, so the period's end finds every candidate).
    # The group reads no dated history, so the inmates' own columns, read once, decide.
    earlier = {v.inmate_id for v in candidates if v.day != period.end}
    people = {row.id: person(row) for row in _rows(
        sa.select(Inmate.__table__).where(Inmate.id.in_(earlier)))} if earlier else {}
    return [v for v in candidates if v.day == period.end
            or rules.in_voluntary_group(PYTHON, law, people[v.inmate_id], v.day)]


def r5_private_employer_without_consent(period: Period,
                                        scope: sa.ColumnElement[bool] = sa.true(),
                                        ) -> list[Violation]:
    """R5: work for a private company or sole trader without the inmate's consent in force
    throughout (``policy.rules.r5_consent_allows``)."""
    first, last = period.first_day(), period.last_day()
    person = InmateOnDay(first)
    person.consent_private = _consent_throughout(ConsentKind.PRIVATE_EMPLOYER, first, last)
    query = _with_employer(_placements(period, scope, first.label("day"),
                                       Employer.name.label("employer"), inmate=False)).where(
        sa.not_(rules.r5_consent_allows(SQL, person, _Job)))
    return _violations("R5", query, lambda row: _l(
        "Work for the private employer %(employer)s without a consent in force.",
        employer=row.employer))


def _hours_on(day: sa.ColumnElement, *where: sa.ColumnElement[bool]) -> sa.ColumnElement:
    """The weekly hours of the inmate's placements active on ``day`` (all of them)."""
    return (sa.select(sa.func.coalesce(sa.func.sum(Active.weekly_hours), 0))
            .where(Active.inmate_id == Placement.inmate_id,
                   active_on(SQL, Active.start_date, Active.end_date, day), *where)
            .scalar_subquery())


Active = aliased(Placement)  # the inmate's other placements on the same day


def _itself_or_senior(other: Any) -> sa.ColumnElement[bool]:
    return sa.or_(other.id == Placement.id, _senior(other))


def _senior(other: Any, placement: Any = Placement) -> sa.ColumnElement[bool]:
    """``other`` started before ``placement`` (or the same day, recorded first). A check
    that counts several placements (R6's and R9's hours, R9's paid placements, R11's
    positions) reports the placement that went over: the count of it and the placements
    senior to it active on a day. That count never grows while the placement lasts (a
    senior placement active on a day was active on every day since this one started),
    so the placement's first day in the period decides, and a period finds whatever a
    shorter period inside it finds."""
    return sa.or_(other.start_date < placement.start_date,
                  sa.and_(other.start_date == placement.start_date, other.id < placement.id))
_WITH_DISABILITY_GROUP = aliased(Inmate, sa.select(Inmate).where(
    Inmate.disability_group.is_not(None)).subquery())


def r6_juvenile_work(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                     ) -> list[Violation]:
    """R6 (``policy.rules.r6_juvenile_allows``): under 18 outside a juvenile institution,
    in heavy or hazardous work, or over the weekly hours for the age in the placement and
    those senior to it (``_senior``), on the placement's first day in the period (being
    under 18 only ends and the limit for the age only grows)."""
    law = _law(period.end.year)
    first = period.first_day()
    query = _placements(period, scope, first.label("day"), Inmate.birth_date,
                        _hours_on(first, _itself_or_senior(Active)).label("hours"),
                        Vacancy.heavy_or_hazardous,
                        Institution.kind.label("institution_kind")).join(
        Institution, Institution.id == Placement.institution_id).where(
        Inmate.birth_date > born_by(period.start, months_of(ADULT_AGE)))  # under 18 at all
    found = []
    for row in _rows(query):
        day, person = _as_date(row.day), SimpleNamespace(birth=row.birth_date)
        job = SimpleNamespace(heavy=bool(row.heavy_or_hazardous))
        juvenile_institution = row.institution_kind == InstitutionKind.JUVENILE_COLONY
        if not rules.r6_juvenile_allows(PYTHON, law, person, job, day, juvenile_institution,
                                        int(row.hours)):
            limit = rules.juvenile_hours_limit(PYTHON, law, person, day)
            found.append(Violation("R6", row.id, row.inmate_id, row.vacancy_id,
                                   row.institution_id, day, _l(
                                       "Under 18: %(hours)s h a week (limit %(limit)s h)"
                                       "%(heavy)s.", hours=row.hours, limit=limit,
                                       heavy=_l(", heavy or hazardous work")
                                       if row.heavy_or_hazardous else "")))
    return found


def r8_outside_perimeter(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                         ) -> list[Violation]:
    """R8 (``policy.rules.r8_outside_allows``): work outside the perimeter by an inmate
    whose regime may not (only minimum, or medium in the conditions the settings allow)."""
    law = _law(period.end.year)
    person = InmateOnDay(period.end)
    query = _placements(period, scope, period.first_day().label("day"), Inmate.regime,
                        Inmate.conditions).where(
        sa.not_(rules.r8_outside_allows(SQL, law, person, _Job)))
    return _violations("R8", query, lambda row: _l(
        "Outside the perimeter in the %(regime)s regime, %(conditions)s conditions.",
        regime=_label(row.regime), conditions=_label(row.conditions)))


def r9_hours_over_limit(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                        ) -> list[Violation]:
    """R9: the weekly hours of an inmate's active placements add up to more than the limit
    (``policy.rules.r9_hours_allow``: adults; less for disability groups I and II), or
    a second paid placement while one at a time is the rule: the placement that went
    over, on its first day in the period: its own hours and those of the inmate's
    placements senior to it (``_senior``) active then (``_others_on_first_day``)."""
    law = _law(period.end.year)
    first = period.first_day()
    others = _others_on_first_day(period, scope)
    own = active_on(SQL, Placement.start_date, Placement.end_date, first)
    hours = (sa.case((own, Placement.weekly_hours), else_=0)
             + sa.func.coalesce(others.c.hours, 0))
    paid = (sa.case((sa.and_(own, Placement.paid.is_(True)), 1), else_=0)
            + sa.func.coalesce(others.c.paid, 0))
    too_many = (paid > 1) if law.one_paid_placement else sa.false()
    # the limit reads the disability group alone (a namespace of just that: any other
    # attribute fails), and an inmate without one recorded has none (``InmateOnDay``
    # reads null as 0), so only the inmates with one are joined, not every inmate
    with_group = _WITH_DISABILITY_GROUP
    person = SimpleNamespace(disability=InmateOnDay(first, with_group).disability)
    query = (_placements(period, scope, first.label("day"), hours.label("hours"),
                         rules.hours_limit(SQL, law, person).label("limit"),
                         paid.label("paid"), inmate=False, vacancy=False)
             .outerjoin(with_group, with_group.id == Placement.inmate_id)
             .outerjoin(others, others.c.placement_id == Placement.id)
             .where(sa.or_(sa.not_(rules.r9_hours_allow(SQL, law, person, hours)),
                           sa.and_(Placement.paid.is_(True), too_many))))
    return _violations("R9", query, lambda row: _l(
        "%(hours)s h a week in all active placements (limit %(limit)s h).",
        hours=row.hours, limit=row.limit) if row.hours > row.limit else _l(
        "%(paid)s paid placements at the same time (one at a time is the rule).",
        paid=row.paid))


def _others_on_first_day(period: Period, scope: sa.ColumnElement[bool]) -> sa.Subquery:
    """Per placement active in the period (``placement_id``) whose inmate had placements
    senior to it (``_senior``) active on its first day: their weekly hours and how many
    are paid. Few
    inmates hold two placements at once, so this pairs few rows, and the placements
    without such others are not grouped at all."""
    first = period.first_day()
    return (sa.select(Placement.id.label("placement_id"),
                      sa.func.sum(Active.weekly_hours).label("hours"),
                      sa.func.count(sa.case((Active.paid.is_(True), Active.id))).label("paid"))
            .join(Active, sa.and_(Active.inmate_id == Placement.inmate_id,
                                  _senior(Active),
                                  period.overlaps(Active),  # implied: active on a day of it
                                  active_on(SQL, Active.start_date, Active.end_date, first)))
            .where(period.overlaps(), scope).group_by(Placement.id).subquery())


def r10_pay_under_minimum(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                          ) -> list[Violation]:
    """R10 (``policy.rules.r10_wage_allows``): a monthly wage under the minimum wage of
    the year, pro rata for fewer hours; checked against each year the period covers."""
    found = []
    for year in period.years():
        law = _law(year.start.year)
        query = _placements(year, scope, year.first_day().label("day"), Placement.monthly_wage,
                            Placement.weekly_hours, inmate=False, vacancy=False).where(
            sa.not_(rules.r10_wage_allows(SQL, law, _Job.wage, _Job.hours)))
        found += _violations("R10", query, lambda row, law=law: _l(
            "Pays %(wage)s tenge a month for %(hours)s h a week; the minimum is %(minimum)s.",
            wage=row.monthly_wage, hours=row.weekly_hours,
            minimum=rules.minimum_wage(law, row.weekly_hours)))
    return _first_per_placement(found)


def r11_positions_exceeded(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                           ) -> list[Violation]:
    """R11: more active placements at a vacancy than it has positions: the placement
    that went over (counted with those senior to it, ``_senior``), on its first day in
    the period."""
    other = aliased(Placement)
    first = period.first_day()
    active = sa.func.count(other.id)
    senior = sa.or_(other.id == Placement.id, _senior(other))
    query = (_placements(period, scope, first.label("day"), active.label("active"),
                         Vacancy.positions, inmate=False)
             .join(other, sa.and_(other.vacancy_id == Placement.vacancy_id, senior,
                                  placement_open_on(first, other)))
             .where(Placement.vacancy_id.in_(_crowded_vacancies(period)))
             .group_by(Placement.id, Vacancy.id).having(active > Vacancy.positions))
    return _violations("R11", query, lambda row: _l(
        "%(active)s active placements for %(positions)s positions.",
        active=row.active, positions=row.positions))


def _crowded_vacancies(period: Period) -> sa.Select:
    """Vacancies with more placements active at some time in the period than positions:
    only they can have been over on a day, so only their placements are paired."""
    return (sa.select(Vacancy.id).join(Placement, Placement.vacancy_id == Vacancy.id)
            .where(period.overlaps()).group_by(Vacancy.id)
            .having(sa.func.count(Placement.id) > Vacancy.positions))


def r14_separation_broken(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                          ) -> list[Violation]:
    """R14: two inmates to be kept apart were active at the same institution, site and shift
    on the same day (after the link was recorded)."""
    link = SeparationLink
    mine, theirs = _linked(period, scope, "mine"), _linked(period, sa.true(), "theirs")
    query = (
        sa.select(mine.c.id, mine.c.inmate_id, mine.c.vacancy_id, mine.c.institution_id,
                  theirs.c.id.label("other_id"), mine.c.start_date,
                  theirs.c.start_date.label("other_start"), link.created_on)
        .select_from(mine)
        .join(link, link.inmate_a_id == mine.c.inmate_id)
        .join(theirs, sa.and_(theirs.c.inmate_id == link.inmate_b_id,
                              theirs.c.institution_id == mine.c.institution_id))
        .where(rules.same_workplace(SQL, _workplace(mine.c), _workplace(theirs.c)),
               link.created_on <= period.end,
               _before_end(mine.c.start_date, theirs.c), _before_end(theirs.c.start_date, mine.c),
               _before_end(link.created_on, mine.c), _before_end(link.created_on, theirs.c))
    )
    return [Violation("R14", row.id, row.inmate_id, row.vacancy_id, row.institution_id,
                      max(period.start, row.start_date, row.other_start, row.created_on),
                      _l("Works at the same site and shift as an inmate to be kept apart "
                         "(placement %(other)s).", other=row.other_id),
                      other_placement_id=row.other_id)
            for row in _rows(query)]


def _linked(period: Period, scope: sa.ColumnElement[bool], name: str) -> sa.CTE:
    """The placements in scope and the period of the few inmates with a separation link,
    with their workplace, worked out first (MATERIALIZED): only they are then paired. Left
    to itself, PostgreSQL paired every placement of an institution with every other
    before it looked at the links (92,000 pairs for 300 placements, 80 ms instead of 1)."""
    link = SeparationLink
    with_a_link = sa.union(sa.select(link.inmate_a_id), sa.select(link.inmate_b_id))
    return (_placements(period, scope, Placement.start_date, Placement.end_date, Vacancy.site,
                        Vacancy.shift, inmate=False)
            .where(Placement.inmate_id.in_(with_a_link))
            .cte(name).prefix_with("MATERIALIZED"))


def _workplace(vacancy: Any) -> SimpleNamespace:
    """R14's workplace of a vacancy: its site and shift; vacancies record no finer
    workshop, so each is the whole site (the safe reading). The empty workplace is written
    into the SQL, not bound: PostgreSQL then drops the workplace test when it plans the
    query, also for the plan it keeps for a statement run many times (bound, it joined
    every vacancy to every placement there: 50 ms instead of 1)."""
    return SimpleNamespace(site=vacancy.site, shift=vacancy.shift,
                           workplace=sa.literal_column("''", sa.String))


def _before_end(day: sa.ColumnElement, placement: Any) -> sa.ColumnElement[bool]:
    """``day`` falls before the placement ended (it may still be open)."""
    return placement_open_on(day, placement)


def r28_risk_above_workplace(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                             ) -> list[Violation]:
    """R28 (``policy.rules.r28_security_allows``): a person above the highest risk level
    the vacancy may take, on the first day in the period it was so. The level changes only
    with a risk assessment, so the placement's first day there and the days of the
    assessments made while it lasted are the days to judge; the vacancy's limit is read
    as it is now (as the vacancies' other flags)."""
    law = _law(period.end.year)
    first, last = period.first_day(), period.last_day()
    on_first = _placements(period, scope, first.label("day"), inmate=False, vacancy=False)
    on_assessment = _placements(period, scope, RiskAssessment.assessed_on.label("day"),
                                inmate=False, vacancy=False).join(RiskAssessment, sa.and_(
        RiskAssessment.inmate_id == Placement.inmate_id, RiskAssessment.assessed_on > first,
        RiskAssessment.assessed_on <= last))
    days = sa.union_all(on_first, on_assessment).subquery()
    level = risk.latest_level(days.c.day, days.c.inmate_id)
    person = SimpleNamespace(risk=risk.risk_on(days.c.day, law, days.c.inmate_id))
    job = SimpleNamespace(outside=Vacancy.site == Site.OUTSIDE,
                          max_risk=risk.max_risk_of(Vacancy.max_risk_level, law))
    query = (sa.select(days, level.label("level"), Vacancy.max_risk_level)
             .join(Vacancy, Vacancy.id == days.c.vacancy_id)
             .where(sa.not_(rules.r28_security_allows(SQL, law, person, job))))
    return _first_per_placement(_violations("R28", query, lambda row: _l(
        "Risk level %(level)s in work that takes %(limit)s at most.",
        level=RISK_LEVEL_LABELS.get(row.level, row.level) if row.level else _l("not assessed"),
        limit=RISK_LEVEL_LABELS.get(row.max_risk_level, row.max_risk_level))))


def r29_scattered_cap_exceeded(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                               ) -> list[Violation]:
    """R29: more persons flagged under the scattered model at a workplace and shift than its
    institution allows: the placement of a flagged person that went over, counted with the
    flagged persons' placements there senior to it (``_senior``), on the first day in the
    period it was so. The flags are read as they were: the count of a placement and its
    seniors grows only on a day a flag begins (senior placements never start later), so
    the days judged are its first day in the period and each day in it a flag of a person
    at work at the institution begins (``_r29_days``); a period thus finds whatever a
    shorter one inside it finds."""
    law = _law(period.end.year)
    mine = _r29_days(period, scope)
    other, their_job = aliased(Placement), aliased(Vacancy)
    together = sa.func.count(sa.distinct(other.inmate_id))
    cap = sa.func.coalesce(Institution.scattered_cap, law.scattered_cap)
    query = (sa.select(mine.c.id, mine.c.inmate_id, mine.c.vacancy_id, mine.c.institution_id,
                       mine.c.day, together.label("together"), cap.label("cap"))
             .join(Institution, Institution.id == mine.c.institution_id)
             .join(other, sa.and_(other.institution_id == mine.c.institution_id,
                                  placement_open_on(mine.c.day, other),
                                  other.start_date <= mine.c.day,
                                  sa.or_(other.id == mine.c.id, _senior(other, mine.c)),
                                  risk.flagged_on(mine.c.day, other.inmate_id)))
             .join(their_job, sa.and_(their_job.id == other.vacancy_id,
                                      their_job.site == mine.c.site,
                                      their_job.shift == mine.c.shift))
             .where(risk.flagged_on(mine.c.day, mine.c.inmate_id))
             .group_by(mine.c.id, mine.c.inmate_id, mine.c.vacancy_id, mine.c.institution_id,
                       mine.c.day, Institution.scattered_cap)
             .having(together > cap))
    return _first_per_placement(_violations("R29", query, lambda row: _l(
        "%(together)s persons of the scattered model at the same workplace and shift "
        "(%(cap)s at most).", together=row.together, cap=row.cap)))


def _r29_days(period: Period, scope: sa.ColumnElement[bool]) -> sa.Subquery:
    """R29's days to judge of each placement in scope of a person flagged on some day of
    the period: its first day there, and each later day there that a flag of a person
    working at the institution that day begins (the only days its count can grow)."""
    first, last = period.first_day(), period.last_day()
    flagged_in_period = sa.exists().where(
        ScatteredFlag.inmate_id == Placement.inmate_id, ScatteredFlag.flagged_on <= last,
        SQL.open_after(ScatteredFlag.lifted_on, first))
    columns = (Placement.start_date, Vacancy.site, Vacancy.shift)
    on_first = _placements(period, scope, first.label("day"), *columns,
                           inmate=False).where(flagged_in_period)
    begins, at_work = aliased(ScatteredFlag), aliased(Placement)
    on_flag = (_placements(period, scope, begins.flagged_on.label("day"), *columns,
                           inmate=False)
               .join(begins, sa.and_(begins.flagged_on > first, begins.flagged_on <= last))
               .where(flagged_in_period, sa.exists().where(
                   at_work.inmate_id == begins.inmate_id,
                   at_work.institution_id == Placement.institution_id,
                   at_work.start_date <= begins.flagged_on,
                   placement_open_on(begins.flagged_on, at_work))))
    return sa.union(on_first, on_flag).subquery()


def r30_court_ban_broken(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                         ) -> list[Violation]:
    """R30 (``policy.rules.r30_ban_runs``): work in a trade a court's ban covers, on the
    first day in the period that the ban ran while the placement was active."""
    law = _law(period.end.year)
    first, last = period.first_day(), period.last_day()
    day = sa.case((CourtBan.starts_on > first, CourtBan.starts_on), else_=first)
    query = (_placements(period, scope, day.label("day"), CourtBan.decision_ref,
                         inmate=False)
             .join(CourtBan, sa.and_(CourtBan.inmate_id == Placement.inmate_id,
                                     CourtBan.starts_on <= last))
             .join(court_ban_trades, sa.and_(court_ban_trades.c.ban_id == CourtBan.id,
                                             court_ban_trades.c.trade_id == Vacancy.trade_id))
             .where(rules.r30_ban_runs(SQL, law, CourtBan.starts_on, CourtBan.ends_on, day)))
    return _first_per_placement(_violations("R30", query, lambda row: _l(
        "Work in a trade the court's ban %(decision)s covers.", decision=row.decision_ref)))


CHECKS: dict[str, tuple[Callable[..., list[Violation]], Any]] = {
    "R2": (r2_remand_without_request, _l("Remand detainee without own request")),
    "R3": (r3_medical_fitness, _l("Medical fitness")),
    "R4": (r4_voluntary_without_consent, _l("Voluntary-only group without consent")),
    "R5": (r5_private_employer_without_consent, _l("Private employer without consent")),
    "R6": (r6_juvenile_work, _l("Juvenile in heavy work or over hours")),
    "R8": (r8_outside_perimeter, _l("Outside the perimeter, regime not allowed")),
    "R9": (r9_hours_over_limit, _l("Weekly hours over the limit")),
    "R10": (r10_pay_under_minimum, _l("Pay under the minimum wage")),
    "R11": (r11_positions_exceeded, _l("More placements than positions")),
    "R14": (r14_separation_broken, _l("Separated inmates together")),
    "R28": (r28_risk_above_workplace, _l("Risk level above the workplace's")),
    "R29": (r29_scattered_cap_exceeded, _l("Scattered model's cap exceeded")),
    "R30": (r30_court_ban_broken, _l("Work a court's ban covers")),
}


def find_violations(period: Period, scope: sa.ColumnElement[bool],
                    rules: list[str] | None = None) -> list[Violation]:
    """Every violation of ``rules`` (all by default) in the period, oldest first."""
    found: list[Violation] = []
    for rule in rules or list(CHECKS):
        found += CHECKS[rule][0](period, scope)
    return in_order(found)


def placements_by_id(violations: list[Violation]) -> dict[int, Placement]:
    """The placements (with inmate, vacancy and institution) the violations point to."""
    ids = {v.placement_id for v in violations} | {
        v.other_placement_id for v in violations if v.other_placement_id}
    if not ids:
        return {}
    query = (sa.select(Placement).where(Placement.id.in_(ids))
             .options(joinedload(Placement.inmate), joinedload(Placement.vacancy),
                      joinedload(Placement.institution)))
    return {p.id: p for p in db.session.scalars(query)}


def period_ending(day: date, days: int = 30) -> Period:
    return Period(day - timedelta(days=days - 1), day)


# --- R31: applications answered late ----------------------------------------------------
# Not one of the placement CHECKS above (there is no placement to point at): a late answer
# is the application's own violation, with the application and its audit trail as evidence.


@dataclass(frozen=True)
class LateAnswer:
    """An application not answered within the year's answer days (R31)."""

    application_id: int
    inmate_id: int
    institution_id: int
    received_on: date
    due_on: date  # the last day an answer was in time
    day: date  # its first late day in the period
    answered_on: date | None  # None: not answered (yet)
    days_late: int  # by the answer, or by the period's end while unanswered


def day_before_date(day: date) -> date:
    return day - timedelta(days=1)


def r31_late_answers(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                     ) -> list[LateAnswer]:
    """R31: applications still unanswered on some day of the period after their last day
    for an answer (received on + the answer days of the period's last year). Late from
    the day after that until the first answer, or until the application ended unanswered
    (withdrawn or closed); shown on its first late day in the period, so a longer period
    finds whatever a shorter one inside it finds."""
    from app.applications.models import OPEN_STATES, Application

    days = _law(period.end.year).application_answer_days
    stopped = sa.func.coalesce(Application.answered_on, sa.case(
        (Application.state.in_(OPEN_STATES), sa.null()), else_=Application.state_changed_on))
    candidates = _rows(sa.select(Application.id, Application.inmate_id,
                                 Application.institution_id, Application.received_on,
                                 Application.answered_on, stopped.label("stopped"))
                       .where(scope, Application.received_on
                              <= period.end - timedelta(days=days + 1),
                              sa.or_(stopped.is_(None), stopped > period.start))
                       .order_by(Application.received_on, Application.id))
    found = []
    for row in candidates:
        due = _as_date(row.received_on) + timedelta(days=days)
        stop = _as_date(row.stopped) if row.stopped is not None else None
        day = max(due + timedelta(days=1), period.start)
        if stop is not None and stop <= day:
            continue  # answered (or ended) in time, or before the period
        answered = _as_date(row.answered_on) if row.answered_on is not None else None
        # answered late on its day; ended unanswered the day before; else still waiting
        through = answered or (day_before_date(stop) if stop else period.end)
        found.append(LateAnswer(row.id, row.inmate_id, row.institution_id,
                                _as_date(row.received_on), due, day, answered,
                                (min(through, period.end) - due).days))
    return found
