"""Placement and removal orders, stored as issued.

A placement order is issued when a placement is made (``start_placement``), a removal
order when it ends (``end_placement``, whoever ends it: an officer, a release, a
withdrawn consent, a closed vacancy). Each is numbered in one sequence per institution
and year, ``<institution code>/<year>/<n>`` ("AK-159/20/2026/17"), and keeps the facts
of its text as they were that day and the language it was issued in, so a reprint
shows what was signed even after the record changed.

Reading never issues: the print pages and the API read what is stored (a placement
without its order answers 404 saying so). Placements made before orders were stored got
theirs from a data migration (``ee56034daeaa``), the demo's from its seed
(``issue_missing``), both numbered in date order: the order of the
day each was issued (the placement's first day, or the day it was recorded if earlier;
an ending's last working day), then the placement's id, after the numbers already
issued that year; once issued a number never changes.

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
from flask import abort, current_app, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.core.locks import lock_rows
from app.core.vocabulary import OrderKind, Role
from app.extensions import db
from app.institutions.models import Institution
from app.placements.models import Placement, PlacementOrder
from app.taxonomy.models import Trade
from app.vacancies.models import Vacancy
from policy.clock import day_of, today_in_kazakhstan

LANGUAGES = ("kk", "ru", "en")


def issue(placement: Placement, kind: OrderKind, *, issued_by_id: int | None,
          on: date | None = None) -> PlacementOrder:
    """The placement's order of ``kind``: the one stored, or a new one numbered next in
    its institution's year and holding the record's facts of today."""
    institution = lock_rows(Institution, [placement.institution_id], key_share=True)[0]
    stored = stored_order(placement.id, kind)
    if stored is not None:
        return stored
    day = on or today_in_kazakhstan()
    order = _new_order(placement, kind, institution, day, _last_number(institution.id, day.year)
                       + 1, issued_by_id, issuing_language())
    db.session.add(order)
    db.session.flush()
    return order


def issue_missing(today: date | None = None, language: str | None = None) -> int:
    """Issue every order the placements lack (the demo's seed writes its placements
    directly), as operations would have issued them on their days: in date order per
    institution and year (``missing``), after the numbers already issued; how many.
    In ``language`` when given, else in that of the user who made the placement."""
    today = today or today_in_kazakhstan()
    wanted = missing(today)
    institutions = {i.id: i for i in lock_rows(
        Institution, sorted({placement.institution_id for _, placement, _ in wanted}),
        key_share=True)}
    last: dict[tuple[int, int], int] = {}
    new = []  # added at the end: a pending order would be flushed by each read of facts
    for day, placement, kind in wanted:
        key = (placement.institution_id, day.year)
        if key not in last:
            last[key] = _last_number(*key)
        last[key] += 1
        issued_by_id = placement.created_by_id if kind == OrderKind.PLACEMENT else None
        new.append(_new_order(placement, kind, institutions[key[0]], day, last[key],
                              issued_by_id, language or _language_of(issued_by_id)))
    db.session.add_all(new)
    db.session.flush()
    return len(wanted)


def missing(today: date) -> list[tuple[date, Placement, OrderKind]]:
    """(day, placement, kind) of every order not issued, in the order their numbers
    follow: by ``issuing_day``, then placement, the placement order before the removal."""
    lacking = (~sa.exists().where(PlacementOrder.placement_id == Placement.id,
                                  PlacementOrder.kind == OrderKind.PLACEMENT)
               | (Placement.end_date.is_not(None) & ~sa.exists().where(
                   PlacementOrder.placement_id == Placement.id,
                   PlacementOrder.kind == OrderKind.REMOVAL)))
    issued = set(db.session.execute(sa.select(PlacementOrder.placement_id, PlacementOrder.kind)
                                    .where(PlacementOrder.placement_id.in_(
                                        sa.select(Placement.id).where(lacking)))).tuples())
    wanted = []
    for placement in db.session.scalars(sa.select(Placement).where(lacking).options(
            selectinload(Placement.inmate),
            selectinload(Placement.vacancy).options(selectinload(Vacancy.employer),
                                                    selectinload(Vacancy.trade)))):
        kinds = [OrderKind.PLACEMENT] + ([OrderKind.REMOVAL] if placement.end_date else [])
        wanted += [(issuing_day(placement, kind, today), placement, kind) for kind in kinds
                   if (placement.id, kind) not in issued]
    return sorted(wanted, key=lambda w: (w[1].institution_id, w[0], w[1].id, w[2].value))


def issuing_day(placement: Placement, kind: OrderKind, today: date) -> date:
    """The day an order issued late is dated, as the record gives it: the placement's
    first day (or the day it was recorded, if earlier), the ending's last working day
    (its end date when it ended on its first day); never after ``today``."""
    if kind == OrderKind.PLACEMENT:
        day = min(day_of(placement.created_at), placement.start_date)
    else:
        day = last_working_day(placement) or placement.end_date
    return min(day, today)


def order_of(placement: Placement, kind: OrderKind) -> PlacementOrder:
    """The stored order of ``kind``; 404 saying so when none was issued (reading never
    issues one)."""
    stored = stored_order(placement.id, kind)
    if stored is None:
        abort(404, description=_("No order of this kind was issued for this placement."))
    return stored


def orders_of(placement: Placement) -> list[PlacementOrder]:
    """The placement's stored orders, placement order first."""
    return listed([placement.id]).get(placement.id, [])


