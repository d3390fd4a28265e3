"""What applications do when the packages below them act, and what they tell them:
receivers of app/core/signals.py, connected when ``create_app`` imports this module."""

from datetime import date
from typing import Any

from flask_babel import gettext as _

import matching
from app.applications import answers, operations, waiting
from app.applications.models import Application, ApplicationState
from app.core import signals
from app.core.vocabulary import EndReason, ProposalStatus
from app.extensions import db
from app.inmates.models import Inmate
from app.placements.models import MatchRun, Proposal
from app.training.models import Course, Enrolment
from app.vacancies.models import Vacancy


@signals.open_applications.connect
def open_applications(_day: date, *, inmate_ids: Any) -> dict[int, dict[str, date]]:
    return operations.open_applications(inmate_ids)


@signals.match_run_stored.connect
def answer_after_run(run: MatchRun, *, problem: matching.Problem,
                     outcome: matching.MatchResult) -> None:
    answers.record_answers(run, problem, outcome)


@signals.proposal_decided.connect
def follow_decided_proposal(proposal: Proposal) -> None:
    """An accepted proposal accepts the application it offered; one the officer turned
    down puts the application back on the list (received), still open."""
    found = db.session.query(Application).filter_by(
        proposal_id=proposal.id, state=ApplicationState.OFFERED).all()
    for application in found:
        if proposal.status == ProposalStatus.ACCEPTED:
            operations.accept_offer(application)
        else:
            operations.move(application, ApplicationState.RECEIVED)


@signals.enrolled.connect
def accept_offered_seat(enrolment: Enrolment) -> None:
    """Enrolling the person takes the seat their application was offered (a freed seat
    handed over, or a run's offer): the offer is accepted. An application still waiting
    (received) is left alone: the officer may enrol without an offer, and an
    application does not end without a step of the lifecycle R31 names."""
    found = db.session.query(Application).filter_by(
        inmate_id=enrolment.inmate_id, course_id=enrolment.course_id,
        state=ApplicationState.OFFERED).all()
    for application in found:
        operations.accept_offer(application)


@signals.place_freed.connect
def hand_over_freed_place(target: Vacancy | Course, *, on: date) -> None:
    waiting.hand_over(target, on)


@signals.inmate_leaving.connect
def close_applications_of_leaving(inmate: Inmate, *, on: date, reason: EndReason) -> None:
    """Release and transfer close the person's open applications (R31's "closed")."""
    text = _("released") if reason == EndReason.RELEASED else _("transferred")
    operations.close_open_of_inmate(inmate.id, text, on)


@signals.inmate_profile.connect
def applications_of(inmate: Inmate, *, today: date | None) -> dict[str, Any]:
    return {"applications": operations.applications_of(inmate.id)}
