"""Fair waiting lists (R31) for courses and popular vacancies: ordered by the engine's
own rule (``matching.applications.waiting_list``: applicants first, earlier applications
first, then the fit), so the list the officer and the person see is the order a freed
place follows.

A freed position (a placement ended) or seat (an enrolment dropped) goes to the first
eligible person on the list: for a vacancy as a proposal of a run over that one place
(stored like every run, marked ``handover_for``), for a course as an offered seat the
officer enrols."""

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import matching
from app.applications.answers import give_answer
from app.applications.lists import ranked, target_key
from app.applications.models import AnswerKind, Application, ApplicationState
from app.applications.operations import open_for_target, target_open
from app.extensions import db
from app.institutions.models import Institution
from app.placements import adapter
from app.placements.models import MatchRun, Proposal
from app.placements.operations import store_run
from app.settings.operations import settings_for
from app.training.models import Course
from app.vacancies.models import Vacancy
from policy.clock import today_in_kazakhstan


@dataclass(frozen=True)
class Place:
    """One person's place on a waiting list, with their application."""

    position: int | None  # among the eligible; None when not eligible
    of: int
    application: Application | None
    eligible: bool
    reasons: list[str]
    applied_on: date | None


def _problem(institution_id: int, day: date) -> tuple[matching.Problem, Any]:
    settings = settings_for(day.year)
    institution = db.session.get(Institution, institution_id)
    return adapter.build_problem(institution, day, settings), settings


def waiting_list(target: Vacancy | Course, day: date | None = None) -> list[Place]:
    """The target's waiting list today, in the engine's order."""
    day = day or today_in_kazakhstan()
    key = target_key(target)
    open_ones = {str(a.inmate_id): a for a in open_for_target(key, target.institution_id)}
    if not open_ones:
        return []  # nobody asked: no problem to build
    problem, _settings = _problem(target.institution_id, day)
    places = ranked(problem, target)
    eligible = sum(p.eligible for p in places)  # M of "N of M": the eligible on the list
    return [Place(p.position, eligible, open_ones.get(str(p.inmate_id)), p.eligible,
                  list(p.reasons or ()), p.applied_on) for p in places]


def hand_over(target: Vacancy | Course, on: date) -> Application | None:
    """Offer the freed place to the first eligible person on its list; the application
    offered, or None when nobody on the list may take it."""
    day = max(on, today_in_kazakhstan())
    if not target_open(target, day):
        return None
    first = next((p for p in waiting_list(target, day)
                  if p.eligible and p.application is not None
                  and p.application.state == ApplicationState.RECEIVED), None)
    if first is None:
        return None
    application = first.application
    proposal = _propose(target, application, day) if isinstance(target, Vacancy) else None
    if isinstance(target, Vacancy) and proposal is None:
        return None  # the engine found no lawful placement after all: nothing is offered
    give_answer(application, AnswerKind.OFFERED, {"position": first.position, "of": first.of},
                run_id=proposal.run_id if proposal else None, proposal=proposal, today=day)
    return application


def _propose(vacancy: Vacancy, application: Application, day: date) -> Proposal | None:
    """A run over the one freed place and the one person: the engine scores and checks
    the pair as in any run, and its proposal waits for the officer like any other."""
    problem, settings = _problem(vacancy.institution_id, day)
    person = [i for i in problem.inmates if i.id == str(application.inmate_id)]
    place = [v for v in problem.vacancies if v.id == str(vacancy.id) and v.free_positions]
    if not person or not place:
        return None
    one = replace(problem, inmates=person, vacancies=[replace(place[0], free_positions=1)],
                  courses=())
    outcome = matching.match(one, with_training=False)
    if not outcome.proposals:
        return None
    run: MatchRun = store_run(vacancy.institution_id, None, one, outcome, settings,
                              handover_for=target_key(vacancy))
    return db.session.query(Proposal).filter_by(run_id=run.id).one()
