"""The work and pay API contract (also what the pages load their forms with)."""

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from app.core.fields import Id, Integer, UtcDateTime
from app.core.plausible import EventDay
from app.core.vocabulary import Role
from app.pay.models import WRIT_KINDS, ClaimKind, EntryKind, TimesheetStatus
from app.pay.operations import DEBIT_KINDS, employer_days
from app.pay.violations import CHECKS
from policy import pay as law
from policy.clock import today_in_kazakhstan

EARLIEST = date(2015, 1, 1)
AMOUNT = validate.Range(min=0, max=10_000_000)


class Month(fields.Field):
    """A month as ``YYYY-MM`` (or any day of it, ``YYYY-MM-DD``): its first day."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["metadata"] = {"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
                              "example": "2026-11", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> date:
        text = str(value).strip()
        try:
            day = date.fromisoformat(text if len(text) > 7 else f"{text}-01")
        except ValueError as error:
            raise ValidationError(_("must be a month as YYYY-MM")) from error
        if not EARLIEST <= day <= date(2100, 12, 31):
            raise ValidationError(_("must be a month from 2015 on"))
        return day.replace(day=1)

    def _serialize(self, value: date | None, attr: Any, obj: Any, **kwargs: Any) -> str | None:
        return value.strftime("%Y-%m") if value else None


class Hours(fields.Decimal):
    """Hours (quarters of an hour) read exactly; documented as a JSON number."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(places=2, **kwargs)

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> float | None:
        number = super()._serialize(value, attr, obj, **kwargs)
        return None if number is None else float(number)


class QueryArgs(Schema):
    class Meta:
        unknown = EXCLUDE


class MonthArgs(QueryArgs):
    month = Month(load_default=lambda: today_in_kazakhstan().replace(day=1),
                  metadata={"description": "YYYY-MM; default: this month"})


class TimesheetQueryArgs(MonthArgs):
    status = fields.Enum(TimesheetStatus, by_value=True, load_default=None)


class OpenTimesheetArgs(Schema):
    placement_id = Id(required=True)
    month = Month(required=True)


class DayIn(Schema):
    hours = Hours(load_default=Decimal(0), validate=validate.Range(min=0, max=24))
    absence = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(
        [*law.ABSENCE_REASONS, *law.EMPLOYER_ABSENCE.values()]))


class FillArgs(Schema):
    days = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^(?:[1-9]|[12][0-9]|3[01])$")),
                       values=fields.Nested(DayIn), required=True, metadata={
                           "description": "Day of month -> hours worked or an absence; only "
                                          "days that have come, today included, in "
                                          "Kazakhstan (a later day: 422 naming days.<n>)"})
    piece_rate = Integer(load_default=None, validate=AMOUNT)
    bonus = Integer(load_default=None, validate=AMOUNT)
    extras_note = fields.String(load_default=None, validate=validate.Length(max=300))
    replace = fields.Boolean(load_default=True, metadata={
        "description": "true: these days are the whole month; false: change only these"})

    @post_load
    def _day_numbers(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["days"] = {int(number): day for number, day in data["days"].items()}
        return data


class ApprovedCountSchema(Schema):
    month = Month()
    approved = Integer()


class CorrectArgs(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=500))


class BulkArgs(Schema):
    vacancy_id = Id(required=True)
    month = Month(required=True)
    hours_per_day = Hours(required=True, validate=validate.Range(min=Decimal("0.25"), max=24))


class TimesheetImportArgs(Schema):
    month = Month(required=True)
    dry_run = fields.Boolean(load_default=True)


class FileArgs(MonthArgs):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(("csv", "xlsx")))


def _employer() -> bool:
    return current_user.is_authenticated and current_user.role == Role.EMPLOYER


class TimesheetSchema(Schema):
    """A version of a placement's month; an employer never sees a health reason (R16)."""

    id = Integer()
    placement_id = Integer()
    inmate_id = Integer()
    worker = fields.Function(lambda t: t.inmate.full_name)
    vacancy = fields.Function(lambda t: t.placement.vacancy.title)
    month = Month()
    version = Integer()
    status = fields.Enum(TimesheetStatus, by_value=True)
    days = fields.Function(lambda t: employer_days(t.days) if _employer() else t.days, metadata={
        "description": "Day of month -> hours and absence; employers read 'excused' for "
                       "a health reason (R16)"})
    total_hours = Hours()
    piece_rate = Integer()
    bonus = Integer()
    extras_note = fields.String()
    correction_reason = fields.String()
    submitted_at = UtcDateTime(allow_none=True)
    approved_at = UtcDateTime(allow_none=True)


class DeductionLineSchema(Schema):
    kind = fields.String()
    claim_id = Integer(allow_none=True)
    amount = Integer()


