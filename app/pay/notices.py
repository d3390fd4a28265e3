"""What pay tells the employers when a timesheet is returned to them (R24); the month's
deadline is in deadlines.py. No worker is named: the link leads to the timesheet,
which the employer sees as R16 allows."""

from app.extensions import db
from app.institutions.models import Institution
from app.notifications.messages import month_param
from app.notifications.operations import notify, path_for, users_of_employer
from app.pay.models import Timesheet
from app.vacancies.models import Vacancy


def timesheet_returned(timesheet: Timesheet) -> None:
    """The officer sent a submitted timesheet back to the business to correct."""
    institution = db.session.get(Institution, timesheet.institution_id)
    vacancy = db.session.get(Vacancy, timesheet.placement.vacancy_id)
    notify(users_of_employer(timesheet.employer_id), "timesheet_returned",
           {"institution": institution.name, "month": month_param(timesheet.month),
            "title": vacancy.title},
           link=path_for("pay.timesheet", timesheet_id=timesheet.id))
