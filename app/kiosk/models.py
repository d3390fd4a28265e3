"""A person's kiosk PIN and their requests to withdraw a consent (R5, R21)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin, fk, utcnow
from app.extensions import db
from app.inmates.models import Consent, Inmate, institution_of_inmate


class KioskPin(TimestampMixin, db.Model):
    """The PIN an officer issued to one person for the kiosk, stored as a hash (argon2,
    as passwords). ``failures`` counts wrong PINs in a row; at the limit the PIN is
    locked until the officer issues a new one. Raising ``session_version`` ends every
    kiosk session of the person (a new PIN, a lock)."""

    __tablename__ = "kiosk_pins"
    __audited__ = True
    __audit_hidden__ = ("pin_hash",)  # the audit says the PIN changed, never its hash

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("inmates.id", ondelete="CASCADE"), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    failures: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    inmate: Mapped[Inmate] = relationship()

    @property
    def locked(self) -> bool:
        return self.locked_at is not None

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.inmate_id)


class ConsentWithdrawalRequest(db.Model):
    """A person asked, at the kiosk, to withdraw a consent. The request withdraws
    nothing: the officer confirms it in writing (R5, R21) by recording the withdrawal
    on the consent, which also closes the request, or records why it was not."""

    __tablename__ = "consent_withdrawal_requests"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    consent_id: Mapped[int] = fk("consents.id", ondelete="CASCADE")
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    # What the officer did: "withdrawn" (confirmed in writing) or "kept" (with a note).
    outcome: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(String(300), default="")

    consent: Mapped[Consent] = relationship()

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.inmate_id)
