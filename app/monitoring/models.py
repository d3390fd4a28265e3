from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin, fk
from app.core.scans import StoredScan
from app.core.vocabulary import FindingKind, FindingStatus, enum_column
from app.extensions import db


class Finding(TimestampMixin, db.Model):
    """A prosecutor's finding on a violation or an institution."""

    __tablename__ = "findings"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = fk("institutions.id")
    author_id: Mapped[int] = fk("users.id")
    rule: Mapped[str | None] = mapped_column(String(8))  # e.g. "R5"
    # The prosecutor's act: required on a new finding; those recorded before kinds
    # existed are "other".
    kind: Mapped[FindingKind] = mapped_column(enum_column(FindingKind),
                                              server_default=FindingKind.OTHER.value)
    placement_id: Mapped[int | None] = fk("placements.id", nullable=True)
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[FindingStatus] = mapped_column(
        enum_column(FindingStatus), default=FindingStatus.OPEN
    )
    resolved_at: Mapped[datetime | None]
    # The day the institution is to answer by (set by the prosecutor), and its answer:
    # what was done, by whom, when; a scan of the signed reply is kept in finding_scans.
    due_on: Mapped[date | None]
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = fk("users.id", nullable=True)

    institution = relationship("Institution")
    author = relationship("User", foreign_keys=[author_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])
    placement = relationship("Placement")

    @property
    def audit_institution_id(self) -> int:
        return self.institution_id


class FindingScan(StoredScan, db.Model):
    """The scan of an institution's signed answer to a finding: stored in the database
    (never a public file), read only by those who read the finding; its type and size
    are checked on upload (app/core/scans.py). Kept apart from the audited finding: the
    audit records the answer, not the file's bytes."""

    __tablename__ = "finding_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = fk("findings.id", ondelete="CASCADE")
