"""Suspending a placement without ending it, resuming it, and a workshop's allocation
history (HMPPS Activities' "suspend" and "allocation history").

A suspension (a sickness, a disciplinary cell, a court visit, other) runs from its first
day to the first day back at work (end date exclusive, like a placement's; open until
resumed). The placement stays active: the person keeps the place, counts among the
employed for R1 (a suspended placement is still a placement; DOMAIN.md gives no rule
taking it out) and holds the position (R11), but is not due at work while suspended and
so is not on the day's unlock list (app/pay/attendance.py).

Operations add and flush; the request commits once. Audited (R18) as every change of
an ``__audited__`` model.
"""

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.errors import Conflict, Refusals, RuleViolation
from app.core.plausible import refuse
from app.core.vocabulary import SuspensionReason
from app.extensions import db
from app.inmates.models import Inmate
from app.placements.models import Placement, Suspension
from policy import plausible
from policy.clock import today_in_kazakhstan


def suspend(placement: Placement, reason: SuspensionReason, start: date, end: date | None,
            note: str, user_id: int | None) -> Suspension:
    """Suspend ``placement`` from ``start`` (the first day off work) until ``end`` (the
    first day back; None: until resumed). Every problem at once."""
    today, problems = today_in_kazakhstan(), []
    try:
        refuse("start_date", plausible.event_day(start, today))
    except RuleViolation as problem:
        problems.append(problem)
    if placement.end_date is not None and start >= placement.end_date:
        problems.append(RuleViolation("start_date", _("the placement has ended by this day")))
    elif start < placement.start_date:
        problems.append(RuleViolation("start_date", _("is before the placement started")))
    if end is not None and end <= start:
        problems.append(RuleViolation("end_date", _("must be after the first day off work")))
    if reason == SuspensionReason.OTHER and not note.strip():
        problems.append(RuleViolation("note", _("say why: the reason is \"other\"")))
    if not problems:
        clash = db.session.scalar(sa.select(Suspension).where(
            Suspension.placement_id == placement.id,
            Suspension.end_date.is_(None) | (Suspension.end_date > start),
            sa.true() if end is None else Suspension.start_date < end).limit(1))
        if clash is not None:
            problems.append(Conflict("start_date", _(
                "the placement is already suspended from %(day)s",
                day=clash.start_date.isoformat())))
    if problems:
        raise problems[0] if len(problems) == 1 else Refusals(problems)
    suspension = Suspension(
        placement_id=placement.id, institution_id=placement.institution_id,
        vacancy_id=placement.vacancy_id, reason=reason, note=note.strip(), start_date=start,
        end_date=end, created_by_id=user_id)
    db.session.add(suspension)
    db.session.flush()
    return suspension


def current_suspension(placement: Placement, on: date | None = None) -> Suspension | None:
    """The suspension not yet over on ``on`` (in force, or starting later), if any."""
    on = on or today_in_kazakhstan()
    return db.session.scalar(sa.select(Suspension).where(
        Suspension.placement_id == placement.id,
        Suspension.end_date.is_(None) | (Suspension.end_date > on),
    ).order_by(Suspension.start_date).limit(1))


def resume(placement: Placement, on: date) -> Suspension:
    """Back at work on ``on`` (the first day back): the suspension not over by then ends
    that day. Resuming on its first day undoes it (no day was off)."""
    suspension = current_suspension(placement, on)
    if suspension is None:
        raise Conflict("placement", _("the placement is not suspended"))
    refuse("on", plausible.event_day(on, today_in_kazakhstan()))
    if on < suspension.start_date:
        raise RuleViolation("on", _("is before the suspension started (%(day)s)",
                                    day=suspension.start_date.isoformat()))
    suspension.end_date = on
    db.session.flush()
    return suspension


