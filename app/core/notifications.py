"""E-mail-style notifications, recorded in the app (no mail server needed)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import fk, utcnow
from app.extensions import db


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    recipient_email: Mapped[str] = mapped_column(String(254))
    employer_id: Mapped[int | None] = fk("employers.id", nullable=True)
    institution_id: Mapped[int | None] = fk("institutions.id", nullable=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    read_at: Mapped[datetime | None]


def notify(
    recipient_email: str,
    subject: str,
    body: str,
    *,
    employer_id: int | None = None,
    institution_id: int | None = None,
) -> Notification:
    note = Notification(
        recipient_email=recipient_email,
        subject=subject,
        body=body,
        employer_id=employer_id,
        institution_id=institution_id,
    )
    db.session.add(note)
    return note
