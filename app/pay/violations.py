"""Violations on real work and pay, for one month (R9, R10, R24, R25), and the
prosecutors' pay compliance by institution and region.

Each check is one function named after what it finds and returns its findings
with the day it was seen and the evidence (timesheet, payslip, placement). The
thresholds are the year's settings (R9 limits, R10 minimum) and pay settings
(R25); the arithmetic is policy/pay.py, the same functions that book the pay.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.auth import scope_clause
from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.pay.models import PayDeduction, PayrollConfirmation, Payslip, Timesheet, TimesheetStatus
from app.pay.operations import active_in_month, pay_law, pay_settings_for
from app.placements.models import Placement
from app.settings.operations import settings_for
from policy import pay as law


@dataclass
class PayViolation:
    check: str
    institution_id: int
    inmate_id: int | None
    placement_id: int | None
    month: date
    seen_on: date
    detail: str
    evidence: dict[str, Any] = field(default_factory=dict)


def _scoped(query: sa.Select, model: Any, user: Any) -> sa.Select:
    return query if user is None else query.where(scope_clause(model, user))


def _approved(month: date) -> sa.ColumnElement[bool]:
    return sa.and_(Timesheet.month == month, Timesheet.status == TimesheetStatus.APPROVED)


def r9_week_over_limit(month: date, user: Any = None, today: date | None = None
                       ) -> list[PayViolation]:
    """R9 on hours really worked: an inmate's approved hours (all placements) in a
    week starting in ``month`` above the weekly limit (36 h for disability groups
    I and II). Weeks are read across the month's edges."""
    settings = settings_for(month.year)
    months = (law.previous_month(month), month, law.next_month(month))
    rows = db.session.execute(_scoped(
        sa.select(Timesheet.id, Timesheet.inmate_id, Timesheet.institution_id, Timesheet.month,
                  Timesheet.days, Inmate.disability_group)
        .join(Inmate, Inmate.id == Timesheet.inmate_id)
        .where(Timesheet.month.in_(months), Timesheet.status == TimesheetStatus.APPROVED),
        Timesheet, user))
    hours: dict[int, dict[date, Decimal]] = defaultdict(dict)
    sheets: dict[int, list[int]] = defaultdict(list)
    who: dict[int, tuple[int, int | None]] = {}
    for row in rows:
        per_day = hours[row.inmate_id]
        for number, entry in row.days.items():
            day = row.month + timedelta(days=int(number) - 1)
            per_day[day] = per_day.get(day, Decimal(0)) + Decimal(entry["hours"])
        sheets[row.inmate_id].append(row.id)
        if row.month == month or row.inmate_id not in who:
            who[row.inmate_id] = (row.institution_id, row.disability_group)
    found = []
    for inmate_id, per_day in hours.items():
        institution_id, group = who[inmate_id]
        limit = settings.max_hours_disabled if group in (1, 2) else settings.max_hours_adult
        for monday, total in law.weeks_over_limit(per_day, limit):
            if law.first_of_month(monday) != month:
                continue
            found.append(PayViolation(
                "r9_week_over_limit", institution_id, inmate_id, None, month,
                monday + timedelta(days=6),
                f"{total} h in the week of {monday.isoformat()} (limit {limit} h)",
                {"timesheet_ids": sorted(sheets[inmate_id]), "week": monday.isoformat(),
                 "hours": str(total), "limit": limit}))
    return found


def r10_pay_below_minimum(month: date, user: Any = None, today: date | None = None
                          ) -> list[PayViolation]:
    """R10 on the real month: gross pay under the minimum for the hours worked."""
    rows = db.session.execute(_scoped(
        sa.select(Payslip).join(Timesheet, Timesheet.id == Payslip.timesheet_id)
        .where(_approved(month), Payslip.gross < Payslip.minimum), Payslip, user)).scalars()
    return [PayViolation("r10_pay_below_minimum", p.institution_id, p.inmate_id,
                         p.placement_id, month, law.next_month(month) - timedelta(days=1),
                         f"{p.gross} tenge for {p.hours} h (minimum {p.minimum})",
                         {"payslip_id": p.id, "timesheet_id": p.timesheet_id})
            for p in rows]


