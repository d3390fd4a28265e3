"""Throttling of password guesses and account creation (Flask-Limiter).

Logins through the page (``POST /login``) and the API (``POST /api/auth/tokens``)
share their counters, so that using both does not double the allowance:

- per client address: ``LOGIN_RATE_LIMIT`` attempts (scope ``login-address``);
- per account (the e-mail submitted, whatever the address): ``ACCOUNT_LOGIN_RATE_LIMIT``
  failed attempts (scope ``login-account``), so a password cannot be guessed from many
  addresses either.

Colleagues a business adds (page and API) are throttled per business
(``COLLEAGUE_RATE_LIMIT``, scope ``colleague-creation``).
"""

from collections.abc import Callable

from flask import current_app, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.extensions import limiter


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["ACCOUNT_LOGIN_RATE_LIMIT"]


def submitted_email() -> str:
    """The e-mail a login attempt names (form or JSON body), normalised as stored."""
    body = request.get_json(silent=True) if request.is_json else None
    email = body.get("email") if isinstance(body, dict) else request.form.get("email")
    return email.strip().lower()[:254] if isinstance(email, str) else ""


def _failed(response) -> bool:
    return response.status_code >= 400


def login_throttled(view: Callable) -> Callable:
    """Both login limits on ``view`` (its POST requests)."""
    by_address = limiter.shared_limit(_login_limit, scope="login-address", methods=["POST"])
    by_account = limiter.shared_limit(
        _account_limit, scope="login-account", methods=["POST"],
        key_func=lambda: "account:" + submitted_email(), deduct_when=_failed,
        exempt_when=lambda: not submitted_email())
    return by_address(by_account(view))


def _business_key() -> str:
    employer_id = getattr(current_user, "employer_id", None)
    return f"business:{employer_id}" if employer_id else get_remote_address()


def colleague_creation_throttled(view: Callable) -> Callable:
    return limiter.shared_limit(
        lambda: current_app.config["COLLEAGUE_RATE_LIMIT"], scope="colleague-creation",
        methods=["POST"], key_func=_business_key)(view)
