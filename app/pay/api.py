"""JSON API of work and pay: timesheets, pay, writs, personal accounts, payrolls
and the year's pay settings. Thin: parse, call one operation, serialise."""

from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from app.core import tables
from app.core.api import Blueprint
from app.core.auth import READERS, get_in_scope_or_404, roles_required
from app.core.vocabulary import Role
from app.extensions import db
from app.inmates.models import Inmate
from app.inmates.schemas import UploadSchema, document_import
from app.pay import attendance, spreadsheets, violations
from app.pay import operations as ops
from app.pay.models import AccountEntry, Claim, Timesheet
from app.pay.schemas import (
    AccountSchema,
    ApprovedCountSchema,
    AttendanceArgs,
    AttendanceMarkSchema,
    AttendanceQueryArgs,
    BulkArgs,
    ClaimIn,
    ClaimSchema,
    ClaimsPaidSchema,
    ComplianceSchema,
    ConfirmPayrollArgs,
    CorrectArgs,
    DebitArgs,
    EntrySchema,
    FileArgs,
    FillArgs,
    MonthArgs,
    OpenTimesheetArgs,
    PayrollSchema,
    PaySettingsIn,
    PaySettingsSchema,
    PayslipSchema,
    PayViolationSchema,
    ReverseArgs,
    TimesheetImportArgs,
    TimesheetQueryArgs,
    TimesheetSchema,
    UnlockListSchema,
    ViolationArgs,
)
from app.vacancies.models import Vacancy
from policy import pay as law
from policy.clock import today_in_kazakhstan

blp = Blueprint("pay_api", __name__, url_prefix="/api",
                description="Work and pay: timesheets, pay, writs, accounts, payrolls (R24-R26)")

KEEPERS = (Role.OFFICER, Role.EMPLOYER)  # who fill timesheets


def _timesheet(timesheet_id: int) -> Timesheet:
    return get_in_scope_or_404(Timesheet, timesheet_id)


# --- the day's attendance and unlock list ----------------------------------------------

@blp.get("/attendance")
@roles_required(*READERS, Role.EMPLOYER)
@blp.arguments(AttendanceQueryArgs, location="query")
@blp.response(200, UnlockListSchema)
@blp.alt_response(404, response="NOT_FOUND")
def unlock_list(args: dict[str, Any]):
    """Who is due at which workshop and shift on a day (today when absent): paid
    placements active that day, not suspended, on a working day; with each one's mark."""
    day = args["day"] or today_in_kazakhstan()
    institution_id = attendance.institution_for(current_user, args["institution_id"])
    return {"day": day, "institution_id": institution_id, "due_at_work": law.due_at_work(day),
            "suspended": attendance.suspended_count(day, institution_id, current_user),
            "people": attendance.unlock_list(day, institution_id, current_user)}


@blp.post("/attendance")
@roles_required(*KEEPERS)
@blp.arguments(AttendanceArgs)
@blp.response(200, AttendanceMarkSchema(many=True))
@blp.alt_response(404, response="NOT_FOUND")
def mark_attendance(body: dict[str, Any]):
    """Mark people present or absent with a reason on a day (today when absent). Each
    mark writes that day of the placement's timesheet: the shift's hours, or 0 with the
    reason. Refused, every mark's problem at once as ``marks.<n>.<field>``: a day that
    has not come (422), a person not due that day (422), an absence without a reason or
    "other" without a note (422), a month approved or submitted (409). Officers mark
    their institution's people, employers their own workers (404 otherwise)."""
    return attendance.mark_many(body["day"] or today_in_kazakhstan(), body["marks"],
                                current_user)


# --- timesheets (R24) -------------------------------------------------------------------

@blp.get("/timesheets")
@roles_required(*READERS, Role.EMPLOYER)
@blp.arguments(TimesheetQueryArgs, location="query")
@blp.response(200, TimesheetSchema(many=True))
def list_timesheets(args: dict[str, Any]):
    """The month's timesheets in the caller's scope (latest version of each)."""
    return list(db.session.scalars(ops.timesheets_query(args["month"], args["status"])))


@blp.post("/timesheets")
@roles_required(*KEEPERS)
@blp.arguments(OpenTimesheetArgs)
@blp.response(201, TimesheetSchema)
def open_timesheet(body: dict[str, Any]):
    """The placement's current version of the month, created empty when none."""
    placement = ops.placement_for(body["placement_id"], current_user)
    return ops.open_timesheet(placement, body["month"], current_user.id)


@blp.get("/timesheets/<int:timesheet_id>")
@roles_required(*READERS, Role.EMPLOYER)
@blp.response(200, TimesheetSchema)
def get_timesheet(timesheet_id: int):
    return _timesheet(timesheet_id)


