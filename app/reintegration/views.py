"""Release and reintegration pages: release plans (officers change, prosecutors
read), the partner organisations' worklist (R21), oversight, and the
administrators' register of partner organisations.

Pages load their forms with the API's marshmallow schemas and call one
operation; a refusal re-shows the page with 422 and nothing is written."""

from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, ValidationError
from werkzeug.datastructures import MultiDict

from app.core.auth import READERS, roles_required, scope_clause
from app.core.charts import Point, line_chart
from app.core.errors import RuleViolation
from app.core.forms import (
    attach_errors,
    check_answers,
    confirmed,
    form_status,
    rehearse,
    submit_form,
)
from app.core.i18n import translate_messages
from app.core.signals import answers, release_plan_panels
from app.core.tables import download, write_table
from app.core.templating import format_day
from app.core.transactions import discard_changes
from app.core.vocabulary import (
    DECIDED_PART_STATUSES,
    OUTCOME_MONTHS,
    PartnerKind,
    PartStatus,
    PlanPartKind,
    Role,
    Situation,
)
from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Region
from app.reintegration import access, outside_jobs
from app.reintegration import operations as ops
from app.reintegration.forms import AnswerNoForm, OutsideJobForm
from app.reintegration.labels import (
    AGREEMENT_LABELS,
    ANSWER_BUTTONS,
    ANSWER_LABELS,
    FIT_LABELS,
    PART_LABELS,
    SITUATION_LABELS,
    TASK_LABELS,
    TREND_LABELS,
)
from app.reintegration.models import (
    JobAnswer,
    OutsideJob,
    PartnerOrganisation,
    PlanPart,
    ReleasePlan,
)
from app.reintegration.oversight import TREND_SHARES, may_oversee, oversight, trends
from app.reintegration.schemas import (
    ArrangedInSchema,
    DeclineInSchema,
    InterviewInSchema,
    MessageInSchema,
    OutcomeInSchema,
    OutsideJobInSchema,
    OversightArgsSchema,
    PartInSchema,
    PartnerInSchema,
    PartnerUserInSchema,
    PlanInSchema,
    ReferInSchema,
    ReintegrationTrendArgsSchema,
    SettingsInSchema,
)
from policy.clock import today_in_kazakhstan

plans = Blueprint("release_plans", __name__, url_prefix="/release-plans",
                  template_folder="templates")
partner = Blueprint("partner", __name__, url_prefix="/partner", template_folder="templates")
overseers = Blueprint("reintegration_monitoring", __name__,
                      url_prefix="/monitoring/reintegration", template_folder="templates")
partners_admin = Blueprint("partners_admin", __name__, url_prefix="/admin/partners",
                           template_folder="templates")
jobs = Blueprint("outside_jobs", __name__, url_prefix="/outside-jobs",
                 template_folder="templates")
BLUEPRINTS = (plans, partner, overseers, partners_admin, jobs)


@plans.app_context_processor
def _labels() -> dict[str, Any]:
    return {"part_labels": PART_LABELS, "situation_labels": SITUATION_LABELS,
            "fit_labels": FIT_LABELS, "answer_labels": ANSWER_LABELS,
            "answer_buttons": ANSWER_BUTTONS, "task_labels": TASK_LABELS,
            "agreement_labels": AGREEMENT_LABELS}


