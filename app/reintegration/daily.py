"""Release and reintegration's daily tasks (app/jobs/schedule.py): open the release
plans now due (R20), flag overdue referrals (R21) and outcome checks falling due
(R23)."""

from collections import Counter
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.vocabulary import OUTCOME_MONTHS
from app.extensions import db
from app.inmates.operations import add_months
from app.jobs.schedule import register_daily
from app.reintegration.deadlines import notify_outcome_checks_due, notify_releases_soon
from app.reintegration.models import OutcomeCheck, Referral, ReleasePlan
from app.reintegration.operations import open_due_plans, overdue_on


def open_plans(day: date) -> dict[str, Any]:
    return {"opened": open_due_plans(day)}


def overdue_referrals(day: date) -> dict[str, Any]:
    """Referrals still open past their due date on ``day``, per partner."""
    partners = db.session.scalars(sa.select(Referral.partner_id).where(overdue_on(day))).all()
    return {"overdue": len(partners), "by_partner": dict(Counter(partners))}


def outcome_checks_due(day: date) -> dict[str, Any]:
    """Checks 1, 3, 6 and 12 months after a release falling due on ``day``, and how many
    due checks are missing (never filled in: shown as missing, R23)."""
    released = db.session.execute(sa.select(ReleasePlan.id, ReleasePlan.released_on).where(
        ReleasePlan.released_on.is_not(None),
        ReleasePlan.released_on >= add_months(day, -max(OUTCOME_MONTHS)))).all()
    recorded = set(db.session.execute(sa.select(OutcomeCheck.plan_id, OutcomeCheck.months)))
    due_today = missing = 0
    for plan_id, released_on in released:
        for months in OUTCOME_MONTHS:
            due = add_months(released_on, months)
            due_today += due == day
            missing += due <= day and (plan_id, months) not in recorded
    return {"due_today": due_today, "missing": missing,
            "told": notify_outcome_checks_due(day)}


def releases_soon(day: date) -> dict[str, Any]:
    """Officers told of releases within 30 days whose plan has open parts (R20)."""
    return {"told": notify_releases_soon(day)}


register_daily("open-release-plans", _l("Open the release plans due (R20)"), open_plans)
register_daily("referrals-overdue", _l("Overdue referrals (R21)"), overdue_referrals)
register_daily("outcome-checks-due", _l("Outcome checks due (R23)"), outcome_checks_due)
register_daily("releases-soon", _l("Releases within 30 days with open plan parts (R20)"),
               releases_soon)
