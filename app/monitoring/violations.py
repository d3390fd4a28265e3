"""Violations: placements that broke a rule while they were active.

Each check is one function named after its rule (DOMAIN.md R2–R14). It returns
the placements active in a period (both ends included) that broke it, with the
day it was seen and why, computed in SQL.

When a check looks: on the placement's first and last active day within the
period (R2 on the first; R3, R4, R5 on both, consents must be in force
throughout); R9 and R11, which count several placements, on every day a
placement started; R14 on the first day two separated inmates overlapped.
Dated history (conviction, medical assessments, consents, placements,
separation links) is read as it was; facts without history (regime,
conditions, disability group, pregnancy, the vacancy's flags) as they are now.
Thresholds are the settings of the period's last year (R10: of each year).
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.sql.functions import FunctionElement

from app.core.labels import LABELS
from app.core.lawsql import SQL
from app.core.vocabulary import (
    PRIVATE_EMPLOYER_KINDS,
    ConsentKind,
    InstitutionKind,
    Site,
)
from app.extensions import db
from app.inmates.law_columns import NOT_ASSESSED, InmateOnDay, consent_in_force, person
from app.inmates.models import Consent, Inmate, MedicalAssessment, SeparationLink
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


class day_before(FunctionElement):  # noqa: N801  (reads like the SQL function it is)
    """The day before a date column, portable (PostgreSQL: d - 1; SQLite: date(d, '-1 day'))."""

    type = sa.Date()
    name = "day_before"
    inherit_cache = True


@compiles(day_before)
def _day_before_default(element: day_before, compiler: Any, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)} - 1)"


@compiles(day_before, "sqlite")
def _day_before_sqlite(element: day_before, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '-1 day')"


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
    """R2: a remand (not yet convicted) detainee worked without their own written request."""
    first = period.first_day()
    query = _placements(period, scope, first.label("day"), vacancy=False).where(
        # not convicted on the first day means not convicted on the period's first day
        # either: a test of the inmate's row alone, so the inmates convicted by then are
        # left out before the join
        sa.not_(InmateOnDay(period.start).convicted),
        sa.not_(InmateOnDay(first).convicted),
        ~_consent_throughout(ConsentKind.REMAND_WORK_REQUEST, first, first))
    return _violations("R2", query, lambda row: _l(
        "no written request of their own on file."))


def r3_medical_fitness(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                       ) -> list[Violation]:
    """R3: unfit, without a valid medical review, or limited fitness in heavy or hazardous
    work, on the first or the last active day (``policy.rules.r3_fitness_allows``); the
    first day is reported when both broke it."""
    latest = _AssessmentsOnPlacementDays(period, scope)
    on_days = [(day, InmateOnDay(day, _OwnColumns(), history), history)
               for day, history in ((period.first_day(), latest.on_first),
                                    (period.last_day(), latest.on_last))]
    broken = [sa.not_(rules.r3_fitness_allows(SQL, person, _Job)) for _, person, _ in on_days]
    columns = [column.label(f"{name}_{k}") for k, (day, person, history) in enumerate(on_days)
               for name, column in (("day", day), ("fitness", person.fitness),
                                    ("review", history.latest(MedicalAssessment.review_date)))]
    query = latest.join(_placements(period, scope, broken[0].label("broken_0"), *columns,
                                    inmate=False)).where(sa.or_(*broken))
    found = []
    for row in _rows(query):
        k = 0 if row.broken_0 else 1  # the day it was seen: the first, else the last
        fitness, review = getattr(row, f"fitness_{k}"), getattr(row, f"review_{k}")
        found.append(Violation("R3", row.id, row.inmate_id, row.vacancy_id, row.institution_id,
                               _as_date(getattr(row, f"day_{k}")), _l(
            "fitness %(fitness)s, review date %(review)s.",
            fitness=_label(fitness) if fitness != NOT_ASSESSED else _l("not assessed"),
            review=review or "—")))
    return found


class _OwnColumns:
    """The placement's inmate's own columns (``InmateOnDay``'s ``inmate``), each read by a
    subquery. R3 reads them only for a day no assessment had been made by: behind the
    assessment's values in COALESCE and CASE, which stop at the first that decides, so
    most rows never read them and the query does not join every inmate."""

    def __getattr__(self, name: str) -> sa.ScalarSelect:
        return (sa.select(getattr(Inmate, name)).where(Inmate.id == Placement.inmate_id)
                .scalar_subquery())


class _AssessmentsOnPlacementDays:
    """The dated history ``InmateOnDay`` reads, for each placement active in the period,
    on its first and on its last active day (``on_first``, ``on_last``): the latest
    assessment by then (ties on the day broken by id). The placement's assessments up to
    its last day are sorted once, each valid until the next one (``lead``), and the one
    valid on each day kept (one row, or two when a new one was made in between): one
    subquery to outer-join (``join``), not a ranking per day nor a correlated subquery
    per row. Consents stay correlated."""

    def __init__(self, period: Period, scope: sa.ColumnElement[bool]) -> None:
        first, last = period.first_day(), period.last_day()
        dated = (sa.select(Placement.id.label("placement_id"), first.label("first"),
                           MedicalAssessment.fitness, MedicalAssessment.review_date,
                           MedicalAssessment.assessed_on,
                           sa.func.lead(MedicalAssessment.assessed_on).over(
                               partition_by=Placement.id,
                               order_by=(MedicalAssessment.assessed_on, MedicalAssessment.id),
                           ).label("next_on"))
                 .join(MedicalAssessment,
                       sa.and_(MedicalAssessment.inmate_id == Placement.inmate_id,
                               MedicalAssessment.assessed_on <= last))
                 .where(period.overlaps(), scope).subquery())
        # valid on the first day: made by then and not replaced by then; on the last day
        # the latest made by then (the others were all replaced by it)
        valid_first = sa.and_(dated.c.assessed_on <= dated.c.first,
                              SQL.open_after(dated.c.next_on, dated.c.first))
        valid_last = dated.c.next_on.is_(None)

        def pick(valid: sa.ColumnElement[bool], column: Any) -> sa.ColumnElement:
            return sa.func.max(sa.case((valid, column)))

        self.assessment = (sa.select(
            dated.c.placement_id,
            sa.func.max(sa.case((valid_first, 1), else_=0)).label("assessed_first"),
            *(pick(valid, dated.c[key]).label(f"{key}_{day}")
              for day, valid in (("first", valid_first), ("last", valid_last))
              for key in ("fitness", "review_date")),
        ).where(sa.or_(valid_first, valid_last)).group_by(dated.c.placement_id).subquery())
        self.on_first = _AssessmentOnDay(self, "first", first,
                                         self.assessment.c.assessed_first == 1)
        self.on_last = _AssessmentOnDay(self, "last", last,
                                        self.assessment.c.placement_id.is_not(None))

    def join(self, query: sa.Select) -> sa.Select:
        return query.outerjoin(self.assessment,
                               self.assessment.c.placement_id == Placement.id)


class _AssessmentOnDay:
    """``DatedHistory`` of one of those days."""

    def __init__(self, latest: _AssessmentsOnPlacementDays, which: str, day: sa.ColumnElement,
                 assessed: sa.ColumnElement[bool]) -> None:
        self.latest_columns, self.which, self.day = latest.assessment.c, which, day
        self.assessed = assessed

    def latest(self, column: Any) -> sa.ColumnElement:
        return self.latest_columns[f"{column.key}_{self.which}"]

    def consent(self, kind: ConsentKind) -> sa.ColumnElement[bool]:
        return consent_in_force(kind, self.day)


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
_WITH_DISABILITY_GROUP = aliased(Inmate, sa.select(Inmate).where(
    Inmate.disability_group.is_not(None)).subquery())


def r6_juvenile_work(period: Period, scope: sa.ColumnElement[bool] = sa.true(),
                     ) -> list[Violation]:
    """R6 (``policy.rules.r6_juvenile_allows``): under 18 outside a juvenile institution,
    in heavy or hazardous work, or over the weekly hours for the age in all placements,
    on the placement's first day in the period."""
    law = _law(period.end.year)
    first = period.first_day()
    query = _placements(period, scope, first.label("day"), Inmate.birth_date,
                        _hours_on(first).label("hours"), Vacancy.heavy_or_hazardous,
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
    a second paid placement while one at a time is the rule, on the day a placement
    started: its own hours (when active that day) and those of the inmate's other
    placements active then (``_others_on_first_day``)."""
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
    """Per placement active in the period (``placement_id``) whose inmate had other
    placements active on its first day: their weekly hours and how many are paid. Few
    inmates hold two placements at once, so this pairs few rows, and the placements
    without such others are not grouped at all."""
    first = period.first_day()
    return (sa.select(Placement.id.label("placement_id"),
                      sa.func.sum(Active.weekly_hours).label("hours"),
                      sa.func.count(sa.case((Active.paid.is_(True), Active.id))).label("paid"))
            .join(Active, sa.and_(Active.inmate_id == Placement.inmate_id,
                                  Active.id != Placement.id,
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
    """R11: more active placements at a vacancy than it has positions, on the day a
    placement started (the placement reported is the one that went over)."""
    other = aliased(Placement)
    first = period.first_day()
    active = sa.func.count(other.id)
    query = (_placements(period, scope, first.label("day"), active.label("active"),
                         Vacancy.positions, inmate=False)
             .join(other, sa.and_(other.vacancy_id == Placement.vacancy_id,
                                  other.start_date <= first,
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
    theirs, their_job, link = aliased(Placement), aliased(Vacancy), SeparationLink
    query = (
        _placements(period, scope, theirs.id.label("other_id"), Placement.start_date,
                    theirs.start_date.label("other_start"), link.created_on, inmate=False)
        .join(link, link.inmate_a_id == Placement.inmate_id)
        .join(theirs, sa.and_(theirs.inmate_id == link.inmate_b_id,
                              theirs.institution_id == Placement.institution_id))
        .join(their_job, their_job.id == theirs.vacancy_id)
        # only the few inmates with a separation link: the planner then never pairs
        # every placement of an institution with every other
        .where(Placement.inmate_id.in_(sa.select(link.inmate_a_id)),
               rules.same_workplace(SQL, _workplace(Vacancy), _workplace(their_job)),
               period.overlaps(theirs), link.created_on <= period.end,
               _before_end(Placement.start_date, theirs), _before_end(theirs.start_date, Placement),
               _before_end(link.created_on, Placement), _before_end(link.created_on, theirs))
    )
    return [Violation("R14", row.id, row.inmate_id, row.vacancy_id, row.institution_id,
                      max(period.start, row.start_date, row.other_start, row.created_on),
                      _l("Works at the same site and shift as an inmate to be kept apart "
                         "(placement %(other)s).", other=row.other_id),
                      other_placement_id=row.other_id)
            for row in _rows(query)]


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
}


def find_violations(period: Period, scope: sa.ColumnElement[bool],
                    rules: list[str] | None = None) -> list[Violation]:
    """Every violation of ``rules`` (all by default) in the period, oldest first."""
    found: list[Violation] = []
    for rule in rules or list(CHECKS):
        found += CHECKS[rule][0](period, scope)
    return sorted(found, key=lambda v: (v.day, int(v.rule[1:]), v.placement_id))


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
