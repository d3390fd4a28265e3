"""The demo's work and pay: timesheets over the whole placement history, approved
past months and this month in draft, writs paid, accounts balancing. That each pay violation appears
exactly once, three months ago, is tested with the whole demo
(tests/foundation/test_demo.py)."""

import sqlalchemy as sa

from app.extensions import db
from app.pay.demo import pay_months
from app.pay.ledger import ledger_problems
from app.pay.models import AccountEntry, Claim, Payslip, Timesheet, TimesheetStatus
from policy import pay as law
from policy.clock import today_in_kazakhstan
from tests.demo_snapshot import seeded_demo


def test_demo_year_of_pay(app):
    seeded_demo(total_inmates=240)
    statuses = dict(db.session.execute(sa.select(Timesheet.status, sa.func.count())
                                       .group_by(Timesheet.status)).all())
    assert statuses[TimesheetStatus.APPROVED] > 100 and statuses[TimesheetStatus.DRAFT] > 5
    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(Timesheet.month)))) == \
        len(pay_months(today_in_kazakhstan())) > 13
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Claim).where(
        Claim.amount_paid > 0)) >= 3
    # The ledger balances with the pay: every account's sum is its current nets
    # (a correction's entries reverse the version it replaced).
    assert db.session.scalar(sa.select(sa.func.sum(AccountEntry.amount))) == \
        db.session.scalar(sa.select(sa.func.sum(Payslip.net)).join(
            Timesheet, Timesheet.id == Payslip.timesheet_id).where(
                Timesheet.status == TimesheetStatus.APPROVED))
    # ... and holds by date: nothing reversed twice, no day below zero (R26).
    assert set(ledger_problems().values()) == {0}, ledger_problems()
    # No day that has not come carries hours.
    today = today_in_kazakhstan()
    for month, days in db.session.execute(sa.select(Timesheet.month, Timesheet.days)):
        assert all(int(n) <= law.days_come(month, today) for n in days)
