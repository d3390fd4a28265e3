"""JSON API of match runs, proposals and placements (same rules as the pages).

Officers act on their own institution only; prosecutors and administrators
read (their scope); employers see their workers elsewhere (employers/).
"""


import sqlalchemy as sa
from flask_login import current_user

from app.core.api import Blueprint
from app.core.auth import READERS, get_in_scope_or_404, roles_required, scoped
from app.core.vocabulary import Role
from app.extensions import db
from app.institutions.models import Institution
from app.placements import operations, orders, security, suspensions
from app.placements.models import Placement, PlacementOrder
from app.placements.schemas import (
    AcceptArgs,
    BulkAcceptArgs,
    BulkRejectArgs,
    BulkResultSchema,
    EndPlacementArgs,
    HistoryEventSchema,
    MaxRiskLevelArgs,
    PlacementOrderSchema,
    PlacementQueryArgs,
    PlacementSchema,
    ProposalSchema,
    RejectArgs,
    ResumeArgs,
    RunDetailSchema,
    RunSchema,
    ScatteredCapArgs,
    StartRunArgs,
    SuspendArgs,
    SuspensionSchema,
    VacancySecuritySchema,
    WorkplaceSettingsSchema,
)
from app.vacancies.models import Vacancy
from policy.clock import today_in_kazakhstan

blp = Blueprint("placements_api", __name__, url_prefix="/api/placements",
                description="Match runs, proposals and placements (officers)")


