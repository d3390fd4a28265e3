"""What a person sees of themselves, the same on the kiosk, the printed statement and
the kiosk API: their job and hours, this month's timesheet, payslips with their
deductions, the account's balance, applications with their answers and waiting-list
positions, the release plan's parts and who holds each, consents and how to withdraw
them. Everything is selected by the one person's id: nobody else's row can enter."""

from datetime import date
from typing import Any

import sqlalchemy as sa

from app.applications.models import AnswerKind, Application, ApplicationKind
from app.applications.operations import applications_of
from app.core.vocabulary import VacancyStatus
from app.extensions import db
from app.inmates.models import Consent, Inmate
from app.kiosk import operations as ops
from app.kiosk.labels import STATE_FOR_THE_PERSON
from app.pay import operations as pay
from app.pay.models import Payslip, Timesheet, TimesheetStatus
from app.placements.models import Placement
from app.reintegration.labels import PART_LABELS
from app.reintegration.operations import plan_of
from app.taxonomy.models import trade_label
from app.training.models import Course
from app.vacancies.models import Vacancy
from policy.clock import today_in_kazakhstan
from policy.pay import first_of_month

# The statement fits one A4 page: the latest payslips only (the kiosk shows the same),
# and the latest applications (the kiosk shows them all).
PAYSLIPS_SHOWN = 3
APPLICATIONS_PRINTED = 6


def person_view(inmate: Inmate, today: date | None = None) -> dict[str, Any]:
    today = today or today_in_kazakhstan()
    month = first_of_month(today)
    return {
        "inmate": inmate, "today": today, "month": month,
        "applications_printed": APPLICATIONS_PRINTED,
        "language": ops.language_of(inmate),
        "jobs": current_jobs(inmate.id, today),
        "timesheets": month_timesheets(inmate.id, month),
        "payslips": latest_payslips(inmate.id),
        "balance": pay.balance(inmate.id),
        "owed_back": pay.owed_back(inmate.id),
        "applications": applications(inmate),
        "plan": release_plan(inmate.id),
        "consents": consents(inmate),
    }


def current_jobs(inmate_id: int, today: date) -> list[dict[str, Any]]:
    placements = db.session.scalars(sa.select(Placement).where(
        Placement.inmate_id == inmate_id, Placement.start_date <= today,
        sa.or_(Placement.end_date.is_(None), Placement.end_date > today))
        .order_by(Placement.start_date))
    return [{"title": p.vacancy.title, "employer": p.vacancy.employer.name,
             "start_date": p.start_date, "weekly_hours": p.weekly_hours,
             "monthly_wage": p.monthly_wage, "paid": p.paid} for p in placements]


def month_timesheets(inmate_id: int, month: date) -> list[dict[str, Any]]:
    """The month's current version of each placement's timesheet (an approved
    correction supersedes the version before)."""
    rows = db.session.scalars(sa.select(Timesheet).where(
        Timesheet.inmate_id == inmate_id, Timesheet.month == month,
        Timesheet.status != TimesheetStatus.SUPERSEDED)
        .order_by(Timesheet.placement_id, Timesheet.version.desc()))
    latest: dict[int, Timesheet] = {}
    for timesheet in rows:
        latest.setdefault(timesheet.placement_id, timesheet)
    return [{"month": t.month, "status": t.status, "hours": t.total_hours,
             "days_worked": sum(1 for day in (t.days or {}).values()
                                if isinstance(day, dict) and day.get("hours")
                                and str(day["hours"]) not in ("0", "0.0", "0.00")),
             "title": db.session.get(Placement, t.placement_id).vacancy.title}
            for t in latest.values()]


def latest_payslips(inmate_id: int) -> list[Payslip]:
    return list(db.session.scalars(sa.select(Payslip).where(Payslip.inmate_id == inmate_id)
                                   .order_by(Payslip.month.desc(), Payslip.id.desc())
                                   .limit(PAYSLIPS_SHOWN)))


def applications(inmate: Inmate) -> list[dict[str, Any]]:
    """The person's applications with their latest answer (its text as given, in the
    language the person had chosen) and waiting-list position (R31)."""
    return [{"id": a.id, "kind": a.kind, "target": target_name(a), "state": a.state,
             "state_words": STATE_FOR_THE_PERSON[a.state],
             "received_on": a.received_on, "answer": a.answer_text or None,
             "waiting_position": a.position, "waiting_of": a.waiting_of,
             # a "waiting" answer already names the place: the page says it once
             "answer_names_place": a.answer_kind == AnswerKind.WAITING,
             "may_withdraw": a.is_open}
            for a in applications_of(inmate.id)]


def target_name(application: Application) -> str:
    if application.kind == ApplicationKind.VACANCY:
        return f"{application.vacancy.title} ({application.vacancy.employer.name})"
    if application.kind == ApplicationKind.COURSE:
        return application.course.title
    return trade_label(application.trade.code)


def open_targets(inmate: Inmate, today: date) -> dict[str, list[tuple[int, str]]]:
    """What the person may apply for at the kiosk: the institution's published
    vacancies and courses still to end that they have no open application for
    (an application for a trade is made on paper or through the API)."""
    asked = {(a.kind, a.vacancy_id or a.course_id) for a in applications_of(inmate.id)
             if a.is_open}
    vacancies = db.session.scalars(sa.select(Vacancy).where(
        Vacancy.institution_id == inmate.institution_id,
        Vacancy.status == VacancyStatus.PUBLISHED,
        sa.or_(Vacancy.end_date.is_(None), Vacancy.end_date > today)).order_by(Vacancy.title))
    courses = db.session.scalars(sa.select(Course).where(
        Course.institution_id == inmate.institution_id, Course.end_date > today)
        .order_by(Course.start_date, Course.title))
    return {
        "vacancy": [(v.id, f"{v.title} ({v.employer.name})") for v in vacancies
                    if (ApplicationKind.VACANCY, v.id) not in asked],
        "course": [(c.id, c.title) for c in courses
                   if (ApplicationKind.COURSE, c.id) not in asked],
    }


def release_plan(inmate_id: int) -> dict[str, Any] | None:
    plan = plan_of(inmate_id)
    if plan is None:
        return None
    return {"opened_on": plan.opened_on, "destination": plan.destination_locality,
            "parts": [{"kind": part.kind, "kind_words": PART_LABELS[part.kind],
                       "status": part.status, "due_on": part.due_on,
                       "note": part.note, "reason": part.reason,
                       "holder": part.owner_partner.name if part.owner_partner_id else None}
                      for part in plan.parts]}


def consents(inmate: Inmate) -> list[dict[str, Any]]:
    rows = db.session.scalars(sa.select(Consent).where(Consent.inmate_id == inmate.id)
                              .order_by(Consent.given_on.desc(), Consent.id.desc()))
    return [_consent(c) for c in rows]


def _consent(consent: Consent) -> dict[str, Any]:
    asked = ops.open_request(consent.id) if consent.withdrawn_on is None else None
    return {"id": consent.id, "kind": consent.kind, "given_on": consent.given_on,
            "withdrawn_on": consent.withdrawn_on,
            "asked_to_withdraw_at": asked.requested_at if asked else None}
