"""R25 pay and deductions and R26 personal accounts, through the API and the
operations: writs paid in order until settled, the ledger balancing with the
payslips, debits never past the balance, corrections by reversing entries."""

import io

import openpyxl
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.pay import operations as ops
from app.pay.models import AccountEntry, Claim, EntryKind, Payslip
from policy import pay as law
from policy.clock import today_in_kazakhstan
from tests.factories import ApiClient
from tests.pay.conftest import LAST_MONTH, working_days

MONTH = LAST_MONTH.strftime("%Y-%m")


def _approved_month(app, world, placement, days=None, month=MONTH, **extras):
    officer = ApiClient(app, world["officer"])
    sheet = officer.post("/api/timesheets", json={"placement_id": placement.id, "month": month})
    sheet_id = sheet.json["id"]
    response = officer.put(f"/api/timesheets/{sheet_id}/days",
                           json={"days": days or working_days(), **extras})
    assert response.status_code == 200, response.json
    approved = officer.post(f"/api/timesheets/{sheet_id}/approve")
    assert approved.status_code == 200, approved.json
    return officer.get(f"/api/timesheets/{sheet_id}/payslip").json


def test_gross_is_time_pay_plus_piece_rate_and_bonus(app, world, worker, confirmed):
    placement, _inmate, _vacancy = worker
    half = working_days(hours="4")
    payslip = _approved_month(app, world, placement, half, piece_rate=12_000, bonus=3_000)
    assert payslip["time_pay"] == 85_000
    assert payslip["gross"] == 100_000
    assert payslip["minimum"] == 42_500  # R10 for 20 h a week over the month
    # Income tax 10% by default, no writs: the rest is credited.
    assert [(line["kind"], line["amount"]) for line in payslip["lines"]] == [
        ("income_tax", 10_000)]
    assert payslip["net"] == 90_000


def test_writs_paid_in_order_until_settled(app, world, worker, confirmed):
    placement, inmate, _vacancy = worker
    officer = ApiClient(app, world["officer"])
    claim = officer.post(f"/api/inmates/{inmate.id}/claims", json={
        "kind": "civil_claim", "creditor": "Victim A", "amount_due": 30_000,
        "received_on": "2025-01-10", "reference": "2-123/2025"})
    assert claim.status_code == 201, claim.json
    alimony = officer.post(f"/api/inmates/{inmate.id}/claims", json={
        "kind": "alimony", "creditor": "Child's guardian", "amount_due": 1_000_000,
        "received_on": "2025-03-01"}).json
    payslip = _approved_month(app, world, placement)  # gross 170,000
    lines = [(line["kind"], line["amount"]) for line in payslip["lines"]]
    # Tax 17,000; alimony capped at 50% = 85,000; the civil claim gets what is left
    # above the protected 25% (42,500): 25,500 of its 30,000.
    assert lines == [("income_tax", 17_000), ("alimony", 85_000), ("civil_claim", 25_500)]
    claims = officer.get(f"/api/inmates/{inmate.id}/claims").json
    assert {c["kind"]: c["outstanding"] for c in claims} == {"civil_claim": 4_500,
                                                             "alimony": 915_000}
    assert payslip["net"] == 42_500 == law.protected_amount(170_000, 2500)
    # Another month settles the civil claim and pays no more than it owed.
    earlier = law.previous_month(LAST_MONTH)
    second = _approved_month(app, world, placement, working_days(earlier),
                             month=earlier.strftime("%Y-%m"))
    assert [line["amount"] for line in second["lines"] if line["kind"] == "civil_claim"] == [
        4_500]
    claims = officer.get(f"/api/inmates/{inmate.id}/claims").json
    assert [c["outstanding"] for c in claims if c["id"] == claim.json["id"]] == [0]
    assert alimony["amount_paid"] == 0  # as recorded; deductions paid it since


def test_ledger_balances_with_payslips_and_debits(app, world, worker, confirmed):
    placement, inmate, _vacancy = worker
    payslip = _approved_month(app, world, placement)
    officer = ApiClient(app, world["officer"])
    sent = officer.post(f"/api/inmates/{inmate.id}/account/entries", json={
        "kind": "family_transfer", "amount": 50_000, "note": "to mother"})
    assert sent.status_code == 201, sent.json
    too_much = officer.post(f"/api/inmates/{inmate.id}/account/entries", json={
        "kind": "purchase", "amount": payslip["net"]})
    assert too_much.status_code == 409 and "R26" in too_much.json["message"]
    assert officer.post(f"/api/inmates/{inmate.id}/account/entries", json={
        "kind": "pay", "amount": 5}).status_code == 422
    account = officer.get(f"/api/inmates/{inmate.id}/account").json
    assert account["balance"] == payslip["net"] - 50_000
    assert account["entries"][-1]["balance_after"] == account["balance"]
    assert sum(e["amount"] for e in account["entries"]) == account["balance"]
    nets = db.session.scalar(sa.select(sa.func.sum(Payslip.net)))
    assert account["balance"] == nets - 50_000

    # A mistaken transfer is reversed, once.
    reversal = officer.post(
        f"/api/inmates/{inmate.id}/account/entries/{sent.json['id']}/reversal",
        json={"note": "sent twice by mistake"})
    assert reversal.status_code == 201 and reversal.json["amount"] == 50_000
    assert officer.post(f"/api/inmates/{inmate.id}/account/entries/{sent.json['id']}/reversal",
                        json={"note": "again"}).status_code == 409
    assert officer.get(f"/api/inmates/{inmate.id}/account").json["balance"] == payslip["net"]
    # Pay entries follow their timesheet, not a reversal by hand.
    pay_entry = account["entries"][0]
    assert officer.post(f"/api/inmates/{inmate.id}/account/entries/{pay_entry['id']}/reversal",
                        json={"note": "not this way"}).status_code == 409


