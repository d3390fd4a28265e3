"""A national planner ranking is a job (app/planner/jobs.py): the page offers it, the
job solves institution by institution with each as its progress, and its page shows
the ranking to its owner only; a regional prosecutor is answered in the request."""

import sqlalchemy as sa

from app.extensions import db
from app.jobs import queue
from app.jobs.models import Job, JobStatus
from app.jobs.worker import work_once
from app.planner.jobs import KIND
from tests.planner.test_planner_app import towns  # noqa: F401  (two institutions with welders)


def test_the_national_ranking_runs_as_a_job_institution_by_institution(
        app, towns, admin_client, prosecutor_client, monkeypatch):  # noqa: F811
    told = []
    real_step = queue.Progress.step
    monkeypatch.setattr(queue.Progress, "step", lambda self, done, total=None, phase="",
                        label="": told.append((done, total, label))
                        or real_step(self, done, total, phase, label))
    page = admin_client.get("/planner/?trade=welder&positions=10").get_data(as_text=True)
    assert "Rank the institutions" in page and "AP-162/3" not in page  # nothing solved yet
    queued = admin_client.post("/planner/rankings", data={"trade": "welder", "positions": "10"})
    assert queued.status_code == 302
    job = db.session.scalar(sa.select(Job).where(Job.kind == KIND))
    job_id = job.id
    assert job.status == JobStatus.QUEUED

    work_once(schedule=False)

    labels = [label for _done, _total, label in told if label]
    assert any(label.startswith("AK-159/20") for label in labels)
    assert any(label.startswith("AP-162/3") for label in labels)
    assert (0, 2) in [(done, total) for done, total, _ in told]
    html = admin_client.get(queued.location).get_data(as_text=True)
    assert "AK-159/20" in html and "AP-162/3" in html
    assert prosecutor_client.get(f"/jobs/{job_id}").status_code == 404  # not theirs


def test_bad_arguments_are_refused_before_any_job(app, towns, admin_client):  # noqa: F811
    answer = admin_client.post("/planner/rankings", data={"trade": "welder", "positions": "0"})
    assert answer.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0


def test_a_regional_prosecutor_gets_the_ranking_at_once(app, towns,  # noqa: F811
                                                      prosecutor_client):
    page = prosecutor_client.get("/planner/?trade=welder&positions=10")
    assert page.status_code == 200 and "AK-159/20" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0
