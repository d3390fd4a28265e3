"""Release and reintegration (R20-R23): partner organisations, release plans and
their parts, referrals to partners, outcome checks after release, and the
year's settings of this package.

Dated rows keep the past reproducible (R19): a part's status changes are
appended to ``plan_part_changes``; a plan records its state on the day of
release; referrals keep the day they were sent, answered and closed.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.core.models import TimestampMixin, fk, utcnow
from app.core.vocabulary import (
    DECIDED_PART_STATUSES,
    PartnerKind,
    PartStatus,
    PlanPartKind,
    ReferralStatus,
    enum_column,
)
from app.extensions import db
from app.inmates.models import Consent, Inmate, institution_of_inmate
from app.institutions.models import Region
from app.taxonomy.models import Trade
from app.vacancies.models import Employer

partner_regions = sa.Table(
    "partner_regions",
    db.metadata,
    sa.Column("partner_id", sa.ForeignKey("partner_organisations.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("region_id", sa.ForeignKey("regions.id"), primary_key=True),
)

referral_parts = sa.Table(
    "referral_parts",
    db.metadata,
    sa.Column("referral_id", sa.ForeignKey("referrals.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("part_id", sa.ForeignKey("plan_parts.id", ondelete="CASCADE"), primary_key=True),
)


class ReintegrationSettings(TimestampMixin, db.Model):
    """This package's settings for one calendar year (defaults in operations.py)."""

    __tablename__ = "reintegration_settings"
    __audited__ = True
    __table_args__ = (
        sa.CheckConstraint("plan_months_before_release BETWEEN 1 AND 36",
                           name="plan_months_range"),
        sa.CheckConstraint("partner_access_months BETWEEN 0 AND 60",
                           name="access_months_range"),
    )

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    plan_months_before_release: Mapped[int]  # R20, default 6
    partner_access_months: Mapped[int]  # R21, default 12

    @property
    def audit_institution_id(self) -> None:
        return None


class PartnerOrganisation(TimestampMixin, db.Model):
    """An akimat department, employment or resocialisation centre, NGO or probation
    service that helps people after release, in the regions it serves."""

    __tablename__ = "partner_organisations"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[PartnerKind] = mapped_column(enum_column(PartnerKind))
    locality: Mapped[str] = mapped_column(String(120), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # Shown to the officers who refer people to it: whom to call, where to send them.
    contact_person: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(default=True)

    regions = relationship(Region, secondary=partner_regions, order_by=Region.name)

    @property
    def audit_institution_id(self) -> None:
        return None

    def __str__(self) -> str:
        return self.name


class ReleasePlan(TimestampMixin, db.Model):
    """An inmate's plan for the day of release and after (R20): one per inmate."""

    __tablename__ = "release_plans"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id", ondelete="CASCADE")
    opened_on: Mapped[date]
    opened_automatically: Mapped[bool] = mapped_column(default=False)
    destination_locality: Mapped[str] = mapped_column(String(120), default="")
    destination_region_id: Mapped[int | None] = fk("regions.id", nullable=True)
    # Its state on the day of release, kept as it was (prosecutors see releases
    # without a complete plan; later edits do not move past figures).
    released_on: Mapped[date | None]
    complete_at_release: Mapped[bool | None]
    job_at_release: Mapped[bool | None]
    housing_at_release: Mapped[bool | None]
    open_parts_at_release: Mapped[str] = mapped_column(String(300), default="")
    # When the release was entered: a release entered late with an earlier day
    # counts for a past day only if it was known by then.
    release_recorded_at: Mapped[datetime | None]

    inmate = relationship(Inmate)
    destination_region = relationship(Region)
    parts: Mapped[list["PlanPart"]] = relationship(
        back_populates="plan", order_by="PlanPart.position", cascade="all, delete-orphan")

    __table_args__ = (sa.UniqueConstraint("inmate_id"),)

    @property
    def open_parts(self) -> list["PlanPart"]:
        return [p for p in self.parts if p.status not in DECIDED_PART_STATUSES]

    @property
    def complete(self) -> bool:
        return not self.open_parts

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.inmate_id)


