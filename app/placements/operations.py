"""Placements: starting and ending them. History is never deleted (R19)."""

from datetime import date

import sqlalchemy as sa

from app.core.errors import RuleViolation
from app.core.vocabulary import EndReason
from app.extensions import db
from app.placements.models import Placement


def active_on(day: date) -> sa.ColumnElement[bool]:
    """Placements active on ``day`` (end date exclusive)."""
    return sa.and_(
        Placement.start_date <= day,
        sa.or_(Placement.end_date.is_(None), Placement.end_date > day),
    )


def end_placement(placement: Placement, reason: EndReason, on: date, note: str = "") -> None:
    """End ``placement`` on ``on`` (the first day not worked) with ``reason``."""
    if placement.end_date is not None:
        raise RuleViolation("placement", "has already ended")
    if on < placement.start_date:
        raise RuleViolation("end_date", "is before the placement started")
    placement.end_date = on
    placement.end_reason = reason
    placement.end_note = note


def end_active_placements(
    *, reason: EndReason, on: date, inmate_id: int | None = None,
    vacancy_id: int | None = None, note: str = "",
) -> list[Placement]:
    """End every placement of an inmate or a vacancy still open on ``on``."""
    query = sa.select(Placement).where(Placement.end_date.is_(None))
    if inmate_id is not None:
        query = query.where(Placement.inmate_id == inmate_id)
    if vacancy_id is not None:
        query = query.where(Placement.vacancy_id == vacancy_id)
    ended = list(db.session.scalars(query))
    for placement in ended:
        end_placement(placement, reason, max(on, placement.start_date), note)
    return ended
