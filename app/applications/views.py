"""Applications pages (R31): the officer records a written application on the person's
page, acts on the person's word (withdraw, accept or decline an offer), sets the language
of the answers, and sees the institution's applications and waiting lists. Prosecutors
and administrators read."""

from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.applications import operations as ops
from app.applications import scans, waiting
from app.applications.forms import ApplicationForm, LanguageForm, ReasonForm
from app.applications.models import AnswerLanguage, Application, ApplicationState
from app.applications.schemas import ApplicationInSchema, ReasonInSchema
from app.core.auth import READERS, get_in_scope_or_404, may_change_institution, roles_required
from app.core.auth import scoped as scoped_query
from app.core.errors import RuleViolation
from app.core.forms import attach_errors, submit
from app.core.labels import label, rule_reason
from app.core.scans import takes_scans
from app.core.transactions import discard_changes
from app.core.vocabulary import Role, VacancyStatus
from app.extensions import db
from app.inmates.models import Inmate
from app.taxonomy.models import Trade, localized_name
from app.training.models import Course
from app.vacancies.models import Vacancy
from policy.clock import today_in_kazakhstan

bp = Blueprint("applications", __name__, url_prefix="/applications",
               template_folder="templates")
takes_scans("applications.record")

ACTIONS = {"withdraw": ops.withdraw, "decline": ops.decline}
TARGET_FIELDS = ("kind", "target_id", "inmate_id")


@bp.get("/")
@roles_required(*READERS)
def index():
    state = request.args.get("state", "")
    query = scoped_query(Application)
    if state in {s.value for s in ApplicationState}:
        query = query.where(Application.state == state)
    page = db.paginate(query.order_by(Application.received_on.desc(), Application.id.desc()),
                       per_page=50, error_out=False)
    return render_template("applications/index.html", page=page, state=state,
                           states=list(ApplicationState), waiting_targets=_waiting_targets())


def _waiting_targets() -> list[tuple[str, Any, int]]:
    """The courses and vacancies with open applications in scope: (kind, target, count)."""
    found = []
    for kind, model, column in (("course", Course, Application.course_id),
                                ("vacancy", Vacancy, Application.vacancy_id)):
        rows = db.session.execute(
            sa.select(model, sa.func.count()).join(Application, column == model.id)
            .where(Application.state.in_(ops.OPEN_STATES), column.is_not(None),
                   Application.id.in_(scoped_query(Application).with_only_columns(
                       Application.id)))
            .group_by(model.id).order_by(sa.func.count().desc()).limit(20)).all()
        found += [(kind, target, count) for target, count in rows]
    return found


def _targets(inmate: Inmate) -> list[tuple[str, str]]:
    """What the person may ask for: their institution's published vacancies and current
    courses, and every active trade."""
    today = today_in_kazakhstan()
    vacancies = db.session.scalars(sa.select(Vacancy).where(
        Vacancy.institution_id == inmate.institution_id,
        Vacancy.status == VacancyStatus.PUBLISHED).order_by(Vacancy.title))
    courses = db.session.scalars(sa.select(Course).where(
        Course.institution_id == inmate.institution_id, Course.end_date > today)
        .order_by(Course.title))
    trades = db.session.scalars(sa.select(Trade).where(Trade.active.is_(True)))
    return ([(f"vacancy:{v.id}", f"{label('vacancy')}: {v.title}") for v in vacancies]
            + [(f"course:{c.id}", f"{label('course')}: {c.title}") for c in courses]
            + sorted(((f"trade:{t.id}", f"{label('trade')}: {localized_name(t)}")
                      for t in trades), key=lambda option: option[1]))


