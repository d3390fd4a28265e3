"""Prosecutors' pages: rates, trends, violations with their evidence, findings,
the audit browser (officers too), exports and the printable regional report."""

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.applications import oversight as applications_oversight
from app.applications.schemas import ApplicationYearArgs
from app.core import scans
from app.core.audit_reading import readable
from app.core.auth import get_in_scope_or_404, roles_required, scoped
from app.core.charts import rate_chart
from app.core.errors import RuleViolation
from app.core.i18n import translate_messages
from app.core.labels import field_label
from app.core.pagination import ListPage, page_number
from app.core.transactions import discard_changes
from app.core.urls import local_path
from app.core.vocabulary import FindingKind, FindingStatus, Role
from app.extensions import db
from app.institutions.models import Institution
from app.jobs.queue import national
from app.monitoring import export_jobs, exports, operations, rates
from app.monitoring.forms import FindingForm
from app.monitoring.late_answers import late_answers_in_scope
from app.monitoring.models import Finding
from app.monitoring.operations import AuditFilters
from app.monitoring.schemas import AuditArgs, DayArgs, FindingsArgs, PeriodArgs, RatesArgs
from app.monitoring.violations import (
    CHECKS,
    Period,
    period_ending,
    placements_by_id,
)
from app.placements import orders as placement_orders
from app.placements.models import Placement
from policy.clock import today_in_kazakhstan

bp = Blueprint("monitoring", __name__, url_prefix="/monitoring", template_folder="templates")
scans.takes_scans("monitoring.answer_finding")

READERS = (Role.PROSECUTOR, Role.ADMIN)  # rates, trends, violations, evidence, reports
FINDINGS_READERS = (Role.PROSECUTOR, Role.OFFICER, Role.ADMIN)  # officers: their institution
AUDIT_READERS = (Role.PROSECUTOR, Role.OFFICER, Role.ADMIN)
MAX_EXPORT_ROWS = 100_000


@bp.app_context_processor
def _today() -> dict[str, Any]:
    """Findings' tables mark an answer overdue against Kazakhstan's today."""
    return {"today_kz": today_in_kazakhstan}


def _institutions() -> list[Institution]:
    return rates.institutions_in_scope(current_user)


def _finding_form(**defaults: Any) -> FindingForm | None:
    """The form to record a finding, for prosecutors only."""
    if current_user.role != Role.PROSECUTOR:
        return None
    return FindingForm(_institutions(), formdata=None, data=defaults)


def _rates_args() -> dict:
    args = RatesArgs().load(request.args)
    if args["region_id"] is not None:
        operations.region_in_scope_or_404(args["region_id"], current_user)
    return args


@bp.get("/")
@roles_required(*READERS)
def index():
    args = _rates_args()
    report = rates.rates_on(args["day"], current_user, args["region_id"])
    return render_template("monitoring/index.html", report=report, args=args)


@bp.get("/institutions/<int:institution_id>")
@roles_required(*READERS)
def institution(institution_id: int):
    record = get_in_scope_or_404(Institution, institution_id)
    day = DayArgs().load(request.args)["day"]
    series = rates.trends(current_user, today_in_kazakhstan(), institution_id=record.id)
    period = period_ending(day, 90)
    violations = operations.violations_in_scope(period, current_user,
                                                institution_id=record.id)
    findings = db.session.scalars(operations.findings_query(current_user,
                                                            institution_id=record.id)).all()
    return render_template(
        "monitoring/institution.html", institution=record, day=day,
        rate=rates.rate_of(record, day), period=period, violations=violations,
        chart=rate_chart(series.institutions.get(record.id, []), record.code),
        findings=findings, form=_finding_form(institution_id=record.id,
                                              next=request.full_path))


@bp.get("/trends")
@roles_required(*READERS)
def trends():
    result = rates.trends(current_user, today_in_kazakhstan())
    institutions = {i.id: i for i in _institutions()}
    names = {r.key: r.label for series in result.regions.values() for r in series[:1]}
    charts = {
        "total": rate_chart(result.total, str(result.total[-1].label)),
        "regions": [(names[rid], rate_chart(s, names[rid]))
                    for rid, s in sorted(result.regions.items(), key=lambda x: names[x[0]])],
        "institutions": [(institutions[iid], rate_chart(s, institutions[iid].code))
                         for iid, s in sorted(result.institutions.items(),
                                              key=lambda x: institutions[x[0]].code)],
    }
    return render_template("monitoring/trends.html", result=result, charts=charts)


def _violations(args: dict) -> list:
    return operations.violations_in_scope(Period(args["start"], args["end"]), current_user,
                                          args["rule"], args["institution_id"])


