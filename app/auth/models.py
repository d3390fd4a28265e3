from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin, fk, utcnow
from app.core.vocabulary import MailChoice, Role, enum_column
from app.extensions import db


class User(UserMixin, TimestampMixin, db.Model):
    """A person who logs in. The role decides what they may do; the scope
    column that matches the role decides on what (R16):

    - officer: ``institution_id``
    - employer: ``employer_id`` (several users may share one business)
    - prosecutor: ``region_id``, or none for the whole country
    - partner: ``partner_id`` (a partner organisation, R21; the organisation's model
      lives in app/reintegration, above this package, so no relationship here)
    - admin: no scope
    """

    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(
            "role != 'officer' OR institution_id IS NOT NULL", name="officer_has_institution"
        ),
        sa.CheckConstraint(
            "role != 'employer' OR employer_id IS NOT NULL", name="employer_has_business"
        ),
        sa.CheckConstraint(
            "role != 'partner' OR partner_id IS NOT NULL", name="partner_has_organisation"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    institution_id: Mapped[int | None] = fk("institutions.id", nullable=True)
    employer_id: Mapped[int | None] = fk("employers.id", nullable=True)
    region_id: Mapped[int | None] = fk("regions.id", nullable=True)
    partner_id: Mapped[int | None] = fk("partner_organisations.id", nullable=True)
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str | None] = mapped_column(String(8))
    # Notifications by e-mail (app/notifications): at once, a daily digest or none.
    mail_choice: Mapped[MailChoice] = mapped_column(
        enum_column(MailChoice), default=MailChoice.IMMEDIATELY,
        server_default=MailChoice.IMMEDIATELY.value)
    last_login_at: Mapped[datetime | None]
    # Part of the session cookie's user id: raising it (logout, password change,
    # blocking) ends every session the account has, copied cookies included.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    institution = relationship("Institution")
    employer = relationship("Employer", back_populates="users")
    region = relationship("Region")

    @property
    def is_active(self) -> bool:  # Flask-Login: an inactive user cannot log in
        if not self.active:
            return False
        # An entrepreneur's account opens only once an administrator approved the business.
        return self.role != Role.EMPLOYER or self.employer.is_approved

    def get_id(self) -> str:  # Flask-Login: what the session cookie holds
        return f"{self.id}:{self.session_version}"

    def __str__(self) -> str:
        return self.email


class ApiToken(db.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = fk("users.id")
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
