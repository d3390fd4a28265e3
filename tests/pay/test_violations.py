"""Violations on real work and pay: each check finds its case with the day and
the evidence, and nothing on a clean month; prosecutors' compliance figures."""

import math
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

import numpy as np
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.pay import operations as ops
from app.pay import violations
from app.pay.models import PayDeduction, Payslip
from app.settings.operations import settings_for
from matching.lawops import NUMPY
from policy import pay as law
from policy import rules
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.conftest import login
from tests.factories import ApiClient
from tests.pay.conftest import LAST_MONTH, confirm_years, working_days

MONTH = LAST_MONTH.strftime("%Y-%m")
LONG_AGO = law.previous_month(law.previous_month(LAST_MONTH))  # its due dates have passed


def _approve(placement, month, days, user_id=None, **extras):
    sheet = ops.open_timesheet(placement, month, user_id)
    ops.fill_timesheet(sheet, {int(n): v for n, v in days.items()}, **extras)
    ops.approve_timesheet(sheet, user_id)
    db.session.commit()
    return sheet


def _checks(month, **kwargs):
    return {v.check for v in violations.pay_violations(month, **kwargs)}


def test_clean_month_has_no_violation(app, world, worker, confirmed):
    placement, _inmate, _vacancy = worker
    sheet = _approve(placement, LAST_MONTH, working_days())
    ops.confirm_payroll(world["employer"].id, LAST_MONTH, None)
    db.session.commit()
    later = LAST_MONTH + timedelta(days=400)
    if today_in_kazakhstan() > law.timesheet_due(LAST_MONTH):  # approved today: late
        assert _checks(LAST_MONTH, today=later) == {"timesheet_late"}
        sheet.approved_at = datetime.combine(law.timesheet_due(LAST_MONTH), time(12))
        db.session.commit()
    assert _checks(LAST_MONTH, today=later) == set()


def test_r9_week_over_limit_across_placements(app, world, worker, confirmed):
    placement, inmate, _vacancy = worker
    other = factories.placement(inmate, factories.vacancy(world["employer"],
                                                          world["institution"]),
                                start_date=placement.start_date, weekly_hours=10)
    monday = next(d for d in law.month_days(LAST_MONTH)[7:] if d.weekday() == 0)
    _approve(placement, LAST_MONTH, working_days())
    _approve(other, LAST_MONTH, {str(monday.day): {"hours": "4"}})
    found = violations.r9_week_over_limit(LAST_MONTH)
    assert [(v.inmate_id, v.evidence["week"], v.evidence["hours"]) for v in found] == [
        (inmate.id, monday.isoformat(), "44")]
    assert found[0].seen_on == monday + timedelta(days=6)


def test_r10_pay_below_minimum(app, world, worker, confirmed):
    placement, _inmate, _vacancy = worker
    placement.monthly_wage = 40_000  # recorded under the minimum before R10 held at start
    db.session.commit()
    sheet = _approve(placement, LAST_MONTH, working_days())
    found = violations.r10_pay_below_minimum(LAST_MONTH)
    assert [v.evidence["timesheet_id"] for v in found] == [sheet.id]
    assert "minimum 85000" in found[0].detail


def test_worked_without_pay(app, world, worker, confirmed):
    placement, _inmate, _vacancy = worker
    _approve(placement, LONG_AGO, working_days(LONG_AGO))
    found = violations.worked_without_pay(LONG_AGO)
    assert len(found) == 1 and found[0].evidence["confirmed_at"] is None
    assert found[0].seen_on == law.next_month(law.next_month(LONG_AGO)) - timedelta(days=1)
    # Not yet due for last month; confirmed payment clears it.
    _approve(placement, LAST_MONTH, working_days())
    assert violations.worked_without_pay(LAST_MONTH, today=LAST_MONTH + timedelta(days=20)) == []
    ops.confirm_payroll(world["employer"].id, LONG_AGO, None)
    db.session.commit()
    late_confirmation = violations.worked_without_pay(LONG_AGO)
    assert len(late_confirmation) == 1  # confirmed only now, after the due day


def test_timesheet_late(app, world, worker, confirmed):
    placement, _inmate, _vacancy = worker
    found = violations.timesheet_late(LAST_MONTH, today=law.timesheet_due(LAST_MONTH)
                                      + timedelta(days=1))
    assert [(v.placement_id, v.detail) for v in found] == [(placement.id, "not approved")]
    assert violations.timesheet_late(LAST_MONTH, today=law.timesheet_due(LAST_MONTH)) == []


