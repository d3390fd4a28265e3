"""Figures of a day, kept once computed: R1 counts (rates, trends, the report), the
employers' labour pool and the violations of a period (per its last day).

All are built from dated history, so a day's figures change only when something
dated on or before that day is written: a placement started or ended, a custody
period, assessment or consent, a person's undated facts (birth date, sex,
disability, pregnancy, skills...) or the year's settings. Computing them costs
60-100 ms for one day over a country's 35,000 people and half a second for the 24
monthly points of the trend, for figures that change far less often than they are
read; so a day's figures, once computed, are kept (``KeptDay``), and a write
forgets the kept days from the first day it could change (``forget_changed_days``).
Past days are almost never forgotten; today is, each time an officer's work of the
day changes it. Days after today are never kept (nobody reads them).

Each kind of figures is registered (``register``) with the queries that compute
it, and the columns those queries read decide which writes forget it, so a rule
that starts reading another column is followed without a change here. A row can
change figures only on days on or after the earliest date it holds (the start of a
custody period, placement or consent, an assessment's day) among the columns the
figures read, before or after the write (the queries compare each such date with
the day, as a bound of the row's validity); a change of dates alone (ending a
placement) only from the earlier of the old and new dates; a row whose dates the
figures do not read (a person's sex, a skill) forgets every kept day, a year's
settings from that year's first day. A new person counts only through their
custody period, written with them, a new vacancy through its placements (and so on,
``COUNTED_THROUGH_OTHERS``), so creating one forgets nothing by itself.

Writes are seen in every ORM flush, in every INSERT, UPDATE or DELETE run through
the session (the spreadsheet import inserts in bulk) and in PostgreSQL's COPY of
``insert_rows`` (``signals.rows_copied``); a statement that changes nothing
(``lock_rows``) says so with the execution option ``changes_nothing``. A value set on
an object whose old value was never read (expired by a commit) forgets every day.
The forgetting itself is done when the writer commits (``_forget_before_commit``):
it bumps ``KeptVersion``, holding its one row to the commit, then deletes. A reader
reads the version before computing and again after storing, under a share lock held
to its commit: a writer that forgot meanwhile is seen (the reader takes its figures
back), one that forgets later waits for the reader's commit and deletes them.
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
from app.core.models import utcnow
from app.extensions import db
from app.inmates.models import CustodyPeriod, Inmate
from app.institutions.models import Institution
from app.placements.models import KeptDay, KeptVersion
from app.settings.models import YearSettings
from app.taxonomy.models import Trade
from app.vacancies.models import Employer, Vacancy
from policy.clock import today_in_kazakhstan

EVERY_DAY = date.min
# A new row of these counts only through the dated rows that refer to it (a person's
# custody period, a vacancy's placements, a trade's skills), so creating it forgets nothing.
COUNTED_THROUGH_OTHERS = frozenset(model.__table__ for model in (
    Inmate, Vacancy, Employer, Institution, Trade))
_QUERIES: dict[str, Callable[[], Iterable[sa.Select]]] = {}


def register(kind: str, queries: Callable[[], Iterable[sa.Select]]) -> None:
    """Keep figures of ``kind``, which ``queries()`` (any day, the law with every
    voluntary group) compute: the columns they read are those whose writes forget."""
    _QUERIES[kind] = queries
    _read_columns.cache_clear()


# --- reading -------------------------------------------------------------------------------


Cell = tuple[date, int]  # (day, institution id)


def figures_of(kind: str, days: Iterable[date], institution_ids: Iterable[int],
               compute: Callable[[list[date], list[int]], dict[Cell, Any]],
               key: str = "") -> dict[Cell, Any]:
    """The figures of ``kind`` (and ``key``) of each institution on each day (JSON
    values): kept ones read, the others computed and kept (days after today computed
    each time). ``compute(days, institution_ids)`` answers every pair of them."""
    days, ids = sorted(set(days)), sorted(set(institution_ids))
    today = today_in_kazakhstan()
    version = _version()
    found = _kept(kind, key, [day for day in days if day <= today], ids)
    missing = [(day, i) for day in days for i in ids if (day, i) not in found]
    if missing and _one_reader_computes(kind):  # another may have kept them meanwhile
        version = _version()
        found |= _kept(kind, key, sorted({day for day, _ in missing if day <= today}), ids)
        missing = [cell for cell in missing if cell not in found]
    if missing:
        computed = compute(sorted({day for day, _ in missing}), sorted({i for _, i in missing}))
        fresh = {cell: computed[cell] for cell in missing}
        _keep(kind, key, {cell: figures for cell, figures in fresh.items() if cell[0] <= today},
              version)
        found |= fresh
    return found


def _kept(kind: str, key: str, days: list[date], ids: list[int]) -> dict[Cell, Any]:
    if not days:
        return {}
    rows = db.session.execute(sa.select(KeptDay.day, KeptDay.institution_id, KeptDay.figures)
                              .where(KeptDay.kind == kind, KeptDay.key == key,
                                     KeptDay.day.in_(days), KeptDay.institution_id.in_(ids)))
    return {(day, institution_id): figures for day, institution_id, figures in rows}


def _one_reader_computes(kind: str) -> bool:
    """On PostgreSQL, readers that miss the same kind of figures compute one at a time
    (a lock held until commit): the others wait, then read what the first kept, rather
    than all computing the same figures after each write. A reader that holds such a
    lock already only tries the next, so no two readers ever wait for each other.
    True when the caller should read the kept figures again."""
    session = db.session()
    if session.get_bind().dialect.name != "postgresql":
        return False
    lock = sa.func.hashtext(f"kept:{kind}")
    if session.info.get("holds_kept_lock"):
        session.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(lock)))
    else:
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(lock)))
        session.info["holds_kept_lock"] = True
    return True


def _version(share_lock: bool = False) -> int | None:
    query = sa.select(KeptVersion.version).where(KeptVersion.id == 1)
    return db.session.scalar(query.with_for_update(read=True) if share_lock else query)


def _upsert(model: Any, connection: sa.Connection) -> Any:
    """The dialect's INSERT, which can say what to do ON CONFLICT."""
    return (postgresql.insert if connection.dialect.name == "postgresql"
            else sqlite.insert)(model)


