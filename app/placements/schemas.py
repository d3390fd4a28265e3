"""The JSON API contract of match runs, proposals and placements, and of a vacancy
with the positions its placements fill."""

from datetime import date

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates

from app.core.fields import Id, UtcDateTime
from app.core.plausible import EventDay
from app.core.vocabulary import EndReason, ProposalStatus, Shift, Site, VacancyStatus
from app.placements.staffing import filled_count
from app.vacancies.schemas import InstitutionRefSchema, TradeRefSchema

PLACEMENT_STATES = ("current", "past", "all")


def _not_in_past(value: date | None) -> None:
    if value is not None and value < date.today():
        raise ValidationError(_("must not be in the past"))


class StartRunArgs(Schema):
    as_of = fields.Date(load_default=None, metadata={
        "description": "The day the run is for; today when absent."})

    @validates("as_of")
    def _as_of(self, value: date | None, **_: object) -> None:
        _not_in_past(value)


class ProposalSchema(Schema):
    id = fields.Integer()
    run_id = Id()
    inmate_id = Id()
    inmate_name = fields.Function(lambda p: p.inmate.full_name)
    vacancy_id = Id()
    vacancy_title = fields.Function(lambda p: p.vacancy.title)
    score = fields.Integer()
    score_parts = fields.Dict(keys=fields.String(), values=fields.Integer())
    status = fields.Enum(ProposalStatus, by_value=True)
    decided_by_id = Id(allow_none=True)
    decided_at = UtcDateTime(allow_none=True)
    rejection_reason = fields.String()


class RunSchema(Schema):
    id = fields.Integer()
    institution_id = Id()
    as_of = fields.Date()
    created_at = UtcDateTime()
    started_by_id = Id(allow_none=True)
    duration_ms = fields.Integer()
    summary = fields.Function(lambda run: run.result.get("summary"), metadata={
        "description": "Held, able to work, employed, proposed, projected rate, target "
                       "and shortfall (the workshops that would close it: "
                       "GET /api/planner/runs/{run_id}); proven_optimal is false when the "
                       "separation (R14) search ran out of its budget (a valid answer, "
                       "more may be placeable)."})


class RunDetailSchema(RunSchema):
    proposals = fields.List(fields.Nested(ProposalSchema))
    unplaced = fields.Function(lambda run: run.result.get("unplaced", []), metadata={
        "description": "Able inmates left unplaced, with the rules that barred them "
                       "or the vacancies where they were outscored."})
    training_recommendations = fields.Function(
        lambda run: run.result.get("training_recommendations", []))
    separation = fields.Function(lambda run: run.result.get("separation"))
    settings_snapshot = fields.Dict()


class AcceptArgs(Schema):
    start_date = EventDay(load_default=None, metadata={
        "description": "First working day; the later of today and the vacancy's start "
                       "when absent. Not after the inmate's release (R13)."})

    @validates("start_date")
    def _start(self, value: date | None, **_: object) -> None:
        _not_in_past(value)


class RejectArgs(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class BulkAcceptArgs(AcceptArgs):
    proposal_ids = fields.List(Id(), required=True,
                               validate=validate.Length(min=1, max=1000))


class BulkRejectArgs(RejectArgs):
    proposal_ids = fields.List(Id(), required=True,
                               validate=validate.Length(min=1, max=1000))


class OutcomeSchema(Schema):
    proposal_id = Id()
    status = fields.String(metadata={"description": "accepted, rejected or refused"})
    placement_id = Id(allow_none=True)
    message = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


class BulkResultSchema(Schema):
    accepted = fields.Integer()
    rejected = fields.Integer()
    refused = fields.Integer()
    results = fields.List(fields.Nested(OutcomeSchema))


class PlacementSchema(Schema):
    id = fields.Integer()
    inmate_id = Id()
    inmate_name = fields.Function(lambda p: p.inmate.full_name)
    vacancy_id = Id()
    vacancy_title = fields.Function(lambda p: p.vacancy.title)
    employer_name = fields.Function(lambda p: p.vacancy.employer.name)
    institution_id = Id()
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    end_reason = fields.Enum(EndReason, by_value=True, allow_none=True)
    end_note = fields.String()
    weekly_hours = fields.Integer()
    monthly_wage = fields.Integer()
    paid = fields.Boolean()
    proposal_id = Id(allow_none=True)


class PlacementQueryArgs(Schema):
    state = fields.String(load_default="current", validate=validate.OneOf(PLACEMENT_STATES))
    inmate_id = Id(load_default=None)
    vacancy_id = Id(load_default=None)
    q = fields.String(load_default="", validate=validate.Length(max=100))


class EndPlacementArgs(Schema):
    reason = fields.Enum(EndReason, by_value=True, required=True)
    end_date = EventDay(load_default=None, metadata={
        "description": "First day not worked; today when absent."})
    note = fields.String(load_default="", validate=validate.Length(max=500))


class VacancySchema(Schema):
    """A vacancy as the API returns it (no personal data of anybody)."""

    id = fields.Integer()
    employer_id = Id()
    institution = fields.Nested(InstitutionRefSchema)
    title = fields.String()
    trade = fields.Nested(TradeRefSchema)
    description = fields.String()
    site = fields.Enum(Site, by_value=True)
    positions = fields.Integer()
    filled = fields.Function(
        lambda vacancy: filled_count([vacancy.id], date.today()).get(vacancy.id, 0),
        metadata={"description": "Positions taken by current placements.", "type": "integer"})
    monthly_wage = fields.Integer()
    weekly_hours = fields.Integer()
    shift = fields.Enum(Shift, by_value=True)
    heavy_or_hazardous = fields.Boolean()
    women_barred = fields.Boolean()
    trainable_on_job = fields.Boolean()
    needs_long_stay = fields.Boolean()
    required_skills = fields.List(fields.Nested(TradeRefSchema))
    required_certificates = fields.List(fields.Nested(TradeRefSchema))
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    status = fields.Enum(VacancyStatus, by_value=True)
