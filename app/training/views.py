"""Training pages: courses, enrolments, and the engine's course recommendations.

Officers plan their institution's courses (R16); prosecutors and
administrators read."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields

from app.core.auth import READERS, get_in_scope_or_404, roles_required
from app.core.errors import RuleViolation
from app.core.forms import form_status
from app.core.forms import submit_form as submit
from app.core.plausible import Day
from app.core.vocabulary import Role
from app.extensions import db
from app.inmates.models import Inmate
from app.inmates.views import trade_choices
from app.training import operations as ops
from app.training.forms import CompleteForm, CourseForm, DropForm, EnrolForm
from app.training.models import Course
from app.training.schemas import CompleteInSchema, CourseInSchema, DropInSchema

bp = Blueprint("training", __name__, url_prefix="/training", template_folder="templates")



class EnrolPageSchema(Schema):
    """The page names the inmate by personal file number; the API by id."""

    file_number = fields.String(required=True)
    enrolled_on = Day(load_default=date.today)


@bp.get("/")
@roles_required(*READERS)
def index():
    listed = ops.courses()
    institution_id = current_user.institution_id
    advice = ops.training_recommendations(institution_id) if institution_id else None
    return render_template("training/index.html", courses=listed,
                           taken=ops.seats_taken_by_course([c.id for c in listed]),
                           advice=advice, may_change=current_user.role == Role.OFFICER,
                           today=date.today())


def _course_form(course: Course | None = None) -> CourseForm:
    form = CourseForm()
    form.trade_id.choices = trade_choices()
    if request.method == "GET" and course is not None:
        form.process(data=CourseInSchema().dump(course))
    return form


def _save_course(form: CourseForm, course: Course | None):
    def save(values: dict[str, Any]) -> Course:
        if course is None:
            return ops.create_course(current_user.institution_id, values)
        return ops.update_course(course, values)

    saved, result = submit(form, CourseInSchema(), save, _("Course saved."))
    if saved:
        return redirect(url_for(".course", course_id=result.id))
    return render_template("training/edit.html", form=form, course=course), form_status(form)


@bp.route("/courses/new", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def create_course():
    return _save_course(_course_form(), None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def edit_course(course_id: int):
    course = get_in_scope_or_404(Course, course_id)
    return _save_course(_course_form(course), course)


def _render_course(course: Course, status: int = 200, **forms: Any):
    today = date.today().isoformat()
    defaults = {"enrol_form": EnrolForm(formdata=None, enrolled_on=today),
                "complete_form": CompleteForm(formdata=None, completed_on=today),
                "drop_form": DropForm(formdata=None)}
    return render_template("training/course.html", course=course,
                           enrolments=ops.enrolments(course), taken=ops.seats_taken(course),
                           may_change=current_user.role == Role.OFFICER,
                           **(defaults | forms)), status


@bp.get("/courses/<int:course_id>")
@roles_required(*READERS)
def course(course_id: int):
    return _render_course(get_in_scope_or_404(Course, course_id))


def _course_action(course_id: int, form_name: str, form: Any, schema: Schema, action, done: str):
    course = get_in_scope_or_404(Course, course_id)
    saved, _result = submit(form, schema, lambda values: action(course, values), done)
    if saved:
        return redirect(url_for(".course", course_id=course_id))
    return _render_course(get_in_scope_or_404(Course, course_id), 422, **{form_name: form})


@bp.post("/courses/<int:course_id>/enrol")
@roles_required(Role.OFFICER)
def enrol(course_id: int):
    def enrol_by_file_number(course: Course, values: dict[str, Any]) -> None:
        inmate = db.session.scalar(sa.select(Inmate).where(
            Inmate.institution_id == course.institution_id,
            Inmate.file_number == values["file_number"].strip()))
        if inmate is None:
            raise RuleViolation("file_number", _("no inmate with this file number here"))
        try:
            ops.enrol(course, inmate, values["enrolled_on"])
        except RuleViolation as violation:  # the page names the inmate by file number
            if violation.field == "inmate_id":
                violation.field = "file_number"
            raise

    return _course_action(course_id, "enrol_form", EnrolForm(), EnrolPageSchema(),
                          enrol_by_file_number, _("Inmate enrolled."))


def _enrolment_action(course_id: int, enrolment_id: int, form_name: str, form: Any,
                      schema: Schema, action, done: str):
    def on_enrolment(course: Course, values: dict[str, Any]) -> None:
        enrolment = ops.find_enrolment(course, enrolment_id)
        if enrolment is None:
            abort(404)
        action(enrolment, values)

    return _course_action(course_id, form_name, form, schema, on_enrolment, done)


@bp.post("/courses/<int:course_id>/enrolments/<int:enrolment_id>/complete")
@roles_required(Role.OFFICER)
def complete(course_id: int, enrolment_id: int):
    return _enrolment_action(
        course_id, enrolment_id, "complete_form", CompleteForm(), CompleteInSchema(),
        lambda enrolment, v: ops.complete(enrolment, v["completed_on"], v["result"],
                                          v["certificate_number"]),
        _("Course completed: skill and certificate recorded."))


@bp.post("/courses/<int:course_id>/enrolments/<int:enrolment_id>/drop")
@roles_required(Role.OFFICER)
def drop(course_id: int, enrolment_id: int):
    return _enrolment_action(
        course_id, enrolment_id, "drop_form", DropForm(), DropInSchema(),
        lambda enrolment, v: ops.drop(enrolment, v["reason"]), _("Enrolment dropped."))