def _keep(kind: str, key: str, cells: dict[Cell, Any], version: int | None) -> None:
    """Store computed figures; then, if kept figures were forgotten since ``version`` was
    read (these may predate that write), take them back. The version is read under a
    share lock held to the commit, after the insert: a writer that forgets later waits
    for this commit and then deletes these rows too; one that forgot earlier is seen."""
    if not cells:
        return
    insert = _upsert(KeptDay, db.session.connection())
    db.session.execute(insert.on_conflict_do_nothing(), [
        {"kind": kind, "day": day, "key": key, "institution_id": institution_id,
         "figures": figures, "kept_at": utcnow()}
        for (day, institution_id), figures in cells.items()])
    if _version(share_lock=True) != version:
        db.session.execute(sa.delete(KeptDay).where(
            KeptDay.kind == kind, KeptDay.key == key,
            sa.tuple_(KeptDay.day, KeptDay.institution_id).in_(list(cells))))


# --- forgetting ----------------------------------------------------------------------------


@functools.cache
def _read_columns(table: sa.Table) -> dict[str, frozenset[str]]:
    """Per kind of figures, the columns of ``table`` its queries read (a year's settings:
    all, they are read in Python as the law of each day's year)."""
    if table is YearSettings.__table__:
        return {kind: frozenset(column.key for column in table.columns) for kind in _QUERIES}
    found = {}
    for kind, queries in _QUERIES.items():
        keys = frozenset(element.key for query in queries()
                         for element in visitors.iterate(query)
                         if isinstance(element, sa.Column) and element.table is table)
        if keys:
            found[kind] = keys
    return found


def read_columns(kind: str) -> set[tuple[str, str]]:
    """(table, column) of every column the figures of ``kind`` read."""
    return {(table.name, key) for table in db.metadata.sorted_tables
            for key in _read_columns(table).get(kind, ())}


