"""The API contract of the entrepreneurs' portal.

Nothing here carries an inmate's personal data: a worker is a name, a vacancy, a start
date and hours (R16); the labour pool is counts, and a count below 5 is ``null`` with
``suppressed: true`` (R17).
"""

from marshmallow import EXCLUDE, Schema, fields, validate

from app.auth.passwords import MIN_LENGTH as MIN_PASSWORD_LENGTH
from app.core.fields import Id, Integer, UtcDateTime
from app.core.vocabulary import PRIVATE_EMPLOYER_KINDS, EmployerKind, EmployerStatus
from app.notifications.schemas import NotificationSchema
from app.placements.schemas import VacancySchema
from app.planner.schemas import known_trade
from app.vacancies.schemas import WorkerFieldsSchema

SELF_REGISTERING_KINDS = sorted(k.value for k in PRIVATE_EMPLOYER_KINDS)


class RegistrationSchema(Schema):
    kind = fields.Enum(EmployerKind, by_value=True, required=True,
                       metadata={"description": "private_company (BIN) or sole_trader (IIN)."})
    bin_iin = fields.String(required=True, metadata={
        "description": "12 digits with a check digit (R15): BIN of a company, IIN of a "
                       "sole trader."})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    address = fields.String(required=True, validate=validate.Length(min=1, max=300))
    contact_person = fields.String(required=True, validate=validate.Length(min=1, max=200))
    phone = fields.String(required=True, validate=validate.Length(min=5, max=40))
    email = fields.Email(required=True, metadata={"description": "Also the first user's login."})
    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=MIN_PASSWORD_LENGTH, max=200))


class ColleagueSchema(Schema):
    email = fields.Email(required=True)
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, load_only=True,
                             validate=validate.Length(min=MIN_PASSWORD_LENGTH, max=200))


class UserSchema(Schema):
    id = Integer()
    email = fields.Email()
    full_name = fields.String()


class EmployerSchema(Schema):
    id = Integer()
    kind = fields.Enum(EmployerKind, by_value=True)
    bin_iin = fields.String(allow_none=True)
    name = fields.String()
    address = fields.String()
    contact_person = fields.String()
    phone = fields.String()
    email = fields.String()
    status = fields.Enum(EmployerStatus, by_value=True,
                         metadata={"description": "pending until an administrator approves."})
    refusal_reason = fields.String()


class RegistrationResultSchema(Schema):
    employer = fields.Nested(EmployerSchema)
    user = fields.Nested(UserSchema)
    message = fields.String()


class CountSchema(Schema):
    """A count of the labour pool (R17)."""

    count = Integer(attribute="value", allow_none=True, metadata={
        "description": "The number, or null when it is below 5 (then suppressed is true)."})
    suppressed = fields.Boolean(metadata={
        "description": "True when the count is below 5: shown as \"fewer than 5\"."})
    rounded = fields.Boolean(metadata={
        "description": "True when the count is within 2 of the true number, not the number "
                       "itself: every count of an institution but `available` (trades, "
                       "hours, a draft's eligible count, production estimates) is "
                       "`available` minus the rest rounded to a multiple of 5, so that no "
                       "two counts an employer can obtain differ by a small group (R17)."})


class TradeCountSchema(Schema):
    trade_code = fields.String()
    trade_name = fields.String()
    inmates = fields.Nested(CountSchema)


class HoursCountSchema(Schema):
    weekly_hours = Integer(metadata={"description": "Most weekly hours they may work."})
    inmates = fields.Nested(CountSchema)


class InstitutionPoolSchema(Schema):
    institution_id = Id()
    code = fields.String()
    name = fields.String()
    region = fields.String()
    available = fields.Nested(CountSchema, metadata={
        "description": "Inmates able to work and not employed."})
    by_trade = fields.List(fields.Nested(TradeCountSchema))
    by_hours = fields.List(fields.Nested(HoursCountSchema))


class PoolQuerySchema(Schema):
    institution_id = fields.List(Integer(), load_default=None,
                                 metadata={"description": "Only these institutions."})


class EligibilitySchema(Schema):
    vacancy_id = Id()
    eligible = fields.Nested(CountSchema, metadata={
        "description": "Able, not employed inmates of the institution the vacancy's rules "
                       "admit (R3, R6, R7, R8, R9, R12, R13)."})


class WorkerSchema(WorkerFieldsSchema):
    """A placed worker: the fields an employer may see, and the vacancy (R16)."""

    vacancy_id = Id()
    vacancy_title = fields.String()


class OfficerChangeSchema(Schema):
    occurred_at = UtcDateTime()
    vacancy_id = Id()
    vacancy_title = fields.String()
    worker_name = fields.String()
    action = fields.String(metadata={"description": "started, ended or changed"})
    end_reason = fields.String(allow_none=True, metadata={
        "description": "Why an ended placement ended, only when the reason reveals nothing "
                       "about the worker (completed, vacancy_closed); otherwise null: ended "
                       "by the institution (R16)."})


class HomeSchema(Schema):
    employer = fields.Nested(EmployerSchema)
    open_vacancies = fields.List(fields.Nested(VacancySchema))
    recent_changes = fields.List(fields.Nested(OfficerChangeSchema))
    notifications = fields.List(fields.Nested(NotificationSchema))


class ProductionArgs(Schema):
    """An entrepreneur's question to the planner: only the trade and the size."""

    class Meta:
        unknown = EXCLUDE

    trade = fields.String(required=True, validate=known_trade,
                          metadata={"description": "Trade code of the taxonomy"})
    positions = Integer(load_default=10, validate=validate.Range(min=1, max=1000))


class ProductionRowSchema(Schema):
    institution_id = Integer()
    code = fields.String()
    name = fields.String()
    region = fields.String()
    extra_employed = fields.Nested(CountSchema, metadata={
        "description": "More inmates the workshop would employ, within 2 (rounded against "
                       "the institution's available count); null below 5 (R17)"})
