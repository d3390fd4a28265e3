"""`flask seed-demo`: invented data, idempotent, rules broken only on purpose."""

from collections import Counter
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
import time_machine

from app.auth.models import User
from app.auth.operations import find_user_by_email
from app.core.vocabulary import FindingKind, OrderKind, PartnerKind, Role
from app.demo import INVENTED, seed
from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.monitoring.models import Finding
from app.monitoring.operations import overdue
from app.monitoring.violations import find_violations, period_ending
from app.pay.demo import pay_months, violation_month
from app.pay.violations import CHECKS, pay_violations
from app.placements.models import Placement, PlacementOrder
from app.reintegration.models import OutsideJob, PartnerOrganisation
from app.vacancies.models import Employer, Vacancy
from policy.clock import today_in_kazakhstan


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_seed_is_idempotent_and_marks_data_invented(app):
    logins = seed(total_inmates=150)
    db.session.commit()
    counts = {model: _count(model) for model in (Institution, Inmate, Employer, Vacancy, User,
                                                 PlacementOrder, Finding)}
    seed(total_inmates=150)
    db.session.commit()
    assert {model: _count(model) for model in counts} == counts
    assert counts[Institution] >= 8
    assert {role for role, _, _ in logins} == {"admin", "officer", "employer", "prosecutor",
                                              "partner", "kiosk"}  # kiosk: app/kiosk/demo.py
    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(Institution.region_id)))) >= 3
    assert all(INVENTED in e.name for e in db.session.scalars(sa.select(Employer)))
    # the East Kazakhstan employment centre has a login, and posts the region's job
    assert ("partner", "centre.east@demo.kz", logins[0][2]) in logins
    centre = find_user_by_email("centre.east@demo.kz")
    organisation = db.session.get(PartnerOrganisation, centre.partner_id)
    assert centre.role == Role.PARTNER and organisation.kind == PartnerKind.EMPLOYMENT_CENTRE
    assert INVENTED in organisation.name
    assert db.session.scalar(sa.select(OutsideJob.title).where(
        OutsideJob.partner_id == organisation.id)) is not None
    _every_order_issued_in_date_order()
    _findings_with_a_kind_one_answered_one_overdue()


def _findings_with_a_kind_one_answered_one_overdue() -> None:
    """The prosecutor's findings show their kinds and due days: an act of response the
    institution answered, a warning whose answer is overdue (flagged on both sides)."""
    today = today_in_kazakhstan()
    findings = db.session.scalars(sa.select(Finding).order_by(Finding.id)).all()
    assert {f.kind for f in findings} == {FindingKind.ACT_OF_RESPONSE, FindingKind.WARNING}
    answered = [f for f in findings if f.answered_at is not None]
    assert [f.kind for f in answered] == [FindingKind.ACT_OF_RESPONSE]
    assert answered[0].answered_at.date() <= answered[0].due_on
    late = db.session.scalars(sa.select(Finding).where(overdue(today))).all()
    assert [f.kind for f in late] == [FindingKind.WARNING]
    assert all(f.placement_id and f.rule and f.due_on for f in findings)
    assert all(f.author.email == "prosecutor.karaganda@demo.kz" for f in findings)


def _every_order_issued_in_date_order() -> None:
    """The demo's placements have their orders as operations issue them: a placement
    order each, a removal order each ended one, numbered 1, 2, ... in date order in
    each institution's year (printing then only reads)."""
    ended = db.session.scalar(sa.select(sa.func.count()).select_from(Placement).where(
        Placement.end_date.is_not(None)))
    kinds = Counter(db.session.scalars(sa.select(PlacementOrder.kind)))
    assert kinds == {OrderKind.PLACEMENT: _count(Placement), OrderKind.REMOVAL: ended}
    assert set(db.session.scalars(sa.select(PlacementOrder.language))) == {"ru"}
    years: dict[tuple[int, int], list[PlacementOrder]] = {}
    for order in db.session.scalars(sa.select(PlacementOrder).order_by(PlacementOrder.sequence)):
        years.setdefault((order.institution_id, order.year), []).append(order)
    for issued in years.values():
        assert [o.sequence for o in issued] == list(range(1, len(issued) + 1))
        assert [o.issued_on for o in issued] == sorted(o.issued_on for o in issued)


@pytest.mark.parametrize("days", [30, 730])
def test_demo_breaks_each_rule_once_on_purpose(app, days):
    """Measured by the checks the prosecutors see, over the last month and over the
    demo's two years of history (whose people were younger then: R6)."""
    seed(total_inmates=300)
    db.session.commit()
    found = find_violations(period_ending(today_in_kazakhstan(), days), sa.true())
    assert Counter(v.rule for v in found) == {rule: 1 for rule in (
        "R2", "R3", "R4", "R5", "R6", "R8", "R9", "R10", "R11", "R14", "R28", "R29", "R30")}


# 7 December 2026; 16 March 2027, when the monitoring demo's placements began last
# month and last month's timesheets are already due.
@pytest.mark.parametrize("moment", [datetime(2026, 12, 7, 6, tzinfo=UTC),
                                    datetime(2027, 3, 16, 6, tzinfo=UTC)])
def test_demo_pay_is_lawful_but_for_each_pay_violation_once_three_months_back(app, moment):
    """The README's promise, over every month of the demo's history: each pay
    violation exactly once, all in the month three months back; every other month
    is lawful (no week over the limit of a 36-hour worker or of a juvenile's
    birthday week, R10's underpaid worker paid what is owed after that month, the
    monitoring demo's workers' months approved, no month without timesheets)."""
    with time_machine.travel(moment, tick=False):
        seed(total_inmates=300)
        db.session.commit()
        today = today_in_kazakhstan()
        found = [v for month in pay_months(today) for v in pay_violations(month)]
        assert Counter((v.check, v.month) for v in found) == {
            (name, violation_month(today)): 1 for name in CHECKS}
