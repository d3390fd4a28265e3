"""Writing many rows at once (a national month's pay): PostgreSQL's COPY, with the
new ids drawn from the table's sequence first; elsewhere one executemany.

Rows are dicts of column values; each gets its ``id`` unless the caller says it
needs none (``with_ids=False``: the table's default numbers them, one round trip
less). No ORM events run: the caller audits what it wrote (app/core/audit.py
``record_bulk_*``); rows that COPY wrote are announced (``signals.rows_copied``).

COPY runs on the driver's own connection, below SQLAlchemy, so a row a constraint
refuses (a duplicate written by a racing request) raises the driver's error; it is
raised again as SQLAlchemy's ``IntegrityError``, which every other insert raises
and app/core/errors.py answers with 409."""

import json
from typing import Any

import psycopg
import sqlalchemy as sa

from app.core import signals
from app.extensions import db


def insert_rows(table: sa.Table, rows: list[dict[str, Any]], with_ids: bool = True) -> None:
    if not rows:
        return
    if db.session.get_bind().dialect.name != "postgresql":
        if not with_ids:
            db.session.execute(table.insert(), rows)
            return
        ids = db.session.execute(table.insert().returning(
            table.c.id, sort_by_parameter_order=True), rows).scalars().all()
        for row, new_id in zip(rows, ids, strict=True):
            row["id"] = new_id
        return
    if with_ids:
        ids = db.session.execute(sa.text(
            f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) "
            "FROM generate_series(1, :n)"), {"n": len(rows)}).scalars().all()
        for row, new_id in zip(rows, ids, strict=True):
            row["id"] = new_id
    names = [c.name for c in table.columns if c.name in rows[0]]
    json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    # JSON goes as its text; rows often share one dict (the same audit "after" for a
    # month's approvals), which is written out once.
    written: dict[int, str] = {}

    def as_json(value: Any) -> str | None:
        if value is None:
            return None
        if id(value) not in written:
            written[id(value)] = json.dumps(value)
        return written[id(value)]

    connection = db.session.connection().connection.driver_connection
    statement = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"
    try:
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([as_json(row[n]) if n in json_columns
                                else str(row[n]) if isinstance(row[n], str) else row[n]
                                for n in names])
    except psycopg.IntegrityError as error:
        raise sa.exc.IntegrityError(statement, None, error) from error
    signals.rows_copied.send(table, rows=rows)


class GrowingTables:
    """Planner statistics kept true for tables that one long transaction grows.

    PostgreSQL plans from statistics that autovacuum gathers from committed rows only.
    An import writing 200,000 inmates in one transaction left the planner believing the
    table held a handful of rows; once it switched to a generic plan, each chunk's lookup
    by file number compared every row of the institution with each of the chunk's 2,000
    numbers (10 s a chunk at 140,000 rows: the import became quadratic). ANALYZE inside
    the transaction sees the transaction's own rows. Run each time the rows written pass
    a threshold that doubles (from ``first``), it runs a logarithmic number of times.
    SQLite's planner needs no statistics to use the unique index: nothing is run there."""

    def __init__(self, *tables: sa.Table, first: int = 10_000) -> None:
        self.tables, self.next_analyze, self.written = tables, first, 0

    def wrote(self, rows: int) -> None:
        self.written += rows
        if self.written < self.next_analyze:
            return
        self.next_analyze = 2 * self.written
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(sa.text(f"ANALYZE {', '.join(t.name for t in self.tables)}"))
