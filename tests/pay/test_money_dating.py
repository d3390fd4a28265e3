"""R26 by date: no entry is dated before the money it moves, so no account is
below zero at the end of any day, and pay a correction takes back after it was
spent becomes a debt recovered from later pay within R25's caps and protected
share, shown with the account, instead of a negative balance.

The days are fixed (time-machine: Monday 7 December 2026 in Kazakhstan) so that
the months and paydays are the same whenever the tests run.
"""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine

from app.extensions import db
from app.inmates.models import Inmate
from app.inmates.operations import release_inmate
from app.pay import operations as ops
from app.pay.ledger import ledger_problems
from app.pay.models import AccountEntry, Claim, ClaimKind, EntryKind
from policy import pay as law
from tests import factories
from tests.conftest import login
from tests.factories import ApiClient
from tests.pay.conftest import confirm_years, working_days

TODAY = date(2026, 12, 7)
OCTOBER, NOVEMBER, DECEMBER = date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)


@pytest.fixture
def on_7_december(app):
    with time_machine.travel(datetime(2026, 12, 7, 6, 0, tzinfo=UTC), tick=False):
        confirm_years(2026)
        yield


@pytest.fixture
def held(world, on_7_december):
    """A worker placed since the summer at 170,000 tenge for 40 h a week."""
    inmate = factories.inmate(world["institution"], admission_date=date(2025, 1, 1),
                              convicted_on=date(2024, 12, 1), release_date=date(2028, 1, 1))
    vacancy = factories.vacancy(world["employer"], world["institution"], monthly_wage=170_000,
                                start_date=date(2026, 6, 1))
    return factories.placement(inmate, vacancy, start_date=date(2026, 6, 1))


def _approve(placement, month, hours="8", days=None):
    sheet = ops.open_timesheet(placement, month, None)
    ops.fill_timesheet(sheet, {int(n): v for n, v in (days or working_days(month, hours)).items()})
    ops.approve_timesheet(sheet, None)
    db.session.commit()
    return sheet


def _correct(sheet, hours):
    correction = ops.correct_timesheet(sheet, "the hours were wrong", None)
    ops.fill_timesheet(correction, {int(n): v for n, v in
                                    working_days(sheet.month, hours).items()})
    ops.approve_timesheet(correction, None)
    db.session.commit()
    return correction


def _clean():
    assert set(ledger_problems().values()) == {0}, ledger_problems()
    assert db.session.scalar(sa.select(sa.func.max(AccountEntry.booked_on))) <= TODAY


def test_pay_is_credited_no_later_than_the_day_it_is_approved(held):
    # December's first week approved on 7 December: paid now, not on 1 January.
    first_week = {str(day): {"hours": "8"} for day in (1, 2, 3, 4)}
    december = _approve(held, DECEMBER, days=first_week)
    november = _approve(held, NOVEMBER)
    booked = dict(db.session.execute(sa.select(AccountEntry.payslip_id, AccountEntry.booked_on)
                                     .where(AccountEntry.kind == EntryKind.PAY)).all())
    assert booked == {ops.payslip_of(december.id).id: TODAY,
                      ops.payslip_of(november.id).id: DECEMBER}
    _clean()


def test_pay_approved_after_the_release_is_paid_out_after_it_is_credited(held):
    """The issue's case: released on 7 December, the week's pay approved after;
    it was credited on 1 January and paid out on 7 December (below zero until then)."""
    release_inmate(db.session.get(Inmate, held.inmate_id), TODAY)
    db.session.commit()
    _approve(held, DECEMBER, days={str(day): {"hours": "8"} for day in (1, 2, 3, 4)})
    [payout] = db.session.scalars(sa.select(AccountEntry).where(
        AccountEntry.kind == EntryKind.RELEASE_PAYOUT))
    assert payout.booked_on == TODAY and ops.balance(held.inmate_id) == 0
    _clean()


def test_a_release_recorded_late_pays_out_its_day_and_later_money_today(held):
    october_net = ops.payslip_of(_approve(held, OCTOBER).id).net  # credited 1 November
    november_net = ops.payslip_of(_approve(held, NOVEMBER).id).net  # credited 1 December
    release_inmate(db.session.get(Inmate, held.inmate_id), date(2026, 11, 30))
    db.session.commit()
    payouts = db.session.execute(sa.select(AccountEntry.booked_on, AccountEntry.amount).where(
        AccountEntry.kind == EntryKind.RELEASE_PAYOUT).order_by(AccountEntry.id)).all()
    assert payouts == [(date(2026, 11, 30), -october_net), (TODAY, -november_net)]
    _clean()


