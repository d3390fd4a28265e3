"""Every open application's answer after a match run (R31), from the engine's own
explanation (``matching.applications.answers``), kept with its text in the language
the person chose (Kazakh or Russian) as it was when given.

offered       a proposal of the run is for what was asked: the state becomes offered
waiting       on the waiting list, position N of M
not_eligible  with the rule in plain words: the state becomes not eligible
outscored     by how many points, and the course that would help
closed        the vacancy or course closed: the state becomes closed
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

import matching
from app.applications.lists import ranked
from app.applications.models import (
    OPEN_STATES,
    AnswerKind,
    Application,
    ApplicationKind,
    ApplicationState,
)
from app.applications.operations import close, engine_key, move, target_open
from app.core.labels import rule_reason
from app.core.models import utcnow
from app.extensions import db
from app.inmates.models import Inmate
from app.placements.models import MatchRun, Proposal
from app.taxonomy.models import Trade, localized_name
from app.training.models import Course
from app.vacancies.models import Vacancy
from matching.applications import answers as engine_answers
from policy.clock import today_in_kazakhstan


def record_answers(run: MatchRun, problem: matching.Problem,
                   outcome: matching.MatchResult) -> int:
    """Answer every open application of the run's institution; how many were answered."""
    waiting_answer = _open_of(run.institution_id)
    if not waiting_answer:
        return 0
    found = engine_answers(problem, outcome)
    proposals = {p.inmate_id: p for p in db.session.scalars(
        sa.select(Proposal).where(Proposal.run_id == run.id))}
    answered = 0
    lists: dict[str, dict[str, Any]] = {}
    for application in waiting_answer:
        answer = found.get((str(application.inmate_id), _key(application)))
        if answer is None:
            continue
        kind, params = AnswerKind(answer.kind), _params(answer)
        if kind == AnswerKind.CLOSED and target_open(_target(application), problem.as_of):
            kind, params = _waiting(application, problem, lists)
        give_answer(application, kind, params, run_id=run.id,
                    proposal=_offering(application, proposals.get(application.inmate_id)))
        answered += 1
    return answered


def _target(application: Application) -> Any:
    return application.vacancy or application.course or application.trade


def _waiting(application: Application, problem: matching.Problem,
             lists: dict[str, dict[str, Any]]) -> tuple[AnswerKind, dict[str, Any]]:
    """The engine calls a full vacancy or course closed (no place this run); while it is
    open the person waits for the next place, at their position on its list."""
    if application.kind == ApplicationKind.TRADE:
        return AnswerKind.WAITING, {"rules": [], "position": None, "of": None}
    key = _key(application)
    if key not in lists:
        lists[key] = {p.inmate_id: p for p in ranked(problem, _target(application))}
    places = lists[key]
    mine = places.get(str(application.inmate_id))
    of = sum(p.eligible for p in places.values())
    if mine is None or not mine.eligible:
        return AnswerKind.NOT_ELIGIBLE, {"rules": list(mine.reasons if mine else ())}
    return AnswerKind.WAITING, {"rules": [], "position": mine.position, "of": of}


def _open_of(institution_id: int) -> list[Application]:
    return list(db.session.scalars(sa.select(Application).where(
        Application.institution_id == institution_id, Application.state.in_(OPEN_STATES))))


def _key(application: Application) -> str:
    code = application.trade.code if application.kind == ApplicationKind.TRADE else None
    return engine_key(application.kind, application.vacancy_id, application.course_id, code)


def _params(answer: Any) -> dict[str, Any]:
    """The answer's facts as JSON (the text is rendered from these)."""
    return {"rules": list(answer.rules or ()), "position": answer.position, "of": answer.of,
            "score_gap": answer.score_gap,
            "helping_course_id": int(answer.helping_course_id)
            if answer.helping_course_id not in (None, "") else None}


