"""R27-R30 facts of a person on a day, read the same three ways as the other rules:
SQL columns for the prosecutors' checks and the pools (``policy.rules`` through
``app.core.lawsql.SQL``), and plain values for the engine's adapter and the entry checks
(``policy.ops.PYTHON``).

A level is stored by name; its index on the year's scale (``Law.risk_levels``) is what the
rules compare. A name no longer on the scale reads the safe way: a person's level as the
highest, a vacancy's limit as the lowest.
"""

from collections import defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa

from app.core.lawsql import SQL, level_index
from app.extensions import db
from app.inmates.models import CourtBan, RiskAssessment, ScatteredFlag, court_ban_trades
from app.taxonomy.models import Trade
from policy import Law
from policy.ops import PYTHON
from policy.rules import NO_RISK_LIMIT, UNASSESSED, active_on, r30_ban_runs


def person_level(name: str | None, law: Law) -> int:
    """R28: a person's level name as its index (``UNASSESSED`` when none)."""
    if name is None:
        return UNASSESSED
    levels = law.risk_levels
    return levels.index(name) if name in levels else len(levels) - 1


def vacancy_limit(name: str | None, law: Law) -> int:
    """R28: a vacancy's highest level as its index (``NO_RISK_LIMIT`` when none)."""
    if name is None:
        return NO_RISK_LIMIT
    return law.risk_levels.index(name) if name in law.risk_levels else 0


# --- SQL ------------------------------------------------------------------------------------


def latest_level(day: Any, inmate_id: Any) -> sa.ScalarSelect:
    """The level name of the latest risk assessment made on or before ``day`` (NULL if none);
    ``day`` may be a column."""
    return (sa.select(RiskAssessment.level)
            .where(RiskAssessment.inmate_id == inmate_id, RiskAssessment.assessed_on <= day)
            .order_by(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc())
            .limit(1).scalar_subquery())


def risk_on(day: Any, law: Law, inmate_id: Any) -> sa.ColumnElement[int]:
    """R28's ``p.risk`` in SQL: as ``person_level`` reads the latest assessment."""
    return level_index(latest_level(day, inmate_id), law.risk_levels, missing=UNASSESSED,
                       unknown=len(law.risk_levels) - 1)


def max_risk_of(column: Any, law: Law) -> sa.ColumnElement[int]:
    """R28's ``v.max_risk`` in SQL: as ``vacancy_limit`` reads a vacancy's limit."""
    return level_index(column, law.risk_levels, missing=NO_RISK_LIMIT, unknown=0)


def flagged_on(day: Any, inmate_id: Any) -> sa.Exists:
    """R29: the scattered model's flag is in force on ``day``."""
    return sa.exists().where(ScatteredFlag.inmate_id == inmate_id,
                             active_on(SQL, ScatteredFlag.flagged_on, ScatteredFlag.lifted_on,
                                       day))


def banned_from(trade_id: Any, day: Any, law: Law, inmate_id: Any) -> sa.Exists:
    """R30: a court ban of the person that runs on ``day`` covers the trade."""
    return sa.exists().where(
        CourtBan.inmate_id == inmate_id, court_ban_trades.c.ban_id == CourtBan.id,
        court_ban_trades.c.trade_id == trade_id,
        r30_ban_runs(SQL, law, CourtBan.starts_on, CourtBan.ends_on, day))


# --- plain values, for many people at once ---------------------------------------------------


def levels_on(inmate_ids: Any, day: date, law: Law) -> dict[int, int]:
    """{inmate id: R28 level index} of the latest assessment on or before ``day``."""
    rows = db.session.execute(
        sa.select(RiskAssessment.inmate_id, RiskAssessment.level)
        .where(RiskAssessment.inmate_id.in_(inmate_ids), RiskAssessment.assessed_on <= day)
        .order_by(RiskAssessment.assessed_on, RiskAssessment.id))
    return {inmate_id: person_level(level, law) for inmate_id, level in rows}  # last wins


def flagged_ids(inmate_ids: Any, day: date) -> set[int]:
    """Of ``inmate_ids``, those whose flag (R29) is in force on ``day``."""
    return set(db.session.scalars(sa.select(ScatteredFlag.inmate_id).where(
        ScatteredFlag.inmate_id.in_(inmate_ids),
        active_on(SQL, ScatteredFlag.flagged_on, ScatteredFlag.lifted_on, day))))


def banned_trades(inmate_ids: Any, day: date, law: Law) -> dict[int, frozenset[str]]:
    """{inmate id: trade codes} of the court bans running on ``day`` (R30,
    ``policy.rules.r30_ban_runs`` in plain Python on each ban's dates)."""
    rows = db.session.execute(
        sa.select(CourtBan.inmate_id, CourtBan.starts_on, CourtBan.ends_on, Trade.code)
        .join(court_ban_trades, court_ban_trades.c.ban_id == CourtBan.id)
        .join(Trade, Trade.id == court_ban_trades.c.trade_id)
        .where(CourtBan.inmate_id.in_(inmate_ids)))
    found: defaultdict[int, set[str]] = defaultdict(set)
    for inmate_id, starts_on, ends_on, code in rows:
        if r30_ban_runs(PYTHON, law, starts_on, ends_on, day):
            found[inmate_id].add(code)
    return {inmate_id: frozenset(codes) for inmate_id, codes in found.items()}
