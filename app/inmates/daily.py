"""The registry's daily tasks (app/jobs/schedule.py)."""

from collections import Counter
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.vocabulary import CustodyStatus
from app.extensions import db
from app.inmates.models import Inmate
from app.inmates.security import overdue_assessments
from app.jobs.schedule import register_daily

REVIEW_WARNING_DAYS = 14  # a medical review due within this many days is lapsing


def medical_reviews(day: date) -> dict[str, Any]:
    """Held inmates whose medical review (R3) fell due by ``day`` (lapsed) or falls due
    within REVIEW_WARNING_DAYS (lapsing), per institution."""
    rows = db.session.execute(sa.select(Inmate.institution_id, Inmate.fitness_review_date).where(
        Inmate.status == CustodyStatus.HELD, Inmate.fitness_review_date.is_not(None),
        Inmate.fitness_review_date <= day + timedelta(days=REVIEW_WARNING_DAYS))).all()
    lapsed = Counter(row.institution_id for row in rows if row.fitness_review_date < day)
    lapsing = Counter(row.institution_id for row in rows if row.fitness_review_date >= day)
    return {"lapsed": sum(lapsed.values()), "lapsing": sum(lapsing.values()),
            "lapsed_by_institution": dict(lapsed), "lapsing_by_institution": dict(lapsing)}


register_daily("medical-reviews", _l("Medical reviews lapsing or lapsed (R3)"), medical_reviews)


def risk_assessments_due(day: date) -> dict[str, Any]:
    """R27: convicted persons held whose risk-and-needs assessment is overdue on ``day``
    (none after admission, a review past due, or a serious incident since), per
    institution; the same list the officer's home shows."""
    institutions = db.session.scalars(sa.select(Inmate.institution_id).distinct().where(
        Inmate.status == CustodyStatus.HELD)).all()
    overdue = {institution_id: len(overdue_assessments(institution_id, day))
               for institution_id in sorted(institutions)}
    overdue = {institution_id: n for institution_id, n in overdue.items() if n}
    return {"overdue": sum(overdue.values()), "overdue_by_institution": overdue}


register_daily("risk-assessments-due", _l("Risk-and-needs assessments overdue (R27)"),
               risk_assessments_due)