def worked_without_pay(month: date, user: Any = None, today: date | None = None
                       ) -> list[PayViolation]:
    """Hours approved but no pay: a zero gross, or the employer has not confirmed
    paying the month's payroll by the end of the next month."""
    today = today or date.today()
    due = law.next_month(law.next_month(month)) - timedelta(days=1)
    unpaid = sa.or_(Payslip.gross == 0, sa.and_(
        sa.literal(today > due),
        sa.or_(PayrollConfirmation.id.is_(None),
               sa.func.date(PayrollConfirmation.confirmed_at) > due)))
    rows = db.session.execute(_scoped(
        sa.select(Payslip, PayrollConfirmation.confirmed_at)
        .join(Timesheet, Timesheet.id == Payslip.timesheet_id)
        .outerjoin(PayrollConfirmation, sa.and_(
            PayrollConfirmation.employer_id == Payslip.employer_id,
            PayrollConfirmation.month == Payslip.month))
        .where(_approved(month), Payslip.hours > 0, unpaid), Payslip, user))
    return [PayViolation("worked_without_pay", p.institution_id, p.inmate_id, p.placement_id,
                         month, due, f"{p.hours} h worked; " + (
                             "no pay" if p.gross == 0 else "payment not confirmed by "
                             f"{due.isoformat()}"),
                         {"payslip_id": p.id, "employer_id": p.employer_id,
                          "confirmed_at": confirmed.isoformat() if confirmed else None})
            for p, confirmed in rows]


def timesheet_late(month: date, user: Any = None, today: date | None = None
                   ) -> list[PayViolation]:
    """R24: a paid placement active in the month whose timesheet was not approved
    within the due days after the month (policy.pay.TIMESHEET_DUE_DAYS)."""
    today = today or date.today()
    due = law.timesheet_due(month)
    first_approval = (sa.select(Timesheet.placement_id,
                                sa.func.min(Timesheet.approved_at).label("approved_at"))
                      .where(Timesheet.month == month, Timesheet.approved_at.is_not(None))
                      .group_by(Timesheet.placement_id).subquery())
    rows = db.session.execute(_scoped(
        sa.select(Placement.id, Placement.inmate_id, Placement.institution_id,
                  first_approval.c.approved_at)
        .outerjoin(first_approval, first_approval.c.placement_id == Placement.id)
        .where(active_in_month(month)), Placement, user))
    found = []
    for row in rows:
        approved_on = row.approved_at.date() if row.approved_at else None
        if (approved_on is None and today > due) or (approved_on and approved_on > due):
            found.append(PayViolation(
                "timesheet_late", row.institution_id, row.inmate_id, row.id, month,
                due + timedelta(days=1),
                f"approved on {approved_on.isoformat()}" if approved_on else "not approved",
                {"placement_id": row.id, "due": due.isoformat()}))
    return found


def deductions_outside_law(month: date, user: Any = None, today: date | None = None
                           ) -> list[PayViolation]:
    """R25: deductions above a cap, or leaving less than the protected share, under
    the year's pay settings."""
    pay_rules = pay_law(pay_settings_for(month.year))
    payslips = {p.id: p for p in db.session.execute(_scoped(
        sa.select(Payslip).join(Timesheet, Timesheet.id == Payslip.timesheet_id)
        .where(_approved(month), Payslip.deducted > 0), Payslip, user)).scalars()}
    lines: dict[int, list[law.Deduction]] = defaultdict(list)
    for line in db.session.execute(
            sa.select(PayDeduction.payslip_id, PayDeduction.kind, PayDeduction.amount)
            .join(Payslip, Payslip.id == PayDeduction.payslip_id)
            .join(Timesheet, Timesheet.id == Payslip.timesheet_id)
            .where(_approved(month), Payslip.deducted > 0)):
        lines[line.payslip_id].append(law.Deduction(line.kind, line.amount))
    found = []
    for payslip_id, taken in lines.items():
        payslip = payslips.get(payslip_id)
        problems = law.deduction_problems(payslip.gross, pay_rules, taken) if payslip else []
        if problems:
            found.append(PayViolation(
                "deductions_outside_law", payslip.institution_id, payslip.inmate_id,
                payslip.placement_id, month, law.next_month(month),
                ", ".join(problems), {"payslip_id": payslip.id, "gross": payslip.gross,
                                      "deducted": payslip.deducted}))
    return found


