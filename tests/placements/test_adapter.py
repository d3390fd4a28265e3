"""The adapter: database rows -> matching.Problem, in a fixed number of queries."""

import gc
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

import matching
from app.core.vocabulary import (
    ConsentKind,
    CustodyStatus,
    EmployerKind,
    EnrolmentStatus,
    Fitness,
    VacancyStatus,
)
from app.extensions import db
from app.inmates.models import (
    Certificate,
    CustodyPeriod,
    InmateSkill,
    MedicalAssessment,
    SeparationLink,
)
from app.placements import adapter
from app.settings.operations import default_settings, settings_for
from app.training.models import Enrolment
from policy.clock import today_in_kazakhstan
from tests import factories

TODAY = today_in_kazakhstan()


def _problem(institution, day=TODAY):
    return adapter.build_problem(institution, day, settings_for(day.year))


def test_settings_are_converted(app):
    settings = default_settings(2028)
    settings.outside_medium_conditions = "preferential"
    settings.voluntary_groups = "pension_age"
    converted = adapter.engine_settings(settings)
    assert converted.pension_age_women == 61.5
    assert converted.outside_medium_conditions == frozenset({"preferential"})
    assert converted.voluntary_groups == frozenset({"pension_age"})
    assert converted.weights.skill == settings.weight_skill


def test_inmates_carry_what_the_rules_need(scene):
    welder = factories.trade("welder")
    cook = factories.trade("cook")
    inmate = scene.inmate(consent=True)
    partner = scene.inmate()
    db.session.add_all([
        InmateSkill(inmate_id=inmate.id, trade_id=welder.id, level=2, source="assessed",
                    recorded_on=TODAY),
        Certificate(inmate_id=inmate.id, trade_id=welder.id, issued_on=TODAY),
        Certificate(inmate_id=inmate.id, trade_id=cook.id, issued_on=TODAY + timedelta(days=9)),
        SeparationLink(inmate_a_id=inmate.id, inmate_b_id=partner.id, created_on=TODAY),
        MedicalAssessment(inmate_id=inmate.id, fitness=Fitness.LIMITED,
                          assessed_on=TODAY - timedelta(days=1), review_date=TODAY),
    ])
    inmate.trade_wishes.append(cook)
    course = factories.course(scene.institution, start_date=TODAY - timedelta(days=90),
                              end_date=TODAY - timedelta(days=3))
    db.session.add(Enrolment(course_id=course.id, inmate_id=inmate.id,
                             enrolled_on=TODAY - timedelta(days=90),
                             status=EnrolmentStatus.COMPLETED,
                             completed_on=TODAY - timedelta(days=3)))
    db.session.commit()
    factories.placement(inmate, scene.vacancy(weekly_hours=20, monthly_wage=50_000))
    engine = {i.id: i for i in _problem(scene.institution).inmates}[str(inmate.id)]
    assert engine.skills == {"welder": 2}
    assert engine.certificates == frozenset({"welder"})  # the cook certificate is not yet issued
    assert engine.trade_wishes == frozenset({"cook"})
    assert engine.consents == frozenset({ConsentKind.PRIVATE_EMPLOYER.value})
    assert engine.separated_from == frozenset({str(partner.id)})
    assert (engine.fitness, engine.fitness_review_date) == ("limited", TODAY)
    assert engine.last_training_end == TODAY - timedelta(days=3)
    assert engine.employed and engine.current_weekly_hours == 20


