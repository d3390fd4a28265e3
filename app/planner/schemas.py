"""The planner's API contract; the pages parse their query strings with the same schemas."""

from datetime import date

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from app.core.fields import Integer
from app.core.vocabulary import EmployerKind, Shift, Site
from policy.clock import today_in_kazakhstan

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

    positions = Integer(load_default=10, validate=validate.Range(min=1, max=1000),
                               metadata={"description": "Positions the workshop would offer"})
    site = fields.Enum(Site, by_value=True, load_default=Site.INSIDE)
    shift = fields.Enum(Shift, by_value=True, load_default=Shift.DAY)
    weekly_hours = Integer(load_default=40, validate=validate.Range(min=1, max=60))
    monthly_wage = Integer(load_default=None, validate=validate.Range(min=0),
                                  metadata={"description": "Default: the year's minimum wage"})
    heavy_or_hazardous = fields.Boolean(load_default=False)
    employer_kind = fields.Enum(EmployerKind, by_value=True,
                                load_default=EmployerKind.PRIVATE_COMPANY)
    start_date = fields.Date(load_default=None, validate=DAYS,
                             metadata={"description": "Opening day; default: the day asked"})
    trainable_on_job = fields.Boolean(load_default=False, metadata={
        "description": "False: the trade's skill is required (R12); true: anyone may "
                       "learn on the job"})
    day = fields.Date(load_default=today_in_kazakhstan, validate=DAYS,
                      metadata={"description": "The day the figures are for (default today)"})


class WorkshopArgs(TemplateArgs):
    trade = fields.String(required=True, validate=known_trade,
                          metadata={"description": "Trade code of the taxonomy"})


class ImpactSchema(Schema):
    institution_id = Integer()
    institution_code = fields.String(attribute="impact.institution")
    institution_name = fields.String()
    region = fields.String()
    trade_code = fields.String(attribute="impact.trade_code")
    positions = Integer(attribute="impact.positions")
    eligible = Integer(attribute="impact.eligible", metadata={
        "description": "Inmates able to work and not employed whom the rules admit"})
    extra_employed = Integer(attribute="impact.extra_employed", metadata={
        "description": "Exact: how many more inmates would be employed (a full re-solve "
                       "with the workshop; separation, R14, not applied)"})
    able_to_work = Integer(attribute="impact.able_to_work")
    employed = Integer(attribute="impact.employed", metadata={
        "description": "Employed today (R1)"})
    committed = Integer(attribute="impact.committed", metadata={
        "description": "Able to work, with an accepted paid placement that starts later: "
                       "not employed today (R1), placed in every projection, never "
                       "planned for again"})
    placed_now = Integer(attribute="impact.placed_now", metadata={
        "description": "The most inmates today's vacancies can take"})
    rate_now = fields.Float(attribute="impact.rate_now", allow_none=True, metadata={
        "description": "(employed + committed + placed_now) / able to work"})
    rate_with = fields.Float(attribute="impact.rate_with", allow_none=True)
    target = fields.Float(attribute="impact.target")
    shortfall_now = Integer(attribute="impact.shortfall_now")
    shortfall_with = Integer(attribute="impact.shortfall_with")


class StepSchema(Schema):
    trade_code = fields.String()
    positions = Integer()
    extra_employed = Integer()
    rate_after = fields.Float(allow_none=True)


class ExactPlanSchema(Schema):
    steps = fields.List(fields.Nested(StepSchema), metadata={
        "description": "One workshop per trade with exactly the positions it fills"})
    workshops = Integer(metadata={
        "description": "The fewest workshops that reach the target (as close as any can)"})
    positions_total = Integer(metadata={
        "description": "Among plans with that many workshops, the fewest positions"})
    shortfall_left = Integer()
    rate_after = fields.Float(allow_none=True)
    proven_optimal = fields.Boolean(metadata={
        "description": "False: the time budget ran out; the plan is the best found"})
    workshops_lower_bound = Integer(metadata={
        "description": "Proven: no plan with fewer workshops exists"})
    seconds = fields.Float(metadata={"description": "Time taken to find and prove it"})


class ShortfallPlanSchema(Schema):
    institution_id = Integer()
    institution_code = fields.String()
    able_to_work = Integer()
    employed = Integer(metadata={"description": "Employed today (R1)"})
    committed = Integer(metadata={
        "description": "Able to work, with an accepted paid placement that starts later: "
                       "not employed today (R1), placed in every projection, never "
                       "planned for again"})
    placed_now = Integer()
    target = fields.Float()
    shortfall_now = Integer()
    steps = fields.List(fields.Nested(StepSchema), metadata={
        "description": "The greedy plan, for comparison: workshops to open in order, each "
                       "step's gain exact given the steps before it; the set not proven "
                       "the smallest (see exact)"})
    positions_total = Integer()
    shortfall_left = Integer(metadata={
        "description": "People no workshop of any trade would place"})
    rate_after = fields.Float(allow_none=True)
    exact = fields.Nested(ExactPlanSchema, metadata={
        "description": "The fewest workshops, then positions, that close the shortfall"})


class RunPlanSchema(ShortfallPlanSchema):
    run_id = Integer()
