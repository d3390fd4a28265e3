"""Work and pay operations (R24-R26): timesheets, pay, writs, accounts, payrolls.

Operations add and flush; the request (or CLI command) commits once. The law's
arithmetic is policy/pay.py; this module reads and writes rows around it.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.audit import record_bulk_updates
from app.core.auth import scope_clause, scoped
from app.core.bulk import insert_rows
from app.core.errors import Conflict, RuleViolation
from app.core.locks import lock_rows
from app.core.models import utcnow
from app.core.vocabulary import CustodyStatus, Role
from app.extensions import db
from app.inmates.models import Inmate
from app.pay import notices
from app.pay.models import (
    AccountEntry,
    Claim,
    ClaimKind,
    EntryKind,
    PayDeduction,
    PayrollConfirmation,
    PaySettings,
    Payslip,
    Timesheet,
    TimesheetStatus,
)
from app.placements.models import Placement
from app.settings.models import YearSettings
from app.settings.operations import settings_for
from app.vacancies.models import Employer, Vacancy
from policy import pay as law
from policy import rules
from policy.clock import today_in_kazakhstan

# --- the year's pay settings (R25) ------------------------------------------------------

# DOMAIN.md marks these "to confirm": the Code's figures were not verified.
DEFAULT_RULES = (
    {"kind": "income_tax", "mode": law.RATE, "percent_bp": 1000},
    {"kind": ClaimKind.ALIMONY.value, "mode": law.CLAIMS, "percent_bp": 5000},
    {"kind": ClaimKind.CIVIL_CLAIM.value, "mode": law.CLAIMS, "percent_bp": 5000},
    {"kind": ClaimKind.OTHER_WRIT.value, "mode": law.CLAIMS, "percent_bp": 5000},
)
DEFAULT_PROTECTED_BP = 2500
RATE_KINDS = ("income_tax", "social_contributions", "upkeep")
# An overpayment's recovery when the year's rules do not name it: after the
# year's deductions, at most this share of each later gross, never into the
# protected share. DOMAIN.md gives no figure: "to confirm", like the others.
OVERPAYMENT_RULE = law.DeductionRule(ClaimKind.OVERPAYMENT.value, law.CLAIMS, 2000)


def pay_settings_for(year: int) -> PaySettings:
    """The stored pay settings of ``year``, or the unconfirmed defaults (never writes)."""
    stored = db.session.get(PaySettings, year)
    if stored is not None:
        return stored
    return PaySettings(year=year, rules=[dict(rule) for rule in DEFAULT_RULES],
                       protected_bp=DEFAULT_PROTECTED_BP,
                       timesheet_due_days=law.DEFAULT_TIMESHEET_DUE_DAYS, confirmed_at=None)


def _check_rules(rules: Sequence[Mapping[str, Any]], protected_bp: int) -> None:
    kinds = [rule["kind"] for rule in rules]
    if len(set(kinds)) != len(kinds):
        raise RuleViolation("rules", _("each deduction kind may appear once"), rule="R25")
    for rule in rules:
        claims = rule["mode"] == law.CLAIMS
        known = ClaimKind.__members__.values() if claims else RATE_KINDS
        if rule["kind"] not in {str(kind) for kind in known}:
            raise RuleViolation("rules", _("%(kind)s is not a deduction of this mode",
                                           kind=rule["kind"]), rule="R25")
    if protected_bp + sum(rule["percent_bp"] for rule in rules if rule["mode"] == law.RATE) \
            > law.BASIS:
        raise RuleViolation("protected_bp", _("rates and the protected share exceed 100%"),
                            rule="R25")


def save_pay_settings(year: int, rules: Sequence[Mapping[str, Any]], protected_bp: int,
                      timesheet_due_days: int) -> PaySettings:
    """Store the year's deductions and late-timesheet window; any change must be
    confirmed again."""
    _check_rules(rules, protected_bp)
    settings = db.session.get(PaySettings, year) or PaySettings(year=year)
    settings.rules = [dict(rule) for rule in rules]
    settings.protected_bp = protected_bp
    settings.timesheet_due_days = timesheet_due_days
    settings.confirmed_at, settings.confirmed_by_id = None, None
    db.session.add(settings)
    db.session.flush()
    return settings


def confirm_pay_settings(year: int, user_id: int | None) -> PaySettings:
    settings = pay_settings_for(year)
    settings.confirmed_at, settings.confirmed_by_id = utcnow(), user_id
    db.session.add(settings)
    db.session.flush()
    return settings


def timesheet_due(month: date) -> date:
    """The last day ``month``'s timesheet may be approved (its year's window, R24)."""
    return law.timesheet_due(month, pay_settings_for(month.year).timesheet_due_days)


def payslips_in_year(year: int) -> int:
    """How many payslips were worked out in ``year`` (a change of its settings
    applies only to the months approved after it)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Payslip).where(
        sa.extract("year", Payslip.month) == year))  # any int: no date to build


def pay_law(settings: PaySettings) -> law.PayLaw:
    """The year's deductions in order; an overpayment is always recovered (last,
    within ``OVERPAYMENT_RULE``'s cap, unless the year's rules place it)."""
    rules = tuple(law.DeductionRule(r["kind"], r["mode"], r["percent_bp"])
                  for r in settings.rules)
    if OVERPAYMENT_RULE.kind not in {rule.kind for rule in rules}:
        rules = (*rules, OVERPAYMENT_RULE)
    return law.PayLaw(rules, settings.protected_bp)


def confirmed_law(year: int) -> law.PayLaw:
    settings = pay_settings_for(year)
    if not settings.confirmed:
        raise Conflict("month", _("the pay settings of %(year)s are to be confirmed by an "
                                  "administrator before the first payroll", year=year),
                       rule="R25")
    return pay_law(settings)


