"""Passwords (argon2, a slow hash) and API tokens (random, stored as SHA-256)."""

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# OWASP's argon2id parameters (19 MiB, 2 passes): slow for an attacker, about
# a tenth of a second for a login.
_SLOW = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
# Tests log in hundreds of times; the cheapest parameters keep them fast.
_FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def _hasher() -> PasswordHasher:
    return _FAST if current_app.config.get("PASSWORD_HASH_FAST") else _SLOW


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_DUMMY_HASHES: dict[int, str] = {}


def spend_password_check(password: str) -> None:
    """Verify ``password`` against a throwaway hash, so that an unknown e-mail takes
    as long to refuse as a wrong password and timing does not reveal accounts.
    The throwaway hash is made once per hasher, not per call (that was a second
    argon2 operation for every unknown e-mail)."""
    hasher = _hasher()
    if id(hasher) not in _DUMMY_HASHES:
        _DUMMY_HASHES[id(hasher)] = hasher.hash(secrets.token_urlsafe(16))
    check_password(_DUMMY_HASHES[id(hasher)], password)


def new_token() -> tuple[str, str]:
    """A fresh API token and the hash to store. The token is shown once."""
    token = "plt_" + secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
