"""The monitoring API contract; the pages parse their query strings with the same schemas."""

from datetime import date, timedelta

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from app.core.fields import Id, UtcDateTime
from app.core.vocabulary import FindingStatus
from app.monitoring.violations import CHECKS
from policy import plausible

MAX_PERIOD_DAYS = 3 * 366


class QueryArgs(Schema):
    class Meta:
        unknown = EXCLUDE  # pages carry other arguments (page, format...)


def past_day(value: date) -> None:
    """Figures exist from the programme's start (``policy.plausible``) to today: a future
    day has no placements, consents or releases yet, so its rate would be a guess."""
    if not plausible.FIRST_EVENT_DAY <= value <= date.today():
        raise ValidationError(_("must be a day from %(first)s to today; figures for future "
                                "days do not exist yet",
                                first=format_date(plausible.FIRST_EVENT_DAY)))


class DayArgs(QueryArgs):
    day = fields.Date(load_default=date.today, validate=past_day,
                      metadata={"description": "Default: today (from 2015-01-01 to today)"})


class RatesArgs(DayArgs):
    region_id = Id(load_default=None)


class TrendsArgs(QueryArgs):
    institution_id = Id(load_default=None)


class PeriodArgs(QueryArgs):
    start = fields.Date(load_default=lambda: date.today() - timedelta(days=29),
                        validate=past_day)
    end = fields.Date(load_default=date.today, validate=past_day)
    rule = fields.String(load_default=None, validate=validate.OneOf(list(CHECKS)))
    institution_id = Id(load_default=None)

    @validates_schema
    def _period(self, data: dict, **kwargs: object) -> None:
        if data["start"] > data["end"]:
            raise ValidationError(_("must not be after the end date"), "start")
        if (data["end"] - data["start"]).days > MAX_PERIOD_DAYS:
            raise ValidationError(ngettext("the period may span at most %(num)d day",
                                           "the period may span at most %(num)d days",
                                           MAX_PERIOD_DAYS), "start")


class FindingsArgs(QueryArgs):
    status = fields.Enum(FindingStatus, by_value=True, load_default=None)
    institution_id = Id(load_default=None)


class AuditArgs(QueryArgs):
    institution_id = Id(load_default=None)
    actor = fields.String(load_default=None, validate=validate.Length(max=254))
    actor_id = Id(load_default=None)
    entity_type = fields.String(load_default=None, validate=validate.Length(max=64))
    entity_id = fields.String(load_default=None, validate=validate.Length(max=64))
    start = fields.Date(load_default=None)
    end = fields.Date(load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class RateSchema(Schema):
    id = fields.Integer(attribute="key", allow_none=True)
    label = fields.String()
    region_id = Id(allow_none=True)
    day = fields.Date()
    held = fields.Integer()
    able = fields.Integer(metadata={"description": "Able to work (R1)"})
    employed = fields.Integer(metadata={"description": "Employed among those able to work"})
    employed_all = fields.Integer(metadata={"description": "Employed among all held"})
    rate = fields.Float(allow_none=True, metadata={"description": "employed / able"})
    rate_held = fields.Float(allow_none=True, metadata={"description": "employed_all / held"})
    target = fields.Float(metadata={"description": "The year's target rate, 0–1"})
    shortfall = fields.Integer(metadata={"description": "ceil(target × able) − employed, ≥ 0"})
    rank = fields.Integer(allow_none=True)


class RatesReportSchema(Schema):
    day = fields.Date()
    target = fields.Float(metadata={"description": "The year's target rate, 0–1"})
    total = fields.Nested(RateSchema)
    regions = fields.List(fields.Nested(RateSchema))
    institutions = fields.List(fields.Nested(RateSchema))


class SeriesSchema(Schema):
    kind = fields.String(metadata={"description": "total, region or institution"})
    id = fields.Integer(allow_none=True)
    label = fields.String()
    points = fields.List(fields.Nested(RateSchema))


class TrendsSchema(Schema):
    days = fields.List(fields.Date())
    series = fields.List(fields.Nested(SeriesSchema))


class ViolationSchema(Schema):
    rule = fields.String()
    placement_id = Id()
    inmate_id = Id()
    vacancy_id = Id()
    institution_id = Id()
    day = fields.Date()
    detail = fields.String()
    other_placement_id = Id(allow_none=True)


class FindingSchema(Schema):
    id = fields.Integer(dump_only=True)
    institution_id = Id(load_default=None)
    placement_id = Id(load_default=None)
    rule = fields.String(load_default=None, validate=validate.OneOf(list(CHECKS)))
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    status = fields.Enum(FindingStatus, by_value=True, dump_only=True)
    author_id = Id(dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    resolved_at = UtcDateTime(dump_only=True, allow_none=True)


class AuditEventSchema(Schema):
    id = fields.Integer()
    occurred_at = UtcDateTime()
    actor_id = Id(allow_none=True)
    actor = fields.String()
    institution_id = Id(allow_none=True)
    entity_type = fields.String()
    entity_id = fields.String()
    action = fields.String()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEventSchema))
    page = fields.Integer()
    pages = fields.Integer()
    total = fields.Integer()