def full_time_minimum(settings: YearSettings) -> int:
    """R10's full-time minimum wage of the year, from its one definition
    (``policy.rules.minimum_wage``); the pay check pro-rates it to the real month."""
    return rules.minimum_wage(settings.law, settings.full_time_hours)


# --- timesheets (R24) --------------------------------------------------------------------

def active_in_month(month: date) -> sa.ColumnElement[bool]:
    """Paid placements active on at least one day of ``month``."""
    return sa.and_(Placement.paid, Placement.start_date < law.next_month(month),
                   sa.or_(Placement.end_date.is_(None), Placement.end_date > month))


def placements_in_month(user: Any, month: date) -> sa.Select:
    """(placement, last name, first name, vacancy title) of the placements active
    in ``month`` that ``user`` sees: an employer its own vacancies' (R16), others
    their scope."""
    query = (sa.select(Placement, Inmate.last_name, Inmate.first_name, Vacancy.title)
             .join(Inmate, Inmate.id == Placement.inmate_id)
             .join(Vacancy, Vacancy.id == Placement.vacancy_id)
             .where(active_in_month(month), scope_of_keeper(user)))
    return query.order_by(Vacancy.title, Inmate.last_name, Inmate.first_name, Placement.id)


def scope_of_keeper(user: Any) -> sa.ColumnElement[bool]:
    """Placements ``user`` sees the work of (a query joining Vacancy): an employer its
    own vacancies' (R16), others their scope."""
    if user.role == Role.EMPLOYER:
        return Vacancy.employer_id == user.employer_id
    return scope_clause(Placement, user)


def month_overview(user: Any, month: date) -> list[tuple[Any, str, str, Timesheet | None]]:
    """Every placement of the month with its latest timesheet version (or None)."""
    month = law.first_of_month(month)
    rows = db.session.execute(placements_in_month(user, month)).all()
    latest = {t.placement_id: t for t in db.session.scalars(
        timesheets_query(month).where(Timesheet.placement_id.in_([r[0].id for r in rows])))}
    return [(p, f"{last} {first}", title, latest.get(p.id)) for p, last, first, title in rows]


def check_month(month: date, today: date | None = None) -> date:
    month = law.first_of_month(month)
    if month > (today or today_in_kazakhstan()):
        raise RuleViolation("month", _("a month that has not begun has no timesheet"),
                            rule="R24")
    return month


def timesheets_query(month: date | None = None, status: TimesheetStatus | None = None,
                     current_only: bool = True) -> sa.Select:
    """Timesheets in the user's scope (employers: their workers; officers: their
    institution); by default only each month's latest version."""
    query = scoped(Timesheet)
    if month is not None:
        query = query.where(Timesheet.month == law.first_of_month(month))
    if status is not None:
        query = query.where(Timesheet.status == status)
    if current_only:
        later = sa.orm.aliased(Timesheet)
        query = query.where(~sa.exists().where(
            later.placement_id == Timesheet.placement_id, later.month == Timesheet.month,
            later.version > Timesheet.version))
    return query.order_by(Timesheet.month.desc(), Timesheet.placement_id)


def _latest(placement_id: int, month: date) -> Timesheet | None:
    return db.session.scalar(sa.select(Timesheet).where(
        Timesheet.placement_id == placement_id, Timesheet.month == month
    ).order_by(Timesheet.version.desc()).limit(1))


def open_timesheet(placement: Placement, month: date, user_id: int | None) -> Timesheet:
    """The placement's editable version of ``month``, created (empty) when none."""
    month = check_month(month)
    if not db.session.scalar(sa.select(sa.literal(True)).where(
            Placement.id == placement.id, active_in_month(month))):
        raise RuleViolation("month", _("the placement is not active and paid in this month"),
                            rule="R24")
    latest = _latest(placement.id, month)
    if latest is not None:
        return latest
    timesheet = Timesheet(
        placement_id=placement.id, institution_id=placement.institution_id,
        employer_id=placement.vacancy.employer_id, inmate_id=placement.inmate_id, month=month,
        version=1, status=TimesheetStatus.DRAFT, days={}, total_hours=Decimal(0),
        created_by_id=user_id)
    db.session.add(timesheet)
    db.session.flush()
    return timesheet


def placement_for(placement_id: int, user: Any) -> Placement:
    """A placement the user may keep timesheets for: an officer's institution's,
    or one of the employer's own vacancies (R16); 404 otherwise."""
    query = sa.select(Placement).where(Placement.id == placement_id)
    if user.role == Role.EMPLOYER:
        query = query.join(Vacancy, Vacancy.id == Placement.vacancy_id).where(
            Vacancy.employer_id == user.employer_id)
    elif user.role == Role.OFFICER:
        query = query.where(Placement.institution_id == user.institution_id)
    placement = db.session.scalar(query)
    if placement is None:
        abort(404)
    return placement


def employer_days(days: Mapping[str, Any]) -> dict[str, Any]:
    """Days as an employer may see them: no health reason (R16)."""
    return {number: {**entry, "absence": law.EMPLOYER_ABSENCE.get(entry["absence"],
                                                                 entry["absence"])}
            for number, entry in days.items()}


def days_from_employer(timesheet: Timesheet, days: Mapping[int, Mapping[str, Any]]
                       ) -> dict[int, dict[str, Any]]:
    """An employer's entry of days: "excused" keeps the institution's reason where
    one is stored; an employer never records a health reason (R16)."""
    result = {}
    for number, entry in days.items():
        absence = entry.get("absence")
        if absence in law.EMPLOYER_ABSENCE:
            raise TimesheetRefused({f"days.{number}": [_("is not an absence reason")]})
        result[number] = {**entry, "absence": employer_absence(
            absence, (timesheet.days.get(str(number)) or {}).get("absence"))}
    return result


