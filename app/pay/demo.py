"""Demo work and pay (invented): timesheets for the demo's paid placements over
their whole history, writs and alimony, approved months with pay, accounts and
confirmed payrolls, this month in draft up to today, and each pay violation
exactly once, three months ago (app/pay/violations.py); every other month is
lawful."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from app.core.bulk import insert_rows
from app.core.models import utcnow
from app.core.vocabulary import (
    EmployerKind,
    EmployerStatus,
    EndReason,
    Fitness,
    LegalStatus,
    Site,
    VacancyStatus,
)
from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.pay import operations as ops
from app.pay.models import (
    ClaimKind,
    PayrollConfirmation,
    Payslip,
    Timesheet,
    TimesheetStatus,
)
from app.placements.models import Placement
from app.vacancies.models import Employer, Vacancy
from policy import pay as law
from policy.clock import today_in_kazakhstan

ABSENCES = (("sick", 0.02), ("rest_day", 0.01), ("not_required", 0.01), ("refused", 0.005),
            ("lockdown", 0.005), ("training", 0.005), ("court_or_visit", 0.005))


def violation_month(today: date) -> date:
    """The month the demo breaks each pay rule in: three months before this one."""
    month = law.first_of_month(today)
    for _n in range(3):
        month = law.previous_month(month)
    return month


def pay_months(today: date) -> list[date]:
    """Every month of the demo's placement history, from the first paid placement's
    to this one: a month with paid work and no timesheet would be late (R24)."""
    first = db.session.scalar(sa.select(sa.func.min(Placement.start_date)).where(Placement.paid))
    month = law.first_of_month(min(first or today, today))
    months = [month]
    while month < law.first_of_month(today):
        month = law.next_month(month)
        months.append(month)
    return months


def seed_pay_demo(today: date | None = None, rng: random.Random | None = None) -> None:
    today, rng = today or today_in_kazakhstan(), rng or random.Random(2026)
    if db.session.scalar(sa.select(Timesheet.id).limit(1)) is not None:
        return
    current = law.first_of_month(today)
    months = pay_months(today)
    for year in sorted({m.year for m in months}):
        ops.confirm_pay_settings(year, None)
    bad = violation_month(today)
    dolinka = db.session.scalar(sa.select(Institution).where(Institution.code == "AK-159/20"))
    special = _special_placements(dolinka, bad, today) if dolinka else {}
    year_ago = months[max(0, len(months) - 13)]  # writs arrive over the last year
    _claims(rng, year_ago)
    _timesheets(rng, months, today, special)
    db.session.flush()
    # The deductions case: booked while the alimony cap was briefly 70%.
    if "deductions" in special:
        ops.add_claim(special["deductions"].inmate, ClaimKind.ALIMONY,
                      "Опекун ребёнка (вымышлено)", 2_000_000, year_ago)
        normal = ops.pay_settings_for(bad.year)
        rules = [dict(r) for r in normal.rules]
        raised = [dict(r, percent_bp=7000) if r["kind"] == "alimony" else r for r in rules]
        ops.save_pay_settings(bad.year, raised, normal.protected_bp, normal.timesheet_due_days)
        ops.confirm_pay_settings(bad.year, None)
        ops.approve_where(sa.and_(Timesheet.placement_id == special["deductions"].id,
                                  Timesheet.month == bad), None)
        ops.save_pay_settings(bad.year, rules, normal.protected_bp, normal.timesheet_due_days)
        ops.confirm_pay_settings(bad.year, None)
    ops.approve_where(sa.and_(Timesheet.month < current,
                              Timesheet.status == TimesheetStatus.SUBMITTED), None)
    _owed_paid_after(bad)
    _in_time(months[:-1], today, special, bad)
    _payrolls(months[:-1], today, special, bad)


def _special_placements(institution: Institution, bad: date, today: date) -> dict[str, Any]:
    """Placements that carry the violations: an existing one for R9, late approval
    and the deductions; a new short one (a never-placed inmate, a closed vacancy) for
    a month worked without pay. R10 is the monitoring demo's own underpaid placement
    (app/monitoring/demo.py), which starts in ``bad``: a wage legal pro rata always
    pays the minimum for the hours, so only an illegal wage shows on real pay."""
    end = law.next_month(bad)
    whole_month = db.session.scalars(sa.select(Placement).join(Inmate).where(
        Placement.institution_id == institution.id, Placement.paid,
        Placement.start_date <= bad - timedelta(days=7),
        sa.or_(Placement.end_date.is_(None), Placement.end_date > end + timedelta(days=7)),
        Inmate.disability_group.is_(None), Placement.weekly_hours == 40,
        ~Inmate.file_number.startswith("DEMO-V-")).order_by(Placement.id).limit(3)).all()
    special: dict[str, Any] = dict(zip(("r9", "late", "deductions"), whole_month, strict=False))
    trade_id = db.session.scalar(sa.select(Vacancy.trade_id).where(
        Vacancy.institution_id == institution.id).order_by(Vacancy.id).limit(1))
    placed = sa.select(Placement.inmate_id)
    free = db.session.scalars(sa.select(Inmate).where(
        Inmate.institution_id == institution.id, Inmate.legal_status == LegalStatus.CONVICTED,
        Inmate.fitness == Fitness.FIT, Inmate.disability_group.is_(None),
        Inmate.pregnant.is_(False), Inmate.admission_date < bad - timedelta(days=30),
        sa.or_(Inmate.release_date.is_(None), Inmate.release_date > today),
        Inmate.birth_date > date(today.year - 55, 1, 1), Inmate.id.not_in(placed),
        ~Inmate.file_number.startswith("DEMO-V-")).order_by(Inmate.id).limit(1)).all()
    for key, inmate, wage in zip(("unpaid",), free, (90_000,), strict=False):
        employer = Employer(kind=EmployerKind.STATE_ENTERPRISE, bin_iin=None,
                            name="Государственная мастерская (вымышлено)",
                            status=EmployerStatus.APPROVED, email="demo@example.kz",
                            institution_id=None)
        vacancy = Vacancy(employer=employer, institution_id=institution.id,
                          title="Демо: сезонные работы",
                          trade_id=trade_id,
                          site=Site.INSIDE, positions=1, monthly_wage=wage, weekly_hours=40,
                          start_date=bad, end_date=end, status=VacancyStatus.CLOSED)
        placement = Placement(inmate_id=inmate.id, vacancy=vacancy,
                              institution_id=institution.id, start_date=bad, end_date=end,
                              end_reason=EndReason.COMPLETED, weekly_hours=40,
                              monthly_wage=wage)
        db.session.add_all([employer, vacancy, placement])
        special[key] = placement
    db.session.flush()
    return special


def _claims(rng: random.Random, since: date) -> None:
    inmate_ids = db.session.scalars(sa.select(Placement.inmate_id).where(
        Placement.paid, Placement.end_date.is_(None)).distinct().order_by(
            Placement.inmate_id)).all()
    for inmate_id in rng.sample(list(inmate_ids), min(12, len(inmate_ids))):
        inmate = db.session.get(Inmate, inmate_id)
        if inmate.file_number.startswith("DEMO-V-"):
            continue
        kind = rng.choice([ClaimKind.CIVIL_CLAIM, ClaimKind.CIVIL_CLAIM, ClaimKind.ALIMONY,
                           ClaimKind.OTHER_WRIT])
        creditor = {"civil_claim": "Потерпевший (вымышлено)",
                    "alimony": "Опекун ребёнка (вымышлено)",
                    "other_writ": "Судебный исполнитель (вымышлено)"}[kind.value]
        ops.add_claim(inmate, kind, creditor, rng.randrange(50, 800) * 1_000,
                      since - timedelta(days=rng.randrange(10, 200)),
                      reference=f"INVENTED-{inmate_id}")


def daily_hours(weekly_hours: int) -> list[Decimal]:
    """Hours of each working day, Monday first, in quarters, summing to exactly the
    weekly hours (36 h: four days of 7.25 h and one of 7 h), so a full week never
    passes the placement's hours, nor R9's limit (36 h for disability groups I-II)."""
    quarters, extra = divmod(weekly_hours * 4, law.WORKING_DAYS_A_WEEK)
    return [Decimal(quarters + (weekday < extra)) / 4
            for weekday in range(law.WORKING_DAYS_A_WEEK)]


def _second_jobs() -> set[int]:
    """Paid placements that began while the person held another (the monitoring
    demo's R9 case on paper): recorded, but their days are "not required", so the
    hours really worked stay within the weekly limit."""
    first = sa.orm.aliased(Placement)
    return set(db.session.scalars(sa.select(Placement.id).join(first, sa.and_(
        first.inmate_id == Placement.inmate_id, first.id != Placement.id, first.paid,
        first.start_date < Placement.start_date,
        sa.or_(first.end_date.is_(None), first.end_date > Placement.start_date)))
        .where(Placement.paid)))


def _timesheets(rng: random.Random, months: list[date], today: date,
                special: dict[str, Any]) -> int:
    """Submitted sheets for every past month, drafts for this month (up to today)."""
    rows, idle = [], _second_jobs()
    for month in months:
        placements = db.session.execute(
            sa.select(Placement, Vacancy.employer_id).join(Vacancy)
            .where(ops.active_in_month(month))).all()
        weekdays = [(str(day.day), day) for day in law.month_days(month)[:law.days_come(
            month, today)] if day.weekday() < law.WORKING_DAYS_A_WEEK]
        for placement, employer_id in placements:
            daily = [str(hours.normalize()) for hours in daily_hours(placement.weekly_hours)]
            days = {}
            # Active on the first and the last day: on every day between (an interval).
            whole = bool(weekdays) and all(placement.active_on(day) for day in (
                weekdays[0][1], weekdays[-1][1]))
            for number, day in weekdays:
                if not whole and not placement.active_on(day):
                    continue
                absence = "not_required" if placement.id in idle else next(
                    (reason for reason, p in ABSENCES if rng.random() < p), None)
                days[number] = {"hours": "0" if absence else daily[day.weekday()],
                                "absence": absence}
            if special.get("r9") is placement and month == violation_month(today):
                monday = next(d for d in law.month_days(month) if d.weekday() == 0)
                for n in range(5):
                    days[str(monday.day + n)] = {"hours": "9.5", "absence": None}
            rows.append({
                "placement_id": placement.id, "institution_id": placement.institution_id,
                "employer_id": employer_id, "inmate_id": placement.inmate_id, "month": month,
                "version": 1, "status": (TimesheetStatus.DRAFT if month == months[-1]
                                         else TimesheetStatus.SUBMITTED).value,
                "days": days, "total_hours": sum(Decimal(d["hours"]) for d in days.values()),
                "piece_rate": rng.choice([0] * 9 + [7_000]), "bonus": rng.choice([0] * 19
                                                                                 + [10_000]),
                "extras_note": "", "correction_reason": "", "created_at": utcnow(),
                "submitted_at": None if month == months[-1] else utcnow()})
    insert_rows(Timesheet.__table__, rows, with_ids=False)
    return len(rows)


def _owed_paid_after(bad: date) -> None:
    """The monitoring demo's R10 placement (a wage under the minimum) is paid below
    the minimum every month; after ``bad`` the employer pays what is owed to reach
    it by a correction, so R10 on real pay stays only in ``bad``."""
    placement = db.session.scalar(sa.select(Placement).join(Inmate).where(
        Inmate.file_number == "DEMO-V-R10"))
    if placement is None:
        return
    below = db.session.execute(
        sa.select(Timesheet, Payslip).join(Payslip, Payslip.timesheet_id == Timesheet.id)
        .where(Timesheet.placement_id == placement.id, Timesheet.month > bad,
               Timesheet.status == TimesheetStatus.APPROVED, Payslip.gross < Payslip.minimum)
        .order_by(Timesheet.month)).all()
    for sheet, payslip in below:
        topped_up = "доплата до минимальной заработной платы"
        correction = ops.correct_timesheet(sheet, f"{topped_up.capitalize()} (R10)", None)
        ops.fill_timesheet(correction, {}, bonus=sheet.bonus + payslip.minimum - payslip.gross,
                           extras_note=f"R10: {topped_up}", replace=False)
        ops.approve_timesheet(correction, None)


def _in_time(months: list[date], today: date, special: dict[str, Any], bad: date) -> None:
    """Past approvals dated a few days after each month (demo history); one late."""
    for month in months:
        day = min(law.next_month(month) + timedelta(days=3), today)
        db.session.execute(sa.update(Timesheet).where(Timesheet.month == month).values(
            approved_at=datetime.combine(day, time(10))))
    if "late" in special:
        db.session.execute(sa.update(Timesheet).where(
            Timesheet.placement_id == special["late"].id, Timesheet.month == bad).values(
                approved_at=datetime.combine(ops.timesheet_due(bad) + timedelta(days=2),
                                             time(10))))


def _payrolls(months: list[date], today: date, special: dict[str, Any], bad: date) -> None:
    """Every employer confirms paying each month's current payslips, except the
    unpaid case."""
    unpaid = special.get("unpaid")
    current = sa.and_(Timesheet.id == Payslip.timesheet_id,
                      Timesheet.status == TimesheetStatus.APPROVED)
    pairs = db.session.execute(sa.select(Payslip.employer_id, Payslip.month,
                                         sa.func.sum(Payslip.gross)).join(Timesheet, current)
                               .group_by(Payslip.employer_id, Payslip.month)).all()
    rows = []
    for employer_id, month, total in pairs:
        if unpaid is not None and employer_id == unpaid.vacancy.employer_id and month == bad:
            continue
        day = min(law.next_month(month) + timedelta(days=12), today)
        rows.append({"employer_id": employer_id, "month": month, "total": int(total),
                     "confirmed_at": datetime.combine(day, time(12)), "confirmed_by_id": None})
    insert_rows(PayrollConfirmation.__table__, rows, with_ids=False)
    table = Payslip.__table__
    db.session.execute(table.update().where(
        table.c.timesheet_id.in_(sa.select(Timesheet.id).where(
            Timesheet.status == TimesheetStatus.APPROVED)))
        .values(confirmation_id=sa.select(PayrollConfirmation.id).where(
            PayrollConfirmation.employer_id == table.c.employer_id,
            PayrollConfirmation.month == table.c.month).scalar_subquery()))