def test_only_held_inmates_and_open_vacancies_and_courses(scene, world):
    gone = scene.inmate()
    gone.status = CustodyStatus.RELEASED
    period = db.session.scalars(sa.select(CustodyPeriod).where(
        CustodyPeriod.inmate_id == gone.id)).one()
    period.ended_on = TODAY - timedelta(days=1)
    db.session.commit()
    held = scene.inmate()
    factories.inmate(world["other_institution"])
    open_vacancy = scene.vacancy(positions=3)
    factories.placement(held, open_vacancy)
    factories.placement(scene.inmate(), open_vacancy, end_date=TODAY,
                        end_reason="completed")  # ended: frees its position
    scene.vacancy(status=VacancyStatus.DRAFT)
    scene.vacancy(start_date=TODAY - timedelta(days=40), end_date=TODAY - timedelta(days=1))
    open_course = factories.course(scene.institution, seats=2)
    db.session.add(Enrolment(course_id=open_course.id, inmate_id=held.id, enrolled_on=TODAY))
    full_course = factories.course(scene.institution, seats=1)
    db.session.add(Enrolment(course_id=full_course.id, inmate_id=held.id, enrolled_on=TODAY))
    factories.course(scene.institution, start_date=TODAY - timedelta(days=60),
                     end_date=TODAY - timedelta(days=1))
    db.session.commit()
    problem = _problem(scene.institution)
    assert str(gone.id) not in {i.id for i in problem.inmates}
    assert str(held.id) in {i.id for i in problem.inmates}
    assert len(problem.inmates) == 2
    assert [(v.id, v.free_positions) for v in problem.vacancies] == [(str(open_vacancy.id), 2)]
    assert [(c.id, c.seats) for c in problem.courses] == [(str(open_course.id), 1)]
    assert problem.vacancies[0].employer_kind == EmployerKind.STATE_ENTERPRISE.value


def test_snapshot_reloads_as_the_same_problem(scene):
    scene.inmate(consent=True)
    scene.vacancy(private=True)
    factories.course(scene.institution)
    problem = _problem(scene.institution)
    assert matching.load_problem(adapter.problem_snapshot(problem)) == problem


def test_snapshot_is_the_json_of_the_problem(scene):
    """Built directly, it has the keys, order and values of a JSON round trip."""
    welder = factories.trade("welder")
    inmate = scene.inmate(consent=True)
    partner = scene.inmate()
    db.session.add_all([
        InmateSkill(inmate_id=inmate.id, trade_id=welder.id, level=2, source="assessed",
                    recorded_on=TODAY),
        Certificate(inmate_id=inmate.id, trade_id=welder.id, issued_on=TODAY),
        SeparationLink(inmate_a_id=inmate.id, inmate_b_id=partner.id, created_on=TODAY),
    ])
    db.session.commit()
    vacancy = scene.vacancy(private=True)
    vacancy.required_certificates.append(welder)
    db.session.commit()
    factories.course(scene.institution)
    problem = _problem(scene.institution)
    expected = json.loads(json.dumps(problem, default=adapter._encode))
    assert json.dumps(adapter.problem_snapshot(problem)) == json.dumps(expected)


def test_pending_changes_are_seen(scene):
    """The loaders read on the session's connection: unflushed rows still count."""
    inmate = scene.inmate()
    db.session.add(MedicalAssessment(inmate_id=inmate.id, fitness=Fitness.UNFIT,
                                     assessed_on=TODAY, review_date=None))
    assert _problem(scene.institution).inmates[0].fitness == "unfit"


def test_a_run_leaves_the_garbage_collector_as_it_was(scene):
    from app.placements import operations

    scene.inmate()
    assert gc.isenabled()
    operations.start_run(scene.institution, None)
    assert gc.isenabled()
    gc.disable()
    try:
        operations.start_run(scene.institution, None)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.fixture
def count_queries(app):
    counter = {"n": 0}

    def count(*_):
        counter["n"] += 1

    sa.event.listen(db.engine, "before_cursor_execute", count)
    yield counter
    sa.event.remove(db.engine, "before_cursor_execute", count)


def test_queries_do_not_grow_with_inmates(scene, count_queries):
    vacancy = scene.vacancy()
    for _ in range(2):
        scene.inmate(consent=True)
    db.session.expire_all()
    count_queries["n"] = 0
    _problem(scene.institution)
    few = count_queries["n"]
    for _ in range(20):
        factories.placement(scene.inmate(consent=True), vacancy)
    db.session.expire_all()
    count_queries["n"] = 0
    _problem(scene.institution)
    # one query per kind of row; R28-R30 add four (levels, flags, bans, the flagged
    # persons at each workplace), R31 one (applications)
    assert count_queries["n"] == few <= 20
