"""Database rows -> ``matching`` inputs, for one institution on one date.

The engine is a library (numpy, no SQLAlchemy); this module is the only place
that knows both sides. A handful of set-based queries load everything (one per
kind of row, never one per inmate), so a run over thousands of inmates costs
the same dozen round trips as a run over ten.

The same loaders serve the accept-time re-check (``operations.start_placement``),
restricted to one inmate and one vacancy, so "what the engine saw" and "what an
accept checks" are built by the same code.
"""

import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa

import matching
from app.core.vocabulary import ConsentKind, CustodyStatus, EnrolmentStatus, VacancyStatus
from app.extensions import db
from app.inmates.models import (
    Certificate,
    Consent,
    Inmate,
    InmateSkill,
    MedicalAssessment,
    SeparationLink,
    inmate_trade_wishes,
)
from app.inmates.status import employed, held_on
from app.institutions.models import Institution
from app.placements.models import Placement
from app.settings.models import YearSettings
from app.taxonomy.models import Trade
from app.training.models import Course, Enrolment
from app.vacancies.models import (
    Employer,
    Vacancy,
    vacancy_required_certificates,
    vacancy_required_skills,
)

# ---------------------------------------------------------------- settings


def engine_settings(settings: YearSettings) -> matching.Settings:
    """The year's settings (app/settings) as the engine's ``Settings``."""
    groups = set(settings.voluntary_groups.split(","))
    medium_ok = {c for c in settings.outside_medium_conditions.split(",") if c}
    return matching.Settings(
        target_rate=float(settings.target_rate),
        min_monthly_wage=settings.min_monthly_wage,
        full_time_hours=settings.full_time_hours,
        max_hours_adult=settings.max_hours_adult,
        max_hours_disabled=settings.max_hours_disabled,
        max_hours_juvenile_16=settings.max_hours_juvenile_16,
        max_hours_juvenile_14=settings.max_hours_juvenile_14,
        pension_age_men=float(settings.pension_age_men),
        pension_age_women=float(settings.pension_age_women),
        outside_regimes_any_conditions=frozenset({"minimum"}),
        outside_regime_conditions=frozenset(("medium", c) for c in medium_ok),
        voluntary_pension_age="pension_age" in groups,
        voluntary_disability_groups=frozenset({1, 2}) if "disability_1_2" in groups
        else frozenset(),
        voluntary_pregnant="pregnant" in groups,
        weights=matching.Weights(
            skill=settings.weight_skill,
            certificate=settings.weight_certificate,
            wish=settings.weight_wish,
            recent_training=settings.weight_recent_training,
            release_time=settings.weight_release_time,
            wage=settings.weight_wage,
        ),
    )


def settings_snapshot(settings: YearSettings) -> dict[str, Any]:
    """The stored settings row as JSON (what the run was decided under)."""
    return {column.key: to_json(getattr(settings, column.key))
            for column in YearSettings.__table__.columns
            if column.key not in ("created_at", "updated_at")}


# ---------------------------------------------------------------- inmates


def held_inmate_ids(institution_id: int, day: date) -> sa.Select:
    """Ids of the inmates held at the institution on ``day`` (custody history, R19)."""
    held = held_on(day).subquery()
    return sa.select(held.c.inmate_id).where(held.c.institution_id == institution_id)


def open_placements(day: date) -> sa.ColumnElement[bool]:
    """Placements not ended by ``day``: active now or starting later. They hold a
    position and the inmate's hours until they end."""
    return sa.or_(Placement.end_date.is_(None), Placement.end_date > day)


# Plain columns rather than ORM objects: thousands of rows load several times faster.
INMATE_COLUMNS = (Inmate.id, Inmate.birth_date, Inmate.sex, Inmate.legal_status, Inmate.regime,
                  Inmate.conditions, Inmate.release_date, Inmate.fitness,
                  Inmate.fitness_review_date, Inmate.disability_group, Inmate.pregnant)


