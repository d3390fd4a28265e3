"""Throttling of password guesses and account creation (Flask-Limiter).

Logins through the page (``POST /login``) and the API (``POST /api/auth/tokens``)
share their counters, so that using both does not double the allowance:

- per client address: ``LOGIN_RATE_LIMIT`` attempts (scope ``login-address``);
- per account (the e-mail submitted, whatever the address): ``ACCOUNT_LOGIN_RATE_LIMIT``
  failed attempts, so a password cannot be guessed from many addresses either; and the
  same per account and address. An account over its limit stays open only to the
  addresses it logged in from in the last 30 days that have not failed through the
  limit themselves ("smart lockout", as large identity services do): five wrong
  passwords a minute from anywhere no longer lock the owner out.

Colleagues a business adds (page and API) are throttled per business
(``COLLEAGUE_RATE_LIMIT``, scope ``colleague-creation``).
"""

import functools
from collections.abc import Callable
from typing import Any

from flask import abort, current_app, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import RateLimitItem, parse, parse_many
from werkzeug.exceptions import HTTPException

from app.extensions import limiter


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limits() -> list[RateLimitItem]:
    return parse_many(current_app.config["ACCOUNT_LOGIN_RATE_LIMIT"])


# A successful login is remembered for this long per account and address ("familiar").
FAMILIAR_FOR = parse("1 per 30 days")


def submitted_email() -> str:
    """The e-mail a login attempt names (form or JSON body), normalised as stored."""
    body = request.get_json(silent=True) if request.is_json else None
    email = body.get("email") if isinstance(body, dict) else request.form.get("email")
    return email.strip().lower()[:254] if isinstance(email, str) else ""


def _used(item: RateLimitItem, key: str) -> bool:
    """Whether anything was counted under ``key`` in ``item``'s current window."""
    return limiter.limiter.get_window_stats(item, key).remaining < item.amount


def _over(key: str) -> bool:
    return not all(limiter.limiter.test(item, key) for item in _account_limits())


def _count_failure(*keys: str) -> None:
    for key in keys:
        for item in _account_limits():
            limiter.limiter.hit(item, key)


def login_throttled(view: Callable) -> Callable:
    """Both login limits on ``view`` (its POST requests): per address by Flask-Limiter,
    per account by :func:`_account_guard`."""
    by_address = limiter.shared_limit(_login_limit, scope="login-address", methods=["POST"])
    return by_address(_account_guard(view))


def _account_guard(view: Callable) -> Callable:
    """Failed attempts are counted per account and per account and address. Once the
    account is over its limit, only an address it logged in from in the last 30 days
    (familiar) that is not over the limit itself may still try; any other attempt is
    429 before the password is checked. So guesses from many addresses are no more than
    the limit allows, yet they do not lock the owner out of the places they log in from."""

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        email = submitted_email()
        if request.method != "POST" or not email or not limiter.enabled:
            return view(*args, **kwargs)
        account = f"login-account/{email}"
        here = f"{account}/{get_remote_address()}"
        if _over(here) or (_over(account) and not _used(FAMILIAR_FOR, f"familiar/{here}")):
            abort(429, description=_("Too many failed attempts for this account; try again "
                                     "later."))
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except HTTPException as refused:
            _count_failure(account, here)
            raise refused
        if response.status_code >= 400:
            _count_failure(account, here)
        else:
            limiter.limiter.clear(FAMILIAR_FOR, f"familiar/{here}")
            limiter.limiter.hit(FAMILIAR_FOR, f"familiar/{here}")
        return response

    return guarded


def _employer_id() -> int | None:
    return getattr(current_user, "employer_id", None)


def colleague_creation_throttled(view: Callable) -> Callable:
    """Per business; a caller of no business is not counted, so that the view refuses
    it first (401 without a token, 403 for another role), never 429."""
    return limiter.shared_limit(
        lambda: current_app.config["COLLEAGUE_RATE_LIMIT"], scope="colleague-creation",
        methods=["POST"], key_func=lambda: f"business:{_employer_id()}",
        exempt_when=lambda: not _employer_id())(view)
