"""A real SMTP server in the test process (aiosmtpd), and the app pointed at it."""

import email
import socket
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


class Mailbox:
    """What the server received: (envelope recipients, parsed message). Reading it
    first lets a job worker send what is queued (``deliver``), as the production
    worker would have by then: e-mail "at once" is a job (app/mail_jobs.py)."""

    def __init__(self, deliver=None) -> None:
        self.arrived: list[tuple[list[str], EmailMessage]] = []
        self.deliver = deliver

    @property
    def received(self) -> list[tuple[list[str], EmailMessage]]:
        if self.deliver is not None:
            self.deliver()
        return self.arrived

    def to(self, address: str) -> list[EmailMessage]:
        return [message for recipients, message in self.received if address in recipients]

    @staticmethod
    def text(message: EmailMessage) -> str:
        """Subject and body as the recipient reads them (decoded)."""
        return f"{message['Subject']}\n{message.get_body(('plain',)).get_content()}"


class Handler:
    """aiosmtpd's handler, apart from the mailbox: aiosmtpd reads every attribute of
    its handler, which would run the mailbox's delivery from the server's thread."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=default)
        self.mailbox.arrived.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def mail_to(app, port: int):
    """The app sends its e-mail to 127.0.0.1:``port`` inside the block."""
    state = app.extensions["mailman"]
    saved = app.config["MAIL_SERVER"], state.server, state.port
    app.config["MAIL_SERVER"] = state.server = "127.0.0.1"
    state.port = port
    try:
        yield
    finally:
        app.config["MAIL_SERVER"], state.server, state.port = saved


def deliver_queued(app) -> None:
    """One turn of the embedded job worker, in an app context of its own (its session
    ends with the turn; the test's objects stay as they are)."""
    from app.jobs.worker import work_once

    with app.app_context():
        work_once(schedule=False)


@contextmanager
def smtp_server(app):
    mailbox, port = Mailbox(lambda: deliver_queued(app)), free_port()
    controller = Controller(Handler(mailbox), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with mail_to(app, port):
            yield mailbox
    finally:
        controller.stop()
