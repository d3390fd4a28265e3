"""The JSON API contract of match runs, proposals and placements, and of a vacancy
with the positions its placements fill."""

from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates

from app.core.fields import Id, Integer, UtcDateTime
from app.core.plausible import EventDay
from app.core.vocabulary import (
    PLACEMENT_END_DATE,
    EndReason,
    OrderKind,
    ProposalStatus,
    Shift,
    Site,
    SuspensionReason,
    VacancyStatus,
)
from app.inmates.rules import without_restricted
from app.placements.staffing import filled_count
from app.vacancies.schemas import InstitutionRefSchema, TradeRefSchema
from policy.clock import today_in_kazakhstan

PLACEMENT_STATES = ("current", "past", "all")


def _not_in_past(value: date | None) -> None:
    if value is not None and value < today_in_kazakhstan():
        raise ValidationError(_("must not be in the past"))


class StartRunArgs(Schema):
    as_of = fields.Date(load_default=None, metadata={
        "description": "The day the run is for; today when absent."})

    @validates("as_of")
    def _as_of(self, value: date | None, **_: object) -> None:
        _not_in_past(value)


class ProposalSchema(Schema):
    id = Integer()
    run_id = Id()
    inmate_id = Id()
    inmate_name = fields.Function(lambda p: p.inmate.full_name)
    vacancy_id = Id()
    vacancy_title = fields.Function(lambda p: p.vacancy.title)
    score = Integer()
    score_parts = fields.Dict(keys=fields.String(), values=Integer())
    status = fields.Enum(ProposalStatus, by_value=True)
    decided_by_id = Id(allow_none=True)
    decided_at = UtcDateTime(allow_none=True)
    rejection_reason = fields.String()


class RunSchema(Schema):
    id = Integer()
    institution_id = Id()
    as_of = fields.Date()
    created_at = UtcDateTime()
    started_by_id = Id(allow_none=True)
    duration_ms = Integer()
    summary = fields.Function(lambda run: run.result.get("summary"), metadata={
        "description": "Held, able to work, employed today (R1), committed (able, with "
                       "an accepted paid placement that starts later: placed in every "
                       "projection, never proposed again), proposed, projected rate "
                       "((employed + committed + newly proposed) / able; of all held: the "
                       "same people / held), target "
                       "and shortfall (the workshops that would close it: "
                       "GET /api/planner/runs/{run_id}); proven_optimal is false when the "
                       "separation (R14) search ran out of its budget (a valid answer, "
                       "more may be placeable)."})


def visible_unplaced(entries: list[Any]) -> list[Any]:
    """The unplaced as the reader may see them: R29's reasons only for those who may see
    the scattered model's flag."""
    return [entry | {"barred_by": without_restricted(entry.get("barred_by") or [])}
            if isinstance(entry, dict) else entry for entry in entries]


