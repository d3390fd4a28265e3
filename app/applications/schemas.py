"""The applications API contract (R31); the officer's form validates with the same schema."""

from marshmallow import Schema, fields, validate

from app.applications.models import (
    AnswerKind,
    ApplicationChannel,
    ApplicationKind,
    ApplicationState,
)
from app.core.fields import Id, Integer
from app.core.plausible import EventDay
from app.inmates.schemas import Text
from policy.clock import today_in_kazakhstan

TARGET = r"^(course|vacancy):[1-9][0-9]{0,9}$"


def _enum(enum_cls: type, **kwargs) -> fields.Enum:
    return fields.Enum(enum_cls, by_value=True, **kwargs)


class ApplicationInSchema(Schema):
    inmate_id = Id(required=True)
    kind = _enum(ApplicationKind, required=True, metadata={
        "description": "What is asked: a vacancy, a trade (any of its vacancies) or a course."})
    target_id = Id(required=True, metadata={
        "description": "The vacancy's, trade's or course's id (the person's institution's)."})
    received_on = EventDay(load_default=None, metadata={
        "description": "The day written on the paper; today when left out. "
                       "Not in the future, not before admission."})


class ReasonInSchema(Schema):
    reason = Text(load_default="", validate=validate.Length(max=1000), metadata={
        "description": "The person's own words (required to decline)."})


class ApplicationFilterSchema(Schema):
    inmate_id = Id(load_default=None)
    state = _enum(ApplicationState, load_default=None)
    kind = _enum(ApplicationKind, load_default=None)


class WaitingListArgs(Schema):
    target = fields.String(required=True, validate=validate.Regexp(TARGET), metadata={
        "description": "course:<id> or vacancy:<id>"})


class ApplicationSchema(Schema):
    id = Integer()
    inmate_id = Integer()
    institution_id = Integer()
    kind = _enum(ApplicationKind)
    vacancy_id = Integer(allow_none=True)
    trade_id = Integer(allow_none=True)
    course_id = Integer(allow_none=True)
    received_on = fields.Date()
    channel = _enum(ApplicationChannel)
    has_scan = fields.Function(lambda a: bool(a.scan_name))
    state = _enum(ApplicationState)
    state_changed_on = fields.Date(allow_none=True)
    reason = fields.String(metadata={
        "description": "The person's words (declined, withdrawn), the rule (not eligible) "
                       "or what closed it."})
    answer_kind = _enum(AnswerKind, allow_none=True)
    answer_text = fields.String(metadata={"description": "In the person's language."})
    answer_language = fields.String()
    answer_params = fields.Dict()
    answered_on = fields.Date(allow_none=True)
    position = Integer(allow_none=True, metadata={"description": "N of N of M"})
    waiting_of = Integer(allow_none=True, metadata={"description": "M of N of M"})
    proposal_id = Integer(allow_none=True)


class WaitingPlaceSchema(Schema):
    position = Integer()
    of = Integer()
    inmate_id = fields.Function(lambda p: p.application.inmate_id if p.application else None)
    application_id = fields.Function(lambda p: p.application.id if p.application else None)
    applied_on = fields.Date(allow_none=True)
    eligible = fields.Boolean()
    reasons = fields.List(fields.String())


class ApplicationYearArgs(Schema):
    year = Integer(load_default=lambda: today_in_kazakhstan().year,
                          validate=validate.Range(min=2015, max=2100),
                          metadata={"description": "Received in this year (default this year)."})


class ApplicationMonthSchema(Schema):
    institution_id = Integer()
    institution = fields.String()
    month = Integer()
    received = Integer()
    answered_in_time = Integer()
    offered = Integer()
    declined = Integer()
