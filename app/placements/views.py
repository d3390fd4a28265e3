"""Pages of match runs, proposals and placements (thin: the logic is in operations)."""

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from app.core.auth import READERS, get_in_scope_or_404, roles_required, scoped
from app.core.errors import RuleViolation
from app.core.forms import attach_errors, check_answers, confirmed, rehearse
from app.core.pagination import ListPage, page_number
from app.core.templating import format_day
from app.core.transactions import discard_changes
from app.core.vocabulary import EndReason, OrderKind, ProposalStatus, Role, SuspensionReason
from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.placements import jobs as placement_jobs
from app.placements import operations, orders, security, suspensions
from app.placements.forms import (
    AcceptForm,
    BulkDecisionForm,
    EndPlacementForm,
    PlacementFilterForm,
    RejectForm,
    ResumeForm,
    StartRunForm,
    SuspendForm,
)
from app.placements.models import MatchRun, Placement, PlacementOrder, Proposal
from app.placements.schemas import visible_unplaced
from app.training.models import Course
from app.vacancies.models import Vacancy
from policy.clock import today_in_kazakhstan

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


@bp.post("/runs/institutions")
@roles_required(Role.ADMIN)
def start_runs():
    """A run for every institution (or the ``institution_id`` values posted) as one
    job (app/placements/jobs.py); its page shows each institution as it is run."""
    if not StartRunForm().validate_on_submit():
        return redirect(url_for("placements.runs"))
    wanted = sorted({int(value) for value in request.form.getlist("institution_id")
                     if value.isdigit()})
    if wanted and len(db.session.scalars(sa.select(Institution.id).where(
            Institution.id.in_(wanted))).all()) != len(wanted):
        abort(404)  # an institution that is not there
    job = placement_jobs.submit_runs(current_user, wanted, str(get_locale()))
    return redirect(url_for("jobs.show", job_id=job.id))


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
    rows = [u for u in visible_unplaced(match_run.result["unplaced"])
            if not reason or u["reason"] == reason]
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
        if form.action.data == "accept" and not confirmed():
            return _check_accept(match_run, proposals, form)
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


def _check_accept(match_run: MatchRun, proposals: list[Proposal],
                  form: BulkDecisionForm) -> str:
    """Check your answers before accepting proposals: the acceptance is rehearsed
    (and undone), so the page names who starts where on which day, and whom the
    rules would refuse and why, before anything is written."""
    by_id = {p.id: p for p in proposals}

    def accepting() -> list[tuple[bool, list[str]]]:
        outcomes = operations.accept_proposals(proposals, current_user.id,
                                               form.start_date.data)
        return [(o.placement_id is not None, [
            by_id[o.proposal_id].inmate.full_name, by_id[o.proposal_id].vacancy.title,
            by_id[o.proposal_id].vacancy.employer.name,
            format_day(db.session.get(Placement, o.placement_id).start_date)
            if o.placement_id else _("not accepted: %(why)s", why=o.message)])
            for o in outcomes]

    rows = rehearse(accepting)
    starting = sum(accepted for accepted, _row in rows)
    return check_answers(
        _("Check before accepting %(n)s proposals", n=len(rows)),
        [_("%(n)s placements start on the days shown: the workers count as placed, their "
           "employers see them and their timesheets open.", n=starting),
         _("An accepted proposal is not undone: a placement that should not go ahead is "
           "ended, and stays in the history (R19)."),
         *([_("The rules refuse the others (see the list): they stay pending.")]
           if starting < len(rows) else [])],
        _("Accept %(n)s proposals", n=starting),
        url_for("placements.run", run_id=match_run.id),
        table=([_("Worker"), _("Vacancy"), _("Employer"), _("Start date")],
               [row for _accepted, row in rows]))


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
                           reject_form=reject_form or RejectForm(),
                           today=today_in_kazakhstan()), status


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
    return render_template("placements/index.html", page=page, form=form,
                           today=today_in_kazakhstan(),
                           orders=orders.listed([p.id for p in page.items]))


