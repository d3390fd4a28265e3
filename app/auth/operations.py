from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.auth.models import ApiToken, User
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

MIN_PASSWORD_LENGTH = 10
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (never says which part was wrong)."""
    user = find_user_by_email(email)
    if user is None:
        spend_password_check(password)
        return None
    if not check_password(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    return user


def refusal_message(email: str, password: str) -> str:
    """Why a login was refused. That a business awaits approval (or was refused) is
    told only to someone who gave the right password, so it reveals nothing to others."""
    user = find_user_by_email(email)
    if (user is not None and user.active and user.role == Role.EMPLOYER
            and check_password(user.password_hash, password)):
        if user.employer.status == EmployerStatus.PENDING:
            return _("Your business is awaiting an administrator's approval; "
                     "you can log in once it is approved.")
        if user.employer.status == EmployerStatus.REFUSED:
            return _("The registration of your business was refused: %(reason)s",
                     reason=user.employer.refusal_reason)
    return _("Wrong e-mail or password, or the account is not active.")


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation("password", ngettext("must be at least %(num)d character",
                                                   "must be at least %(num)d characters",
                                                   MIN_PASSWORD_LENGTH))
    user.password_hash = hash_password(password)


def create_user(
    *,
    email: str,
    full_name: str,
    password: str,
    role: Role,
    institution_id: int | None = None,
    employer_id: int | None = None,
    region_id: int | None = None,
) -> User:
    email = email.strip().lower()
    if find_user_by_email(email) is not None:
        raise RuleViolation("email", _("a user with this e-mail already exists"))
    scope_needed = {Role.OFFICER: ("institution_id", institution_id),
                    Role.EMPLOYER: ("employer_id", employer_id)}
    if role in scope_needed and scope_needed[role][1] is None:
        field = scope_needed[role][0]
        raise RuleViolation(field, _("is required for the role %(role)s", role=role.value))
    user = User(
        email=email,
        full_name=full_name,
        role=role,
        institution_id=institution_id if role == Role.OFFICER else None,
        employer_id=employer_id if role == Role.EMPLOYER else None,
        region_id=region_id if role == Role.PROSECUTOR else None,
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