def load_inmates(ids: sa.Select | Collection[int], day: date) -> list[matching.Inmate]:
    """The engine's view of the inmates ``ids`` (a subquery or a list) on ``day``."""
    rows = db.session.execute(
        sa.select(*INMATE_COLUMNS, employed(day).label("employed"))
        .where(_in(Inmate.id, ids)).order_by(Inmate.id)
    ).all()
    if not rows:
        return []
    # The child rows are selected by the same id source: a subquery for a whole
    # institution keeps thousands of ids out of the statements' parameters.
    inmate_ids = ids if isinstance(ids, sa.Select) else list(ids)
    fitness = _fitness_on(inmate_ids, day)
    consents = _consents(inmate_ids, day)
    skills = _pairs(sa.select(InmateSkill.inmate_id, Trade.code, InmateSkill.level)
                    .join(Trade, Trade.id == InmateSkill.trade_id)
                    .where(InmateSkill.inmate_id.in_(inmate_ids)))
    certificates = _pairs(sa.select(Certificate.inmate_id, Trade.code)
                          .join(Trade, Trade.id == Certificate.trade_id)
                          .where(Certificate.inmate_id.in_(inmate_ids),
                                 Certificate.issued_on <= day))
    wishes = _pairs(sa.select(inmate_trade_wishes.c.inmate_id, Trade.code)
                    .join(Trade, Trade.id == inmate_trade_wishes.c.trade_id)
                    .where(inmate_trade_wishes.c.inmate_id.in_(inmate_ids)))
    trained = _last_training(inmate_ids, day)
    hours, upcoming = _hours_and_upcoming(inmate_ids, day)
    apart = _separations(inmate_ids)
    return [
        _engine_inmate(row, row.employed or row.id in upcoming, fitness.get(row.id),
                       consents[row.id], dict(skills[row.id]), certificates[row.id],
                       wishes[row.id], trained.get(row.id), hours.get(row.id, 0), apart[row.id])
        for row in rows
    ]


def _engine_inmate(inmate: sa.Row, is_employed: bool, fitness: tuple | None,
                   consents: set[str], skills: dict, certificates: Iterable,
                   wishes: Iterable, trained: date | None, hours: int,
                   apart: set[int]) -> matching.Inmate:
    # The dated assessment decides on a past or future day; the inmate's own
    # columns are the fallback when none is recorded yet.
    status, review = fitness or (inmate.fitness, inmate.fitness_review_date)
    return matching.Inmate(
        id=str(inmate.id),
        birth_date=inmate.birth_date,
        sex=inmate.sex.value,
        legal_status=inmate.legal_status.value,
        regime=inmate.regime.value,
        conditions=inmate.conditions.value,
        release_date=inmate.release_date,
        fitness=_value(status),
        fitness_review_date=review,
        disability_group=inmate.disability_group,
        pregnant=inmate.pregnant,
        consents=frozenset(consents - {ConsentKind.REMAND_WORK_REQUEST.value}),
        skills={code: int(level) for code, level in skills.items()},
        certificates=frozenset(code for (code,) in certificates),
        trade_wishes=frozenset(code for (code,) in wishes),
        last_training_end=trained,
        current_weekly_hours=int(hours),
        employed=bool(is_employed),
        separated_from=frozenset(str(other) for other in apart),
        personal_request_for_work=ConsentKind.REMAND_WORK_REQUEST.value in consents,
    )


IdSource = sa.Select | list[int]


def _in(column: Any, ids: sa.Select | Collection[int]) -> sa.ColumnElement[bool]:
    return column.in_(ids if isinstance(ids, sa.Select) else list(ids))


def _value(member: Any) -> str:
    return member.value if isinstance(member, Enum) else str(member)


def _pairs(query: sa.Select) -> defaultdict[int, list[tuple]]:
    """Rows (owner_id, *rest) grouped by owner: {owner_id: [rest, ...]}."""
    grouped: defaultdict[int, list[tuple]] = defaultdict(list)
    for owner_id, *rest in db.session.execute(query):
        grouped[owner_id].append(tuple(rest))
    return grouped


