"""Timesheets, pay, writs, personal accounts and the year's pay settings (R24-R26)."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import Numeric, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.errors import explain_constraint
from app.core.models import fk, utcnow
from app.core.vocabulary import enum_column
from app.extensions import db
from policy.pay import DEFAULT_TIMESHEET_DUE_DAYS

# The columns a payslip copies of its timesheet (officers' and employers' scope).
SCOPE = ("id", "placement_id", "inmate_id", "institution_id", "employer_id")


class TimesheetStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    SUPERSEDED = "superseded"  # an approved version replaced by an approved correction


class ClaimKind(StrEnum):
    CIVIL_CLAIM = "civil_claim"  # damages to a victim under a writ of execution
    ALIMONY = "alimony"
    OTHER_WRIT = "other_writ"
    # Pay a correction lowered after the money had left the account: the person
    # owes it back, recovered from later pay like a writ (R25's caps and share).
    OVERPAYMENT = "overpayment"


# The kinds an officer records by hand; an overpayment is recorded by the correction.
WRIT_KINDS = (ClaimKind.CIVIL_CLAIM, ClaimKind.ALIMONY, ClaimKind.OTHER_WRIT)


class EntryKind(StrEnum):
    PAY = "pay"  # gross pay credited
    DEDUCTION = "deduction"  # a deduction paid out of it (tax, writs)
    FAMILY_TRANSFER = "family_transfer"
    PURCHASE = "purchase"
    RELEASE_PAYOUT = "release_payout"
    REVERSAL = "reversal"  # undoes one earlier entry
    # What a correction took back beyond the balance, carried as a debt (an
    # overpayment claim) so that the account never falls below zero.
    OVERPAYMENT = "overpayment"


class PaySettings(db.Model):
    """R25 for one calendar year: the deductions in order with their caps and the
    share always left to the inmate, and R24's days to approve a month's
    timesheet. Unverified law: every year starts "to confirm"; no payroll of the
    year is worked out before an administrator confirms it."""

    __tablename__ = "pay_settings"
    __audited__ = True

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # [{"kind": "income_tax", "mode": "rate"|"claims", "percent_bp": 1000}, ...] in order.
    rules: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    protected_bp: Mapped[int]  # basis points of the gross always left to the inmate
    # R24: days after a month within which its timesheet must be approved.
    timesheet_due_days: Mapped[int] = mapped_column(
        default=DEFAULT_TIMESHEET_DUE_DAYS, server_default=str(DEFAULT_TIMESHEET_DUE_DAYS))
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = fk("users.id", nullable=True)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def audit_institution_id(self) -> None:
        return None


class Timesheet(db.Model):
    """One version of a placement's month (R24). Days are
    ``{"<day of month>": {"hours": "8", "absence": null}}``. Approved versions are
    locked; a correction is a new version that supersedes it when approved."""

    __tablename__ = "timesheets"
    __audited__ = True
    __table_args__ = (
        sa.UniqueConstraint("placement_id", "month", "version"),
        sa.Index("ix_timesheets_month_status", "month", "status"),
        # What a payslip copies of its timesheet, as one key (see Payslip).
        sa.UniqueConstraint(*SCOPE, name="uq_timesheets_scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = fk("placements.id")
    # Denormalised for scope (officers by institution, employers by business).
    institution_id: Mapped[int] = fk("institutions.id")
    employer_id: Mapped[int] = fk("employers.id")
    inmate_id: Mapped[int] = fk("inmates.id")
    month: Mapped[date]  # the first day of the month
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[TimesheetStatus] = mapped_column(
        enum_column(TimesheetStatus), default=TimesheetStatus.DRAFT)
    days: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    total_hours: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(0))
    piece_rate: Mapped[int] = mapped_column(default=0)  # tenge declared by the employer
    bonus: Mapped[int] = mapped_column(default=0)
    extras_note: Mapped[str] = mapped_column(String(300), default="")
    correction_reason: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = fk("users.id", nullable=True)

    placement = relationship("Placement")
    inmate = relationship("Inmate")

    @property
    def locked(self) -> bool:
        return self.status in (TimesheetStatus.APPROVED, TimesheetStatus.SUPERSEDED)

    @property
    def audit_institution_id(self) -> int:
        return self.institution_id


class AttendanceMark(db.Model):
    """Whether a person due at work on a day came (app/pay/attendance.py): present, or
    absent with a reason and a note. The mark writes the day of the placement's
    timesheet (the shift's hours, or 0 with the reason); the note stays here. One mark a
    placement and day: marking again changes it (audited)."""

    __tablename__ = "attendance_marks"
    __audited__ = True
    __table_args__ = (
        sa.UniqueConstraint("placement_id", "day"),
        sa.CheckConstraint("present OR absence IS NOT NULL", name="absent_with_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = fk("placements.id")
    # Denormalised for scope (officers by institution, employers by business).
    institution_id: Mapped[int] = fk("institutions.id")
    employer_id: Mapped[int] = fk("employers.id")
    day: Mapped[date]
    present: Mapped[bool]
    absence: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(300), default="")
    marked_by_id: Mapped[int | None] = fk("users.id", nullable=True)
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)

    placement = relationship("Placement")

    @property
    def audit_institution_id(self) -> int:
        return self.institution_id


class Claim(db.Model):
    """A writ or claim paid by deductions from the inmate's pay (R25)."""

    __tablename__ = "claims"
    __audited__ = True
    __table_args__ = (
        sa.CheckConstraint("amount_due > 0", name="due_positive"),
        sa.CheckConstraint("amount_paid >= 0 AND amount_paid <= amount_due", name="paid_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = fk("inmates.id")
    institution_id: Mapped[int] = fk("institutions.id")
    kind: Mapped[ClaimKind] = mapped_column(enum_column(ClaimKind))
    creditor: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(100), default="")  # the writ's number
    received_on: Mapped[date]
    amount_due: Mapped[int]
    amount_paid: Mapped[int] = mapped_column(default=0)

    inmate = relationship("Inmate")

    @property
    def outstanding(self) -> int:
        return self.amount_due - self.amount_paid

    @property
    def audit_institution_id(self) -> int:
        return self.institution_id


class Payslip(db.Model):
    """A month's pay of one placement, from one approved timesheet version (a
    correction's payslip replaces it: the earlier one's account entries are reversed)."""

    __tablename__ = "payslips"
    # One foreign key for the timesheet and the scope columns copied from it: they
    # can never differ from the timesheet's, and a national month's 35,000 payslips
    # are checked once each instead of five times.
    __table_args__ = (sa.ForeignKeyConstraint(
        ["timesheet_id", *SCOPE[1:]], [f"timesheets.{column}" for column in SCOPE],
        name="fk_payslips_timesheet_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    timesheet_id: Mapped[int] = mapped_column(unique=True)
    placement_id: Mapped[int] = mapped_column(index=True)
    inmate_id: Mapped[int] = mapped_column(index=True)
    institution_id: Mapped[int] = mapped_column(index=True)
    employer_id: Mapped[int] = mapped_column(index=True)
    month: Mapped[date] = mapped_column(index=True)
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    time_pay: Mapped[int]
    piece_rate: Mapped[int]
    bonus: Mapped[int]
    gross: Mapped[int]
    minimum: Mapped[int]  # R10 for the hours worked, kept as evidence
    deducted: Mapped[int]
    net: Mapped[int]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The employer's confirmation that paid this version (None: not yet). A version
    # approved after the month was confirmed is late pay, confirmed on its own.
    confirmation_id: Mapped[int | None] = fk("payroll_confirmations.id", nullable=True)

    lines: Mapped[list["PayDeduction"]] = relationship(back_populates="payslip",
                                                        order_by="PayDeduction.id")
    inmate = relationship("Inmate", primaryjoin="foreign(Payslip.inmate_id) == Inmate.id",
                          viewonly=True)
    timesheet = relationship("Timesheet", viewonly=True)


class PayDeduction(db.Model):
    __tablename__ = "pay_deductions"

    id: Mapped[int] = mapped_column(primary_key=True)
    payslip_id: Mapped[int] = fk("payslips.id")
    kind: Mapped[str] = mapped_column(String(32))
    claim_id: Mapped[int | None] = fk("claims.id", nullable=True)
    amount: Mapped[int]

    payslip: Mapped[Payslip] = relationship(back_populates="lines")


class PayrollConfirmation(db.Model):
    """An employer's statement that it paid what a month's payroll awaited: the
    month's pay the first time, then each line of late pay (payslips point to the
    confirmation that paid them)."""

    __tablename__ = "payroll_confirmations"
    __audited__ = True
    __table_args__ = (sa.Index("ix_payroll_confirmations_employer_id_month", "employer_id",
                               "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = fk("employers.id")
    month: Mapped[date]
    total: Mapped[int]
    confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_by_id: Mapped[int | None] = fk("users.id", nullable=True)

    @property
    def audit_institution_id(self) -> None:
        return None


class AccountEntry(db.Model):
    """One line of an inmate's personal account (R26): credits positive, debits
    negative. Append-only: a mistake is undone by a reversing entry. The ledger is
    its own audit trail (author, time, never changed), so it is not copied into
    the audit table."""

    __tablename__ = "account_entries"
    __table_args__ = (
        sa.Index("ix_account_entries_inmate_id_id", "inmate_id", "id"),
        # An entry is undone at most once, and a payslip's pay credited once: two
        # requests racing to do either are told apart by the database (409).
        sa.UniqueConstraint("reverses_id"),
        sa.Index("uq_account_entries_pay_payslip_id", "payslip_id", unique=True,
                 postgresql_where=sa.text("kind = 'pay'"), sqlite_where=sa.text("kind = 'pay'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inmate_id: Mapped[int] = mapped_column(sa.ForeignKey("inmates.id"))
    institution_id: Mapped[int] = fk("institutions.id")
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind))
    amount: Mapped[int]
    booked_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(300), default="")
    payslip_id: Mapped[int | None] = fk("payslips.id", nullable=True)
    # Unindexed: a national month writes 70,000 entries and nothing searches by these.
    claim_id: Mapped[int | None] = mapped_column(sa.ForeignKey("claims.id"))
    reverses_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account_entries.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(AccountEntry, "before_update")
@event.listens_for(AccountEntry, "before_delete")
def _append_only(mapper: Any, connection: Any, entry: AccountEntry) -> None:
    raise ValueError("account entries are append-only; book a reversing entry")


# The loser of a race the row locks did not settle first is told which booking won.
explain_constraint("uq_payslips_timesheet_id", _l(
    "this timesheet's pay is already booked: another request approved it at the same moment"))
explain_constraint("uq_account_entries_reverses_id", _l("this entry is already reversed"))
explain_constraint("uq_account_entries_pay_payslip_id", _l("this pay is already credited"))
