"""The inbox in JSON: every role reads and marks its own notifications."""

import sqlalchemy as sa
from flask_login import current_user

from app.core.api import Blueprint
from app.core.auth import roles_required
from app.core.vocabulary import MailChoice, Role
from app.extensions import db
from app.notifications import operations
from app.notifications.schemas import (
    InboxArgs,
    MailChoiceSchema,
    MarkedSchema,
    NotificationSchema,
    UnreadSchema,
)

blp = Blueprint("notifications_api", __name__, url_prefix="/api/notifications",
                description="The caller's notifications (every role) and how they are e-mailed")


@blp.get("/")
@roles_required(*Role)
@blp.arguments(InboxArgs, location="query")
@blp.response(200, NotificationSchema(many=True))
@blp.paginate()
def inbox(args, pagination_parameters):
    """The caller's notifications, newest first, in the caller's language."""
    query = operations.inbox_query(current_user.id, unread_only=args["unread"])
    pagination_parameters.item_count = db.session.scalar(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    notes = db.session.scalars(query.offset(pagination_parameters.first_item)
                               .limit(pagination_parameters.page_size))
    return [operations.shown(note) for note in notes]


@blp.get("/unread")
@roles_required(*Role)
@blp.response(200, UnreadSchema)
def unread():
    """How many of the caller's notifications are unread (the header's count)."""
    return {"unread": operations.unread_count(current_user.id)}


@blp.post("/<int:notification_id>/read")
@roles_required(*Role)
@blp.response(200, NotificationSchema)
def mark_read(notification_id: int):
    """Mark one of the caller's notifications read (another user's: 404)."""
    note = operations.own_or_404(current_user.id, notification_id)
    return operations.shown(operations.mark_read(note))


@blp.post("/read")
@roles_required(*Role)
@blp.response(200, MarkedSchema)
def mark_all_read():
    """Mark every unread notification of the caller read."""
    return {"marked": operations.mark_all_read(current_user.id)}


@blp.get("/mail")
@roles_required(*Role)
@blp.response(200, MailChoiceSchema)
def mail_choice():
    """How the caller's notifications are e-mailed."""
    return {"mail_choice": current_user.mail_choice.value}


@blp.put("/mail")
@roles_required(*Role)
@blp.arguments(MailChoiceSchema)
@blp.response(200, MailChoiceSchema)
def set_mail_choice(body):
    """Choose: an e-mail per notification, a daily digest, or no e-mail."""
    current_user.mail_choice = MailChoice(body["mail_choice"])
    db.session.flush()
    return {"mail_choice": current_user.mail_choice.value}
