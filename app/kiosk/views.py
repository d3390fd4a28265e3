"""Kiosk pages (the person's own, ``/kiosk``) and the officer's kiosk pages of an
inmate (``/inmates/<id>/kiosk``: PIN, language, requests, the printed statement)."""

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.core.auth import READERS, get_in_scope_or_404, may_change_institution, roles_required
from app.core.errors import RuleViolation
from app.core.forms import form_status, submit
from app.core.transactions import discard_changes
from app.core.vocabulary import Role
from app.extensions import db
from app.inmates.models import Inmate
from app.kiosk import guard
from app.kiosk import operations as ops
from app.kiosk.forms import KeepConsentForm, LanguageForm, SignInForm
from app.kiosk.guard import current_person, person_only
from app.kiosk.models import ConsentWithdrawalRequest
from app.kiosk.throttling import kiosk_throttled
from app.kiosk.view import open_targets, person_view

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk", template_folder="templates")
staff = Blueprint("kiosk_staff", __name__, url_prefix="/inmates/<int:inmate_id>",
                  template_folder="templates")

# --- the person's pages --------------------------------------------------------------------

@bp.route("/", methods=["GET", "POST"])
@kiosk_throttled
def sign_in():
    if current_person() is not None:
        return redirect(url_for("kiosk.home"))
    if request.args.get("lang") in ops.PERSON_LANGUAGES:
        session["language"] = request.args["lang"]
    form = SignInForm()
    form.institution_id.choices = [(i.id, str(i)) for i in ops.kiosk_institutions()]
    if request.method == "GET" and request.args.get("institution", "").isdecimal():
        form.institution_id.data = int(request.args["institution"])
    if form.validate_on_submit():
        record = ops.sign_in(form.institution_id.data, form.file_number.data, form.pin.data)
        if record is not None:
            guard.start_session(record)
            return redirect(url_for("kiosk.home"))
        form.pin.errors.append(ops.refusal_message())
    return render_template("kiosk/sign_in.html", form=form), form_status(form)


@bp.post("/sign-out")
def sign_out():
    guard.end_session()
    return redirect(url_for("kiosk.sign_in"))


@bp.get("/timed-out")
def timed_out():
    """Where a kiosk page sends itself after ``IDLE`` untouched (a meta refresh): the
    session ends and the screen shows the sign-in, not the person's data, to whoever
    comes next."""
    guard.end_session()
    return redirect(url_for("kiosk.sign_in"))


@bp.get("/me")
@person_only
def home():
    return render_template("kiosk/home.html", **person_view(current_person()))


@bp.get("/me/<any(work, money, applications, plan):section>")
@person_only
def section(section: str):
    person = current_person()
    view = person_view(person)
    targets = open_targets(person, view["today"]) if section == "applications" else {}
    return render_template(f"kiosk/{section}.html", section=section, targets=targets, **view)


@bp.post("/me/language/<any(kk, ru):code>")
@person_only
def language(code: str):
    ops.choose_language(current_person(), code)
    session["language"] = code
    return redirect(_back())


@bp.post("/me/consents/<int:consent_id>/withdrawal")
@person_only
def ask_to_withdraw(consent_id: int):
    return _act(lambda: ops.ask_to_withdraw(current_person(), consent_id),
                _("Your request is recorded. The officer will confirm the withdrawal in "
                  "writing; until then the consent stays in force."), "plan")


@bp.post("/me/applications")
@person_only
def apply():
    target = request.form.get("target_id", "")
    if not target.isdecimal():
        flash(_("Choose what to apply for."), "error")
        return redirect(url_for("kiosk.section", section="applications"))
    return _act(lambda: ops.apply_at_kiosk(current_person(), request.form.get("kind", ""),
                                           int(target)),
                _("Your application is recorded. The answer comes after the next match run."),
                "applications")


@bp.post("/me/applications/<int:application_id>/withdraw")
@person_only
def withdraw_application(application_id: int):
    return _act(lambda: ops.withdraw_own(current_person(), application_id),
                _("Your application is withdrawn."), "applications")


def _act(action: Any, done: str, section_name: str) -> Any:
    """Run a person's action; its refusal is flashed (the page is shown again)."""
    try:
        action()
        flash(done, "success")
    except RuleViolation as refused:
        discard_changes()
        flash(refused.message, "error")
    return redirect(url_for("kiosk.section", section=section_name))


