from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin, fk, utcnow
from app.core.vocabulary import FindingStatus, enum_column
from app.extensions import db


class Finding(TimestampMixin, db.Model):
    """A prosecutor's finding on a violation or an institution."""

    __tablename__ = "findings"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = fk("institutions.id")
    author_id: Mapped[int] = fk("users.id")
    rule: Mapped[str | None] = mapped_column(String(8))  # e.g. "R5"
    placement_id: Mapped[int | None] = fk("placements.id", nullable=True)
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[FindingStatus] = mapped_column(
        enum_column(FindingStatus), default=FindingStatus.OPEN
    )
    resolved_at: Mapped[datetime | None]

    institution = relationship("Institution")
    author = relationship("User")
    placement = relationship("Placement")

    @property
    def audit_institution_id(self) -> int:
        return self.institution_id


class KeptDay(db.Model):
    """A past day's R1 counts of every institution that held somebody on it."""

    __tablename__ = "kept_r1_days"

    day: Mapped[date] = mapped_column(primary_key=True)
    counts: Mapped[dict[str, list[int]]] = mapped_column(sa.JSON)  # {institution id: 4 counts}
    kept_at: Mapped[datetime] = mapped_column(default=utcnow)


class KeptVersion(db.Model):
    """One row whose ``version`` grows each time kept days are forgotten."""

    __tablename__ = "kept_r1_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
