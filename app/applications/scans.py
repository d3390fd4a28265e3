"""The scans of written applications (R31), kept in the instance folder as the
imports keep their uploads (app/inmates/uploads.py), under a random name: the row
holds the name, a download checks the reader may see the application first."""

import os
import secrets

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from app.core.errors import RuleViolation

# What a scanner or a phone produces; anything else is refused.
EXTENSIONS = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg",
              "png": "image/png"}
MAGIC = {"pdf": b"%PDF", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff",
         "png": b"\x89PNG"}


def _folder() -> str:
    path = os.path.join(current_app.instance_path, "application_scans")
    os.makedirs(path, exist_ok=True)
    return path


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def keep(scan: FileStorage) -> tuple[str, str]:
    """Store the scan; (stored name, the file's own name). A PDF, JPEG or PNG only,
    checked by its first bytes, not only its name."""
    extension = _extension(scan.filename or "")
    data = scan.read()
    if extension not in EXTENSIONS or not data.startswith(MAGIC[extension]):
        raise RuleViolation("scan", _("must be a PDF, JPEG or PNG file"))
    name = f"{secrets.token_hex(16)}.{extension}"
    with open(os.path.join(_folder(), name), "wb") as handle:
        handle.write(data)
    return name, os.path.basename(scan.filename or name)[:200]


def path_of(name: str) -> str | None:
    """Where the stored scan ``name`` is, or None (a name is never a path)."""
    token, _dot, extension = name.partition(".")
    if not token.isalnum() or extension not in EXTENSIONS:
        return None
    path = os.path.join(_folder(), name)
    return path if os.path.exists(path) else None


def mimetype(name: str) -> str:
    return EXTENSIONS.get(_extension(name), "application/octet-stream")
