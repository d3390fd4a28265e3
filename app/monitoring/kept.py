"""A day's R1 counts, kept once computed.

A day's R1 counts per institution (``app/placements/status``) are built from dated
history, so they change only when something dated on or before that day is
written: a placement started or ended, a custody period, assessment or consent, a
correction of a person's undated facts (birth date, sex, disability, pregnancy...)
or of the year's settings. Recomputing them costs 60 ms for one day over a
country's 35,000 people and half a second for the 24 monthly points of the trend,
for figures that change far less often than they are read; so a day's counts,
once computed, are kept (``KeptDay``), and a write forgets the kept days from the
first day it could change (``forget_changed_days``). Past days are almost never
forgotten; today is, each time an officer's work of the day changes it. Days
after today are never kept (nobody reads them).

Which writes count is derived from the R1 queries themselves (``r1_columns``), so
a rule that starts reading another column is followed without a change here. A
row can change R1 only on days on or after the earliest date it holds (the start
of a custody period, placement or consent, an assessment's day), before or after
the write; a change of dates alone (ending a placement) only from the earlier of
the old and new dates; a row with no date (a person's sex, a year's settings)
forgets every kept day. A new person counts only through their custody period,
written with them, so creating a person forgets nothing by itself.

Writes are seen in every ORM flush, in every INSERT, UPDATE or DELETE run through
the session (the spreadsheet import inserts in bulk) and in PostgreSQL's COPY of
``insert_rows`` (``signals.rows_copied``); a statement that
changes nothing (``lock_rows``) says so with the execution option
``changes_nothing``. A reader that computed days while a writer forgot them
stores nothing: each forgetting bumps ``KeptVersion`` (its one row is locked until
the writer commits), which the reader reads before computing and again, holding
the row until it commits, before storing.
"""

import functools
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.attributes import PASSIVE_NO_INITIALIZE, get_history
from sqlalchemy.sql import visitors

from app.core import signals
from app.core.locks import lock_rows
from app.core.models import utcnow
from app.extensions import db
from app.inmates.models import Inmate
from app.monitoring.models import KeptDay, KeptVersion
from app.placements.status import institution_counts, institution_counts_series
from app.settings.models import YearSettings
from policy import Law

# (held, able, employed, employed_able) per institution id, for one day
DayCounts = dict[int, tuple[int, int, int, int]]
EVERY_DAY = date.min


# --- reading -------------------------------------------------------------------------------


def counts_of_days(days: Iterable[date],
                   compute: Callable[[list[date]], dict[date, DayCounts]],
                   ) -> dict[date, DayCounts]:
    """The counts of past ``days``: kept ones read, the others ``compute``d and kept."""
    days = sorted(set(days))
    if not days:
        return {}
    version = _version()
    found = {row.day: {int(key): tuple(values) for key, values in row.counts.items()}
             for row in db.session.execute(
                 sa.select(KeptDay.day, KeptDay.counts).where(KeptDay.day.in_(days)))}
    missing = [day for day in days if day not in found]
    if missing:
        computed = compute(missing)
        fresh = {day: computed.get(day, {}) for day in missing}
        _keep(fresh, version)
        found |= fresh
    return found


def _version() -> int | None:
    return db.session.scalar(sa.select(KeptVersion.version).where(KeptVersion.id == 1))


def _upsert(model: Any, connection: sa.Connection) -> Any:
    """The dialect's INSERT, which can say what to do ON CONFLICT."""
    return (postgresql.insert if connection.dialect.name == "postgresql"
            else sqlite.insert)(model)


def _keep(days: dict[date, DayCounts], version: int | None) -> None:
    """Store computed days, unless kept days were forgotten since ``version`` was read
    (their figures may predate that write); a day another reader stored meanwhile stays.
    The version row is held from the check to the commit, so no writer forgets between."""
    held = lock_rows(KeptVersion, [1])
    if (held[0].version if held else None) != version:
        return
    insert = _upsert(KeptDay, db.session.connection())
    db.session.execute(insert.on_conflict_do_nothing(), [
        {"day": day, "counts": {str(key): list(values) for key, values in counts.items()},
         "kept_at": utcnow()}
        for day, counts in days.items()])


# --- forgetting ----------------------------------------------------------------------------


@functools.cache
def r1_columns() -> frozenset[sa.Column]:
    """Every table column the R1 counts read, for one day and for a series (with every
    voluntary group the settings may name, so none is missed)."""
    day, law = date(2000, 1, 1), Law.for_year(2000)
    queries = (institution_counts(day, law), institution_counts_series([day, day], lambda _: law))
    return frozenset(element for query in queries for element in visitors.iterate(query)
                     if isinstance(element, sa.Column) and isinstance(element.table, sa.Table))


