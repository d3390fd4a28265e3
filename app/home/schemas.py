from marshmallow import Schema, fields

from app.core.fields import Integer, UtcDateTime
from app.monitoring.schemas import RateSchema


class InmateBriefSchema(Schema):
    id = Integer()
    file_number = fields.String()
    full_name = fields.String()
    release_date = fields.Date()


class RunBriefSchema(Schema):
    id = Integer()
    created_at = UtcDateTime()
    as_of = fields.Date()


class FindingBriefSchema(Schema):
    id = Integer()
    created_at = UtcDateTime()
    rule = fields.String(allow_none=True)
    text = fields.String()


class ChangeSchema(Schema):
    occurred_at = UtcDateTime()
    actor = fields.String()
    entity_type = fields.String()
    entity_id = fields.String()
    action = fields.String()


class OfficerHomeSchema(Schema):
    """The officer's home page, as data."""

    r1 = fields.Nested(RateSchema, data_key="rate")
    open_positions = Integer()
    releases_unprepared = fields.List(fields.Nested(InmateBriefSchema), metadata={
        "description": "Released within 90 days with neither a course nor a job"})
    last_run = fields.Nested(RunBriefSchema, allow_none=True)
    last_run_pending = Integer()
    findings = fields.List(fields.Nested(FindingBriefSchema))
    employer_changes = fields.List(fields.Nested(ChangeSchema))
