from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.lawsql import SQL
from app.core.models import fk, utcnow
from app.core.vocabulary import (
    EndReason,
    OrderKind,
    ProposalStatus,
    SuspensionReason,
    enum_column,
)
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


class PlacementOrder(db.Model):
    """An order as issued: the placement order when a placement is made, the removal
    order when it ends. Numbered in one sequence per institution and year
    (``number``: "AK-159/20/2026/17"), it keeps the facts of its text as they were on
    the day it was issued and the language it was issued in, so a reprint shows what
    was signed even after the record changed (app/placements/orders.py). Never
    changed or deleted once its facts are written."""

    __tablename__ = "placement_orders"
    __audited__ = True
    __table_args__ = (
        sa.UniqueConstraint("institution_id", "year", "sequence"),
        sa.UniqueConstraint("placement_id", "kind"),
        sa.CheckConstraint("sequence > 0", name="sequence_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = fk("placements.id")
    institution_id: Mapped[int] = fk("institutions.id")
    kind: Mapped[OrderKind] = mapped_column(enum_column(OrderKind))
    year: Mapped[int]
    sequence: Mapped[int]
    number: Mapped[str] = mapped_column(String(60), unique=True)
    issued_on: Mapped[date]
    language: Mapped[str] = mapped_column(String(2))
    facts: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    issued_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    placement = relationship("Placement")

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


class Suspension(db.Model):
    """A placement suspended for a while without being ended (a sickness, a disciplinary
    cell, a court visit): in force on day D when ``start_date <= D < end_date``, the end
    date being the first day back at work (open when null, until resumed). The person
    keeps the place and stays employed for R1; while suspended they are not due at work
    (app/pay/attendance.py). Never deleted (R19)."""

    __tablename__ = "suspensions"
    __audited__ = True
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = fk("placements.id")
    # Denormalised from the placement: scope checks and a workshop's history need no join.
    institution_id: Mapped[int] = fk("institutions.id")
    vacancy_id: Mapped[int] = fk("vacancies.id")
    reason: Mapped[SuspensionReason] = mapped_column(enum_column(SuspensionReason))
    note: Mapped[str] = mapped_column(String(500), default="")
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    placement = relationship("Placement")

    def active_on(self, day: date) -> bool:
        return active_on(PYTHON, self.start_date, self.end_date, day)

    @property
    def audit_institution_id(self) -> int:
        return self.institution_id


def suspended_on(day: Any, placement: Any = Placement) -> sa.ColumnElement[bool]:
    """Placements under a suspension in force on ``day``."""
    return sa.exists().where(Suspension.placement_id == placement.id,
                             active_on(SQL, Suspension.start_date, Suspension.end_date, day))


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
    # A run for one freed place only, handed to the first eligible person on its waiting
    # list (R31, app/applications): the key of the vacancy; empty for a whole run.
    handover_for: Mapped[str] = mapped_column(String(40), default="", server_default="")

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
