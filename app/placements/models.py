from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.lawsql import SQL
from app.core.models import fk, utcnow
from app.core.vocabulary import EndReason, ProposalStatus, enum_column
from app.extensions import db
from policy.ops import PYTHON
from policy.rules import active_on


class Placement(db.Model):
    """An inmate working in a vacancy. Active on day D when
    ``start_date <= D < end_date`` (end date exclusive, open when null).
    Never deleted (R19)."""

    __tablename__ = "placements"
    __audited__ = True
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_in_order"),
        sa.CheckConstraint("weekly_hours > 0", name="hours_positive"),
        sa.CheckConstraint(
            "(end_date IS NULL) = (end_reason IS NULL)", name="end_reason_with_end_date"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id")
    vacancy_id: Mapped[int] = fk("vacancies.id")
    # Denormalised from the inmate at start: scope checks and rates need no join.
    institution_id: Mapped[int] = fk("institutions.id")
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    end_reason: Mapped[EndReason | None] = mapped_column(enum_column(EndReason))
    end_note: Mapped[str] = mapped_column(String(500), default="")
    weekly_hours: Mapped[int]
    monthly_wage: Mapped[int]  # agreed at start, tenge
    paid: Mapped[bool] = mapped_column(default=True)
    proposal_id: Mapped[int | None] = fk("proposals.id", nullable=True)
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    inmate = relationship("Inmate")
    vacancy = relationship("Vacancy")
    institution = relationship("Institution")

    def active_on(self, day: date) -> bool:
        return active_on(PYTHON, self.start_date, self.end_date, day)

    @property
    def audit_institution_id(self) -> int:
        return self.institution_id


def placement_active_on(day: Any, placement: Any = Placement) -> sa.ColumnElement[bool]:
    """Placements active on ``day`` (``policy.rules.active_on``: end date exclusive)."""
    return active_on(SQL, placement.start_date, placement.end_date, day)


def placement_open_on(day: Any, placement: Any = Placement) -> sa.ColumnElement[bool]:
    """Placements not ended by ``day``: active then or starting later. They hold a
    position and the inmate's hours until they end."""
    return SQL.open_after(placement.end_date, day)


class MatchRun(db.Model):
    """One run of the engine for an institution: what it saw, what it said."""

    __tablename__ = "match_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = fk("institutions.id")
    started_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    as_of: Mapped[date]
    duration_ms: Mapped[int] = mapped_column(default=0)
    input_snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    settings_snapshot: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    result: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

    institution = relationship("Institution")
    started_by = relationship("User")
    proposals: Mapped[list["Proposal"]] = relationship(
        back_populates="run", order_by="Proposal.id"
    )


class Proposal(db.Model):
    """An (inmate, vacancy) pair the engine suggests; an officer decides."""

    __tablename__ = "proposals"
    __table_args__ = (sa.UniqueConstraint("run_id", "inmate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = fk("match_runs.id")
    inmate_id: Mapped[int] = fk("inmates.id")
    vacancy_id: Mapped[int] = fk("vacancies.id")
    score: Mapped[int]
    score_parts: Mapped[dict[str, int]] = mapped_column(sa.JSON)
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus), default=ProposalStatus.PENDING
    )
    decided_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    decided_at: Mapped[datetime | None]
    rejection_reason: Mapped[str] = mapped_column(String(500), default="")

    run: Mapped[MatchRun] = relationship(back_populates="proposals")
    inmate = relationship("Inmate")
    vacancy = relationship("Vacancy")


class KeptDay(db.Model):
    """Figures of one kind for one institution on one day, kept once computed
    (app/placements/kept.py); ``key`` tells figures of the same kind and day apart (a
    period's first day). No foreign key: a kept figure is derived, never evidence."""

    __tablename__ = "kept_days"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # "r1", "pool"...
    day: Mapped[date] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True, default="")
    institution_id: Mapped[int] = mapped_column(primary_key=True)
    figures: Mapped[Any] = mapped_column(sa.JSON)
    kept_at: Mapped[datetime] = mapped_column(default=utcnow)


class KeptVersion(db.Model):
    """One row whose ``version`` grows each time kept days are forgotten."""

    __tablename__ = "kept_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
