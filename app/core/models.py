"""Column helpers shared by the models of every module."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def fk(target: str, *, nullable: bool = False, ondelete: str | None = None) -> Mapped:
    """An indexed foreign key column."""
    return mapped_column(
        sa.ForeignKey(target, ondelete=ondelete), index=True, nullable=nullable
    )


MAX_BIND_PARAMETERS = 30_000  # under PostgreSQL's 65,535 and SQLite's 32,766 per statement


def insert_rows(table: sa.Table, rows: list[dict]) -> None:
    """INSERT many rows fast: multi-row VALUES statements in chunks (psycopg's
    executemany sends one statement per row); SQLite's executemany is fast."""
    from app.extensions import db

    if not rows:
        return
    if db.session.get_bind().dialect.name != "postgresql":
        db.session.execute(table.insert(), rows)
        return
    per_statement = max(1, MAX_BIND_PARAMETERS // max(len(rows[0]), 1))
    for start in range(0, len(rows), per_statement):
        db.session.execute(table.insert().values(rows[start:start + per_statement]))
