"""The training JSON API: courses, enrolments, recommendations; the same
operations and rules as the pages."""

from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.core.api import Blueprint
from app.core.auth import READERS, get_in_scope_or_404, roles_required, scope_clause
from app.core.errors import RuleViolation
from app.core.vocabulary import Role
from app.extensions import db
from app.inmates.models import Inmate
from app.inmates.schemas import CertificateSchema
from app.training import operations as ops
from app.training.models import Course, Enrolment
from app.training.schemas import (
    CompleteInSchema,
    CourseDetailSchema,
    CourseFilterSchema,
    CourseInSchema,
    CoursePatchSchema,
    CourseSchema,
    DropInSchema,
    EnrolInSchema,
    EnrolmentSchema,
    RecommendationsSchema,
)

blp = Blueprint("training_api", __name__, url_prefix="/api/training",
                description="Courses and enrolments of the caller's institution")



def _course_data(course: Course, taken: int) -> dict[str, Any]:
    data = {name: getattr(course, name) for name in CourseSchema().fields if name != "seats_taken"}
    return data | {"seats_taken": taken}


def _with_seats(course: Course) -> dict[str, Any]:
    return _course_data(course, ops.seats_taken(course)) | {"enrolments": ops.enrolments(course)}


@blp.get("/courses")
@roles_required(*READERS)
@blp.arguments(CourseFilterSchema, location="query")
@blp.response(200, CourseSchema(many=True))
def list_courses(args: dict[str, Any]):
    listed = ops.courses(current_only=args["current"])
    taken = ops.seats_taken_by_course([c.id for c in listed])
    return [_course_data(c, taken.get(c.id, 0)) for c in listed]


@blp.post("/courses")
@roles_required(Role.OFFICER)
@blp.arguments(CourseInSchema)
@blp.response(201, CourseDetailSchema)
def create_course(values: dict[str, Any]):
    course = ops.create_course(current_user.institution_id, values)
    return _with_seats(course)


@blp.get("/courses/<int:course_id>")
@roles_required(*READERS)
@blp.response(200, CourseDetailSchema)
def get_course(course_id: int):
    return _with_seats(get_in_scope_or_404(Course, course_id))


@blp.patch("/courses/<int:course_id>")
@roles_required(Role.OFFICER)
@blp.arguments(CoursePatchSchema)
@blp.response(200, CourseDetailSchema)
def update_course(changes: dict[str, Any], course_id: int):
    course = ops.update_course(get_in_scope_or_404(Course, course_id), changes)
    return _with_seats(course)


@blp.post("/courses/<int:course_id>/enrolments")
@roles_required(Role.OFFICER)
@blp.arguments(EnrolInSchema)
@blp.response(201, EnrolmentSchema)
def enrol(values: dict[str, Any], course_id: int):
    """Enrol an inmate: refused when the course is full, ends on or after the
    inmate's release (R13), or the inmate is not held."""
    course = get_in_scope_or_404(Course, course_id)
    inmate = db.session.scalar(sa.select(Inmate).where(
        Inmate.id == values["inmate_id"], scope_clause(Inmate)))
    if inmate is None:
        raise RuleViolation("inmate_id", _("no such inmate in your institution"))
    enrolment = ops.enrol(course, inmate, values["enrolled_on"])
    return enrolment


def _enrolment(course_id: int, enrolment_id: int) -> Enrolment:
    enrolment = ops.find_enrolment(get_in_scope_or_404(Course, course_id), enrolment_id)
    if enrolment is None:
        abort(404)
    return enrolment


@blp.post("/courses/<int:course_id>/enrolments/<int:enrolment_id>/complete")
@roles_required(Role.OFFICER)
@blp.arguments(CompleteInSchema)
@blp.response(200, CertificateSchema)
def complete(values: dict[str, Any], course_id: int, enrolment_id: int):
    """Complete: the skill (at the course's level) and the certificate are granted."""
    certificate = ops.complete(_enrolment(course_id, enrolment_id), values["completed_on"],
                               values["result"], values["certificate_number"],
                               early_reason=values["early_reason"])
    return certificate or {}


@blp.post("/courses/<int:course_id>/enrolments/<int:enrolment_id>/drop")
@roles_required(Role.OFFICER)
@blp.arguments(DropInSchema)
@blp.response(200, EnrolmentSchema)
def drop(values: dict[str, Any], course_id: int, enrolment_id: int):
    enrolment = _enrolment(course_id, enrolment_id)
    ops.drop(enrolment, values["reason"])
    return enrolment


@blp.get("/recommendations")
@roles_required(Role.OFFICER)
@blp.response(200, RecommendationsSchema)
def recommendations():
    """Courses the latest match run says would make more inmates placeable."""
    return ops.training_recommendations(current_user.institution_id)
