"""Training pages: courses, enrolments, and the engine's course recommendations.

Officers plan their institution's courses (R16); prosecutors and
administrators read."""

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
from app.core.vocabulary import CustodyStatus, Role
from app.extensions import db
from app.inmates.models import Inmate
from app.inmates.views import trade_choices
from app.training import operations as ops
from app.training.forms import CompleteForm, CourseForm, DropForm, EnrolForm
from app.training.models import Course
from app.training.schemas import CompleteInSchema, CourseInSchema, DropInSchema
from policy.clock import today_in_kazakhstan

bp = Blueprint("training", __name__, url_prefix="/training", template_folder="templates")



class EnrolPageSchema(Schema):
    """The page names the inmate by personal file number; the API by id."""

    file_number = fields.String(required=True)
    enrolled_on = Day(load_default=today_in_kazakhstan)


@bp.get("/")
@roles_required(*READERS)
def index():
    listed = ops.courses()
    institution_id = current_user.institution_id
    advice = ops.training_recommendations(institution_id) if institution_id else None
    return render_template("training/index.html", courses=listed,
                           taken=ops.seats_taken_by_course([c.id for c in listed]),
                           advice=advice, may_change=current_user.role == Role.OFFICER,
                           today=today_in_kazakhstan())


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


def _render_course(course: Course, status: int = 200, failed_enrolment: int | None = None,
                   **forms: Any):
    """The course page; ``failed_enrolment``: the enrolment whose completion was
    refused: its row shows the form as typed with the messages, the summary at the
    top links to that row's fields, every other row has a fresh form."""
    today = today_in_kazakhstan().isoformat()
    defaults = {"enrol_form": EnrolForm(formdata=None, enrolled_on=today),
                "complete_form": CompleteForm(formdata=None, completed_on=today)}
    failed = forms.pop("complete_form", None)
    summary, anchors = {}, {}
    if failed is not None:
        summary = {name: f.errors for name, f in failed._fields.items() if f.errors}
        summary |= {"_schema": failed.form_errors} if failed.form_errors else {}
        anchors = {name: f"{name}-{failed_enrolment}" for name in failed._fields}
    return render_template("training/course.html", course=course,
                           enrolments=ops.enrolments(course), taken=ops.seats_taken(course),
                           may_change=current_user.role == Role.OFFICER,
                           failed_form=failed, failed_enrolment=failed_enrolment,
                           complete_summary=summary, complete_anchors=anchors,
                           **(defaults | forms)), status


@bp.get("/courses/<int:course_id>")
@roles_required(*READERS)
def course(course_id: int):
    return _render_course(get_in_scope_or_404(Course, course_id))


def _course_action(course_id: int, form_name: str, form: Any, schema: Schema, action, done: str,
                   enrolment_id: int | None = None):
    course = get_in_scope_or_404(Course, course_id)
    saved, _result = submit(form, schema, lambda values: action(course, values), done)
    if saved:
        return redirect(url_for(".course", course_id=course_id))
    return _render_course(get_in_scope_or_404(Course, course_id), 422,
                          failed_enrolment=enrolment_id, **{form_name: form})


def _find_inmate(institution_id: int, typed: str) -> Inmate:
    """The held inmate of the institution named by personal file number, or by a part of
    the name that fits exactly one; otherwise the field says who fits or that nobody does."""
    typed = typed.strip()
    here = sa.select(Inmate).where(Inmate.institution_id == institution_id)
    inmate = db.session.scalar(here.where(Inmate.file_number == typed))
    if inmate is not None:
        return inmate
    words = [w for w in typed.split() if w]
    query = here.where(Inmate.status == CustodyStatus.HELD)
    for word in words:
        pattern = f"%{word}%"
        query = query.where(sa.or_(Inmate.last_name.ilike(pattern),
                                   Inmate.first_name.ilike(pattern)))
    found = list(db.session.scalars(query.order_by(Inmate.last_name).limit(6))) if words else []
    if len(found) == 1:
        return found[0]
    if not found:
        raise RuleViolation("file_number", _("no inmate here has this file number or name"))
    raise RuleViolation("file_number", _(
        "several inmates fit: %(names)s; type the file number",
        names=", ".join(str(i) for i in found[:5]) + ("…" if len(found) > 5 else "")))


@bp.post("/courses/<int:course_id>/enrol")
@roles_required(Role.OFFICER)
def enrol(course_id: int):
    def enrol_by_file_number(course: Course, values: dict[str, Any]) -> None:
        inmate = _find_inmate(course.institution_id, values["file_number"])
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

    return _course_action(course_id, form_name, form, schema, on_enrolment, done, enrolment_id)


@bp.post("/courses/<int:course_id>")
@roles_required(Role.OFFICER)
def complete_on_page(course_id: int):
    """A row's "Complete" posts to the course's own address (a refusal keeps the
    address of the page, which a reload shows again rather than posting twice)."""
    enrolment_id = request.form.get("enrolment_id", "")
    if not enrolment_id.isdigit():
        abort(422)
    return complete(course_id, int(enrolment_id))


@bp.post("/courses/<int:course_id>/enrolments/<int:enrolment_id>/complete")
@roles_required(Role.OFFICER)
def complete(course_id: int, enrolment_id: int):
    return _enrolment_action(
        course_id, enrolment_id, "complete_form", CompleteForm(), CompleteInSchema(),
        lambda enrolment, v: ops.complete(enrolment, v["completed_on"], v["result"],
                                          v["certificate_number"],
                                          early_reason=v["early_reason"]),
        _("Course completed: skill and certificate recorded."))


@bp.route("/courses/<int:course_id>/enrolments/<int:enrolment_id>/drop",
          methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def drop(course_id: int, enrolment_id: int):
    """GET: the confirmation page (who leaves which course, with the reason field);
    POST: drop the enrolment."""
    course = get_in_scope_or_404(Course, course_id)
    enrolment = ops.find_enrolment(course, enrolment_id)
    if enrolment is None:
        abort(404)
    form = DropForm()
    if request.method == "POST":
        saved, _result = submit(form, DropInSchema(),
                                lambda v: ops.drop(enrolment, v["reason"]),
                                _("%(name)s was dropped from %(course)s.",
                                  name=enrolment.inmate.full_name, course=course.title))
        if saved:
            return redirect(url_for(".course", course_id=course_id))
    return render_template(
        "confirm.html", form=form, action=request.path,
        back=url_for(".course", course_id=course_id),
        title=_("Drop %(name)s from %(course)s?", name=enrolment.inmate.full_name,
                course=course.title),
        consequences=[_("The enrolment ends without a result; no skill or certificate is "
                        "recorded and the seat becomes free.")],
        button=_("Drop from the course")), form_status(form)
