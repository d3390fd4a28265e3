"""National exports as jobs (app/monitoring/export_jobs.py): a reader of the whole
country is offered a job, not a file built in the request; the job builds the same
table in that reader's scope, its page shows the file to that reader only. A reader
of a region still gets the file at once."""

import csv
import io

import sqlalchemy as sa

from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.worker import work_once
from app.monitoring.export_jobs import KIND


def _rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_national_export_is_a_job_whose_file_only_its_owner_gets(
        app, world, national_prosecutor_client, prosecutor_client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_FOLDER", str(tmp_path))
    offer = national_prosecutor_client.get("/monitoring/export/rates.csv")
    assert offer.status_code == 200 and "text/html" in offer.content_type
    # a GET writes nothing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0

    queued = national_prosecutor_client.post("/monitoring/export/rates.csv", data={})
    assert queued.status_code == 302 and "/jobs/" in queued.location
    job = db.session.scalar(sa.select(Job).where(Job.kind == KIND))
    job_id = job.id
    assert job.status == JobStatus.QUEUED
    assert not list(tmp_path.glob("**/*.csv"))  # nothing built by the request

    work_once(schedule=False)
    page = national_prosecutor_client.get(queued.location).get_data(as_text=True)
    assert f"/monitoring/export/jobs/{job_id}" in page
    got = national_prosecutor_client.get(f"/monitoring/export/jobs/{job_id}")
    assert got.status_code == 200 and "attachment" in got.headers["Content-Disposition"]
    rows = _rows(got.data)
    institutions = {row[2] for row in rows[1:] if row[1] == "institution"}
    assert {"AK-159/20", "AP-162/3"} <= institutions  # the whole country
    # Somebody else's file, even a prosecutor's: as absent as one that never was
    assert prosecutor_client.get(f"/monitoring/export/jobs/{job_id}").status_code == 404


def test_a_regional_reader_gets_the_file_at_once(app, world, prosecutor_client):
    got = prosecutor_client.get("/monitoring/export/rates.csv")
    assert got.status_code == 200 and "attachment" in got.headers["Content-Disposition"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_bad_arguments_are_refused_before_any_job(app, world, national_prosecutor_client):
    answer = national_prosecutor_client.post("/monitoring/export/violations.csv",
                                             data={"start": "not a day"})
    assert answer.status_code == 422 and "Not a valid date" in answer.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_an_export_job_of_the_audit_trail_as_an_administrator(
        app, world, admin_client, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_FOLDER", str(tmp_path))
    queued = admin_client.post("/monitoring/export/audit.xlsx", data={})
    work_once(schedule=False)
    job = db.session.scalar(sa.select(Job).where(Job.kind == KIND))
    assert job.status == JobStatus.FINISHED, job.error
    got = admin_client.get(f"/monitoring/export/jobs/{job.id}")
    assert got.status_code == 200 and got.data[:2] == b"PK"  # an XLSX file
    assert queued.status_code == 302
