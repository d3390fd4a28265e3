"""The daily schedule: each task once per Kazakhstan day, recorded, catching up the
days missed, a failure recorded and tried again, and the administrators' page."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.jobs import schedule
from app.jobs.models import ScheduleRun
from app.reintegration import operations as reintegration
from tests import factories

DAY = date(2026, 3, 10)
done_days: list[date] = []
FAILING = {"on": None}


def _counting(day: date) -> dict:
    if FAILING["on"] == day:
        raise RuntimeError("the mail server is down")
    done_days.append(day)
    return {"day": day.isoformat()}


@pytest.fixture
def only_counting(monkeypatch):
    """The schedule with one test task instead of the product's."""
    done_days.clear()
    FAILING["on"] = None
    monkeypatch.setattr(schedule, "TASKS", {})
    schedule.register_daily("count", _l("Count"), _counting)


def _runs() -> list[tuple[str, date, bool]]:
    db.session.expire_all()
    return [(r.task, r.day, r.ok) for r in db.session.scalars(
        sa.select(ScheduleRun).order_by(ScheduleRun.day))]


def test_a_task_runs_once_a_day_and_records_what_it_did(app, only_counting):
    schedule.run_due(DAY)
    schedule.run_due(DAY)
    assert done_days == [DAY] and _runs() == [("count", DAY, True)]
    run = db.session.scalar(sa.select(ScheduleRun))
    assert run.summary == {"day": "2026-03-10"} and run.finished_at is not None


def test_the_days_missed_are_caught_up_oldest_first(app, only_counting):
    schedule.run_due(DAY)
    schedule.run_due(DAY + timedelta(days=3))
    assert done_days == [DAY + timedelta(days=n) for n in range(4)]


def test_catching_up_is_bounded(app, only_counting):
    app.config["SCHEDULE_CATCH_UP_DAYS"], kept = 5, app.config["SCHEDULE_CATCH_UP_DAYS"]
    try:
        schedule.run_due(DAY)
        schedule.run_due(DAY + timedelta(days=100))
    finally:
        app.config["SCHEDULE_CATCH_UP_DAYS"] = kept
    assert done_days == [DAY] + [DAY + timedelta(days=n) for n in range(96, 101)]


def test_a_failure_is_recorded_stops_the_catch_up_and_is_tried_again(app, only_counting):
    schedule.run_due(DAY)
    FAILING["on"] = DAY + timedelta(days=1)
    schedule.run_due(DAY + timedelta(days=2))
    assert done_days == [DAY]
    failed = db.session.scalar(sa.select(ScheduleRun).where(~ScheduleRun.ok))
    assert failed.day == DAY + timedelta(days=1) and "mail server" in failed.error
    FAILING["on"] = None
    schedule.run_due(DAY + timedelta(days=2))
    assert done_days == [DAY, DAY + timedelta(days=1), DAY + timedelta(days=2)]
    assert all(ok for _task, _day, ok in _runs()) and len(_runs()) == 3


def test_a_day_done_by_another_scheduler_is_not_done_again(app, only_counting):
    task = schedule.TASKS["count"]
    assert schedule.run_task(task, DAY) is not None
    assert schedule.run_task(task, DAY) is None  # the unique (task, day) refuses it
    assert done_days == [DAY] and _runs() == [("count", DAY, True)]  # claimed before the work


def test_the_day_is_kazakhstan_s(app, only_counting, time_machine):
    """At 20:30 UTC it is already tomorrow in Kazakhstan (UTC+5)."""
    time_machine.move_to(datetime(2026, 3, 10, 20, 30, tzinfo=UTC), tick=False)
    schedule.run_due()
    assert done_days == [date(2026, 3, 11)]


def test_run_daily_command(app, only_counting):
    output = app.test_cli_runner().invoke(args=["run-daily", "--day", "2026-03-10"]).output
    assert "count 2026-03-10: {'day': '2026-03-10'}" in output


def test_the_product_s_tasks_run_and_open_release_plans(app, world):
    names = set(schedule.TASKS)
    assert {"open-release-plans", "medical-reviews", "risk-assessments-due", "referrals-overdue",
            "outcome-checks-due", "timesheets-late", "pay-month-close"} <= names
    today = date(2026, 3, 10)
    soon = factories.inmate(world["institution"], release_date=today + timedelta(days=40),
                            fitness_review_date=today + timedelta(days=3))
    soon.convicted_on = soon.admission_date = today - timedelta(days=31)  # R27: due by day 30
    db.session.commit()
    runs = {run.task: run for run in schedule.run_due(today)}
    assert all(run.ok for run in runs.values()), {r.task: r.error for r in runs.values()}
    assert runs["open-release-plans"].summary == {"opened": 1}
    assert reintegration.plan_of(soon.id).opened_on == today
    assert runs["medical-reviews"].summary["lapsing"] == 1
    assert runs["risk-assessments-due"].summary == {
        "overdue": 1, "overdue_by_institution": {str(world["institution"].id): 1}}  # JSON keys
    assert schedule.run_due(today) == []  # all done for the day


def test_administrators_see_the_schedule_and_its_last_runs(app, only_counting, admin_client,
                                                           officer_client):
    schedule.run_due(DAY)
    page = admin_client.get("/admin/schedule/").get_data(as_text=True)
    assert "count" in page and "2026-03-10" in page
    assert officer_client.get("/admin/schedule/").status_code == 403
