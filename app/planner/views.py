"""Planner pages: what a workshop would change, where and in which trade (administrators,
prosecutors in their region); the workshops that would close a match run's shortfall
(whoever may read the run; kept with the run once computed). The query string is parsed
by the API's schemas."""

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from marshmallow import ValidationError

from app.core.auth import READERS, roles_required
from app.core.vocabulary import EmployerKind, Role, Shift, Site
from app.jobs.queue import national
from app.planner import jobs as planner_jobs
from app.planner import operations as ops
from app.planner.schemas import TemplateArgs, WorkshopArgs

bp = Blueprint("planner", __name__, url_prefix="/planner", template_folder="templates")

PLANNERS = (Role.ADMIN, Role.PROSECUTOR)


def _form_context(args: dict[str, Any], errors: dict[str, Any]) -> dict[str, Any]:
    return {"args": args, "errors": errors, "trades": ops.trade_codes(), "sites": list(Site),
            "shifts": list(Shift), "kinds": list(EmployerKind)}


def _parse(schema: type, defaults: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Parsed arguments and no errors, or the defaults and the field errors."""
    try:
        return schema().load(request.args), {}
    except ValidationError as e:
        messages = e.messages if isinstance(e.messages, dict) else {"_": e.messages}
        return defaults, messages


@bp.get("/")
@roles_required(*PLANNERS)
def index():
    """For one workshop, the institutions where it would employ the most."""
    defaults = TemplateArgs().load({})
    asked = "trade" in request.args
    args, errors = _parse(WorkshopArgs, defaults) if asked else (defaults, {})
    if asked and not errors and national(current_user):  # the whole country: a job
        return render_template("planner/index.html", ranking=None, job_args=request.args,
                               **_form_context(args, errors))
    ranking = ops.rank_institutions(ops.workshop_of(args), args["day"]) if asked and not errors \
        else None
    return render_template("planner/index.html", ranking=ranking, job_args=None,
                           **_form_context(args, errors)), 422 if errors else 200


@bp.post("/rankings")
@roles_required(*PLANNERS)
def rank_job():
    """Queue the ranking of every institution as a job (app/planner/jobs.py)."""
    given = {key: value for key, value in request.form.items() if key != "csrf_token"}
    try:
        WorkshopArgs().load(given)
    except ValidationError as e:
        messages = e.messages if isinstance(e.messages, dict) else {"_": e.messages}
        return render_template("planner/index.html", ranking=None, job_args=None,
                               **_form_context(TemplateArgs().load({}), messages)), 422
    job = planner_jobs.submit_ranking(current_user, given, str(get_locale()))
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.get("/institutions/<int:institution_id>")
@roles_required(*PLANNERS)
def institution(institution_id: int):
    """For one institution: the trades whose workshop would raise its rate most, and
    workshops that would bring it to the target."""
    defaults = TemplateArgs().load({})
    args, errors = _parse(TemplateArgs, defaults)
    trades = ops.rank_trades(institution_id, ops.workshop_of(args), args["day"])
    found, plan = ops.shortfall_plan(institution_id, ops.workshop_of(args), args["day"])
    return render_template("planner/institution.html", institution=found, by_trade=trades,
                           plan=plan, **_form_context(args, errors)), 422 if errors else 200


@bp.get("/runs/<int:run_id>")
@roles_required(*READERS)
def run_plan(run_id: int):
    """The workshops that would close a match run's shortfall, exact, computed once."""
    run, plan = ops.run_plan(run_id)
    return render_template("planner/run.html", run=run, plan=plan)