class PlanPart(db.Model):
    """One part of a release plan with its status, owner and due date."""

    __tablename__ = "plan_parts"
    __audited__ = True
    __table_args__ = (sa.UniqueConstraint("plan_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = fk("release_plans.id", ondelete="CASCADE")
    kind: Mapped[PlanPartKind] = mapped_column(enum_column(PlanPartKind))
    position: Mapped[int]
    status: Mapped[PartStatus] = mapped_column(enum_column(PartStatus),
                                               default=PartStatus.NEEDED)
    reason: Mapped[str] = mapped_column(String(500), default="")  # why not arranged
    note: Mapped[str] = mapped_column(String(500), default="")  # what was arranged
    owner_partner_id: Mapped[int | None] = fk("partner_organisations.id", nullable=True)
    due_on: Mapped[date | None]
    # The person's own agreement to what is arranged ("" not asked yet, "agreed",
    # "declined" with the reason in their words): a job part is arranged only with
    # "agreed" (an offer alone does not arrange it).
    agreement: Mapped[str] = mapped_column(String(16), default="")
    agreement_reason: Mapped[str] = mapped_column(String(500), default="")

    plan: Mapped[ReleasePlan] = relationship(back_populates="parts")
    owner_partner = relationship("PartnerOrganisation")
    changes: Mapped[list["PlanPartChange"]] = relationship(
        back_populates="part", order_by="PlanPartChange.id", cascade="all, delete-orphan")

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.plan.inmate_id)


class PlanPartChange(db.Model):
    """A part's status from a day on: completeness on a past day reads these."""

    __tablename__ = "plan_part_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = fk("plan_parts.id", ondelete="CASCADE")
    day: Mapped[date] = mapped_column(index=True)
    status: Mapped[PartStatus] = mapped_column(enum_column(PartStatus))

    part: Mapped[PlanPart] = relationship(back_populates="changes")


class Referral(TimestampMixin, db.Model):
    """Parts of a plan referred to a partner organisation, with consent (R21)."""

    __tablename__ = "referrals"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = fk("release_plans.id", ondelete="CASCADE")
    partner_id: Mapped[int] = fk("partner_organisations.id")
    consent_id: Mapped[int] = fk("consents.id")
    referred_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus),
                                                   default=ReferralStatus.SENT)
    sent_on: Mapped[date]
    due_on: Mapped[date]
    answered_on: Mapped[date | None]
    closed_on: Mapped[date | None]
    access_until: Mapped[date | None]  # R21: the partner sees nothing from this day
    note: Mapped[str] = mapped_column(String(1000), default="")  # the officer's request
    decline_reason: Mapped[str] = mapped_column(String(500), default="")
    arranged: Mapped[str] = mapped_column(String(1000), default="")  # the partner's record
    # The interview the partner arranged (a job, a place at the centre): when, where and
    # who meets the person, and who escorts a person still in custody.
    interview_on: Mapped[datetime | None]
    interview_place: Mapped[str] = mapped_column(String(300), default="")
    interview_with: Mapped[str] = mapped_column(String(200), default="")
    # Who accompanies a person still in custody on the interview's day (required then).
    interview_escort: Mapped[str] = mapped_column(String(200), default="")

    plan: Mapped[ReleasePlan] = relationship()
    partner: Mapped[PartnerOrganisation] = relationship()
    consent = relationship(Consent)
    referred_by = relationship(User)
    parts: Mapped[list[PlanPart]] = relationship(secondary=referral_parts,
                                                 order_by="PlanPart.position")
    messages: Mapped[list["ReferralMessage"]] = relationship(
        back_populates="referral", order_by="ReferralMessage.id", cascade="all, delete-orphan")

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.plan.inmate_id)