@blp.get("/timesheets/<int:timesheet_id>/versions")
@roles_required(*READERS, Role.EMPLOYER)
@blp.response(200, TimesheetSchema(many=True))
def versions(timesheet_id: int):
    """Every version of the month, newest first (corrections are never edits)."""
    timesheet = _timesheet(timesheet_id)
    return list(db.session.scalars(sa.select(Timesheet).where(
        Timesheet.placement_id == timesheet.placement_id, Timesheet.month == timesheet.month
    ).order_by(Timesheet.version.desc())))


@blp.put("/timesheets/<int:timesheet_id>/days")
@roles_required(*KEEPERS)
@blp.arguments(FillArgs)
@blp.response(200, TimesheetSchema)
def fill(body: dict[str, Any], timesheet_id: int):
    """Hours and absences of a draft version (and declared piece-rate and bonus)."""
    timesheet = _timesheet(timesheet_id)
    days = body["days"]
    if current_user.role == Role.EMPLOYER:
        days = ops.days_from_employer(timesheet, days)
    return ops.fill_timesheet(timesheet, days, piece_rate=body["piece_rate"],
                              bonus=body["bonus"], extras_note=body["extras_note"],
                              replace=body["replace"])


@blp.post("/timesheets/<int:timesheet_id>/submit")
@roles_required(*KEEPERS)
@blp.response(200, TimesheetSchema)
def submit(timesheet_id: int):
    return ops.submit_timesheet(_timesheet(timesheet_id))


@blp.post("/timesheets/<int:timesheet_id>/return")
@roles_required(Role.OFFICER)
@blp.response(200, TimesheetSchema)
def send_back(timesheet_id: int):
    """Send a submitted version back to draft."""
    return ops.return_timesheet(_timesheet(timesheet_id))


@blp.post("/timesheets/<int:timesheet_id>/approve")
@roles_required(Role.OFFICER)
@blp.response(200, TimesheetSchema)
def approve(timesheet_id: int):
    """Approve and lock the month; the pay and the account follow (409 while the
    year's pay settings are unconfirmed; 422 naming a day that has not come, so
    this month is approved up to today)."""
    return ops.approve_timesheet(_timesheet(timesheet_id), current_user.id)


@blp.post("/timesheets/approvals")
@roles_required(Role.OFFICER)
@blp.arguments(ConfirmPayrollArgs)
@blp.response(200, ApprovedCountSchema)
def approve_month(body: dict[str, Any]):
    """Approve every submitted first version of the month in the institution at once."""
    return {"month": body["month"], "approved": ops.approve_month(body["month"], current_user)}


@blp.post("/timesheets/<int:timesheet_id>/corrections")
@roles_required(*KEEPERS)
@blp.arguments(CorrectArgs)
@blp.response(201, TimesheetSchema)
def correct(body: dict[str, Any], timesheet_id: int):
    """A new draft version of an approved month, with the reason."""
    return ops.correct_timesheet(_timesheet(timesheet_id), body["reason"], current_user.id)


@blp.post("/timesheets/bulk")
@roles_required(*KEEPERS)
@blp.arguments(BulkArgs)
@blp.response(200, TimesheetSchema(many=True))
def bulk(body: dict[str, Any]):
    """A whole workshop (a vacancy's workers) at once: the same hours on every
    working day not yet filled."""
    vacancy = get_in_scope_or_404(Vacancy, body["vacancy_id"])
    return ops.bulk_fill(vacancy, body["month"], body["hours_per_day"], current_user.id)


@blp.post("/timesheets/import")
@roles_required(*KEEPERS)
@blp.arguments(TimesheetImportArgs, location="form")
@blp.arguments(UploadSchema, location="files")
@document_import(blp)
def import_file(args: dict[str, Any], files: dict[str, Any]):
    """A month's sheet (CSV or XLSX): checked whole, written all or nothing."""
    upload = files["file"]
    report = spreadsheets.run_import(current_user, args["month"], upload.filename,
                                     upload.read(), dry_run=args["dry_run"])
    return report.as_dict(), 422 if report.problems else 200


@blp.get("/timesheets/template")
@roles_required(*KEEPERS)
@blp.arguments(FileArgs, location="query")
@tables.document_download(blp)
def template(args: dict[str, Any]):
    """The month's sheet with one row per worker."""
    content = spreadsheets.template(current_user, args["month"], args["format"])
    return tables.download(content, args["format"], f"timesheets-{args['month']:%Y-%m}")


@blp.get("/timesheets/<int:timesheet_id>/payslip")
@roles_required(*READERS)
@blp.response(200, PayslipSchema)
def payslip(timesheet_id: int):
    timesheet = _timesheet(timesheet_id)
    found = ops.payslip_of(timesheet.id)
    if found is None:
        abort(404)
    return found


# --- writs and personal accounts (R25, R26) --------------------------------------------

@blp.get("/inmates/<int:inmate_id>/claims")
@roles_required(*READERS)
@blp.response(200, ClaimSchema(many=True))
def claims(inmate_id: int):
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    return list(db.session.scalars(sa.select(Claim).where(Claim.inmate_id == inmate.id)
                                   .order_by(Claim.received_on, Claim.id)))


