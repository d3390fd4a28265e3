from datetime import date

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin, fk
from app.core.scans import StoredScan
from app.core.vocabulary import (
    Conditions,
    ConsentKind,
    CustodyStatus,
    Fitness,
    LegalStatus,
    Regime,
    RiskReason,
    Sex,
    SkillSource,
    enum_column,
)
from app.extensions import db

inmate_trade_wishes = sa.Table(
    "inmate_trade_wishes",
    db.metadata,
    sa.Column("inmate_id", sa.ForeignKey("inmates.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("trade_id", sa.ForeignKey("trades.id"), primary_key=True),
)


class Inmate(TimestampMixin, db.Model):
    """A person held in an institution: only what work and training need."""

    __tablename__ = "inmates"
    __audited__ = True
    __table_args__ = (
        sa.UniqueConstraint("institution_id", "file_number"),  # R15
        sa.CheckConstraint(
            "disability_group IS NULL OR disability_group BETWEEN 1 AND 3",
            name="disability_group_range",
        ),
        sa.CheckConstraint(
            "release_date IS NULL OR release_date >= admission_date",
            name="release_after_admission",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = fk("institutions.id")
    file_number: Mapped[str] = mapped_column(String(32))
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    birth_date: Mapped[date]
    sex: Mapped[Sex] = mapped_column(enum_column(Sex))
    legal_status: Mapped[LegalStatus] = mapped_column(enum_column(LegalStatus))
    # Date the sentence took effect; rates for a past date use it (R1, R19).
    convicted_on: Mapped[date | None]
    regime: Mapped[Regime] = mapped_column(enum_column(Regime))
    conditions: Mapped[Conditions] = mapped_column(enum_column(Conditions))
    admission_date: Mapped[date]
    release_date: Mapped[date | None]  # the expected release (end of sentence)
    status: Mapped[CustodyStatus] = mapped_column(
        enum_column(CustodyStatus), default=CustodyStatus.HELD
    )
    left_on: Mapped[date | None]  # actual date of release or transfer out
    fitness: Mapped[Fitness] = mapped_column(enum_column(Fitness))
    fitness_review_date: Mapped[date | None]
    disability_group: Mapped[int | None]
    pregnant: Mapped[bool] = mapped_column(default=False)
    education: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # The language the person reads their answers and statement in (R31): "kk" or "ru".
    language: Mapped[str] = mapped_column(String(2), default="ru", server_default="ru")

    institution = relationship("Institution")
    skills: Mapped[list["InmateSkill"]] = relationship(
        back_populates="inmate", cascade="all, delete-orphan"
    )
    certificates: Mapped[list["Certificate"]] = relationship(
        back_populates="inmate", cascade="all, delete-orphan"
    )
    consents: Mapped[list["Consent"]] = relationship(
        back_populates="inmate", order_by="Consent.given_on"
    )
    medical_assessments: Mapped[list["MedicalAssessment"]] = relationship(
        back_populates="inmate", order_by="MedicalAssessment.assessed_on"
    )
    custody_periods: Mapped[list["CustodyPeriod"]] = relationship(
        back_populates="inmate", order_by="CustodyPeriod.started_on"
    )
    trade_wishes = relationship("Trade", secondary=inmate_trade_wishes)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def audit_institution_id(self) -> int:
        return self.institution_id

    def __str__(self) -> str:
        return f"{self.full_name} ({self.file_number})"


def institution_of_inmate(inmate_id: int) -> int:
    """The inmate's institution, for rows that hold only ``inmate_id`` yet."""
    return db.session.get(Inmate, inmate_id).institution_id


class CustodyPeriod(db.Model):
    """Where an inmate was held and when: rates for a past date follow it (R19)."""

    __tablename__ = "custody_periods"
    __audited__ = True
    __table_args__ = (
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    institution_id: Mapped[int] = fk("institutions.id")
    started_on: Mapped[date]
    ended_on: Mapped[date | None]  # exclusive: not held on this day any more
    end_reason: Mapped[CustodyStatus | None] = mapped_column(enum_column(CustodyStatus))

    inmate: Mapped[Inmate] = relationship(back_populates="custody_periods")
    institution = relationship("Institution")

    @property
    def audit_institution_id(self) -> int:
        return self.institution_id


class MedicalAssessment(db.Model):
    """A medical fitness decision (R3); the latest one dated on or before D applies on D."""

    __tablename__ = "medical_assessments"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    fitness: Mapped[Fitness] = mapped_column(enum_column(Fitness))
    assessed_on: Mapped[date]
    review_date: Mapped[date | None]
    notes: Mapped[str] = mapped_column(String(300), default="")

    inmate: Mapped[Inmate] = relationship(back_populates="medical_assessments")
    scan: Mapped["PaperScan | None"] = relationship(viewonly=True)

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.inmate_id)


class InmateSkill(db.Model):
    __tablename__ = "inmate_skills"
    __audited__ = True
    __table_args__ = (
        sa.UniqueConstraint("inmate_id", "trade_id"),
        sa.CheckConstraint("level BETWEEN 1 AND 3", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    trade_id: Mapped[int] = fk("trades.id")
    level: Mapped[int]  # 1 basic, 2 skilled, 3 expert
    source: Mapped[SkillSource] = mapped_column(enum_column(SkillSource))
    recorded_on: Mapped[date]

    inmate: Mapped[Inmate] = relationship(back_populates="skills")
    trade = relationship("Trade")

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.inmate_id)


class Certificate(db.Model):
    __tablename__ = "certificates"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    trade_id: Mapped[int] = fk("trades.id")
    number: Mapped[str] = mapped_column(String(64), default="")
    issued_on: Mapped[date]
    issuer: Mapped[str] = mapped_column(String(200), default="")
    course_id: Mapped[int | None] = fk("courses.id", nullable=True)

    inmate: Mapped[Inmate] = relationship(back_populates="certificates")
    trade = relationship("Trade")

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.inmate_id)


class Consent(db.Model):
    """A dated, voluntary consent (R4, R5) or a remand detainee's request (R2)."""

    __tablename__ = "consents"
    __audited__ = True
    __table_args__ = (
        sa.CheckConstraint(
            "withdrawn_on IS NULL OR withdrawn_on >= given_on", name="dates_in_order"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    kind: Mapped[ConsentKind] = mapped_column(enum_column(ConsentKind))
    given_on: Mapped[date]
    withdrawn_on: Mapped[date | None]  # exclusive: not in force on this day
    document_ref: Mapped[str] = mapped_column(String(100), default="")

    inmate: Mapped[Inmate] = relationship(back_populates="consents")
    scan: Mapped["PaperScan | None"] = relationship(viewonly=True)

    def in_force_on(self, day: date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.inmate_id)


class PaperScan(StoredScan, db.Model):
    """The scan of the signed paper behind a consent or a medical assessment, where the
    record held only its reference: in the database, never a public file; read only
    through ``app/inmates/papers.py``, which checks the reader and audits the read.
    Audited as the record it belongs to, without its bytes."""

    __tablename__ = "paper_scans"
    __audited__ = True
    __audit_hidden__ = ("data",)
    __table_args__ = (
        sa.CheckConstraint("(consent_id IS NULL) <> (assessment_id IS NULL)",
                           name="one_paper"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    consent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("consents.id", ondelete="CASCADE"), unique=True)
    assessment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("medical_assessments.id", ondelete="CASCADE"), unique=True)

    inmate: Mapped[Inmate] = relationship()

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.inmate_id)


class SeparationLink(db.Model):
    """Two inmates to be kept apart (R14). Stored once, lower id first."""

    __tablename__ = "separation_links"
    __audited__ = True
    __table_args__ = (
        sa.UniqueConstraint("inmate_a_id", "inmate_b_id"),
        sa.CheckConstraint("inmate_a_id < inmate_b_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_a_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    inmate_b_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_on: Mapped[date]

    inmate_a: Mapped[Inmate] = relationship(foreign_keys=[inmate_a_id])
    inmate_b: Mapped[Inmate] = relationship(foreign_keys=[inmate_b_id])

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.inmate_a_id)


# --- R27-R30: risk, needs and security at work ------------------------------------------


class RiskAssessment(db.Model):
    """A risk-and-needs assessment (R27): a level on the year's scale (``Law.risk_levels``,
    stored by name so that a changed scale never renames old levels) and the needs found,
    by domain (``policy.law.NEEDS_DOMAINS``). The latest one made on or before a day is the
    person's level at work on that day (R28)."""

    __tablename__ = "risk_assessments"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    assessed_on: Mapped[date]
    level: Mapped[str] = mapped_column(String(32))
    needs: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    reason: Mapped[RiskReason] = mapped_column(enum_column(RiskReason))
    assessed_by: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(String(500), default="")

    inmate: Mapped[Inmate] = relationship()

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.inmate_id)


class SeriousIncident(db.Model):
    """A serious incident recorded for a person: their assessment is due again (R27)."""

    __tablename__ = "serious_incidents"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    occurred_on: Mapped[date]
    summary: Mapped[str] = mapped_column(String(300), default="")

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.inmate_id)


class ScatteredFlag(db.Model):
    """R29, restricted: the person is one of those a workplace and shift takes only a few
    of (the scattered model). Seen by the institution's officers and prosecutors only,
    every view audited (``app/inmates/security.py``). Dated, so that the prosecutors'
    checks read it as it was: in force from ``flagged_on`` to the day before ``lifted_on``."""

    __tablename__ = "scattered_flags"
    __audited__ = True
    __table_args__ = (
        sa.CheckConstraint("lifted_on IS NULL OR lifted_on > flagged_on",
                           name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    flagged_on: Mapped[date]
    lifted_on: Mapped[date | None]  # exclusive: not in force on this day
    document_ref: Mapped[str] = mapped_column(String(100), default="")

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.inmate_id)


court_ban_trades = sa.Table(
    "court_ban_trades",
    db.metadata,
    sa.Column("ban_id", sa.ForeignKey("court_bans.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("trade_id", sa.ForeignKey("trades.id"), primary_key=True),
)


class CourtBan(db.Model):
    """R30: a court's ban on holding certain positions or engaging in certain activities
    (Criminal Code art. 50), as the trades it covers, from ``starts_on`` until the day
    before ``ends_on`` (the first day it no longer runs; none: for the whole term)."""

    __tablename__ = "court_bans"
    __audited__ = True
    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    decision_ref: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(String(500), default="")

    trades = relationship("Trade", secondary=court_ban_trades, order_by="Trade.code")

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.inmate_id)
