"""Uploads kept between the import's preview and its confirmation: the browser
does not send the file again, so the checked file waits in the instance folder
under a token only its uploader can redeem. Unconfirmed files go after a day. A
file imported as a job waits here too, until the job that writes it finishes."""

import os
import secrets
import shutil
import time
from typing import BinaryIO

from flask import current_app

EXTENSIONS = ("csv", "xlsx")
MAX_AGE_SECONDS = 24 * 3600


def _folder() -> str:
    path = os.path.join(current_app.instance_path, "uploads")
    os.makedirs(path, exist_ok=True)
    return path


def stash(user_id: int, filename: str, data: bytes | BinaryIO) -> str:
    """Keep ``data`` (bytes, or a file copied a block at a time) for ``user_id``;
    the returned name redeems it once."""
    forget_old()
    extension = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    name = f"{user_id}-{secrets.token_hex(16)}.{extension}"
    with open(os.path.join(_folder(), name), "wb") as handle:
        if isinstance(data, bytes):
            handle.write(data)
        else:
            shutil.copyfileobj(data, handle, 1024 * 1024)
    return name


def path_of(user_id: int, name: str) -> str | None:
    """Where the file ``user_id`` stashed under ``name`` is (a job reads it there,
    a chunk at a time), or None."""
    token, _dot, extension = name.partition(".")
    owner, _dash, secret = token.partition("-")
    if owner != str(user_id) or not secret.isalnum() or extension not in EXTENSIONS:
        return None
    path = os.path.join(_folder(), f"{token}.{extension}")
    return path if os.path.exists(path) else None


def forget(user_id: int, name: str) -> None:
    path = path_of(user_id, name)
    if path is not None:
        os.remove(path)


def unstash(user_id: int, name: str) -> tuple[str, bytes] | None:
    """(name, data) of a file ``user_id`` stashed, removed from the folder; None
    for a name that is not theirs, malformed, or already used or expired."""
    path = path_of(user_id, name)
    if path is None:
        return None
    with open(path, "rb") as handle:
        data = handle.read()
    os.remove(path)
    return name, data


def forget_old(max_age_seconds: int = MAX_AGE_SECONDS) -> None:
    """Remove uploads checked but never confirmed."""
    folder = _folder()
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if time.time() - os.path.getmtime(path) > max_age_seconds:
            os.remove(path)
