"""The kiosk session: who is signed in at the kiosk, and the wall around them.

A kiosk session is ``session["kiosk"] = {"pin": id, "v": version, "at": last seen}``;
starting one ends any staff login in the browser (the whole session is cleared), and
Flask-Login sees nobody while it lasts. Every request of a kiosk session to anything
but the kiosk's own person pages and API (marked with :func:`person_only`) and
static files is refused: a page goes back to the kiosk's home, the API answers 403.
So no staff page, not even the staff login, is reachable from a kiosk session. A
session ends after ``IDLE`` without a request (the next person at the kiosk must not
find it open), when the officer issues a new PIN or it locks, and at sign-out."""

import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user, logout_user

from app.core.api import document_roles
from app.core.models import utcnow
from app.extensions import csrf, db
from app.inmates.models import Inmate
from app.kiosk import operations as ops
from app.kiosk.models import KioskPin

SESSION_KEY = "kiosk"
IDLE = timedelta(minutes=5)
# Open to anyone, with or without a kiosk session: the sign-in itself.
OPEN_ENDPOINTS = frozenset({"static", "kiosk.sign_in", "kiosk.sign_out", "kiosk.timed_out",
                            "kiosk_api.start_session", "kiosk_api.end_session"})


def start_session(record: KioskPin) -> None:
    logout_user()
    session.clear()
    session[SESSION_KEY] = {"pin": record.id, "v": record.session_version,
                            "at": utcnow().isoformat()}
    session["language"] = ops.language_of(record.inmate)


def end_session() -> None:
    session.clear()


def current_person() -> Inmate | None:
    """The person of this request's kiosk session, or None (an expired or ended
    session is forgotten here)."""
    if "kiosk_person" not in g:
        g.kiosk_person = _load_person()
    return g.kiosk_person


def _load_person() -> Inmate | None:
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    try:
        record = db.session.get(KioskPin, int(data["pin"]))
        seen = datetime.fromisoformat(data["at"])
        version = int(data["v"])
    except (KeyError, TypeError, ValueError):
        record, seen, version = None, None, -1
    if seen is None or utcnow() - seen > IDLE or not ops.session_valid(record, version):
        end_session()
        return None
    data["at"] = utcnow().isoformat()
    session.modified = True
    return record.inmate


def person_only(view: Callable) -> Callable:
    """A page or API operation for the person of a kiosk session alone: without one,
    a page goes to the kiosk's sign-in and the API answers 401 (403 to a staff user,
    who is someone, but not a person at a kiosk); a write checks the CSRF token (the
    API is CSRF-exempt for staff's bearer tokens)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_person() is None:
            if request.path.startswith("/api/"):
                abort(403 if current_user.is_authenticated else 401)
            return redirect(url_for("kiosk.sign_in"))
        if request.method not in ("GET", "HEAD", "OPTIONS") and \
                current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()
        return view(*args, **kwargs)

    wrapped.kiosk_person_only = True  # type: ignore[attr-defined]
    document_roles(wrapped, ())  # the API documents its 401 and 403
    return wrapped


def _is_kiosk_endpoint(endpoint: str | None) -> bool:
    if endpoint in OPEN_ENDPOINTS:
        return True
    view = current_app.view_functions.get(endpoint or "")
    return bool(getattr(view, "kiosk_person_only", False))


def register_kiosk_guard(app: Flask) -> None:
    @app.before_request
    def confine_kiosk_sessions() -> Any:
        if SESSION_KEY not in session or _is_kiosk_endpoint(request.endpoint):
            return None
        if request.path.startswith("/api/"):
            abort(403)
        return redirect(url_for("kiosk.home"))
