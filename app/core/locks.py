"""Row locks that hold on PostgreSQL and on SQLite alike.

PostgreSQL: ``SELECT ... FOR UPDATE`` holds the rows until commit. SQLite ignores
FOR UPDATE, and pysqlite begins a transaction only at the first write, so a count
read before it is read under no lock and two racing requests would both take the
last position or seat. There a write that changes nothing comes first: it takes
SQLite's single-writer lock for the rest of the transaction, and another writer
waits for it (the driver's busy timeout) before it can count. The write is Core,
not ORM, so the audit trail does not record it, and it says that it changes nothing
(the execution option ``changes_nothing``, read by app/placements/kept.py).
"""

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from app.extensions import db


def lock_rows(model: Any, ids: Iterable[int], *, key_share: bool = False) -> list[Any]:
    """Hold the rows of ``model`` with ``ids`` until commit, then re-read them so
    the session sees what is stored now, and return them in id order. Call it
    before counting.

    ``key_share``: on PostgreSQL ``FOR NO KEY UPDATE``, which two lockers still wait
    for each other on but rows that refer to the locked one (a foreign key's KEY SHARE
    lock, taken by every insert naming it) do not: for a row that is a counter's lock,
    never changed, and that other transactions insert references to (an institution:
    its order numbers, app/placements/orders.py). With ``FOR UPDATE`` two transactions
    that had each inserted such a reference would wait for each other."""
    ids = sorted(set(ids))
    if not ids:
        return []
    if db.session.get_bind().dialect.name == "sqlite":
        table = model.__table__
        # Naming updated_at (when there is one) keeps its onupdate default from firing.
        column = table.c.get("updated_at", table.c.id)
        db.session.execute(sa.update(table).where(table.c.id.in_(ids))
                           .values({column.key: column})
                           .execution_options(changes_nothing=True))
    return list(db.session.scalars(
        sa.select(model).where(model.id.in_(ids)).order_by(model.id)
        .with_for_update(key_share=key_share).execution_options(populate_existing=True)))
