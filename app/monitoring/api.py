"""Monitoring JSON API: read-only for prosecutors (their region, R16) except findings."""


from flask_login import current_user

from app.applications.schemas import ApplicationYearArgs
from app.core.api import Blueprint
from app.core.auth import get_in_scope_or_404, roles_required
from app.core.vocabulary import Role
from app.extensions import db
from app.institutions.models import Institution
from app.monitoring import operations, rates
from app.monitoring.late_answers import late_answers_in_scope
from app.monitoring.models import Finding
from app.monitoring.schemas import (
    AuditArgs,
    AuditPageSchema,
    DayArgs,
    FindingsArgs,
    FindingSchema,
    LateAnswerSchema,
    PeriodArgs,
    RatesArgs,
    RateSchema,
    RatesReportSchema,
    TrendsArgs,
    TrendsSchema,
    ViolationSchema,
)
from app.monitoring.views import AUDIT_READERS, FINDINGS_READERS, READERS
from app.monitoring.violations import Period
from policy.clock import today_in_kazakhstan

blp = Blueprint("monitoring_api", __name__, url_prefix="/api/monitoring",
                description="Prosecutors' oversight: rates (R1), violations, findings, audit")


@blp.get("/rates")
@roles_required(*READERS)
@blp.arguments(RatesArgs, location="query")
@blp.response(200, RatesReportSchema)
def rates_report(args):
    """Employment rates on a day: total, by region, by institution (ranked)."""
    if args["region_id"] is not None:
        operations.region_in_scope_or_404(args["region_id"], current_user)
    return rates.rates_on(args["day"], current_user, args["region_id"])


@blp.get("/rates/institutions/<int:institution_id>")
@roles_required(*READERS)
@blp.arguments(DayArgs, location="query")
@blp.response(200, RateSchema)
def institution_rate(args, institution_id):
    """One institution's rate on a day (404 outside the caller's region)."""
    return rates.rate_of(get_in_scope_or_404(Institution, institution_id), args["day"])


@blp.get("/trends")
@roles_required(*READERS)
@blp.arguments(TrendsArgs, location="query")
@blp.response(200, TrendsSchema)
def trends(args):
    """Monthly rates (1st of each month) for the last 24 months."""
    if args["institution_id"] is not None:
        get_in_scope_or_404(Institution, args["institution_id"])
    result = rates.trends(current_user, today_in_kazakhstan(),
                          institution_id=args["institution_id"])
    series = [{"kind": "total", "id": None, "label": result.total[-1].label,
               "points": result.total}]
    series += [{"kind": "region", "id": key, "label": points[-1].label, "points": points}
               for key, points in result.regions.items()]
    series += [{"kind": "institution", "id": key, "label": points[-1].label, "points": points}
               for key, points in result.institutions.items()]
    return {"days": result.days, "series": series}


@blp.get("/violations")
@roles_required(*READERS)
@blp.arguments(PeriodArgs, location="query")
@blp.response(200, ViolationSchema(many=True))
def violations(args):
    """Placements that broke a rule while active in the period (default: the last 30 days)."""
    return operations.violations_in_scope(Period(args["start"], args["end"]), current_user,
                                          args["rule"], args["institution_id"])


@blp.get("/late-answers")
@roles_required(*READERS)
@blp.arguments(ApplicationYearArgs, location="query")
@blp.response(200, LateAnswerSchema(many=True))
def late_answers(args):
    """R31: applications answered late or unanswered past the deadline in the year
    (received on + the year's answer days), each with its evidence and audit trail:
    the prosecutor's region, or the country for national readers and administrators."""
    return late_answers_in_scope(args["year"], current_user)


@blp.get("/findings")
@roles_required(*FINDINGS_READERS)
@blp.arguments(FindingsArgs, location="query")
@blp.response(200, FindingSchema(many=True))
def findings(args):
    """Findings the caller may read (officers: their institution's)."""
    return db.session.scalars(operations.findings_query(current_user, **args)).all()


@blp.post("/findings")
@roles_required(Role.PROSECUTOR)
@blp.arguments(FindingSchema)
@blp.response(201, FindingSchema)
def record_finding(body):
    """Record a finding on a violation (rule + placement_id) or on an institution."""
    finding = operations.record_finding(current_user, **body)
    return finding


@blp.post("/findings/<int:finding_id>/resolve")
@roles_required(Role.PROSECUTOR)
@blp.response(200, FindingSchema)
def resolve_finding(finding_id):
    """Mark one's own finding resolved."""
    finding = get_in_scope_or_404(Finding, finding_id)
    operations.resolve_finding(finding, current_user)
    return finding


@blp.get("/audit")
@roles_required(*AUDIT_READERS)
@blp.arguments(AuditArgs, location="query")
@blp.response(200, AuditPageSchema)
def audit(args):
    """Audit entries the caller may read, newest first, a page at a time."""
    page_number, per_page = args.pop("page"), args.pop("per_page")
    page = db.paginate(operations.audit_query(current_user, operations.AuditFilters(**args)),
                       page=page_number, per_page=per_page, error_out=False)
    return {"items": page.items, "page": page.page, "pages": page.pages, "total": page.total}
