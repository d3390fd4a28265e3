"""Notices of dates that come, for the daily schedule (R20, R23, R32: what is due on a
day happens that day whether or not anyone opens a page): releases within 30 days with
open plan parts (officers), outcome checks due (partners).

Each takes the day and carries a key naming what it is about, so a daily task that
runs twice, or catches up a missed day, never tells anyone twice.
"""

from datetime import date, timedelta

import sqlalchemy as sa

from app.core.vocabulary import OUTCOME_MONTHS, ReferralStatus
from app.extensions import db
from app.inmates.operations import add_months
from app.institutions.models import Institution
from app.notifications.messages import day_param
from app.notifications.operations import notify, officers_of, path_for, users_of_partner
from app.reintegration import notices
from app.reintegration.models import OutcomeCheck, Referral, ReleasePlan
from app.reintegration.operations import OPEN_REFERRAL, partner_access, releases_with_open_parts

RELEASE_NOTICE_DAYS = 30  # officers hear of a release this close with open plan parts
# A check that fell due longer ago than this is not announced any more (the partner's
# worklist shows it missing): a first run, or one after a long stop, tells of the
# checks due in the last month only.
OUTCOME_NOTICE_WINDOW_DAYS = 31


def notify_releases_soon(day: date) -> int:
    """Tell the officers of each person released within 30 days of ``day`` whose plan is
    missing or has open parts (R20). Once per person and release date. Returns the
    notifications made."""
    told = 0
    for inmate, plan in releases_with_open_parts(None, day, RELEASE_NOTICE_DAYS):
        institution = db.session.get(Institution, inmate.institution_id)
        told += len(notify(
            officers_of(inmate.institution_id), "release_soon",
            {"institution": institution.name, "release_on": day_param(inmate.release_date)},
            link=notices.plan_link(plan.id) if plan else path_for("release_plans.index"),
            key=f"release-soon:{inmate.id}:{inmate.release_date.isoformat()}"))
    return told


def notify_outcome_checks_due(day: date) -> int:
    """Tell the partners still holding a referral of a released person that a check
    1, 3, 6 or 12 months after release fell due (in the last month up to ``day``) and
    is not recorded (R23). Once per check. Returns the notifications made."""
    earliest_release = add_months(day - timedelta(days=OUTCOME_NOTICE_WINDOW_DAYS),
                                  -max(OUTCOME_MONTHS))
    referrals = db.session.scalars(
        sa.select(Referral).join(ReleasePlan, ReleasePlan.id == Referral.plan_id)
        .where(ReleasePlan.released_on.is_not(None),
               ReleasePlan.released_on >= earliest_release,
               Referral.status.in_([*OPEN_REFERRAL, ReferralStatus.CLOSED]),
               partner_access(day))
        .order_by(Referral.id)).all()
    told = 0
    for referral in referrals:
        for months, due_on in _checks_due(referral.plan, day):
            told += len(notify(
                users_of_partner(referral.partner_id), "outcome_check_due",
                {"months": months, "due_on": day_param(due_on),
                 "institution": notices.institution_name(referral.plan)},
                link=notices.partner_link(referral),
                key=f"outcome-due:{referral.plan_id}:{months}"))
    return told


def _checks_due(plan: ReleasePlan, day: date) -> list[tuple[int, date]]:
    recorded = set(db.session.scalars(sa.select(OutcomeCheck.months).where(
        OutcomeCheck.plan_id == plan.id)))
    window_start = day - timedelta(days=OUTCOME_NOTICE_WINDOW_DAYS)
    return [(months, due_on) for months in OUTCOME_MONTHS
            if months not in recorded
            and window_start < (due_on := add_months(plan.released_on, months)) <= day]