def employer_absence(absence: str | None, stored: str | None) -> str | None:
    """An absence an employer gives, as it is kept: "excused" keeps the institution's own
    reason stored for that day (a sickness, a disciplinary cell), "other" where none."""
    if absence not in law.EMPLOYER_ABSENCE.values():
        return absence
    return stored if law.EMPLOYER_ABSENCE.get(stored or "") == absence else "other"


def _require_draft(timesheet: Timesheet) -> None:
    if timesheet.status != TimesheetStatus.DRAFT:
        raise Conflict("status", _("this version is %(status)s: open a correction to change "
                                   "it", status=timesheet.status.value), rule="R24")


def parse_hours(value: Any) -> Decimal:
    """Hours as a finite decimal; ValueError for anything else (``NaN``, ``sNaN`` and
    ``Infinity`` are decimals too, but no day's hours, and ``sNaN`` raises when compared)."""
    try:
        hours = Decimal(str(value or 0))
    except InvalidOperation as error:
        raise ValueError("hours") from error
    if not hours.is_finite():
        raise ValueError("hours")
    return hours


def clean_days(timesheet: Timesheet, days: Mapping[int, Mapping[str, Any]]
               ) -> dict[str, dict[str, Any]]:
    """Days keyed by day of month, checked against the month, the placement's
    dates and policy.pay.day_problem; {field: [message]} on refusal."""
    placement, month_days = timesheet.placement, law.month_days(timesheet.month)
    come = law.days_come(timesheet.month, today_in_kazakhstan())
    cleaned, errors = {}, {}
    for number, entry in sorted(days.items()):
        key = f"days.{number}"
        if not 1 <= number <= len(month_days):
            errors[key] = [_("is not a day of the month")]
            continue
        day = month_days[number - 1]
        try:
            hours = parse_hours(entry.get("hours"))
        except ValueError:
            errors[key] = [_("hours must be a number")]
            continue
        absence = entry.get("absence") or None
        problem = law.day_problem(hours, absence)
        if problem is None and (hours or absence) and number > come:
            problem = "to_come"
        if problem is None and (hours or absence) and not placement.active_on(day):
            problem = "inactive"
        if problem is not None:
            errors[key] = [DAY_PROBLEMS[problem]()]
        elif hours or absence:
            cleaned[str(number)] = {"hours": str(hours.normalize()) if hours else "0",
                                    "absence": absence}
    if errors:
        raise TimesheetRefused(errors)
    return cleaned


DAY_PROBLEMS = {
    "hours": lambda: _("hours must be between 0 and 24"),
    "step": lambda: _("hours are counted in quarters of an hour"),
    "absence": lambda: _("is not an absence reason"),
    "both": lambda: _("a day has hours or an absence, not both"),
    "inactive": lambda: _("the placement is not active on this day"),
    "to_come": lambda: _("this day has not come yet: its hours are entered from that day on"),
}


