"""Jobs: progress and result pages, all or nothing, failure with its reason, retry
that never books twice, a dead worker, and the same pages with RQ on Redis."""

import io
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.vocabulary import Role
from app.extensions import db
from app.inmates import spreadsheets
from app.inmates.models import Inmate
from app.institutions.models import Region
from app.jobs import progress, queue
from app.jobs.models import Job, JobStatus
from app.jobs.worker import work_once
from tests import factories
from tests.inmates.test_spreadsheets import csv_file, rows
from tests.jobs.conftest import run_rq_burst

ATTEMPTS: list[int] = []


def _flaky(job, step):
    """Writes a region, then fails on its first attempt only."""
    db.session.add(Region(name=f"Region of job {job.id}"))
    db.session.flush()
    step.step(1, 2)
    ATTEMPTS.append(job.id)
    if len(ATTEMPTS) == 1:
        raise RuntimeError("the disk is full")
    return {"regions": 1}


queue.register_kind("test.flaky", _l("Test"), _flaky, "jobs/progress.html")


@pytest.fixture(autouse=True)
def _fresh_attempts():
    ATTEMPTS.clear()


def _regions() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Region))


def _big_upload(app, monkeypatch, client, n=30, action="commit"):
    """A file over the page's byte limit: the page makes it a job."""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 300)
    return client.post("/inmates/import", data={
        "kind": "inmates", "action": action,
        "file": (io.BytesIO(csv_file(rows(n))), "big.csv")}, content_type="multipart/form-data")


def _job(job_id=None) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id) if job_id else db.session.scalars(
        sa.select(Job).order_by(Job.id.desc())).first()


def test_a_large_import_becomes_a_job_with_a_progress_page_then_a_result(
        app, monkeypatch, officer_client, world):
    response = _big_upload(app, monkeypatch, officer_client)
    assert response.status_code == 302 and "/jobs/" in response.location
    job = _job()
    assert (job.kind, job.status, job.user_id) == ("inmates.import", JobStatus.QUEUED,
                                                   world["officer"].id)
    job_id = job.id
    page = officer_client.get(response.location).get_data(as_text=True)
    # Without script the page reloads itself; with script, a file of the site asks.
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert "js/job-progress.js" in page and "<script>" not in page
    assert officer_client.get(f"/jobs/{job_id}/progress").json["status"] == "queued"

    work_once(schedule=False)

    assert _job(job_id).status == JobStatus.FINISHED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Inmate)) == 30
    result = officer_client.get(response.location).get_data(as_text=True)
    assert "Imported: 30 added, 0 updated." in result and "http-equiv" not in result
    assert f"/jobs/{job_id}" in officer_client.get("/jobs/").get_data(as_text=True)


def test_a_check_job_writes_nothing_then_its_file_is_imported_by_a_second_job(
        app, monkeypatch, officer_client, world):
    _big_upload(app, monkeypatch, officer_client, n=5, action="check")
    work_once(schedule=False)
    check = _job()
    assert check.result["to_create"] == 5 and check.result["written"] is False
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Inmate)) == 0
    page = officer_client.get(f"/jobs/{check.id}").get_data(as_text=True)
    assert "The file is valid: 5 to add, 0 to update." in page
    assert officer_client.post(f"/inmates/import/jobs/{check.id + 99}/commit").status_code == 404
    go = officer_client.post(f"/inmates/import/jobs/{check.id}/commit")
    assert go.status_code == 302
    work_once(schedule=False)
    assert _job().result["committed"] is True
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Inmate)) == 5


def test_a_bad_row_in_a_job_writes_nothing_and_is_listed(app, monkeypatch, officer_client,
                                                        world):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    data = rows(40)
    data[33]["birth_date"] = "not a date"
    officer_client.post("/inmates/import", data={
        "kind": "inmates", "action": "commit",
        "file": (io.BytesIO(csv_file(data)), "big.csv")}, content_type="multipart/form-data")
    work_once(schedule=False)
    job = _job()
    assert job.status == JobStatus.FINISHED and job.result["problem_count"] == 1
    assert job.result["problems"][0]["row"] == 35
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Inmate)) == 0


