"""How a request is tied to a user: the session cookie for pages, a bearer token for the API."""

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.models import User
from app.extensions import csrf, db, login_manager


def register_login_loaders(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        # One identity per request: a request that names a bearer token is the token's
        # (or nobody's, for a bad token), never the browser session's, so a session
        # cannot lend itself to another user's token and skip its CSRF check.
        if bearer_token() is not None:
            return None
        # The cookie holds "id:session version"; a version the account no longer has
        # (logged out, password changed, blocked) ends that session, copies included.
        user_key, _colon, version = user_id.partition(":")
        if not user_key.isdecimal() or not version.isdecimal():
            return None
        user = db.session.get(User, int(user_key))
        if user is None or str(user.session_version) != version or not user.is_active:
            return None
        return user

    @login_manager.request_loader
    def load_user_from_bearer(req) -> User | None:
        return bearer_user()

    @app.before_request
    def protect_api_session_writes() -> None:
        # The API is CSRF-exempt for bearer tokens; a browser session calling
        # it to change data must still present the CSRF token.
        if (
            request.path.startswith("/api/")
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and app.config.get("WTF_CSRF_ENABLED", True)
            and bearer_user() is None
            and current_user.is_authenticated
        ):
            csrf.protect()


def bearer_token() -> str | None:
    """The token of this request's ``Authorization: Bearer`` header ("" when the header
    names the scheme without a token), or None without such a header."""
    scheme, _blank, token = request.headers.get("Authorization", "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def bearer_user() -> User | None:
    """The user of a valid ``Authorization: Bearer`` token of this request (looked up once)."""
    if "bearer_user" not in g:
        from app.auth.operations import user_for_token

        token = bearer_token()
        g.bearer_user = user_for_token(token) if token else None
    return g.bearer_user