class PayslipSchema(Schema):
    id = Integer()
    timesheet_id = Integer()
    placement_id = Integer()
    inmate_id = Integer()
    month = Month()
    hours = Hours()
    time_pay = Integer()
    piece_rate = Integer()
    bonus = Integer()
    gross = Integer()
    minimum = Integer(metadata={"description": "R10 minimum for the hours worked"})
    deducted = Integer()
    net = Integer()
    lines = fields.List(fields.Nested(DeductionLineSchema))


class ClaimIn(Schema):
    kind = fields.Enum(ClaimKind, by_value=True, required=True,
                       validate=validate.OneOf(WRIT_KINDS))  # overpayments: by corrections
    creditor = fields.String(required=True, validate=validate.Length(min=2, max=200))
    reference = fields.String(load_default="", validate=validate.Length(max=100))
    received_on = fields.Date(required=True, validate=validate.Range(min=EARLIEST))
    amount_due = Integer(required=True, validate=validate.Range(min=1, max=100_000_000))


class ClaimSchema(ClaimIn):
    id = Integer()
    inmate_id = Integer()
    amount_paid = Integer()
    outstanding = Integer()


class EntrySchema(Schema):
    id = Integer()
    kind = fields.Enum(EntryKind, by_value=True)
    amount = Integer(metadata={"description": "credit positive, debit negative"})
    booked_on = fields.Date()
    note = fields.String()
    payslip_id = Integer(allow_none=True)
    claim_id = Integer(allow_none=True)
    reverses_id = Integer(allow_none=True)
    balance_after = Integer()


class AccountSchema(Schema):
    inmate_id = Integer()
    balance = Integer()
    owed_back = Integer(metadata={
        "description": "overpaid pay still owed, recovered from later pay within R25's caps"})
    entries = fields.List(fields.Nested(EntrySchema))


class DebitArgs(Schema):
    kind = fields.Enum(EntryKind, by_value=True, required=True,
                       validate=validate.OneOf(DEBIT_KINDS))
    amount = Integer(required=True, validate=validate.Range(min=1, max=100_000_000))
    booked_on = fields.Date(load_default=today_in_kazakhstan, validate=validate.Range(min=EARLIEST))
    note = fields.String(load_default="", validate=validate.Length(max=300))


class ReverseArgs(Schema):
    note = fields.String(required=True, validate=validate.Length(min=3, max=300))


class PayrollRowSchema(Schema):
    payslip_id = fields.Function(lambda r: r.payslip.id)
    worker = fields.String()
    vacancy = fields.String()
    hours = fields.Function(lambda r: str(r.payslip.hours))
    gross = fields.Function(lambda r: r.payslip.gross)
    deducted = fields.Function(lambda r: r.payslip.deducted)
    net = fields.Function(lambda r: r.payslip.net)
    owed_to_minimum = Integer(metadata={
        "description": "R10: what the pay still lacks to reach the minimum for its hours, "
                       "paid by a correction of the month"})
    to_confirm = Integer(metadata={
        "description": "what this pay adds to what the employer already confirmed paying"})
    late = fields.Boolean(metadata={
        "description": "approved after the employer confirmed the month: late pay"})


class ConfirmationSchema(Schema):
    confirmed_at = UtcDateTime()
    total = Integer(metadata={"description": "what this confirmation paid"})


class PayrollSchema(Schema):
    month = Month()
    rows = fields.List(fields.Nested(PayrollRowSchema))
    total = Integer(metadata={"description": "What the employer pays: the gross"})
    to_confirm = Integer(metadata={
        "description": "pay awaiting the employer's confirmation (late pay included)"})
    owed_to_minimum = Integer(metadata={
        "description": "R10: what the month's pay still lacks to reach the minimum"})
    confirmations = fields.List(fields.Nested(ConfirmationSchema))
    confirmed_at = UtcDateTime(allow_none=True, metadata={
        "description": "the last confirmation, only while nothing awaits confirmation"})


class ConfirmPayrollArgs(Schema):
    month = Month(required=True)


class RuleSchema(Schema):
    kind = fields.String(required=True, validate=validate.Length(min=2, max=32))
    mode = fields.String(required=True, validate=validate.OneOf((law.RATE, law.CLAIMS)))
    percent_bp = Integer(required=True, validate=validate.Range(min=0, max=law.BASIS))