class TimesheetRefused(RuleViolation):
    """Several days refused at once: {field: [message]}."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("days", _("some days were refused"), rule="R24")
        self._errors = errors

    @property
    def errors(self) -> dict[str, list[str]]:
        return self._errors


def fill_timesheet(timesheet: Timesheet, days: Mapping[int, Mapping[str, Any]],
                   piece_rate: int | None = None, bonus: int | None = None,
                   extras_note: str | None = None, replace: bool = True) -> Timesheet:
    """Write the days of a draft version (all of them, or only those given when
    ``replace`` is false) and the declared piece-rate and bonus amounts."""
    _require_draft(timesheet)
    cleaned = clean_days(timesheet, days)
    merged = cleaned if replace else {**timesheet.days, **cleaned}
    timesheet.days = merged
    timesheet.total_hours = sum((Decimal(v["hours"]) for v in merged.values()), Decimal(0))
    if piece_rate is not None:
        timesheet.piece_rate = piece_rate
    if bonus is not None:
        timesheet.bonus = bonus
    if extras_note is not None:
        timesheet.extras_note = extras_note
    db.session.flush()
    return timesheet


def submit_timesheet(timesheet: Timesheet) -> Timesheet:
    _require_draft(timesheet)
    timesheet.status, timesheet.submitted_at = TimesheetStatus.SUBMITTED, utcnow()
    db.session.flush()
    return timesheet


def return_timesheet(timesheet: Timesheet) -> Timesheet:
    """The officer sends a submitted version back to draft."""
    if timesheet.status != TimesheetStatus.SUBMITTED:
        raise Conflict("status", _("only a submitted version can be returned"), rule="R24")
    timesheet.status, timesheet.submitted_at = TimesheetStatus.DRAFT, None
    db.session.flush()
    notices.timesheet_returned(timesheet)
    return timesheet


def approve_timesheet(timesheet: Timesheet, user_id: int | None) -> Timesheet:
    """The institution approves the month (R24): the version is locked, any
    earlier approved version superseded, and the pay follows (R25, R26). The
    account and the version are locked first: of two approvals at once, the second
    waits and then finds the version approved (409), so nothing is reversed twice."""
    lock_rows(Inmate, [timesheet.inmate_id])
    lock_rows(Timesheet, [timesheet.id])
    if timesheet.status not in (TimesheetStatus.SUBMITTED, TimesheetStatus.DRAFT):
        raise Conflict("status", _("this version is already %(status)s",
                                   status=timesheet.status.value), rule="R24")
    confirmed_law(timesheet.month.year)
    previous = db.session.scalar(sa.select(Timesheet).where(
        Timesheet.placement_id == timesheet.placement_id, Timesheet.month == timesheet.month,
        Timesheet.status == TimesheetStatus.APPROVED))
    if previous is not None:
        previous.status = TimesheetStatus.SUPERSEDED
        _reverse_payslip(previous, user_id)
    db.session.flush()
    approve_where(Timesheet.id == timesheet.id, user_id)
    db.session.refresh(timesheet)
    if previous is not None:
        _carry_overpayment(timesheet, user_id)
    return timesheet


def approve_month(month: date, user: Any, report: "Report | None" = None) -> int:
    """Approve every submitted first version of ``month`` in the officer's scope
    at once (corrections are approved one by one); how many were approved."""
    month = law.first_of_month(month)
    confirmed_law(month.year)
    return approve_where(sa.and_(
        Timesheet.month == month, Timesheet.status == TimesheetStatus.SUBMITTED,
        Timesheet.version == 1, scope_clause(Timesheet, user)), user.id, report)


def correct_timesheet(timesheet: Timesheet, reason: str, user_id: int | None) -> Timesheet:
    """A correction of an approved month: a new draft version copying it."""
    if timesheet.status != TimesheetStatus.APPROVED:
        raise Conflict("status", _("only the approved version is corrected"), rule="R24")
    if _latest(timesheet.placement_id, timesheet.month).id != timesheet.id:
        raise Conflict("status", _("a correction of this month is already open"), rule="R24")
    copy = Timesheet(
        placement_id=timesheet.placement_id, institution_id=timesheet.institution_id,
        employer_id=timesheet.employer_id, inmate_id=timesheet.inmate_id,
        month=timesheet.month, version=timesheet.version + 1, status=TimesheetStatus.DRAFT,
        days=dict(timesheet.days), total_hours=timesheet.total_hours,
        piece_rate=timesheet.piece_rate, bonus=timesheet.bonus,
        extras_note=timesheet.extras_note, correction_reason=reason, created_by_id=user_id)
    db.session.add(copy)
    db.session.flush()
    return copy


def bulk_fill(vacancy: Vacancy, month: date, hours_per_working_day: Decimal,
              user_id: int | None) -> list[Timesheet]:
    """A whole workshop at once: every worker of ``vacancy`` active in ``month``
    gets ``hours_per_working_day`` on each working day of their placement, up to
    today, that their draft does not already have. Versions not in draft are left
    alone."""
    month = check_month(month)
    placements = db.session.scalars(sa.select(Placement).where(
        Placement.vacancy_id == vacancy.id, active_in_month(month)).order_by(Placement.id))
    filled, come = [], law.days_come(month, today_in_kazakhstan())
    for placement in placements:
        timesheet = open_timesheet(placement, month, user_id)
        if timesheet.status != TimesheetStatus.DRAFT:
            continue
        days = {n: {"hours": hours_per_working_day}
                for n, day in enumerate(law.month_days(month)[:come], start=1)
                if day.weekday() < law.WORKING_DAYS_A_WEEK and placement.active_on(day)
                and str(n) not in timesheet.days}
        filled.append(fill_timesheet(timesheet, days, replace=False))
    return filled


# --- pay and deductions (R25) -----------------------------------------------------------

Report = Callable[[int, int, str], None]  # (done, total, the step's name) as a booking goes
BOOKING_STEPS = (_l("Computing pay"), _l("Writing payslips"),
                 _l("Writing deductions and account entries"), _l("Paying writs"),
                 _l("Paying out the released"), _l("Approving timesheets"),
                 _l("Recording the audit"))
REPORT_EVERY_ROWS = 500


def _steps(report: Report | None, rows: int) -> Callable[[int, int], None]:
    """``at(step, done)``: the booking's progress as one count over every step, each
    step weighing the batch's rows (a job's page shows it; nobody else listens)."""
    def at(step: int, done: int = 0) -> None:
        if report is not None:
            name = BOOKING_STEPS[min(step, len(BOOKING_STEPS) - 1)]
            report(step * rows + done, rows * len(BOOKING_STEPS),
                   _("step %(n)s of %(of)s: %(name)s", n=min(step + 1, len(BOOKING_STEPS)),
                     of=len(BOOKING_STEPS), name=name))
    return at


def approve_where(which: sa.ColumnElement[bool], user_id: int | None,
                  report: Report | None = None) -> int:
    """Approve the draft or submitted timesheets ``which`` selects and book their
    pay in bulk (a national month in seconds): payslips, deduction lines, account
    entries, writs paid, all audited. Deductions pay each inmate's writs oldest
    first across the batch, in month order. Callers supersede earlier versions.
    ``report(done, total, step)`` is told how far it got, step by step."""
    booking = sa.and_(which, Timesheet.status.in_((TimesheetStatus.DRAFT,
                                                    TimesheetStatus.SUBMITTED)))
    rows = db.session.execute(
        sa.select(Timesheet.id, Timesheet.placement_id, Timesheet.inmate_id,
                  Timesheet.institution_id, Timesheet.employer_id, Timesheet.month,
                  Timesheet.total_hours, Timesheet.piece_rate, Timesheet.bonus,
                  Timesheet.status, Placement.monthly_wage, Placement.weekly_hours)
        .join(Placement, Placement.id == Timesheet.placement_id)
        .where(booking).order_by(Timesheet.month, Timesheet.id)).all()
    if not rows:
        return 0
    _refuse_days_to_come(booking)
    years = {row.month.year for row in rows}
    laws = {year: confirmed_law(year) for year in years}
    minimums = {year: (full_time_minimum(settings_for(year)), settings_for(year).full_time_hours)
                for year in years}
    claims = _open_claims(sa.select(Timesheet.inmate_id).where(which).scalar_subquery())
    debts: dict[int, list[list[Any]]] = {}
    for claim in claims:
        debts.setdefault(claim.inmate_id, []).append(
            [claim.id, claim.kind.value, claim.outstanding, claim])
    payslips, lines, entries, now, today = [], [], [], utcnow(), today_in_kazakhstan()
    at = _steps(report, len(rows))
    for number, row in enumerate(rows):
        if number % REPORT_EVERY_ROWS == 0:
            at(0, number)
        payslip, taken = _payslip_values(row, laws[row.month.year], minimums[row.month.year],
                                         debts.get(row.inmate_id), now)
        payslips.append(payslip)
        lines.append(taken)
    at(1)
    insert_rows(Payslip.__table__, payslips)
    at(2)
    deduction_rows = []
    for payslip, taken in zip(payslips, lines, strict=True):
        booked = {"inmate_id": payslip["inmate_id"], "institution_id": payslip["institution_id"],
                  "booked_on": pay_day(payslip["month"], today), "payslip_id": payslip["id"],
                  "created_by_id": user_id, "reverses_id": None, "created_at": now}
        entries.append(booked | {"kind": EntryKind.PAY.value, "amount": payslip["gross"],
                                 "note": payslip["month"].strftime("%Y-%m"), "claim_id": None})
        for line in taken:
            deduction_rows.append({"payslip_id": payslip["id"], "kind": line.kind,
                                   "claim_id": line.claim_id, "amount": line.amount})
            entries.append(booked | {"kind": EntryKind.DEDUCTION.value, "amount": -line.amount,
                                     "note": line.kind, "claim_id": line.claim_id})
    insert_rows(PayDeduction.__table__, deduction_rows, with_ids=False)
    insert_rows(AccountEntry.__table__, entries, with_ids=False)
    at(3)
    _pay_claims(claims, debts)
    at(4)
    _pay_out_the_released(booking, user_id)
    at(5)
    db.session.execute(sa.update(Timesheet).where(booking)
                       .values(status=TimesheetStatus.APPROVED, approved_at=now,
                               approved_by_id=user_id).execution_options(
                                   synchronize_session=False))
    before = {status: {"status": status} for status in TimesheetStatus}
    after = {"status": TimesheetStatus.APPROVED, "approved_at": now, "approved_by_id": user_id}
    at(6)
    record_bulk_updates(Timesheet, [(row.id, row.institution_id, before[row.status], after)
                                    for row in rows])
    at(len(BOOKING_STEPS))
    return len(rows)


def pay_day(month: date, today: date) -> date:
    """The day a month's pay is credited: the first of the next month, or the day
    it is approved when that comes first. Never later than the booking: money
    dated in the future could be spent or paid out before it arrives, leaving
    the account below zero until then."""
    return min(law.next_month(month), today)


def _refuse_days_to_come(booking: sa.ColumnElement[bool]) -> None:
    """R24: a version holding hours or an absence on a day that has not come (written
    before the rule, or by hand) is never paid. Only this month's versions can, so
    a past month's booking reads no days."""
    today = today_in_kazakhstan()
    errors: dict[str, list[str]] = {}
    for month, days in db.session.execute(sa.select(Timesheet.month, Timesheet.days).where(
            booking, Timesheet.month >= law.first_of_month(today))):
        come = law.days_come(month, today)
        for number in days:
            if int(number) > come:
                errors.setdefault(f"days.{number}", [DAY_PROBLEMS["to_come"]()])
    if errors:
        raise TimesheetRefused(errors)