def _fitness_on(inmate_ids: IdSource, day: date) -> dict[int, tuple]:
    """The latest medical assessment made on or before ``day``, per inmate (R3)."""
    rows = db.session.execute(
        sa.select(MedicalAssessment.inmate_id, MedicalAssessment.fitness,
                  MedicalAssessment.review_date)
        .where(MedicalAssessment.inmate_id.in_(inmate_ids), MedicalAssessment.assessed_on <= day)
        .order_by(MedicalAssessment.assessed_on, MedicalAssessment.id)
    )
    return {inmate_id: (fitness, review) for inmate_id, fitness, review in rows}  # last wins


def _consents(inmate_ids: IdSource, day: date) -> defaultdict[int, set[str]]:
    rows = db.session.execute(
        sa.select(Consent.inmate_id, Consent.kind).where(
            Consent.inmate_id.in_(inmate_ids), Consent.given_on <= day,
            sa.or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on > day))
    )
    found: defaultdict[int, set[str]] = defaultdict(set)
    for inmate_id, kind in rows:
        found[inmate_id].add(_value(kind))
    return found


def _last_training(inmate_ids: IdSource, day: date) -> dict[int, date]:
    finished = sa.func.coalesce(Enrolment.completed_on, Course.end_date)
    rows = db.session.execute(
        sa.select(Enrolment.inmate_id, sa.func.max(finished))
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.inmate_id.in_(inmate_ids),
               Enrolment.status == EnrolmentStatus.COMPLETED, finished <= day)
        .group_by(Enrolment.inmate_id)
    )
    return dict(rows.tuples().all())


def _hours_and_upcoming(inmate_ids: IdSource, day: date) -> tuple[dict[int, int], set[int]]:
    """Weekly hours of the placements not ended by ``day`` (R9), and who holds a
    paid placement starting after ``day``: accepted, so no longer free to propose."""
    rows = db.session.execute(
        sa.select(Placement.inmate_id, sa.func.sum(Placement.weekly_hours),
                  sa.func.max(sa.case((sa.and_(Placement.paid.is_(True),
                                               Placement.start_date > day), 1), else_=0)))
        .where(Placement.inmate_id.in_(inmate_ids), open_placements(day))
        .group_by(Placement.inmate_id)
    )
    hours, upcoming = {}, set()
    for inmate_id, total, later in rows:
        hours[inmate_id] = int(total or 0)
        if later:
            upcoming.add(inmate_id)
    return hours, upcoming


def _separations(inmate_ids: IdSource) -> defaultdict[int, set[int]]:
    """R14 links, both ways round (stored once, lower id first)."""
    rows = db.session.execute(
        sa.select(SeparationLink.inmate_a_id, SeparationLink.inmate_b_id).where(sa.or_(
            SeparationLink.inmate_a_id.in_(inmate_ids),
            SeparationLink.inmate_b_id.in_(inmate_ids)))
    )
    apart: defaultdict[int, set[int]] = defaultdict(set)
    for a, b in rows:
        apart[a].add(b)
        apart[b].add(a)
    return apart


# ---------------------------------------------------------------- vacancies and courses


def taken_positions(day: date) -> sa.Select:
    """(vacancy_id, placements holding a position on or after ``day``) (R11)."""
    return (sa.select(Placement.vacancy_id, sa.func.count().label("taken"))
            .where(open_placements(day)).group_by(Placement.vacancy_id))


def published_vacancy_ids(institution_id: int, day: date) -> sa.Select:
    return sa.select(Vacancy.id).where(
        Vacancy.institution_id == institution_id,
        Vacancy.status == VacancyStatus.PUBLISHED,
        sa.or_(Vacancy.end_date.is_(None), Vacancy.end_date >= day),
    )


