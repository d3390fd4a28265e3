"""R26 at release: the personal account's balance leaves in one payout entry the
day the inmate is released (idempotent, append-only), and the release plan (a
sibling package) shows the balance and the payout through its panel hook."""

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.inmates.models import Inmate
from app.inmates.operations import release_inmate, transfer_inmate
from app.pay import operations as ops
from app.pay.models import AccountEntry, EntryKind
from app.reintegration.operations import open_plan, plan_of
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.conftest import login
from tests.factories import ApiClient
from tests.pay.conftest import LAST_MONTH, working_days

TODAY = today_in_kazakhstan()


def _paid_month(placement) -> int:
    sheet = ops.open_timesheet(placement, LAST_MONTH, None)
    ops.fill_timesheet(sheet, {int(n): v for n, v in working_days().items()})
    ops.approve_timesheet(sheet, None)
    db.session.commit()
    return ops.payslip_of(sheet.id).net


def _payouts(inmate_id: int) -> list[AccountEntry]:
    return list(db.session.scalars(sa.select(AccountEntry).where(
        AccountEntry.inmate_id == inmate_id, AccountEntry.kind == EntryKind.RELEASE_PAYOUT)))


def test_release_pays_out_the_balance_once(app, world, worker, confirmed):
    placement, inmate, _vacancy = worker
    net = _paid_month(placement)
    released = ApiClient(app, world["officer"]).post(
        f"/api/inmates/{inmate.id}/release", json={"released_on": TODAY.isoformat()})
    assert released.status_code == 200, released.json
    [payout] = _payouts(inmate.id)
    assert (payout.amount, payout.booked_on, payout.created_by_id) == (
        -net, TODAY, world["officer"].id)
    assert ops.balance(inmate.id) == 0
    # Hearing the same release again books nothing (the day's payout stands).
    assert ops.pay_out_at_release(db.session.get(Inmate, inmate.id), TODAY, None) is None
    db.session.commit()
    assert len(_payouts(inmate.id)) == 1
    # Reversed by mistake, the payout is booked again on the next hearing.
    ops.reverse_entry(payout, "wrong account", None)
    again = ops.pay_out_at_release(db.session.get(Inmate, inmate.id), TODAY, None)
    db.session.commit()
    assert again is not None and again.amount == -net and ops.balance(inmate.id) == 0


def test_pay_approved_after_the_release_follows_the_person_out(app, world, worker,
                                                               confirmed):
    placement, inmate, _vacancy = worker
    sheet = ops.open_timesheet(placement, LAST_MONTH, None)
    ops.fill_timesheet(sheet, {int(n): v for n, v in working_days().items()})
    release_inmate(db.session.get(Inmate, inmate.id), TODAY)
    db.session.commit()
    assert _payouts(inmate.id) == []  # nothing on the account at release
    ops.approve_timesheet(sheet, world["officer"].id)
    db.session.commit()
    net = ops.payslip_of(sheet.id).net
    [payout] = _payouts(inmate.id)
    assert net > 0 and (payout.amount, payout.booked_on) == (-net, TODAY)
    assert ops.balance(inmate.id) == 0


def test_pay_of_someone_still_held_stays_on_the_account(app, world, worker, confirmed):
    placement, inmate, _vacancy = worker
    net = _paid_month(placement)
    assert _payouts(inmate.id) == [] and ops.balance(inmate.id) == net


def test_transfer_and_empty_account_pay_nothing_out(app, world, worker, confirmed):
    placement, inmate, _vacancy = worker
    net = _paid_month(placement)
    transfer_inmate(inmate, world["other_institution"].id, TODAY)
    db.session.commit()
    assert _payouts(inmate.id) == [] and ops.balance(inmate.id) == net
    idle = factories.inmate(world["institution"], admission_date=date(2024, 1, 1))
    release_inmate(idle, TODAY)
    db.session.commit()
    assert _payouts(idle.id) == [] and ops.balance(idle.id) == 0


def test_release_plan_shows_the_balance_and_the_payout(app, client, world, worker, confirmed):
    placement, inmate, _vacancy = worker
    net = _paid_month(placement)
    plan = open_plan(db.session.get(Inmate, inmate.id), TODAY)
    db.session.commit()
    tenge = app.jinja_env.filters["tenge"]
    login(client, world["officer"])
    before = client.get(f"/release-plans/{plan.id}").get_data(as_text=True)
    assert 'id="release-account"' in before and tenge(net) in before
    release_inmate(db.session.get(Inmate, inmate.id), TODAY)
    db.session.commit()
    after = client.get(f"/release-plans/{plan_of(inmate.id).id}").get_data(as_text=True)
    section = after.split('id="release-account"')[1].split("</section>")[0]
    assert tenge(0) in section and tenge(net) in section
    # Another institution's officer sees neither the plan nor the account.
    login(client, world["other_officer"])
    assert client.get(f"/release-plans/{plan.id}").status_code == 404
