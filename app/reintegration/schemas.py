"""The release and reintegration API contract; the pages load their forms with
the same schemas. ``PartnerReferralSchema`` is the whole of what a partner
organisation ever receives about a person (R21)."""

from datetime import date

from marshmallow import Schema, fields, validate

from app.core.vocabulary import (
    OUTCOME_MONTHS,
    PartnerKind,
    PartStatus,
    PlanPartKind,
    ReferralStatus,
    Situation,
)
from app.inmates.schemas import Day, Text
from app.inmates.schemas import _enum as _enum

# --- settings and partner organisations ---------------------------------------------------

class SettingsInSchema(Schema):
    plan_months_before_release = fields.Integer(required=True,
                                                validate=validate.Range(min=1, max=36))
    partner_access_months = fields.Integer(required=True, validate=validate.Range(min=0, max=60))


class PartnerInSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    kind = _enum(PartnerKind, required=True)
    region_ids = fields.List(fields.Integer(), required=True, validate=validate.Length(min=1))
    locality = Text(load_default="", validate=validate.Length(max=120))
    contact_phone = Text(load_default="", validate=validate.Length(max=40))
    contact_email = Text(load_default="", validate=validate.Length(max=254))
    active = fields.Boolean(load_default=True)


class PartnerUserInSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    full_name = Text(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=10))


class PartnerSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = _enum(PartnerKind)
    locality = fields.String()
    regions = fields.List(fields.String())


# --- release plans ------------------------------------------------------------------------

class PlanInSchema(Schema):
    destination_locality = Text(validate=validate.Length(max=120))
    destination_region_id = fields.Integer(allow_none=True)


class OpenPlanInSchema(Schema):
    inmate_id = fields.Integer(required=True)


class PartInSchema(Schema):
    status = _enum(PartStatus)
    reason = Text(validate=validate.Length(max=500))
    note = Text(validate=validate.Length(max=500))
    owner_partner_id = fields.Integer(allow_none=True)
    due_on = Day(allow_none=True)


class PartSchema(Schema):
    id = fields.Integer()
    kind = _enum(PlanPartKind)
    status = _enum(PartStatus)
    reason = fields.String()
    note = fields.String()
    owner_partner_id = fields.Integer(allow_none=True)
    owner = fields.Function(lambda p: p.owner_partner.name if p.owner_partner else None)
    due_on = fields.Date(allow_none=True)


class PlanSchema(Schema):
    id = fields.Integer()
    inmate_id = fields.Integer()
    inmate_name = fields.String(attribute="inmate.full_name")
    file_number = fields.String(attribute="inmate.file_number")
    institution_id = fields.Integer(attribute="inmate.institution_id")
    release_date = fields.Date(attribute="inmate.release_date", allow_none=True)
    opened_on = fields.Date()
    opened_automatically = fields.Boolean()
    destination_locality = fields.String()
    destination_region_id = fields.Integer(allow_none=True)
    complete = fields.Boolean()
    released_on = fields.Date(allow_none=True)
    complete_at_release = fields.Boolean(allow_none=True)
    parts = fields.List(fields.Nested(PartSchema))


class PlanFilterSchema(Schema):
    open_parts = fields.Boolean(load_default=False, metadata={
        "description": "Only plans with parts still open"})
    released = fields.Boolean(load_default=None, allow_none=True)


class ReferInSchema(Schema):
    partner_id = fields.Integer(required=True)
    part_ids = fields.List(fields.Integer(), required=True, validate=validate.Length(min=1))
    due_on = Day(load_default=None, allow_none=True)
    note = Text(load_default="", validate=validate.Length(max=1000))


class MessageInSchema(Schema):
    text = Text(required=True, validate=validate.Length(min=1, max=1000))


class MessageSchema(Schema):
    from_partner = fields.Boolean()
    author = fields.String()
    text = fields.String()
    created_at = fields.DateTime()


class ReferralFields(Schema):
    """What both sides see of a referral itself."""

    id = fields.Integer()
    status = _enum(ReferralStatus)
    sent_on = fields.Date()
    due_on = fields.Date()
    overdue = fields.Boolean()
    answered_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    note = fields.String()
    decline_reason = fields.String()
    arranged = fields.String()
    messages = fields.List(fields.Nested(MessageSchema))


class ReferralSchema(ReferralFields):
    """A referral as the institution sees it."""

    plan_id = fields.Integer()
    partner = fields.String(attribute="partner.name")
    parts = fields.List(_enum(PlanPartKind), attribute="part_kinds")


# --- what a partner sees (R21) ------------------------------------------------------------

class PartnerPersonSchema(Schema):
    full_name = fields.String()
    birth_date = fields.Date()
    release_date = fields.Date(allow_none=True)
    destination_locality = fields.String()
    destination_region = fields.String(allow_none=True)
    trades = fields.List(fields.String())
    certificates = fields.List(fields.String())


class PartnerPartSchema(Schema):
    id = fields.Integer()
    kind = _enum(PlanPartKind)
    status = _enum(PartStatus)
    reason = fields.String()
    note = fields.String()
    due_on = fields.Date(allow_none=True)


class ContactSchema(Schema):
    institution = fields.String()
    officer = fields.String(allow_none=True)
    email = fields.String(allow_none=True)


class ReleaseOutcomeSchema(Schema):
    months = fields.Integer()
    due_on = fields.Date(allow_none=True)
    state = fields.String(metadata={"description": "recorded, missing or not_due"})
    checked_on = fields.Date(allow_none=True)
    situations = fields.List(_enum(Situation))