def _offering(application: Application, proposal: Proposal | None) -> Proposal | None:
    """The run's proposal for this person when it is for what they asked."""
    if proposal is None or application.kind == ApplicationKind.COURSE:
        return None
    if application.kind == ApplicationKind.VACANCY:
        return proposal if proposal.vacancy_id == application.vacancy_id else None
    vacancy = db.session.get(Vacancy, proposal.vacancy_id)
    return proposal if vacancy.trade_id == application.trade_id else None


def give_answer(application: Application, kind: AnswerKind | str, params: dict[str, Any],
                *, run_id: int | None = None, proposal: Proposal | None = None,
                today: date | None = None) -> None:
    """Store the answer with its text in the person's language, and move the state
    where the answer decides it (offered, not eligible, closed)."""
    kind = AnswerKind(kind)
    today = today or today_in_kazakhstan()
    language = db.session.get(Inmate, application.inmate_id).language or "ru"
    application.answer_kind, application.answer_params = kind, params
    application.answer_language = language
    application.answer_text = answer_text(application, kind, params, language)
    application.answered_at = utcnow()
    application.answered_on = application.answered_on or today
    application.answered_by_run_id = run_id
    waiting = kind == AnswerKind.WAITING and params.get("position")
    application.position = params["position"] if waiting else None
    application.waiting_of = params["of"] if waiting else None
    _follow(application, kind, params, proposal, today)
    db.session.flush()


def _follow(application: Application, kind: AnswerKind, params: dict[str, Any],
            proposal: Proposal | None, today: date) -> None:
    """The state the answer leads to."""
    if kind == AnswerKind.OFFERED:
        if proposal is not None or application.state == ApplicationState.RECEIVED:
            application.proposal_id = proposal.id if proposal is not None else None
        if application.state == ApplicationState.RECEIVED:
            move(application, ApplicationState.OFFERED, None, today)
    elif kind == AnswerKind.NOT_ELIGIBLE and application.state == ApplicationState.RECEIVED:
        # an offer already made stands until the officer or the person decides it
        move(application, ApplicationState.NOT_ELIGIBLE, _rules_text(params["rules"]), today)
    elif kind == AnswerKind.CLOSED:
        close(application, application.answer_text, today)


def _rules_text(rules: Iterable[str]) -> str:
    return "; ".join(f"{rule}: {rule_reason(rule, rule)}" for rule in rules)


# --- the words ------------------------------------------------------------------------------

def target_name(application: Application) -> str:
    """What was asked, as the person reads it (a trade in their language)."""
    if application.kind == ApplicationKind.VACANCY:
        return db.session.get(Vacancy, application.vacancy_id).title
    if application.kind == ApplicationKind.COURSE:
        return db.session.get(Course, application.course_id).title
    return localized_name(db.session.get(Trade, application.trade_id))


def answer_text(application: Application, kind: AnswerKind, params: dict[str, Any],
                language: str) -> str:
    """The answer in ``language`` ("kk" or "ru"), whatever the officer's own."""
    with force_locale(language):
        return _sentence(kind, params, target_name(application))


def _sentence(kind: AnswerKind, params: dict[str, Any], target: str) -> str:
    if kind == AnswerKind.OFFERED:
        return _("Offered: %(target)s. The labour officer will talk to you about the start.",
                 target=target)
    if kind == AnswerKind.WAITING:
        return _("On the waiting list for %(target)s: position %(position)s of %(of)s.",
                 target=target, position=params.get("position"), of=params.get("of"))
    if kind == AnswerKind.NOT_ELIGIBLE:
        return _("Not eligible for %(target)s: %(rules)s.", target=target,
                 rules=_rules_text(params.get("rules") or ()))
    if kind == AnswerKind.OUTSCORED:
        text = _("Others fitted %(target)s better this time, by %(gap)s points.",
                 target=target, gap=params.get("score_gap"))
        course = db.session.get(Course, params["helping_course_id"]) \
            if params.get("helping_course_id") else None
        if course is not None:
            text += " " + _("The course %(course)s would help.", course=course.title)
        return text
    return _("%(target)s is closed.", target=target)
