import hashlib
import hmac
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.auth.models import ApiToken, User
from app.auth.passwords import password_problem
from app.core.errors import RuleViolation
from app.core.models import utcnow
from app.core.security import (
    check_password,
    hash_password,
    new_token,
    spend_password_check,
    token_hash,
)
from app.core.vocabulary import EmployerStatus, Role
from app.extensions import db

TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def verify_credentials(email: str, password: str) -> User | None:
    """The user whose e-mail and password these are, active or not, else None.

    Exactly one argon2 verification whatever the outcome (an unknown e-mail is
    checked against a throwaway hash), so timing tells no one which accounts exist."""
    user = find_user_by_email(email)
    if user is None:
        spend_password_check(password)
        return None
    return user if check_password(user.password_hash, password) else None


def admit(user: User | None) -> User | None:
    """``user`` (from :func:`verify_credentials`) if the account may log in now."""
    if user is None or not user.is_active:
        return None
    user.last_login_at = utcnow()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (never says which part was wrong)."""
    return admit(verify_credentials(email, password))


def refusal_message(verified: User | None) -> str:
    """Why a login was refused, given the user :func:`verify_credentials` found. That a
    business awaits approval (or was refused) is told only to someone who gave the right
    password, so it reveals nothing to others."""
    if verified is not None and verified.active and verified.role == Role.EMPLOYER:
        if verified.employer.status == EmployerStatus.PENDING:
            return _("Your business is awaiting an administrator's approval; "
                     "you can log in once it is approved.")
        if verified.employer.status == EmployerStatus.REFUSED:
            return _("The registration of your business was refused: %(reason)s",
                     reason=verified.employer.refusal_reason)
    return _("Wrong e-mail or password, or the account is not active.")


def check_password_rule(password: str, email: str | None, field: str = "password") -> None:
    """Refuse ``password`` if the password rule does (app/auth/passwords.py)."""
    problem = password_problem(password, email)
    if problem:
        raise RuleViolation(field, problem)


def check_email_free(email: str) -> None:
    if find_user_by_email(email.strip().lower()) is not None:
        raise RuleViolation("email", _("a user with this e-mail already exists"))


def set_password(user: User, password: str, field: str = "password") -> None:
    """Store ``password`` for ``user`` if the password rule allows it (app/auth/passwords.py);
    every other session of the account ends."""
    check_password_rule(password, user.email, field)
    user.password_hash = hash_password(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """Every session cookie of ``user`` stops working, copies included (the cookie
    holds the session version, which the user loader compares)."""
    user.session_version = (user.session_version or 0) + 1


def change_password(user: User, current_password: str, new_password: str) -> None:
    """The user's own change: the current password is asked first."""
    if not check_password(user.password_hash, current_password):
        raise RuleViolation("current_password", _("is not your current password"))
    set_password(user, new_password, "new_password")


def set_active(user: User, active: bool) -> None:
    """Block or unblock an account; blocking ends its sessions at once."""
    user.active = active
    if not active:
        end_sessions(user)


# --- reset links (no mail server: the administrator hands the link over) -------------------

RESET_LINK_MAX_AGE = timedelta(hours=24)


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="password-reset")


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def reset_token(user: User) -> str:
    """A signed token that resets ``user``'s password once, within RESET_LINK_MAX_AGE.
    It names the current password hash, so it stops working once any new password is set."""
    return _reset_serializer().dumps({"user": user.id, "password": _password_fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """The user a valid, unused, unexpired reset token is for, else None."""
    try:
        data = _reset_serializer().loads(
            token, max_age=int(RESET_LINK_MAX_AGE.total_seconds()))
        user = db.session.get(User, int(data["user"]))
    except (BadSignature, KeyError, TypeError, ValueError, OverflowError):
        return None
    if user is None or not hmac.compare_digest(str(data["password"]),
                                               _password_fingerprint(user)):
        return None
    return user


def create_user(
    *,
    email: str,
    full_name: str,
    password: str,
    role: Role,
    institution_id: int | None = None,
    employer_id: int | None = None,
    region_id: int | None = None,
    partner_id: int | None = None,
) -> User:
    email = email.strip().lower()
    check_email_free(email)
    scope_needed = {Role.OFFICER: ("institution_id", institution_id),
                    Role.EMPLOYER: ("employer_id", employer_id),
                    Role.PARTNER: ("partner_id", partner_id)}
    if role in scope_needed and scope_needed[role][1] is None:
        field = scope_needed[role][0]
        raise RuleViolation(field, _("is required for the role %(role)s", role=role.value))
    user = User(
        email=email,
        session_version=0,
        full_name=full_name,
        role=role,
        institution_id=institution_id if role == Role.OFFICER else None,
        employer_id=employer_id if role == Role.EMPLOYER else None,
        region_id=region_id if role == Role.PROSECUTOR else None,
        partner_id=partner_id if role == Role.PARTNER else None,
    )
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def issue_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``user``; the plain token is returned once, never stored."""
    token, digest = new_token()
    record = ApiToken(user=user, name=name, token_hash=digest, prefix=token[:10])
    db.session.add(record)
    db.session.flush()
    return record, token


def user_for_token(token: str) -> User | None:
    record = db.session.scalar(
        sa.select(ApiToken).where(
            ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None)
        )
    )
    if record is None or not record.user.is_active:
        return None
    now = utcnow()
    if record.last_used_at is None or now - record.last_used_at > TOKEN_USE_RESOLUTION:
        # Shown on the tokens page; written at most once a minute, in the request's own
        # transaction: committed with it when the request succeeds (any status below
        # 400, GET included), rolled back with it when the request fails.
        record.last_used_at = now
        db.session.flush()
    return record.user


def revoke_token(record: ApiToken) -> None:
    record.revoked_at = utcnow()
    db.session.flush()