def test_deductions_outside_law(app, world, worker, confirmed):
    placement, inmate, _vacancy = worker
    sheet = _approve(placement, LAST_MONTH, working_days())
    payslip = db.session.scalar(sa.select(Payslip).where(Payslip.timesheet_id == sheet.id))
    assert violations.deductions_outside_law(LAST_MONTH) == []
    claim = ops.add_claim(inmate, ops.ClaimKind.ALIMONY, "guardian", 500_000, LONG_AGO)
    db.session.add(PayDeduction(payslip_id=payslip.id, kind="alimony", claim_id=claim.id,
                                amount=120_000))  # a hand-made deduction over the 50% cap
    db.session.commit()
    found = violations.deductions_outside_law(LAST_MONTH)
    assert [v.detail for v in found] == ["above_cap:alimony, below_protected"]


def test_compliance_and_claims_paid_for_prosecutors(app, world, worker, confirmed):
    placement, inmate, _vacancy = worker
    ops.add_claim(inmate, ops.ClaimKind.CIVIL_CLAIM, "victim", 10_000, LONG_AGO)
    db.session.commit()
    _approve(placement, LAST_MONTH, working_days())
    prosecutor = ApiClient(app, world["prosecutor"])
    report = prosecutor.get(f"/api/pay/compliance?month={MONTH}")
    assert report.status_code == 200
    row = next(r for r in report.json["institutions"]
               if r["institution_id"] == world["institution"].id)
    assert row["workers"] == 1 and row["approved"] == 1 and row["gross"] == 170_000
    assert report.json["regions"][0]["gross"] == 170_000
    other = ApiClient(app, world["other_prosecutor"]).get(f"/api/pay/compliance?month={MONTH}")
    assert all(r["institution_id"] != world["institution"].id
               for r in other.json["institutions"])
    paid = prosecutor.get("/api/pay/claims-paid").json
    assert [m["paid"] for m in paid if m["month"] == MONTH] == [10_000]
    assert sum(m["paid"] for m in ApiClient(app, world["other_prosecutor"]).get(
        "/api/pay/claims-paid").json) == 0
    listed = prosecutor.get(f"/api/pay/violations?month={MONTH}&check=timesheet_late")
    assert listed.status_code == 200
    assert prosecutor.get("/api/pay/violations?check=nope").status_code == 422
    client = app.test_client()
    login(client, world["prosecutor"])
    html = client.get(f"/pay/compliance?month={MONTH}").get_data(as_text=True)
    assert world["institution"].code in html and "170" in html


@pytest.mark.parametrize(("turning", "weekly"), [(16, "6"), (18, "7.5")])  # R6 ages
def test_r9_uses_the_juvenile_limit_until_the_week_after_the_birthday(
        app, world, worker, confirmed, turning, weekly):
    """R6 within R9: the week's limit is the one on its Monday (the engine's rule,
    ``policy.rules.weekly_hours_allowed``), so the week a worker turns 16 or 18
    keeps the lower limit and the next week has the higher one."""
    placement, inmate, _vacancy = worker
    mondays = [d for d in law.month_days(LAST_MONTH) if d.weekday() == 0]
    birthday = mondays[1] + timedelta(days=2)  # a Wednesday, never the 29th
    inmate.birth_date = birthday.replace(year=birthday.year - turning)
    db.session.commit()
    days = working_days(hours=weekly)  # 30 h or 37.5 h a full week
    _approve(placement, LAST_MONTH, days)
    found = {v.evidence["week"]: v for v in violations.r9_week_over_limit(LAST_MONTH)}
    pay_law = settings_for(LAST_MONTH.year).law
    engine_person = SimpleNamespace(birth=np.array([inmate.birth_date.toordinal()]),
                                    disability=np.array([0]))
    expected = {}
    for monday in mondays:
        week = [monday + timedelta(days=n) for n in range(7)]
        hours = sum(Decimal(days[str(d.day)]["hours"]) for d in week
                    if d.month == LAST_MONTH.month and str(d.day) in days)
        limit = int(rules.weekly_hours_allowed(NUMPY, pay_law, engine_person, monday)[0])
        if hours > limit:
            expected[monday.isoformat()] = (format(hours.normalize(), "f"), limit)
    assert {week: (v.evidence["hours"], v.evidence["limit"]) for week, v in found.items()} \
        == expected
    lower = pay_law.max_hours_juvenile_14 if turning == 16 else pay_law.max_hours_juvenile_16
    assert found[mondays[1].isoformat()].evidence["limit"] == lower  # the birthday's week
    assert mondays[2].isoformat() not in found  # the week after: the higher limit holds


