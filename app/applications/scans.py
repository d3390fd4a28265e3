"""The scans of written applications (R31), kept in the instance folder as the
imports keep their uploads (app/inmates/uploads.py), under a random name: the row
holds the name, a download checks the reader may see the application first. What a
scan may be is app/core/scans.py's, as for every other scan."""

import os
import secrets

from flask import Response, current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from app.core import scans
from app.core.errors import RuleViolation


def _folder() -> str:
    path = os.path.join(current_app.instance_path, "application_scans")
    os.makedirs(path, exist_ok=True)
    return path


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def keep(upload: FileStorage) -> tuple[str, str]:
    """Store the scan; (stored name, the file's own name). The stored name's
    extension is the type its first bytes say, whatever the file was called."""
    scan = scans.check("scan", scans.uploaded(upload))
    if scan is None:
        raise RuleViolation("scan", _("is required"))
    name = f"{secrets.token_hex(16)}.{scan.extension}"
    with open(os.path.join(_folder(), name), "wb") as handle:
        handle.write(scan.data)
    return name, scan.filename


def path_of(name: str) -> str | None:
    """Where the stored scan ``name`` is, or None (a name is never a path)."""
    token, _dot, extension = name.partition(".")
    if not token.isalnum() or extension not in scans.EXTENSIONS:
        return None
    path = os.path.join(_folder(), name)
    return path if os.path.exists(path) else None


def download(name: str, filename: str) -> Response | None:
    """The stored scan as its reader receives it, or None when it is not there."""
    path = path_of(name) if name else None
    if path is None:
        return None
    with open(path, "rb") as handle:
        data = handle.read()
    return scans.download(data, scans.EXTENSIONS[_extension(name)], filename or name)
