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

