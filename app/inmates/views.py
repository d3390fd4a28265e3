"""Inmate registry pages: list, profile, create and edit, health, consents,
separation, skills, release and transfer, spreadsheet import and export.

Officers change their own institution's inmates (R16); prosecutors of the
region and administrators read. Every action calls one operation and commits.
"""

import os
from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields

from app.core import scans, tables
from app.core.auth import READERS, get_in_scope_or_404, roles_required
from app.core.errors import RuleViolation
from app.core.forms import attach_errors, form_status, load_form, submit_form
from app.core.i18n import translate_messages
from app.core.input import allow_large_uploads
from app.core.labels import risk_label
from app.core.templating import format_day
from app.core.transactions import discard_changes
from app.core.vocabulary import Role
from app.extensions import db
from app.inmates import jobs as import_jobs
from app.inmates import operations as ops
from app.inmates import papers, security, spreadsheets, uploads
from app.inmates.forms import (
    AssessmentForm,
    BanForm,
    CertificateForm,
    ConsentForm,
    FilterForm,
    FlagForm,
    FlagLiftForm,
    ImportForm,
    IncidentForm,
    InmateForm,
    ReleaseForm,
    RiskAssessmentForm,
    SeparationForm,
    SkillForm,
    TransferForm,
    WishForm,
    WithdrawForm,
)
from app.inmates.models import Inmate
from app.inmates.schemas import (
    AssessmentInSchema,
    BanInSchema,
    CertificateInSchema,
    ConsentInSchema,
    FlagInSchema,
    FlagLiftInSchema,
    IncidentInSchema,
    InmateInSchema,
    ReleaseInSchema,
    RiskAssessmentInSchema,
    SkillInSchema,
    TransferInSchema,
    WishInSchema,
    WithdrawInSchema,
    load_filters,
)
from app.institutions.models import Institution
from app.jobs.views import own_job_or_404
from app.settings.operations import settings_for
from app.taxonomy.models import Trade, localized_name
from app.taxonomy.models import trade_choices as taxonomy_trade_choices
from policy.clock import today_in_kazakhstan

bp = Blueprint("inmates", __name__, url_prefix="/inmates", template_folder="templates")



class SeparationPageSchema(Schema):
    """The page names the other inmate by file number; the API by id."""

    other_file_number = fields.String(required=True)
    reason = fields.String(load_default="")


def upload_limit_message() -> str:
    limit = (request.max_content_length if has_request_context()
             else current_app.config.get("MAX_CONTENT_LENGTH")) or 0
    return _("The file is too large: the limit is %(mb).1f MB. Split it into smaller files.",
             mb=limit / 1024 / 1024)


