"""Courses and enrolments. Completing a course grants its certificate and skill.
Functions add and flush; the request commits once."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from marshmallow import ValidationError

from app.core import signals
from app.core.auth import scope_clause
from app.core.errors import Conflict, RuleViolation
from app.core.labels import label
from app.core.locks import lock_rows
from app.core.plausible import refuse
from app.core.vocabulary import CustodyStatus, EnrolmentStatus, SkillSource
from app.extensions import db
from app.inmates.models import Certificate, Inmate, RiskAssessment
from app.inmates.operations import (
    active_trade,
    add_certificate,
    latest_match_run,
    set_skill,
)
from app.inmates.rules import check_not_in_future
from app.training.models import Course, Enrolment
from app.training.rules import (
    check_r13_ends_before_release,
    check_r13_enrolled,
    course_problems,
)
from policy import plausible
from policy.clock import today_in_kazakhstan

COURSE_FIELDS = ("trade_id", "title", "provider", "seats", "start_date", "end_date", "hours",
                 "grants_certificate", "grants_level")
SEAT_TAKING = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)


# --- courses -------------------------------------------------------------------------------

def create_course(institution_id: int, values: dict[str, Any]) -> Course:
    active_trade(values["trade_id"])
    course = Course(institution_id=institution_id,
                    **{name: values[name] for name in COURSE_FIELDS})
    db.session.add(course)
    db.session.flush()
    return course


def update_course(course: Course, changes: dict[str, Any]) -> Course:
    merged = {name: getattr(course, name) for name in COURSE_FIELDS} | changes
    problems = course_problems(merged)
    if problems:
        raise ValidationError(problems)
    if "trade_id" in changes:
        active_trade(changes["trade_id"])
    taken = seats_taken(course)
    if merged["seats"] < taken:
        raise Conflict("seats", ngettext("%(num)d inmate already holds a seat on this course",
                                            "%(num)d inmates already hold a seat on this course",
                                            taken))
    if merged["end_date"] != course.end_date:
        check_r13_enrolled(merged["end_date"], enrolled_release_dates(course))
    for name in COURSE_FIELDS:
        if name in changes:
            setattr(course, name, changes[name])
    db.session.flush()
    return course


def seats_taken(course: Course) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment).where(
        Enrolment.course_id == course.id, Enrolment.status.in_(SEAT_TAKING))) or 0


def enrolled_release_dates(course: Course) -> list[date | None]:
    """The release dates of the inmates enrolled (not yet completed or dropped)."""
    return list(db.session.scalars(
        sa.select(Inmate.release_date).join(Enrolment, Enrolment.inmate_id == Inmate.id)
        .where(Enrolment.course_id == course.id,
               Enrolment.status == EnrolmentStatus.ENROLLED)))


def seats_taken_by_course(course_ids: list[int]) -> dict[int, int]:
    if not course_ids:
        return {}
    rows = db.session.execute(sa.select(Enrolment.course_id, sa.func.count()).where(
        Enrolment.course_id.in_(course_ids), Enrolment.status.in_(SEAT_TAKING))
        .group_by(Enrolment.course_id))
    return {course_id: count for course_id, count in rows}


def courses(current_only: bool = False, today: date | None = None) -> list[Course]:
    """The user's scope's courses, latest first."""
    query = sa.select(Course).where(scope_clause(Course))
    if current_only:
        query = query.where(Course.end_date >= (today or today_in_kazakhstan()))
    return list(db.session.scalars(query.order_by(Course.start_date.desc(), Course.id.desc())))


# --- enrolments ----------------------------------------------------------------------------

def enrol(course: Course, inmate: Inmate, on: date | None = None,
          today: date | None = None) -> Enrolment:
    """Enrol an inmate held at the course's institution, if a seat is free (a
    course row lock keeps two officers from taking the last seat) and the course
    ends before the release (R13)."""
    today = today or today_in_kazakhstan()
    on = on or today
    if inmate.institution_id != course.institution_id:
        raise RuleViolation("inmate_id", _("is not held in the course's institution"), rule="R16")
    if inmate.status != CustodyStatus.HELD:
        raise RuleViolation("inmate_id", _("is not held any more"))
    if course.end_date < on:
        raise RuleViolation("course", _("has already ended"))
    check_not_in_future("enrolled_on", on, today)
    refuse("enrolled_on", plausible.on_or_after(on, inmate.admission_date,
                                                _("admission date")))
    check_r13_ends_before_release(course.end_date, inmate.release_date)
    lock_rows(Course, [course.id])  # two officers cannot take the last seat
    enrolment = db.session.scalar(sa.select(Enrolment).where(
        Enrolment.course_id == course.id, Enrolment.inmate_id == inmate.id))
    if enrolment is not None and enrolment.status != EnrolmentStatus.DROPPED:
        raise Conflict("inmate_id", _("is already enrolled in this course"))
    if seats_taken(course) >= course.seats:
        raise Conflict("course", ngettext("is full (%(num)d seat)", "is full (%(num)d seats)",
                                            course.seats))
    if enrolment is None:
        enrolment = Enrolment(course_id=course.id, inmate_id=inmate.id, enrolled_on=on)
        db.session.add(enrolment)
    else:  # back after dropping out: the same row, so the history stays in the audit
        enrolment.status, enrolment.enrolled_on, enrolment.result = \
            EnrolmentStatus.ENROLLED, on, ""
    db.session.flush()
    signals.enrolled.send(enrolment)
    return enrolment


def _check_open(enrolment: Enrolment) -> None:
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise Conflict("status", _("the enrolment is already %(status)s",
                                     status=label(enrolment.status)))


def complete(enrolment: Enrolment, on: date, result: str = "", certificate_number: str = "",
             today: date | None = None, early_reason: str = "") -> Certificate | None:
    """Completion grants the course's skill (raised to its level, source
    ``course``) and, if the course gives one, the certificate. Sooner than the
    course's hours allow, it needs the officer's reason (kept with it)."""
    _check_open(enrolment)
    course = enrolment.course
    check_not_in_future("completed_on", on, today or today_in_kazakhstan())
    if on < course.start_date:
        raise RuleViolation("completed_on", _("cannot be before the course started"))
    too_soon = plausible.course_pace(course.hours, course.start_date, on)
    if too_soon and len(early_reason.strip()) < 3:
        raise Conflict("early_reason", _(too_soon.message, **too_soon.values))
    enrolment.early_reason = early_reason.strip() if too_soon else ""
    enrolment.status, enrolment.completed_on, enrolment.result = \
        EnrolmentStatus.COMPLETED, on, result
    inmate = enrolment.inmate
    set_skill(inmate, course.trade_id, course.grants_level, SkillSource.COURSE, on,
              upgrade_only=True)
    certificate = None
    if course.grants_certificate:
        certificate = add_certificate(
            inmate, course.trade_id, on, number=certificate_number,
            issuer=course.provider or str(course.institution), course_id=course.id, today=today)
    db.session.flush()
    return certificate


def drop(enrolment: Enrolment, reason: str = "", on: date | None = None) -> None:
    """End an enrolment without completing it: its seat is free again and goes to the
    first eligible person on the course's waiting list (R31, app/applications)."""
    _check_open(enrolment)
    enrolment.status, enrolment.result = EnrolmentStatus.DROPPED, reason
    db.session.flush()
    signals.place_freed.send(enrolment.course, on=on or today_in_kazakhstan())


