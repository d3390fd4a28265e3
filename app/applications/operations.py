"""Applications (R31): recording them, the person's own moves (withdraw, accept or
decline an offer) and the lifecycle's other ends (closed at release, transfer or when
the vacancy or course closes). Functions add and flush; the request commits once.

Every change goes through ``move``, which knows the allowed steps, so a state is
never skipped; the audit trail (``__audited__``) keeps each step with who made it.
A decline ends the application and nothing else: no engine input, score, rate or
violation reads declined applications (tests/applications/test_states.py)."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from app.applications import scans
from app.applications.models import (
    OPEN_STATES,
    Application,
    ApplicationChannel,
    ApplicationKind,
    ApplicationState,
)
from app.core.errors import Conflict, RuleViolation
from app.core.plausible import refuse
from app.core.vocabulary import CustodyStatus, ProposalStatus, VacancyStatus
from app.extensions import db
from app.inmates.models import Inmate
from app.inmates.operations import active_trade
from app.inmates.rules import check_not_in_future
from app.placements.operations import reject_proposal
from app.taxonomy.models import Trade
from app.training.models import Course
from app.vacancies.models import Vacancy
from policy import plausible
from policy.clock import today_in_kazakhstan

S = ApplicationState
# The steps R31's lifecycle allows; the last four states are final.
STEPS: dict[ApplicationState, frozenset[ApplicationState]] = {
    S.RECEIVED: frozenset({S.OFFERED, S.WITHDRAWN, S.NOT_ELIGIBLE, S.CLOSED}),
    # an offer the officer turns down again goes back to waiting (received)
    S.OFFERED: frozenset({S.RECEIVED, S.ACCEPTED, S.DECLINED, S.WITHDRAWN, S.CLOSED}),
}
TARGET_COLUMN = {ApplicationKind.VACANCY: "vacancy_id", ApplicationKind.TRADE: "trade_id",
                 ApplicationKind.COURSE: "course_id"}


# --- recording -----------------------------------------------------------------------------

def apply(inmate: Inmate, *, kind: ApplicationKind | str, target_id: int,
          received_on: date | None = None, channel: ApplicationChannel | str = "paper",
          scan: FileStorage | None = None, user_id: int | None = None,
          today: date | None = None) -> Application:
    """Record an application of ``inmate`` for a vacancy, trade or course of their
    institution: on paper (received on the day written on it, with the scan) or at a
    kiosk (received today). One open application per person and target."""
    today = today or today_in_kazakhstan()
    kind, channel = ApplicationKind(kind), ApplicationChannel(channel)
    if inmate.status != CustodyStatus.HELD:
        raise RuleViolation("inmate_id", _("is not held any more"))
    received_on = today if channel == ApplicationChannel.KIOSK else (received_on or today)
    check_not_in_future("received_on", received_on, today)
    refuse("received_on", plausible.event_day(received_on, today))
    refuse("received_on", plausible.on_or_after(received_on, inmate.admission_date,
                                                _("admission date")))
    column = TARGET_COLUMN[kind]
    _check_target(kind, target_id, inmate.institution_id, today)
    if _open_for(inmate.id, column, target_id) is not None:
        raise Conflict("target_id", _("already has an open application from this person"))
    application = Application(
        inmate_id=inmate.id, institution_id=inmate.institution_id, kind=kind,
        received_on=received_on, channel=channel, state=S.RECEIVED,
        state_changed_on=received_on, recorded_by_id=user_id, **{column: target_id})
    db.session.add(application)
    if scan is not None and scan.filename:
        return attach_scan(application, scan)
    db.session.flush()
    return application


def attach_scan(application: Application, scan: FileStorage) -> Application:
    """Keep the paper's scan with the application (a later scan replaces it; the
    audit keeps the earlier name)."""
    application.scan_name, application.scan_filename = scans.keep(scan)
    db.session.flush()
    return application


def _check_target(kind: ApplicationKind, target_id: int, institution_id: int,
                  today: date) -> None:
    """What is asked exists, is open and belongs to the person's institution (a trade
    is anywhere's)."""
    if kind == ApplicationKind.TRADE:
        active_trade(target_id, "target_id")
        return
    model = Vacancy if kind == ApplicationKind.VACANCY else Course
    target = db.session.get(model, target_id)
    if target is None or target.institution_id != institution_id:
        raise RuleViolation("target_id", _("is not offered at the person's institution"))
    if not target_open(target, today):
        raise RuleViolation("target_id", _("is closed"))


def target_open(target: Vacancy | Course | Trade, today: date) -> bool:
    """Still open to applications on ``today`` (a trade, while it is active)."""
    if isinstance(target, Trade):
        return target.active
    if isinstance(target, Vacancy):
        return target.status == VacancyStatus.PUBLISHED and (
            target.end_date is None or target.end_date > today)
    return target.end_date > today


