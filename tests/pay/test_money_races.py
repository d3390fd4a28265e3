"""Money under concurrent requests (R26): the same operation twice at the same
moment wins once, the other answers 409 with a message (never 500), and the
ledger holds afterwards (app/pay/ledger.py): no entry reversed twice, no payslip
booked twice, no account below zero on any day.

Each request runs through its own test client, app context and database
connection, as tests/placements/test_concurrency.py does, for several rounds.
Runs on PostgreSQL and on a file SQLite database, not on in-memory SQLite.
"""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.vocabulary import Role
from app.extensions import db
from app.inmates.models import Inmate
from app.pay import operations as ops
from app.pay.ledger import ledger_problems
from app.pay.models import AccountEntry, EntryKind
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.factories import ApiClient
from tests.pay.conftest import LAST_MONTH, working_days
from tests.placements.test_concurrency import shared_database  # noqa: F401  (fixture)

race = pytest.mark.usefixtures("shared_database")  # two connections on one database
ROUNDS = 6
TODAY = today_in_kazakhstan()
CLEAN = dict.fromkeys(("entries_reversed_twice", "payslips_not_booked_once",
                       "months_approved_twice", "days_below_zero",
                       "reversals_before_their_entry", "payouts_before_release"), 0)


def at_once(app, calls):
    """Run the (client, method, url, json) requests together, each in its own
    thread and app context; their answers as (status, JSON body), sorted. A
    request that raised (an error no handler turned into an answer) counts as 500."""
    barrier, answers = threading.Barrier(len(calls)), [None] * len(calls)

    def call(index, client, method, url, body):
        with app.app_context():
            barrier.wait()
            try:
                response = getattr(client, method)(url, json=body)
                answers[index] = (response.status_code, response.json)
            except Exception as error:  # noqa: BLE001  (what the user would get: 500)
                answers[index] = (500, {"message": repr(error)})

    threads = [threading.Thread(target=call, args=(i, *c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.session.expire_all()
    return sorted(answers, key=lambda answer: answer[0])


def _officers(app, world):
    colleague = factories.user(Role.OFFICER, institution_id=world["institution"].id)
    return ApiClient(app, world["officer"]), ApiClient(app, colleague)


def _filled_worker(world):
    """A new worker placed all of last month, whose timesheet is filled in."""
    inmate = factories.inmate(world["institution"], admission_date=LAST_MONTH - timedelta(300))
    vacancy = factories.vacancy(world["employer"], world["institution"], monthly_wage=170_000,
                                start_date=LAST_MONTH - timedelta(200))
    placement = factories.placement(inmate, vacancy, start_date=LAST_MONTH - timedelta(100))
    sheet = ops.open_timesheet(placement, LAST_MONTH, None)
    ops.fill_timesheet(sheet, {int(n): v for n, v in working_days().items()})
    return placement, sheet


def _paid_worker(world):
    """A new worker with last month approved and paid; (placement, timesheet)."""
    placement, sheet = _filled_worker(world)
    ops.approve_timesheet(sheet, None)
    db.session.commit()
    return placement, sheet


def _conflict(answer):
    status, body = answer
    assert status == 409 and body["message"], body


@race
def test_a_correction_approved_twice_at_once_reverses_the_pay_once(
        app, world, confirmed):
    one, two = _officers(app, world)
    for _round in range(ROUNDS):
        placement, sheet = _paid_worker(world)
        old_net = ops.payslip_of(sheet.id).net
        correction = ops.correct_timesheet(sheet, "hours of one day were wrong", None)
        ops.fill_timesheet(correction, {int(n): v for n, v in
                                        working_days(hours="6").items()})
        ops.submit_timesheet(correction)
        db.session.commit()
        url = f"/api/timesheets/{correction.id}/approve"
        won, lost = at_once(app, [(one, "post", url, None), (two, "post", url, None)])
        assert won[0] == 200, won
        _conflict(lost)
        new_net = ops.payslip_of(correction.id).net
        assert 0 < new_net < old_net
        assert ops.balance(placement.inmate_id) == new_net
        assert ledger_problems() == CLEAN


@race
def test_a_debit_reversed_twice_at_once_is_credited_once(app, world, confirmed):
    one, two = _officers(app, world)
    for _round in range(ROUNDS):
        placement, sheet = _paid_worker(world)
        net = ops.payslip_of(sheet.id).net
        inmate = db.session.get(Inmate, placement.inmate_id)
        purchase = ops.book_debit(inmate, EntryKind.PURCHASE, 10_000, TODAY, "shop", None)
        db.session.commit()
        url = f"/api/inmates/{inmate.id}/account/entries/{purchase.id}/reversal"
        body = {"note": "booked on the wrong person"}
        won, lost = at_once(app, [(one, "post", url, body), (two, "post", url, body)])
        assert won[0] == 201, won
        _conflict(lost)
        assert ops.balance(inmate.id) == net
        assert ledger_problems() == CLEAN


@race
def test_a_month_approved_twice_at_once_is_booked_once(app, world, confirmed):
    """The bulk path (COPY on PostgreSQL): the loser's duplicate payslips are
    refused by the database, and that answers 409, not 500."""
    one, two = _officers(app, world)
    month = LAST_MONTH.strftime("%Y-%m")
    url = "/api/timesheets/approvals"
    for _round in range(ROUNDS):
        submitted = _submitted_first_versions(world, 3)
        answers = at_once(app, [(one, "post", url, {"month": month}),
                                (two, "post", url, {"month": month})])
        statuses = [status for status, _body in answers]
        assert 500 not in statuses, answers
        assert statuses in ([200, 200], [200, 409]), answers
        booked = sum(body["approved"] for status, body in answers if status == 200)
        assert booked == len(submitted), answers
        assert ledger_problems() == CLEAN


def _submitted_first_versions(world, count):
    """``count`` new workers whose last month is filled and submitted (not approved)."""
    sheets = [ops.submit_timesheet(_filled_worker(world)[1]).id for _worker in range(count)]
    db.session.commit()
    return sheets


@race
def test_two_releases_at_once_release_once_and_pay_out_on_the_release_day(
        app, world, confirmed):
    one, two = _officers(app, world)
    for _round in range(ROUNDS):
        placement, sheet = _paid_worker(world)
        net = ops.payslip_of(sheet.id).net
        inmate_id = placement.inmate_id
        url = f"/api/inmates/{inmate_id}/release"
        days = [TODAY, TODAY - timedelta(days=1)]
        won, lost = at_once(app, [(one, "post", url, {"released_on": days[0].isoformat()}),
                                  (two, "post", url, {"released_on": days[1].isoformat()})])
        assert won[0] == 200, won
        _conflict(lost)
        left_on = db.session.get(Inmate, inmate_id).left_on
        payouts = db.session.execute(sa.select(AccountEntry.amount, AccountEntry.booked_on)
                                     .where(AccountEntry.inmate_id == inmate_id,
                                            AccountEntry.kind == EntryKind.RELEASE_PAYOUT)
                                     ).all()
        assert payouts == [(-net, left_on)]
        assert ops.balance(inmate_id) == 0
        assert ledger_problems() == CLEAN


def test_a_duplicate_written_in_bulk_is_an_integrity_error_answered_409(app, world,
                                                                       confirmed):
    """One handler for every refused write: COPY (PostgreSQL) raises the driver's
    own error, which bulk.insert_rows raises again as SQLAlchemy's IntegrityError,
    and the answer is 409 with the constraint's message, not 500."""
    from app.core.bulk import insert_rows
    from app.core.errors import handle_integrity_error
    from app.pay.models import Payslip

    _placement, sheet = _paid_worker(world)
    payslip = ops.payslip_of(sheet.id)
    row = {column.name: getattr(payslip, column.key) for column in Payslip.__table__.columns
           if column.name != "id"}
    with pytest.raises(sa.exc.IntegrityError) as refused:
        insert_rows(Payslip.__table__, [row])
    with app.test_request_context("/api/timesheets/approvals", method="POST"):
        response, status = handle_integrity_error(refused.value)
    assert status == 409 and response.json["message"]
    if db.engine.dialect.name == "postgresql":  # the constraint is named: its own message
        assert "already booked" in response.json["message"]