def _pay_out_the_released(booking: sa.ColumnElement[bool], user_id: int | None) -> None:
    """R26: pay approved after a release follows the person out: what it leaves
    on the account is paid out the day it is booked, as the balance was at release."""
    released = db.session.scalars(sa.select(Inmate).where(
        Inmate.status == CustodyStatus.RELEASED,
        Inmate.id.in_(sa.select(Timesheet.inmate_id).where(booking))))
    for inmate in released:
        _book_payout(inmate, today_in_kazakhstan(), user_id,
                     _("pay approved after the release, transferred"))


# A national month repeats a few wages, hours and gross amounts thousands of times:
# the law's arithmetic (pure, its arguments hashable) is worked out once for each.
_time_pay = lru_cache(maxsize=4096)(law.time_pay)
_minimum_for_hours = lru_cache(maxsize=4096)(law.minimum_for_hours)


@lru_cache(maxsize=4096)
def _deductions_without_debts(gross: int, pay_rules: law.PayLaw) -> tuple[law.Deduction, ...]:
    return tuple(law.deductions(gross, pay_rules, ()))


def _payslip_values(row: Any, pay_rules: law.PayLaw, minimum: tuple[int, int],
                    debts: list[list[Any]] | None, now: datetime
                    ) -> tuple[dict[str, Any], Sequence[law.Deduction]]:
    """One timesheet's pay (policy/pay.py) and deductions; ``debts`` owed less."""
    hours = Decimal(row.total_hours)
    time_pay = _time_pay(row.monthly_wage, row.weekly_hours, hours, row.month)
    gross = time_pay + row.piece_rate + row.bonus
    if debts:
        taken = law.deductions(gross, pay_rules, [law.Debt(d[0], d[1], d[2]) for d in debts])
        owed = {d[0]: d for d in debts}
        for line in taken:
            if line.claim_id is not None:
                owed[line.claim_id][2] -= line.amount
    else:
        taken = _deductions_without_debts(gross, pay_rules)
    deducted = sum(line.amount for line in taken)
    return {"timesheet_id": row.id, "placement_id": row.placement_id,
            "inmate_id": row.inmate_id, "institution_id": row.institution_id,
            "employer_id": row.employer_id, "month": row.month, "hours": hours,
            "time_pay": time_pay, "piece_rate": row.piece_rate, "bonus": row.bonus,
            "gross": gross, "minimum": _minimum_for_hours(*minimum, hours, row.month),
            "deducted": deducted, "net": gross - deducted, "computed_at": now}, taken


