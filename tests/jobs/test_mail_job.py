"""E-mail "at once" is a job (app/mail_jobs.py): the request that made the notification
only queues it, with the notification, in its transaction; a worker (the embedded
one, or RQ's on Redis) sends it to a real SMTP server (aiosmtpd)."""

import sqlalchemy as sa

from app.core.transactions import committing
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.mail_jobs import KIND
from app.notifications.models import Notification
from tests.factories import ApiClient
from tests.jobs.conftest import run_rq_burst
from tests.smtp import Mailbox


def _record_finding(app, world) -> None:
    response = ApiClient(app, world["prosecutor"]).post("/api/monitoring/findings", json={
        "text": "Officer Ivanov broke R9", "kind": "warning",
        "institution_id": world["institution"].id})
    assert response.status_code == 201


def _mail_jobs() -> list[Job]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Job).where(Job.kind == KIND)))


def test_the_request_queues_the_email_and_the_worker_sends_it(app, world, smtp,
                                                             prosecutor_client):
    _record_finding(app, world)
    assert smtp.arrived == []  # nothing sent by the request itself
    job, = _mail_jobs()
    assert job.status == JobStatus.QUEUED and job.user_id is None  # the system's own
    note = db.session.scalar(sa.select(Notification))
    assert job.params == {"ids": [note.id]} and note.emailed_at is None

    (recipients, message), = smtp.received  # a worker's turn, then the mailbox
    assert recipients == [world["officer"].email]
    assert "finding" in Mailbox.text(message).lower()
    job, = _mail_jobs()
    assert job.status == JobStatus.FINISHED and job.result == {"notifications": 1, "sent": 1}
    assert db.session.get(Notification, note.id).emailed_at is not None
    # Nobody's job: on no list, no page
    assert prosecutor_client.get(f"/jobs/{job.id}").status_code == 404
    # Run again (a redelivery): nothing is sent twice
    db.session.execute(sa.update(Job).values(status=JobStatus.QUEUED))
    db.session.commit()
    assert len(smtp.received) == 1


def test_a_change_rolled_back_queues_no_email(app, world, smtp):
    from app.core.transactions import discard_changes
    from app.notifications.operations import notify

    notify([world["officer"]], "finding_recorded", {"institution": "Dolinka"},
           link="/monitoring/findings")
    discard_changes()
    assert _mail_jobs() == [] and smtp.received == []


def test_no_job_when_nobody_wants_email_at_once(app, world, smtp):
    from app.core.vocabulary import MailChoice
    from app.notifications.operations import notify

    world["officer"].mail_choice = MailChoice.DAILY_DIGEST
    db.session.commit()
    with committing():
        notify([world["officer"]], "finding_recorded", {"institution": "Dolinka"},
               link="/monitoring/findings")
    assert _mail_jobs() == []


def test_on_redis_an_rq_worker_sends_it(app, world, smtp, redis_jobs):
    _record_finding(app, world)
    assert smtp.arrived == []
    run_rq_burst(app)
    assert [rcpt for rcpt, _message in smtp.arrived] == [[world["officer"].email]]
    assert _mail_jobs()[0].status == JobStatus.FINISHED