class ReferralMessage(db.Model):
    """A question or an answer between the partner and the institution."""

    __tablename__ = "referral_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = fk("referrals.id", ondelete="CASCADE")
    author_id: Mapped[int | None] = fk("users.id", nullable=True)
    from_partner: Mapped[bool]
    text: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    referral: Mapped[Referral] = relationship(back_populates="messages")
    author = relationship(User)


class OutcomeCheck(db.Model):
    """The person's situation 1, 3, 6 or 12 months after release (R23), when known.
    A correction is a new version (with its reason); the one it replaces is kept,
    ``superseded_at`` the moment it stopped being the answer, so a past day's
    figures read the version known then."""

    __tablename__ = "outcome_checks"
    __audited__ = True
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "months", "version"),
        sa.CheckConstraint("months IN (1, 3, 6, 12)", name="months_allowed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = fk("release_plans.id", ondelete="CASCADE")
    months: Mapped[int]
    checked_on: Mapped[date]
    recorded_by_partner_id: Mapped[int | None] = fk("partner_organisations.id", nullable=True)
    housed: Mapped[bool] = mapped_column(default=False)
    employed: Mapped[bool] = mapped_column(default=False)
    in_training: Mapped[bool] = mapped_column(default=False)
    benefits: Mapped[bool] = mapped_column(default=False)
    returned_to_custody: Mapped[bool] = mapped_column(default=False)
    lost_contact: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(500), default="")
    # When it was entered (UTC): a check entered late with an earlier
    # ``checked_on`` counts for a past day only if it was known by then.
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    correction_reason: Mapped[str] = mapped_column(String(500), default="")
    superseded_at: Mapped[datetime | None]

    plan: Mapped[ReleasePlan] = relationship()
    recorded_by_partner = relationship("PartnerOrganisation")

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.plan.inmate_id)


class OutsideJob(TimestampMixin, db.Model):
    """A job in a town, open to people leaving prison (R22), posted by an
    employer or by an employment centre (a partner organisation)."""

    __tablename__ = "outside_jobs"
    __audited__ = True
    __table_args__ = (
        sa.CheckConstraint("positions BETWEEN 1 AND 10000", name="positions_range"),
        sa.CheckConstraint("monthly_wage > 0", name="wage_positive"),
        sa.CheckConstraint("(employer_id IS NULL) <> (partner_id IS NULL)",
                           name="one_poster"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int | None] = fk("employers.id", nullable=True)
    partner_id: Mapped[int | None] = fk("partner_organisations.id", nullable=True)
    title: Mapped[str] = mapped_column(String(200))
    trade_id: Mapped[int] = fk("trades.id")
    locality: Mapped[str] = mapped_column(String(120))
    region_id: Mapped[int] = fk("regions.id")
    positions: Mapped[int]
    monthly_wage: Mapped[int]
    start_date: Mapped[date]
    certificate_required: Mapped[bool] = mapped_column(default=False)
    open: Mapped[bool] = mapped_column(default=True)

    employer = relationship(Employer)
    partner = relationship(PartnerOrganisation)
    trade = relationship(Trade)
    region = relationship(Region)

    @property
    def poster(self) -> str:
        """The business or the employment centre that posted the job."""
        return (self.employer or self.partner).name

    @property
    def audit_institution_id(self) -> None:
        return None


class JobAnswer(db.Model):
    """An employer's answer to a proposed person: interview, offer or no (R22)."""

    __tablename__ = "job_answers"
    __audited__ = True
    __table_args__ = (sa.UniqueConstraint("job_id", "plan_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = fk("outside_jobs.id", ondelete="CASCADE")
    plan_id: Mapped[int] = fk("release_plans.id", ondelete="CASCADE")
    answer: Mapped[str] = mapped_column(String(16))  # interview / offer / no
    answered_on: Mapped[date]
    reason: Mapped[str] = mapped_column(String(300), default="")  # why not (a "no")

    job: Mapped[OutsideJob] = relationship()
    plan: Mapped[ReleasePlan] = relationship()

    @property
    def audit_institution_id(self) -> int:
        return institution_of_inmate(self.plan.inmate_id)