def _load(schema: Schema, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """The posted form loaded by ``schema`` (fields in ``lists`` may repeat)."""
    raw: dict[str, Any] = {k: v for k, v in request.form.items()
                           if k in schema.fields and k not in lists and v != ""}
    for name in lists:
        raw[name] = [v for v in request.form.getlist(name) if v != ""]
    return schema.load(raw)


def _act(action: Callable[[], Any], done: str, back: str, render: Callable[..., Any],
         ask: Callable[[Any], str] | None = None):
    """Run ``action``; on success flash ``done`` and go ``back``; on a refusal
    roll back and re-show the page with the messages and 422. With ``ask``, what
    cannot be undone: the action is rehearsed first (a refusal as before) and
    ``ask(what it returned)`` is the check-your-answers page, until confirmed."""
    try:
        if ask is not None and not confirmed():
            return ask(rehearse(action))
        action()
    except (ValidationError, RuleViolation) as error:  # 422: the request rolls back
        messages = error.messages if isinstance(error, ValidationError) else error.errors
        return render(errors=translate_messages(messages)), 422
    flash(done, "success")
    return redirect(back)


# --- release plans (institutions) ---------------------------------------------------------

@plans.get("/")
@roles_required(*READERS)
def index():
    today = today_in_kazakhstan()
    query = access.scoped_plans().order_by(Inmate.release_date, ReleasePlan.id)
    show = request.args.get("show", "open")
    if show == "released":
        query = query.where(ReleasePlan.released_on.is_not(None))
    elif show != "all":
        query = query.where(ReleasePlan.released_on.is_(None))
    listed = db.session.scalars(query.limit(500)).all()
    return render_template("reintegration/plans.html", plans=listed, show=show, today=today,
                           may_open=current_user.role == Role.OFFICER)


@plans.post("/open")
@roles_required(Role.OFFICER)
def open_by_hand():
    """Open a plan earlier than the automatic opening, by personal file number."""
    inmate = db.session.scalar(sa.select(Inmate).where(
        Inmate.file_number == request.form.get("file_number", "").strip(),
        scope_clause(Inmate)))
    if inmate is None:
        flash(_("No inmate with this file number here."), "error")
        return redirect(url_for(".index")), 303
    try:
        plan = ops.open_plan(inmate, today_in_kazakhstan())
    except RuleViolation as error:  # refused before anything was written
        flash(error.message, "error")
        return redirect(url_for(".index")), 303
    flash(_("Release plan opened."), "success")
    return redirect(url_for(".plan", plan_id=plan.id))


def _render_plan(plan_id: int, errors: Any = None):
    plan = access.plan_or_404(plan_id)
    today = today_in_kazakhstan()
    consent = ops.share_consent_on(plan.inmate_id, today)
    partners = ops.partners_serving(plan.destination_region_id)
    referrals = ops.referrals_of(plan)
    return render_template(
        "reintegration/plan.html", plan=plan, today=today, errors=errors or {},
        referrals=[access.referral_view(r, today) for r in referrals],
        partners=partners, consent=consent, tasks=plan_tasks(plan, consent, partners, referrals),
        outcomes=ops.outcome_grid(plan, today),
        may_change=access.may_change_plan(plan) and plan.released_on is None,
        may_answer=access.may_change_plan(plan),
        # Siblings (work and pay) add what they know of the release.
        panels=[panel for panel in answers(release_plan_panels, plan.inmate) if panel])


def _task(state: str, why: str = "", why_url: str = "", why_label: str = ""
          ) -> dict[str, str]:
    """A task's state; a task that cannot start yet says why and where to fix it."""
    return {"state": state, "why": why, "why_url": why_url, "why_label": why_label}


def part_state(part: PlanPart, referred: set[int]) -> str:
    """A part as the task list shows it: completed once decided (arranged, not
    needed, could not be arranged, declined), in progress once anything is done
    (a referral, an owner, a due day, a note, the person asked), else not started."""
    if part.status in DECIDED_PART_STATUSES:
        return "completed"
    if part.status == PartStatus.IN_PROGRESS or part.id in referred or part.note \
            or part.owner_partner_id or part.due_on or part.agreement:
        return "in_progress"
    return "not_started"


def plan_tasks(plan: ReleasePlan, consent: Any, partners: list[Any], referrals: list[Any]
               ) -> dict[str, Any]:
    """The plan as GOV.UK's task list: the destination, each part (with its state),
    and the referral to a partner, which cannot start yet without the person's
    consent (R21) or a destination region, with why and where to fix it."""
    referred = {part.id for r in referrals for part in r.parts}
    parts = [{"part": part, **_task(part_state(part, referred))} for part in plan.parts]
    places = [bool(plan.destination_locality), plan.destination_region_id is not None]
    destination = _task("completed" if all(places) else
                        "in_progress" if any(places) else "not_started")
    if consent is None:
        refer = _task("cannot_start", _(
            "A referral needs the person's consent to share with partner organisations "
            "(R21)."), url_for("inmates.profile", inmate_id=plan.inmate_id) + "#consents",
            _("Record the consent on the inmate's profile"))
    elif plan.destination_region_id is None:
        refer = _task("cannot_start", _("Set the destination region first: partners are "
                                        "chosen by the region they serve."),
                      url_for(".destination", plan_id=plan.id), _("Destination after release"))
    elif not partners:
        refer = _task("cannot_start", _("No partner organisation serves the destination "
                                        "region."))
    elif not plan.open_parts:
        refer = _task("completed", _("Every part is arranged or not needed: nothing is left "
                                     "to refer."))
    else:
        refer = _task("in_progress" if any(r.status in ops.OPEN_REFERRAL for r in referrals)
                      else "not_started")
    return {"destination": destination, "parts": parts, "refer": refer,
            "done": sum(p["state"] == "completed" for p in parts), "total": len(parts)}


@plans.get("/<int:plan_id>")
@roles_required(*READERS)
def plan(plan_id: int):
    return _render_plan(plan_id)


def _changeable_plan(plan_id: int) -> ReleasePlan:
    """The plan an officer may still change (403 otherwise: another's, or released)."""
    plan_ = access.plan_or_404(plan_id)
    if not access.may_change_plan(plan_) or plan_.released_on is not None:
        abort(403)
    return plan_


def _render_destination(plan_id: int, errors: Any = None):
    plan_ = access.plan_or_404(plan_id)
    return render_template(
        "reintegration/plan_destination.html", plan=plan_, errors=errors or {},
        typed=request.form if request.method == "POST" else {},
        regions=db.session.scalars(sa.select(Region).order_by(Region.name)).all())


@plans.get("/<int:plan_id>/destination")
@roles_required(Role.OFFICER)
def destination(plan_id: int):
    """The destination after release on a page of its own; Save returns to the list."""
    _changeable_plan(plan_id)
    return _render_destination(plan_id)


def _render_part(plan_id: int, part_id: int, errors: Any = None):
    plan_ = access.plan_or_404(plan_id)
    part = ops.find_part(plan_, part_id)
    if part is None:
        abort(404)
    today = today_in_kazakhstan()
    return render_template(
        "reintegration/plan_part.html", plan=plan_, part=part, errors=errors or {},
        typed=request.form if request.method == "POST" else {},
        statuses=list(PartStatus), partners=ops.partners_serving(plan_.destination_region_id),
        referrals=[access.referral_view(r, today) for r in ops.referrals_of_part(part)],
        may_change=access.may_change_plan(plan_) and plan_.released_on is None)


@plans.get("/<int:plan_id>/parts/<int:part_id>")
@roles_required(*READERS)
def part_page(plan_id: int, part_id: int):
    """One part on a page of its own: its status, owner, due day, what was arranged
    or why not, and (the job) the person's agreement; one Save returns to the list."""
    return _render_part(plan_id, part_id)


def _plan_action(plan_id: int, action: Callable[[ReleasePlan], Any], done: str,
                 render: Callable[..., Any] | None = None):
    plan_ = access.plan_or_404(plan_id)
    if not access.may_change_plan(plan_):
        abort(403)
    return _act(lambda: action(plan_), done, url_for(".plan", plan_id=plan_id),
                render or (lambda errors: _render_plan(plan_id, errors)))


@plans.post("/<int:plan_id>")
@roles_required(Role.OFFICER)
def update_plan(plan_id: int):
    return _plan_action(plan_id, lambda p: ops.update_plan(p, _load(PlanInSchema())),
                        _("Destination saved."),
                        lambda errors: _render_destination(plan_id, errors))


@plans.post("/<int:plan_id>/parts/<int:part_id>")
@roles_required(Role.OFFICER)
def update_part(plan_id: int, part_id: int):
    def save(plan_: ReleasePlan) -> None:
        part = ops.find_part(plan_, part_id)
        if part is None:
            abort(404)
        values = _load(PartInSchema())
        values.setdefault("due_on", None)
        if "owner_partner_id" in request.form:
            values["owner_partner_id"] = values.get("owner_partner_id") or None
        if "agreement" in request.form:  # "" (not asked yet) is an answer the form gives
            values["agreement"] = request.form["agreement"]
        ops.update_part(part, values, today_in_kazakhstan())

    return _plan_action(plan_id, save, _("Part saved."),
                        lambda errors: _render_part(plan_id, part_id, errors))


@plans.post("/<int:plan_id>/referrals")
@roles_required(Role.OFFICER)
def refer(plan_id: int):
    return _plan_action(plan_id, lambda p: ops.refer(
        p, _load(ReferInSchema(), lists=("part_ids",)), current_user, today_in_kazakhstan()),
        _("Referral sent."))


@plans.post("/<int:plan_id>/referrals/<int:referral_id>/messages")
@roles_required(Role.OFFICER)
def answer(plan_id: int, referral_id: int):
    return _plan_action(plan_id, lambda p: ops.ask(
        access.plan_referral_or_404(p, referral_id), current_user,
        _load(MessageInSchema())["text"]), _("Message sent."))


@plans.get("/outside-jobs")
@roles_required(Role.OFFICER, Role.ADMIN)
def outside_job_proposals():
    """The engine's proposals of people due for release to jobs waiting outside
    (R22), with the reasons, and the posters' answers; an officer sees only the
    institution's people."""
    today = today_in_kazakhstan()
    visible = set(db.session.scalars(access.scoped_plans().with_only_columns(ReleasePlan.id)))
    run = request.args.get("run") == "1"
    found = outside_jobs.proposals_with_fit(today) if run else {}
    open_jobs = db.session.scalars(sa.select(OutsideJob).where(
        OutsideJob.open, OutsideJob.start_date >= today).order_by(OutsideJob.start_date)).all()
    job_answers = db.session.scalars(
        sa.select(JobAnswer).where(JobAnswer.plan_id.in_(visible))
        .order_by(JobAnswer.answered_on.desc(), JobAnswer.id)).all()
    return render_template(
        "reintegration/outside_job_proposals.html", jobs=open_jobs, run=run,
        answers=job_answers,
        proposals={job_id: [p for p in found_ if p.plan.id in visible]
                   for job_id, found_ in found.items()})


# --- partner organisations' worklist (R21) ------------------------------------------------

@partner.get("/")
@roles_required(Role.PARTNER)
def worklist():
    today = today_in_kazakhstan()
    rows = [access.partner_view(r, today)
            for r in db.session.scalars(access.partner_referrals(today))]
    return render_template("reintegration/worklist.html", referrals=rows, today=today,
                           organisation=ops.organisation_of(current_user),
                           may_oversee=may_oversee(current_user),
                           may_post=access.may_post())


def _render_referral(referral_id: int, errors: Any = None):
    today = today_in_kazakhstan()
    view = access.partner_view(access.partner_referral_or_404(referral_id, today), today)
    errors, part_errors = _part_errors(errors or {})
    labels = {p["id"]: str(PART_LABELS[p["kind"]]) for p in view["parts"]}
    for part_id, messages in part_errors.items():  # in the summary by the part's name
        errors.setdefault(labels.get(part_id, str(part_id)), []).extend(messages)
    return render_template("reintegration/referral.html", r=view, errors=errors,
                           part_errors=part_errors,
                           part_anchors={labels.get(i, str(i)): f"reason_{i}" for i in part_errors},
                           typed=request.form if errors else MultiDict(),
                           months=OUTCOME_MONTHS, situations=list(Situation),
                           done_statuses=(PartStatus.IN_PROGRESS, PartStatus.ARRANGED,
                                          PartStatus.NOT_ARRANGED))


def _part_errors(errors: Any) -> tuple[dict[str, Any], dict[int, list[str]]]:
    """The arranged form's refusals of a part ("parts.1.reason", or marshmallow's
    {"parts": {1: {"reason": [...]}}}) by the part's id, as the page posted the
    parts in order; the other refusals as they are."""
    posted = [int(key.removeprefix("status_")) for key, value in request.form.items()
              if key.startswith("status_") and value and key.removeprefix("status_").isdigit()]
    flat: dict[str, Any] = {}
    for key, messages in (errors.items() if isinstance(errors, dict) else [("_", errors)]):
        if key == "parts" and isinstance(messages, dict):
            flat.update({f"parts.{index}.{field}": found for index, inner in messages.items()
                         for field, found in inner.items()})
        else:
            flat[key] = messages
    others: dict[str, Any] = {}
    by_part: dict[int, list[str]] = {}
    for key, messages in flat.items():
        name, _dot, rest = key.partition(".")
        index = rest.partition(".")[0]
        if name == "parts" and index.isdigit() and int(index) < len(posted):
            by_part.setdefault(posted[int(index)], []).extend(messages)
        else:
            others[key] = messages
    return others, by_part


@partner.get("/referrals/<int:referral_id>")
@roles_required(Role.PARTNER)
def referral(referral_id: int):
    return _render_referral(referral_id)


def _referral_action(referral_id: int, action: Callable[[Any, date], Any], done: str,
                     ask: Callable[[Any], str] | None = None):
    today = today_in_kazakhstan()
    found = access.partner_referral_or_404(referral_id, today)
    return _act(lambda: action(found, today), done,
                url_for(".referral", referral_id=referral_id),
                lambda errors: _render_referral(referral_id, errors), ask)


@partner.post("/referrals/<int:referral_id>/accept")
@roles_required(Role.PARTNER)
def accept(referral_id: int):
    return _referral_action(referral_id, ops.accept, _("Referral accepted."))


@partner.post("/referrals/<int:referral_id>/decline")
@roles_required(Role.PARTNER)
def decline(referral_id: int):
    return _referral_action(referral_id, lambda r, day: ops.decline(
        r, _load(DeclineInSchema())["reason"], day), _("Referral declined."))


def _arranged_values() -> dict[str, Any]:
    """The arranged form: one status (and reason) field per referred part."""
    parts = [{"part_id": key.removeprefix("status_"), "status": value,
              "reason": request.form.get("reason_" + key.removeprefix("status_"), ""),
              "note": request.form.get("note_" + key.removeprefix("status_"), "")}
             for key, value in request.form.items() if key.startswith("status_") and value]
    return ArrangedInSchema().load({"arranged": request.form.get("arranged", ""),
                                    "close": request.form.get("close") == "y",
                                    "parts": parts})


@partner.post("/referrals/<int:referral_id>/arranged")
@roles_required(Role.PARTNER)
def arranged(referral_id: int):
    return _referral_action(referral_id, lambda r, day: ops.record_arranged(
        r, _arranged_values(), day), _("Recorded."))


@partner.post("/referrals/<int:referral_id>/interview")
@roles_required(Role.PARTNER)
def interview(referral_id: int):
    return _referral_action(referral_id, lambda r, day: ops.record_interview(
        r, _load(InterviewInSchema()), day), _("Interview recorded."))


@partner.post("/referrals/<int:referral_id>/questions")
@roles_required(Role.PARTNER)
def ask(referral_id: int):
    return _referral_action(referral_id, lambda r, day: ops.ask(
        r, current_user, _load(MessageInSchema())["text"]), _("Question sent."))


@partner.post("/referrals/<int:referral_id>/outcomes")
@roles_required(Role.PARTNER)
def record_outcome(referral_id: int):
    """The outcome is checked (every refusal at once, the form as typed), then shown
    on a check-your-answers page; its button (``confirmed``) records it."""
    def record(r: Any, day: date) -> dict[str, Any]:
        values = _load(OutcomeInSchema(), lists=("situations",))
        ops.record_outcome(r.plan, values, r.partner_id, day)
        return values | {"referral": r.id, "person": r.plan.inmate.full_name}

    return _referral_action(referral_id, record, _("Outcome recorded."), ask=_check_outcome)


def _check_outcome(values: dict[str, Any]) -> str:
    """Check your answers before recording an outcome after release: whose check,
    what it says, and that a recorded check is only corrected, never removed."""
    situations = ", ".join(str(SITUATION_LABELS[s]) for s in values["situations"])
    correction = values.get("correction_reason")
    return check_answers(
        _("Check before recording the outcome"),
        [_("%(person)s, %(months)s months after release: %(situations)s.",
           person=values["person"], months=values["months"],
           situations=situations),
         _("The answer counts in the institution's and the prosecutors' figures of "
           "outcomes after release."),
         _("A recorded check is not removed: a mistake is corrected by a new version with "
           "its reason, and the earlier answer is kept.")],
        _("Record outcome"), url_for(".referral", referral_id=values["referral"]),
        answers=[(_("Months after release"), values["months"]),
                 (_("Checked on"), format_day(values["checked_on"])),
                 (_("Situation (what is known)"), situations),
                 (_("Note"), values.get("note")),
                 *([(_("Reason for the correction"), correction)] if correction else [])])


# --- oversight (prosecutors, akimats) -----------------------------------------------------

# The export's columns and their headings (the file is read by people too).
OVERSIGHT_COLUMNS = {
    "institution": _l("Institution"), "region": _l("Region"), "releases": _l("Releases"),
    "complete_at_release": _l("Complete plan at release"),
    "job_or_housing_at_release": _l("Job or accommodation arranged"),
    "plans_open": _l("Plans open"), "plans_complete": _l("Plans complete"),
    "referrals_open": _l("Referrals open"), "referrals_overdue": _l("Referrals overdue"),
    "outcomes_6_due": _l("6 months: checks due"), "outcomes_6_missing": _l("6 months: missing"),
    "employed_6": _l("6 months: employed"), "housed_6": _l("6 months: housed"),
    "outcomes_12_due": _l("12 months: checks due"),
    "outcomes_12_missing": _l("12 months: missing"), "employed_12": _l("12 months: employed"),
    "housed_12": _l("12 months: housed"),
}


def _overseer_args(schema: Schema) -> dict[str, Any]:
    """The page's query loaded by ``schema``; odd values fall back to the defaults."""
    if not may_oversee(current_user):
        abort(403)
    try:
        return schema.load(request.args.to_dict())
    except ValidationError:
        return schema.load({})


def _oversight() -> dict[str, Any]:
    args = _overseer_args(OversightArgsSchema())
    return oversight(current_user, args["day"], args["start"], args["region_id"])


@overseers.get("/")
@roles_required(Role.PROSECUTOR, Role.ADMIN, Role.PARTNER)
def figures():
    return render_template("reintegration/oversight.html", data=_oversight())


@overseers.get("/trends")
@roles_required(Role.PROSECUTOR, Role.ADMIN, Role.PARTNER)
def trend_page():
    """Each share over the months, as a chart with its figures in a table; a
    month below its baseline is told by a hollow triangle and in words."""
    args = _overseer_args(ReintegrationTrendArgsSchema())
    result = trends(current_user, today_in_kazakhstan(), args["region_id"], args["months"])
    below = _("%(point)s, below the baseline")
    charts = [(key, TREND_LABELS[key], baseline, line_chart(
        [Point(p["month"], p["shares"][key], baseline) for p in result["points"]],
        str(TREND_LABELS[key]), below)) for key, _part, _whole, baseline in TREND_SHARES]
    return render_template("reintegration/trends.html", result=result, charts=charts,
                           wholes={key: whole for key, _p, whole, _b in TREND_SHARES},
                           parts={key: part for key, part, _w, _b in TREND_SHARES})


@overseers.get("/export.<any(csv, xlsx):file_format>")
@roles_required(Role.PROSECUTOR, Role.ADMIN, Role.PARTNER)
def export(file_format: str):
    data = _oversight()
    day = data["day"].isoformat()
    headers = [_("Day"), *(str(heading) for heading in OVERSIGHT_COLUMNS.values())]
    rows = [[day, *(row[c] for c in OVERSIGHT_COLUMNS)] for row in data["rows"]]
    return download(write_table(file_format, headers, rows), file_format,
                    f"reintegration-{day}")


# --- jobs waiting outside (R22): businesses and employment centres ---------------------

@jobs.before_request
def only_posters() -> None:
    """Posters (a business, an employment centre) and administrators; other
    roles and partners are refused (403)."""
    if current_user.is_authenticated:
        access.poster_or_403(admin_reads=True)


@jobs.get("/")
@roles_required(*access.JOB_READERS)
def job_list():
    listed = db.session.scalars(access.scoped_jobs().order_by(
        OutsideJob.start_date.desc(), OutsideJob.id)).all()
    return render_template("reintegration/outside_jobs.html", jobs=listed,
                           may_post=current_user.role != Role.ADMIN)


@jobs.route("/new", methods=["GET", "POST"])
@roles_required(Role.EMPLOYER, Role.PARTNER)
def new_job():
    form = OutsideJobForm()
    saved, job = submit_form(form, OutsideJobInSchema(), lambda values: outside_jobs.post_job(
        values, today_in_kazakhstan(), **access.poster_of(current_user)), _("Job posted."))
    if saved:
        return redirect(url_for(".job", job_id=job.id))
    return render_template("reintegration/outside_job_form.html", form=form), form_status(form)


def _open_job(job_id: int) -> OutsideJob:
    """The poster's own job, still open (a closed one answers 409)."""
    found = access.job_or_404(job_id)
    outside_jobs.refuse_if_closed(found)
    return found


@jobs.route("/<int:job_id>/edit", methods=["GET", "POST"])
@roles_required(Role.EMPLOYER, Role.PARTNER)
def edit_job(job_id: int):
    """The posting form, filled in; loaded by the same schema as a new job."""
    found = _open_job(job_id)
    form = OutsideJobForm(obj=found)
    saved, _job = submit_form(form, OutsideJobInSchema(), lambda values: outside_jobs.edit_job(
        found, values, today_in_kazakhstan()), _("Job saved."))
    if saved:
        return redirect(url_for(".job", job_id=job_id))
    return render_template("reintegration/outside_job_form.html", form=form,
                           job=found), form_status(form)


@jobs.route("/<int:job_id>/close", methods=["GET", "POST"])
@roles_required(Role.EMPLOYER, Role.PARTNER)
def close_job(job_id: int):
    """GET shows what closing means (no script needed); the page's button closes."""
    found = _open_job(job_id)
    if request.method == "POST":
        outside_jobs.close_job(found)
        flash(_("Job closed."), "success")
        return redirect(url_for(".job", job_id=job_id))
    who = outside_jobs.closing_summary(found, today_in_kazakhstan())
    lines = {"pending": _l("People proposed or invited to an interview get no answer from "
                           "you (%(num)s): %(names)s."),
             "offered": _l("People offered the job keep the job part of their release plan "
                           "(%(num)s): %(names)s.")}
    consequences = [
        _("Nobody more is proposed for “%(job)s” and nobody can be answered for it; the job "
          "and its answers are kept.", job=found.title),
        *(line % {"num": len(who[key]), "names": ", ".join(who[key])}
          for key, line in lines.items() if who[key]),
        _("A closed job cannot be opened again; post a new one if needed.")]
    return render_template("confirm.html", title=_("Close “%(job)s”?", job=found.title),
                           consequences=consequences, button=_("Close the job"),
                           back=url_for(".job", job_id=job_id), action=request.path)


@jobs.get("/<int:job_id>")
@roles_required(*access.JOB_READERS)
def job(job_id: int):
    found = access.job_or_404(job_id)
    return render_template("reintegration/outside_job.html", job=found,
                           candidates=outside_jobs.candidates_of(found, today_in_kazakhstan()),
                           may_answer=current_user.role != Role.ADMIN)


@jobs.route("/<int:job_id>/candidates/<int:plan_id>/answer", methods=["GET", "POST"])
@roles_required(Role.EMPLOYER, Role.PARTNER)
def answer_candidate(job_id: int, plan_id: int):
    """Interview at once; an offer or a no (final) first shows what follows."""
    found = _open_job(job_id)
    today = today_in_kazakhstan()
    value = request.values.get("answer", "")
    profile = next((c for c in outside_jobs.candidates_of(found, today)
                    if c["plan_id"] == plan_id), None)
    if profile is None or value not in outside_jobs.ANSWERS:
        abort(404)
    back = url_for(".job", job_id=job_id)
    if request.method == "GET" and value == "interview":
        return redirect(back, 303)  # answers are posted (CSRF): a link records nothing
    form = AnswerNoForm() if value == "no" else None
    if value != "interview" and not (request.method == "POST" and request.form.get("confirmed")):
        return _confirm_answer(found, profile, value, back, form)
    try:
        outside_jobs.answer(found, plan_id, value, today,
                            reason=form.reason.data or "" if form else "")
    except RuleViolation as error:  # nothing is written
        discard_changes()
        if form is not None and error.field == "reason":  # the page asks for it again
            attach_errors(form, error.errors)
            return _confirm_answer(found, profile, value, back, form), 422
        flash(error.message, "error")
        return redirect(back, 303)
    flash(_("Answer recorded: %(answer)s.", answer=ANSWER_LABELS[value]), "success")
    return redirect(back)


def _person_agreed(plan_id: int) -> bool:
    plan_ = db.session.get(ReleasePlan, plan_id)
    return any(p.kind == PlanPartKind.JOB and p.agreement == "agreed" for p in plan_.parts)


def _confirm_answer(job_: OutsideJob, profile: dict[str, Any], value: str, back: str,
                    form: Any = None):
    name = profile["full_name"]
    if value == "offer":
        title = _("Offer the job to %(name)s?", name=name)
        consequences = [_("%(name)s is offered “%(job)s” in %(town)s from %(day)s.", name=name,
                          job=job_.title, town=job_.locality, day=format_day(job_.start_date)),
                        _("The job part of the person's release plan becomes arranged; "
                          "an offer cannot be taken back here.")
                        if _person_agreed(profile["plan_id"]) else
                        _("The job part of the person's release plan is marked arranged once "
                          "the institution records the person's agreement; an offer cannot "
                          "be taken back here.")]
    else:
        title = _("Answer no for %(name)s?", name=name)
        consequences = [_("%(name)s will not be proposed for “%(job)s” again.", name=name,
                          job=job_.title)]
    return render_template("confirm.html", title=title, consequences=consequences,
                           button=ANSWER_BUTTONS[value], back=back, form=form,
                           action=request.path, hidden={"answer": value, "confirmed": "y"})


# --- administrators: partner organisations, their users, the year's settings --------------

@partners_admin.before_request
@roles_required(Role.ADMIN)
def only_admins() -> None:
    """Every page of this blueprint is for administrators only."""


def _render_partners(errors: Any = None, editing: PartnerOrganisation | None = None):
    year = today_in_kazakhstan().year
    return render_template(
        "reintegration/admin_partners.html", errors=errors or {}, editing=editing,
        partners=db.session.scalars(sa.select(PartnerOrganisation)
                                    .order_by(PartnerOrganisation.name)).all(),
        regions=db.session.scalars(sa.select(Region).order_by(Region.name)).all(),
        kinds=list(PartnerKind), year=year, settings=ops.settings_of(year))


@partners_admin.get("/")
def partners():
    return _render_partners()


@partners_admin.get("/<int:partner_id>")
def edit_partner_page(partner_id: int):
    return _render_partners(editing=db.get_or_404(PartnerOrganisation, partner_id))


@partners_admin.post("/")
def create_partner():
    return _act(lambda: ops.save_partner(None, _load(PartnerInSchema(), lists=("region_ids",))),
                _("Organisation registered."), url_for(".partners"), _render_partners)


@partners_admin.post("/<int:partner_id>")
def edit_partner(partner_id: int):
    record = db.get_or_404(PartnerOrganisation, partner_id)
    return _act(lambda: ops.save_partner(record, _load(PartnerInSchema(),
                                                       lists=("region_ids",))),
                _("Organisation saved."), url_for(".partners"),
                lambda errors: _render_partners(errors, record))


@partners_admin.post("/<int:partner_id>/users")
def add_user(partner_id: int):
    record = db.get_or_404(PartnerOrganisation, partner_id)
    return _act(lambda: ops.add_partner_user(record, _load(PartnerUserInSchema())),
                _("User created."), url_for(".partners"), _render_partners)


@partners_admin.post("/settings/<int:year>")
def save_settings(year: int):
    if not 2015 <= year <= 2100:
        abort(404)
    return _act(lambda: ops.save_settings(year, _load(SettingsInSchema())),
                _("Settings for %(year)s saved.", year=year), url_for(".partners"),
                _render_partners)
