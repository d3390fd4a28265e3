"""Violations on real work and pay, for one month (R9, R10, R24, R25), and the
prosecutors' pay compliance by institution and region.

Each check is one function named after what it finds and returns its findings
with the day it was seen and the evidence (timesheet, payslip, placement). The
thresholds are the year's settings (R9 limits, R10 minimum) and pay settings
(R25); the arithmetic is policy/pay.py, the same functions that book the pay.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import groupby
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import Numeric

from app.core.auth import scope_clause
from app.core.lawsql import SQL
from app.extensions import db
from app.inmates.law_columns import InmateOnDay
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.pay.models import PayDeduction, PayrollConfirmation, Payslip, Timesheet, TimesheetStatus
from app.pay.operations import (
    active_in_month,
    pay_law,
    pay_settings_for,
    timesheet_due,
    to_confirm,
)
from app.placements.models import Placement
from app.settings.operations import settings_for
from policy import pay as law
from policy import rules
from policy.clock import day_of, today_in_kazakhstan
from policy.ops import PYTHON


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


def _mondays(month: date) -> list[date]:
    return [day for day in law.month_days(month) if day.weekday() == 0]


def _approved_day_hours(month: date, user: Any) -> sa.Subquery:
    """(inmate, week, hours) for every day of the approved timesheets of ``month``
    and the month after (a week that starts in ``month`` may end in the next),
    read out of the days' JSON by the database. A day is its ordinal number
    (``date.toordinal``: day 1 is a Monday), so its week's Monday is
    ``day - (day - 1) % 7`` on every backend."""
    following = law.next_month(month)
    days = sa.func.json_each(Timesheet.days).table_valued(
        sa.column("key", sa.String), sa.column("value", sa.JSON))
    day = (sa.case((Timesheet.month == month, month.toordinal()),
                   else_=following.toordinal()) + sa.cast(days.c.key, sa.Integer) - 1)
    return _scoped(
        sa.select(Timesheet.inmate_id, (day - (day - 1) % 7).label("week"),
                  sa.cast(days.c.value["hours"].as_string(), Numeric(6, 2)).label("hours"))
        .select_from(Timesheet).join(days, sa.true())
        .where(Timesheet.month.in_((month, following)),
               Timesheet.status == TimesheetStatus.APPROVED), Timesheet, user).subquery()


def r9_week_over_limit(month: date, user: Any = None, today: date | None = None
                       ) -> list[PayViolation]:
    """R9 and R6 on hours really worked: an inmate's approved hours (all placements)
    in a week starting in ``month`` above the weekly limit for the inmate on the
    week's Monday (``policy.rules.weekly_hours_allowed``: 40 h, 36 h for disability
    groups I and II, the juvenile limits by age; a birthday in the week raises the
    limit from the next week). Weeks are summed by the database; the same rule
    gives the limit in SQL (which weeks) and in Python (the evidence)."""
    pay_rules = settings_for(month.year).law
    mondays = _mondays(month)
    days = _approved_day_hours(month, user)
    person = InmateOnDay(mondays[0])
    limit = sa.case(*((days.c.week == monday.toordinal(),
                       rules.weekly_hours_allowed(SQL, pay_rules, person, monday))
                      for monday in mondays))
    total = sa.func.sum(days.c.hours)
    weeks = db.session.execute(
        sa.select(Inmate.id, Inmate.birth_date, Inmate.disability_group, days.c.week,
                  total.label("hours"))
        .join(Inmate, Inmate.id == days.c.inmate_id)
        .where(days.c.week.between(mondays[0].toordinal(), mondays[-1].toordinal()))
        .group_by(Inmate.id, days.c.week).having(total > limit)
        .order_by(Inmate.id, days.c.week)).all()
    sheets = _timesheets_of({row.id for row in weeks}, (month, law.next_month(month)), user)
    found = []
    for row in weeks:
        monday = date.fromordinal(row.week)
        who = SimpleNamespace(birth=row.birth_date, disability=row.disability_group or 0)
        week_limit = rules.weekly_hours_allowed(PYTHON, pay_rules, who, monday)
        hours = format(Decimal(row.hours).normalize(), "f")
        found.append(PayViolation(
            "r9_week_over_limit", sheets[row.id][0], row.id, None, month,
            monday + timedelta(days=6),
            f"{hours} h in the week of {monday.isoformat()} (limit {week_limit} h)",
            {"timesheet_ids": sheets[row.id][1], "week": monday.isoformat(),
             "hours": hours, "limit": week_limit}))
    return found


def _timesheets_of(inmate_ids: set[int], months: tuple[date, ...], user: Any
                   ) -> dict[int, tuple[int, list[int]]]:
    """{inmate: (institution of the first month's timesheet, approved timesheet ids)}
    among those ``user`` sees."""
    found: dict[int, tuple[int, list[int]]] = {}
    for row in db.session.execute(_scoped(
            sa.select(Timesheet.inmate_id, Timesheet.institution_id, Timesheet.id)
            .where(Timesheet.inmate_id.in_(inmate_ids), Timesheet.month.in_(months),
                   Timesheet.status == TimesheetStatus.APPROVED)
            .order_by(Timesheet.month, Timesheet.id), Timesheet, user)):
        found.setdefault(row.inmate_id, (row.institution_id, []))[1].append(row.id)
    return found


def r10_pay_below_minimum(month: date, user: Any = None, today: date | None = None
                          ) -> list[PayViolation]:
    """R10 on the real month: gross pay under the minimum for the hours worked, until
    the amount owed is paid: a correction that raises the pay to the minimum ends
    the violation once the employer confirms paying it."""
    earlier = sa.orm.aliased(Payslip)
    was_below = sa.exists().where(
        earlier.placement_id == Payslip.placement_id, earlier.month == Payslip.month,
        earlier.id != Payslip.id, earlier.gross < earlier.minimum)
    rows = db.session.execute(_scoped(
        sa.select(Payslip).join(Timesheet, Timesheet.id == Payslip.timesheet_id)
        .where(_approved(month), sa.or_(
            Payslip.gross < Payslip.minimum,
            sa.and_(Payslip.confirmation_id.is_(None), was_below))), Payslip, user)).scalars()
    return [PayViolation("r10_pay_below_minimum", p.institution_id, p.inmate_id,
                         p.placement_id, month, law.next_month(month) - timedelta(days=1),
                         f"{p.gross} tenge for {p.hours} h (minimum {p.minimum})" + (
                             f", {p.minimum - p.gross} owed" if p.gross < p.minimum
                             else ", raised to it but not yet paid"),
                         {"payslip_id": p.id, "timesheet_id": p.timesheet_id,
                          "owed": max(0, p.minimum - p.gross)})
            for p in rows]


def worked_without_pay(month: date, user: Any = None, today: date | None = None
                       ) -> list[PayViolation]:
    """Hours approved but no pay: a zero gross; pay the employer has not confirmed
    paying by the end of the next month (or confirmed only after it); late pay,
    approved after the employer confirmed the month, until it is confirmed."""
    today = today or today_in_kazakhstan()
    due = law.next_month(law.next_month(month)) - timedelta(days=1)
    own = sa.orm.aliased(PayrollConfirmation)
    first = (sa.select(sa.func.min(PayrollConfirmation.id)).where(
        PayrollConfirmation.employer_id == Payslip.employer_id,
        PayrollConfirmation.month == Payslip.month).scalar_subquery())
    late = sa.or_(sa.and_(Payslip.confirmation_id.is_(None), first.is_not(None)),
                  Payslip.confirmation_id > first)
    unpaid = sa.or_(
        Payslip.gross == 0,
        sa.and_(to_confirm() > 0, sa.or_(late, sa.literal(today > due))),
        sa.and_(~late, sa.func.date(own.confirmed_at) > due))
    rows = db.session.execute(_scoped(
        sa.select(Payslip, own.confirmed_at, late.label("late"))
        .join(Timesheet, Timesheet.id == Payslip.timesheet_id)
        .outerjoin(own, own.id == Payslip.confirmation_id)
        .where(_approved(month), Payslip.hours > 0, unpaid), Payslip, user))
    return [PayViolation("worked_without_pay", p.institution_id, p.inmate_id, p.placement_id,
                         month, due, f"{p.hours} h worked; " + (
                             "no pay" if p.gross == 0 else
                             "late pay not confirmed" if is_late and confirmed is None else
                             f"payment not confirmed by {due.isoformat()}"),
                         {"payslip_id": p.id, "employer_id": p.employer_id, "late": bool(is_late),
                          "confirmed_at": confirmed.isoformat() if confirmed else None})
            for p, confirmed, is_late in rows]


def timesheet_late(month: date, user: Any = None, today: date | None = None
                   ) -> list[PayViolation]:
    """R24: a paid placement active in the month whose timesheet was not approved
    within the due days after the month (the year's pay settings)."""
    today = today or today_in_kazakhstan()
    due = timesheet_due(month)
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
        approved_on = day_of(row.approved_at) if row.approved_at else None
        if (approved_on is None and today > due) or (approved_on and approved_on > due):
            found.append(PayViolation(
                "timesheet_late", row.institution_id, row.inmate_id, row.id, month,
                due + timedelta(days=1),
                f"approved on {approved_on.isoformat()}" if approved_on else "not approved",
                {"placement_id": row.id, "due": due.isoformat()}))
    return found


# Thousands of payslips share a gross and its deductions: the verdict is worked out once.
_deduction_problems = lru_cache(maxsize=4096)(law.deduction_problems)


def deductions_outside_law(month: date, user: Any = None, today: date | None = None
                           ) -> list[PayViolation]:
    """R25: deductions above a cap, or leaving less than the protected share, under
    the year's pay settings."""
    pay_rules = pay_law(pay_settings_for(month.year))
    rows = db.session.execute(_scoped(
        sa.select(Payslip.id, Payslip.institution_id, Payslip.inmate_id, Payslip.placement_id,
                  Payslip.gross, Payslip.deducted, PayDeduction.kind,
                  sa.func.sum(PayDeduction.amount).label("amount"))
        .join(PayDeduction, PayDeduction.payslip_id == Payslip.id)
        .join(Timesheet, Timesheet.id == Payslip.timesheet_id)
        .where(_approved(month), Payslip.deducted > 0)
        .group_by(Payslip.id, PayDeduction.kind).order_by(Payslip.id, PayDeduction.kind),
        Payslip, user))
    found = []
    for _payslip_id, group in groupby(rows, key=lambda row: row.id):
        lines = list(group)
        payslip = lines[0]
        problems = _deduction_problems(payslip.gross, pay_rules, tuple(
            law.Deduction(line.kind, int(line.amount)) for line in lines))
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
    last = law.first_of_month(today or today_in_kazakhstan())
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