def _inmate_page(inmate: Inmate, form: ApplicationForm | None = None, status: int = 200):
    form = form or ApplicationForm(formdata=None)
    form.target.choices = _targets(inmate)
    return render_template(
        "applications/inmate.html", inmate=inmate, applications=ops.applications_of(inmate.id),
        form=form, reason_form=ReasonForm(formdata=None),
        language_form=LanguageForm(formdata=None, data={"language": inmate.language}),
        may_change=may_change_institution(inmate.institution_id)), status


@bp.get("/inmates/<int:inmate_id>")
@roles_required(*READERS)
def inmate_applications(inmate_id: int):
    return _inmate_page(get_in_scope_or_404(Inmate, inmate_id))


@bp.post("/inmates/<int:inmate_id>")
@roles_required(Role.OFFICER)
def record(inmate_id: int):
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    form = ApplicationForm()
    form.target.choices = _targets(inmate)
    kind, _colon, target_id = (form.target.data or "").partition(":")
    form_values = {"inmate_id": inmate.id, "kind": kind, "target_id": target_id,
                   "received_on": form.received_on.data or None}
    values = _load(form, form_values)
    if values is not None and submit(form, lambda: ops.apply(
            inmate, kind=values["kind"], target_id=values["target_id"],
            received_on=values["received_on"], channel="paper", scan=form.scan.data or None,
            user_id=current_user.id)) is not None:
        return redirect(url_for(".inmate_applications", inmate_id=inmate.id))
    page, _status = _inmate_page(inmate, form)
    return page, 422


def _load(form: ApplicationForm, data: dict[str, Any]) -> dict[str, Any] | None:
    """The form's values through the API's schema; its messages on the form's fields
    (``kind`` and ``target_id`` are both the one ``target`` select)."""
    errors = ApplicationInSchema().validate(data)
    if not errors:
        return ApplicationInSchema().load(data)
    attach_errors(form, {("target" if name in TARGET_FIELDS else name): messages
                         for name, messages in errors.items()})
    return None


def _refusing(action: Any) -> None:
    """Do ``action``; a refusal is undone and said on the page it goes back to."""
    try:
        action()
    except RuleViolation as error:
        discard_changes()
        flash(error.message, "error")


@bp.post("/<int:application_id>/<any(withdraw, decline, accept):action>")
@roles_required(Role.OFFICER)
def act(application_id: int, action: str):
    """The person's word, recorded by the officer: withdraw, decline (in their words)
    or accept an offer."""
    application = get_in_scope_or_404(Application, application_id)
    form = ReasonForm()
    if not form.validate():
        abort(400)
    reason = ReasonInSchema().load({"reason": form.reason.data or ""})["reason"]
    if action == "accept":
        _refusing(lambda: ops.accept_offer(application))
    else:
        _refusing(lambda: ACTIONS[action](application, reason))
    return redirect(url_for(".inmate_applications", inmate_id=application.inmate_id))


@bp.post("/inmates/<int:inmate_id>/language")
@roles_required(Role.OFFICER)
def set_language(inmate_id: int):
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    form = LanguageForm()
    if not form.validate() or form.language.data not in {v.value for v in AnswerLanguage}:
        abort(400)
    inmate.language = form.language.data
    db.session.flush()
    return redirect(url_for(".inmate_applications", inmate_id=inmate.id))


@bp.get("/<int:application_id>/scan")
@roles_required(*READERS)
def scan(application_id: int):
    application = get_in_scope_or_404(Application, application_id)
    response = scans.download(application.scan_name, application.scan_filename)
    if response is None:
        abort(404)
    return response


@bp.get("/waiting/<any(course, vacancy):kind>/<int:target_id>")
@roles_required(*READERS)
def waiting_list(kind: str, target_id: int):
    target = get_in_scope_or_404(Course if kind == "course" else Vacancy, target_id)
    places = [replace(p, reasons=[rule_reason(r, r) for r in p.reasons])
              for p in waiting.waiting_list(target)]
    return render_template("applications/waiting.html", kind=kind, target=target,
                           places=places,
                           title=_("Waiting list: %(target)s", target=target.title))
