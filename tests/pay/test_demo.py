"""The demo's work and pay: a year of timesheets, approved past months and this
month in draft, writs paid, accounts balancing, and each pay violation exactly
once (three months ago)."""

from collections import Counter
from datetime import date

import sqlalchemy as sa

from app.demo import seed
from app.extensions import db
from app.pay.demo import violation_month
from app.pay.models import AccountEntry, Claim, Payslip, Timesheet, TimesheetStatus
from app.pay.violations import CHECKS, pay_violations
from policy import pay as law


def test_demo_year_of_pay_breaks_each_pay_rule_once(app):
    seed(total_inmates=240)
    db.session.commit()
    this_month = law.first_of_month(date.today())
    statuses = dict(db.session.execute(sa.select(Timesheet.status, sa.func.count())
                                       .group_by(Timesheet.status)).all())
    assert statuses[TimesheetStatus.APPROVED] > 100 and statuses[TimesheetStatus.DRAFT] > 5
    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(Timesheet.month)))) == 13
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Claim).where(
        Claim.amount_paid > 0)) >= 3
    # The ledger balances with the pay: every account's sum is its nets.
    assert db.session.scalar(sa.select(sa.func.sum(AccountEntry.amount))) == \
        db.session.scalar(sa.select(sa.func.sum(Payslip.net)))
    found = []
    month = law.previous_month(law.previous_month(this_month))
    for _n in range(11):  # the months before the monitoring demo's placements began
        found += pay_violations(month)
        month = law.previous_month(month)
    for month in (law.previous_month(this_month), this_month):
        found += pay_violations(month, check="r10_pay_below_minimum")
    assert Counter(v.check for v in found) == {name: 1 for name in CHECKS}
    assert {v.month for v in found if v.check != "r10_pay_below_minimum"} == {
        violation_month(date.today())}
