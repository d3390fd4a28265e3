from decimal import Decimal

from sqlalchemy import Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import TimestampMixin
from app.extensions import db
from policy import Law


class YearSettings(TimestampMixin, db.Model):
    """Legal thresholds and engine weights in force for one calendar year.

    DOMAIN.md keeps unverified thresholds as settings so an administrator can
    correct them without a code change. Defaults live in settings/operations.py.
    """

    __tablename__ = "year_settings"
    __audited__ = True

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    target_rate: Mapped[Decimal] = mapped_column(Numeric(4, 3))  # R1, 0.750
    min_monthly_wage: Mapped[int]  # R10, tenge for full time
    full_time_hours: Mapped[int]  # R10 pro rata base
    max_hours_adult: Mapped[int]  # R9
    max_hours_disabled: Mapped[int]  # R9, disability groups I and II
    max_hours_juvenile_16: Mapped[int]  # R6, age 16-17
    max_hours_juvenile_14: Mapped[int]  # R6, age 14-15
    pension_age_men: Mapped[Decimal] = mapped_column(Numeric(4, 1))  # R4
    pension_age_women: Mapped[Decimal] = mapped_column(Numeric(4, 1))  # R4
    # R8: conditions tiers of the medium regime that may work outside the perimeter.
    outside_medium_conditions: Mapped[str] = mapped_column(String(100))
    # R4: which voluntary-only groups apply (comma-separated: pension_age,disability_1_2,pregnant).
    voluntary_groups: Mapped[str] = mapped_column(String(100))
    # R27-R30: the risk scale (comma-separated, lowest first), assessment and review
    # intervals, unassessed persons outside, the scattered model's cap, court bans in prison.
    risk_levels: Mapped[str] = mapped_column(String(200), default="low,medium,high")
    risk_assessment_days: Mapped[int] = mapped_column(default=30)
    risk_review_months: Mapped[int] = mapped_column(default=12)
    unassessed_highest_outside: Mapped[bool] = mapped_column(default=True)
    scattered_cap: Mapped[int] = mapped_column(default=2)
    bans_run_in_prison: Mapped[bool] = mapped_column(default=True)
    # Engine score weights (integers).
    weight_skill: Mapped[int]
    weight_certificate: Mapped[int]
    weight_wish: Mapped[int]
    weight_recent_training: Mapped[int]
    weight_release_time: Mapped[int]
    weight_wage: Mapped[int]
    # R31: every application answered within these days.
    application_answer_days: Mapped[int] = mapped_column(default=10, server_default="10")

    @property
    def audit_institution_id(self) -> None:
        return None

    @property
    def law(self) -> Law:
        """These settings as the law every rule reads (``policy.law.Law``)."""
        return Law(
            year=self.year, target_rate=Decimal(self.target_rate),
            min_monthly_wage=self.min_monthly_wage, full_time_hours=self.full_time_hours,
            max_hours_adult=self.max_hours_adult, max_hours_disabled=self.max_hours_disabled,
            max_hours_juvenile_16=self.max_hours_juvenile_16,
            max_hours_juvenile_14=self.max_hours_juvenile_14,
            pension_age_men=Decimal(self.pension_age_men),
            pension_age_women=Decimal(self.pension_age_women),
            outside_medium_conditions=_choices(self.outside_medium_conditions),
            voluntary_groups=_choices(self.voluntary_groups),
            application_answer_days=self.application_answer_days,
            risk_levels=risk_scale(self.risk_levels or ""),
            risk_assessment_days=self.risk_assessment_days,
            risk_review_months=self.risk_review_months,
            unassessed_highest_outside=self.unassessed_highest_outside,
            scattered_cap=self.scattered_cap, bans_run_in_prison=self.bans_run_in_prison,
        )


def risk_scale(stored: str) -> tuple[str, ...]:
    """R27: the stored scale (comma-separated names, lowest first) as a tuple, in order."""
    return tuple(level.strip() for level in stored.split(",") if level.strip())


def _choices(stored: str) -> frozenset[str]:
    """A comma-separated list of choices as a set (empty entries ignored)."""
    return frozenset(c.strip() for c in stored.split(",") if c.strip())
