"""The kiosk API's contract: sign-in, the person's own view, their requests; the
officer's PIN and statement."""

from marshmallow import Schema, fields, validate

from app.core.fields import Id, Integer, UtcDateTime
from app.core.vocabulary import ConsentKind, PartStatus, PlanPartKind
from app.kiosk.operations import PERSON_LANGUAGES
from app.pay.schemas import PayslipSchema


class SignInSchema(Schema):
    institution_id = Id(required=True)
    file_number = fields.String(required=True, validate=validate.Length(min=1, max=32))
    pin = fields.String(required=True, validate=validate.Length(min=1, max=32),
                        load_only=True)


class SessionSchema(Schema):
    inmate_id = Integer()
    language = fields.String(metadata={"enum": list(PERSON_LANGUAGES)})


class LanguageSchema(Schema):
    language = fields.String(required=True, validate=validate.OneOf(PERSON_LANGUAGES))


class PinSchema(Schema):
    pin = fields.String(metadata={"description": "shown this once; stored only as a hash"})


class KioskJobSchema(Schema):
    title = fields.String()
    employer = fields.String()
    start_date = fields.Date()
    weekly_hours = Integer()
    monthly_wage = Integer()
    paid = fields.Boolean()


class KioskMonthTimesheetSchema(Schema):
    title = fields.String()
    month = fields.Date()
    status = fields.String()
    hours = fields.Decimal(as_string=True)
    days_worked = Integer()


class KioskPlanPartSchema(Schema):
    kind = fields.Enum(PlanPartKind, by_value=True)
    status = fields.Enum(PartStatus, by_value=True)
    due_on = fields.Date(allow_none=True)
    note = fields.String()
    reason = fields.String()
    holder = fields.String(allow_none=True, metadata={
        "description": "the partner organisation holding the part; null: the institution"})


class KioskPlanSchema(Schema):
    opened_on = fields.Date()
    destination = fields.String()
    parts = fields.List(fields.Nested(KioskPlanPartSchema))


class KioskConsentSchema(Schema):
    id = Integer()
    kind = fields.Enum(ConsentKind, by_value=True)
    given_on = fields.Date()
    withdrawn_on = fields.Date(allow_none=True)
    asked_to_withdraw_at = UtcDateTime(allow_none=True)


class ApplyArgs(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(["vacancy", "trade", "course"]))
    target_id = Id(required=True, metadata={
        "description": "the vacancy, trade or course asked for (of the person's institution)"})


class KioskApplicationSchema(Schema):
    id = Integer()
    kind = fields.String()
    target = fields.String()
    state = fields.String()
    received_on = fields.Date()
    answer = fields.String(allow_none=True)
    waiting_position = Integer(allow_none=True)
    waiting_of = Integer(allow_none=True)
    may_withdraw = fields.Boolean()


class PersonViewSchema(Schema):
    inmate_id = fields.Function(lambda view: view["inmate"].id)
    full_name = fields.Function(lambda view: view["inmate"].full_name)
    file_number = fields.Function(lambda view: view["inmate"].file_number)
    language = fields.String()
    today = fields.Date()
    month = fields.Date()
    jobs = fields.List(fields.Nested(KioskJobSchema))
    timesheets = fields.List(fields.Nested(KioskMonthTimesheetSchema))
    payslips = fields.List(fields.Nested(PayslipSchema))
    balance = Integer(metadata={"description": "the personal account, tenge (R26)"})
    owed_back = Integer()
    applications = fields.List(fields.Nested(KioskApplicationSchema))
    plan = fields.Nested(KioskPlanSchema, allow_none=True)
    consents = fields.List(fields.Nested(KioskConsentSchema))


class WithdrawalRequestSchema(Schema):
    id = Integer()
    consent_id = Integer()
    inmate_id = Integer()
    requested_at = UtcDateTime()
    closed_at = UtcDateTime(allow_none=True)
    outcome = fields.String()
    note = fields.String()
