"""The planner's API contract; the pages parse their query strings with the same schemas."""

from datetime import date

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from app.core.vocabulary import EmployerKind, Shift, Site

DAYS = validate.Range(min=date(2015, 1, 1), max=date(2100, 12, 31))


class _Query(Schema):
    class Meta:
        unknown = EXCLUDE  # pages carry other arguments


def known_trade(value: str | None) -> None:
    from app.planner.operations import trade_codes

    if value is not None and value not in trade_codes():
        raise ValidationError(_l("Unknown trade."))


class TemplateArgs(_Query):
    """A planned workshop, all but its trade (rankings over trades use every trade)."""

    positions = fields.Integer(load_default=10, validate=validate.Range(min=1, max=1000),
                               metadata={"description": "Positions the workshop would offer"})
    site = fields.Enum(Site, by_value=True, load_default=Site.INSIDE)
    shift = fields.Enum(Shift, by_value=True, load_default=Shift.DAY)
    weekly_hours = fields.Integer(load_default=40, validate=validate.Range(min=1, max=60))
    monthly_wage = fields.Integer(load_default=None, validate=validate.Range(min=0),
                                  metadata={"description": "Default: the year's minimum wage"})
    heavy_or_hazardous = fields.Boolean(load_default=False)
    employer_kind = fields.Enum(EmployerKind, by_value=True,
                                load_default=EmployerKind.PRIVATE_COMPANY)
    start_date = fields.Date(load_default=None, validate=DAYS,
                             metadata={"description": "Opening day; default: the day asked"})
    trainable_on_job = fields.Boolean(load_default=False, metadata={
        "description": "False: the trade's skill is required (R12); true: anyone may "
                       "learn on the job"})
    day = fields.Date(load_default=date.today, validate=DAYS,
                      metadata={"description": "The day the figures are for (default today)"})


class WorkshopArgs(TemplateArgs):
    trade = fields.String(required=True, validate=known_trade,
                          metadata={"description": "Trade code of the taxonomy"})


class ImpactSchema(Schema):
    institution_id = fields.Integer()
    institution_code = fields.String(attribute="impact.institution")
    institution_name = fields.String()
    region = fields.String()
    trade_code = fields.String(attribute="impact.trade_code")
    positions = fields.Integer(attribute="impact.positions")
    eligible = fields.Integer(attribute="impact.eligible", metadata={
        "description": "Inmates able to work and not employed whom the rules admit"})
    extra_employed = fields.Integer(attribute="impact.extra_employed", metadata={
        "description": "Exact: how many more inmates would be employed (a full re-solve "
                       "with the workshop; separation, R14, not applied)"})
    able_to_work = fields.Integer(attribute="impact.able_to_work")
    employed = fields.Integer(attribute="impact.employed")
    placed_now = fields.Integer(attribute="impact.placed_now", metadata={
        "description": "The most inmates today's vacancies can take"})
    rate_now = fields.Float(attribute="impact.rate_now", allow_none=True, metadata={
        "description": "(employed + placed_now) / able to work"})
    rate_with = fields.Float(attribute="impact.rate_with", allow_none=True)
    target = fields.Float(attribute="impact.target")
    shortfall_now = fields.Integer(attribute="impact.shortfall_now")
    shortfall_with = fields.Integer(attribute="impact.shortfall_with")


class StepSchema(Schema):
    trade_code = fields.String()
    positions = fields.Integer()
    extra_employed = fields.Integer()
    rate_after = fields.Float(allow_none=True)


class ShortfallPlanSchema(Schema):
    institution_id = fields.Integer()
    institution_code = fields.String()
    able_to_work = fields.Integer()
    employed = fields.Integer()
    placed_now = fields.Integer()
    target = fields.Float()
    shortfall_now = fields.Integer()
    steps = fields.List(fields.Nested(StepSchema), metadata={
        "description": "Workshops to open, in order: each step's gain is exact given the "
                       "steps before it; the set is greedy, not proven the smallest"})
    positions_total = fields.Integer()
    shortfall_left = fields.Integer(metadata={
        "description": "People no workshop of any trade would place"})
    rate_after = fields.Float(allow_none=True)


class RunPlanSchema(ShortfallPlanSchema):
    run_id = fields.Integer()
