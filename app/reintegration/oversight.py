"""Oversight figures for prosecutors and akimats, by institution and region, on
any past day (R20-R23). Every figure is read from dated rows (the plan's state
kept at release, part status changes, referral dates, outcome check dates), so
data entered later never moves a past day's figure: a release or an outcome
check entered late with an earlier day counts only from the day it was recorded
(``recorded_by``)."""

from collections import defaultdict
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from app.core.auth import scope_clause
from app.core.vocabulary import PartnerKind, PartStatus, Role
from app.extensions import db
from app.inmates.models import Inmate
from app.inmates.operations import add_months
from app.institutions.models import Institution, Region
from app.reintegration.models import OutcomeCheck, PlanPart, PlanPartChange, Referral, ReleasePlan
from app.reintegration.operations import organisation_of, overdue_on, referral_open_on
from policy.clock import day_begins

# Seed 001: seven in ten released were unemployed, four in ten had no home to go to.
BASELINE_EMPLOYED = 0.3
BASELINE_HOUSED = 0.6
OPEN_STATUSES = (PartStatus.NEEDED, PartStatus.IN_PROGRESS)


@dataclass
class Row:
    institution_id: int = 0
    institution: str = ""
    region: str = ""
    releases: int = 0
    complete_at_release: int = 0
    job_or_housing_at_release: int = 0
    plans_open: int = 0
    plans_complete: int = 0
    referrals_open: int = 0
    referrals_overdue: int = 0
    outcomes_6_due: int = 0
    outcomes_6_missing: int = 0
    employed_6: int = 0
    housed_6: int = 0
    outcomes_12_due: int = 0
    outcomes_12_missing: int = 0
    employed_12: int = 0
    housed_12: int = 0

    def add(self, other: "Row") -> None:
        for f in fields(self):
            if f.type in (int, "int") and f.name != "institution_id":
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


AKIMAT_KINDS = (PartnerKind.AKIMAT_SOCIAL, PartnerKind.AKIMAT_EMPLOYMENT)


def may_oversee(user: Any) -> bool:
    """Prosecutors and administrators, and the users of akimats' departments."""
    return user.role in (Role.PROSECUTOR, Role.ADMIN) or (
        user.role == Role.PARTNER and organisation_of(user).kind in AKIMAT_KINDS)


def institutions_in_view(user: Any, region_id: int | None) -> list[Institution]:
    """Institutions the user may read: prosecutors by scope; an akimat's users
    (partner role) those of the regions their organisation serves."""
    query = sa.select(Institution).join(Region).order_by(Region.name, Institution.code)
    if user.role == Role.PARTNER:
        regions = [r.id for r in organisation_of(user).regions]
        query = query.where(Institution.region_id.in_(regions))
    else:
        query = query.where(scope_clause(Institution, user))
    if region_id is not None:
        query = query.where(Institution.region_id == region_id)
    return list(db.session.scalars(query))


def oversight(user: Any, day: date, start: date | None = None,
              region_id: int | None = None) -> dict[str, Any]:
    start = start or add_months(day, -12)
    institutions = institutions_in_view(user, region_id)
    rows = {i.id: Row(institution_id=i.id, institution=str(i), region=i.region.name)
            for i in institutions}
    ids = list(rows)
    _releases(rows, ids, start, day)
    _open_plans(rows, ids, day)
    _referrals(rows, ids, day)
    _outcomes(rows, ids, start, day)
    total = Row(institution="", region="")
    for row in rows.values():
        total.add(row)
    return {"day": day, "start": start, "baseline_employed": BASELINE_EMPLOYED,
            "baseline_housed": BASELINE_HOUSED, "rows": [asdict(r) for r in rows.values()],
            "total": asdict(total)}


def recorded_by(column: Any, day: date) -> sa.ColumnElement[bool]:
    """Recorded (UTC moment in ``column``) by the end of Kazakhstan's ``day``."""
    return column < day_begins(day + timedelta(days=1))


def released_by(day: date) -> sa.ColumnElement[bool]:
    """Released on or before ``day``, and known to be by then."""
    return sa.and_(ReleasePlan.released_on <= day,
                   recorded_by(ReleasePlan.release_recorded_at, day))


def _by_institution() -> Any:
    return sa.select(Inmate.institution_id).join(ReleasePlan, ReleasePlan.inmate_id == Inmate.id)


def _releases(rows: dict[int, Row], ids: list[int], start: date, day: date) -> None:
    query = _by_institution().add_columns(
        sa.func.count(),
        sa.func.sum(sa.case((ReleasePlan.complete_at_release, 1), else_=0)),
        sa.func.sum(sa.case((sa.or_(ReleasePlan.job_at_release,
                                    ReleasePlan.housing_at_release), 1), else_=0)),
    ).where(Inmate.institution_id.in_(ids), ReleasePlan.released_on >= start,
            released_by(day)).group_by(Inmate.institution_id)
    for institution_id, count, complete, job_or_housing in db.session.execute(query):
        row = rows[institution_id]
        row.releases, row.complete_at_release = count, int(complete or 0)
        row.job_or_housing_at_release = int(job_or_housing or 0)


def open_on(day: date) -> sa.ColumnElement[bool]:
    """A plan open on ``day``: opened by then and the person not released by
    then as far as was known that day."""
    return sa.and_(ReleasePlan.opened_on <= day, sa.not_(sa.and_(
        ReleasePlan.released_on.is_not(None), released_by(day))))


