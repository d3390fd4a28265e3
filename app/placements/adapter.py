"""Database rows -> ``matching`` inputs, for one institution on one date.

The engine is a library (numpy, no SQLAlchemy); this module is the only place
that knows both sides. A handful of set-based queries load everything (one per
kind of row, never one per inmate), so a run over thousands of inmates costs
the same dozen round trips as a run over ten.

The same loaders serve the accept-time re-check (``operations.start_placement``),
restricted to one inmate and one vacancy, so "what the engine saw" and "what an
accept checks" are built by the same code. The named questions they ask (who is
held, which placements are open, which vacancies published) are ``queries.py``.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import fields, is_dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache
from operator import attrgetter
from typing import Any

import sqlalchemy as sa

import matching
from app.core import signals
from app.core.lawsql import SQL
from app.core.vocabulary import (
    ConsentKind,
    EnrolmentStatus,
    LegalStatus,
)
from app.extensions import db
from app.inmates import risk
from app.inmates.models import (
    Certificate,
    Consent,
    Inmate,
    InmateSkill,
    MedicalAssessment,
    SeparationLink,
    inmate_trade_wishes,
)
from app.institutions.models import Institution
from app.placements.models import Placement
from app.placements.queries import (
    held_inmate_ids,
    open_placements,
    published_vacancy_ids,
    taken_positions,
)
from app.placements.status import employed
from app.settings.models import YearSettings
from app.settings.operations import settings_for
from app.taxonomy.models import Trade
from app.training.models import Course, Enrolment
from app.vacancies.models import (
    Employer,
    Vacancy,
    vacancy_required_certificates,
    vacancy_required_skills,
)
from policy import Law
from policy.law import LAW_FIELDS
from policy.rules import UNASSESSED, active_on

# ---------------------------------------------------------------- settings


def scattered_cap(institution: Institution, law: Law) -> int:
    """R29: the institution's own cap of flagged persons per workplace and shift, else
    the year's."""
    own = institution.scattered_cap
    return law.scattered_cap if own is None else own