def test_ledger_is_append_only(app, world, worker, confirmed):
    placement, _inmate, _vacancy = worker
    _approved_month(app, world, placement)
    entry = db.session.scalars(sa.select(AccountEntry)).first()
    entry.amount = 1
    with pytest.raises(ValueError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(ValueError):
        db.session.delete(db.session.scalars(sa.select(AccountEntry)).first())
        db.session.flush()


def test_account_scope(app, world, worker, confirmed):
    _placement, inmate, _vacancy = worker
    assert ApiClient(app, world["other_officer"]).get(
        f"/api/inmates/{inmate.id}/account").status_code == 404
    assert ApiClient(app, world["employer_user"]).get(
        f"/api/inmates/{inmate.id}/account").status_code == 403
    assert ApiClient(app, world["prosecutor"]).post(
        f"/api/inmates/{inmate.id}/account/entries",
        json={"kind": "purchase", "amount": 1}).status_code == 403


def test_payroll_for_the_employer(app, world, worker, confirmed):
    placement, _inmate, _vacancy = worker
    payslip = _approved_month(app, world, placement)
    employer = ApiClient(app, world["employer_user"])
    payroll = employer.get(f"/api/employer/payroll?month={MONTH}")
    assert payroll.status_code == 200
    assert payroll.json["total"] == payslip["gross"]
    assert [r["net"] for r in payroll.json["rows"]] == [payslip["net"]]
    sheet = employer.get(f"/api/employer/payroll.xlsx?month={MONTH}")
    assert f"payroll-{MONTH}.xlsx" in sheet.headers["Content-Disposition"]
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.data)).active.values)
    assert rows[0][0] == "Month" and {row[0] for row in rows[1:]} == {MONTH}
    assert rows[1][4:7] == (payslip["gross"], payslip["deducted"], payslip["net"])
    assert rows[-1][4] == payslip["gross"]
    confirmed_ = employer.post("/api/employer/payroll/confirmation", json={"month": MONTH})
    assert confirmed_.status_code == 201 and confirmed_.json["confirmed_at"]
    assert employer.post("/api/employer/payroll/confirmation",
                         json={"month": MONTH}).status_code == 409
    empty = law.previous_month(LAST_MONTH).strftime("%Y-%m")
    assert employer.post("/api/employer/payroll/confirmation",
                         json={"month": empty}).status_code == 422
    assert ApiClient(app, world["officer"]).get(
        f"/api/employer/payroll?month={MONTH}").status_code == 403


def test_pay_settings_are_confirmed_by_an_administrator(app, world):
    admin = ApiClient(app, world["admin"])
    year = today_in_kazakhstan().year + 1
    shown = admin.get(f"/api/pay/settings/{year}").json
    assert shown["confirmed"] is False and shown["rules"][0]["kind"] == "income_tax"
    changed = admin.put(f"/api/pay/settings/{year}", json={
        "rules": [{"kind": "alimony", "mode": "claims", "percent_bp": 7000}],
        "protected_bp": 5000})
    assert changed.status_code == 200 and changed.json["confirmed"] is False
    assert admin.put(f"/api/pay/settings/{year}", json={
        "rules": [{"kind": "alimony", "mode": "rate", "percent_bp": 7000}],
        "protected_bp": 5000}).status_code == 422
    assert admin.post(f"/api/pay/settings/{year}/confirmation").json["confirmed"] is True
    assert ApiClient(app, world["officer"]).post(
        f"/api/pay/settings/{year}/confirmation").status_code == 403
    assert ops.pay_settings_for(year).rules == [
        {"kind": "alimony", "mode": "claims", "percent_bp": 7000}]


def test_release_payout_empties_the_account(app, world, worker, confirmed):
    placement, inmate, _vacancy = worker
    payslip = _approved_month(app, world, placement)
    officer = ApiClient(app, world["officer"])
    paid = officer.post(f"/api/inmates/{inmate.id}/account/entries", json={
        "kind": "release_payout", "amount": payslip["net"]})
    assert paid.status_code == 201
    assert ops.balance(inmate.id) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Claim)) == 0
    last = db.session.scalar(sa.select(AccountEntry.kind).order_by(AccountEntry.id.desc()).limit(1))
    assert last == EntryKind.RELEASE_PAYOUT  # by id: rows come back in no set order