class PaySettingsIn(Schema):
    """One definition of a year's pay settings for the API and the administrator's page."""

    rules = fields.List(fields.Nested(RuleSchema), required=True)
    protected_bp = Integer(required=True, validate=validate.Range(min=0, max=law.BASIS))
    timesheet_due_days = Integer(
        load_default=law.DEFAULT_TIMESHEET_DUE_DAYS,
        validate=validate.Range(min=1, max=law.MAX_TIMESHEET_DUE_DAYS),
        metadata={"description": "days after a month within which its timesheet must be "
                                 "approved (R24)"})


class PaySettingsSchema(PaySettingsIn):
    year = Integer()
    confirmed = fields.Boolean()
    confirmed_at = UtcDateTime(allow_none=True)


class ViolationArgs(MonthArgs):
    check = fields.String(load_default=None, validate=validate.OneOf(list(CHECKS)))


class PayViolationSchema(Schema):
    check = fields.String()
    institution_id = Integer()
    inmate_id = Integer(allow_none=True)
    placement_id = Integer(allow_none=True)
    month = Month()
    seen_on = fields.Date()
    detail = fields.String()
    evidence = fields.Dict()


class RegionComplianceSchema(Schema):
    region_id = Integer()
    region = fields.String()
    workers = Integer(metadata={"description": "paid placements active in the month"})
    approved = Integer(metadata={"description": "timesheets approved and paid"})
    gross = Integer()
    net = Integer()
    violations = fields.Dict(keys=fields.String(), values=Integer())


class InstitutionComplianceSchema(RegionComplianceSchema):
    institution_id = Integer()
    code = fields.String()
    name = fields.String()


class ComplianceSchema(Schema):
    month = Month()
    institutions = fields.List(fields.Nested(InstitutionComplianceSchema))
    regions = fields.List(fields.Nested(RegionComplianceSchema))


class ClaimsPaidSchema(Schema):
    month = Month()
    paid = Integer(metadata={"description": "tenge paid to victims by deductions"})


# --- the day's attendance and unlock list -----------------------------------------------

ATTENDANCE_DAY = "The day (Kazakhstan's); today when absent."


class AttendanceQueryArgs(QueryArgs):
    day = EventDay(load_default=None, metadata={"description": ATTENDANCE_DAY})
    institution_id = Id(load_default=None, metadata={
        "description": "The institution; an officer's own when absent (another is 404). "
                       "Prosecutors and administrators name it; employers may (their "
                       "workers of every institution when absent)."})


class AttendanceMarkIn(Schema):
    placement_id = Id(required=True)
    present = fields.Boolean(required=True)
    absence = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(
        [*law.ATTENDANCE_ABSENCES, *law.EMPLOYER_ABSENCE.values()]), metadata={
        "description": "Why absent: sick, court_or_visit, disciplinary, refused, other "
                       "(with a note); employers give 'excused' instead of sick or "
                       "disciplinary (R16). Null when present."})
    note = fields.String(load_default="", validate=validate.Length(max=300))


class AttendanceArgs(Schema):
    day = EventDay(load_default=None, metadata={"description": ATTENDANCE_DAY})
    marks = fields.List(fields.Nested(AttendanceMarkIn), required=True,
                        validate=validate.Length(min=1, max=1000))


class AttendanceMarkSchema(Schema):
    placement_id = Id()
    day = fields.Date()
    present = fields.Boolean()
    absence = fields.Function(lambda m: _shown_absence(m), metadata={
        "description": "Employers read 'excused' for a health or disciplinary reason (R16)."})
    note = fields.String()
    marked_by_id = Id(allow_none=True)
    marked_at = UtcDateTime()


def _shown_absence(mark: Any) -> str | None:
    if mark.absence is not None and _employer():
        return law.EMPLOYER_ABSENCE.get(mark.absence, mark.absence)
    return mark.absence


class DueSchema(Schema):
    """One line of the unlock list: who is due at which workshop and shift."""

    placement_id = fields.Function(lambda d: d.placement.id)
    inmate_id = fields.Function(lambda d: d.placement.inmate_id)
    inmate_name = fields.String(attribute="name")
    institution_id = fields.Function(lambda d: d.placement.institution_id)
    vacancy_id = fields.Function(lambda d: d.vacancy.id)
    workshop = fields.Function(lambda d: d.vacancy.title)
    site = fields.Function(lambda d: d.vacancy.site.value)
    shift = fields.Function(lambda d: d.vacancy.shift.value)
    hours = Hours(metadata={"description": "The shift's hours a present mark writes."})
    mark = fields.Nested(AttendanceMarkSchema, allow_none=True)


class UnlockListSchema(Schema):
    day = fields.Date()
    institution_id = Id(allow_none=True)
    due_at_work = fields.Boolean(metadata={"description": "False on a rest day (nobody due)."})
    suspended = Integer(metadata={"description": "Placements suspended that day, not listed."})
    people = fields.List(fields.Nested(DueSchema))