def engine_settings(settings: YearSettings,
                    institution: Institution | None = None) -> matching.Settings:
    """The year's settings (app/settings) as the engine's ``Settings``: the same
    ``policy.law.Law`` (with the institution's own R29 cap, if given) and the score
    weights."""
    law = settings.law
    if institution is not None:
        law = replace(law, scattered_cap=scattered_cap(institution, law))
    return matching.Settings(
        **{name: getattr(law, name) for name in LAW_FIELDS},
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


IdSource = sa.Select | list[int]


def _rows(query: sa.Select) -> Sequence[sa.Row]:
    """All rows, executed on the session's connection (Core) after the flush
    ``session.execute`` would do: for plain column selects the ORM only wraps every
    row again, which cost more than the queries themselves on thousands of rows;
    and one ``fetchall`` beats a driver call per row."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(query).all()


def _in(column: Any, ids: sa.Select | Collection[int]) -> sa.ColumnElement[bool]:
    return column.in_(ids if isinstance(ids, sa.Select) else list(ids))


def _raw(column: Any) -> sa.Label:
    """An enum column as the string it stores (the member's value). The engine wants
    strings: converting thousands of them to enum members and back is wasted work."""
    return sa.type_coerce(column, sa.String).label(column.key)


# Plain columns rather than ORM objects: thousands of rows load several times faster.
INMATE_COLUMNS = (Inmate.id, Inmate.birth_date, _raw(Inmate.sex), Inmate.convicted_on,
                  _raw(Inmate.regime), _raw(Inmate.conditions), Inmate.release_date,
                  _raw(Inmate.fitness), Inmate.fitness_review_date, Inmate.disability_group,
                  Inmate.pregnant)

REMAND_REQUEST = ConsentKind.REMAND_WORK_REQUEST.value
CONVICTED, REMAND = LegalStatus.CONVICTED.value, LegalStatus.REMAND.value
NONE: frozenset = frozenset()


def load_inmates(ids: sa.Select | Collection[int], day: date,
                 law: Law | None = None) -> list[matching.Inmate]:
    """The engine's view of the inmates ``ids`` (a subquery or a list) on ``day``, under
    ``law`` (the year's settings when not given)."""
    rows = _rows(
        sa.select(*INMATE_COLUMNS, employed(day).label("employed"))
        .where(_in(Inmate.id, ids)).order_by(Inmate.id)
    )
    if not rows:
        return []
    # The child rows are selected by the same id source: a subquery for a whole
    # institution keeps thousands of ids out of the statements' parameters.
    inmate_ids = ids if isinstance(ids, sa.Select) else list(ids)
    fitness = _fitness_on(inmate_ids, day)
    consents = _consents(inmate_ids, day)
    skills = _skills(inmate_ids)
    certificates = _codes(sa.select(Certificate.inmate_id, Trade.code)
                          .join(Trade, Trade.id == Certificate.trade_id)
                          .where(Certificate.inmate_id.in_(inmate_ids),
                                 Certificate.issued_on <= day))
    wishes = _codes(sa.select(inmate_trade_wishes.c.inmate_id, Trade.code)
                    .join(Trade, Trade.id == inmate_trade_wishes.c.trade_id)
                    .where(inmate_trade_wishes.c.inmate_id.in_(inmate_ids)))
    trained = _last_training(inmate_ids, day)
    hours, upcoming = _hours_and_upcoming(inmate_ids, day)
    apart = _separations(inmate_ids)
    # R31: the open applications, from app/applications above (a question, not an import)
    applied = signals.answer(signals.open_applications, day, inmate_ids=inmate_ids)
    law = law or settings_for(day.year).law
    levels, flagged = risk.levels_on(inmate_ids, day, law), risk.flagged_ids(inmate_ids, day)
    bans = risk.banned_trades(inmate_ids, day, law)
    inmates = []
    for (inmate_id, birth_date, sex, convicted_on, regime, conditions, release_date,
         own_fitness, own_review, disability_group, pregnant, is_employed) in rows:
        # The dated assessment decides on a past or future day; the inmate's own
        # columns are the fallback when none is recorded yet.
        status, review = fitness.get(inmate_id) or (own_fitness, own_review)
        consented = consents.get(inmate_id, NONE)
        inmates.append(matching.Inmate(
            id=str(inmate_id), birth_date=birth_date, sex=sex,
            # R2 on the day, from the dated conviction, as the rates read it
            legal_status=CONVICTED if convicted_on is not None and convicted_on <= day
            else REMAND,
            regime=regime, conditions=conditions, release_date=release_date,
            fitness=status, fitness_review_date=review, disability_group=disability_group,
            pregnant=pregnant,
            consents=consented - {REMAND_REQUEST} if REMAND_REQUEST in consented else consented,
            skills=skills.get(inmate_id) or {},
            certificates=certificates.get(inmate_id, NONE),
            trade_wishes=wishes.get(inmate_id, NONE),
            last_training_end=trained.get(inmate_id),
            current_weekly_hours=hours.get(inmate_id, 0),
            employed=bool(is_employed), upcoming_paid=inmate_id in upcoming,
            separated_from=apart.get(inmate_id, NONE),
            personal_request_for_work=REMAND_REQUEST in consented,
            applications=applied.get(inmate_id) or {},
            risk_level=levels.get(inmate_id, UNASSESSED), flagged=inmate_id in flagged,
            banned_trades=bans.get(inmate_id, NONE),
        ))
    return inmates


def _grouped(query: sa.Select) -> defaultdict[int, list]:
    """Rows (owner_id, value) as {owner_id: [value, ...]}."""
    grouped: defaultdict[int, list] = defaultdict(list)
    for owner_id, value in _rows(query):
        grouped[owner_id].append(value)
    return grouped


def _codes(query: sa.Select) -> dict[int, frozenset[str]]:
    """Rows (owner_id, trade code) as {owner_id: frozenset of codes}."""
    return {owner_id: frozenset(codes) for owner_id, codes in _grouped(query).items()}


def _skills(inmate_ids: IdSource) -> dict[int, dict[str, int]]:
    found: defaultdict[int, dict[str, int]] = defaultdict(dict)
    rows = _rows(
        sa.select(InmateSkill.inmate_id, Trade.code, InmateSkill.level)
        .join(Trade, Trade.id == InmateSkill.trade_id)
        .where(InmateSkill.inmate_id.in_(inmate_ids))
    )
    for inmate_id, code, level in rows:
        found[inmate_id][code] = level
    return found


def _fitness_on(inmate_ids: IdSource, day: date) -> dict[int, tuple]:
    """The latest medical assessment made on or before ``day``, per inmate (R3)."""
    rows = _rows(
        sa.select(MedicalAssessment.inmate_id, _raw(MedicalAssessment.fitness),
                  MedicalAssessment.review_date)
        .where(MedicalAssessment.inmate_id.in_(inmate_ids), MedicalAssessment.assessed_on <= day)
        .order_by(MedicalAssessment.assessed_on, MedicalAssessment.id)
    )
    return {inmate_id: (fitness, review) for inmate_id, fitness, review in rows}  # last wins


def _consents(inmate_ids: IdSource, day: date) -> dict[int, frozenset[str]]:
    """The kinds of consent in force on ``day``, per inmate."""
    return _codes(
        sa.select(Consent.inmate_id, _raw(Consent.kind)).where(
            Consent.inmate_id.in_(inmate_ids),
            active_on(SQL, Consent.given_on, Consent.withdrawn_on, day))
    )


def _last_training(inmate_ids: IdSource, day: date) -> dict[int, date]:
    finished = sa.func.coalesce(Enrolment.completed_on, Course.end_date)
    rows = _rows(
        sa.select(Enrolment.inmate_id, sa.func.max(finished))
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.inmate_id.in_(inmate_ids),
               Enrolment.status == EnrolmentStatus.COMPLETED, finished <= day)
        .group_by(Enrolment.inmate_id)
    )
    return dict(rows)


def _hours_and_upcoming(inmate_ids: IdSource, day: date) -> tuple[dict[int, int], set[int]]:
    """Weekly hours of the placements not ended by ``day`` (R9), and who holds a
    paid placement starting after ``day``: accepted, so no longer free to propose."""
    rows = _rows(
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


def _separations(inmate_ids: IdSource) -> dict[int, frozenset[str]]:
    """R14 links, both ways round (stored once, lower id first), as the engine's ids."""
    rows = _rows(
        sa.select(SeparationLink.inmate_a_id, SeparationLink.inmate_b_id).where(sa.or_(
            SeparationLink.inmate_a_id.in_(inmate_ids),
            SeparationLink.inmate_b_id.in_(inmate_ids)))
    )
    apart: defaultdict[int, set[str]] = defaultdict(set)
    for a, b in rows:
        apart[a].add(str(b))
        apart[b].add(str(a))
    return {inmate_id: frozenset(others) for inmate_id, others in apart.items()}


# ---------------------------------------------------------------- vacancies and courses


def load_vacancies(ids: sa.Select | Collection[int], day: date,
                   law: Law | None = None) -> list[matching.Vacancy]:
    """The engine's view of the vacancies ``ids`` on ``day``; free positions are
    positions minus the placements holding one."""
    taken = taken_positions(day).subquery()
    rows = _rows(
        sa.select(Vacancy.id, _raw(Employer.kind), Trade.code, Vacancy.title, _raw(Vacancy.site),
                  Vacancy.positions - sa.func.coalesce(taken.c.taken, 0), Vacancy.weekly_hours,
                  _raw(Vacancy.shift), Vacancy.heavy_or_hazardous, Vacancy.women_barred,
                  Vacancy.trainable_on_job, Vacancy.start_date, Vacancy.end_date,
                  Vacancy.monthly_wage, Vacancy.needs_long_stay, Vacancy.max_risk_level,
                  Vacancy.institution_id)
        .join(Employer, Employer.id == Vacancy.employer_id)
        .join(Trade, Trade.id == Vacancy.trade_id)
        .outerjoin(taken, taken.c.vacancy_id == Vacancy.id)
        .where(_in(Vacancy.id, ids)).order_by(Vacancy.id)
    )
    vacancy_ids = [row[0] for row in rows]
    skills = _required(vacancy_required_skills, vacancy_ids)
    certificates = _required(vacancy_required_certificates, vacancy_ids)
    law = law or settings_for(day.year).law
    flagged = _flagged_placed({row[0]: (row[-1], row[4], row[7]) for row in rows}, day)
    return [
        matching.Vacancy(
            id=str(vacancy_id), employer_kind=kind, trade_code=trade_code, title=title,
            site=site, free_positions=max(0, int(free)), weekly_hours=weekly_hours,
            shift=shift, heavy_or_hazardous=heavy, women_barred=women_barred,
            required_skills=skills.get(vacancy_id, NONE),
            required_certificates=certificates.get(vacancy_id, NONE),
            trainable_on_job=trainable, start_date=start_date, end_date=end_date,
            monthly_wage=monthly_wage, needs_long_stay=long_stay,
            max_risk_level=risk.vacancy_limit(max_risk, law),
            flagged_placed=flagged.get(vacancy_id, 0),
        )
        for (vacancy_id, kind, trade_code, title, site, free, weekly_hours, shift, heavy,
             women_barred, trainable, start_date, end_date, monthly_wage, long_stay,
             max_risk, _institution_id) in rows
    ]


def _flagged_placed(workplaces: dict[int, tuple], day: date) -> dict[int, int]:
    """R29: per vacancy (``workplaces``: {id: (institution id, site, shift)}), the persons
    flagged on ``day`` whose placement in it is not ended by then (active, or accepted to
    start later: each holds a place of the cap). Those placed in other work of the same
    workplace and shift (a vacancy not loaded: closed, or not asked for) count in the first
    vacancy loaded there, so that the engine, which adds up its vacancies' counts per
    workplace and shift, sees every one of them."""
    if not workplaces:
        return {}
    first_of: dict[tuple, int] = {}
    for vacancy_id in sorted(workplaces):
        first_of.setdefault(workplaces[vacancy_id], vacancy_id)
    placed = (sa.select(Placement.vacancy_id, sa.func.count(sa.distinct(Placement.inmate_id))
                        .label("n"))
              .where(open_placements(day), risk.flagged_on(day, Placement.inmate_id),
                     Placement.institution_id.in_(sorted({w[0] for w in first_of})))
              .group_by(Placement.vacancy_id).subquery())
    shown = dict.fromkeys(workplaces, 0)
    for vacancy_id, *workplace, n in _rows(
            sa.select(Vacancy.id, Vacancy.institution_id, _raw(Vacancy.site),
                      _raw(Vacancy.shift), placed.c.n)
            .join(placed, placed.c.vacancy_id == Vacancy.id)):
        target = vacancy_id if vacancy_id in shown else first_of.get(tuple(workplace))
        if target is not None:
            shown[target] += n
    return shown


def _required(table: sa.Table, vacancy_ids: list[int]) -> dict[int, frozenset[str]]:
    return _codes(sa.select(table.c.vacancy_id, Trade.code)
                  .join(Trade, Trade.id == table.c.trade_id)
                  .where(table.c.vacancy_id.in_(vacancy_ids)))


def load_courses(institution_id: int, day: date) -> list[matching.Course]:
    """Courses ending after ``day`` with seats left (dropped enrolments free their seat)."""
    booked = (sa.select(Enrolment.course_id, sa.func.count().label("booked"))
              .where(Enrolment.status != EnrolmentStatus.DROPPED)
              .group_by(Enrolment.course_id).subquery())
    rows = _rows(
        sa.select(Course.id, Trade.code, Course.grants_certificate,
                  Course.seats - sa.func.coalesce(booked.c.booked, 0),
                  Course.start_date, Course.end_date)
        .join(Trade, Trade.id == Course.trade_id)
        .outerjoin(booked, booked.c.course_id == Course.id)
        .where(Course.institution_id == institution_id, Course.end_date > day)
        .order_by(Course.id)
    )
    return [
        matching.Course(id=str(course_id), trade_code=code, grants_skill=code,
                        grants_certificate=code if grants_certificate else None,
                        seats=int(seats), start_date=start_date, end_date=end_date)
        for course_id, code, grants_certificate, seats, start_date, end_date in rows
        if seats > 0
    ]


# ---------------------------------------------------------------- the problem


def build_problem(institution: Institution, day: date,
                  settings: YearSettings) -> matching.Problem:
    """Everything the engine needs for ``institution`` on ``day``."""
    return matching.Problem(
        as_of=day,
        institution=institution.code,
        institution_is_juvenile=institution.is_juvenile,
        inmates=load_inmates(held_inmate_ids(institution.id, day), day, settings.law),
        vacancies=load_vacancies(published_vacancy_ids(institution.id, day), day,
                                 settings.law),
        courses=load_courses(institution.id, day),
        settings=engine_settings(settings, institution),
    )


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


_ATOMS = frozenset({str, int, float, bool, type(None)})


@cache
def _field_getter(cls: type) -> tuple[tuple[str, ...], Callable[[Any], tuple]] | None:
    """(field names, a getter of their values) of a dataclass; None for other types."""
    if not is_dataclass(cls):
        return None
    names = tuple(f.name for f in fields(cls))
    if len(names) > 1:
        return names, attrgetter(*names)
    return names, lambda obj: tuple(getattr(obj, name) for name in names)


def _plain(value: Any) -> Any:
    """``to_json(value)`` for the engine's dataclasses, built directly: the same keys,
    order and values, without encoding megabytes of text only to parse them again.
    Types it does not know go through ``to_json``."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is date:
        return value.isoformat()
    if kind is frozenset or kind is set:
        return [_plain(item) for item in sorted(value, key=repr)]
    if kind is list or kind is tuple:
        return [_plain(item) for item in value]
    if kind is dict and all(type(key) is str for key in value):
        return {key: _plain(item) for key, item in value.items()}
    getter = _field_getter(kind)
    if getter is None:
        return to_json(value)
    names, values = getter
    return {name: item if type(item) in _ATOMS else _plain(item)
            for name, item in zip(names, values(value), strict=True)}


def problem_snapshot(problem: matching.Problem) -> dict[str, Any]:
    """The problem as JSON, in the shape ``matching.load_problem`` reads back."""
    return _plain(problem)

