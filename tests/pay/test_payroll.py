"""The employer's payroll and its confirmations: pay approved after the employer
confirmed the month is late pay, its own line to confirm and a violation until
paid; pay below the R10 minimum shows what is still owed to reach it, and the
violation ends when that is paid."""

import io
import re
import threading
import time
from datetime import timedelta

import openpyxl
import sqlalchemy as sa

from app.core import locks
from app.core.vocabulary import Role
from app.extensions import db
from app.pay import operations as ops
from app.pay import violations
from app.pay.models import PayrollConfirmation
from tests import factories
from tests.conftest import login
from tests.factories import ApiClient
from tests.pay.conftest import LAST_MONTH, working_days
from tests.placements.test_concurrency import shared_database  # noqa: F401  (fixture)

MONTH = LAST_MONTH.strftime("%Y-%m")
LATER = LAST_MONTH + timedelta(days=400)  # every due day of the month has passed


def _approve(officer, placement, days=None, **extras) -> dict:
    sheet = officer.post("/api/timesheets", json={"placement_id": placement.id, "month": MONTH})
    sheet_id = sheet.json["id"]
    filled = officer.put(f"/api/timesheets/{sheet_id}/days",
                         json={"days": days or working_days(), **extras})
    assert filled.status_code == 200, filled.json
    assert officer.post(f"/api/timesheets/{sheet_id}/approve").status_code == 200
    return officer.get(f"/api/timesheets/{sheet_id}/payslip").json


def _correct(officer, timesheet_id, **extras) -> dict:
    correction = officer.post(f"/api/timesheets/{timesheet_id}/corrections",
                              json={"reason": "agreed with the employer"}).json
    officer.put(f"/api/timesheets/{correction['id']}/days",
                json={"days": working_days(), **extras})
    assert officer.post(f"/api/timesheets/{correction['id']}/approve").status_code == 200
    return officer.get(f"/api/timesheets/{correction['id']}/payslip").json


def _unpaid(today=None) -> list[tuple[int, str]]:
    return [(v.evidence["payslip_id"], v.detail)
            for v in violations.worked_without_pay(LAST_MONTH, today=today)]


def test_pay_approved_after_the_confirmation_is_late_pay_to_confirm(app, world, worker,
                                                                    confirmed):
    placement, _inmate, vacancy = worker
    second = factories.placement(factories.inmate(world["institution"]), vacancy,
                                 start_date=placement.start_date)
    employer, officer = ApiClient(app, world["employer_user"]), ApiClient(app, world["officer"])
    first = _approve(officer, placement)
    assert employer.post("/api/employer/payroll/confirmation",
                         json={"month": MONTH}).status_code == 201
    late = _approve(officer, second)
    payroll = employer.get(f"/api/employer/payroll?month={MONTH}").json
    assert payroll["confirmed_at"] is None  # not shown as confirmed
    assert payroll["to_confirm"] == late["gross"]
    lines = {row["payslip_id"]: (row["late"], row["to_confirm"]) for row in payroll["rows"]}
    assert lines == {first["id"]: (False, 0), late["id"]: (True, late["gross"])}
    # A violation until paid, whatever the month's due day.
    assert [payslip for payslip, _detail in _unpaid()] == [late["id"]]
    again = employer.post("/api/employer/payroll/confirmation", json={"month": MONTH})
    assert again.status_code == 201, again.json
    assert [c["total"] for c in again.json["confirmations"]] == [first["gross"], late["gross"]]
    assert again.json["confirmed_at"] is not None and again.json["to_confirm"] == 0
    assert employer.post("/api/employer/payroll/confirmation",
                         json={"month": MONTH}).status_code == 409
    assert _unpaid() == [] and _unpaid(LATER) == []