@bp.get("/violations")
@roles_required(*READERS)
def violations():
    args = PeriodArgs().load({k: v for k, v in request.args.items() if k != "page"})
    page = ListPage.of(_violations(args), page_number())  # two years hold thousands
    return render_template("monitoring/violations.html", page=page, args=args,
                           placements=placements_by_id(page.items), checks=CHECKS,
                           institutions=_institutions())


@bp.get("/placements/<int:placement_id>")
@roles_required(*READERS)
def evidence(placement_id: int):
    placement = get_in_scope_or_404(Placement, placement_id)
    found = operations.violations_of_placement(placement, today_in_kazakhstan())
    findings = db.session.scalars(operations.findings_query(
        current_user, placement_id=placement.id)).all()
    rule = found[0].rule if found else ""
    return render_template(
        "monitoring/evidence.html", placement=placement, inmate=placement.inmate,
        vacancy=placement.vacancy, violations=found, checks=CHECKS, findings=findings,
        orders=placement_orders.listed([placement.id]).get(placement.id, []),
        events=readable(operations.evidence_events(placement, current_user)),
        form=_finding_form(institution_id=placement.institution_id, placement_id=placement.id,
                           rule=rule, next=request.full_path))


@bp.get("/findings")
@roles_required(*FINDINGS_READERS)
def findings():
    args = FindingsArgs().load(request.args)
    page = db.paginate(operations.findings_query(current_user, **args),
                       page=request.args.get("page", 1, type=int), per_page=50,
                       error_out=False)
    overdue_count = db.session.scalar(sa.select(sa.func.count()).select_from(
        operations.findings_query(current_user, late=True).subquery()))
    return render_template("monitoring/findings.html", page=page, args=args,
                           overdue_count=overdue_count,
                           institutions=scoped_institutions(), form=_finding_form(),
                           statuses=list(FindingStatus), kinds=list(FindingKind))


def scoped_institutions() -> list[Institution]:
    return list(db.session.scalars(scoped(Institution).order_by(Institution.code)))


@bp.post("/findings")
@roles_required(Role.PROSECUTOR)
def record_finding():
    form = FindingForm(_institutions())
    if form.validate_on_submit():
        try:
            operations.record_finding(
                current_user, text=form.text.data, rule=form.rule.data or None,
                kind=form.kind.data,
                institution_id=form.institution_id.data, due_on=form.due_on.data,
                placement_id=int(form.placement_id.data) if form.placement_id.data else None)
            flash(_("Finding recorded."), "success")
            return redirect(local_path(form.next.data) or url_for("monitoring.findings"))
        except RuleViolation as error:
            discard_changes()
            getattr(form, error.field, form.text).errors.append(error.message)
    return render_template("monitoring/finding_form.html", form=form), 422


@bp.post("/findings/<int:finding_id>/answer")
@roles_required(Role.OFFICER)
def answer_finding(finding_id: int):
    """The institution's answer, with the scan of the signed reply; every problem at
    once, flashed on the findings page it goes back to."""
    finding = get_in_scope_or_404(Finding, finding_id)
    try:
        operations.answer_finding(finding, current_user, request.form.get("answer", ""),
                                  scans.uploaded(request.files.get("scan")))
        flash(_("Answer recorded."), "success")
    except RuleViolation as error:
        discard_changes()
        for field, messages in translate_messages(error.errors).items():
            for message in messages:
                flash(f"{field_label(field)}: {message}", "error")
    return redirect(local_path(request.form.get("next")) or url_for("monitoring.findings"))


@bp.get("/findings/<int:finding_id>/scan")
@roles_required(*FINDINGS_READERS)
def finding_scan(finding_id: int):
    """The scan of the answer, to those who read the finding (R16), as a file saved
    (app/core/scans.py)."""
    scan = operations.scan_of(get_in_scope_or_404(Finding, finding_id))
    if scan is None:
        abort(404)
    return scan.download()


@bp.post("/findings/<int:finding_id>/resolve")
@roles_required(Role.PROSECUTOR)
def resolve_finding(finding_id: int):
    finding = get_in_scope_or_404(Finding, finding_id)
    try:
        operations.resolve_finding(finding, current_user)
        flash(_("Finding resolved."), "success")
    except RuleViolation as error:
        discard_changes()  # the refusal is flashed on the page it goes back to
        flash(error.message, "error")
    return redirect(local_path(request.form.get("next")) or url_for("monitoring.findings"))


def _audit_filters(args: dict) -> AuditFilters:
    return AuditFilters(**{k: v for k, v in args.items() if k not in ("page", "per_page")})