class PartnerReferralSchema(ReferralFields):
    """Only the fields R21 names: never offence, regime, health or separation."""

    released = fields.Boolean()
    person = fields.Nested(PartnerPersonSchema)
    parts = fields.List(fields.Nested(PartnerPartSchema))
    contact = fields.Nested(ContactSchema)
    outcomes = fields.List(fields.Nested(ReleaseOutcomeSchema))


class DeclineInSchema(Schema):
    reason = Text(required=True, validate=validate.Length(min=1, max=500))


class ArrangedPartInSchema(Schema):
    part_id = fields.Integer(required=True)
    status = _enum(PartStatus, required=True, validate=validate.OneOf(
        [PartStatus.IN_PROGRESS, PartStatus.ARRANGED, PartStatus.NOT_ARRANGED]))
    reason = Text(load_default="", validate=validate.Length(max=500))
    note = Text(load_default="", validate=validate.Length(max=500))


class ArrangedInSchema(Schema):
    arranged = Text(load_default="", validate=validate.Length(max=1000))
    parts = fields.List(fields.Nested(ArrangedPartInSchema), load_default=list)
    close = fields.Boolean(load_default=False)


class OutcomeInSchema(Schema):
    months = fields.Integer(required=True, validate=validate.OneOf(OUTCOME_MONTHS))
    checked_on = Day(load_default=date.today)
    situations = fields.List(_enum(Situation), required=True, validate=validate.Length(min=1))
    note = Text(load_default="", validate=validate.Length(max=500))


# --- oversight ----------------------------------------------------------------------------

class OversightArgsSchema(Schema):
    day = Day(load_default=date.today, metadata={"description": "figures as on this day"})
    start = Day(load_default=None, allow_none=True, metadata={
        "description": "releases from this day (default: a year before `day`)"})
    region_id = fields.Integer(load_default=None, allow_none=True)


class OversightRowSchema(Schema):
    institution_id = fields.Integer()
    institution = fields.String()
    region = fields.String()
    releases = fields.Integer()
    complete_at_release = fields.Integer()
    job_or_housing_at_release = fields.Integer()
    plans_open = fields.Integer()
    plans_complete = fields.Integer()
    referrals_open = fields.Integer()
    referrals_overdue = fields.Integer()
    outcomes_6_due = fields.Integer()
    outcomes_6_missing = fields.Integer()
    employed_6 = fields.Integer()
    housed_6 = fields.Integer()
    outcomes_12_due = fields.Integer()
    outcomes_12_missing = fields.Integer()
    employed_12 = fields.Integer()
    housed_12 = fields.Integer()


class OversightSchema(Schema):
    day = fields.Date()
    start = fields.Date()
    baseline_employed = fields.Float()
    baseline_housed = fields.Float()
    rows = fields.List(fields.Nested(OversightRowSchema))
    total = fields.Nested(OversightRowSchema)


class ReintegrationTrendArgsSchema(Schema):
    region_id = fields.Integer(load_default=None, allow_none=True)
    months = fields.Integer(load_default=12, validate=validate.Range(min=1, max=36),
                            metadata={"description": "calendar months, the current one last"})


class ReintegrationTrendCountsSchema(OversightRowSchema):
    class Meta:
        exclude = ("institution_id", "institution", "region")

    outcomes_6_recorded = fields.Integer()
    outcomes_12_recorded = fields.Integer()


class ReintegrationTrendSharesSchema(Schema):
    """Shares 0-1; null when nobody is counted that month."""

    complete_at_release = fields.Float(allow_none=True)
    job_or_housing_at_release = fields.Float(allow_none=True)
    referrals_overdue = fields.Float(allow_none=True)
    employed_6 = fields.Float(allow_none=True)
    housed_6 = fields.Float(allow_none=True)
    employed_12 = fields.Float(allow_none=True)
    housed_12 = fields.Float(allow_none=True)


class ReintegrationTrendPointSchema(Schema):
    month = fields.Date(metadata={"description": "the month's first day"})
    day = fields.Date(metadata={"description": "figures as on this day (the month's last, "
                                               "or today)"})
    counts = fields.Nested(ReintegrationTrendCountsSchema)
    shares = fields.Nested(ReintegrationTrendSharesSchema)
    below = fields.List(fields.String(), metadata={
        "description": "the shares below their baseline that month"})


class ReintegrationTrendsSchema(Schema):
    baselines = fields.Nested(ReintegrationTrendSharesSchema)
    points = fields.List(fields.Nested(ReintegrationTrendPointSchema))


# --- jobs waiting outside (R22) -----------------------------------------------------------

class OutsideJobInSchema(Schema):
    title = Text(required=True, validate=validate.Length(min=1, max=200))
    trade_id = fields.Integer(required=True)
    locality = Text(required=True, validate=validate.Length(min=1, max=120))
    region_id = fields.Integer(required=True)
    positions = fields.Integer(required=True, validate=validate.Range(min=1, max=10000))
    monthly_wage = fields.Integer(required=True, validate=validate.Range(min=1, max=100_000_000))
    start_date = Day(required=True)
    certificate_required = fields.Boolean(load_default=False)


class OutsideJobSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    trade_id = fields.Integer()
    locality = fields.String()
    region = fields.String(attribute="region.name")
    positions = fields.Integer()
    monthly_wage = fields.Integer()
    start_date = fields.Date()
    certificate_required = fields.Boolean()
    open = fields.Boolean()


class ShortProfileSchema(Schema):
    """All an employer sees of a person leaving prison, with consent (R22)."""

    plan_id = fields.Integer()
    full_name = fields.String()
    trades = fields.List(fields.String())
    certificates = fields.List(fields.String())
    release_month = fields.String()
    answer = fields.String(allow_none=True)


class JobAnswerInSchema(Schema):
    answer = fields.String(required=True, validate=validate.OneOf(("interview", "offer", "no")))