def _open_plans(rows: dict[int, Row], ids: list[int], day: date) -> None:
    latest = (sa.select(sa.func.max(PlanPartChange.id).label("id"))
              .where(PlanPartChange.day <= day).group_by(PlanPartChange.part_id).subquery())
    open_part = sa.exists().where(
        PlanPart.plan_id == ReleasePlan.id, PlanPartChange.part_id == PlanPart.id,
        PlanPartChange.id.in_(sa.select(latest.c.id)),
        PlanPartChange.status.in_(OPEN_STATUSES))
    query = _by_institution().add_columns(
        sa.func.count(), sa.func.sum(sa.case((open_part, 0), else_=1)),
    ).where(Inmate.institution_id.in_(ids), open_on(day)).group_by(Inmate.institution_id)
    for institution_id, count, complete in db.session.execute(query):
        rows[institution_id].plans_open = count
        rows[institution_id].plans_complete = int(complete or 0)


def _referrals(rows: dict[int, Row], ids: list[int], day: date) -> None:
    """Referrals open on ``day`` (sent, not yet closed) and, of them, overdue."""
    query = (sa.select(Inmate.institution_id, sa.func.count(),
                       sa.func.sum(sa.case((overdue_on(day), 1), else_=0)))
             .select_from(Referral).join(ReleasePlan, ReleasePlan.id == Referral.plan_id)
             .join(Inmate, Inmate.id == ReleasePlan.inmate_id)
             .where(Inmate.institution_id.in_(ids), referral_open_on(day))
             .group_by(Inmate.institution_id))
    for institution_id, count, overdue in db.session.execute(query):
        rows[institution_id].referrals_open = count
        rows[institution_id].referrals_overdue = int(overdue or 0)


def _outcomes(rows: dict[int, Row], ids: list[int], start: date, day: date) -> None:
    """The 6- and 12-month checks that fell due in the period: recorded (as
    known on ``day``) or missing."""
    released = db.session.execute(
        sa.select(ReleasePlan.id, ReleasePlan.released_on, Inmate.institution_id)
        .join(Inmate, Inmate.id == ReleasePlan.inmate_id)
        .where(Inmate.institution_id.in_(ids), released_by(day))).all()
    checks: dict[tuple[int, int], OutcomeCheck] = {}
    for check in db.session.scalars(sa.select(OutcomeCheck).where(
            OutcomeCheck.plan_id.in_([p.id for p in released]),
            OutcomeCheck.months.in_((6, 12)), OutcomeCheck.checked_on <= day,
            recorded_by(OutcomeCheck.recorded_at, day),  # the version known on ``day``
            sa.or_(OutcomeCheck.superseded_at.is_(None),
                   sa.not_(recorded_by(OutcomeCheck.superseded_at, day))))):
        checks[(check.plan_id, check.months)] = check
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for plan_id, released_on, institution_id in released:
        for months in (6, 12):
            if not start <= add_months(released_on, months) <= day:
                continue
            tally = counts[institution_id]
            tally[f"outcomes_{months}_due"] += 1
            check = checks.get((plan_id, months))
            if check is None:
                tally[f"outcomes_{months}_missing"] += 1
            else:
                tally[f"employed_{months}"] += check.employed
                tally[f"housed_{months}"] += check.housed
    for institution_id, tally in counts.items():
        for name, value in tally.items():
            setattr(rows[institution_id], name, value)


# --- trends -------------------------------------------------------------------------------

TREND_MONTHS = 12

# The shares drawn over months: (key, numerator, denominator, baseline or None).
TREND_SHARES = (
    ("complete_at_release", "complete_at_release", "releases", None),
    ("job_or_housing_at_release", "job_or_housing_at_release", "releases", None),
    ("referrals_overdue", "referrals_overdue", "referrals_open", None),
    ("employed_6", "employed_6", "outcomes_6_recorded", BASELINE_EMPLOYED),
    ("housed_6", "housed_6", "outcomes_6_recorded", BASELINE_HOUSED),
    ("employed_12", "employed_12", "outcomes_12_recorded", BASELINE_EMPLOYED),
    ("housed_12", "housed_12", "outcomes_12_recorded", BASELINE_HOUSED),
)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def trend_point(total: dict[str, Any], month: date, day: date) -> dict[str, Any]:
    """One month of the trend from that month's figures: the counts, and each
    share (None when nobody is counted: never a made-up 0 %)."""
    counts = dict(total) | {f"outcomes_{m}_recorded": total[f"outcomes_{m}_due"]
                            - total[f"outcomes_{m}_missing"] for m in (6, 12)}
    shares = {key: _share(counts[part], counts[whole]) for key, part, whole, _b in TREND_SHARES}
    below = [key for key, _p, _w, baseline in TREND_SHARES
             if baseline is not None and shares[key] is not None and shares[key] < baseline]
    return {"month": month, "day": day, "counts": counts, "shares": shares, "below": below}


def trends(user: Any, today: date, region_id: int | None = None,
           months: int = TREND_MONTHS) -> dict[str, Any]:
    """The figures of each of the last ``months`` calendar months (the current
    one up to ``today``), each read as on the month's last day: releases in the
    month, referrals open on its last day, checks that fell due in it. Every
    point is a past day's figure, so it is as reproducible as ``oversight``."""
    first = today.replace(day=1)
    points = []
    for back in range(months - 1, -1, -1):
        start = add_months(first, -back)
        day = min(add_months(start, 1) - timedelta(days=1), today)
        total = oversight(user, day, start, region_id)["total"]
        points.append(trend_point(total, start, day))
    return {"baselines": {key: baseline for key, _p, _w, baseline in TREND_SHARES},
            "points": points}
