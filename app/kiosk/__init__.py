"""The person's own view (issue 23): kiosk sign-in with a personal file number and a
PIN the officer issues, the kiosk pages and API, and the printable one-page statement.

A kiosk session is not a staff login: it lives in its own session key
(``session["kiosk"]``), Flask-Login sees nobody, and while it lasts every request
outside the kiosk's own pages and API is refused (``guard.py``). Sits at the top of
the package stack beside the home page: it reads work, pay, applications and the
release plan, and nothing below imports it."""

from datetime import date
from typing import Any

from flask import Flask

from app.core.signals import consent_withdrawn, officer_home


def init_app(app: Flask) -> None:
    """The wall around kiosk sessions; a consent withdrawn in writing answers the
    person's request; the officer's home lists the open requests."""
    from app.kiosk.guard import IDLE, register_kiosk_guard
    from app.kiosk.operations import close_on_withdrawal

    register_kiosk_guard(app)
    app.context_processor(lambda: {"idle_seconds": int(IDLE.total_seconds())})
    consent_withdrawn.connect(close_on_withdrawal)
    officer_home.connect(_requests_panel)


def _requests_panel(_sender: Any, institution_id: int, day: date, **_: Any) -> dict | None:
    from app.kiosk.operations import open_requests

    requests = open_requests(institution_id)
    return {"template": "kiosk/_home_panel.html", "requests": requests} if requests else None
