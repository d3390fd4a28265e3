"""A pay month's booking job tells its page every step it goes through, not only its
start and end; the page shows the step in the user's language."""

from app.jobs import queue
from app.jobs.worker import work_once
from app.pay.operations import BOOKING_STEPS
from tests.jobs.test_pay_job import MONTH, submitted  # noqa: F401  (the month to book)


def test_the_booking_reports_each_step_in_order(app, world, submitted,  # noqa: F811
                                                officer_client, monkeypatch):
    told = []
    real_step = queue.Progress.step

    def recording(self, done, total=None, phase="", label=""):
        told.append((done, total, label))
        return real_step(self, done, total, phase, label)

    monkeypatch.setattr(queue.Progress, "step", recording)
    officer_client.post(f"/pay/timesheets/approvals?month={MONTH}", data={"month": MONTH})
    work_once(schedule=False)

    steps = [label for _done, _total, label in told if label]
    assert steps[0].startswith("step 1 of 7: Computing pay")
    named = [next(str(name) for name in BOOKING_STEPS if label.endswith(str(name)))
             for label in steps]
    assert list(dict.fromkeys(named)) == [str(name) for name in BOOKING_STEPS]
    counts = [(done, total) for done, total, label in told if label]
    assert counts[-1] == (2 * 7, 2 * 7)  # two timesheets, each counted once per step
    assert [done for done, _ in counts] == sorted(done for done, _ in counts)


def test_the_page_shows_the_step_in_the_users_language(app, world, officer_client):
    from app.extensions import db
    from app.jobs import progress
    from app.jobs.queue import submit

    job = submit("pay.approve_month", world["officer"], {"month": "2026-01-01"})
    db.session.commit()
    db.session.execute(db.update(type(job)).where(type(job).id == job.id)
                       .values(status="running"))
    db.session.commit()
    progress.write_job(job.id, done=3, total=14, label="шаг 2 из 7: Запись расчётных листков",
                       started=1.0, beat=2.0)
    page = officer_client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "шаг 2 из 7: Запись расчётных листков" in page
    assert officer_client.get(f"/jobs/{job.id}/progress").json["step"].startswith("шаг 2")
