"""A timesheet file over the page's size for the request is checked and written by a
job (app/pay/import_jobs.py): the request only stashes it; the job reports its rows as
it goes and writes all or nothing."""

import io

import sqlalchemy as sa

from app.extensions import db
from app.jobs import queue
from app.jobs.models import Job, JobStatus
from app.jobs.worker import work_once
from app.pay import import_jobs
from app.pay.models import Timesheet
from policy import pay as law
from tests.pay.conftest import LAST_MONTH, working_days
from tests.pay.test_import_and_pages import MONTH, _sheet


def _post(client, data: bytes, dry_run: bool = False):
    return client.post("/pay/timesheets/import", data={
        "month": MONTH, "dry_run": "true" if dry_run else "false",
        "file": (io.BytesIO(data), "sheet.csv")}, content_type="multipart/form-data")


def _timesheets() -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Timesheet))


def test_a_large_file_is_imported_by_a_job_with_its_rows_as_progress(
        app, world, worker, confirmed, employer_client, monkeypatch, tmp_path):
    monkeypatch.setattr(import_jobs, "JOB_FROM_BYTES", 0)  # every file is "large"
    monkeypatch.setitem(app.config, "JOBS_FOLDER", str(tmp_path))
    told = []
    real_step = queue.Progress.step
    monkeypatch.setattr(queue.Progress, "step", lambda self, done, total=None, phase="",
                        label="": told.append((done, total, phase))
                        or real_step(self, done, total, phase, label))
    placement, _inmate, _vacancy = worker
    good = {"placement_id": placement.id, **{n: "8" for n in working_days()}, "bonus": "500"}

    answer = _post(employer_client, _sheet([good]))
    assert answer.status_code == 302 and "/jobs/" in answer.location
    assert _timesheets() == 0  # the request wrote nothing
    work_once(schedule=False)

    job = db.session.scalar(sa.select(Job).where(Job.kind == import_jobs.KIND))
    assert job.status == JobStatus.FINISHED and job.result["committed"] is True
    assert (1, 1, "rows") in told  # the row, reported as it went
    sheet = db.session.scalar(sa.select(Timesheet))
    assert sheet.total_hours == 8 * law.working_days(LAST_MONTH) and sheet.bonus == 500
    page = employer_client.get(answer.location).get_data(as_text=True)
    assert "Imported: 1 added" in page or "1 rows read" in page


def test_a_file_with_problems_writes_nothing_and_the_job_lists_them(
        app, world, worker, confirmed, employer_client, monkeypatch, tmp_path):
    monkeypatch.setattr(import_jobs, "JOB_FROM_BYTES", 0)
    monkeypatch.setitem(app.config, "JOBS_FOLDER", str(tmp_path))
    placement, _inmate, _vacancy = worker
    good = {"placement_id": placement.id, **{n: "8" for n in working_days()}}
    answer = _post(employer_client, _sheet([good, {"placement_id": 999999, "1": "8"}]))
    work_once(schedule=False)
    assert _timesheets() == 0
    job = db.session.scalar(sa.select(Job).where(Job.kind == import_jobs.KIND))
    assert job.status == JobStatus.FINISHED and job.result["problem_count"] == 1
    page = employer_client.get(answer.location).get_data(as_text=True)
    assert "placement_id" in page and "nothing was written" in page


def test_a_small_file_is_still_imported_at_once(app, world, worker, confirmed,
                                                employer_client):
    placement, _inmate, _vacancy = worker
    good = {"placement_id": placement.id, **{n: "8" for n in working_days()}}
    answer = _post(employer_client, _sheet([good]))
    assert answer.status_code == 302 and "/jobs/" not in answer.location
    assert _timesheets() == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0