def test_over_the_page_row_limit_becomes_a_job(app, monkeypatch, officer_client, world):
    monkeypatch.setattr(spreadsheets, "WEB", spreadsheets.ReadLimits(max_rows=10))
    response = officer_client.post("/inmates/import", data={
        "kind": "inmates", "action": "commit",
        "file": (io.BytesIO(csv_file(rows(12))), "twelve.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 302 and "/jobs/" in response.location
    work_once(schedule=False)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Inmate)) == 12


def _submit_flaky(user) -> Job:
    job = queue.submit("test.flaky", user, {"locale": "en"})
    db.session.commit()
    return job


def test_a_failed_job_wrote_nothing_shows_its_reason_and_a_retry_books_once(
        app, officer_client, world):
    job_id = _submit_flaky(world["officer"]).id
    before = _regions()
    work_once(schedule=False)
    job = _job(job_id)
    assert job.status == JobStatus.FAILED and "the disk is full" in job.error
    assert _regions() == before  # its region was rolled back
    page = officer_client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "the disk is full" in page and "Try again" in page

    assert officer_client.post(f"/jobs/{job_id}/retry").status_code == 302
    assert _job(job_id).status == JobStatus.QUEUED
    work_once(schedule=False)
    assert _job(job_id).status == JobStatus.FINISHED and _regions() == before + 1
    # A finished job cannot be retried, and queueing it again runs nothing.
    officer_client.post(f"/jobs/{job_id}/retry")
    assert queue.run_job(job_id) is None
    work_once(schedule=False)
    assert _regions() == before + 1 and _job(job_id).attempt == 2


def test_a_job_whose_worker_died_is_failed_and_its_late_end_writes_nothing(app, world):
    job_id, before = _submit_flaky(world["officer"]).id, _regions()
    attempt = queue.claim(job_id)  # a worker took it, then died: no heartbeat
    db.session.execute(sa.update(Job).where(Job.id == job_id).values(
        started_at=_job(job_id).started_at - timedelta(seconds=600)))
    db.session.commit()
    progress.write_job(job_id, beat=time.time() - 600)
    assert queue.reap_stale() == 1
    db.session.commit()
    assert _job(job_id).status == JobStatus.FAILED
    assert _job(job_id).error == queue.WORKER_STOPPED
    # The dead worker's attempt, were it to end now, may not finish the job.
    db.session.add(Region(name="late write"))
    assert queue._finish(job_id, attempt, JobStatus.FINISHED, result={}) is None
    assert _regions() == before and _job(job_id).status == JobStatus.FAILED


def test_a_job_with_a_recent_heartbeat_is_not_taken_for_dead(app, world):
    job_id = _submit_flaky(world["officer"]).id
    queue.claim(job_id)
    progress.write_job(job_id, beat=time.time())
    assert queue.reap_stale() == 0


def test_only_its_owner_sees_a_job(app, officer_client, other_officer_client, admin_client,
                                   world):
    job_id = _submit_flaky(world["officer"]).id
    assert officer_client.get(f"/jobs/{job_id}").status_code == 200
    for client in (other_officer_client, admin_client):
        assert client.get(f"/jobs/{job_id}").status_code == 404
        assert client.get(f"/jobs/{job_id}/progress").status_code == 404
        assert client.post(f"/jobs/{job_id}/retry").status_code == 404


def test_progress_gives_done_total_rate_and_time_left(app, officer_client, world):
    job_id = _submit_flaky(world["officer"]).id
    queue.claim(job_id)
    progress.write_job(job_id, done=500, total=2000, started=time.time() - 10,
                       beat=time.time())
    state = officer_client.get(f"/jobs/{job_id}/progress").json
    assert (state["done"], state["total"], state["percent"]) == (500, 2000, 25)
    assert state["rate"] == pytest.approx(50, rel=0.1)
    assert state["seconds_left"] == pytest.approx(30, rel=0.1)
    page = officer_client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "2,000" in page and 'value="25"' in page


def test_the_progress_is_written_at_least_every_two_seconds(app, world):
    """The heartbeat beats while a step of the work is long and silent."""
    ages = []

    def slow(job, step):
        for _ in range(20):
            time.sleep(0.25)
            ages.append(time.time() - progress.job_record(job.id)["beat"])
        return {}

    queue.register_kind("test.slow", _l("Slow"), slow, "jobs/progress.html")
    job = queue.submit("test.slow", world["officer"], {})
    db.session.commit()
    queue.run_job(job.id)
    assert len(ages) == 20 and max(ages) <= 2.0


def test_the_heartbeat_beats_while_the_outcome_is_committed(app, world, monkeypatch):
    """A big job's commit is long too (a national pay month's took over a second):
    the heartbeat stops only once the outcome is committed."""
    ages, commits = [], []
    commit = queue.commit_outside_request

    def slow_commit():  # the first commit is the claim's, before the job runs
        commits.append(1)
        for _ in range(10 if len(commits) == 2 else 0):
            time.sleep(0.25)
            ages.append(time.time() - progress.job_record(job.id)["beat"])
        commit()

    queue.register_kind("test.quick", _l("Quick"), lambda job, step: {}, "jobs/progress.html")
    job = queue.submit("test.quick", world["officer"], {})
    db.session.commit()
    monkeypatch.setattr(queue, "commit_outside_request", slow_commit)
    assert queue.run_job(job.id) == JobStatus.FINISHED
    assert len(ages) == 10 and max(ages) <= 2 * progress.HEARTBEAT_SECONDS


# --- on Redis, with an RQ worker ------------------------------------------------------------

def test_with_redis_an_rq_worker_runs_the_import_job(app, monkeypatch, officer_client, world,
                                                      redis_jobs):
    response = _big_upload(app, monkeypatch, officer_client, n=25)
    job = _job()
    job_id = job.id
    assert job.status == JobStatus.QUEUED
    assert queue.rq_queue(redis_jobs).count == 1
    run_rq_burst(app)
    assert _job(job_id).status == JobStatus.FINISHED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Inmate)) == 25
    assert "Imported: 25 added" in officer_client.get(response.location).get_data(as_text=True)
    # The progress lived in Redis, under the test's own prefix.
    assert progress.job_record(job_id)["done"] == 25


