"""The month's timesheet deadline told to the businesses, for the daily schedule (R24,
R32): a business with timesheets of last month not yet submitted hears how many and
by when the institution approves them, once per month however often it runs."""

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.notifications.messages import day_param, month_param
from app.notifications.operations import notify, path_for, users_of_employer
from app.pay.models import Timesheet, TimesheetStatus
from app.pay.operations import active_in_month, timesheet_due
from app.placements.models import Placement
from app.vacancies.models import Vacancy
from policy import pay as law


def notify_timesheet_deadline(day: date) -> int:
    """For the daily schedule: tell each business that has timesheets of last month not
    yet submitted (none, or a draft) how many and by when the institution approves them.
    Once per business and month, however often it runs. Returns the users told."""
    month = law.previous_month(day)
    submitted = sa.exists().where(Timesheet.placement_id == Placement.id,
                                  Timesheet.month == month,
                                  Timesheet.status != TimesheetStatus.DRAFT)
    rows = db.session.execute(
        sa.select(Vacancy.employer_id, sa.func.count(Placement.id))
        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
        .where(active_in_month(month), ~submitted)
        .group_by(Vacancy.employer_id).order_by(Vacancy.employer_id)).all()
    due_on = timesheet_due(month)
    told = 0
    for employer_id, count in rows:
        told += len(notify(
            users_of_employer(employer_id), "timesheet_deadline",
            {"month": month_param(month), "count": count, "due_on": day_param(due_on)},
            link=path_for("pay.timesheets", month=month.isoformat()[:7]),
            key=f"timesheet-deadline:{employer_id}:{month.isoformat()}"))
    return told
