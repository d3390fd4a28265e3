"""The inbox's API contract."""

from marshmallow import EXCLUDE, Schema, fields, validate

from app.core.fields import Integer, UtcDateTime
from app.core.vocabulary import MailChoice


class InboxArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    unread = fields.Boolean(load_default=False,
                            metadata={"description": "Only the unread notifications"})


class NotificationSchema(Schema):
    """A notification in the caller's language; ``link`` is the page's path on this site."""

    id = Integer()
    created_at = UtcDateTime()
    subject = fields.String()
    body = fields.String()
    link = fields.String()
    read = fields.Boolean()
    read_at = UtcDateTime(allow_none=True)


class UnreadSchema(Schema):
    unread = Integer()


class MarkedSchema(Schema):
    marked = Integer(metadata={"description": "How many were unread"})


class MailChoiceSchema(Schema):
    mail_choice = fields.String(
        required=True, validate=validate.OneOf([choice.value for choice in MailChoice]),
        metadata={"description": "immediately: an e-mail per notification; daily_digest: "
                                 "one a day with the unread ones; no_email: the inbox only"})