@bp.route("/<int:placement_id>/end", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def end(placement_id: int):
    """GET: the form; POST: the officer's answers are checked (every refusal at once),
    then shown on a check-your-answers page; its button (``confirmed``) ends it."""
    placement = get_in_scope_or_404(Placement, placement_id)
    form = EndPlacementForm()
    if form.validate_on_submit():
        def ending() -> None:
            operations.end_placement(placement, EndReason(form.reason.data),
                                     form.end_date.data, form.note.data or "")
        try:
            if not confirmed():
                rehearse(ending)
                return _check_end(get_in_scope_or_404(Placement, placement_id), form)
            ending()
        except RuleViolation as error:
            discard_changes()
            attach_errors(form, error.errors)
            placement = get_in_scope_or_404(Placement, placement_id)
            return render_template("placements/end.html", placement=placement,
                                   form=form), error.status_code
        flash(_("Placement ended."), "success")
        return redirect(url_for("placements.index"))
    status = 422 if form.errors else 200
    return render_template("placements/end.html", placement=placement, form=form), status


# ---------------------------------------------------------------- suspensions, history


def _suspensions_page(placement: Placement, form: SuspendForm | None = None,
                      resume_form: ResumeForm | None = None, status: int = 200):
    today = today_in_kazakhstan()
    if form is None:
        form = SuspendForm(formdata=None, start_date=today)
    if resume_form is None:
        resume_form = ResumeForm(formdata=None, on=today)
    return render_template(
        "placements/suspensions.html", placement=placement, form=form,
        resume_form=resume_form, current=suspensions.current_suspension(placement, today),
        suspensions=suspensions.suspensions_of([placement.id]).get(placement.id, []),
        may_change=current_user.role == Role.OFFICER and placement.end_date is None,
        orders=orders.listed([placement.id]).get(placement.id, [])), status


@bp.get("/<int:placement_id>/suspensions")
@roles_required(*READERS)
def suspensions_page(placement_id: int):
    """The placement's suspensions; an officer suspends or resumes it here."""
    return _suspensions_page(get_in_scope_or_404(Placement, placement_id))


@bp.post("/<int:placement_id>/suspensions")
@roles_required(Role.OFFICER)
def suspend(placement_id: int):
    placement = get_in_scope_or_404(Placement, placement_id)
    form = SuspendForm()
    if not form.validate_on_submit():
        return _suspensions_page(placement, form, status=422)
    try:
        suspensions.suspend(placement, SuspensionReason(form.reason.data), form.start_date.data,
                            form.end_date.data, form.note.data or "", current_user.id)
    except RuleViolation as error:
        discard_changes()
        attach_errors(form, error.errors)
        return _suspensions_page(get_in_scope_or_404(Placement, placement_id), form,
                                 status=error.status_code)
    flash(_("Placement suspended."), "success")
    return redirect(url_for(".suspensions_page", placement_id=placement_id))


@bp.post("/<int:placement_id>/resume")
@roles_required(Role.OFFICER)
def resume(placement_id: int):
    placement = get_in_scope_or_404(Placement, placement_id)
    form = ResumeForm()
    if not form.validate_on_submit():
        return _suspensions_page(placement, resume_form=form, status=422)
    try:
        suspensions.resume(placement, form.on.data)
    except RuleViolation as error:
        discard_changes()
        attach_errors(form, {"on" if error.field == "placement" else error.field:
                             [error.message]})
        return _suspensions_page(get_in_scope_or_404(Placement, placement_id),
                                 resume_form=form, status=error.status_code)
    flash(_("Back at work from %(day)s.", day=format_day(form.on.data)), "success")
    return redirect(url_for(".suspensions_page", placement_id=placement_id))


@bp.get("/vacancies/<int:vacancy_id>/history")
@roles_required(*READERS)
def history(vacancy_id: int):
    """A workshop's allocation history, newest first."""
    vacancy = get_in_scope_or_404(Vacancy, vacancy_id)
    query = suspensions.history_query(vacancy.id)
    number = page_number()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(
        query.order_by(None).subquery()))
    rows = suspensions.history_rows(query.offset((number - 1) * PER_PAGE).limit(PER_PAGE))
    return render_template("placements/history.html", vacancy=vacancy,
                           page=ListPage(rows, number, total, PER_PAGE))