def test_a_correction_after_the_confirmation_owes_only_the_difference(app, world, worker,
                                                                      confirmed):
    placement, _inmate, _vacancy = worker
    employer, officer = ApiClient(app, world["employer_user"]), ApiClient(app, world["officer"])
    first = _approve(officer, placement)
    employer.post("/api/employer/payroll/confirmation", json={"month": MONTH})
    raised = _correct(officer, first["timesheet_id"], bonus=20_000)
    payroll = employer.get(f"/api/employer/payroll?month={MONTH}").json
    assert payroll["to_confirm"] == raised["gross"] - first["gross"] == 20_000
    assert len(_unpaid()) == 1
    done = employer.post("/api/employer/payroll/confirmation", json={"month": MONTH}).json
    assert [c["total"] for c in done["confirmations"]] == [first["gross"], 20_000]
    # A correction that lowers the pay leaves nothing to pay and nothing to flag.
    lowered = _correct(officer, raised["timesheet_id"], bonus=0)
    assert lowered["gross"] < raised["gross"]
    assert employer.get(f"/api/employer/payroll?month={MONTH}").json["to_confirm"] == 0
    assert _unpaid(LATER) == []


def test_pay_below_the_minimum_shows_what_is_owed_until_it_is_paid(app, world, worker,
                                                                   confirmed):
    placement, _inmate, _vacancy = worker
    placement.monthly_wage = 40_000  # recorded under the minimum before R10 held at start
    db.session.commit()
    employer, officer = ApiClient(app, world["employer_user"]), ApiClient(app, world["officer"])
    below = _approve(officer, placement)
    owed = below["minimum"] - below["gross"]
    assert owed == 45_000
    payroll = employer.get(f"/api/employer/payroll?month={MONTH}").json
    assert payroll["owed_to_minimum"] == owed
    assert [row["owed_to_minimum"] for row in payroll["rows"]] == [owed]
    sheet = employer.get(f"/api/employer/payroll.xlsx?month={MONTH}")
    table = list(openpyxl.load_workbook(io.BytesIO(sheet.data)).active.values)
    assert table[0][-2:] == ("Owed to reach the minimum (R10)", "To confirm")
    assert table[1][-2:] == (owed, below["gross"]) and table[-1][-2:] == (owed, below["gross"])
    client = app.test_client()
    login(client, world["employer_user"])
    page = client.get(f"/pay/payroll?month={MONTH}").get_data(as_text=True)
    assert re.search(r'data-label="Owed to reach the minimum \(R10\)">[^<]*45,000', page)
    # Booked and flagged; paying only the gross does not end it.
    employer.post("/api/employer/payroll/confirmation", json={"month": MONTH})
    assert len(violations.r10_pay_below_minimum(LAST_MONTH)) == 1
    # The amount owed is paid by a correction declaring it, then confirmed.
    raised = _correct(officer, below["timesheet_id"], bonus=owed)
    assert raised["gross"] == raised["minimum"]
    found = violations.r10_pay_below_minimum(LAST_MONTH)
    assert [v.evidence["payslip_id"] for v in found] == [raised["id"]]  # not paid yet
    payroll = employer.get(f"/api/employer/payroll?month={MONTH}").json
    assert payroll["owed_to_minimum"] == 0 and payroll["to_confirm"] == owed
    employer.post("/api/employer/payroll/confirmation", json={"month": MONTH})
    assert violations.r10_pay_below_minimum(LAST_MONTH) == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PayrollConfirmation)) == 2
    assert ops.payroll_view(world["employer"].id, LAST_MONTH)["confirmed_at"] is not None


def test_two_confirmations_at_once_pay_the_month_once(app, shared_database, world,  # noqa: F811
                                                      worker, confirmed, monkeypatch):
    """Two users of the employer confirm the same payroll at the same moment: one
    confirmation (201), the other is told it is already confirmed (409)."""
    placement, _inmate, _vacancy = worker
    _approve(ApiClient(app, world["officer"]), placement)
    colleague = factories.user(Role.EMPLOYER, employer_id=world["employer"].id)
    clients = [ApiClient(app, world["employer_user"]), ApiClient(app, colleague)]

    def lock_then_pause(model, ids):  # widen the race window after the lock
        rows = locks.lock_rows(model, ids)
        time.sleep(0.3)
        return rows

    monkeypatch.setattr(ops, "lock_rows", lock_then_pause)
    barrier, codes = threading.Barrier(2), [None, None]

    def confirm(index):
        with app.app_context():
            barrier.wait()
            codes[index] = clients[index].post("/api/employer/payroll/confirmation",
                                               json={"month": MONTH}).status_code

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(codes) == [201, 409]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PayrollConfirmation)) == 1