def _open_claims(inmate_ids: Any) -> list[Claim]:
    """The writs still owed by ``inmate_ids`` (a subquery), oldest first, locked."""
    ids = list(db.session.scalars(sa.select(Claim.id).where(
        Claim.inmate_id.in_(inmate_ids), Claim.amount_paid < Claim.amount_due)))
    return sorted(lock_rows(Claim, ids), key=lambda claim: (claim.received_on, claim.id))


def _pay_claims(claims: list[Claim], debts: dict[int, list[list[Any]]]) -> None:
    """Write what the batch paid on each writ (bulk, audited)."""
    paid = {d[0]: d[3].amount_due - d[2] for group in debts.values() for d in group}
    changed = [claim for claim in claims if paid[claim.id] != claim.amount_paid]
    if not changed:
        return
    table = Claim.__table__
    db.session.execute(table.update().where(table.c.id == sa.bindparam("claim_id"))
                       .values(amount_paid=sa.bindparam("paid")),
                       [{"claim_id": c.id, "paid": paid[c.id]} for c in changed])
    record_bulk_updates(Claim, [(c.id, c.institution_id, {"amount_paid": c.amount_paid},
                                 {"amount_paid": paid[c.id]}) for c in changed])
    for claim in changed:
        db.session.expire(claim)


def _reverse_payslip(timesheet: Timesheet, user_id: int | None) -> None:
    """Undo the pay of a superseded version: reversing entries, writs owed again."""
    payslip = db.session.scalar(sa.select(Payslip).where(Payslip.timesheet_id == timesheet.id))
    if payslip is None:
        return
    for line in payslip.lines:
        if line.claim_id is not None:
            lock_rows(Claim, [line.claim_id])
            db.session.get(Claim, line.claim_id).amount_paid -= line.amount
    for entry in db.session.scalars(sa.select(AccountEntry).where(
            AccountEntry.payslip_id == payslip.id, AccountEntry.kind != EntryKind.REVERSAL,
            AccountEntry.id.not_in(_reversed_ids(payslip.inmate_id)))):
        _add_reversal(entry, _("correction of the timesheet"), user_id)
    db.session.flush()


def _carry_overpayment(correction: Timesheet, user_id: int | None) -> None:
    """A correction that took back more than the account holds (the pay was spent
    or paid out at release) leaves no balance below zero: the shortfall is
    credited as an overpayment and owed back as a claim, recovered from later
    pay like a writ, within the caps and the protected share (R25)."""
    today = today_in_kazakhstan()
    owed = -spendable(correction.inmate_id, today)
    if owed <= 0:
        return
    inmate = db.session.get(Inmate, correction.inmate_id)
    claim = add_claim(inmate, ClaimKind.OVERPAYMENT, db.session.get(
        Employer, correction.employer_id).name, owed, today,
        reference=f"{correction.month:%Y-%m} v{correction.version}")
    db.session.add(AccountEntry(
        inmate_id=inmate.id, institution_id=inmate.institution_id, kind=EntryKind.OVERPAYMENT,
        amount=owed, booked_on=today, note=f"{correction.month:%Y-%m}", claim_id=claim.id,
        created_by_id=user_id))  # no payslip: a later correction must not reverse it
    db.session.flush()


def payslip_of(timesheet_id: int) -> Payslip | None:
    return db.session.scalar(sa.select(Payslip).where(Payslip.timesheet_id == timesheet_id))


# --- writs and claims --------------------------------------------------------------------

def add_claim(inmate: Inmate, kind: ClaimKind, creditor: str, amount_due: int,
              received_on: date, reference: str = "") -> Claim:
    claim = Claim(inmate_id=inmate.id, institution_id=inmate.institution_id, kind=kind,
                  creditor=creditor, amount_due=amount_due, amount_paid=0,
                  received_on=received_on, reference=reference)
    db.session.add(claim)
    db.session.flush()
    return claim


# --- the personal account (R26) ----------------------------------------------------------

DEBIT_KINDS = (EntryKind.FAMILY_TRANSFER, EntryKind.PURCHASE, EntryKind.RELEASE_PAYOUT)


def balance(inmate_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(AccountEntry.amount), 0))
                             .where(AccountEntry.inmate_id == inmate_id))


def spendable(inmate_id: int, on: date) -> int:
    """What may leave the account on ``on`` with no day from then on below zero
    (``policy.pay.spendable_on`` over the account's days)."""
    days = db.session.execute(
        sa.select(AccountEntry.booked_on, sa.func.sum(AccountEntry.amount))
        .where(AccountEntry.inmate_id == inmate_id).group_by(AccountEntry.booked_on)).all()
    return law.spendable_on(((day, int(amount)) for day, amount in days), on)


def owed_back(inmate_id: int) -> int:
    """What the person still owes of overpaid pay (recovered from later pay)."""
    return db.session.scalar(sa.select(sa.func.coalesce(
        sa.func.sum(Claim.amount_due - Claim.amount_paid), 0)).where(
        Claim.inmate_id == inmate_id, Claim.kind == ClaimKind.OVERPAYMENT))


