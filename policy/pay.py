"""Work and pay (DOMAIN.md R24-R26) as pure arithmetic: no Flask, no SQLAlchemy.

Amounts are whole tenge; percentages are basis points (1% = 100) so every figure
is exact. A month's pay is worked out from its approved hours:

- time pay = the placement's monthly wage x hours worked / the hours its weekly
  schedule gives in that month (weekly hours x working days / 5), rounded up;
- the R10 minimum for those hours = the full-time minimum wage x hours worked /
  the full-time hours of that month, rounded up, the hours never counted above
  full time (so never above the full-time minimum). A wage that meets R10 pro
  rata for its weekly hours therefore always meets it on the real month too;
- deductions in the year's order, each kind at most its cap of the gross, the
  total never touching the protected share left to the inmate (R25).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

WORKING_DAYS_A_WEEK = 5
BASIS = 10_000  # basis points in 100%
MAX_HOURS_A_DAY = Decimal(24)
HOURS_STEP = Decimal("0.25")
# A month's timesheet is late when not approved this many days after the month ends:
# the default of a year's pay settings, which the administrator may change.
DEFAULT_TIMESHEET_DUE_DAYS = 10
MAX_TIMESHEET_DUE_DAYS = 60

ABSENCE_REASONS = ("sick", "refused", "rest_day", "not_required", "lockdown", "training",
                   "court_or_visit", "disciplinary", "other")
# R16: what an employer sees of an absence reason (health and discipline stay with the
# institution: an employer sees neither a sickness nor a disciplinary cell).
EMPLOYER_ABSENCE = {"sick": "excused", "disciplinary": "excused"}
# The reasons a person due at work is marked absent with on the day's attendance
# (app/pay/attendance.py); "other" needs a note saying what.
ATTENDANCE_ABSENCES = ("sick", "court_or_visit", "disciplinary", "refused", "other")

# Deduction modes: a "rate" is taken from every gross (income tax); "claims" pay the
# inmate's open writs of that kind, oldest first, until settled.
RATE, CLAIMS = "rate", "claims"


# --- months and hours ------------------------------------------------------------------

def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(month: date) -> date:
    return (first_of_month(month) - timedelta(days=1)).replace(day=1)


def month_days(month: date) -> list[date]:
    start, end = first_of_month(month), next_month(month)
    return [start + timedelta(days=n) for n in range((end - start).days)]


@lru_cache(maxsize=256)
def working_days(month: date) -> int:
    """Monday to Friday in the month (the schedule pay is pro rata to)."""
    return sum(1 for day in month_days(month) if day.weekday() < WORKING_DAYS_A_WEEK)


def timesheet_due(month: date, due_days: int = DEFAULT_TIMESHEET_DUE_DAYS) -> date:
    """The last day a month's timesheet may be approved without being late, when
    it is due ``due_days`` days after the month (the year's pay settings)."""
    return next_month(month) + timedelta(days=due_days - 1)


def days_come(month: date, today: date) -> int:
    """How many days of ``month`` have come on ``today`` (Kazakhstan's day, R32):
    days 1 to this number may carry hours or an absence (R24); a later day has
    neither until it comes. All of a past month, none of a month not begun."""
    if month > today:
        return 0
    return min(len(month_days(month)), (today - first_of_month(month)).days + 1)


def due_at_work(day: date) -> bool:
    """A placement's shift falls on ``day``: weekly hours are worked on the working days
    (Monday to Friday, as the month's pay counts them), whatever the shift."""
    return day.weekday() < WORKING_DAYS_A_WEEK


def shift_hours(weekly_hours: int) -> Decimal:
    """One working day's hours of a placement's shift: its weekly hours over the working
    days, to the nearest quarter of an hour (a timesheet's step); 36 h a week is 7.25 h."""
    quarters = (Decimal(weekly_hours) / WORKING_DAYS_A_WEEK / HOURS_STEP).to_integral_value(
        rounding="ROUND_HALF_UP")
    return quarters * HOURS_STEP


def day_problem(hours: Decimal, absence: str | None) -> str | None:
    """Why a timesheet day is impossible, or None (R24)."""
    if hours < 0 or hours > MAX_HOURS_A_DAY:
        return "hours"
    if hours % HOURS_STEP:
        return "step"
    if absence is not None and absence not in ABSENCE_REASONS:
        return "absence"
    if absence is not None and hours:
        return "both"
    return None


def week_totals(hours_by_day: Mapping[date, Decimal]) -> dict[date, Decimal]:
    """Hours per week (Monday to Sunday), keyed by the week's Monday."""
    totals: dict[date, Decimal] = {}
    for day, hours in hours_by_day.items():
        monday = day - timedelta(days=day.weekday())
        totals[monday] = totals.get(monday, Decimal(0)) + Decimal(hours)
    return totals


def weeks_over_limit(hours_by_day: Mapping[date, Decimal], limit: int
                     ) -> list[tuple[date, Decimal]]:
    """R9 on real hours: (Monday, hours) of every week above ``limit``. The
    reference that the database's weekly sums (app/pay/violations.py) are tested
    against."""
    return sorted((monday, total) for monday, total in week_totals(hours_by_day).items()
                  if total > limit)


# --- pay (R25, R10) ----------------------------------------------------------------------

def _pro_rata(amount: int, hours_worked: Decimal, weekly_hours: int, month: date) -> int:
    """amount x hours worked / (weekly hours x working days / 5), rounded up, in
    exact integers (a national month computes this 35,000 times)."""
    numerator, denominator = Decimal(hours_worked).as_integer_ratio()
    top = amount * numerator * WORKING_DAYS_A_WEEK
    return -(-top // (denominator * weekly_hours * working_days(month)))


def time_pay(monthly_wage: int, weekly_hours: int, hours_worked: Decimal, month: date) -> int:
    """The wage pro rata to the hours worked in ``month`` (rounded up)."""
    return _pro_rata(monthly_wage, hours_worked, weekly_hours, month)


def full_time_hours(weekly_full_time: int, month: date) -> Decimal:
    """Full time in ``month``: the weekly full time over its working days (exact)."""
    return Decimal(weekly_full_time * working_days(month)) / WORKING_DAYS_A_WEEK


def minimum_for_hours(full_time_minimum: int, weekly_full_time: int, hours_worked: Decimal,
                      month: date) -> int:
    """R10 on the real month: the full-time minimum wage pro rata to the hours worked
    (rounded up), the hours never counted above full time. ``full_time_minimum``
    comes from the R10 definition of the year."""
    hours = min(Decimal(hours_worked), full_time_hours(weekly_full_time, month))
    return _pro_rata(full_time_minimum, hours, weekly_full_time, month)


# --- deductions (R25) --------------------------------------------------------------------

@dataclass(frozen=True)
class DeductionRule:
    kind: str
    mode: str  # RATE or CLAIMS
    percent_bp: int  # a rate's share, or a claims kind's cap, of the gross


@dataclass(frozen=True)
class PayLaw:
    """A year's deductions in order and the share always left to the inmate."""

    rules: tuple[DeductionRule, ...]
    protected_bp: int


@dataclass(frozen=True)
class Debt:
    claim_id: int
    kind: str
    outstanding: int


@dataclass(frozen=True)
class Deduction:
    kind: str
    amount: int
    claim_id: int | None = None


def share(gross: int, basis_points: int) -> int:
    """``basis_points`` of ``gross``, rounded down (a cap never rounds up)."""
    return gross * basis_points // BASIS


def protected_amount(gross: int, protected_bp: int) -> int:
    """The part of the gross always left to the inmate (rounded up)."""
    return -(-gross * protected_bp // BASIS)


def deductions(gross: int, law: PayLaw, debts: Sequence[Debt]) -> list[Deduction]:
    """The deductions from ``gross`` in the law's order: each kind at most its cap,
    writs paid oldest first (the order of ``debts``) and never beyond what they
    still owe, and never into the protected share."""
    room = gross - protected_amount(gross, law.protected_bp)
    taken: list[Deduction] = []
    for rule in law.rules:
        cap = min(share(gross, rule.percent_bp), room)
        if cap <= 0:
            continue
        if rule.mode == RATE:
            taken.append(Deduction(rule.kind, cap))
            room -= cap
            continue
        for debt in debts:
            if debt.kind != rule.kind or debt.outstanding <= 0 or cap <= 0:
                continue
            amount = min(cap, debt.outstanding)
            taken.append(Deduction(rule.kind, amount, debt.claim_id))
            cap -= amount
            room -= amount
    return taken


def deduction_problems(gross: int, law: PayLaw, lines: Iterable[Deduction]) -> list[str]:
    """What breaks R25 in deductions already taken: ``above_cap:<kind>`` for a kind
    over its cap (or not in the law), ``below_protected`` when the inmate was left
    less than the protected share."""
    caps = {rule.kind: share(gross, rule.percent_bp) for rule in law.rules}
    by_kind: dict[str, int] = {}
    for line in lines:
        by_kind[line.kind] = by_kind.get(line.kind, 0) + line.amount
    problems = [f"above_cap:{kind}" for kind, amount in sorted(by_kind.items())
                if amount > caps.get(kind, 0)]
    if gross - sum(by_kind.values()) < protected_amount(gross, law.protected_bp):
        problems.append("below_protected")
    return problems


# --- personal account (R26) --------------------------------------------------------------

def running_balances(amounts: Iterable[int]) -> list[int]:
    """The balance after each signed entry (credits positive, debits negative)."""
    balance, balances = 0, []
    for amount in amounts:
        balance += amount
        balances.append(balance)
    return balances


def spendable_on(entries: Iterable[tuple[date, int]], on: date) -> int:
    """What may leave an account on ``on`` without its balance falling below zero
    at the end of that day or of any later one: the lowest end-of-day balance from
    ``on`` on (entries dated later count too). Negative when the account already
    is below zero somewhere from ``on`` on."""
    by_day: dict[date, int] = {}
    for day, amount in entries:
        by_day[day] = by_day.get(day, 0) + amount
    balance = sum(amount for day, amount in by_day.items() if day <= on)
    lowest = balance
    for day in sorted(day for day in by_day if day > on):
        balance += by_day[day]
        lowest = min(lowest, balance)
    return lowest
