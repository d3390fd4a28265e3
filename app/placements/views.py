"""Pages of match runs, proposals and placements (thin: the logic is in operations)."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from app.core.auth import READERS, get_in_scope_or_404, roles_required, scoped
from app.core.errors import RuleViolation
from app.core.pagination import ListPage, page_number
from app.core.templating import format_day
from app.core.transactions import discard_changes
from app.core.vocabulary import EndReason, ProposalStatus, Role
from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.placements import operations
from app.placements.forms import (
    AcceptForm,
    BulkDecisionForm,
    EndPlacementForm,
    PlacementFilterForm,
    RejectForm,
    StartRunForm,
)
from app.placements.models import MatchRun, Placement, Proposal
from app.training.models import Course
from app.vacancies.models import Vacancy

bp = Blueprint("placements", __name__, url_prefix="/placements", template_folder="templates")

PER_PAGE = 50


def _refused(error: RuleViolation) -> None:
    """Undo the refused work now (the page goes back with a redirect, or is shown
    again with the current data) and say why."""
    discard_changes()
    flash(error.message, "error")


# ---------------------------------------------------------------- runs


@bp.get("/runs")
@roles_required(*READERS)
def runs():
    page = db.paginate(operations.runs_query(), page=page_number(), per_page=20,
                       error_out=False)
    counts = operations.proposal_counts(run.id for run in page.items)
    return render_template("placements/runs.html", page=page, counts=counts,
                           form=StartRunForm())


@bp.post("/runs")
@roles_required(Role.OFFICER)
def start_run():
    if not StartRunForm().validate_on_submit():
        return redirect(url_for("placements.runs"))
    institution = db.session.get(Institution, current_user.institution_id)
    run = operations.start_run(institution, current_user.id)
    flash(_("Match run finished: %(n)s proposals.", n=len(run.result["proposals"])), "success")
    return redirect(url_for("placements.run", run_id=run.id))


def _names(model: Any, ids: list[int], label: Any) -> dict[int, Any]:
    if not ids:
        return {}
    return {row.id: label(row) for row in db.session.scalars(sa.select(model)
                                                             .where(model.id.in_(ids)))}


@bp.get("/runs/<int:run_id>")
@roles_required(*READERS)
def run(run_id: int):
    return _run_page(operations.run_in_scope_or_404(run_id), BulkDecisionForm())


def _run_page(match_run: MatchRun, form: BulkDecisionForm, status_code: int = 200):
    """The run, its proposals and the bulk form (422: shown again with its problems)."""
    status = request.args.get("status", "pending")
    query = sa.select(Proposal).where(Proposal.run_id == match_run.id).options(
        selectinload(Proposal.inmate), selectinload(Proposal.vacancy).selectinload(
            Vacancy.employer))
    if status in {s.value for s in ProposalStatus}:
        query = query.where(Proposal.status == status)
    page = db.paginate(query.order_by(Proposal.score.desc(), Proposal.id), page=page_number(),
                       per_page=PER_PAGE, error_out=False)
    result = match_run.result
    courses = _names(Course, [int(r["course_id"]) for r in result["training_recommendations"]],
                     lambda c: c.title)
    return render_template(
        "placements/run.html", run=match_run, result=result, page=page, status=status,
        counts=operations.proposal_counts([match_run.id]).get(match_run.id, {}),
        courses=courses, form=form,
    ), status_code


@bp.get("/runs/<int:run_id>/unplaced")
@roles_required(*READERS)
def unplaced(run_id: int):
    match_run = operations.run_in_scope_or_404(run_id)
    reason = request.args.get("reason", "")
    rows = [u for u in match_run.result["unplaced"] if not reason or u["reason"] == reason]
    page = ListPage.of(rows, page_number(), PER_PAGE)
    inmates = _names(Inmate, [int(u["inmate_id"]) for u in page.items], lambda i: i)
    vacancy_ids = {int(o["vacancy_id"]) for u in page.items for o in u["outscored_by"]}
    vacancies = _names(Vacancy, list(vacancy_ids), lambda v: v)
    return render_template("placements/unplaced.html", run=match_run, page=page,
                           inmates=inmates, vacancies=vacancies, reason=reason)


@bp.post("/runs/<int:run_id>/decide")
@roles_required(Role.OFFICER)
def decide(run_id: int):
    """Accept or reject the selected proposals of a run; a refused form comes back
    with every problem listed at once."""
    match_run = operations.run_in_scope_or_404(run_id)
    form = BulkDecisionForm()
    if not form.validate_on_submit():
        return _run_page(match_run, form, 422)
    proposals = operations.proposals_in_scope_or_404(form.proposal_ids.data)
    if any(p.run_id != run_id for p in proposals):
        form.proposal_ids.errors = [_("Select proposals of this run.")]
        return _run_page(match_run, form, 422)
    try:
        if form.action.data == "accept":
            outcomes = operations.accept_proposals(proposals, current_user.id,
                                                   form.start_date.data)
        else:
            outcomes = operations.reject_proposals(proposals, current_user.id,
                                                   form.reason.data or "")
    except RuleViolation as error:
        _refused(error)
        return redirect(url_for("placements.run", run_id=run_id))
    _flash_outcomes(outcomes, {p.id: p for p in proposals})
    return redirect(url_for("placements.run", run_id=run_id))


def _flash_outcomes(outcomes: list[operations.Outcome], proposals: dict[int, Any]) -> None:
    """Who was decided and, for each refusal, whose and why, by name (not by number)."""
    done = [proposals[o.proposal_id] for o in outcomes if o.status != "refused"]
    if done:
        flash(_("Decided (%(n)s): %(names)s.", n=len(done),
                names=", ".join(p.inmate.full_name for p in done)), "success")
    for outcome in outcomes:
        if outcome.status == "refused":
            proposal_ = proposals[outcome.proposal_id]
            flash(_("%(name)s for %(vacancy)s not decided: %(why)s",
                    name=proposal_.inmate.full_name, vacancy=proposal_.vacancy.title,
                    why=outcome.message), "error")


# ---------------------------------------------------------------- one proposal


def _proposal_page(proposal: Proposal, accept_form: AcceptForm | None = None,
                   reject_form: RejectForm | None = None, status: int = 200):
    return render_template("placements/proposal.html", proposal=proposal,
                           accept_form=accept_form or AcceptForm(),
                           reject_form=reject_form or RejectForm(), today=date.today()), status


@bp.get("/proposals/<int:proposal_id>")
@roles_required(*READERS)
def proposal(proposal_id: int):
    return _proposal_page(operations.proposals_in_scope_or_404([proposal_id])[0])


@bp.post("/proposals/<int:proposal_id>/accept")
@roles_required(Role.OFFICER)
def accept(proposal_id: int):
    proposal_ = operations.proposals_in_scope_or_404([proposal_id])[0]
    form = AcceptForm()
    if not form.validate_on_submit():
        return _proposal_page(proposal_, accept_form=form, status=422)
    try:
        placement = operations.accept_proposal(proposal_, current_user.id, form.start_date.data)
    except RuleViolation as error:
        _refused(error)
        if "start_date" in error.errors:
            form.start_date.errors = list(error.errors["start_date"])
        proposal_ = operations.proposals_in_scope_or_404([proposal_id])[0]
        return _proposal_page(proposal_, accept_form=form, status=error.status_code)
    flash(_("%(name)s starts work in %(vacancy)s on %(day)s.", name=proposal_.inmate.full_name,
            vacancy=proposal_.vacancy.title, day=format_day(placement.start_date)), "success")
    return redirect(url_for("placements.run", run_id=proposal_.run_id))


@bp.post("/proposals/<int:proposal_id>/reject")
@roles_required(Role.OFFICER)
def reject(proposal_id: int):
    proposal_ = operations.proposals_in_scope_or_404([proposal_id])[0]
    form = RejectForm()
    if not form.validate_on_submit():
        return _proposal_page(proposal_, reject_form=form, status=422)
    try:
        operations.reject_proposal(proposal_, current_user.id, form.reason.data)
    except RuleViolation as error:
        _refused(error)
        proposal_ = operations.proposals_in_scope_or_404([proposal_id])[0]
        return _proposal_page(proposal_, reject_form=form, status=error.status_code)
    flash(_("Proposal rejected."), "success")
    return redirect(url_for("placements.run", run_id=proposal_.run_id))


# ---------------------------------------------------------------- placements


@bp.get("/")
@roles_required(*READERS)
def index():
    form = PlacementFilterForm(request.args)
    state = form.state.data if form.state.data in ("current", "past", "all") else "current"
    query = operations.placements_query(scoped(Placement), state, search=form.q.data or "",
                                        vacancy_id=request.args.get("vacancy_id", type=int),
                                        inmate_id=request.args.get("inmate_id", type=int))
    query = query.options(selectinload(Placement.inmate),
                          selectinload(Placement.vacancy).selectinload(Vacancy.employer))
    page = db.paginate(query, page=page_number(), per_page=PER_PAGE, error_out=False)
    return render_template("placements/index.html", page=page, form=form, today=date.today())


@bp.route("/<int:placement_id>/end", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def end(placement_id: int):
    placement = get_in_scope_or_404(Placement, placement_id)
    form = EndPlacementForm()
    if form.validate_on_submit():
        try:
            operations.end_placement(placement, EndReason(form.reason.data),
                                     form.end_date.data, form.note.data or "")
        except RuleViolation as error:
            discard_changes()
            target = getattr(form, error.field, None)
            if target is not None:
                target.errors = [error.message]
            else:
                form.form_errors.append(error.message)
            placement = get_in_scope_or_404(Placement, placement_id)
            return render_template("placements/end.html", placement=placement,
                                   form=form), error.status_code
        flash(_("Placement ended."), "success")
        return redirect(url_for("placements.index"))
    status = 422 if form.errors else 200
    return render_template("placements/end.html", placement=placement, form=form), status
