"""A pay month's booking as a job (app/jobs): every submitted first version of the
month in the user's scope (an officer's institution; an administrator's: the whole
country) approved and its pay booked in one transaction, all or nothing. A retry
books only what is still submitted, so nothing is booked twice."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core.auth import scope_clause
from app.extensions import db
from app.jobs.models import Job
from app.jobs.queue import Progress, register_kind, submit
from app.pay import operations as ops
from app.pay.models import Timesheet, TimesheetStatus

KIND = "pay.approve_month"


def book_month(job: Job, progress: Progress) -> dict[str, Any]:
    user = db.session.get(User, job.user_id)
    month = date.fromisoformat(job.params["month"])
    waiting = db.session.scalar(sa.select(sa.func.count()).select_from(Timesheet).where(
        Timesheet.month == month, Timesheet.status == TimesheetStatus.SUBMITTED,
        Timesheet.version == 1, scope_clause(Timesheet, user)))
    progress.step(0, waiting, "book")
    approved = ops.approve_month(month, user, report=lambda done, total, step: progress.step(
        done, total, "book", step))
    progress.step(approved, approved, "done")
    return {"month": job.params["month"], "approved": approved}


def submit_booking(user: Any, month: date, locale: str) -> Job:
    return submit(KIND, user, {"month": month.replace(day=1).isoformat(), "locale": locale},
                  institution_id=user.institution_id)


register_kind(KIND, _l("Pay month's booking"), book_month, "pay/booking_job.html")
