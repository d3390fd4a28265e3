"""Placement and removal orders, stored as issued.

A placement order is issued when a placement is made (``start_placement``), a removal
order when it ends (``end_placement``, whoever ends it: an officer, a release, a
withdrawn consent, a closed vacancy). Each is numbered in one sequence per institution
and year, ``<institution code>/<year>/<n>`` ("AK-159/20/2026/17"), and keeps the facts
of its text as they were that day and the language it was issued in, so a reprint
shows what was signed even after the record changed. Placements made before orders
were stored (and the demo's) get theirs on first print, or first read through the
API, dated the day the record gives (the placement's first day, the ending's last
working day); once issued a number never changes.

Races: the number is counted under a lock on the institution's row (``lock_rows``,
docs/races.md's way: lock what the count depends on, then count), so two orders of
one institution issued at the same moment wait for each other and take consecutive
numbers; the unique constraints are the database's last word. On PostgreSQL the lock
is ``FOR NO KEY UPDATE``: the placement each request has just inserted holds a key-share
lock on its institution (the foreign key), which ``FOR UPDATE`` would wait for, and two
requests would each wait for the other. A transaction rolled
back (a refusal, a rehearsal) leaves no gap.
"""

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import get_locale

from app.auth.models import User
from app.core.locks import lock_rows
from app.core.vocabulary import OrderKind, Role
from app.extensions import db
from app.institutions.models import Institution
from app.placements.models import Placement, PlacementOrder
from app.taxonomy.models import Trade
from policy.clock import today_in_kazakhstan

LANGUAGES = ("kk", "ru", "en")


def issue(placement: Placement, kind: OrderKind, *, issued_by_id: int | None,
          on: date | None = None) -> PlacementOrder:
    """The placement's order of ``kind``: the one stored, or a new one numbered next in
    its institution's year and holding the record's facts of today."""
    institution = lock_rows(Institution, [placement.institution_id], key_share=True)[0]
    stored = _stored(placement.id, kind)
    if stored is not None:
        return stored
    day = on or today_in_kazakhstan()
    sequence = 1 + (db.session.scalar(
        sa.select(sa.func.max(PlacementOrder.sequence)).where(
            PlacementOrder.institution_id == institution.id,
            PlacementOrder.year == day.year)) or 0)
    order = PlacementOrder(
        placement_id=placement.id, institution_id=institution.id, kind=kind, year=day.year,
        sequence=sequence, number=f"{institution.code}/{day.year}/{sequence}",
        issued_on=day, language=issuing_language(), issued_by_id=issued_by_id,
        facts=facts_of(placement, kind, institution, issued_by_id))
    db.session.add(order)
    db.session.flush()
    return order


def orders_of(placement: Placement) -> list[PlacementOrder]:
    """The placement's orders, placement order first; those a placement from before
    stored orders lacks are issued now (the removal order only once it has ended)."""
    kinds = [OrderKind.PLACEMENT] + ([OrderKind.REMOVAL] if placement.end_date else [])
    return [order_of(placement, kind) for kind in kinds]


def order_of(placement: Placement, kind: OrderKind) -> PlacementOrder:
    """The stored order of ``kind``, issued now if the placement has none (a placement
    from before orders were stored), dated the day the record gives."""
    stored = _stored(placement.id, kind)
    if stored is not None:
        return stored
    if kind == OrderKind.PLACEMENT:
        return issue(placement, kind, issued_by_id=placement.created_by_id,
                     on=min(placement.created_at.date(), placement.start_date))
    return issue(placement, kind, issued_by_id=None,
                 on=last_working_day(placement) or placement.end_date)


def listed(placement_ids: list[int]) -> dict[int, list[PlacementOrder]]:
    """{placement id: its stored orders, placement order first} for a page of rows."""
    found: dict[int, list[PlacementOrder]] = {}
    if placement_ids:
        for order in db.session.scalars(
                sa.select(PlacementOrder).where(PlacementOrder.placement_id.in_(placement_ids))
                .order_by(PlacementOrder.placement_id, PlacementOrder.kind)):
            found.setdefault(order.placement_id, []).append(order)
    return found


def _stored(placement_id: int, kind: OrderKind) -> PlacementOrder | None:
    return db.session.scalar(sa.select(PlacementOrder).where(
        PlacementOrder.placement_id == placement_id, PlacementOrder.kind == kind))


def last_working_day(placement: Placement) -> date | None:
    """The day before the end date (the first day without work); None when the
    placement ended on its first day, before any day was worked."""
    day = placement.end_date - timedelta(days=1)
    return day if day >= placement.start_date else None


def issuing_language() -> str:
    """The language the order is issued in: the issuing user's, else the app's default."""
    language = str(get_locale()) if has_request_context() else ""
    return language if language in LANGUAGES else current_app.config["BABEL_DEFAULT_LOCALE"]


def facts_of(placement: Placement, kind: OrderKind, institution: Institution,
             issued_by_id: int | None) -> dict[str, Any]:
    """What the order's text says, from the record as it is now (JSON: days as ISO
    dates, values of the vocabulary as stored, the trade in every language)."""
    vacancy, inmate = placement.vacancy, placement.inmate
    trade = db.session.get(Trade, vacancy.trade_id)
    officer = _officer_name(issued_by_id if kind == OrderKind.REMOVAL
                            else placement.created_by_id)
    facts: dict[str, Any] = {
        "institution": {"code": institution.code, "name": institution.name,
                        "address": institution.address or ""},
        "person": {"full_name": inmate.full_name, "file_number": inmate.file_number,
                   "birth_date": inmate.birth_date.isoformat()},
        "employer": vacancy.employer.name, "vacancy": vacancy.title,
        "trade": {"code": trade.code, "en": trade.name_en, "ru": trade.name_ru,
                  "kk": trade.name_kk or trade.name_ru},
        "site": vacancy.site.value, "shift": vacancy.shift.value,
        "weekly_hours": placement.weekly_hours, "monthly_wage": placement.monthly_wage,
        "start_date": placement.start_date.isoformat(), "officer": officer,
    }
    if kind == OrderKind.REMOVAL:
        facts.update(end_date=placement.end_date.isoformat(),
                     last_working_day=_iso(last_working_day(placement)),
                     end_reason=placement.end_reason.value, end_note=placement.end_note or "")
    return facts


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _officer_name(user_id: int | None) -> str:
    """The labour officer who signs: the one who acted, when an officer did (an employer
    closing a vacancy or a release by the system leaves the line to be filled in)."""
    user = db.session.get(User, user_id) if user_id is not None else None
    return user.full_name if user is not None and user.role == Role.OFFICER else ""
