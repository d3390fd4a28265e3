"""Notify users, read the inbox, mark read (R16: each user reads only their own)."""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, has_request_context
from flask_login import current_user

from app.auth.models import User
from app.core.models import utcnow
from app.core.vocabulary import Role
from app.extensions import db
from app.notifications.mail import mail_at_once
from app.notifications.messages import KINDS, render
from app.notifications.models import Notification


def path_for(endpoint: str, **values: Any) -> str:
    """The path of a page, built without a request (a daily task has none)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def notify(users: Iterable[User], kind: str, params: dict[str, Any] | None = None, *,
           link: str = "", key: str | None = None) -> list[Notification]:
    """One notification of ``kind`` for each of ``users``, in the request's transaction,
    and e-mailed by a job once it is committed (mail.py). The user acting is not told of their
    own action. With a ``key`` (the thing notified about), a user already told of it
    is not told again: a daily task may run twice for the same day. The e-mail of
    those who want it at once is queued with them (mail.mail_at_once)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of notification: {kind}")
    recipients = {user.id: user for user in users if user.active and user.id != _actor_id()}
    if key is not None and recipients:
        told = set(db.session.scalars(sa.select(Notification.user_id).where(
            Notification.key == key, Notification.user_id.in_(recipients))))
        recipients = {uid: user for uid, user in recipients.items() if uid not in told}
    notes = [Notification(user_id=uid, kind=kind, params=params or {}, link=link, key=key)
             for uid in sorted(recipients)]
    db.session.add_all(notes)
    db.session.flush()
    mail_at_once(notes, recipients.values())
    return notes


def _actor_id() -> int | None:
    if has_request_context() and current_user.is_authenticated:
        return current_user.id
    return None


# --- who is told ---------------------------------------------------------------------------

def _active_users(*where: sa.ColumnElement[bool]) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.active.is_(True), *where)
                                   .order_by(User.id)))


def officers_of(institution_id: int) -> list[User]:
    return _active_users(User.role == Role.OFFICER, User.institution_id == institution_id)


def users_of_employer(employer_id: int) -> list[User]:
    return _active_users(User.role == Role.EMPLOYER, User.employer_id == employer_id)


def users_of_partner(partner_id: int) -> list[User]:
    return _active_users(User.role == Role.PARTNER, User.partner_id == partner_id)


# --- the inbox -----------------------------------------------------------------------------

def inbox_query(user_id: int, *, unread_only: bool = False) -> sa.Select:
    query = sa.select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def latest(user_id: int, limit: int = 20) -> Sequence[Notification]:
    return db.session.scalars(inbox_query(user_id).limit(limit)).all()


def unread_count(user_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def unread_count_of_current_user() -> int:
    """The header's count (0 for a visitor who is not logged in)."""
    return unread_count(current_user.id) if current_user.is_authenticated else 0


def own_or_404(user_id: int, notification_id: int) -> Notification:
    """Another user's notification is as absent as one that never was (R16)."""
    note = db.session.get(Notification, notification_id)
    if note is None or note.user_id != user_id:
        abort(404)
    return note


def mark_read(note: Notification, at: datetime | None = None) -> Notification:
    note.read_at = note.read_at or at or utcnow()
    db.session.flush()
    return note


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of the user read; how many were."""
    result = db.session.execute(sa.update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount


def shown(note: Notification) -> dict[str, Any]:
    """What the inbox shows of a notification, in the current language."""
    subject, body = render(note.kind, note.params)
    return {"id": note.id, "created_at": note.created_at, "subject": subject, "body": body,
            "link": note.link, "read": note.read_at is not None, "read_at": note.read_at}


def never_email_pending() -> None:
    """Count every notification not e-mailed yet as e-mailed, without sending: the
    demo's invented news is never e-mailed to its invented addresses."""
    db.session.execute(sa.update(Notification).where(Notification.emailed_at.is_(None))
                       .values(emailed_at=utcnow())
                       .execution_options(synchronize_session=False))
