"""An application (R31) and the words of its life: kinds, channels, states, answers."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin, fk
from app.core.vocabulary import enum_column
from app.extensions import db
from policy.law import APPLICATION_STATES


class ApplicationKind(StrEnum):
    VACANCY = "vacancy"
    TRADE = "trade"
    COURSE = "course"


class ApplicationChannel(StrEnum):
    PAPER = "paper"  # written; the officer records it and keeps the scan
    KIOSK = "kiosk"  # the person's own kiosk session


class ApplicationState(StrEnum):
    """R31's states, as ``policy.law.APPLICATION_STATES`` names them."""

    RECEIVED = "received"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"  # by the person, with their reason: never held against them
    WITHDRAWN = "withdrawn"
    NOT_ELIGIBLE = "not_eligible"  # with the rule
    CLOSED = "closed"  # the vacancy or course closed, release, transfer


assert tuple(ApplicationState) == APPLICATION_STATES  # one list of states (policy/law.py)

# Received or offered: still waiting for the person or for a place; the engine sees them.
OPEN_STATES = frozenset({ApplicationState.RECEIVED, ApplicationState.OFFERED})


class AnswerKind(StrEnum):
    """The answer a match run (or a freed place) gives an open application."""

    OFFERED = "offered"
    WAITING = "waiting"  # on the waiting list, position N of M
    NOT_ELIGIBLE = "not_eligible"  # with the rule in plain words
    OUTSCORED = "outscored"  # by how much, and the course that would help
    CLOSED = "closed"  # the vacancy or course closed, release, transfer


class AnswerLanguage(StrEnum):
    """The language a person chose for the answers they read (R31)."""

    KK = "kk"
    RU = "ru"


class Application(TimestampMixin, db.Model):
    """One application for a vacancy, a trade or a course. Never deleted: a
    withdrawn or closed one stays, with its history in the audit trail."""

    __tablename__ = "applications"
    __audited__ = True
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'vacancy' AND vacancy_id IS NOT NULL AND trade_id IS NULL "
            "AND course_id IS NULL) OR (kind = 'trade' AND trade_id IS NOT NULL "
            "AND vacancy_id IS NULL AND course_id IS NULL) OR (kind = 'course' "
            "AND course_id IS NOT NULL AND vacancy_id IS NULL AND trade_id IS NULL)",
            name="one_target"),
        sa.CheckConstraint("position IS NULL OR (position >= 1 AND position <= waiting_of)",
                           name="position_on_list"),
        sa.Index("ix_applications_institution_received", "institution_id", "received_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    # Denormalised from the inmate on receipt: scope checks and oversight need no join.
    institution_id: Mapped[int] = fk("institutions.id")
    kind: Mapped[ApplicationKind] = mapped_column(enum_column(ApplicationKind))
    vacancy_id: Mapped[int | None] = fk("vacancies.id", nullable=True)
    trade_id: Mapped[int | None] = fk("trades.id", nullable=True)
    course_id: Mapped[int | None] = fk("courses.id", nullable=True)
    received_on: Mapped[date]
    channel: Mapped[ApplicationChannel] = mapped_column(enum_column(ApplicationChannel))
    # The paper's scan, kept in the instance folder (app/applications/scans.py).
    scan_name: Mapped[str] = mapped_column(String(100), default="")
    scan_filename: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[ApplicationState] = mapped_column(
        enum_column(ApplicationState), default=ApplicationState.RECEIVED)
    state_changed_on: Mapped[date | None]
    # The person's own words when declining or withdrawing; the rule when not eligible;
    # what closed it.
    reason: Mapped[str] = mapped_column(String(1000), default="")
    # The latest answer: its kind, its facts (rules, position, of, score_gap,
    # helping_course_id) and its text in the person's language when it was given.
    answer_kind: Mapped[AnswerKind | None] = mapped_column(enum_column(AnswerKind))
    answer_params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    answer_text: Mapped[str] = mapped_column(String(2000), default="")
    answer_language: Mapped[str] = mapped_column(String(2), default="")
    answered_at: Mapped[datetime | None]
    # The day in Kazakhstan of the first answer: within the year's answer days or late (R31).
    answered_on: Mapped[date | None]
    answered_by_run_id: Mapped[int | None] = fk("match_runs.id", nullable=True)
    # Position N of M on the target's waiting list (courses and popular vacancies).
    position: Mapped[int | None]
    waiting_of: Mapped[int | None]
    # The proposal that offers what was asked (a match run's or a freed place's).
    proposal_id: Mapped[int | None] = fk("proposals.id", nullable=True)
    recorded_by_id: Mapped[int | None] = fk("users.id", nullable=True)

    inmate = relationship("Inmate")
    institution = relationship("Institution")
    vacancy = relationship("Vacancy")
    trade = relationship("Trade")
    course = relationship("Course")
    proposal = relationship("Proposal")

    @property
    def key(self) -> str:
        """The engine's key of what was asked (matching.problem.Inmate.applications)."""
        if self.kind == ApplicationKind.VACANCY:
            return f"vacancy:{self.vacancy_id}"
        if self.kind == ApplicationKind.COURSE:
            return f"course:{self.course_id}"
        return f"trade:{self.trade.code}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def audit_institution_id(self) -> int:
        return self.institution_id
