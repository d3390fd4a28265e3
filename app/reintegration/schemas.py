"""The release and reintegration API contract; the pages load their forms with
the same schemas. ``PartnerReferralSchema`` is the whole of what a partner
organisation ever receives about a person (R21)."""

from typing import Any

from marshmallow import Schema, fields, validate

from app.core.fields import Integer, KazakhstanDateTime, UtcDateTime
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
from policy.clock import today_in_kazakhstan

# --- settings and partner organisations ---------------------------------------------------

class SettingsInSchema(Schema):
    plan_months_before_release = Integer(required=True,
                                                validate=validate.Range(min=1, max=36))
    partner_access_months = Integer(required=True, validate=validate.Range(min=0, max=60))


class PartnerInSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=200))
    kind = _enum(PartnerKind, required=True)
    region_ids = fields.List(Integer(), required=True, validate=validate.Length(min=1))
    locality = Text(load_default="", validate=validate.Length(max=120))
    contact_phone = Text(load_default="", validate=validate.Length(max=40))
    contact_email = Text(load_default="", validate=validate.Length(max=254))
    contact_person = Text(load_default="", validate=validate.Length(max=200))
    address = Text(load_default="", validate=validate.Length(max=300))
    active = fields.Boolean(load_default=True)


class PartnerUserInSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    full_name = Text(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=10))


class PartnerSchema(Schema):
    id = Integer()
    name = fields.String()
    kind = _enum(PartnerKind)
    locality = fields.String()
    regions = fields.List(fields.String())


# --- release plans ------------------------------------------------------------------------

class PlanInSchema(Schema):
    destination_locality = Text(validate=validate.Length(max=120))
    destination_region_id = Integer(allow_none=True)


class OpenPlanInSchema(Schema):
    inmate_id = Integer(required=True)


AGREEMENT = {"description": "the person's own agreement: \"\" (not asked yet), \"agreed\" or "
                         "\"declined\" (then `agreement_reason` is required); a job part is "
                         "marked arranged only with \"agreed\""}


class PartInSchema(Schema):
    status = _enum(PartStatus)
    reason = Text(validate=validate.Length(max=500))
    note = Text(validate=validate.Length(max=500))
    owner_partner_id = Integer(allow_none=True)
    due_on = Day(allow_none=True)
    agreement = fields.String(validate=validate.OneOf(("", "agreed", "declined")),
                              metadata=AGREEMENT)
    agreement_reason = Text(validate=validate.Length(max=500), metadata={
        "description": "why the person declined, in their own words"})


class PartSchema(Schema):
    id = Integer()
    kind = _enum(PlanPartKind)
    status = _enum(PartStatus)
    reason = fields.String()
    note = fields.String()
    owner_partner_id = Integer(allow_none=True)
    owner = fields.Function(lambda p: p.owner_partner.name if p.owner_partner else None)
    due_on = fields.Date(allow_none=True)
    agreement = fields.String(metadata=AGREEMENT)
    agreement_reason = fields.String()


class PlanSchema(Schema):
    id = Integer()
    inmate_id = Integer()
    inmate_name = fields.String(attribute="inmate.full_name")
    file_number = fields.String(attribute="inmate.file_number")
    institution_id = Integer(attribute="inmate.institution_id")
    release_date = fields.Date(attribute="inmate.release_date", allow_none=True)
    opened_on = fields.Date()
    opened_automatically = fields.Boolean()
    destination_locality = fields.String()
    destination_region_id = Integer(allow_none=True)
    complete = fields.Boolean()
    released_on = fields.Date(allow_none=True)
    complete_at_release = fields.Boolean(allow_none=True)
    parts = fields.List(fields.Nested(PartSchema))


class PlanFilterSchema(Schema):
    open_parts = fields.Boolean(load_default=False, metadata={
        "description": "Only plans with parts still open"})
    released = fields.Boolean(load_default=None, allow_none=True)


class ReferInSchema(Schema):
    partner_id = Integer(required=True)
    part_ids = fields.List(Integer(), required=True, validate=validate.Length(min=1))
    due_on = Day(load_default=None, allow_none=True)
    note = Text(load_default="", validate=validate.Length(max=1000))


class MessageInSchema(Schema):
    text = Text(required=True, validate=validate.Length(min=1, max=1000))


class MessageSchema(Schema):
    from_partner = fields.Boolean()
    author = fields.String()
    text = fields.String()
    created_at = UtcDateTime()


class ReferralFields(Schema):
    """What both sides see of a referral itself."""

    id = Integer()
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
    interview_on = KazakhstanDateTime(allow_none=True, metadata={
        "description": "the interview the partner arranged: local time in Kazakhstan"})
    interview_place = fields.String()
    interview_with = fields.String(metadata={"description": "who meets the person"})
    interview_escort = fields.String(metadata={
        "description": "who accompanies a person still in custody on the interview's day"})