def end_with_placement(placement: Placement, on: date) -> None:
    """The placement ends on ``on`` (its first day without work): a suspension not over
    by then ends that day too, so none stays open on an ended placement (the unlock list,
    the workshop's history and the person's page would show them suspended for ever).
    One that was to start on or after ``on`` ends on its first day: no day was off."""
    for suspension in db.session.scalars(sa.select(Suspension).where(
            Suspension.placement_id == placement.id,
            Suspension.end_date.is_(None) | (Suspension.end_date > on))):
        suspension.end_date = max(on, suspension.start_date)
    db.session.flush()


def suspensions_of(placement_ids: list[int]) -> dict[int, list[Suspension]]:
    """Each placement's suspensions, newest first."""
    found: dict[int, list[Suspension]] = {}
    for suspension in db.session.scalars(sa.select(Suspension).where(
            Suspension.placement_id.in_(placement_ids)).order_by(Suspension.start_date.desc())):
        found.setdefault(suspension.placement_id, []).append(suspension)
    return found


# --- a workshop's allocation history ----------------------------------------------------

# Events of one day in the order they happen: an ending or a return to work before a
# start, a start before a suspension from that same day.
EVENT_ORDER = {"ended": 0, "resumed": 1, "started": 2, "suspended": 3}


def history_query(vacancy_id: int) -> sa.Select:
    """Every start, ending, suspension and return to work of ``vacancy_id``'s
    placements, newest first: rows of (event, day, placement_id, inmate_id, name,
    reason, note, until). ``until`` is a suspension's first day back, if set."""
    text = sa.String(500)
    started = sa.select(
        sa.literal("started", sa.String(16)).label("event"), Placement.start_date.label("day"),
        Placement.id.label("placement_id"), sa.cast(sa.null(), sa.String(32)).label("reason"),
        sa.cast(sa.literal(""), text).label("note"), sa.cast(sa.null(), sa.Date).label("until"),
    ).where(Placement.vacancy_id == vacancy_id)
    ended = sa.select(
        sa.literal("ended", sa.String(16)), Placement.end_date, Placement.id,
        sa.cast(Placement.end_reason, sa.String(32)), sa.cast(Placement.end_note, text),
        sa.cast(sa.null(), sa.Date),
    ).where(Placement.vacancy_id == vacancy_id, Placement.end_date.is_not(None))
    suspended = sa.select(
        sa.literal("suspended", sa.String(16)), Suspension.start_date, Suspension.placement_id,
        sa.cast(Suspension.reason, sa.String(32)), sa.cast(Suspension.note, text),
        Suspension.end_date,
    ).where(Suspension.vacancy_id == vacancy_id)
    resumed = sa.select(
        sa.literal("resumed", sa.String(16)), Suspension.end_date, Suspension.placement_id,
        sa.cast(sa.null(), sa.String(32)), sa.cast(sa.literal(""), text),
        sa.cast(sa.null(), sa.Date),
    ).where(Suspension.vacancy_id == vacancy_id, Suspension.end_date.is_not(None),
            Suspension.end_date > Suspension.start_date)
    events = sa.union_all(started, ended, suspended, resumed).subquery("events")
    order = sa.case({name: rank for name, rank in EVENT_ORDER.items()}, value=events.c.event)
    return (sa.select(events.c.event, events.c.day, events.c.placement_id,
                      Placement.inmate_id, Inmate.last_name, Inmate.first_name,
                      events.c.reason, events.c.note, events.c.until)
            .join(Placement, Placement.id == events.c.placement_id)
            .join(Inmate, Inmate.id == Placement.inmate_id)
            .order_by(events.c.day.desc(), order.desc(), events.c.placement_id.desc()))


def history_rows(query: sa.Select) -> list[dict[str, Any]]:
    """The history's rows as the API and the page show them."""
    return [{"event": row.event, "day": row.day, "placement_id": row.placement_id,
             "inmate_id": row.inmate_id, "inmate_name": f"{row.last_name} {row.first_name}",
             "reason": row.reason, "note": row.note or "", "until": row.until}
            for row in db.session.execute(query)]
