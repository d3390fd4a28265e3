from datetime import date

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin, fk
from app.core.vocabulary import (
    Conditions,
    ConsentKind,
    CustodyStatus,
    Fitness,
    LegalStatus,
    Regime,
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

    def in_force_on(self, day: date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)

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
