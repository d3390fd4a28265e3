from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin, fk
from app.core.vocabulary import (
    PRIVATE_EMPLOYER_KINDS,
    EmployerKind,
    EmployerStatus,
    Shift,
    Site,
    VacancyStatus,
    enum_column,
)
from app.extensions import db


class Employer(TimestampMixin, db.Model):
    """A business (BIN), sole trader (IIN), state enterprise or the institution itself."""

    __tablename__ = "employers"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EmployerKind] = mapped_column(enum_column(EmployerKind))
    bin_iin: Mapped[str | None] = mapped_column(String(12), unique=True)  # R15
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    contact_person: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[EmployerStatus] = mapped_column(
        enum_column(EmployerStatus), default=EmployerStatus.PENDING
    )
    refusal_reason: Mapped[str] = mapped_column(String(500), default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None]  # the administrator; no FK (users refer to employers)
    # The institution whose own services (kitchen, laundry...) employ, for kind "institution".
    institution_id: Mapped[int | None] = fk("institutions.id", nullable=True)

    users = relationship("User", back_populates="employer", foreign_keys="User.employer_id")
    vacancies: Mapped[list["Vacancy"]] = relationship(back_populates="employer")

    @property
    def is_approved(self) -> bool:
        return self.status == EmployerStatus.APPROVED

    @property
    def is_private(self) -> bool:
        return self.kind in PRIVATE_EMPLOYER_KINDS

    @property
    def audit_institution_id(self) -> int | None:
        return self.institution_id

    def __str__(self) -> str:
        return self.name


vacancy_required_skills = sa.Table(
    "vacancy_required_skills",
    db.metadata,
    sa.Column("vacancy_id", sa.ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("trade_id", sa.ForeignKey("trades.id"), primary_key=True),
)

vacancy_required_certificates = sa.Table(
    "vacancy_required_certificates",
    db.metadata,
    sa.Column("vacancy_id", sa.ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("trade_id", sa.ForeignKey("trades.id"), primary_key=True),
)


class Vacancy(TimestampMixin, db.Model):
    """A job an employer offers at one institution."""

    __tablename__ = "vacancies"
    __audited__ = True
    __table_args__ = (
        sa.CheckConstraint("positions >= 0", name="positions_not_negative"),
        sa.CheckConstraint("weekly_hours > 0", name="hours_positive"),
        sa.CheckConstraint("monthly_wage > 0", name="wage_positive"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = fk("employers.id")
    institution_id: Mapped[int] = fk("institutions.id")
    title: Mapped[str] = mapped_column(String(200))
    trade_id: Mapped[int] = fk("trades.id")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    site: Mapped[Site] = mapped_column(enum_column(Site))
    positions: Mapped[int]
    monthly_wage: Mapped[int]  # tenge
    weekly_hours: Mapped[int]
    shift: Mapped[Shift] = mapped_column(enum_column(Shift), default=Shift.DAY)
    heavy_or_hazardous: Mapped[bool] = mapped_column(default=False)
    women_barred: Mapped[bool] = mapped_column(default=False)  # R7
    trainable_on_job: Mapped[bool] = mapped_column(default=False)  # R12
    needs_long_stay: Mapped[bool] = mapped_column(default=False)  # prefers time before release
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    # R28: the highest risk level (a name on the year's scale) the work may take, set by
    # the institution's officers (tools, the public, outside the perimeter); none: no limit
    max_risk_level: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[VacancyStatus] = mapped_column(
        enum_column(VacancyStatus), default=VacancyStatus.DRAFT
    )

    employer: Mapped[Employer] = relationship(back_populates="vacancies")
    institution = relationship("Institution")
    trade = relationship("Trade")
    required_skills = relationship("Trade", secondary=vacancy_required_skills)
    required_certificates = relationship("Trade", secondary=vacancy_required_certificates)

    @property
    def audit_institution_id(self) -> int:
        return self.institution_id

    def __str__(self) -> str:
        return self.title