def _is_date(column: sa.Column) -> bool:
    return isinstance(column.type, sa.Date)


@functools.cache
def _date_keys(table: sa.Table) -> frozenset[str]:
    """The columns that date a row: its dates, or a year's settings' year."""
    if table is YearSettings.__table__:
        return frozenset({"year"})
    return frozenset(column.key for column in table.columns if _is_date(column))


def _first_day(table: sa.Table, values: Iterable[Any]) -> date:
    """The first day on which rows holding ``values`` (of the table's date columns, or a
    year's settings) could count; a row with no date may count on any day."""
    values = [value for value in values if value is not None]
    if table is YearSettings.__table__:  # a year's settings apply from its first day on
        return min((date(year, 1, 1) for year in values if isinstance(year, int)),
                   default=EVERY_DAY)
    return min((value for value in values if isinstance(value, date)), default=EVERY_DAY)


# Where a write could change figures: (institutions, people: every institution that held
# them), looked up once per flush; None: every institution.
Where = tuple[frozenset[int], frozenset[int]] | None
Forgotten = dict[str, tuple[date, Where]]  # per kind: the first day to forget, and where
INMATE_KEYS = ("inmate_id", "inmate_a_id", "inmate_b_id")


def _dated(table: sa.Table, keys: frozenset[str]) -> frozenset[str]:
    """Of the columns ``keys`` a kind reads, those that date a row."""
    return keys & _date_keys(table)


def _where(table: sa.Table, rows: list[dict[str, Any]]) -> Where:
    """Where ``rows`` (a row before and after a write) could change figures: a row's own
    institution (a custody period, a vacancy) and every institution that held the people
    it is about (a person, a placement, an assessment, a consent, a skill, a
    separation); every institution for the rest (a year's settings, a trade)."""
    own = "institution_id" in table.c and table is not Inmate.__table__
    keys = ["id"] if table is Inmate.__table__ else [key for key in INMATE_KEYS
                                                     if key in table.c]
    institutions = {row.get("institution_id") for row in rows} if own else set()
    people = {row.get(key) for key in keys for row in rows}
    if None in institutions | people or not institutions | people:
        return None
    return frozenset(institutions), frozenset(people)


def _institutions(session: Session, where: Where) -> list[int] | None:
    if where is None:
        return None
    institutions, people = where
    held = set(session.scalars(sa.select(CustodyPeriod.institution_id).where(
        CustodyPeriod.inmate_id.in_(sorted(people))).distinct())) if people else set()
    return sorted(institutions | held)


def _object_forgets(obj: Any, action: str) -> Forgotten:
    """Per kind, the first day and the institutions an ORM write of ``obj`` could change
    (none: no entry). A change of dates alone (ending a placement today) changes days
    from the earlier of the old and the new date; any other change, the row's whole span."""
    state = sa.inspect(obj)
    table = state.mapper.local_table
    read = _read_columns(table)
    if not read or (action == "create" and table in COUNTED_THROUGH_OTHERS):
        return {}
    if action != "update":  # a new row's missing value is null; a deleted row's, unknown
        missing = EVERY_DAY if action == "delete" else None
        where = _where(table, [state.dict])
        return {kind: (_first_day(table, [state.dict.get(key, missing)
                                          for key in _dated(table, keys)]), where)
                for kind, keys in read.items()}
    history = {key: get_history(obj, key, passive=PASSIVE_NO_INITIALIZE)
               for key in frozenset().union(*read.values()) | {"institution_id"}
               if key in table.c}
    # set on an object expired by a commit, a value's old value was never read: unknown
    unknown = {key for key, h in history.items() if h.has_changes() and not h.deleted}
    before = state.dict | {key: h.deleted[0] for key, h in history.items() if h.deleted}
    forgets = {}
    for kind, keys in read.items():
        dated = _dated(table, keys)
        changed = [key for key in keys if history[key].has_changes()]
        if unknown & set(changed):
            forgets[kind] = EVERY_DAY
        elif any(key not in dated for key in changed):  # the whole span, before and after
            forgets[kind] = _first_day(table, [value for key in dated for value in (
                *history[key].deleted, state.dict.get(key))])
        elif changed:
            forgets[kind] = _first_day(table, [value for key in changed for value in (
                *history[key].deleted, *history[key].added)])
    where = None if unknown else _where(table, [before, state.dict])
    return {kind: (day, where) for kind, day in forgets.items()}


