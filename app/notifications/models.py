"""A notification: one row per recipient, stored as a kind of message and its
parameters, rendered in the reader's language when read or e-mailed."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import fk, utcnow
from app.extensions import db


class Notification(db.Model):
    __tablename__ = "notifications"
    # A notice about a dated thing (a release in 30 days, a check due) carries a key
    # naming that thing, so a daily task that runs again never notifies twice.
    __table_args__ = (sa.UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int] = fk("users.id", ondelete="CASCADE")
    kind: Mapped[str] = mapped_column(String(40))  # a key of messages.KINDS
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="")  # a path on this site
    key: Mapped[str | None] = mapped_column(String(120))
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    user = relationship("User")