def _back() -> str:
    """Back to the kiosk page the button was on (never outside the kiosk)."""
    target = request.form.get("next", "")
    return target if target.startswith("/kiosk/me") and "//" not in target \
        else url_for("kiosk.home")


# --- the officer's pages -------------------------------------------------------------------

def _inmate(inmate_id: int, change: bool = False) -> Inmate:
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    if change and not may_change_institution(inmate.institution_id):
        abort(403)
    return inmate


def _officer_page(inmate: Inmate, status: int = 200, **extra: Any) -> Any:
    return render_template(
        "kiosk/officer.html", inmate=inmate, pin=ops.pin_of(inmate.id),
        requests=ops.open_requests(inmate.institution_id, inmate.id),
        language_form=extra.pop("language_form", None)
        or LanguageForm(language=ops.language_of(inmate)),
        keep_form=KeepConsentForm(), language=ops.language_of(inmate),
        max_failures=ops.MAX_FAILURES,
        may_change=may_change_institution(inmate.institution_id), **extra), status


@staff.get("/kiosk")
@roles_required(*READERS)
def officer(inmate_id: int):
    return _officer_page(_inmate(inmate_id))


@staff.post("/kiosk/pin")
@roles_required(Role.OFFICER)
def issue_pin(inmate_id: int):
    """A new PIN, shown on this answer only (never stored in the clear, never in a
    redirect or a flashed message)."""
    inmate = _inmate(inmate_id, change=True)
    try:
        new_pin = ops.issue_pin(inmate, current_user.id)
    except RuleViolation as refused:
        discard_changes()
        return _officer_page(inmate, 422, refusal=refused.message)
    return _officer_page(inmate, new_pin=new_pin)


@staff.post("/kiosk/pin/lock")
@roles_required(Role.OFFICER)
def lock_pin(inmate_id: int):
    inmate = _inmate(inmate_id, change=True)
    try:
        ops.revoke_pin(inmate)
    except RuleViolation as refused:
        discard_changes()
        return _officer_page(inmate, 409, refusal=refused.message)
    flash(_("The PIN is locked: the person cannot sign in until a new PIN is issued."),
          "success")
    return redirect(url_for("kiosk_staff.officer", inmate_id=inmate.id))


@staff.post("/kiosk/language")
@roles_required(Role.OFFICER)
def set_language(inmate_id: int):
    inmate = _inmate(inmate_id, change=True)
    form = LanguageForm()
    if form.validate_on_submit() and submit(
            form, lambda: ops.choose_language(inmate, form.language.data)):
        flash(_("Language saved."), "success")
        return redirect(url_for("kiosk_staff.officer", inmate_id=inmate.id))
    return _officer_page(inmate, form_status(form) or 422, language_form=form)


@staff.post("/kiosk/requests/<int:request_id>/keep")
@roles_required(Role.OFFICER)
def keep_consent(inmate_id: int, request_id: int):
    """The person changed their mind: the request is closed, the consent kept (a
    withdrawal is recorded on the consent itself, which closes the request)."""
    inmate = _inmate(inmate_id, change=True)
    found = db.session.get(ConsentWithdrawalRequest, request_id)
    if found is None or found.inmate_id != inmate.id:
        abort(404)
    form = KeepConsentForm()
    if form.validate_on_submit() and submit(form, lambda: ops.close_request(
            found, "kept", form.note.data or "", current_user.id)):
        flash(_("The request is answered; the consent stays in force."), "success")
        return redirect(url_for("kiosk_staff.officer", inmate_id=inmate.id))
    return _officer_page(inmate, 422)


@staff.get("/statement")
@roles_required(*READERS)
def statement(inmate_id: int):
    """The one-page statement to print and hand over, in the person's language
    (``?language=kk`` or ``ru`` prints it in the other)."""
    inmate = _inmate(inmate_id)
    language = request.args.get("language") or ops.language_of(inmate)
    if language not in ops.PERSON_LANGUAGES:
        abort(404)
    with force_locale(language):
        return render_template("kiosk/statement.html", **person_view(inmate),
                               printed_in=language)
BLUEPRINTS = (bp, staff)
