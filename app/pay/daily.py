"""Pay's daily tasks (app/jobs/schedule.py): late timesheets, and the close of a
pay month the day after its window to approve timesheets ends (R24)."""

from collections import Counter
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.jobs.schedule import register_daily
from app.pay.deadlines import notify_timesheet_deadline
from app.pay.models import Payslip
from app.pay.operations import timesheet_due
from app.pay.violations import timesheet_late
from policy import pay as law


def late_timesheets(day: date) -> dict[str, Any]:
    """Placements of last month whose timesheet is late on ``day``, per institution;
    businesses with timesheets still to submit are told the month's deadline."""
    month = law.previous_month(day)
    late = timesheet_late(month, today=day)
    return {"month": month.isoformat()[:7], "late": len(late),
            "by_institution": dict(Counter(v.institution_id for v in late)),
            "told": notify_timesheet_deadline(day)}


def close_pay_month(day: date) -> dict[str, Any]:
    """The day after last month's window ends: what the month closed with (pay booked,
    timesheets still late). Other days: nothing to close."""
    month = law.previous_month(day)
    if day != timesheet_due(month) + timedelta(days=1):
        return {"closing": None}
    booked = db.session.execute(sa.select(sa.func.count(), sa.func.coalesce(
        sa.func.sum(Payslip.gross), 0)).where(Payslip.month == month)).one()
    return {"closing": month.isoformat()[:7], "payslips": booked[0], "gross": int(booked[1]),
            "late": len(timesheet_late(month, today=day))}


register_daily("timesheets-late", _l("Late timesheets (R24)"), late_timesheets)
register_daily("pay-month-close", _l("Close of the pay month (R24)"), close_pay_month)