def test_a_debit_never_spends_money_dated_later_nor_is_dated_in_the_future(app, world, held):
    net = ops.payslip_of(_approve(held, OCTOBER).id).net  # credited 1 November
    officer = ApiClient(app, world["officer"])
    url = f"/api/inmates/{held.inmate_id}/account/entries"
    early = officer.post(url, json={"kind": "purchase", "amount": 1_000,
                                    "booked_on": "2026-10-31"})
    assert early.status_code == 409, early.json  # nothing on the account yet that day
    assert "from that day on" in early.json["errors"]["amount"][0]
    future = officer.post(url, json={"kind": "purchase", "amount": 1_000,
                                     "booked_on": "2026-12-08"})
    assert future.status_code == 422 and "booked_on" in future.json["errors"]
    assert officer.post(url, json={"kind": "purchase", "amount": net,
                                   "booked_on": "2026-11-02"}).status_code == 201
    _clean()


def test_a_correction_after_the_money_was_spent_becomes_a_debt(app, client, world, held):
    october = _approve(held, OCTOBER)
    old_net = ops.payslip_of(october.id).net
    inmate = db.session.get(Inmate, held.inmate_id)
    ops.book_debit(inmate, EntryKind.FAMILY_TRANSFER, old_net - 5_000, TODAY, "family", None)
    db.session.commit()
    correction = _correct(october, hours="4")
    new_net = ops.payslip_of(correction.id).net
    owed = old_net - new_net - 5_000
    assert owed > 0
    assert ops.balance(inmate.id) == 0  # never below zero
    [claim] = db.session.scalars(sa.select(Claim).where(Claim.kind == ClaimKind.OVERPAYMENT))
    assert (claim.amount_due, claim.amount_paid, claim.inmate_id) == (owed, 0, inmate.id)
    [carried] = db.session.scalars(sa.select(AccountEntry).where(
        AccountEntry.kind == EntryKind.OVERPAYMENT))
    assert (carried.amount, carried.booked_on, carried.claim_id) == (owed, TODAY, claim.id)
    _clean()
    # Shown with the account: the API and the printed statement.
    account = ApiClient(app, world["officer"]).get(f"/api/inmates/{inmate.id}/account").json
    assert account["balance"] == 0 and account["owed_back"] == owed
    login(client, world["officer"])
    page = client.get(f"/pay/inmates/{inmate.id}/account").get_data(as_text=True)
    assert 'class="owed-back"' in page and app.jinja_env.filters["tenge"](owed) in page

    # Later pay repays it within the caps and always leaves the protected share.
    november = ops.payslip_of(_approve(held, NOVEMBER).id)
    recovered = [line for line in november.lines if line.kind == "overpayment"]
    [line] = recovered
    rules = ops.pay_law(ops.pay_settings_for(2026))
    assert line.claim_id == claim.id
    assert line.amount == min(owed, law.share(november.gross, ops.OVERPAYMENT_RULE.percent_bp))
    assert law.deduction_problems(november.gross, rules, november.lines) == []
    assert november.net >= law.protected_amount(november.gross, rules.protected_bp)
    db.session.refresh(claim)
    assert claim.amount_paid == line.amount
    assert ops.owed_back(inmate.id) == owed - line.amount
    _clean()


def test_a_correction_after_the_payout_at_release_becomes_a_debt(held):
    october = _approve(held, OCTOBER)
    release_inmate(db.session.get(Inmate, held.inmate_id), TODAY)
    db.session.commit()
    correction = _correct(october, hours="2")
    owed = ops.payslip_of(october.id).net - ops.payslip_of(correction.id).net
    assert ops.balance(held.inmate_id) == 0 and ops.owed_back(held.inmate_id) == owed
    _clean()


def test_an_upward_correction_owes_nothing(held):
    october = _approve(held, OCTOBER, hours="4")
    correction = _correct(october, hours="8")
    assert ops.balance(held.inmate_id) == ops.payslip_of(correction.id).net
    assert ops.owed_back(held.inmate_id) == 0
    _clean()


def test_an_overpayment_is_recorded_by_a_correction_not_by_hand(app, world, held):
    url = f"/api/inmates/{held.inmate_id}/claims"
    refused = ApiClient(app, world["officer"]).post(url, json={
        "kind": "overpayment", "creditor": "Business", "received_on": "2026-12-01",
        "amount_due": 10_000})
    assert refused.status_code == 422 and "kind" in refused.json["errors"]