class RunDetailSchema(RunSchema):
    proposals = fields.List(fields.Nested(ProposalSchema))
    unplaced = fields.Function(lambda run: visible_unplaced(run.result.get("unplaced", [])),
                               metadata={
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
    accepted = Integer()
    rejected = Integer()
    refused = Integer()
    results = fields.List(fields.Nested(OutcomeSchema))


class PlacementSchema(Schema):
    id = Integer()
    inmate_id = Id()
    inmate_name = fields.Function(lambda p: p.inmate.full_name)
    vacancy_id = Id()
    vacancy_title = fields.Function(lambda p: p.vacancy.title)
    employer_name = fields.Function(lambda p: p.vacancy.employer.name)
    institution_id = Id()
    start_date = fields.Date(metadata={"description": "The first day worked."})
    end_date = fields.Date(allow_none=True, metadata={"description": PLACEMENT_END_DATE})
    end_reason = fields.Enum(EndReason, by_value=True, allow_none=True)
    end_note = fields.String()
    weekly_hours = Integer()
    monthly_wage = Integer()
    paid = fields.Boolean()
    proposal_id = Id(allow_none=True)


class PlacementOrderSchema(Schema):
    """An order as issued (docs/paperless.md "Printed orders")."""

    id = Integer()
    placement_id = Id()
    institution_id = Id()
    kind = fields.Enum(OrderKind, by_value=True, metadata={
        "description": "placement: issued when the placement was made; removal: when it "
                       "ended."})
    number = fields.String(metadata={
        "description": "<institution code>/<year>/<n>: one sequence per institution and "
                       "year, never reused."})
    year = Integer()
    sequence = Integer()
    issued_on = fields.Date()
    language = fields.String(metadata={"description": "The language it was issued in "
                                                      "(kk, ru or en)."})
    facts = fields.Dict(metadata={
        "description": "What its text says, as on the day it was issued: institution, "
                       "person, employer, vacancy, trade (in every language), site, shift, "
                       "weekly_hours, monthly_wage, start_date, officer; a removal order "
                       "also end_date, last_working_day, end_reason, end_note."})
    issued_by_id = Id(allow_none=True)
    print_url = fields.Function(lambda o: url_for(
        "placements.order" if o.kind == OrderKind.PLACEMENT else "placements.removal_order",
        placement_id=o.placement_id), metadata={"description": "The printable page."})


class PlacementQueryArgs(Schema):
    state = fields.String(load_default="current", validate=validate.OneOf(PLACEMENT_STATES))
    inmate_id = Id(load_default=None)
    vacancy_id = Id(load_default=None)
    q = fields.String(load_default="", validate=validate.Length(max=100))


class EndPlacementArgs(Schema):
    reason = fields.Enum(EndReason, by_value=True, required=True)
    end_date = EventDay(load_default=None, metadata={
        "description": "The first day without work (the last day worked is the day "
                       "before); today when absent, so that today is not worked."})
    note = fields.String(load_default="", validate=validate.Length(max=500))


SUSPENSION_END_DATE = ("The first day back at work: the suspension is no longer in force "
                       "on this day. Null: until resumed.")


class SuspendArgs(Schema):
    reason = fields.Enum(SuspensionReason, by_value=True, required=True)
    start_date = EventDay(load_default=None, metadata={
        "description": "The first day off work; today when absent."})
    end_date = EventDay(load_default=None, metadata={"description": SUSPENSION_END_DATE})
    note = fields.String(load_default="", validate=validate.Length(max=500), metadata={
        "description": "Required when the reason is \"other\"."})


class ResumeArgs(Schema):
    on = EventDay(load_default=None, metadata={
        "description": "The first day back at work; today when absent."})


class SuspensionSchema(Schema):
    id = Integer()
    placement_id = Id()
    vacancy_id = Id()
    reason = fields.Enum(SuspensionReason, by_value=True)
    note = fields.String()
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True, metadata={"description": SUSPENSION_END_DATE})
    created_by_id = Id(allow_none=True)
    created_at = UtcDateTime()


class HistoryEventSchema(Schema):
    """One event of a workshop's allocation history."""

    event = fields.String(metadata={"description": "started, ended, suspended or resumed"})
    day = fields.Date(metadata={"description": "The day of the event: a start, the first day "
                                               "without work, the first day off or back."})
    placement_id = Id()
    inmate_id = Id()
    inmate_name = fields.String()
    reason = fields.String(allow_none=True, metadata={
        "description": "An ending's reason or a suspension's; null otherwise."})
    note = fields.String()
    until = fields.Date(allow_none=True, metadata={"description": "A suspension's end date: "
                                                   + SUSPENSION_END_DATE})


class VacancySchema(Schema):
    """A vacancy as the API returns it (no personal data of anybody)."""

    id = Integer()
    employer_id = Id()
    institution = fields.Nested(InstitutionRefSchema)
    title = fields.String()
    trade = fields.Nested(TradeRefSchema)
    description = fields.String()
    site = fields.Enum(Site, by_value=True)
    positions = Integer()
    filled = fields.Function(
        lambda vacancy: filled_count([vacancy.id], today_in_kazakhstan()).get(vacancy.id, 0),
        metadata={"description": "Positions taken by current placements.", "type": "integer"})
    monthly_wage = Integer()
    weekly_hours = Integer()
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


# ---------------------------------------------------------------- R28, R29 settings


class MaxRiskLevelArgs(Schema):
    max_risk_level = fields.String(required=True, allow_none=True, metadata={
        "description": "a level of the year's scale, or null for no limit (R28)"})


class VacancySecuritySchema(Schema):
    id = Integer()
    title = fields.String()
    site = fields.String()
    shift = fields.String()
    max_risk_level = fields.String(allow_none=True)


class ScatteredCapArgs(Schema):
    scattered_cap = Integer(required=True, allow_none=True,
                                   validate=validate.Range(min=0, max=100), metadata={
        "description": "flagged persons a workplace and shift takes at most (R29); null: "
                       "the year's setting"})


class WorkplaceSettingsSchema(Schema):
    levels = fields.List(fields.String())
    year_cap = Integer()
    cap = Integer()
    vacancies = fields.List(fields.Nested(VacancySecuritySchema))