def test_r9_weekly_sums_of_the_database_match_the_policy(app, world, worker, confirmed):
    """The weeks the database sums out of the days' JSON, across two placements and
    the month's edge, are those of ``policy.pay.weeks_over_limit``."""
    placement, inmate, _vacancy = worker
    other = factories.placement(inmate, factories.vacancy(world["employer"],
                                                          world["institution"]),
                                start_date=placement.start_date, weekly_hours=10)
    rng = random.Random(14)
    worked: dict[date, Decimal] = {}
    this_month = law.next_month(LAST_MONTH)
    confirm_years(this_month.year)
    for job in (placement, other):
        for month in (LAST_MONTH, this_month):
            days = {str(day.day): {"hours": str(rng.choice(range(0, 13)) / 2)}
                    for day in law.month_days(month) if day <= today_in_kazakhstan()}
            for number, entry in days.items():
                day = month.replace(day=int(number))
                worked[day] = worked.get(day, Decimal(0)) + Decimal(entry["hours"])
            _approve(job, month, days)
    limit = settings_for(LAST_MONTH.year).law.max_hours_adult
    expected = [(monday.isoformat(), format(total.normalize(), "f"))
                for monday, total in law.weeks_over_limit(worked, limit)
                if law.first_of_month(monday) == LAST_MONTH]
    found = violations.r9_week_over_limit(LAST_MONTH)
    assert expected and [(v.evidence["week"], v.evidence["hours"]) for v in found] == expected


def test_r10_minimum_is_capped_at_full_time(app, world, worker, confirmed):
    """R10 counts hours never above full time: a month of more hours than full time
    has the full-time minimum, so 182 h paid above it is not below the minimum."""
    placement, _inmate, _vacancy = worker
    placement.monthly_wage = 80_000  # recorded under the minimum before R10 held at start
    db.session.commit()
    full_time = 8 * law.working_days(LAST_MONTH)
    days = working_days()
    weekend = [str(d.day) for d in law.month_days(LAST_MONTH) if d.weekday() >= 5]
    for number in weekend[:7]:
        days[number] = {"hours": "2"}
    sheet = _approve(placement, LAST_MONTH, days)
    payslip = ops.payslip_of(sheet.id)
    assert payslip.hours == full_time + 14 and payslip.gross >= 85_000
    assert payslip.minimum == 85_000
    assert violations.r10_pay_below_minimum(LAST_MONTH) == []


class _Discard(Exception):
    """Leaves a savepoint without keeping what an example wrote."""


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quarters=st.lists(st.integers(0, 4 * 12), min_size=31, max_size=31))
def test_any_month_of_hours_r10_counts_them_up_to_full_time(app, world, worker, confirmed,
                                                              quarters):
    """Property, through approval and the R10 check: whatever the hours of the
    month (0 to 12 a day: below, at and far above full time), the payslip's minimum is the
    full-time minimum pro rata to the hours counted up to full time, never above
    it, and pay is flagged exactly when its gross is under that minimum."""
    placement, _inmate, _vacancy = worker
    placement.monthly_wage = 80_000  # under the minimum: some months are below it
    days = {n: {"hours": str(Decimal(q) / 4)}
            for n, q in enumerate(quarters[:len(law.month_days(LAST_MONTH))], start=1)}
    full_time = Decimal(8 * law.working_days(LAST_MONTH))
    try:
        with db.session.begin_nested():
            sheet = ops.open_timesheet(placement, LAST_MONTH, None)
            ops.fill_timesheet(sheet, days)
            ops.approve_timesheet(sheet, None)
            payslip = ops.payslip_of(sheet.id)
            counted = min(payslip.hours, full_time)
            assert payslip.minimum == math.ceil(85_000 * counted / full_time) <= 85_000
            assert (payslip.minimum == 85_000) == (payslip.hours >= full_time)
            flagged = violations.r10_pay_below_minimum(LAST_MONTH)
            assert bool(flagged) == (payslip.gross < payslip.minimum)
            raise _Discard
    except _Discard:
        pass
