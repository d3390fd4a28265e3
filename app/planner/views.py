"""Planner pages: what a workshop would change, where and in which trade (administrators,
prosecutors in their region); the workshops that would close a match run's shortfall
(whoever may read the run; kept with the run once computed). The query string is parsed
by the API's schemas."""

from typing import Any

from flask import Blueprint, render_template, request
from marshmallow import ValidationError

from app.core.auth import READERS, roles_required
from app.core.vocabulary import EmployerKind, Role, Shift, Site
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
    ranking = ops.rank_institutions(ops.workshop_of(args), args["day"]) if asked and not errors \
        else None
    return render_template("planner/index.html", ranking=ranking,
                           **_form_context(args, errors)), 422 if errors else 200


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
