"""The training API contract; the course form validates with the same schemas."""

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.core.fields import Id, Integer
from app.core.plausible import EventDay, within
from app.core.vocabulary import EnrolmentStatus
from app.inmates.schemas import InmateTradeSchema, Text
from app.training.rules import course_problems
from policy import plausible
from policy.clock import today_in_kazakhstan


class CourseInSchema(Schema):
    trade_id = Id(required=True)
    title = Text(required=True, validate=validate.Length(min=1, max=200))
    provider = Text(load_default="", validate=validate.Length(max=200))
    seats = Integer(required=True, validate=within(plausible.SEATS))
    start_date = EventDay(required=True)
    end_date = EventDay(required=True)
    hours = Integer(load_default=0, validate=validate.Range(min=0, max=5000))
    grants_certificate = fields.Boolean(load_default=True)
    grants_level = Integer(load_default=1, validate=validate.Range(min=1, max=3))

    @validates_schema
    def _rules(self, data: dict[str, Any], partial: Any = None, **kwargs: Any) -> None:
        if partial:  # checked on the merged course by the operation
            return
        problems = course_problems(data)
        if problems:
            raise ValidationError(problems)


class CoursePatchSchema(CourseInSchema):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class CourseSchema(Schema):
    id = Integer()
    institution_id = Id()
    trade = fields.Nested(InmateTradeSchema)
    title = fields.String()
    provider = fields.String()
    seats = Integer()
    seats_taken = Integer()
    start_date = fields.Date()
    end_date = fields.Date()
    hours = Integer()
    grants_certificate = fields.Boolean()
    grants_level = Integer()


class EnrolmentSchema(Schema):
    id = Integer()
    course_id = Id()
    inmate_id = Id()
    inmate_name = fields.String(attribute="inmate.full_name")
    file_number = fields.String(attribute="inmate.file_number")
    enrolled_on = fields.Date()
    status = fields.Enum(EnrolmentStatus, by_value=True)
    completed_on = fields.Date(allow_none=True)
    result = fields.String()


class CourseDetailSchema(CourseSchema):
    enrolments = fields.List(fields.Nested(EnrolmentSchema))


class CourseFilterSchema(Schema):
    current = fields.Boolean(load_default=False, metadata={
        "description": "Only courses that have not ended yet"})


class EnrolInSchema(Schema):
    inmate_id = Id(required=True)
    enrolled_on = EventDay(load_default=today_in_kazakhstan)


class CompleteInSchema(Schema):
    completed_on = EventDay(load_default=today_in_kazakhstan)
    result = Text(load_default="", validate=validate.Length(max=200))
    certificate_number = Text(load_default="", validate=validate.Length(max=64))
    early_reason = Text(load_default="", validate=validate.Length(max=300), metadata={
        "description": "Why the course was completed sooner than its hours allow at full "
                       "time (40 a week); without it such a completion is refused (409)."})


class DropInSchema(Schema):
    reason = Text(load_default="", validate=validate.Length(max=200))


class RecommendationSchema(Schema):
    course_id = fields.String(allow_none=True)
    course_title = fields.String(allow_none=True)
    trade = fields.String()
    seats = Integer(allow_none=True)
    end_date = fields.String(allow_none=True)
    extra_placements = Integer(allow_none=True)
    with_needs = Integer(metadata={
        "description": "R27: how many of those it would help are assessed in need of "
                       "education or a trade (such courses come first)"})


class RecommendationsSchema(Schema):
    run_id = Id(allow_none=True)
    run_as_of = fields.Date(allow_none=True)
    recommendations = fields.List(fields.Nested(RecommendationSchema))
