"""The demo, seeded once per test session and then copied back row for row.

Seeding the demo (``app.demo.seed``) builds hundreds of people with their placements,
pay, plans and audit through the app's own operations: seven seconds of CPU for 240
people. Tests that only need the demo in place (the browser tests, above all) get the
rows the first seed wrote, inserted again into the emptied tables, the same ids
included: the same database state at a fraction of the cost. (The ids were drawn from
the sequences in this session, and sequences only move on, so later inserts never meet
them.) Tests of the seed itself call ``seed`` directly.
"""

from typing import Any

from app.demo import seed
from app.extensions import db

Rows = dict[str, list[dict[str, Any]]]
_snapshots: dict[int, tuple[list[tuple[str, str, str]], Rows]] = {}


def seeded_demo(total_inmates: int) -> list[tuple[str, str, str]]:
    """The demo of ``total_inmates`` people in the (empty) tables; its logins."""
    if total_inmates not in _snapshots:
        logins = seed(total_inmates=total_inmates)
        db.session.commit()
        _snapshots[total_inmates] = (logins, _read_rows())
        return logins
    logins, rows = _snapshots[total_inmates]
    _write_rows(rows)
    return logins


def _read_rows() -> Rows:
    with db.engine.connect() as connection:
        return {table.name: [dict(row) for row in connection.execute(table.select()).mappings()]
                for table in db.metadata.sorted_tables}


def _write_rows(rows: Rows) -> None:
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:  # parents before children
            if rows[table.name]:
                connection.execute(table.insert(), rows[table.name])