def scan_limit_message() -> str:
    return _("The file is too large: a scan may be at most %(mb)d MB.",
             mb=scans.MAX_SCAN_BYTES // (1024 * 1024))


@bp.errorhandler(413)
def file_too_large(error: Exception):
    if request.endpoint in scans.SCAN_ENDPOINTS:  # a scan far over its limit
        flash(scan_limit_message(), "error")
        return _render_profile(get_in_scope_or_404(Inmate, request.view_args["inmate_id"]),
                               413)
    form = ImportForm(formdata=None)
    flash(upload_limit_message(), "error")
    return render_template("inmates/import.html", form=form, report=None, stash=None), 413


# --- list, export, templates ---------------------------------------------------------------

def trade_choices(blank: str | None = "") -> list[tuple[str, str]]:
    """The trade pickers' options (app/taxonomy): sorted in the user's language, a
    blank first so that no trade is chosen for the user."""
    return taxonomy_trade_choices(blank)


@bp.get("/")
@roles_required(*READERS)
def index():
    filters, problems = load_filters(request.args)
    form = FilterForm(formdata=request.args)
    form.trade_id.choices = trade_choices(blank="—")
    attach_errors(form, problems)
    page = db.paginate(ops.filtered_inmates(filters), page=filters["page"],
                       per_page=ops.PAGE_SIZE, error_out=False)
    working = ops.employed_ids([inmate.id for inmate in page.items])
    export_args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template("inmates/index.html", form=form, page=page, working=working,
                           export_args=export_args, may_change=_is_officer())


@bp.get("/export.<file_format>")
@roles_required(*READERS)
def export(file_format: str):
    if file_format not in tables.MIMETYPES:
        abort(404)
    filters, _problems = load_filters(request.args)
    content = spreadsheets.export(ops.filtered_inmates(filters), file_format)
    return tables.download(content, file_format, f"inmates-{today_in_kazakhstan().isoformat()}")


@bp.get("/template.<file_format>")
@roles_required(*READERS)
def template(file_format: str):
    kind = request.args.get("kind", "inmates")
    if file_format not in tables.MIMETYPES or kind not in spreadsheets.COLUMNS:
        abort(404)
    content = spreadsheets.template(kind, file_format)
    return tables.download(content, file_format, f"{kind}-template")


# --- import --------------------------------------------------------------------------------

def _uploaded(form: ImportForm) -> tuple[str, bytes] | None:
    stashed = request.form.get("stash", "")
    if stashed:
        return uploads.unstash(current_user.id, stashed)
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return upload.filename, upload.read()


@bp.route("/import", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def import_file():
    """A file within the page's limits (``MAX_UPLOAD_BYTES``, ``IMPORT_MAX_ROWS``) is
    checked or imported at once; a larger one (up to ``JOB_UPLOAD_MAX_BYTES``) is kept
    on disk and imported by a job, whose page shows its progress."""
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("inmates/import.html", form=form, report=None, stash=None), \
            form_status(form)
    kind = form.kind.data if form.kind.data in spreadsheets.IMPORTERS else "inmates"
    commit = request.form.get("action") == "commit"
    if _upload_size(form) > current_app.config["MAX_CONTENT_LENGTH"]:
        upload = form.file.data
        return _import_as_job(kind, upload.filename, uploads.stash(
            current_user.id, upload.filename, upload.stream), commit)
    upload = _uploaded(form)
    if upload is None:
        form.file.errors = [_("Choose a CSV or XLSX file to upload.")]
        return render_template("inmates/import.html", form=form, report=None, stash=None), 422
    filename, data = upload
    report = spreadsheets.run_import(kind, current_user.institution, filename, data,
                                     dry_run=not commit)
    if report.committed:
        flash(report.message, "success")
        return redirect(url_for(".index"))
    discard_changes()  # a dry run or a refused file writes nothing
    if report.too_many_rows:
        return _import_as_job(kind, filename, uploads.stash(current_user.id, filename, data),
                              commit)
    stash = None if report.problems else uploads.stash(current_user.id, filename, data)
    return render_template("inmates/import.html", form=form, report=report, stash=stash), \
        422 if report.problems else 200


def _upload_size(form: ImportForm) -> int:
    upload = form.file.data
    if request.form.get("stash") or upload is None or not getattr(upload, "filename", ""):
        return 0
    stream = upload.stream
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _import_as_job(kind: str, filename: str, stash: str, commit: bool):
    job = import_jobs.submit_import(current_user, kind, filename, stash, dry_run=not commit,
                                    locale=str(get_locale()))
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.post("/import/jobs/<int:job_id>/commit")
@roles_required(Role.OFFICER)
def import_checked_file(job_id: int):
    """Import the file a finished check job found clean, as a job of its own."""
    job = own_job_or_404(job_id)
    result = job.result or {}
    if job.kind != import_jobs.KIND or not job.params.get("dry_run") \
            or result.get("problem_count", 1) or uploads.path_of(current_user.id,
                                                                 job.params["stash"]) is None:
        abort(404)
    return _import_as_job(job.params["kind"], job.params["filename"], job.params["stash"],
                          commit=True)


allow_large_uploads("inmates.import_file")


# --- create and edit -----------------------------------------------------------------------

def _is_officer() -> bool:
    return current_user.role == Role.OFFICER


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def create():
    form = InmateForm()
    if request.method == "GET":
        form.regime.data = current_user.institution.regime.value
    saved, inmate = submit_form(form, InmateInSchema(), lambda values: ops.create_inmate(
        current_user.institution, values), _("Inmate added."), also=lambda values: (
        ops.stored_record_problems(current_user.institution, values)))
    if saved:
        return redirect(url_for(".profile", inmate_id=inmate.id))
    return render_template("inmates/edit.html", form=form, inmate=None), form_status(form)


@bp.route("/<int:inmate_id>/edit", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def edit(inmate_id: int):
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    form = InmateForm()
    if request.method == "GET":
        form.process(data=InmateInSchema().dump(inmate))
    saved, _result = submit_form(form, InmateInSchema(), lambda values: ops.update_inmate(
        inmate, values), _("Changes saved."), also=lambda values: (
        ops.stored_record_problems(inmate.institution, values, inmate)))
    if saved:
        return redirect(url_for(".profile", inmate_id=inmate_id))
    return render_template("inmates/edit.html", form=form, inmate=inmate), form_status(form)


# --- profile -------------------------------------------------------------------------------

PROFILE_FORMS = {
    "skill_form": SkillForm, "certificate_form": CertificateForm, "wish_form": WishForm,
    "consent_form": ConsentForm, "assessment_form": AssessmentForm,
    "separation_form": SeparationForm, "release_form": ReleaseForm,
    "transfer_form": TransferForm, "withdraw_form": WithdrawForm,
    "risk_form": RiskAssessmentForm, "incident_form": IncidentForm, "ban_form": BanForm,
    "flag_form": FlagForm, "flag_lift_form": FlagLiftForm,
}


def _fill_choices(form: Any, inmate: Inmate) -> Any:
    if hasattr(form, "trade_id"):
        form.trade_id.choices = trade_choices()
    if isinstance(form, BanForm):
        form.trade_ids.choices = trade_choices(blank=None)
    if isinstance(form, RiskAssessmentForm):  # R27: the scale of this year
        form.level.choices = [(level, risk_label(level)) for level in
                              settings_for(today_in_kazakhstan().year).law.risk_levels]
    if isinstance(form, TransferForm):
        others = db.session.scalars(sa.select(Institution).where(
            Institution.id != inmate.institution_id).order_by(Institution.code))
        form.institution_id.choices = [(str(i.id), str(i)) for i in others]
    return form


def _blank_form(form_cls: type, inmate: Inmate) -> Any:
    form = _fill_choices(form_cls(formdata=None), inmate)
    for name in ("given_on", "assessed_on", "issued_on", "released_on", "transferred_on",
                 "withdrawn_on", "occurred_on", "flagged_on", "lifted_on", "starts_on"):
        if hasattr(form, name):
            getattr(form, name).data = today_in_kazakhstan().isoformat()
    return form


def _render_profile(inmate: Inmate, status: int = 200, **forms: Any):
    all_forms = {name: _blank_form(cls, inmate) for name, cls in PROFILE_FORMS.items()}
    all_forms.update(forms)
    data = ops.profile(inmate) | security.profile_parts(inmate)  # the flag's view audited
    scanned = {"consents": papers.scanned(data["consents"]),
               "assessments": papers.scanned(data["medical_assessments"])}
    return render_template("inmates/profile.html", inmate=inmate, data=data,
                           may_change=_is_officer(), scanned=scanned,
                           may_read_medical_papers=(
                               current_user.role in papers.MEDICAL_PAPER_READERS),
                           **all_forms), status


@bp.get("/<int:inmate_id>")
@roles_required(*READERS)
def profile(inmate_id: int):
    return _render_profile(get_in_scope_or_404(Inmate, inmate_id))


def _profile_action(inmate_id: int, form_name: str, schema: Schema,
                    action: Callable[[Inmate, dict[str, Any]], Any], done: str,
                    confirm: Callable[[Inmate, dict[str, Any]], dict[str, Any]] | None = None,
                    also: Callable[[dict[str, Any]], dict[str, list[str]]] | None = None):
    """Load the posted form with ``schema``, run ``action``, commit, go back to the
    profile (or where ``action`` says); on refusal show the form's errors (422).
    With ``confirm`` the first valid post shows a confirmation page (what
    ``confirm(inmate, values)`` says will follow) holding the same form; only its
    button (``confirmed``) runs the action. ``also``: more checks of the same round
    (a scan's), so that every problem is shown at once."""
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    form = _fill_choices(PROFILE_FORMS[form_name](), inmate)
    if confirm is not None and not request.form.get("confirmed"):
        values = load_form(form, schema)
        if values is not None:
            return render_template("confirm.html", form=form, action=request.path,
                                   back=url_for(".profile", inmate_id=inmate_id),
                                   hidden={"confirmed": "1"}, **confirm(inmate, values))
        return _render_profile(get_in_scope_or_404(Inmate, inmate_id), 422, **{form_name: form})
    saved, target = submit_form(form, schema, lambda values: action(inmate, values), done,
                                also=also)
    if saved:
        return redirect(target if isinstance(target, str)
                        else url_for(".profile", inmate_id=inmate_id))
    return _render_profile(get_in_scope_or_404(Inmate, inmate_id), 422, **{form_name: form})


def _ending_placements(inmate: Inmate, on: date) -> list[Any]:
    return [p for p in ops.profile(inmate)["placements"] if p.end_date is None or p.end_date > on]


def _leaving(title: str, button: str) -> Callable[[Inmate, dict[str, Any]], dict[str, Any]]:
    """What the release and transfer confirmation pages say."""
    def describe(inmate: Inmate, values: dict[str, Any]) -> dict[str, Any]:
        on = values.get("released_on") or values.get("transferred_on")
        ending = _ending_placements(inmate, on)
        return {"title": title % {"name": inmate.full_name}, "button": button, "ending": ending,
                "consequences": [
                    _("On %(day)s: active placements end and course enrolments are dropped; "
                      "the history is kept.", day=format_day(on)),
                    _("No active placement ends.") if not ending else
                    _("%(n)s placement(s) will end, listed below.", n=len(ending))]}
    return describe


@bp.post("/<int:inmate_id>/skills")
@roles_required(Role.OFFICER)
def add_skill(inmate_id: int):
    return _profile_action(inmate_id, "skill_form", SkillInSchema(), lambda inmate, v: (
        ops.set_skill(inmate, v["trade_id"], v["level"], v["source"])),
        _("Skill recorded."))


@bp.post("/<int:inmate_id>/certificates")
@roles_required(Role.OFFICER)
def add_certificate(inmate_id: int):
    return _profile_action(inmate_id, "certificate_form", CertificateInSchema(),
                           lambda inmate, v: ops.add_certificate(inmate, **v),
                           _("Certificate recorded."))


@bp.post("/<int:inmate_id>/wishes")
@roles_required(Role.OFFICER)
def add_wish(inmate_id: int):
    return _profile_action(inmate_id, "wish_form", WishInSchema(),
                           lambda inmate, v: ops.add_wish(inmate, v["trade_id"]),
                           _("Trade wish recorded."))


@bp.post("/<int:inmate_id>/consents")
@roles_required(Role.OFFICER)
def give_consent(inmate_id: int):
    scan = scans.uploaded(request.files.get("consent_scan"))
    return _profile_action(inmate_id, "consent_form", ConsentInSchema(), lambda inmate, v: (
        papers.attach(ops.give_consent(inmate, **v), scan, current_user.id)),
        _("Consent recorded."), also=lambda _values: scans.problems("consent_scan", scan))


@bp.post("/<int:inmate_id>/assessments")
@roles_required(Role.OFFICER)
def add_assessment(inmate_id: int):
    scan = scans.uploaded(request.files.get("medical_scan"))
    return _profile_action(inmate_id, "assessment_form", AssessmentInSchema(), lambda inmate, v: (
        papers.attach(ops.record_assessment(inmate, **v), scan, current_user.id)),
        _("Medical assessment recorded."),
        also=lambda _values: scans.problems("medical_scan", scan))


# --- the papers' scans (app/inmates/papers.py) ---------------------------------------------

PAPERS = {"consents": "consents", "assessments": "medical_assessments"}
scans.takes_scans("inmates.give_consent", "inmates.add_assessment", "inmates.attach_paper")


@bp.post("/<int:inmate_id>/<any(consents, assessments):records>/<int:record_id>/scan")
@roles_required(Role.OFFICER)
def attach_paper(inmate_id: int, records: str, record_id: int):
    """Attach (or replace) the scan of a consent's or an assessment's paper recorded
    before, with its reference only; a refusal is said under that row's file input."""
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    record = ops.child_or_404(getattr(inmate, PAPERS[records]), record_id)
    scan = scans.uploaded(request.files.get("scan"))
    try:
        if scan is None:
            raise RuleViolation("scan", _("choose the file of the scan"))
        papers.attach(record, scan, current_user.id)
    except RuleViolation as refusal:
        discard_changes()
        return _render_profile(get_in_scope_or_404(Inmate, inmate_id), 422, paper_errors={
            (records, record_id): translate_messages(refusal.errors)["scan"]})
    flash(_("Scan attached."), "success")
    return redirect(url_for(".profile", inmate_id=inmate_id,
                            _anchor="consents" if records == "consents" else "medical"))


@bp.get("/<int:inmate_id>/consents/<int:record_id>/scan")
@roles_required(*papers.CONSENT_PAPER_READERS)
def consent_paper(inmate_id: int, record_id: int):
    return _paper(inmate_id, "consents", record_id)


@bp.get("/<int:inmate_id>/assessments/<int:record_id>/scan")
@roles_required(*papers.MEDICAL_PAPER_READERS)
def medical_paper(inmate_id: int, record_id: int):
    return _paper(inmate_id, "assessments", record_id)


def _paper(inmate_id: int, records: str, record_id: int):
    """To a reader whose role may read it (the route's) and whose scope holds the
    person (else 404, as if absent)."""
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    return papers.download(getattr(inmate, PAPERS[records]), record_id)


@bp.post("/<int:inmate_id>/risk-assessments")
@roles_required(Role.OFFICER)
def add_risk_assessment(inmate_id: int):
    return _profile_action(inmate_id, "risk_form", RiskAssessmentInSchema(),
                           lambda inmate, v: security.record_risk_assessment(inmate, **v),
                           _("Risk-and-needs assessment recorded."))


@bp.post("/<int:inmate_id>/incidents")
@roles_required(Role.OFFICER)
def add_incident(inmate_id: int):
    return _profile_action(inmate_id, "incident_form", IncidentInSchema(),
                           lambda inmate, v: security.record_incident(inmate, **v),
                           _("Serious incident recorded: an assessment is due."))


@bp.post("/<int:inmate_id>/bans")
@roles_required(Role.OFFICER)
def add_ban(inmate_id: int):
    return _profile_action(inmate_id, "ban_form", BanInSchema(),
                           lambda inmate, v: security.record_ban(inmate, **v),
                           _("Court ban recorded."))


@bp.post("/<int:inmate_id>/flag")
@roles_required(Role.OFFICER)
def set_flag(inmate_id: int):
    return _profile_action(inmate_id, "flag_form", FlagInSchema(),
                           lambda inmate, v: security.set_flag(inmate, **v),
                           _("Flag recorded."))


@bp.post("/<int:inmate_id>/flag/lift")
@roles_required(Role.OFFICER)
def lift_flag(inmate_id: int):
    return _profile_action(inmate_id, "flag_lift_form", FlagLiftInSchema(),
                           lambda inmate, v: security.lift_flag(inmate, **v),
                           _("Flag lifted."))


@bp.post("/<int:inmate_id>/separations")
@roles_required(Role.OFFICER)
def add_separation(inmate_id: int):
    def keep_apart(inmate: Inmate, values: dict[str, Any]) -> None:
        number = request.form.get("other_file_number", "").strip()
        other = db.session.scalar(sa.select(Inmate.id).where(
            Inmate.institution_id == inmate.institution_id, Inmate.file_number == number))
        if other is None:
            raise RuleViolation("other_file_number", _("no inmate with this file number here"),
                                rule="R14")
        ops.add_separation(inmate, other, values.get("reason", ""))

    return _profile_action(inmate_id, "separation_form", SeparationPageSchema(), keep_apart,
                           _("The inmates will be kept apart."))


@bp.post("/<int:inmate_id>/release")
@roles_required(Role.OFFICER)
def release(inmate_id: int):
    return _profile_action(inmate_id, "release_form", ReleaseInSchema(),
                           lambda inmate, v: ops.release_inmate(inmate, v["released_on"]),
                           _("Inmate released; active placements ended."),
                           confirm=_leaving(_("Release %(name)s?"), _("Release")))


@bp.post("/<int:inmate_id>/transfer")
@roles_required(Role.OFFICER)
def transfer(inmate_id: int):
    def move(inmate: Inmate, values: dict[str, Any]) -> str:
        ops.transfer_inmate(inmate, values["institution_id"], values["transferred_on"],
                            values.get("regime"))
        return url_for(".index")

    return _profile_action(inmate_id, "transfer_form", TransferInSchema(), move,
                           _("Inmate transferred; active placements ended."),
                           confirm=_leaving(_("Transfer %(name)s?"), _("Transfer")))


@bp.post("/<int:inmate_id>/consents/<int:consent_id>/withdraw")
@roles_required(Role.OFFICER)
def withdraw_consent(inmate_id: int, consent_id: int):
    def withdraw(inmate: Inmate, values: dict[str, Any]) -> None:
        consent = ops.child_or_404(inmate.consents, consent_id)
        ended = ops.withdraw_consent(consent, values["withdrawn_on"])
        if ended:
            flash(_("%(n)s placement(s) ended: consent withdrawn.", n=len(ended)), "warning")

    return _profile_action(inmate_id, "withdraw_form", WithdrawInSchema(), withdraw,
                           _("Consent withdrawn."))


def _trade_name(trade_id: int) -> str:
    return localized_name(db.session.get(Trade, trade_id))


def _remove(inmate_id: int, find: Callable[[Inmate], Any], remove: Callable[[Any], Any],
            title: Callable[[Inmate, Any], str], consequence: str, done: str):
    """GET: the confirmation page (what goes, what follows); POST: remove it."""
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    record = find(inmate)
    if request.method == "GET":
        return render_template("confirm.html", form=None, action=request.path,
                               back=url_for(".profile", inmate_id=inmate_id),
                               title=title(inmate, record), consequences=[consequence],
                               button=_("Remove"))
    remove(record)
    flash(done, "success")
    return redirect(url_for(".profile", inmate_id=inmate_id))


@bp.route("/<int:inmate_id>/skills/<int:skill_id>/remove", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def remove_skill(inmate_id: int, skill_id: int):
    return _remove(
        inmate_id, lambda inmate: ops.child_or_404(inmate.skills, skill_id), ops.remove_skill,
        lambda inmate, skill: _("Remove the skill %(trade)s from %(name)s?",
                                trade=_trade_name(skill.trade_id), name=inmate.full_name),
        _("The matching will no longer count this skill; placements already made stay."),
        _("Skill removed."))


@bp.route("/<int:inmate_id>/certificates/<int:certificate_id>/remove", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def remove_certificate(inmate_id: int, certificate_id: int):
    return _remove(
        inmate_id, lambda inmate: ops.child_or_404(inmate.certificates, certificate_id),
        ops.remove_certificate,
        lambda inmate, cert: _("Remove the certificate %(trade)s from %(name)s?",
                               trade=_trade_name(cert.trade_id), name=inmate.full_name),
        _("Vacancies that require this certificate will no longer match this inmate; "
          "placements already made stay."),
        _("Certificate removed."))


@bp.post("/<int:inmate_id>/wishes/<int:trade_id>/remove")
@roles_required(Role.OFFICER)
def remove_wish(inmate_id: int, trade_id: int):
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    ops.remove_wish(inmate, trade_id) or abort(404)
    flash(_("Trade wish removed."), "success")
    return redirect(url_for(".profile", inmate_id=inmate_id))


@bp.route("/<int:inmate_id>/separations/<int:link_id>/remove", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def remove_separation(inmate_id: int, link_id: int):
    return _remove(
        inmate_id, lambda inmate: ops.find_separation(inmate, link_id) or abort(404),
        ops.remove_separation,
        lambda inmate, link: _("Stop keeping %(name)s apart from the other inmate?",
                               name=inmate.full_name),
        _("The matching may then place both inmates at the same workplace."),
        _("Separation removed."))

