"""The engine's side of R31 as the app uses it: the input built from applications,
answers stored after a run in the person's language, waiting lists and a freed place
handed to the first eligible person."""

from datetime import timedelta

import sqlalchemy as sa

from app.applications import operations as ops
from app.applications import waiting
from app.applications.models import AnswerKind, Application, ApplicationState
from app.core.vocabulary import EndReason, ProposalStatus
from app.extensions import db
from app.placements import adapter
from app.placements.models import MatchRun, Proposal
from app.placements.operations import accept_proposal, end_placement, start_run
from app.training.models import Enrolment
from app.training.operations import drop, enrol
from tests import factories
from tests.applications.conftest import apply_for
from tests.factories import TODAY


def _reload(application) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application.id)


def test_the_engine_input_is_built_from_the_open_applications(scene):
    person = scene.people[0]
    trade = scene.vacancy.trade
    apply_for(person, scene.vacancy, days_ago=4)
    ops.apply(person, kind="trade", target_id=trade.id, received_on=TODAY - timedelta(days=2))
    ops.withdraw(apply_for(person, scene.course, days_ago=1))
    db.session.commit()
    seen = {i.id: i for i in adapter.load_inmates([p.id for p in scene.people], TODAY)}
    assert seen[str(person.id)].applications == {
        f"vacancy:{scene.vacancy.id}": TODAY - timedelta(days=4),
        f"trade:{trade.code}": TODAY - timedelta(days=2)}  # not the withdrawn course
    assert seen[str(scene.people[1].id)].applications == {}


def test_a_run_answers_every_open_application_in_the_persons_language(scene):
    """One position, two applicants: the earlier applicant is offered it (with the
    run's proposal), the later one is answered in Kazakh, and a person who may not
    work is told the rule."""
    first, second, unfit = scene.people
    second.language = "kk"
    unfit.fitness = "unfit"
    db.session.add(factories.MedicalAssessment(inmate_id=unfit.id, fitness="unfit",
                                               assessed_on=TODAY - timedelta(days=1)))
    early = apply_for(first, scene.vacancy, days_ago=9)
    late = apply_for(second, scene.vacancy, days_ago=2)
    barred = apply_for(unfit, scene.vacancy, days_ago=3)
    run = start_run(scene.institution, scene.officer.id)
    db.session.commit()
    early, late, barred = _reload(early), _reload(late), _reload(barred)
    proposal = db.session.scalar(sa.select(Proposal).where(Proposal.run_id == run.id))
    assert proposal.inmate_id == first.id
    assert (early.state, early.answer_kind, early.proposal_id) == (
        ApplicationState.OFFERED, AnswerKind.OFFERED, proposal.id)
    assert early.answered_by_run_id == run.id and early.answered_on == TODAY
    assert early.answer_language == "ru" and "Предложено" in early.answer_text
    assert late.state == ApplicationState.RECEIVED
    assert late.answer_kind in (AnswerKind.OUTSCORED, AnswerKind.WAITING)
    assert late.answer_language == "kk" and late.answer_text
    assert late.answer_text != _reload(late).answer_text.encode().decode("ascii", "ignore")
    assert barred.state == ApplicationState.NOT_ELIGIBLE
    assert "R3" in barred.answer_params["rules"] and "R3" in barred.reason


def test_accepting_the_proposal_accepts_the_application_and_rejecting_puts_it_back(scene):
    first, second, _ = scene.people
    scene.vacancy.positions = 2
    apply_for(first, scene.vacancy, days_ago=9)
    apply_for(second, scene.vacancy, days_ago=8)
    run = start_run(scene.institution, scene.officer.id)
    db.session.commit()
    proposals = {p.inmate_id: p for p in db.session.scalars(
        sa.select(Proposal).where(Proposal.run_id == run.id))}
    accept_proposal(proposals[first.id], scene.officer.id)
    from app.placements.operations import reject_proposal

    reject_proposal(proposals[second.id], scene.officer.id, "not this month")
    db.session.commit()
    states = {a.inmate_id: a.state for a in db.session.scalars(sa.select(Application))}
    assert states == {first.id: ApplicationState.ACCEPTED,
                      second.id: ApplicationState.RECEIVED}


