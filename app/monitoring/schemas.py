"""The monitoring API contract; the pages parse their query strings with the same schemas."""

from datetime import date, timedelta

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from app.core.fields import Id, Integer, UtcDateTime
from app.core.vocabulary import FindingKind, FindingStatus
from app.monitoring.violations import CHECKS
from policy import plausible
from policy.clock import today_in_kazakhstan

MAX_PERIOD_DAYS = 3 * 366


class QueryArgs(Schema):
    class Meta:
        unknown = EXCLUDE  # pages carry other arguments (page, format...)


def past_day(value: date) -> None:
    """Figures exist from the programme's start (``policy.plausible``) to today: a future
    day has no placements, consents or releases yet, so its rate would be a guess."""
    if not plausible.FIRST_EVENT_DAY <= value <= today_in_kazakhstan():
        raise ValidationError(_("must be a day from %(first)s to today; figures for future "
                                "days do not exist yet",
                                first=format_date(plausible.FIRST_EVENT_DAY)))


class DayArgs(QueryArgs):
    day = fields.Date(load_default=today_in_kazakhstan, validate=past_day,
                      metadata={"description": "Default: today (from 2015-01-01 to today)"})


class RatesArgs(DayArgs):
    region_id = Id(load_default=None)


class TrendsArgs(QueryArgs):
    institution_id = Id(load_default=None)


class PeriodArgs(QueryArgs):
    start = fields.Date(load_default=lambda: today_in_kazakhstan() - timedelta(days=29),
                        validate=past_day)
    end = fields.Date(load_default=today_in_kazakhstan, validate=past_day)
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
    kind = fields.Enum(FindingKind, by_value=True, load_default=None, metadata={
        "description": "only findings recording this kind of act"})
    institution_id = Id(load_default=None)
    late = fields.Boolean(load_default=False, metadata={
        "description": "only findings not answered by their due day"})


class AuditArgs(QueryArgs):
    institution_id = Id(load_default=None)
    actor = fields.String(load_default=None, validate=validate.Length(max=254))
    actor_id = Id(load_default=None)
    entity_type = fields.String(load_default=None, validate=validate.Length(max=64))
    entity_id = fields.String(load_default=None, validate=validate.Length(max=64))
    start = fields.Date(load_default=None)
    end = fields.Date(load_default=None)
    page = Integer(load_default=1, validate=validate.Range(min=1))
    per_page = Integer(load_default=50, validate=validate.Range(min=1, max=500))


class RateSchema(Schema):
    id = Integer(attribute="key", allow_none=True)
    label = fields.String()
    region_id = Id(allow_none=True)
    day = fields.Date()
    held = Integer()
    able = Integer(metadata={"description": "Able to work (R1)"})
    employed = Integer(metadata={"description": "Employed among those able to work"})
    employed_all = Integer(metadata={
        "description": "The numerator of rate_held: the same people as employed (R1 "
                       "counts only those able to work; an inmate at work who is not "
                       "able to is a violation, never employment)"})
    rate = fields.Float(allow_none=True, metadata={"description": "employed / able"})
    rate_held = fields.Float(allow_none=True, metadata={
        "description": "employed_all / held: the same employed people as rate"})
    target = fields.Float(metadata={"description": "The year's target rate, 0–1"})
    shortfall = Integer(metadata={"description": "ceil(target × able) − employed, ≥ 0"})
    rank = Integer(allow_none=True)


class RatesReportSchema(Schema):
    day = fields.Date()
    target = fields.Float(metadata={"description": "The year's target rate, 0–1"})
    total = fields.Nested(RateSchema)
    regions = fields.List(fields.Nested(RateSchema))
    institutions = fields.List(fields.Nested(RateSchema))


class SeriesSchema(Schema):
    kind = fields.String(metadata={"description": "total, region or institution"})
    id = Integer(allow_none=True)
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


class LateAnswerSchema(Schema):
    """An application answered late or unanswered past its deadline (R31), with its
    evidence."""

    application_id = Id(attribute="late.application_id")
    inmate_id = Id(attribute="late.inmate_id")
    inmate = fields.Function(lambda row: str(row.application.inmate))
    institution_id = Id(attribute="late.institution_id")
    institution = fields.String(attribute="institution.code")
    kind = fields.String(attribute="application.kind")
    state = fields.String(attribute="application.state")
    received_on = fields.Date(attribute="late.received_on")
    due_on = fields.Date(attribute="late.due_on",
                         metadata={"description": "The last day an answer was in time."})
    first_late_day = fields.Date(attribute="late.day",
                                 metadata={"description": "Its first late day in the year."})
    answered_on = fields.Date(attribute="late.answered_on", allow_none=True,
                              metadata={"description": "None: not answered (yet)."})
    days_late = Integer(attribute="late.days_late")
    history = fields.String(attribute="history_url",
                            metadata={"description": "The application's audit trail (page)."})
    history_api = fields.String(attribute="history_api_url",
                                metadata={"description": "The same trail in this API."})


class FindingSchema(Schema):
    id = Integer(dump_only=True)
    institution_id = Id(load_default=None)
    placement_id = Id(load_default=None)
    rule = fields.String(load_default=None, validate=validate.OneOf(list(CHECKS)))
    kind = fields.Enum(FindingKind, by_value=True, required=True, metadata={
        "description": "The prosecutor's act: act_of_response (представление, ұсыну), "
                       "warning (предостережение, ескерту), protest (протест, наразылық) "
                       "or other."})
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    status = fields.Enum(FindingStatus, by_value=True, dump_only=True)
    author_id = Id(dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    resolved_at = UtcDateTime(dump_only=True, allow_none=True)
    due_on = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "the day the institution is to answer by"})
    answer = fields.String(dump_only=True)
    answered_at = UtcDateTime(dump_only=True, allow_none=True)


class AuditEventSchema(Schema):
    id = Integer()
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
    page = Integer()
    pages = Integer()
    total = Integer()