def _page(query: sa.Select, pagination_parameters) -> list:
    pagination_parameters.item_count = db.session.scalar(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    return list(db.session.scalars(query.offset(pagination_parameters.first_item)
                                   .limit(pagination_parameters.page_size)))


# ---------------------------------------------------------------- runs


@blp.get("/runs")
@roles_required(*READERS)
@blp.response(200, RunSchema(many=True))
@blp.paginate()
def list_runs(pagination_parameters):
    """Match runs of the caller's scope, newest first."""
    return _page(operations.runs_query(), pagination_parameters)


@blp.post("/runs")
@roles_required(Role.OFFICER)
@blp.arguments(StartRunArgs)
@blp.response(201, RunDetailSchema)
def start_run(body):
    """Run the engine for the officer's institution and store the proposals."""
    institution = db.session.get(Institution, current_user.institution_id)
    run = operations.start_run(institution, current_user.id, body["as_of"])
    return operations.run_in_scope_or_404(run.id, with_proposals=True)


@blp.get("/runs/<int:run_id>")
@roles_required(*READERS)
@blp.response(200, RunDetailSchema)
def get_run(run_id: int):
    """A run with its proposals, unplaced inmates and training recommendations."""
    return operations.run_in_scope_or_404(run_id, with_proposals=True)


# ---------------------------------------------------------------- proposals


@blp.get("/proposals/<int:proposal_id>")
@roles_required(*READERS)
@blp.response(200, ProposalSchema)
def get_proposal(proposal_id: int):
    return operations.proposals_in_scope_or_404([proposal_id])[0]


@blp.post("/proposals/<int:proposal_id>/accept")
@roles_required(Role.OFFICER)
@blp.arguments(AcceptArgs)
@blp.response(201, PlacementSchema)
def accept(body, proposal_id: int):
    """Accept a proposal: every rule is re-checked on current data; a refusal
    (409 or 422) names the rule."""
    proposal = operations.proposals_in_scope_or_404([proposal_id])[0]
    placement = operations.accept_proposal(proposal, current_user.id, body["start_date"])
    return placement


@blp.post("/proposals/<int:proposal_id>/reject")
@roles_required(Role.OFFICER)
@blp.arguments(RejectArgs)
@blp.response(200, ProposalSchema)
def reject(body, proposal_id: int):
    proposal = operations.proposals_in_scope_or_404([proposal_id])[0]
    operations.reject_proposal(proposal, current_user.id, body["reason"])
    return proposal


def _bulk_result(outcomes: list[operations.Outcome]) -> dict:
    count = lambda status: sum(o.status == status for o in outcomes)  # noqa: E731
    return {"accepted": count("accepted"), "rejected": count("rejected"),
            "refused": count("refused"), "results": outcomes}


@blp.post("/proposals/accept")
@roles_required(Role.OFFICER)
@blp.arguments(BulkAcceptArgs)
@blp.response(200, BulkResultSchema)
def accept_many(body):
    """Accept several proposals; each is accepted or refused naming the rule."""
    proposals = operations.proposals_in_scope_or_404(body["proposal_ids"])
    outcomes = operations.accept_proposals(proposals, current_user.id, body["start_date"])
    return _bulk_result(outcomes)


@blp.post("/proposals/reject")
@roles_required(Role.OFFICER)
@blp.arguments(BulkRejectArgs)
@blp.response(200, BulkResultSchema)
def reject_many(body):
    proposals = operations.proposals_in_scope_or_404(body["proposal_ids"])
    outcomes = operations.reject_proposals(proposals, current_user.id, body["reason"])
    return _bulk_result(outcomes)


# ---------------------------------------------------------------- placements


@blp.get("/")
@roles_required(*READERS)
@blp.arguments(PlacementQueryArgs, location="query")
@blp.response(200, PlacementSchema(many=True))
@blp.paginate()
def list_placements(args, pagination_parameters):
    """Current (not ended) or past placements; history is never deleted (R19)."""
    query = operations.placements_query(scoped(Placement), args["state"],
                                        inmate_id=args["inmate_id"],
                                        vacancy_id=args["vacancy_id"], search=args["q"])
    return _page(query, pagination_parameters)


@blp.get("/<int:placement_id>")
@roles_required(*READERS)
@blp.response(200, PlacementSchema)
def get_placement(placement_id: int):
    return get_in_scope_or_404(Placement, placement_id)


@blp.get("/<int:placement_id>/orders")
@roles_required(*READERS)
@blp.response(200, PlacementOrderSchema(many=True))
def list_orders(placement_id: int):
    """The placement's orders as issued: the placement order, and the removal order once
    it ended. Reading issues nothing."""
    return orders.orders_of(get_in_scope_or_404(Placement, placement_id))


@blp.get("/orders/<int:order_id>")
@roles_required(*READERS)
@blp.response(200, PlacementOrderSchema)
def get_order(order_id: int):
    """One order as issued, within the caller's scope (R16)."""
    return get_in_scope_or_404(PlacementOrder, order_id)


@blp.post("/<int:placement_id>/end")
@roles_required(Role.OFFICER)
@blp.arguments(EndPlacementArgs)
@blp.response(200, PlacementSchema)
def end(body, placement_id: int):
    """End a placement with a reason and the first day not worked."""
    placement = get_in_scope_or_404(Placement, placement_id)
    operations.end_placement(placement, body["reason"], body["end_date"] or today_in_kazakhstan(),
                             body["note"])
    return placement


# ---------------------------------------------------------------- suspensions, history


@blp.get("/<int:placement_id>/suspensions")
@roles_required(*READERS)
@blp.response(200, SuspensionSchema(many=True))
def list_suspensions(placement_id: int):
    """The placement's suspensions, newest first."""
    placement = get_in_scope_or_404(Placement, placement_id)
    return suspensions.suspensions_of([placement.id]).get(placement.id, [])


@blp.post("/<int:placement_id>/suspensions")
@roles_required(Role.OFFICER)
@blp.arguments(SuspendArgs)
@blp.response(201, SuspensionSchema)
def suspend(body, placement_id: int):
    """Suspend a placement from a day (a sickness, a disciplinary cell, a court visit,
    other with a note), until the first day back or until resumed, without ending it:
    the person stays employed (R1) but is not on the unlock list while suspended.
    409 while another suspension covers those days."""
    placement = get_in_scope_or_404(Placement, placement_id)
    return suspensions.suspend(placement, body["reason"],
                               body["start_date"] or today_in_kazakhstan(), body["end_date"],
                               body["note"], current_user.id)


@blp.post("/<int:placement_id>/resume")
@roles_required(Role.OFFICER)
@blp.arguments(ResumeArgs)
@blp.response(200, SuspensionSchema)
def resume(body, placement_id: int):
    """Back at work from a day (today when absent): the suspension ends then (409 when
    the placement is not suspended)."""
    placement = get_in_scope_or_404(Placement, placement_id)
    return suspensions.resume(placement, body["on"] or today_in_kazakhstan())


@blp.get("/vacancies/<int:vacancy_id>/history")
@roles_required(*READERS)
@blp.response(200, HistoryEventSchema(many=True))
@blp.paginate()
def history(vacancy_id: int, pagination_parameters):
    """A workshop's allocation history: every placement that started or ended there,
    every suspension and return to work, with days and reasons, newest first."""
    vacancy = get_in_scope_or_404(Vacancy, vacancy_id)
    query = suspensions.history_query(vacancy.id)
    pagination_parameters.item_count = db.session.scalar(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    return suspensions.history_rows(query.offset(pagination_parameters.first_item)
                                    .limit(pagination_parameters.page_size))


# ---------------------------------------------------------------- R28, R29: workplace security


@blp.get("/workplaces")
@roles_required(Role.OFFICER)
@blp.response(200, WorkplaceSettingsSchema)
def workplaces():
    """The institution's risk scale, its cap of flagged persons per workplace and shift
    (R29) and each published vacancy's highest risk level (R28)."""
    return security.workplace_settings(db.session.get(Institution, current_user.institution_id))


@blp.put("/vacancies/<int:vacancy_id>/max-risk-level")
@roles_required(Role.OFFICER)
@blp.arguments(MaxRiskLevelArgs)
@blp.response(200, VacancySecuritySchema)
def set_max_risk_level(values, vacancy_id: int):
    """Set the highest risk level a vacancy of the institution may take (R28; null: no
    limit). Refused (422) for a level not on the scale, and (409) while a current worker
    is above it."""
    vacancy = get_in_scope_or_404(Vacancy, vacancy_id)
    return security.set_max_risk_level(vacancy, values["max_risk_level"])


@blp.put("/scattered-cap")
@roles_required(Role.OFFICER)
@blp.arguments(ScatteredCapArgs)
@blp.response(200, WorkplaceSettingsSchema)
def set_scattered_cap(values):
    """The institution's own cap of flagged persons per workplace and shift (R29; null:
    the year's setting)."""
    institution = db.session.get(Institution, current_user.institution_id)
    security.set_scattered_cap(institution, values["scattered_cap"])
    return security.workplace_settings(institution)