def find_enrolment(course: Course, enrolment_id: int) -> Enrolment | None:
    return db.session.scalar(sa.select(Enrolment).where(
        Enrolment.id == enrolment_id, Enrolment.course_id == course.id))


def enrolments(course: Course) -> list[Enrolment]:
    return list(db.session.scalars(sa.select(Enrolment).where(Enrolment.course_id == course.id)
                                   .join(Inmate).order_by(Inmate.last_name, Inmate.first_name)))


# --- the engine's advice -------------------------------------------------------------------

def training_recommendations(institution_id: int) -> dict[str, Any]:
    """The latest match run's course recommendations for the institution, with
    the course's title when the course is known here."""
    run = latest_match_run(institution_id)
    result = run.result if run is not None and isinstance(run.result, dict) else {}
    items = [r for r in result.get("training_recommendations") or [] if isinstance(r, dict)]
    ids = [int(r["course_id"]) for r in items if str(r.get("course_id", "")).isdigit()]
    titles = dict(db.session.execute(sa.select(Course.id, Course.title).where(
        Course.id.in_(ids), Course.institution_id == institution_id)).all()) if ids else {}
    needing = with_learning_needs({str(i) for r in items for i in r.get("inmate_ids") or []})
    recommendations = [
        {"course_id": str(r.get("course_id", "")) or None, "trade": str(r.get("trade", "")),
         "seats": r.get("seats"), "end_date": r.get("end_date"),
         "extra_placements": r.get("extra_placements"),
         "course_title": titles.get(int(r["course_id"]))
         if str(r.get("course_id", "")).isdigit() else None,
         "with_needs": sum(str(i) in needing for i in r.get("inmate_ids") or [])}
        for r in items
    ]
    # R27: the courses of persons assessed in need of education or a trade first (stable:
    # otherwise in the engine's order, most extra placements first)
    recommendations.sort(key=lambda r: -r["with_needs"])
    return {"run_id": run.id if run else None, "run_as_of": run.as_of if run else None,
            "recommendations": recommendations}


LEARNING_NEEDS = ("education", "trade_and_employment")  # R27


def with_learning_needs(inmate_ids: set[str]) -> set[str]:
    """Of ``inmate_ids`` (as the engine names them), those whose latest risk-and-needs
    assessment records a need in education or in a trade and employment (R27)."""
    ids = [int(i) for i in inmate_ids if i.isdigit()]
    if not ids:
        return set()
    ranked = (sa.select(RiskAssessment.inmate_id, RiskAssessment.needs,
                        sa.func.row_number().over(
                            partition_by=RiskAssessment.inmate_id,
                            order_by=(RiskAssessment.assessed_on.desc(),
                                      RiskAssessment.id.desc())).label("n"))
              .where(RiskAssessment.inmate_id.in_(ids)).subquery())
    rows = db.session.execute(sa.select(ranked.c.inmate_id, ranked.c.needs)
                              .where(ranked.c.n == 1))
    return {str(inmate_id) for inmate_id, needs in rows
            if set(needs or ()) & set(LEARNING_NEEDS)}