def test_a_decline_rejects_the_pending_proposal_with_the_persons_choice(scene):
    application = apply_for(scene.people[0], scene.vacancy, days_ago=3)
    start_run(scene.institution, scene.officer.id)
    db.session.commit()
    application = _reload(application)
    ops.decline(application, "I want the course first")
    db.session.commit()
    proposal = db.session.get(Proposal, application.proposal_id)
    assert proposal.status == ProposalStatus.REJECTED
    assert _reload(application).state == ApplicationState.DECLINED


def test_a_freed_position_goes_to_the_first_eligible_on_the_list(scene):
    worker = factories.inmate(scene.institution, last_name="Worker")
    placement = factories.placement(worker, scene.vacancy)  # the one position is taken
    later = apply_for(scene.people[0], scene.vacancy, days_ago=2)
    earlier = apply_for(scene.people[1], scene.vacancy, days_ago=6)
    places = waiting.waiting_list(scene.vacancy)
    assert [p.application.id for p in places if p.eligible] == [earlier.id, later.id]
    assert [(p.position, p.of) for p in places] == [(1, 2), (2, 2)]
    end_placement(placement, EndReason.COMPLETED, TODAY)
    db.session.commit()
    earlier, later = _reload(earlier), _reload(later)
    assert earlier.state == ApplicationState.OFFERED and later.state == ApplicationState.RECEIVED
    proposal = db.session.get(Proposal, earlier.proposal_id)
    assert (proposal.inmate_id, proposal.vacancy_id, proposal.status) == (
        scene.people[1].id, scene.vacancy.id, ProposalStatus.PENDING)
    handover = db.session.get(MatchRun, proposal.run_id)
    assert handover.handover_for == f"vacancy:{scene.vacancy.id}"


def test_a_freed_seat_goes_to_the_first_eligible_on_the_course_list(scene):
    holder = scene.people[2]
    enrolment = enrol(scene.course, holder)  # the one seat is taken
    db.session.commit()
    first = apply_for(scene.people[0], scene.course, days_ago=7)
    second = apply_for(scene.people[1], scene.course, days_ago=1)
    drop(db.session.get(Enrolment, enrolment.id), "moved to another unit")
    db.session.commit()
    assert _reload(first).state == ApplicationState.OFFERED
    assert _reload(first).answer_kind == AnswerKind.OFFERED
    assert _reload(second).state == ApplicationState.RECEIVED


def test_nobody_waiting_builds_no_problem(scene, monkeypatch):
    worker = factories.inmate(scene.institution)
    placement = factories.placement(worker, scene.vacancy)

    def refuse(*args, **kwargs):
        raise AssertionError("the problem was built")

    monkeypatch.setattr(adapter, "build_problem", refuse)
    end_placement(placement, EndReason.COMPLETED, TODAY)
    db.session.commit()


def test_enrolling_the_person_offered_a_freed_seat_accepts_their_application(scene):
    holder, first, second = scene.people[2], scene.people[0], scene.people[1]
    enrolment = enrol(scene.course, holder)  # the one seat is taken
    db.session.commit()
    offered = apply_for(first, scene.course, days_ago=7)
    waiting_one = apply_for(second, scene.course, days_ago=1)
    drop(db.session.get(Enrolment, enrolment.id), "moved to another unit")
    db.session.commit()
    assert _reload(offered).state == ApplicationState.OFFERED
    enrol(scene.course, db.session.get(type(first), first.id))
    db.session.commit()
    assert _reload(offered).state == ApplicationState.ACCEPTED
    assert _reload(waiting_one).state == ApplicationState.RECEIVED  # still on the list