class InterviewInSchema(Schema):
    """The interview a partner arranged: when (local time), where, who meets the
    person and who escorts a person still in custody."""

    interview_on = KazakhstanDateTime(required=True)
    interview_place = Text(required=True, validate=validate.Length(min=1, max=300))
    interview_with = Text(required=True, validate=validate.Length(min=1, max=200))
    interview_escort = Text(load_default="", validate=validate.Length(max=200), metadata={
        "description": "who accompanies the person: required when the person is still "
                       "in custody on the interview's day"})


class ReferralSchema(ReferralFields):
    """A referral as the institution sees it."""

    plan_id = Integer()
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
    id = Integer()
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
    months = Integer()
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
    part_id = Integer(required=True)
    status = _enum(PartStatus, required=True, validate=validate.OneOf(
        [PartStatus.IN_PROGRESS, PartStatus.ARRANGED, PartStatus.NOT_ARRANGED]))
    reason = Text(load_default="", validate=validate.Length(max=500))
    note = Text(load_default="", validate=validate.Length(max=500))


class ArrangedInSchema(Schema):
    arranged = Text(load_default="", validate=validate.Length(max=1000))
    parts = fields.List(fields.Nested(ArrangedPartInSchema), load_default=list)
    close = fields.Boolean(load_default=False)


class OutcomeInSchema(Schema):
    months = Integer(required=True, validate=validate.OneOf(OUTCOME_MONTHS))
    checked_on = Day(load_default=today_in_kazakhstan)
    situations = fields.List(_enum(Situation), required=True, validate=validate.Length(min=1))
    note = Text(load_default="", validate=validate.Length(max=500))
    correction_reason = Text(load_default="", validate=validate.Length(max=500), metadata={
        "description": "Why a check already recorded is corrected: the correction is a "
                       "new version, the one it replaces is kept (R23)."})


# --- oversight ----------------------------------------------------------------------------

class OversightArgsSchema(Schema):
    day = Day(load_default=today_in_kazakhstan, metadata={"description": "figures as on this day"})
    start = Day(load_default=None, allow_none=True, metadata={
        "description": "releases from this day (default: a year before `day`)"})
    region_id = Integer(load_default=None, allow_none=True)


class OversightRowSchema(Schema):
    institution_id = Integer()
    institution = fields.String()
    region = fields.String()
    releases = Integer()
    complete_at_release = Integer()
    job_or_housing_at_release = Integer()
    plans_open = Integer()
    plans_complete = Integer()
    referrals_open = Integer()
    referrals_overdue = Integer()
    outcomes_6_due = Integer()
    outcomes_6_missing = Integer()
    employed_6 = Integer()
    housed_6 = Integer()
    outcomes_12_due = Integer()
    outcomes_12_missing = Integer()
    employed_12 = Integer()
    housed_12 = Integer()


class OversightSchema(Schema):
    day = fields.Date()
    start = fields.Date()
    baseline_employed = fields.Float()
    baseline_housed = fields.Float()
    rows = fields.List(fields.Nested(OversightRowSchema))
    total = fields.Nested(OversightRowSchema)


class ReintegrationTrendArgsSchema(Schema):
    region_id = Integer(load_default=None, allow_none=True)
    months = Integer(load_default=12, validate=validate.Range(min=1, max=36),
                            metadata={"description": "calendar months, the current one last"})


class ReintegrationTrendCountsSchema(OversightRowSchema):
    class Meta:
        exclude = ("institution_id", "institution", "region")

    outcomes_6_recorded = Integer()
    outcomes_12_recorded = Integer()


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
    trade_id = Integer(required=True)
    locality = Text(required=True, validate=validate.Length(min=1, max=120))
    region_id = Integer(required=True)
    positions = Integer(required=True, validate=validate.Range(min=1, max=10000))
    monthly_wage = Integer(required=True, validate=validate.Range(min=1, max=100_000_000))
    start_date = Day(required=True)
    certificate_required = fields.Boolean(load_default=False)


class OutsideJobPatchSchema(OutsideJobInSchema):
    """A change of a job: only the fields sent change, each checked as when posted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class OutsideJobSchema(Schema):
    id = Integer()
    title = fields.String()
    trade_id = Integer()
    locality = fields.String()
    region = fields.String(attribute="region.name")
    positions = Integer()
    monthly_wage = Integer()
    start_date = fields.Date()
    certificate_required = fields.Boolean()
    open = fields.Boolean()


class ShortProfileSchema(Schema):
    """All an employer sees of a person leaving prison, with consent (R22)."""

    plan_id = Integer()
    full_name = fields.String()
    trades = fields.List(fields.String())
    certificates = fields.List(fields.String())
    release_month = fields.Date(format="%Y-%m", metadata={
        "format": "year-month", "pattern": r"^\d{4}-\d{2}$", "example": "2026-05",
        "description": "The month of release, never the day."})
    answer = fields.String(allow_none=True)


class JobAnswerInSchema(Schema):
    answer = fields.String(required=True, validate=validate.OneOf(("interview", "offer", "no")))
    reason = Text(load_default="", validate=validate.Length(max=300), metadata={
        "description": "Why not: required with \"no\" (at least 3 characters)."})
