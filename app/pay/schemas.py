"""The work and pay API contract (also what the pages load their forms with)."""

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from app.core.fields import Id, UtcDateTime
from app.core.vocabulary import Role
from app.pay.models import ClaimKind, EntryKind, TimesheetStatus
from app.pay.operations import DEBIT_KINDS, employer_days
from app.pay.violations import CHECKS
from policy import pay as law

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
    month = Month(load_default=lambda: date.today().replace(day=1),
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
                           "description": "Day of month -> hours worked or an absence"})
    piece_rate = fields.Integer(load_default=None, validate=AMOUNT)
    bonus = fields.Integer(load_default=None, validate=AMOUNT)
    extras_note = fields.String(load_default=None, validate=validate.Length(max=300))
    replace = fields.Boolean(load_default=True, metadata={
        "description": "true: these days are the whole month; false: change only these"})

    @post_load
    def _day_numbers(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data["days"] = {int(number): day for number, day in data["days"].items()}
        return data


class ApprovedCountSchema(Schema):
    month = Month()
    approved = fields.Integer()


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

    id = fields.Integer()
    placement_id = fields.Integer()
    inmate_id = fields.Integer()
    worker = fields.Function(lambda t: t.inmate.full_name)
    vacancy = fields.Function(lambda t: t.placement.vacancy.title)
    month = Month()
    version = fields.Integer()
    status = fields.Enum(TimesheetStatus, by_value=True)
    days = fields.Function(lambda t: employer_days(t.days) if _employer() else t.days, metadata={
        "description": "Day of month -> hours and absence; employers read 'excused' for "
                       "a health reason (R16)"})
    total_hours = Hours()
    piece_rate = fields.Integer()
    bonus = fields.Integer()
    extras_note = fields.String()
    correction_reason = fields.String()
    submitted_at = UtcDateTime(allow_none=True)
    approved_at = UtcDateTime(allow_none=True)


class DeductionLineSchema(Schema):
    kind = fields.String()
    claim_id = fields.Integer(allow_none=True)
    amount = fields.Integer()


class PayslipSchema(Schema):
    id = fields.Integer()
    timesheet_id = fields.Integer()
    placement_id = fields.Integer()
    inmate_id = fields.Integer()
    month = Month()
    hours = Hours()
    time_pay = fields.Integer()
    piece_rate = fields.Integer()
    bonus = fields.Integer()
    gross = fields.Integer()
    minimum = fields.Integer(metadata={"description": "R10 minimum for the hours worked"})
    deducted = fields.Integer()
    net = fields.Integer()
    lines = fields.List(fields.Nested(DeductionLineSchema))


class ClaimIn(Schema):
    kind = fields.Enum(ClaimKind, by_value=True, required=True)
    creditor = fields.String(required=True, validate=validate.Length(min=2, max=200))
    reference = fields.String(load_default="", validate=validate.Length(max=100))
    received_on = fields.Date(required=True, validate=validate.Range(min=EARLIEST))
    amount_due = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000_000))


class ClaimSchema(ClaimIn):
    id = fields.Integer()
    inmate_id = fields.Integer()
    amount_paid = fields.Integer()
    outstanding = fields.Integer()


class EntrySchema(Schema):
    id = fields.Integer()
    kind = fields.Enum(EntryKind, by_value=True)
    amount = fields.Integer(metadata={"description": "credit positive, debit negative"})
    booked_on = fields.Date()
    note = fields.String()
    payslip_id = fields.Integer(allow_none=True)
    claim_id = fields.Integer(allow_none=True)
    reverses_id = fields.Integer(allow_none=True)
    balance_after = fields.Integer()


class AccountSchema(Schema):
    inmate_id = fields.Integer()
    balance = fields.Integer()
    entries = fields.List(fields.Nested(EntrySchema))


class DebitArgs(Schema):
    kind = fields.Enum(EntryKind, by_value=True, required=True,
                       validate=validate.OneOf(DEBIT_KINDS))
    amount = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000_000))
    booked_on = fields.Date(load_default=date.today, validate=validate.Range(min=EARLIEST))
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


class PayrollSchema(Schema):
    month = Month()
    rows = fields.List(fields.Nested(PayrollRowSchema))
    total = fields.Integer(metadata={"description": "What the employer pays: the gross"})
    confirmed_at = UtcDateTime(allow_none=True)


class ConfirmPayrollArgs(Schema):
    month = Month(required=True)


class RuleSchema(Schema):
    kind = fields.String(required=True, validate=validate.Length(min=2, max=32))
    mode = fields.String(required=True, validate=validate.OneOf((law.RATE, law.CLAIMS)))
    percent_bp = fields.Integer(required=True, validate=validate.Range(min=0, max=law.BASIS))


class PaySettingsIn(Schema):
    """One definition of a year's pay settings for the API and the administrator's page."""

    rules = fields.List(fields.Nested(RuleSchema), required=True)
    protected_bp = fields.Integer(required=True, validate=validate.Range(min=0, max=law.BASIS))
    timesheet_due_days = fields.Integer(
        load_default=law.DEFAULT_TIMESHEET_DUE_DAYS,
        validate=validate.Range(min=1, max=law.MAX_TIMESHEET_DUE_DAYS),
        metadata={"description": "days after a month within which its timesheet must be "
                                 "approved (R24)"})


class PaySettingsSchema(PaySettingsIn):
    year = fields.Integer()
    confirmed = fields.Boolean()
    confirmed_at = UtcDateTime(allow_none=True)


class ViolationArgs(MonthArgs):
    check = fields.String(load_default=None, validate=validate.OneOf(list(CHECKS)))


class PayViolationSchema(Schema):
    check = fields.String()
    institution_id = fields.Integer()
    inmate_id = fields.Integer(allow_none=True)
    placement_id = fields.Integer(allow_none=True)
    month = Month()
    seen_on = fields.Date()
    detail = fields.String()
    evidence = fields.Dict()


class RegionComplianceSchema(Schema):
    region_id = fields.Integer()
    region = fields.String()
    workers = fields.Integer(metadata={"description": "paid placements active in the month"})
    approved = fields.Integer(metadata={"description": "timesheets approved and paid"})
    gross = fields.Integer()
    net = fields.Integer()
    violations = fields.Dict(keys=fields.String(), values=fields.Integer())


class InstitutionComplianceSchema(RegionComplianceSchema):
    institution_id = fields.Integer()
    code = fields.String()
    name = fields.String()


class ComplianceSchema(Schema):
    month = Month()
    institutions = fields.List(fields.Nested(InstitutionComplianceSchema))
    regions = fields.List(fields.Nested(RegionComplianceSchema))


class ClaimsPaidSchema(Schema):
    month = Month()
    paid = fields.Integer(metadata={"description": "tenge paid to victims by deductions"})