def test_with_redis_a_failed_job_is_retried_once(app, officer_client, world, redis_jobs):
    job_id = _submit_flaky(world["officer"]).id
    before = _regions()
    run_rq_burst(app)
    assert _job(job_id).status == JobStatus.FAILED and _regions() == before
    officer_client.post(f"/jobs/{job_id}/retry")
    queue.enqueue(job_id)  # queued twice (a double click, a replay): runs once
    run_rq_burst(app)
    assert _job(job_id).status == JobStatus.FINISHED and _regions() == before + 1
    assert len(ATTEMPTS) == 2


def test_the_embedded_worker_runs_jobs_of_every_role(app, world, admin_client):
    factories.user(Role.ADMIN)
    job_id = _submit_flaky(world["admin"]).id
    work_once(schedule=False)
    work_once(schedule=False)
    assert _job(job_id).status == JobStatus.FAILED


def test_the_pages_only_read_even_a_dead_worker_s_job(app, officer_client, world):
    """Marking a dead worker's job failed is the scheduler's or the worker's turn."""
    job_id = _submit_flaky(world["officer"]).id
    queue.claim(job_id)
    db.session.execute(sa.update(Job).where(Job.id == job_id).values(
        started_at=_job(job_id).started_at - timedelta(seconds=600)))
    db.session.commit()
    officer_client.get(f"/jobs/{job_id}")
    officer_client.get("/jobs/")
    assert _job(job_id).status == JobStatus.RUNNING
    work_once(schedule=False)
    assert _job(job_id).status == JobStatus.FAILED
