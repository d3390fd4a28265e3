"""Pages of the entrepreneurs' portal (thin: parse the form, call one operation, render)."""

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from app.auth.throttling import colleague_creation_throttled
from app.core.auth import get_in_scope_or_404, roles_required, scoped
from app.core.errors import RuleViolation
from app.core.forms import form_status, submit
from app.core.transactions import discard_changes
from app.core.vocabulary import EmployerKind, Role, VacancyStatus
from app.extensions import db, limiter
from app.placements import staffing
from app.planner.operations import trade_codes
from app.vacancies import operations as vacancy_ops
from app.vacancies.models import Vacancy
from employers import operations, pool
from employers.api import registration_limit
from employers.forms import ColleagueForm, NewVacancyForm, RegistrationForm, VacancyForm
from employers.production import production_ranking
from employers.schemas import ProductionArgs
from policy.clock import today_in_kazakhstan

bp = Blueprint("employers", __name__, url_prefix="/employer", template_folder="templates")

employer_only = roles_required(Role.EMPLOYER)


# --- registration -------------------------------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
@limiter.shared_limit(registration_limit, scope="employer-registration", methods=["POST"])
def register():
    form = RegistrationForm()
    if form.validate_on_submit() and submit(form, lambda: operations.register_employer(
            kind=EmployerKind(form.kind.data), bin_iin=form.bin_iin.data, name=form.name.data,
            address=form.address.data, contact_person=form.contact_person.data,
            phone=form.phone.data, email=form.email.data, password=form.password.data)):
        return render_template("employers/registered.html", email=form.email.data)
    return render_template("employers/register.html", form=form), form_status(form)


# --- home, users --------------------------------------------------------------------


@bp.get("/")
@employer_only
def home():
    employer_id = current_user.employer_id
    return render_template(
        "employers/home.html", employer=current_user.employer,
        open_vacancies=operations.open_vacancies(employer_id),
        changes=operations.officer_changes(employer_id),
        notifications=operations.notifications(current_user.id))


@bp.route("/users", methods=["GET", "POST"])
@colleague_creation_throttled
@employer_only
def users():
    form = ColleagueForm()
    if form.validate_on_submit() and submit(form, lambda: operations.add_colleague(
            current_user.employer, email=form.email.data, full_name=form.full_name.data,
            password=form.password.data)):
        flash(_("User added: they can log in now."), "success")
        return redirect(url_for(".users"))
    return render_template("employers/users.html", form=form,
                           users=current_user.employer.users), form_status(form)


# --- vacancies ----------------------------------------------------------------------


@bp.get("/vacancies")
@employer_only
def vacancies():
    rows = db.session.scalars(scoped(Vacancy).order_by(Vacancy.status, Vacancy.start_date,
                                                       Vacancy.title)).all()
    filled = staffing.filled_count([v.id for v in rows], today_in_kazakhstan())
    return render_template("employers/vacancies.html", vacancies=rows, filled=filled)


@bp.route("/vacancies/new", methods=["GET", "POST"])
@employer_only
def vacancy_new():
    form = NewVacancyForm()
    created = form.validate_on_submit() and submit(form, lambda: vacancy_ops.create_vacancies(
        current_user.employer, form.institution_ids.data, form.values()))
    if created:
        flash(_("%(n)s draft vacancy(ies) created. Publish them when ready.",
                n=len(created)), "success")
        return redirect(url_for(".vacancies"))
    return render_template("employers/vacancy_form.html", form=form, vacancy=None), \
        form_status(form)


@bp.get("/vacancies/<int:vacancy_id>")
@employer_only
def vacancy(vacancy_id: int):
    found = get_in_scope_or_404(Vacancy, vacancy_id)
    return render_template(
        "employers/vacancy.html", vacancy=found,
        filled=staffing.filled_count([found.id], today_in_kazakhstan()).get(found.id, 0),
        eligible=pool.eligible_count(found) if found.status != VacancyStatus.CLOSED else None,
        workers=[w for w in operations.current_workers(current_user.employer_id)
                 if w.vacancy_id == found.id])


@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@employer_only
def vacancy_edit(vacancy_id: int):
    found = get_in_scope_or_404(Vacancy, vacancy_id)
    form = VacancyForm(data=vacancy_ops.vacancy_values(found))
    result = form.validate_on_submit() and submit(form, _asking(
        lambda: staffing.update_vacancy(found, form.values(), confirm=_confirmed())))
    if isinstance(result, staffing.ConfirmationNeeded):
        return _confirmation(found, result, _("Save with fewer positions"))
    if result:
        flash(_("Vacancy saved."), "success")
        return redirect(url_for(".vacancy", vacancy_id=found.id))
    return render_template("employers/vacancy_form.html", form=form, vacancy=found), \
        form_status(form)


