"""R27's needs at work: a course helping persons in need of education or a trade comes
first among the recommendations; the release plan gains parts for substance-use
treatment and debts when those needs are recorded, before or after it opens."""

from datetime import timedelta

from app.core.vocabulary import PlanPartKind
from app.extensions import db
from app.inmates import security
from app.placements.models import MatchRun
from app.reintegration import operations as plans
from app.training.operations import training_recommendations
from tests import factories
from tests.security.helpers import TODAY, assess


def _run(world, recommendations):
    run = MatchRun(institution_id=world["institution"].id, as_of=TODAY, input_snapshot={},
                   settings_snapshot={}, result={"proposals": [], "unplaced": [],
                                                 "training_recommendations": recommendations})
    db.session.add(run)
    db.session.commit()


def test_courses_for_learning_needs_come_first(world):
    learner, other = factories.inmate(world["institution"]), factories.inmate(
        world["institution"])
    assess(learner, "low", needs=["trade_and_employment"])
    assess(other, "low", needs=["accommodation"])
    _run(world, [
        {"course_id": "1", "trade": "welder", "seats": 5, "extra_placements": 3,
         "inmate_ids": [str(other.id)]},
        {"course_id": "2", "trade": "cook", "seats": 5, "extra_placements": 1,
         "inmate_ids": [str(learner.id)]},
    ])
    found = training_recommendations(world["institution"].id)["recommendations"]
    assert [(r["trade"], r["with_needs"]) for r in found] == [("cook", 1), ("welder", 0)]


def _kinds(plan):
    return {part.kind for part in plan.parts}


def test_release_plan_parts_follow_recorded_needs(world):
    person = factories.inmate(world["institution"], release_date=TODAY + timedelta(days=90))
    assess(person, "low", needs=["substance_use"])
    plan = plans.open_plan(person, TODAY)
    assert PlanPartKind.SUBSTANCE_USE in _kinds(plan)
    assert PlanPartKind.DEBTS not in _kinds(plan)
    security.record_risk_assessment(person, "low", TODAY, "review",
                                    needs=["finance_and_debts"])
    db.session.commit()
    assert {PlanPartKind.SUBSTANCE_USE, PlanPartKind.DEBTS} <= _kinds(plans.plan_of(person.id))


def test_no_need_no_part(world):
    person = factories.inmate(world["institution"], release_date=TODAY + timedelta(days=90))
    plan = plans.open_plan(person, TODAY)
    assert not {PlanPartKind.SUBSTANCE_USE, PlanPartKind.DEBTS} & _kinds(plan)
