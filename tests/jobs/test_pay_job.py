"""A pay month's booking as a job: the page queues it, the worker books it all or
nothing, and a retry or a second run books nothing twice."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.jobs import queue
from app.jobs.models import Job, JobStatus
from app.jobs.worker import work_once
from app.pay.models import AccountEntry, Payslip, Timesheet, TimesheetStatus
from tests import factories
from tests.factories import ApiClient
from tests.pay.conftest import LAST_MONTH

MONTH = LAST_MONTH.strftime("%Y-%m")


@pytest.fixture
def submitted(app, world, worker, confirmed):
    placement, _inmate, vacancy = worker
    factories.placement(factories.inmate(world["institution"]), vacancy,
                        start_date=placement.start_date)
    employer = ApiClient(app, world["employer_user"])
    employer.post("/api/timesheets/bulk", json={"vacancy_id": vacancy.id, "month": MONTH,
                                                 "hours_per_day": 8})
    for sheet in employer.get(f"/api/timesheets?month={MONTH}").json:
        employer.post(f"/api/timesheets/{sheet['id']}/submit")


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_month_is_booked_by_a_job_and_its_page_says_how_many(
        app, world, submitted, officer_client):
    response = officer_client.post(f"/pay/timesheets/approvals?month={MONTH}",
                                   data={"month": MONTH})
    assert response.status_code == 302 and "/jobs/" in response.location
    assert _count(Payslip) == 0  # nothing booked by the request itself
    work_once(schedule=False)
    assert _count(Payslip) == 2
    page = officer_client.get(response.location).get_data(as_text=True)
    assert "2 timesheets approved." in page


def test_a_booking_that_fails_books_nothing_and_its_retry_books_once(
        app, world, submitted, officer_client, monkeypatch):
    from app.core import bulk

    real_insert = bulk.insert_rows
    calls = []

    def fail_once(table, rows, *args, **kwargs):
        calls.append(table.name)
        if table.name == "account_entries" and calls.count("account_entries") == 1:
            raise OSError("connection lost")
        return real_insert(table, rows, *args, **kwargs)

    monkeypatch.setattr("app.pay.operations.insert_rows", fail_once)
    response = officer_client.post(f"/pay/timesheets/approvals?month={MONTH}",
                                   data={"month": MONTH})
    job_id = int(response.location.rsplit("/", 1)[1])
    work_once(schedule=False)
    db.session.expire_all()
    assert db.session.get(Job, job_id).status == JobStatus.FAILED
    # The payslips were written before the failure: rolled back with the rest.
    assert (_count(Payslip), _count(AccountEntry)) == (0, 0)
    assert db.session.scalars(sa.select(Timesheet.status)).all() == [
        TimesheetStatus.SUBMITTED, TimesheetStatus.SUBMITTED]
    officer_client.post(f"/jobs/{job_id}/retry")
    work_once(schedule=False)
    booked = (_count(Payslip), _count(AccountEntry))
    assert booked[0] == 2 and booked[1] >= 2  # pay credited, deductions paid
    # A second booking of the same month finds nothing left to book.
    officer_client.post(f"/pay/timesheets/approvals?month={MONTH}", data={"month": MONTH})
    work_once(schedule=False)
    assert (_count(Payslip), _count(AccountEntry)) == booked
    assert queue.run_job(job_id) is None


def test_a_month_whose_law_is_not_confirmed_is_refused_with_its_reason(app, world,
                                                                       officer_client):
    from app.jobs.queue import submit

    job_id = submit("pay.approve_month", world["officer"],
                    {"month": LAST_MONTH.isoformat(), "locale": "ru"}).id
    db.session.commit()
    work_once(schedule=False)
    job = db.session.get(Job, job_id)
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("R25: настройки оплаты труда")  # the rule, in Russian