CHECKS: dict[str, tuple[Callable[..., list[PayViolation]], Any]] = {
    "r9_week_over_limit": (r9_week_over_limit, _l("R9: hours worked over the weekly limit")),
    "r10_pay_below_minimum": (r10_pay_below_minimum,
                              _l("R10: pay below the minimum for the hours worked")),
    "worked_without_pay": (worked_without_pay, _l("A month worked without pay")),
    "timesheet_late": (timesheet_late, _l("R24: timesheet approved late or not at all")),
    "deductions_outside_law": (deductions_outside_law,
                               _l("R25: deductions above the caps or below the protected "
                                  "share")),
}


def pay_violations(month: date, user: Any = None, check: str | None = None,
                   today: date | None = None) -> list[PayViolation]:
    month = law.first_of_month(month)
    names = [check] if check else list(CHECKS)
    return [found for name in names for found in CHECKS[name][0](month, user, today)]


def compliance(month: date, user: Any = None, today: date | None = None) -> dict[str, Any]:
    """Per institution and region: workers, timesheets approved, gross and net
    paid, and violations by check, for ``month``."""
    month = law.first_of_month(month)
    institutions = {i.id: i for i in db.session.scalars(_scoped(
        sa.select(Institution).options(sa.orm.joinedload(Institution.region)),
        Institution, user))}
    rows: dict[int, dict[str, Any]] = {
        i: {"institution_id": i, "code": inst.code, "name": inst.name,
            "region_id": inst.region_id, "region": inst.region.name, "workers": 0,
            "approved": 0, "gross": 0, "net": 0, "violations": {name: 0 for name in CHECKS}}
        for i, inst in institutions.items()}
    for institution_id, workers in db.session.execute(
            sa.select(Placement.institution_id, sa.func.count())
            .where(active_in_month(month)).group_by(Placement.institution_id)):
        if institution_id in rows:
            rows[institution_id]["workers"] = workers
    for institution_id, approved, gross, net in db.session.execute(
            sa.select(Payslip.institution_id, sa.func.count(), sa.func.sum(Payslip.gross),
                      sa.func.sum(Payslip.net))
            .join(Timesheet, Timesheet.id == Payslip.timesheet_id)
            .where(_approved(month)).group_by(Payslip.institution_id)):
        if institution_id in rows:
            rows[institution_id].update(approved=approved, gross=int(gross), net=int(net))
    for found in pay_violations(month, user, today=today):
        rows[found.institution_id]["violations"][found.check] += 1
    regions: dict[int, dict[str, Any]] = {}
    for row in rows.values():
        region = regions.setdefault(row["region_id"], {
            "region_id": row["region_id"], "region": row["region"], "workers": 0,
            "approved": 0, "gross": 0, "net": 0, "violations": {name: 0 for name in CHECKS}})
        for key in ("workers", "approved", "gross", "net"):
            region[key] += row[key]
        for name, count in row["violations"].items():
            region["violations"][name] += count
    order = sorted(rows.values(), key=lambda r: (r["region"], r["code"]))
    return {"month": month, "institutions": order,
            "regions": sorted(regions.values(), key=lambda r: r["region"])}


def claims_paid(user: Any = None, months: int = 24, today: date | None = None
                ) -> list[dict[str, Any]]:
    """Civil claims for damages paid to victims by deductions, per month, over the
    last ``months`` months (approved pay only; a correction's new figures count)."""
    last = law.first_of_month(today or date.today())
    first = last
    for _n in range(months - 1):
        first = law.previous_month(first)
    totals = dict(db.session.execute(_scoped(
        sa.select(Payslip.month, sa.func.sum(PayDeduction.amount))
        .join(Payslip, Payslip.id == PayDeduction.payslip_id)
        .join(Timesheet, Timesheet.id == Payslip.timesheet_id)
        .where(PayDeduction.kind == "civil_claim", Payslip.month >= first,
               Timesheet.status == TimesheetStatus.APPROVED)
        .group_by(Payslip.month), Payslip, user)).all())
    result, month = [], first
    while month <= last:
        result.append({"month": month, "paid": int(totals.get(month, 0) or 0)})
        month = law.next_month(month)
    return result
