from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin, fk
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