def statement(inmate_id: int, since: date | None = None, until: date | None = None
              ) -> list[tuple[AccountEntry, int]]:
    """Every entry with the balance after it (the running balance starts at the
    first entry ever, so a period's lines show the true balance)."""
    entries = list(db.session.scalars(sa.select(AccountEntry).where(
        AccountEntry.inmate_id == inmate_id).order_by(AccountEntry.id)))
    rows = zip(entries, law.running_balances(e.amount for e in entries), strict=True)
    return [(entry, after) for entry, after in rows
            if (since is None or entry.booked_on >= since)
            and (until is None or entry.booked_on <= until)]


def account_view(inmate_id: int) -> dict[str, Any]:
    rows = statement(inmate_id)
    return {"inmate_id": inmate_id, "balance": rows[-1][1] if rows else 0,
            "owed_back": owed_back(inmate_id),
            "entries": [{**{c.key: getattr(entry, c.key) for c in AccountEntry.__table__.c},
                         "balance_after": after} for entry, after in rows]}


def book_debit(inmate: Inmate, kind: EntryKind, amount: int, booked_on: date, note: str,
               user_id: int | None) -> AccountEntry:
    """A transfer to family, a purchase or the payout at release; never more than
    the balance, on its day or any later one, and never dated in the future."""
    if kind not in DEBIT_KINDS:
        raise RuleViolation("kind", _("is not a debit of the account"), rule="R26")
    if amount <= 0:
        raise RuleViolation("amount", _("must be more than zero"), rule="R26")
    if booked_on > today_in_kazakhstan():
        raise RuleViolation("booked_on", _("cannot be in the future"), rule="R26")
    lock_rows(Inmate, [inmate.id])
    available = spendable(inmate.id, booked_on)
    if amount > available:
        raise Conflict("amount", _("the balance is %(balance)s tenge", balance=available)
                       if available == balance(inmate.id) else
                       _("from that day on the account holds at most %(balance)s tenge",
                         balance=available), rule="R26")
    entry = AccountEntry(inmate_id=inmate.id, institution_id=inmate.institution_id, kind=kind,
                         amount=-amount, booked_on=booked_on, note=note,
                         created_by_id=user_id)
    db.session.add(entry)
    db.session.flush()
    return entry


def pay_out_at_release(inmate: Inmate, on: date, user_id: int | None) -> AccountEntry | None:
    """R26: at release the balance of the release day leaves the account in one
    payout entry booked on that day. Idempotent: once that day's payout stands
    (not reversed), hearing the release again books nothing; an empty account
    books nothing either. Money dated after a release recorded late (pay
    credited since) leaves today, as pay approved after the release does
    (``approve_where``): no payout is dated before the money it moves."""
    lock_rows(Inmate, [inmate.id])
    standing = release_payout(inmate.id)
    if standing is not None and standing.booked_on == on:
        return None
    payout = _book_payout(inmate, on, user_id, _("the balance transferred at release"))
    today = today_in_kazakhstan()
    if on < today:
        _book_payout(inmate, today, user_id, _("pay booked after the release, transferred"))
    return payout


def _book_payout(inmate: Inmate, on: date, user_id: int | None, note: str
                 ) -> AccountEntry | None:
    """What the account may pay out on ``on`` (``spendable``: all of it unless
    money is dated later) in one payout entry (none when empty)."""
    available = spendable(inmate.id, on)
    if available <= 0:
        return None
    entry = AccountEntry(inmate_id=inmate.id, institution_id=inmate.institution_id,
                         kind=EntryKind.RELEASE_PAYOUT, amount=-available, booked_on=on,
                         note=note, created_by_id=user_id)
    db.session.add(entry)
    db.session.flush()
    return entry


def _reversed_ids(inmate_id: int) -> sa.Select:
    """The ids of the account's entries already reversed."""
    return sa.select(AccountEntry.reverses_id).where(
        AccountEntry.inmate_id == inmate_id, AccountEntry.reverses_id.is_not(None))


def release_payout(inmate_id: int) -> AccountEntry | None:
    """The latest payout at release still standing, or None."""
    return db.session.scalar(sa.select(AccountEntry).where(
        AccountEntry.inmate_id == inmate_id, AccountEntry.kind == EntryKind.RELEASE_PAYOUT,
        AccountEntry.id.not_in(_reversed_ids(inmate_id))
    ).order_by(AccountEntry.id.desc()).limit(1))


def _add_reversal(entry: AccountEntry, note: str, user_id: int | None) -> AccountEntry:
    reversal = AccountEntry(
        inmate_id=entry.inmate_id, institution_id=entry.institution_id,
        kind=EntryKind.REVERSAL, amount=-entry.amount, booked_on=today_in_kazakhstan(),
        note=note, payslip_id=entry.payslip_id, claim_id=entry.claim_id,
        reverses_id=entry.id, created_by_id=user_id)
    db.session.add(reversal)
    return reversal


def reverse_entry(entry: AccountEntry, note: str, user_id: int | None) -> AccountEntry:
    """Correct a mistaken debit by a reversing entry (pay entries follow their
    timesheet: correct the timesheet instead)."""
    if entry.kind not in DEBIT_KINDS:
        raise Conflict("entry", _("only transfers, purchases and payouts are reversed here; "
                                  "pay follows its timesheet"), rule="R26")
    # The account's lock: a second reversal at the same moment waits, then sees the
    # first (and the unique reverses_id refuses it even without the lock).
    lock_rows(Inmate, [entry.inmate_id])
    if db.session.scalar(sa.select(AccountEntry.id).where(AccountEntry.reverses_id == entry.id)):
        raise Conflict("entry", _("this entry is already reversed"), rule="R26")
    reversal = _add_reversal(entry, note, user_id)
    db.session.flush()
    return reversal


# --- payroll for employers ---------------------------------------------------------------

