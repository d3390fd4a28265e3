from datetime import date

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin, fk
from app.core.vocabulary import EnrolmentStatus, enum_column
from app.extensions import db


class Course(TimestampMixin, db.Model):
    """Vocational training at an institution; completing it grants the trade's
    skill at ``grants_level`` and, if ``grants_certificate``, a certificate."""

    __tablename__ = "courses"
    __audited__ = True
    __table_args__ = (
        sa.CheckConstraint("seats > 0", name="seats_positive"),
        sa.CheckConstraint("end_date >= start_date", name="dates_in_order"),
        sa.CheckConstraint("grants_level BETWEEN 1 AND 3", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = fk("institutions.id")
    trade_id: Mapped[int] = fk("trades.id")
    title: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200), default="")
    seats: Mapped[int]
    start_date: Mapped[date]
    end_date: Mapped[date]
    hours: Mapped[int] = mapped_column(default=0)
    grants_certificate: Mapped[bool] = mapped_column(default=True)
    grants_level: Mapped[int] = mapped_column(default=1)

    institution = relationship("Institution")
    trade = relationship("Trade")
    enrolments: Mapped[list["Enrolment"]] = relationship(back_populates="course")

    @property
    def audit_institution_id(self) -> int:
        return self.institution_id


class Enrolment(db.Model):
    __tablename__ = "enrolments"
    __audited__ = True
    __table_args__ = (sa.UniqueConstraint("course_id", "inmate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = fk("courses.id")
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    enrolled_on: Mapped[date]
    status: Mapped[EnrolmentStatus] = mapped_column(
        enum_column(EnrolmentStatus), default=EnrolmentStatus.ENROLLED
    )
    completed_on: Mapped[date | None]
    result: Mapped[str] = mapped_column(String(200), default="")
    # Why it was completed sooner than its hours allow (confirmed by the officer).
    early_reason: Mapped[str] = mapped_column(String(300), default="")

    course: Mapped[Course] = relationship(back_populates="enrolments")
    inmate = relationship("Inmate")

    @property
    def audit_institution_id(self) -> int:
        return db.session.get(Course, self.course_id).institution_id