@bp.get("/audit")
@roles_required(*AUDIT_READERS)
def audit():
    args = AuditArgs().load(request.args)
    page = db.paginate(operations.audit_query(current_user, _audit_filters(args)),
                       page=args["page"], per_page=args["per_page"], error_out=False)
    return render_template("monitoring/audit.html", page=page, args=args,
                           entries=readable(page.items),
                           institutions=scoped_institutions(),
                           entity_types=operations.audited_entity_types())


def _export_rates() -> tuple[exports.Table, str]:
    args = _rates_args()
    table = exports.rates_table(rates.rates_on(args["day"], current_user, args["region_id"]))
    return exports.with_day(table, args["day"].isoformat()), args["day"].isoformat()


def _export_violations() -> tuple[exports.Table, str]:
    args = PeriodArgs().load(request.args)
    found = _violations(args)
    period = f"{args['start'].isoformat()}_{args['end'].isoformat()}"
    return exports.violations_table(found, placements_by_id(found)), period


def _export_findings() -> exports.Table:
    query = operations.findings_query(current_user, **FindingsArgs().load(request.args))
    return exports.findings_table(db.session.scalars(query.limit(MAX_EXPORT_ROWS)))


def _export_audit() -> exports.Table:
    filters = _audit_filters(AuditArgs().load(request.args))
    query = operations.audit_query(current_user, filters).limit(MAX_EXPORT_ROWS)
    return exports.audit_table(db.session.scalars(query))


EXPORTS = {  # table: (who may export it, how it is built)
    "rates": (READERS, _export_rates),
    "violations": (READERS, _export_violations),
    "findings": (FINDINGS_READERS, _export_findings),
    "audit": (AUDIT_READERS, _export_audit),
}


def _allowed_export(table: str, fmt: str) -> None:
    if table not in EXPORTS or fmt not in exports.FORMATS:
        abort(404)
    if current_user.role not in EXPORTS[table][0]:
        abort(403)


def build_export(table: str) -> tuple[exports.Table, str]:
    """The table of the current user and request's arguments, and the day (or period)
    it describes: rates of a past day, violations of a period; findings and the audit
    trail as they stand today."""
    built = EXPORTS[table][1]()
    if isinstance(built[1], str):
        return built
    return built, today_in_kazakhstan().isoformat()


export_jobs.build_with(build_export)

@bp.get("/export/<table>.<fmt>")
@roles_required(*AUDIT_READERS)
def export(table: str, fmt: str):
    """The file at once; for a reader of the whole country (its figures, its audit
    trail), a page that prepares it as a job (app/monitoring/export_jobs.py)."""
    _allowed_export(table, fmt)
    if national(current_user):
        export_jobs.check_args(table)  # a bad argument refused now, not by the job
        return render_template("monitoring/export_prepare.html", table=table, fmt=fmt,
                               args=request.args)
    content, day = build_export(table)
    return exports.send_table(content, f"{table}-{day}", fmt)


@bp.post("/export/<table>.<fmt>")
@roles_required(*AUDIT_READERS)
def export_job(table: str, fmt: str):
    """Queue the export as a job; its page shows the progress, then the file."""
    _allowed_export(table, fmt)
    args = {key: value for key, value in request.form.items() if key != "csrf_token"}
    export_jobs.check_args(table, args)
    job = export_jobs.submit_export(current_user, table, fmt, args, str(get_locale()))
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.get("/export/jobs/<int:job_id>")
@roles_required(*AUDIT_READERS)
def export_file(job_id: int):
    """The file an export job made, to the user who asked for it only."""
    return export_jobs.download(job_id, current_user)


@bp.get("/report")
@roles_required(*READERS)
def report():
    """A printable report for a region (or the reader's whole scope) on a day."""
    args = _rates_args()
    day, region_id = args["day"], args["region_id"] or current_user.region_id
    period = Period(day.replace(day=1), day)
    found = operations.violations_in_scope(period, current_user, region_id=region_id)
    open_findings = [f for f in db.session.scalars(operations.findings_query(
        current_user, status=FindingStatus.OPEN)) if region_id is None
        or f.institution.region_id == region_id]
    return render_template(
        "monitoring/report.html", report=rates.rates_on(day, current_user, region_id),
        period=period, violations=found, placements=placements_by_id(found), checks=CHECKS,
        findings=open_findings, previous_day=day - timedelta(days=1))


@bp.get("/applications")
@roles_required(*READERS)
def applications():
    """R31: applications by institution and month, and those answered late, each with
    its evidence (the application's audit trail)."""
    year = ApplicationYearArgs().load(request.args)["year"]
    return render_template(
        "monitoring/applications.html", year=year, late=late_answers_in_scope(year, current_user),
        rows=applications_oversight.by_institution_and_month(year, current_user))
