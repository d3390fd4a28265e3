"""Notifications that reach people: every role's inbox and e-mail.

An operation that has something to tell calls :func:`operations.notify` with a
kind of message (``messages.KINDS``), its parameters and the page it is about; one
row per recipient is stored. Nothing is stored translated: the inbox and the e-mail
render the kind's message in the reader's language when read or sent, and no
message names a person, so an e-mail tells the recipient only what happened and
where (R16, R21). E-mail (``mail.py``) goes out after the request's commit, at once
or in a daily digest as each user chose on the account page; a failure is logged and
the next digest tries again.

Sits just above the users (``app.auth``): every package that has news imports it;
none below it does.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """The header's unread count and the CLI command of the daily digest."""
    from app.notifications.mail import register_mail_cli
    from app.notifications.operations import unread_count_of_current_user

    app.jinja_env.globals["unread_notifications"] = unread_count_of_current_user
    register_mail_cli(app)
