"""Match runs of several institutions as one job (app/placements/jobs.py): an
administrator starts it, the request runs nothing, the job stores one run per
institution with each institution as its progress, all or nothing."""

import sqlalchemy as sa

from app.auth.models import User
from app.core.vocabulary import Role
from app.extensions import db
from app.jobs import queue
from app.jobs.models import Job, JobStatus
from app.jobs.worker import work_once
from app.placements.jobs import KIND
from app.placements.models import MatchRun


def _runs() -> list[int]:
    """The institutions of the runs stored after the scene's own (made by its fixture)."""
    db.session.expire_all()
    return list(db.session.scalars(sa.select(MatchRun.institution_id).where(
        MatchRun.started_by_id.in_(sa.select(User.id).where(User.role == Role.ADMIN)))
        .order_by(MatchRun.id)))


def test_an_administrator_runs_every_institution_as_a_job(app, world, scene, admin_client,
                                                          officer_client, monkeypatch):
    scene.vacancy(positions=2)
    scene.inmate()
    ids = sorted([world["institution"].id, world["other_institution"].id])
    told = []
    real_step = queue.Progress.step
    monkeypatch.setattr(queue.Progress, "step", lambda self, done, total=None, phase="",
                        label="": told.append((done, total, label))
                        or real_step(self, done, total, phase, label))
    assert "every institution" in admin_client.get("/placements/runs").get_data(as_text=True)

    answer = admin_client.post("/placements/runs/institutions")
    assert answer.status_code == 302 and "/jobs/" in answer.location
    assert _runs() == []  # nothing run by the request
    work_once(schedule=False)

    assert sorted(_runs()) == ids
    assert [(done, total) for done, total, label in told if label] == [(0, 2), (1, 2)]
    assert "AK-159/20" in " ".join(label for _d, _t, label in told)
    job = db.session.scalar(sa.select(Job).where(Job.kind == KIND))
    assert job.status == JobStatus.FINISHED and len(job.result["runs"]) == 2
    page = admin_client.get(answer.location).get_data(as_text=True)
    assert "2 match runs stored." in page and "AP-162/3" in page
    assert officer_client.post("/placements/runs/institutions").status_code == 403


def test_a_failure_in_one_institution_stores_no_run(app, world, scene, admin_client,
                                                    monkeypatch):
    from app.placements import operations

    real_start = operations.start_run
    calls = []

    def fail_second(institution, started_by_id, day=None):
        calls.append(institution.id)
        if len(calls) == 2:
            raise RuntimeError("the solver crashed")
        return real_start(institution, started_by_id, day)

    monkeypatch.setattr(operations, "start_run", fail_second)
    admin_client.post("/placements/runs/institutions")
    work_once(schedule=False)
    assert _runs() == []  # the first institution's run rolled back with the rest
    job = db.session.scalar(sa.select(Job).where(Job.kind == KIND))
    assert job.status == JobStatus.FAILED and "the solver crashed" in job.error


def test_chosen_institutions_only_and_unknown_ones_refused(app, world, scene, admin_client):
    home = world["institution"].id
    admin_client.post("/placements/runs/institutions", data={"institution_id": str(home)})
    work_once(schedule=False)
    assert _runs() == [home]
    assert admin_client.post("/placements/runs/institutions",
                             data={"institution_id": "999999"}).status_code == 404