MAX_PEOPLE_NAMED = 5_000  # past this, a write forgets every institution's figures


def _together(forgets: Iterable[Forgotten]) -> Forgotten:
    """Several writes' forgetting as one: the earliest day, every institution. A
    forgetting naming more than MAX_PEOPLE_NAMED people (a 200,000-row import, a job)
    forgets for every institution instead: always safe, and the set of ids, copied at
    each merge, would otherwise grow with the transaction."""
    together: Forgotten = {}
    for forget in forgets:
        for kind, (day, where) in forget.items():
            if kind in together:
                first, seen = together[kind]
                day = min(day, first)
                where = None if where is None or seen is None else (
                    where[0] | seen[0], where[1] | seen[1])
            if where is not None and len(where[1]) > MAX_PEOPLE_NAMED:
                where = None
            together[kind] = (day, where)
    return together


@event.listens_for(Session, "after_flush")
def _forget_after_flush(session: Session, flush_context: Any) -> None:
    forget_changed_days(session, _together(
        _object_forgets(obj, action)
        for action, objects in (("create", session.new), ("update", session.dirty),
                                ("delete", session.deleted))
        for obj in objects))


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
        forget_changed_days(state.session, dict.fromkeys(_read_columns(table),
                                                         (EVERY_DAY, None)))


@signals.rows_copied.connect
def _forget_after_copy(table: sa.Table, *, rows: list[dict[str, Any]]) -> None:
    _forget_inserted(db.session(), table, rows)


def _forget_inserted(session: Session, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if not rows or table in COUNTED_THROUGH_OTHERS or not _read_columns(table):
        return
    where = _where(table, rows)
    forget_changed_days(session, {
        kind: (min(_first_day(table, [row.get(key) for key in _dated(table, keys)])
                   for row in rows), where)
        for kind, keys in _read_columns(table).items()})


def forget_changed_days(session: Session, forgets: Forgotten) -> None:
    """Forget the kept figures of each kind from its first day on, of the institutions
    given (None: of all), when the session commits (none is kept after today)."""
    forgets = {kind: (day, where) for kind, (day, where) in forgets.items()
               if day <= today_in_kazakhstan()}
    if forgets:
        pending = session.info.get("kept_forgets", {})
        session.info["kept_forgets"] = _together([pending, forgets])


@event.listens_for(Session, "before_commit")
def _forget_before_commit(session: Session) -> None:
    """The writes' forgetting, done last: the version row the writer takes here (which
    a reader storing figures waits for) is held only from now to the commit, and no
    other lock is taken after it. Until then the writing request reads kept figures as
    they were before its writes."""
    session.flush()  # the commit's own flush comes after this event: its writes too
    forgets = session.info.pop("kept_forgets", None)
    if not forgets:
        return
    connection = session.connection()
    bump = _upsert(KeptVersion, connection).values(id=1, version=1)  # the row made if missing
    connection.execute(bump.on_conflict_do_update(
        index_elements=[KeptVersion.id], set_={"version": KeptVersion.version + 1}))
    institutions = {where: _institutions(session, where)
                    for where in {where for _, where in forgets.values()}}
    for kind, (day, where) in forgets.items():
        forgotten = sa.delete(KeptDay).where(KeptDay.kind == kind, KeptDay.day >= day)
        if institutions[where] is not None:
            forgotten = forgotten.where(KeptDay.institution_id.in_(institutions[where]))
        connection.execute(forgotten)


@event.listens_for(Session, "after_commit")
def _locks_released(session: Session) -> None:
    session.info.pop("holds_kept_lock", None)


def forget_everything(session: Session) -> None:
    """Forget every kept figure of every kind (``flask forget-kept-figures``)."""
    forget_changed_days(session, dict.fromkeys(_QUERIES, (EVERY_DAY, None)))
