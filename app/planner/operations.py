"""What if a workshop opened here? The database side of ``matching.planner``.

Each institution's engine input is built by the placements adapter (the same rows a
match run reads: held inmates, published vacancies with their free positions, the
year's settings); the planner then measures planned workshops exactly on it. Nothing is
written but a run's plan, kept with the run once computed.

Administrators and prosecutors (in their region) see every figure. Entrepreneurs see
only protected counts (``employers/production.py``, built on :func:`problem_of`).
Whoever may read a match run sees the workshops that would close its shortfall
(:func:`run_plan`), computed for what the run saw.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from app.core.auth import get_in_scope_or_404, scoped
from app.extensions import db
from app.institutions.models import Institution
from app.placements import adapter
from app.placements.models import MatchRun
from app.placements.operations import run_in_scope_or_404
from app.settings.operations import settings_for
from app.taxonomy.models import Trade
from matching import load_problem, planner
from matching.exact_plan import exact_shortfall
from matching.problem import Problem


@dataclass(frozen=True)
class InstitutionImpact:
    """A planner figure with the institution it is about."""

    institution_id: int
    institution_name: str
    region: str
    impact: planner.Impact


def workshop_of(args: dict[str, Any], trade_code: str = "") -> planner.Workshop:
    """The workshop described by parsed ``TemplateArgs``/``WorkshopArgs``."""
    return planner.Workshop(
        trade_code=args.get("trade", trade_code), positions=args["positions"],
        site=str(args["site"]), shift=str(args["shift"]), weekly_hours=args["weekly_hours"],
        monthly_wage=args["monthly_wage"], heavy_or_hazardous=args["heavy_or_hazardous"],
        employer_kind=str(args["employer_kind"]), start_date=args["start_date"] or args["day"],
        requires_skill=not args["trainable_on_job"])


def trade_codes() -> list[str]:
    """The active trades of the taxonomy."""
    return list(db.session.scalars(
        sa.select(Trade.code).where(Trade.active).order_by(Trade.code)))


def problem_of(institution: Institution, day: date) -> Problem:
    return adapter.build_problem(institution, day, settings_for(day.year))


def _institutions(ids: Iterable[int] | None = None) -> list[Institution]:
    query = scoped(Institution).order_by(Institution.code)
    if ids is not None:
        query = query.where(Institution.id.in_(list(ids)))
    return list(db.session.scalars(query))


def _wrap(institution: Institution, impact: planner.Impact) -> InstitutionImpact:
    return InstitutionImpact(institution.id, institution.name, institution.region.name, impact)


def impact_at(institution_id: int, workshop: planner.Workshop, day: date) -> InstitutionImpact:
    """One workshop at one institution in the caller's scope (404 outside)."""
    institution = get_in_scope_or_404(Institution, institution_id)
    return _wrap(institution, planner.impact(problem_of(institution, day), workshop))


def rank_institutions(workshop: planner.Workshop, day: date,
                      step: Callable[[int, int, str], None] | None = None,
                      ) -> list[InstitutionImpact]:
    """The institutions in the caller's scope where the workshop employs the most;
    ``step(done, total, institution)`` is told of each one solved (a job's progress)."""
    institutions = _institutions()
    ranked = []
    for done, institution in enumerate(institutions):
        if step is not None:
            step(done, len(institutions), f"{institution.code} {institution.name}")
        ranked.append(_wrap(institution, planner.impact(problem_of(institution, day),
                                                        workshop)))
    ranked.sort(key=lambda r: (-r.impact.extra_employed, r.impact.institution))
    return ranked


def rank_trades(institution_id: int, template: planner.Workshop,
                day: date) -> list[InstitutionImpact]:
    """For one institution, a workshop like ``template`` in every active trade, the
    trades that would employ the most first."""
    institution = get_in_scope_or_404(Institution, institution_id)
    ranked = planner.rank_trades(problem_of(institution, day), trade_codes(), template)
    return [_wrap(institution, r) for r in ranked]


EXACT = "exact"  # the key of the exact plan beside the greedy one


def plans(problem: Problem, template: planner.Workshop) -> dict[str, Any]:
    """The greedy plan (step by step, each step exact) with the exact one under
    ``EXACT``: the fewest workshops, then positions, proven within its time budget.
    One call computes both: the exact plan starts from the greedy one (its upper bound)
    and reuses the gains the greedy measured."""
    exact = exact_shortfall(problem, trade_codes(), template)
    return {**exact.greedy.to_dict(), EXACT: exact.to_dict()}


def shortfall_plan(institution_id: int, template: planner.Workshop,
                   day: date) -> tuple[Institution, dict[str, Any]]:
    """New workshops that would bring the institution to its target: the exact plan and
    the greedy one (:func:`plans`)."""
    institution = get_in_scope_or_404(Institution, institution_id)
    return institution, plans(problem_of(institution, day), template)


RUN_PLAN = "shortfall_plan"  # the key of a run's stored plans in its result


def run_plan(run_id: int) -> tuple[MatchRun, dict[str, Any]]:
    """The workshops that would close a run's shortfall (:func:`plans`: exact, with the
    greedy plan beside it), for the situation the run saw (its input snapshot): in every
    active trade a workshop as the planner's defaults describe it, opening on the run's
    day.  A plan kept from before the exact one existed is computed again.

    Computed when first asked for, then stored with the run (its snapshot never changes),
    because it costs up to about a second for a large institution: the run itself stays
    within its time budget and its page stays fast."""
    run = run_in_scope_or_404(run_id)
    plan = run.result.get(RUN_PLAN)
    if plan is None or EXACT not in plan:
        plan = plans(load_problem(run.input_snapshot), planner.Workshop("", 0))
        run.result = {**run.result, RUN_PLAN: plan}  # a new value, so the JSON is saved
    return run, plan