@functools.cache
def _read_columns(table: sa.Table) -> frozenset[str]:
    if table is YearSettings.__table__:  # read in Python, as the law of each day's year
        return frozenset(column.key for column in table.columns)
    return frozenset(column.key for column in r1_columns() if column.table is table)


def _is_date(column: sa.Column) -> bool:
    return isinstance(column.type, sa.Date)


def _first_day(table: sa.Table, values: Iterable[Any]) -> date:
    """The first day on which rows holding ``values`` (of the table's date columns, or a
    year's settings) could count; a row with no date may count on any day."""
    values = [value for value in values if value is not None]
    if table is YearSettings.__table__:  # a year's settings apply from its first day on
        return min((date(year, 1, 1) for year in values if isinstance(year, int)),
                   default=EVERY_DAY)
    return min((value for value in values if isinstance(value, date)), default=EVERY_DAY)


@functools.cache
def _date_keys(table: sa.Table) -> frozenset[str]:
    """The columns that date a row: its dates, or a year's settings' year."""
    if table is YearSettings.__table__:
        return frozenset({"year"})
    return frozenset(column.key for column in table.columns if _is_date(column))


def _row_dates(table: sa.Table, row: dict[str, Any]) -> list[Any]:
    return [row.get(key) for key in _date_keys(table)]


def _object_first_day(obj: Any, action: str) -> date | None:
    """The first day an ORM write of ``obj`` could change, or None if it changes none.
    A change of dates alone (ending a placement today) changes days from the earlier
    of the old and the new date; any other change, the row's whole span."""
    state = sa.inspect(obj)
    table = state.mapper.local_table
    read = _read_columns(table)
    if not read or (action == "create" and table is Inmate.__table__):
        return None
    dating = _date_keys(table)
    if action != "update":
        if action == "delete" and not dating <= state.dict.keys():
            return EVERY_DAY  # a date not loaded: its row's span is unknown
        return _first_day(table, _row_dates(table, state.dict))
    changed_dates: list[Any] = []
    before: list[Any] = []  # the dates the row held before the write
    span_changed = False
    for key in dating | read:
        history = get_history(obj, key, passive=PASSIVE_NO_INITIALIZE)
        before += history.deleted if key in dating else []
        if key not in read or not history.has_changes():
            continue
        if key in dating:
            changed_dates += [*history.deleted, *history.added]
        else:
            span_changed = True
    if span_changed:
        return _first_day(table, [*before, *_row_dates(table, state.dict)])
    return _first_day(table, changed_dates) if changed_dates else None


@event.listens_for(Session, "after_flush")
def _forget_after_flush(session: Session, flush_context: Any) -> None:
    days = [_object_first_day(obj, action)
            for action, objects in (("create", session.new), ("update", session.dirty),
                                    ("delete", session.deleted))
            for obj in objects]
    forget_changed_days(session, [day for day in days if day is not None])


@event.listens_for(Session, "do_orm_execute")
def _forget_after_statement(state: ORMExecuteState) -> None:
    """INSERT, UPDATE and DELETE statements run through the session (not flushes)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.execution_options.get("changes_nothing"):
        return
    # ORM statements name an annotated copy of the table: the metadata's own is compared
    table = db.metadata.tables.get(getattr(state.statement.table, "name", None))
    if table is None or not _read_columns(table):
        return
    if state.is_insert:
        rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
        _forget_inserted(state.session, table, rows)
    else:  # which rows and dates it changes is not known here
        forget_changed_days(state.session, [EVERY_DAY])


@signals.rows_copied.connect
def _forget_after_copy(table: sa.Table, *, rows: list[dict[str, Any]]) -> None:
    _forget_inserted(db.session(), table, rows)


def _forget_inserted(session: Session, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if _read_columns(table) and table is not Inmate.__table__:
        forget_changed_days(session, [_first_day(table, _row_dates(table, row))
                                      for row in rows])


def forget_changed_days(session: Session, first_days: list[date]) -> None:
    """Forget the kept days from the earliest of ``first_days`` on (none is kept after
    today)."""
    first = min(first_days, default=None)
    if first is None or first > date.today():
        return
    connection = session.connection()
    bump = _upsert(KeptVersion, connection).values(id=1, version=1)  # the row made if missing
    connection.execute(bump.on_conflict_do_update(
        index_elements=[KeptVersion.id], set_={"version": KeptVersion.version + 1}))
    connection.execute(sa.delete(KeptDay).where(KeptDay.day >= first))