def load_vacancies(ids: sa.Select | Collection[int], day: date) -> list[matching.Vacancy]:
    """The engine's view of the vacancies ``ids`` on ``day``; free positions are
    positions minus the placements holding one."""
    taken = taken_positions(day).subquery()
    rows = db.session.execute(
        sa.select(Vacancy, Employer.kind, Trade.code, sa.func.coalesce(taken.c.taken, 0))
        .join(Employer, Employer.id == Vacancy.employer_id)
        .join(Trade, Trade.id == Vacancy.trade_id)
        .outerjoin(taken, taken.c.vacancy_id == Vacancy.id)
        .where(_in(Vacancy.id, ids)).order_by(Vacancy.id)
    ).all()
    vacancy_ids = [row.Vacancy.id for row in rows]
    skills = _required(vacancy_required_skills, vacancy_ids)
    certificates = _required(vacancy_required_certificates, vacancy_ids)
    return [
        matching.Vacancy(
            id=str(vacancy.id), employer_kind=_value(kind), trade_code=trade_code,
            title=vacancy.title, site=vacancy.site.value,
            free_positions=max(0, vacancy.positions - int(taken_count)),
            weekly_hours=vacancy.weekly_hours, shift=vacancy.shift.value,
            heavy_or_hazardous=vacancy.heavy_or_hazardous, women_barred=vacancy.women_barred,
            required_skills=frozenset(skills[vacancy.id]),
            required_certificates=frozenset(certificates[vacancy.id]),
            trainable_on_job=vacancy.trainable_on_job, start_date=vacancy.start_date,
            end_date=vacancy.end_date, monthly_wage=vacancy.monthly_wage,
            needs_long_stay=vacancy.needs_long_stay,
        )
        for vacancy, kind, trade_code, taken_count in rows
    ]


def _required(table: sa.Table, vacancy_ids: list[int]) -> defaultdict[int, set[str]]:
    rows = db.session.execute(
        sa.select(table.c.vacancy_id, Trade.code).join(Trade, Trade.id == table.c.trade_id)
        .where(table.c.vacancy_id.in_(vacancy_ids))
    )
    required: defaultdict[int, set[str]] = defaultdict(set)
    for vacancy_id, code in rows:
        required[vacancy_id].add(code)
    return required


def load_courses(institution_id: int, day: date) -> list[matching.Course]:
    """Courses ending after ``day`` with seats left (dropped enrolments free their seat)."""
    booked = (sa.select(Enrolment.course_id, sa.func.count().label("booked"))
              .where(Enrolment.status != EnrolmentStatus.DROPPED)
              .group_by(Enrolment.course_id).subquery())
    rows = db.session.execute(
        sa.select(Course, Trade.code, sa.func.coalesce(booked.c.booked, 0))
        .join(Trade, Trade.id == Course.trade_id)
        .outerjoin(booked, booked.c.course_id == Course.id)
        .where(Course.institution_id == institution_id, Course.end_date > day)
        .order_by(Course.id)
    ).all()
    return [
        matching.Course(id=str(course.id), trade_code=code, grants_skill=code,
                        grants_certificate=code if course.grants_certificate else None,
                        seats=course.seats - int(taken), start_date=course.start_date,
                        end_date=course.end_date)
        for course, code, taken in rows if course.seats > taken
    ]


# ---------------------------------------------------------------- the problem


def build_problem(institution: Institution, day: date,
                  settings: YearSettings) -> matching.Problem:
    """Everything the engine needs for ``institution`` on ``day``."""
    return matching.Problem(
        as_of=day,
        institution=institution.code,
        institution_is_juvenile=institution.is_juvenile,
        inmates=load_inmates(held_inmate_ids(institution.id, day), day),
        vacancies=load_vacancies(published_vacancy_ids(institution.id, day), day),
        courses=load_courses(institution.id, day),
        settings=engine_settings(settings),
    )


def is_held(inmate_id: int, institution_id: int, day: date) -> bool:
    """Held at the institution on ``day`` and not released or transferred since."""
    return db.session.scalar(
        sa.select(Inmate.id).where(
            Inmate.id == inmate_id, Inmate.status == CustodyStatus.HELD,
            Inmate.id.in_(held_inmate_ids(institution_id, day)))
    ) is not None


def _encode(value: Any) -> Any:
    """What ``json`` cannot encode itself (called only for those values)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, frozenset | set):
        return sorted(value, key=repr)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def to_json(value: Any) -> Any:
    """Engine dataclasses (and row values) as plain JSON, in the shape
    ``matching.load_problem`` reads back: a run can be replayed with
    ``python -m matching explain``. The C encoder does the bulk of the work."""
    return json.loads(json.dumps(value, default=_encode))


def problem_snapshot(problem: matching.Problem) -> dict[str, Any]:
    return to_json(problem)

