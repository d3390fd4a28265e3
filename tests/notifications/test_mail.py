"""E-mail of notifications to a real SMTP server in process: sent after the commit, in
the recipient's language, with the page's absolute link; a daily digest for those who
chose it; a failure never breaks the request and the digest sends it later."""

import logging
from datetime import timedelta

import sqlalchemy as sa

from app.core.transactions import after_commit, committing, discard_changes
from app.core.vocabulary import MailChoice
from app.extensions import db
from app.notifications.mail import send_daily_digests
from app.notifications.models import Notification
from tests import factories
from tests.factories import ApiClient
from tests.smtp import Mailbox, deliver_queued, free_port, mail_to

TODAY = factories.TODAY


def _record_finding(app, world, text="Officer Ivanov broke R9 with Aliyev Serik"):
    response = ApiClient(app, world["prosecutor"]).post("/api/monitoring/findings", json={
        "text": text, "kind": "warning", "institution_id": world["institution"].id})
    assert response.status_code == 201
    return response


def _emailed() -> list:
    db.session.expire_all()
    return db.session.scalars(sa.select(Notification.emailed_at)).all()


def test_a_finding_reaches_the_officers_at_once_naming_nobody(app, world, smtp):
    world["officer"].language = "ru"
    db.session.commit()
    _record_finding(app, world)
    assert [rcpt for rcpt, _ in smtp.received] == [[world["officer"].email]]
    message = smtp.received[0][1]
    text = Mailbox.text(message)
    assert message["Subject"].strip() == "Труд и обучение: Прокурор записал замечание"
    assert "http://testserver.kz/monitoring/findings" in text
    assert "Ivanov" not in text and "Aliyev" not in text and "R9" not in text
    assert "http://testserver.kz/account" in text  # where to change the choice
    assert all(_emailed())


def test_the_daily_digest_gathers_the_day_once(app, world, smtp):
    officer = world["officer"]
    officer.mail_choice = MailChoice.DAILY_DIGEST
    db.session.commit()
    for _ in range(3):
        _record_finding(app, world)
    assert smtp.received == []  # not at once
    assert send_daily_digests(TODAY - timedelta(days=1)) == 0  # made today, not yesterday
    assert send_daily_digests(TODAY) == 1
    assert send_daily_digests(TODAY) == 0  # idempotent
    (recipients, message), = smtp.received
    assert recipients == [officer.email] and "3 unread" in message["Subject"]
    assert Mailbox.text(message).count("http://testserver.kz/monitoring/findings") == 3


def test_read_notifications_and_no_email_users_are_left_out_of_digests(app, world, smtp):
    officer = world["officer"]
    officer.mail_choice = MailChoice.DAILY_DIGEST
    world["other_officer"].mail_choice = MailChoice.NO_EMAIL
    db.session.commit()
    _record_finding(app, world)
    ApiClient(app, officer).post("/api/notifications/read")
    assert send_daily_digests(TODAY) == 0 and smtp.received == []


def test_a_mail_server_down_never_breaks_the_request_and_the_digest_retries(
        app, world, caplog):
    with mail_to(app, free_port()), caplog.at_level(logging.ERROR):  # nobody listens there
        _record_finding(app, world)  # 201 all the same, the finding kept
        deliver_queued(app)  # the worker's attempt, after the request
    assert "e-mail of notifications" in caplog.text
    assert _emailed() == [None]
    from tests.smtp import smtp_server

    with smtp_server(app) as mailbox:
        assert send_daily_digests(TODAY) == 1
    assert [rcpt for rcpt, _ in mailbox.received] == [[world["officer"].email]]
    assert _emailed() != [None]


def test_without_a_mail_server_nothing_is_sent_and_the_inbox_works(app, world):
    _record_finding(app, world)
    assert send_daily_digests(TODAY) == 0 and _emailed() == [None]
    answer = ApiClient(app, world["officer"]).get("/api/notifications/unread")
    assert answer.get_json() == {"unread": 1}


def test_the_send_digests_command(app, world, smtp):
    world["officer"].mail_choice = MailChoice.DAILY_DIGEST
    db.session.commit()
    _record_finding(app, world)
    result = app.test_cli_runner().invoke(args=["send-digests", "--day", TODAY.isoformat()])
    assert result.exit_code == 0 and "Digests sent: 1" in result.output
    assert len(smtp.received) == 1


def test_after_commit_runs_only_once_the_work_is_committed(app):
    ran = []
    after_commit(lambda: ran.append("refused"))
    discard_changes()
    with committing():
        after_commit(lambda: ran.append("kept"))
        assert ran == []
    assert ran == ["kept"]


def test_a_failing_after_commit_task_is_logged_not_raised(app, caplog):
    def broken() -> None:
        raise OSError("connection refused")

    with caplog.at_level(logging.ERROR), committing():
        after_commit(broken)
    assert "after-commit task failed" in caplog.text


def test_a_long_digest_lists_fifty_and_counts_the_rest(app, world, smtp):
    from app.notifications.operations import notify

    officer = world["officer"]
    officer.mail_choice = MailChoice.DAILY_DIGEST
    db.session.commit()
    with committing():
        for _ in range(52):
            notify([officer], "finding_recorded", {"institution": "Dolinka"},
                   link="/monitoring/findings")
    assert send_daily_digests(TODAY) == 1
    text = Mailbox.text(smtp.received[0][1])
    assert text.count("/monitoring/findings") == 50
    assert "... and 2 more in your inbox: http://testserver.kz/notifications/" in text
    assert None not in _emailed()  # all 52 counted as e-mailed: the inbox has them