@bp.post("/vacancies/<int:vacancy_id>/<any(publish, pause):action>")
@employer_only
def vacancy_status(vacancy_id: int, action: str):
    found = get_in_scope_or_404(Vacancy, vacancy_id)
    try:
        vacancy_ops.change_status(found, action)
        flash(_("Vacancy published.") if action == "publish" else _("Vacancy paused."),
              "success")
    except RuleViolation as error:
        discard_changes()  # the refusal is flashed on the vacancy's page
        flash(error.message, "error")
    return redirect(url_for(".vacancy", vacancy_id=vacancy_id))


@bp.route("/vacancies/<int:vacancy_id>/close", methods=["GET", "POST"])
@employer_only
def vacancy_close(vacancy_id: int):
    """GET: ask first; POST: close (a staffed vacancy asks again, naming the workers
    whose placements end: app/placements/staffing.py)."""
    found = get_in_scope_or_404(Vacancy, vacancy_id)
    if request.method == "GET":
        return render_template(
            "confirm.html", form=None, action=request.path,
            back=url_for(".vacancy", vacancy_id=vacancy_id),
            title=_("Close the vacancy %(title)s?", title=found.title),
            consequences=[_("The vacancy is no longer offered and its pending proposals "
                            "lapse. If workers are placed in it, the next page names them "
                            "before any placement ends.")],
            button=_("Close the vacancy"))
    try:
        result = _asking(lambda: staffing.close_vacancy(found, confirm=_confirmed()))()
        if isinstance(result, staffing.ConfirmationNeeded):
            return _confirmation(found, result, _("Close the vacancy"))
        flash(_("Vacancy closed."), "success")
    except RuleViolation as error:
        discard_changes()  # the refusal is flashed on the vacancy's page
        flash(error.message, "error")
    return redirect(url_for(".vacancy", vacancy_id=vacancy_id))


def _confirmed() -> set[int] | None:
    """The placements the confirmation page listed, posted back by its button: the
    change goes ahead only if exactly these would end (else the page asks again)."""
    try:
        return {int(part) for part in request.form.get("confirm", "").split(",") if part}
    except ValueError:
        return None


def _asking(action: Callable[[], Any]) -> Callable[[], Any]:
    """``action``, returning (not raising) the request for a confirmation, so the page
    can show the confirmation step; nothing was changed when it is asked."""

    def run() -> Any:
        try:
            action()
        except staffing.ConfirmationNeeded as needed:
            return needed
        return True

    return run


def _confirmation(found: Vacancy, needed: staffing.ConfirmationNeeded, label: str):
    """The confirmation step (no JavaScript needed): the workers whose placements would
    end; its button posts the same form again with their ids as ``confirm``, Cancel
    leads back. Nothing has been changed, and the answer is 409, so nothing is."""
    ending = [(p.inmate.full_name, p.start_date, p.weekly_hours, needed.ending_on[p.id])
              for p in needed.placements]
    return render_template(
        "employers/confirm.html", vacancy=found, ending=ending, label=label,
        message=needed.message, fields=request.form.items(multi=True),
        confirm=",".join(str(p.id) for p in needed.placements)), 409


# --- labour pool, workers -----------------------------------------------------------


@bp.get("/labour-pool")
@employer_only
def labour_pool():
    return render_template("employers/labour_pool.html", pools=pool.labour_pool(),
                           suppress_below=pool.SUPPRESS_BELOW)


@bp.get("/production")
@employer_only
def production():
    """Where to open production: per institution, how many more inmates a workshop of a
    trade and size would employ (counts protected like the labour pool, R17)."""
    asked = "trade" in request.args
    args, errors, rows = {"positions": 10}, {}, None
    if asked:
        try:
            args = ProductionArgs().load(request.args)
        except ValidationError as e:
            errors = e.messages if isinstance(e.messages, dict) else {"_": e.messages}
        else:
            rows = production_ranking(
                args["trade"], args["positions"], str(current_user.employer.kind),
                today_in_kazakhstan())
    return render_template("employers/production.html", rows=rows, args=args, errors=errors,
                           trades=trade_codes(),
                           suppress_below=pool.SUPPRESS_BELOW), 422 if errors else 200


@bp.get("/workers")
@employer_only
def workers():
    return render_template("employers/workers.html",
                           workers=operations.current_workers(current_user.employer_id))