# ---------------------------------------------------------------- R28, R29: workplace security


@bp.get("/workplaces")
@roles_required(Role.OFFICER)
def workplaces():
    """The institution's vacancies with their highest risk level (R28) and its cap of
    flagged persons per workplace and shift (R29)."""
    institution = db.session.get(Institution, current_user.institution_id)
    return render_template("placements/workplaces.html",
                           settings=security.workplace_settings(institution))


@bp.post("/vacancies/<int:vacancy_id>/max-risk-level")
@roles_required(Role.OFFICER)
def set_max_risk_level(vacancy_id: int):
    vacancy = get_in_scope_or_404(Vacancy, vacancy_id)
    level = request.form.get("max_risk_level") or None
    try:
        security.set_max_risk_level(vacancy, level)
    except RuleViolation as error:
        _refused(error)
    else:
        flash(_("Highest risk level saved for %(title)s.", title=vacancy.title), "success")
    return redirect(url_for("placements.workplaces"))


@bp.post("/scattered-cap")
@roles_required(Role.OFFICER)
def set_scattered_cap():
    institution = db.session.get(Institution, current_user.institution_id)
    raw = (request.form.get("scattered_cap") or "").strip()
    try:
        if raw and not raw.isdigit():
            raise RuleViolation("scattered_cap", _("Enter a whole number, or leave it empty."))
        security.set_scattered_cap(institution, int(raw) if raw else None)
    except RuleViolation as error:
        _refused(error)
    else:
        flash(_("Cap saved."), "success")
    return redirect(url_for("placements.workplaces"))


def _check_end(placement: Placement, form: EndPlacementForm) -> str:
    """Check your answers before ending a placement: who stops working where, from
    which day, and that it is not undone."""
    end_date = form.end_date.data
    worker, vacancy = placement.inmate.full_name, placement.vacancy
    return check_answers(
        _("Check before ending the placement"),
        [_("%(worker)s stops working in %(vacancy)s (%(employer)s): %(last)s is the last "
           "working day.", worker=worker, vacancy=vacancy.title, employer=vacancy.employer.name,
           last=format_day(end_date - timedelta(days=1))),
         _("Timesheets take hours only on the days before %(day)s; the employer sees the "
           "worker leave.", day=format_day(end_date)),
         _("An ended placement is not reopened: it stays in the history (R19); working "
           "there again needs a new placement.")],
        _("End the placement"), url_for("placements.end", placement_id=placement.id),
        answers=[(_("Worker"), worker), (_("Vacancy"), vacancy.title),
                 (_("Started"), format_day(placement.start_date)),
                 (form.reason.label.text, dict(form.reason.choices)[form.reason.data]),
                 (form.end_date.label.text, format_day(end_date)),
                 (form.note.label.text, form.note.data)])


# ---------------------------------------------------------------- printed orders


@bp.get("/<int:placement_id>/order")
@roles_required(*READERS)
def order(placement_id: int):
    """The placement order as issued, as officers print and sign it: one A4 page."""
    placement = get_in_scope_or_404(Placement, placement_id)
    return _order_page(orders.order_of(placement, OrderKind.PLACEMENT))


@bp.get("/<int:placement_id>/removal-order")
@roles_required(*READERS)
def removal_order(placement_id: int):
    """The removal order of an ended placement, as issued (404 while it runs)."""
    placement = get_in_scope_or_404(Placement, placement_id)
    if placement.end_date is None:
        abort(404)
    return _order_page(orders.order_of(placement, OrderKind.REMOVAL))


def _order_page(issued: PlacementOrder) -> str:
    """The order's text from the facts it stored, in the language it was issued in or
    the one asked for (``?lang=kk``, ``ru``, ``en``); the page around it stays in the
    reader's language."""
    language = request.args.get("lang", "")
    if language not in orders.LANGUAGES:
        language = issued.language
    with force_locale(language):
        text = Markup(render_template("placements/_order.html", o=issued, language=language))
    return render_template("placements/order.html", o=issued, text=text, language=language)
