"""Kiosk sign-in attempts per client address (page and API share the count), at the
staff login's rate (``LOGIN_RATE_LIMIT``). A kiosk is one address for everyone at it,
so the per-person guard is the PIN's lock after ``MAX_FAILURES`` wrong PINs in a row
(app/kiosk/operations.py), which the officer lifts by issuing a new PIN."""

from collections.abc import Callable

from flask import current_app

from app.extensions import limiter


def kiosk_throttled(view: Callable) -> Callable:
    return limiter.shared_limit(lambda: current_app.config["LOGIN_RATE_LIMIT"],
                                scope="kiosk-address", methods=["POST"])(view)
