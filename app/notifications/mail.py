"""E-mail of notifications through Flask-Mailman to the SMTP server of the settings
(MAIL_SERVER, MAIL_PORT, ...; no server set: no e-mail, the inbox still works).

Each e-mail is written in the recipient's language, says what happened and links to
the page (PUBLIC_URL + the notification's path); a notification's text names no
person (messages.py), so neither does its e-mail. An e-mail "at once" is sent by a
job (app/mail_jobs.py) queued with the notifications, never inside the request that
made them; a failure never undoes the change that caused it. It is logged, the
notification stays "not e-mailed", and the next daily digest sends it.

``send_daily_digests(day)`` is what the daily schedule calls (and ``flask
send-digests``): one e-mail per user listing every unread notification not yet
e-mailed, created up to the end of ``day`` in Kazakhstan. It is idempotent: a
notification e-mailed once is never e-mailed again.
"""

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from itertools import groupby

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mailman import EmailMessage

from app.auth.models import User
from app.core.models import utcnow
from app.core.transactions import after_commit, committing
from app.core.vocabulary import MailChoice
from app.extensions import db, mail
from app.notifications.messages import render
from app.notifications.models import Notification
from policy.clock import day_begins, today_in_kazakhstan

log = logging.getLogger(__name__)
MAILED = (MailChoice.IMMEDIATELY, MailChoice.DAILY_DIGEST)
DIGEST_ITEMS = 50  # a digest lists this many; the rest are counted, in the inbox


def mail_enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def absolute_url(path: str) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + (path or "/")


Handoff = Callable[[list[int]], None]
_HANDOFF: list[Handoff] = []


def hand_off_immediate_mail(handoff: Handoff) -> None:
    """Who sends the e-mail of notifications "at once": ``handoff(ids)`` is called in
    the transaction that made them and queues the sending (app/mail_jobs.py: a job,
    so no request waits for the mail server); without one, they are sent after the
    commit by the process that made them."""
    _HANDOFF[:] = [handoff]


def mail_at_once(notes: Sequence[Notification], users: Iterable[User]) -> None:
    """Send the e-mail of ``notes`` to those who chose each at once: queued in the
    current transaction (committed, or rolled back, with the notes), or after the
    commit when nobody queues it. Nothing when no mail server is set or nobody
    wants e-mail at once."""
    if not notes or not mail_enabled() or not any(
            user.mail_choice == MailChoice.IMMEDIATELY for user in users):
        return
    ids = [note.id for note in notes]
    if _HANDOFF:
        _HANDOFF[0](ids)
    else:
        after_commit(lambda: send_immediately(ids))


def send_immediately(notification_ids: Sequence[int]) -> int:
    """E-mail the notifications just committed to those who want each at once."""
    if not mail_enabled():
        return 0
    notes = db.session.scalars(_not_emailed().where(
        Notification.id.in_(notification_ids), User.mail_choice == MailChoice.IMMEDIATELY)
        .order_by(Notification.id)).all()
    return len(_deliver([(note.user, [note]) for note in notes]))


def send_daily_digests(day: date) -> int:
    """One e-mail per user with the unread notifications not e-mailed yet, created up to
    the end of ``day`` (Kazakhstan): the daily choice, and the retry of every e-mail that
    failed. Returns the number of e-mails sent; running it again sends nothing more."""
    if not mail_enabled():
        return 0
    until = day_begins(day + timedelta(days=1))
    notes = db.session.scalars(_not_emailed().where(
        User.mail_choice.in_(MAILED), Notification.read_at.is_(None),
        Notification.created_at < until)
        .order_by(Notification.user_id, Notification.id)).all()
    batches = [list(group) for _user, group in groupby(notes, key=lambda note: note.user_id)]
    return len(_deliver([(batch[0].user, batch) for batch in batches]))


def _not_emailed() -> sa.Select:
    return sa.select(Notification).join(User, User.id == Notification.user_id).where(
        Notification.emailed_at.is_(None), User.active.is_(True))


def _deliver(mails: list[tuple[User, list[Notification]]]) -> list[list[int]]:
    """Send each (user, notifications) as one e-mail over one connection, record those
    sent, and answer the ids of the notifications of each e-mail sent."""
    if not mails:
        return []
    connection = mail.get_connection()
    try:
        connection.open()
    except Exception:  # the server down or refusing us: the digest tries again
        log.exception("e-mail of notifications: the mail server cannot be reached")
        return []
    sent = []
    try:
        for user, notes in mails:
            if _send(user, notes, connection):
                sent.append([note.id for note in notes])
    finally:
        try:
            connection.close()
        except Exception:  # what was sent is sent: recorded below all the same
            log.exception("e-mail of notifications: closing the connection failed")
    _record_emailed([note_id for ids in sent for note_id in ids])
    return sent


def _record_emailed(ids: list[int]) -> None:
    if ids:
        with committing():
            db.session.execute(sa.update(Notification).where(Notification.id.in_(ids))
                               .values(emailed_at=utcnow())
                               .execution_options(synchronize_session=False))


def _send(user: User, notes: list[Notification], connection) -> bool:
    """Send one e-mail; a failure is logged and leaves the notifications for the digest."""
    try:
        message = compose(user, notes)
        message.connection = connection
        message.send()
    except Exception:  # SMTP refusals, a server down, a timeout: never the caller's problem
        log.exception("e-mail of notifications %s to user %s failed",
                      [note.id for note in notes], user.id)
        return False
    return True


def compose(user: User, notes: Iterable[Notification]) -> EmailMessage:
    """The e-mail of one notification, or the digest of several, in the user's language."""
    notes = list(notes)
    language = user.language or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        items = [(*render(note.kind, note.params), absolute_url(note.link)) for note in notes]
        if len(items) == 1:
            subject, body, url = items[0]
            open_page = _("Open the page:")
            text = f"{body}\n\n{open_page} {url}\n"
        else:
            subject = _("Your notifications: %(count)s unread", count=len(items))
            text = "\n".join(f"- {title}\n  {body}\n  {url}\n"
                             for title, body, url in items[:DIGEST_ITEMS])
            if len(items) > DIGEST_ITEMS:
                text += "\n" + _("... and %(count)s more in your inbox: %(url)s",
                                 count=len(items) - DIGEST_ITEMS,
                                 url=absolute_url("/notifications/")) + "\n"
        text += "\n-- \n" + _("You receive this e-mail because of your choice on your account "
                              "page: %(url)s", url=absolute_url("/account")) + "\n"
        site = _("Labour & Training")
        return EmailMessage(
            subject=f"{site}: {subject}", body=text, to=[user.email],
            headers={"Content-Language": language, "Auto-Submitted": "auto-generated"})


def register_mail_cli(app: Flask) -> None:
    @app.cli.command("send-digests")
    @click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Notifications created up to the end of this day (default today).")
    def send_digests(day: datetime | None) -> None:
        """E-mail each user's daily digest of unread notifications (idempotent)."""
        sent = send_daily_digests(day.date() if day else today_in_kazakhstan())
        click.echo(f"Digests sent: {sent}")
