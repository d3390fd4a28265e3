"""Planner JSON API: the pages' figures as data (administrators, prosecutors in their
region; a run's plan: whoever may read the run). Entrepreneurs' protected counts are
``GET /api/employer/production``."""

from app.core.api import Blueprint
from app.core.auth import READERS, roles_required
from app.core.vocabulary import Role
from app.planner import operations as ops
from app.planner.schemas import (
    ImpactSchema,
    RunPlanSchema,
    ShortfallPlanSchema,
    TemplateArgs,
    WorkshopArgs,
)

blp = Blueprint("planner_api", __name__, url_prefix="/api/planner",
                description="What if a workshop opened here? Exact extra employment")

PLANNERS = (Role.ADMIN, Role.PROSECUTOR)


@blp.get("/ranking")
@roles_required(*PLANNERS)
@blp.arguments(WorkshopArgs, location="query")
@blp.response(200, ImpactSchema(many=True))
def ranking(args):
    """For one workshop, every institution in the caller's scope, the institutions where
    it would employ the most inmates first (exact: a re-solve with the workshop)."""
    return ops.rank_institutions(ops.workshop_of(args), args["day"])


@blp.get("/institutions/<int:institution_id>")
@roles_required(*PLANNERS)
@blp.arguments(WorkshopArgs, location="query")
@blp.response(200, ImpactSchema)
def institution_impact(args, institution_id):
    """How many more inmates one workshop would employ at the institution, and the
    rate it would reach (404 outside the caller's scope)."""
    return ops.impact_at(institution_id, ops.workshop_of(args), args["day"])


@blp.get("/institutions/<int:institution_id>/trades")
@roles_required(*PLANNERS)
@blp.arguments(TemplateArgs, location="query")
@blp.response(200, ImpactSchema(many=True))
def institution_trades(args, institution_id):
    """A workshop like the one described in every active trade: the trades that would
    raise the institution's rate most first."""
    return ops.rank_trades(institution_id, ops.workshop_of(args), args["day"])


@blp.get("/institutions/<int:institution_id>/shortfall")
@roles_required(*PLANNERS)
@blp.arguments(TemplateArgs, location="query")
@blp.response(200, ShortfallPlanSchema)
def institution_shortfall(args, institution_id):
    """Workshops that would bring the institution to its target: ``exact``, the fewest
    workshops (then positions), proven within its time budget, and beside it the greedy
    plan (each step exact; the set not proven the smallest). ``positions`` is ignored:
    each workshop gets exactly the positions it fills."""
    institution, plan = ops.shortfall_plan(institution_id, ops.workshop_of(args), args["day"])
    return {**plan, "institution_id": institution.id,
            "institution_code": institution.code}


@blp.get("/runs/<int:run_id>")
@roles_required(*READERS)
@blp.response(200, RunPlanSchema)
def run_plan(run_id):
    """The workshops that would close a match run's shortfall, for what the run saw (its
    input): the exact plan and the greedy one, a workshop of every active trade with the default
    description (inside, day shift, 40 hours, the year's minimum wage, private company,
    the trade's skill required). Computed when first asked for, then kept with the run
    (404 outside the caller's scope)."""
    run, plan = ops.run_plan(run_id)
    return {**plan, "run_id": run.id, "institution_id": run.institution_id,
            "institution_code": plan["institution"]}
