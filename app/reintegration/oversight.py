"""Oversight figures for prosecutors and akimats, by institution and region, on
any past day (R20-R23). Every figure is read from dated rows (the plan's state
kept at release, part status changes, referral dates, outcome check dates), so
data entered later never moves a past day's figure."""

from collections import defaultdict
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

import sqlalchemy as sa

from app.core.auth import scope_clause
from app.core.vocabulary import PartnerKind, PartStatus, Role
from app.extensions import db
from app.inmates.models import Inmate
from app.inmates.operations import add_months
from app.institutions.models import Institution, Region
from app.reintegration.models import OutcomeCheck, PlanPart, PlanPartChange, Referral, ReleasePlan
from app.reintegration.operations import organisation_of, overdue_on

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
    _overdue(rows, ids, day)
    _outcomes(rows, ids, day)
    total = Row(institution="", region="")
    for row in rows.values():
        total.add(row)
    return {"day": day, "start": start, "baseline_employed": BASELINE_EMPLOYED,
            "baseline_housed": BASELINE_HOUSED, "rows": [asdict(r) for r in rows.values()],
            "total": asdict(total)}


def _by_institution() -> Any:
    return sa.select(Inmate.institution_id).join(ReleasePlan, ReleasePlan.inmate_id == Inmate.id)


def _releases(rows: dict[int, Row], ids: list[int], start: date, day: date) -> None:
    query = _by_institution().add_columns(
        sa.func.count(),
        sa.func.sum(sa.case((ReleasePlan.complete_at_release, 1), else_=0)),
        sa.func.sum(sa.case((sa.or_(ReleasePlan.job_at_release,
                                    ReleasePlan.housing_at_release), 1), else_=0)),
    ).where(Inmate.institution_id.in_(ids), ReleasePlan.released_on >= start,
            ReleasePlan.released_on <= day).group_by(Inmate.institution_id)
    for institution_id, count, complete, job_or_housing in db.session.execute(query):
        row = rows[institution_id]
        row.releases, row.complete_at_release = count, int(complete or 0)
        row.job_or_housing_at_release = int(job_or_housing or 0)


def open_on(day: date) -> sa.ColumnElement[bool]:
    """A plan open on ``day``: opened by then and the person not yet released."""
    return sa.and_(ReleasePlan.opened_on <= day,
                   sa.or_(ReleasePlan.released_on.is_(None), ReleasePlan.released_on > day))


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


def _overdue(rows: dict[int, Row], ids: list[int], day: date) -> None:
    query = (sa.select(Inmate.institution_id, sa.func.count())
             .select_from(Referral).join(ReleasePlan, ReleasePlan.id == Referral.plan_id)
             .join(Inmate, Inmate.id == ReleasePlan.inmate_id)
             .where(Inmate.institution_id.in_(ids), overdue_on(day))
             .group_by(Inmate.institution_id))
    for institution_id, count in db.session.execute(query):
        rows[institution_id].referrals_overdue = count


def _outcomes(rows: dict[int, Row], ids: list[int], day: date) -> None:
    released = db.session.execute(
        sa.select(ReleasePlan.id, ReleasePlan.released_on, Inmate.institution_id)
        .join(Inmate, Inmate.id == ReleasePlan.inmate_id)
        .where(Inmate.institution_id.in_(ids), ReleasePlan.released_on <= day)).all()
    checks: dict[tuple[int, int], OutcomeCheck] = {}
    for check in db.session.scalars(sa.select(OutcomeCheck).where(
            OutcomeCheck.plan_id.in_([p.id for p in released]),
            OutcomeCheck.months.in_((6, 12)), OutcomeCheck.checked_on <= day)):
        checks[(check.plan_id, check.months)] = check
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for plan_id, released_on, institution_id in released:
        for months in (6, 12):
            if add_months(released_on, months) > day:
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
