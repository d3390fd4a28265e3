"""What pay tells the businesses (R24): a timesheet returned by the institution, and
the month's deadline for the timesheets not yet submitted, once per month. Neither
names the worker."""

import sqlalchemy as sa

from app.core.transactions import committing
from app.extensions import db
from app.notifications.models import Notification
from app.pay.deadlines import notify_timesheet_deadline
from policy import pay as law
from tests.factories import ApiClient
from tests.pay.conftest import LAST_MONTH, working_days
from tests.smtp import Mailbox

MONTH = LAST_MONTH.strftime("%Y-%m")
THIS_MONTH = law.next_month(LAST_MONTH)


def _notes(user) -> list[Notification]:
    return list(db.session.scalars(sa.select(Notification).where(
        Notification.user_id == user.id).order_by(Notification.id)))


def _submitted(app, world, placement) -> tuple[ApiClient, int]:
    employer = ApiClient(app, world["employer_user"])
    sheet_id = employer.post("/api/timesheets", json={"placement_id": placement.id,
                                                      "month": MONTH}).json["id"]
    employer.put(f"/api/timesheets/{sheet_id}/days", json={"days": working_days()})
    assert employer.post(f"/api/timesheets/{sheet_id}/submit").status_code == 200
    return employer, sheet_id


def test_a_returned_timesheet_reaches_the_business(app, world, worker, smtp):
    placement, inmate, vacancy = worker
    _employer, sheet_id = _submitted(app, world, placement)
    officer = ApiClient(app, world["officer"])
    assert officer.post(f"/api/timesheets/{sheet_id}/return").status_code == 200
    note, = _notes(world["employer_user"])
    assert note.kind == "timesheet_returned" and note.link == f"/pay/timesheets/{sheet_id}"
    text = Mailbox.text(smtp.to(world["employer_user"].email)[0])
    assert vacancy.title in text and f"http://testserver.kz/pay/timesheets/{sheet_id}" in text
    assert inmate.last_name not in text and inmate.first_name not in text
    assert _notes(world["officer"]) == []


def test_the_month_deadline_is_told_once_to_a_business_with_timesheets_missing(
        app, world, worker):
    for day in (THIS_MONTH, THIS_MONTH.replace(day=2)):
        with committing():
            notify_timesheet_deadline(day)
    note, = _notes(world["employer_user"])
    assert note.kind == "timesheet_deadline" and note.params["count"] == 1
    assert note.params["month"] == {"month": LAST_MONTH.isoformat()}
    assert note.link == f"/pay/timesheets?month={MONTH}"


def test_no_deadline_notice_when_every_timesheet_is_submitted(app, world, worker):
    _submitted(app, world, worker[0])
    with committing():
        assert notify_timesheet_deadline(THIS_MONTH) == 0