@blp.post("/inmates/<int:inmate_id>/claims")
@roles_required(Role.OFFICER)
@blp.arguments(ClaimIn)
@blp.response(201, ClaimSchema)
def add_claim(body: dict[str, Any], inmate_id: int):
    """Record a writ or claim; deductions pay it in the year's order until settled."""
    return ops.add_claim(get_in_scope_or_404(Inmate, inmate_id), **body)


@blp.get("/inmates/<int:inmate_id>/account")
@roles_required(*READERS)
@blp.response(200, AccountSchema)
def account(inmate_id: int):
    """The personal account: every entry with the balance after it."""
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    return ops.account_view(inmate.id)


@blp.post("/inmates/<int:inmate_id>/account/entries")
@roles_required(Role.OFFICER)
@blp.arguments(DebitArgs)
@blp.response(201, EntrySchema)
def debit(body: dict[str, Any], inmate_id: int):
    """A transfer to family, a purchase or the payout at release (never more than
    the balance)."""
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    return ops.book_debit(inmate, body["kind"], body["amount"], body["booked_on"], body["note"],
                          current_user.id)


@blp.post("/inmates/<int:inmate_id>/account/entries/<int:entry_id>/reversal")
@roles_required(Role.OFFICER)
@blp.arguments(ReverseArgs)
@blp.response(201, EntrySchema)
def reverse(body: dict[str, Any], inmate_id: int, entry_id: int):
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    entry = db.session.scalar(sa.select(AccountEntry).where(
        AccountEntry.id == entry_id, AccountEntry.inmate_id == inmate.id))
    if entry is None:
        abort(404)
    return ops.reverse_entry(entry, body["note"], current_user.id)


# --- payroll for employers --------------------------------------------------------------

@blp.get("/employer/payroll")
@roles_required(Role.EMPLOYER)
@blp.arguments(MonthArgs, location="query")
@blp.response(200, PayrollSchema)
def payroll(args: dict[str, Any]):
    """The month's approved pay of the employer's workers, the total to pay, what is
    owed to reach the R10 minimum and what awaits confirmation."""
    return ops.payroll_view(current_user.employer_id, args["month"])


@blp.get("/employer/payroll.xlsx")
@roles_required(Role.EMPLOYER)
@blp.arguments(MonthArgs, location="query")
@tables.document_download(blp, xlsx_only=True)
def payroll_xlsx(args: dict[str, Any]):
    return spreadsheets.payroll_download(current_user.employer_id, args["month"])


@blp.post("/employer/payroll/confirmation")
@roles_required(Role.EMPLOYER)
@blp.arguments(ConfirmPayrollArgs)
@blp.response(201, PayrollSchema)
def confirm_payroll(body: dict[str, Any]):
    """The employer states it paid what the month's payroll awaits: the month's pay,
    then each line of late pay (pay approved after a confirmation); 409 when
    nothing awaits."""
    ops.confirm_payroll(current_user.employer_id, body["month"], current_user.id)
    return ops.payroll_view(current_user.employer_id, body["month"])


# --- oversight ---------------------------------------------------------------------------

@blp.get("/pay/violations")
@roles_required(*READERS)
@blp.arguments(ViolationArgs, location="query")
@blp.response(200, PayViolationSchema(many=True))
def pay_violations(args: dict[str, Any]):
    """Violations on real work and pay in the month, with evidence."""
    return violations.pay_violations(args["month"], current_user, args["check"])


@blp.get("/pay/compliance")
@roles_required(*READERS)
@blp.arguments(MonthArgs, location="query")
@blp.response(200, ComplianceSchema)
def compliance(args: dict[str, Any]):
    """Pay compliance by institution and region for the month."""
    return violations.compliance(args["month"], current_user)


@blp.get("/pay/claims-paid")
@roles_required(*READERS)
@blp.response(200, ClaimsPaidSchema(many=True))
def claims_paid():
    """Civil claims paid to victims by deductions, per month, last 24 months."""
    return violations.claims_paid(current_user)


# --- the year's pay settings (R25) -------------------------------------------------------

@blp.get("/pay/settings/<int:year>")
@roles_required(*READERS)
@blp.response(200, PaySettingsSchema)
def get_settings(year: int):
    return ops.pay_settings_for(year)


@blp.put("/pay/settings/<int:year>")
@roles_required(Role.ADMIN)
@blp.arguments(PaySettingsIn)
@blp.response(200, PaySettingsSchema)
def put_settings(body: dict[str, Any], year: int):
    """Deductions in order, caps and the protected share; to be confirmed again."""
    return ops.save_pay_settings(year, **body)


@blp.post("/pay/settings/<int:year>/confirmation")
@roles_required(Role.ADMIN)
@blp.response(200, PaySettingsSchema)
def confirm_settings(year: int):
    """The administrator confirms the year's figures against the law's text."""
    return ops.confirm_pay_settings(year, current_user.id)