@dataclass(frozen=True)
class PayrollRow:
    payslip: Payslip
    worker: str
    vacancy: str
    to_confirm: int  # what this version adds to what the employer confirmed paying
    late: bool  # approved after the employer confirmed the month

    @property
    def owed_to_minimum(self) -> int:
        """R10: what the month's pay still lacks to reach the minimum for its hours."""
        return max(0, self.payslip.minimum - self.payslip.gross)


def current_payslips(month: date) -> sa.Select:
    """Payslips of the approved (not superseded) versions of ``month``."""
    return (sa.select(Payslip).join(Timesheet, Timesheet.id == Payslip.timesheet_id)
            .where(Payslip.month == law.first_of_month(month),
                   Timesheet.status == TimesheetStatus.APPROVED))


def confirmed_before() -> sa.ScalarSelect:
    """For a payslip, the gross of its month's latest earlier version the employer
    confirmed paying (None when none was): what a correction's pay adds to."""
    earlier = sa.orm.aliased(Payslip)
    return (sa.select(earlier.gross).where(
        earlier.placement_id == Payslip.placement_id, earlier.month == Payslip.month,
        earlier.id != Payslip.id, earlier.confirmation_id.is_not(None))
        .order_by(earlier.id.desc()).limit(1).scalar_subquery())


def to_confirm() -> sa.ColumnElement[int]:
    """What a payslip still awaits the employer's confirmation for: its gross less
    what an earlier confirmed version paid (0 once confirmed, or when a correction
    lowered the pay)."""
    added = Payslip.gross - sa.func.coalesce(confirmed_before(), 0)
    return sa.case((Payslip.confirmation_id.is_not(None), 0), (added > 0, added), else_=0)


def payroll(employer_id: int, month: date) -> list[PayrollRow]:
    month = law.first_of_month(month)
    confirmed = payroll_confirmations(employer_id, month)
    rows = db.session.execute(
        current_payslips(month).add_columns(Inmate.last_name, Inmate.first_name, Vacancy.title,
                                            to_confirm())
        .join(Inmate, Inmate.id == Payslip.inmate_id)
        .join(Placement, Placement.id == Payslip.placement_id)
        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
        .where(Payslip.employer_id == employer_id)
        .order_by(Inmate.last_name, Inmate.first_name, Payslip.id)).all()
    return [PayrollRow(p, f"{last} {first}", title, int(awaiting),
                       bool(confirmed) and p.confirmation_id is None)
            for p, last, first, title, awaiting in rows]


def payroll_table(rows: Iterable[PayrollRow], month: date
                  ) -> tuple[list[str], list[list[Any]]]:
    """The payroll as a sheet: the month it pays in a column of its own (a file
    read apart from its name still says which month), a line per worker, the total."""
    paid_month = f"{month:%Y-%m}"
    header = [_("Month"), _("Worker"), _("Vacancy"), _("Hours"), _("Gross"), _("Deductions"),
              _("Net"), _("Owed to reach the minimum (R10)"), _("To confirm")]
    body = [[paid_month, r.worker, r.vacancy, float(r.payslip.hours), r.payslip.gross,
             r.payslip.deducted, r.payslip.net, r.owed_to_minimum, r.to_confirm] for r in rows]
    sums = [sum(row[column] for row in body) for column in range(3, 9)]
    body.append([paid_month, _("Total to pay"), "", float(sums[0]), *sums[1:]])
    return header, body


def payroll_confirmations(employer_id: int, month: date) -> list[PayrollConfirmation]:
    """The employer's confirmations of ``month``, first to last."""
    return list(db.session.scalars(sa.select(PayrollConfirmation).where(
        PayrollConfirmation.employer_id == employer_id,
        PayrollConfirmation.month == law.first_of_month(month))
        .order_by(PayrollConfirmation.id)))


def payroll_view(employer_id: int, month: date) -> dict[str, Any]:
    """The month's payroll: ``confirmed_at`` only while nothing awaits confirmation."""
    rows = payroll(employer_id, month)
    confirmations = payroll_confirmations(employer_id, month)
    awaiting = sum(r.to_confirm for r in rows)
    return {"month": law.first_of_month(month), "rows": rows,
            "total": sum(r.payslip.gross for r in rows), "to_confirm": awaiting,
            "owed_to_minimum": sum(r.owed_to_minimum for r in rows),
            "confirmations": confirmations,
            "confirmed_at": confirmations[-1].confirmed_at
            if confirmations and not awaiting else None}


def confirm_payroll(employer_id: int, month: date, user_id: int | None) -> PayrollConfirmation:
    """The employer states it paid what the month's payroll awaits: the month's pay
    the first time, late pay afterwards (each confirmation its own line)."""
    month = law.first_of_month(month)
    lock_rows(Employer, [employer_id])  # two confirmations at once never pay one line twice
    rows = payroll(employer_id, month)
    if not rows:
        raise RuleViolation("month", _("there is no approved pay in this month"), rule="R25")
    awaiting = [r for r in rows if r.payslip.confirmation_id is None]
    if not awaiting or (payroll_confirmations(employer_id, month)
                        and not any(r.to_confirm for r in awaiting)):
        raise Conflict("month", _("this payroll is already confirmed"), rule="R25")
    confirmation = PayrollConfirmation(employer_id=employer_id, month=month,
                                       total=sum(r.to_confirm for r in awaiting),
                                       confirmed_by_id=user_id)
    db.session.add(confirmation)
    db.session.flush()
    db.session.execute(sa.update(Payslip).where(
        Payslip.id.in_([r.payslip.id for r in awaiting]),
        Payslip.confirmation_id.is_(None)).values(
            confirmation_id=confirmation.id).execution_options(synchronize_session=False))
    for row in awaiting:
        db.session.expire(row.payslip)
    return confirmation