def _open_for(inmate_id: int, column: str, target_id: int) -> Application | None:
    return db.session.scalar(sa.select(Application).where(
        Application.inmate_id == inmate_id, getattr(Application, column) == target_id,
        Application.state.in_(OPEN_STATES)))


# --- the lifecycle --------------------------------------------------------------------------

def move(application: Application, state: ApplicationState, reason: str | None = None,
          today: date | None = None) -> Application:
    if state not in STEPS.get(application.state, frozenset()):
        raise Conflict("state", _("cannot go from %(old)s to %(new)s",
                                  old=application.state.value, new=state.value))
    application.state = state
    application.state_changed_on = today or today_in_kazakhstan()
    if reason is not None:
        application.reason = reason.strip()
    db.session.flush()
    return application


def withdraw(application: Application, reason: str = "",
             today: date | None = None) -> Application:
    """The person withdraws an open application (their words kept, if any); an offer's
    pending proposal is turned down with it."""
    move(application, S.WITHDRAWN, reason, today)
    _turn_down_proposal(application, _("Application withdrawn by the person"))
    return application


def decline(application: Application, reason: str, today: date | None = None) -> Application:
    """The person declines what was offered, in their own words. Recorded, never
    held against them: the application simply ends."""
    if not reason.strip():
        raise RuleViolation("reason", _("Write down the reason the person gives."))
    move(application, S.DECLINED, reason, today)
    _turn_down_proposal(application, _("Offer declined by the person"))
    return application


def accept_offer(application: Application, today: date | None = None) -> Application:
    """The person accepts the offer (for a vacancy, the placement itself starts when
    the officer accepts the proposal, which also marks this)."""
    return move(application, S.ACCEPTED, None, today)


def close(application: Application, reason: str, today: date | None = None) -> Application:
    """Closed: the vacancy or course closed, the person was released or transferred."""
    move(application, S.CLOSED, reason, today)
    _turn_down_proposal(application, reason)
    return application


def _turn_down_proposal(application: Application, reason: str) -> None:
    """The pending proposal that offered this application is rejected with ``reason``
    (the person's choice, not the officer's)."""
    proposal = application.proposal
    if proposal is not None and proposal.status == ProposalStatus.PENDING:
        reject_proposal(proposal, None, reason)


def close_open_of_inmate(inmate_id: int, reason: str, on: date) -> int:
    """Close every open application of a person who leaves (release, transfer)."""
    found = list(db.session.scalars(sa.select(Application).where(
        Application.inmate_id == inmate_id, Application.state.in_(OPEN_STATES))))
    for application in found:
        close(application, reason, on)
    return len(found)


# --- reading --------------------------------------------------------------------------------

def open_applications(inmate_ids: sa.Select | list[int]) -> dict[int, dict[str, date]]:
    """{inmate id: {engine key: day received}} of the open applications (the adapter's
    question, app/core/signals.py ``open_applications``)."""
    ids = inmate_ids if isinstance(inmate_ids, sa.Select) else list(inmate_ids)
    rows = db.session.execute(
        sa.select(Application.inmate_id, Application.kind, Application.vacancy_id,
                  Application.course_id, Trade.code, Application.received_on)
        .outerjoin(Trade, Trade.id == Application.trade_id)
        .where(Application.inmate_id.in_(ids), Application.state.in_(OPEN_STATES)))
    found: dict[int, dict[str, date]] = {}
    for inmate_id, kind, vacancy_id, course_id, code, received_on in rows:
        found.setdefault(inmate_id, {})[engine_key(kind, vacancy_id, course_id, code)] = \
            received_on
    return found


def engine_key(kind: Any, vacancy_id: int | None, course_id: int | None,
               trade_code: str | None) -> str:
    kind = ApplicationKind(kind)
    if kind == ApplicationKind.VACANCY:
        return f"vacancy:{vacancy_id}"
    if kind == ApplicationKind.COURSE:
        return f"course:{course_id}"
    return f"trade:{trade_code}"


def applications_of(inmate_id: int) -> list[Application]:
    return list(db.session.scalars(sa.select(Application).where(
        Application.inmate_id == inmate_id)
        .order_by(Application.received_on.desc(), Application.id.desc())))


def open_for_target(key: str, institution_id: int) -> list[Application]:
    """The open applications of an institution for one engine key."""
    kind, _colon, value = key.partition(":")
    query = sa.select(Application).where(Application.institution_id == institution_id,
                                         Application.state.in_(OPEN_STATES))
    if kind == "trade":
        query = query.join(Trade, Trade.id == Application.trade_id).where(Trade.code == value)
    else:
        query = query.where(getattr(Application, TARGET_COLUMN[ApplicationKind(kind)])
                            == int(value))
    return list(db.session.scalars(query))