def listed(placement_ids: list[int]) -> dict[int, list[PlacementOrder]]:
    """{placement id: its stored orders, placement order first} for a page of rows."""
    found: dict[int, list[PlacementOrder]] = {}
    if placement_ids:
        for order in db.session.scalars(
                sa.select(PlacementOrder).where(PlacementOrder.placement_id.in_(placement_ids))
                .order_by(PlacementOrder.placement_id, PlacementOrder.kind)):
            found.setdefault(order.placement_id, []).append(order)
    return found


def stored_order(placement_id: int, kind: OrderKind) -> PlacementOrder | None:
    return db.session.scalar(sa.select(PlacementOrder).where(
        PlacementOrder.placement_id == placement_id, PlacementOrder.kind == kind))


def _last_number(institution_id: int, year: int) -> int:
    """The institution's last ordinal of ``year`` (0 before its first order)."""
    return db.session.scalar(sa.select(sa.func.max(PlacementOrder.sequence)).where(
        PlacementOrder.institution_id == institution_id, PlacementOrder.year == year)) or 0


def _new_order(placement: Placement, kind: OrderKind, institution: Institution, day: date,
               sequence: int, issued_by_id: int | None, language: str) -> PlacementOrder:
    return PlacementOrder(
        placement_id=placement.id, institution_id=institution.id, kind=kind, year=day.year,
        sequence=sequence, number=f"{institution.code}/{day.year}/{sequence}",
        issued_on=day, language=language, issued_by_id=issued_by_id,
        facts=facts_of(placement, kind, institution, issued_by_id))


def last_working_day(placement: Placement) -> date | None:
    """The day before the end date (the first day without work); None when the
    placement ended on its first day, before any day was worked."""
    day = placement.end_date - timedelta(days=1)
    return day if day >= placement.start_date else None


def issuing_language() -> str:
    """The language the order is issued in: the issuing user's, else the app's default."""
    return _order_language(str(get_locale()) if has_request_context() else "")


def _language_of(user_id: int | None) -> str:
    """An order issued late speaks the language of the user it names (who made the
    placement), else the app's default."""
    user = db.session.get(User, user_id) if user_id is not None else None
    return _order_language((user.language or "") if user is not None else "")


def _order_language(language: str) -> str:
    """``language`` if orders are written in it, else the app's default."""
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
