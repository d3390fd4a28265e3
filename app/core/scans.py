"""What a scan of a paper may be, written once: a PDF, JPEG or PNG recognised by its
first bytes (a program renamed ``paper.pdf`` is refused, a photo named ``.pdf`` is
kept as the photo it is), at most ``MAX_SCAN_BYTES``; and how a scan is sent back:
as an attachment of its own type, never sniffed by the browser, never cached.

Used by the findings' answers (app/monitoring), the written applications
(app/applications, kept in the instance folder) and the registry's consents and
medical papers (app/inmates). Those kept in the database share ``StoredScan``'s
columns: private (no public file, no address but the reader-checked download), the
bytes loaded only when a download asks for them."""

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from flask import Response
from flask_babel import gettext as _
from flask_smorest.fields import Upload
from marshmallow import Schema
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import FileStorage

from app.core.errors import RuleViolation, check_all
from app.core.models import fk, utcnow

MAX_SCAN_BYTES = 5 * 1024 * 1024
# A request carrying a scan may be this large, so that a file over the limit (and
# under twice it) is refused by name with the limit, not by the server's bare 413.
MAX_SCAN_REQUEST_BYTES = 2 * MAX_SCAN_BYTES

# What a scanner or a phone produces, by the bytes every such file starts with:
# (content type, the extension a stored copy gets).
TYPES = {b"%PDF-": ("application/pdf", "pdf"),
         b"\xff\xd8\xff": ("image/jpeg", "jpg"),
         b"\x89PNG\r\n\x1a\n": ("image/png", "png")}
EXTENSIONS = {extension: kind for kind, extension in TYPES.values()} | {"jpeg": "image/jpeg"}

# The endpoints that take a scan: their requests may reach MAX_SCAN_REQUEST_BYTES
# (app/core/input.py decides a request's limit before anything reads its body).
SCAN_ENDPOINTS: set[str] = set()


def takes_scans(*endpoints: str) -> None:
    SCAN_ENDPOINTS.update(endpoints)


@dataclass(frozen=True)
class Scan:
    """A file as it was sent: its own name (no folders) and its bytes."""

    filename: str
    data: bytes

    @property
    def content_type(self) -> str | None:
        return content_type_of(self.data)

    @property
    def extension(self) -> str:
        return next(ext for magic, (_kind, ext) in TYPES.items() if self.data.startswith(magic))

    @property
    def size(self) -> int:
        return len(self.data)


def content_type_of(data: bytes) -> str | None:
    """The type the first bytes say, or None for anything not allowed."""
    return next((kind for magic, (kind, _ext) in TYPES.items() if data.startswith(magic)),
                None)


def uploaded(upload: FileStorage | None) -> Scan | None:
    """The file a form or a multipart request sent, read once; None when none was
    chosen (a browser sends an empty part with no name)."""
    if upload is None:
        return None
    data = upload.read()
    if not upload.filename and not data:
        return None
    name = os.path.basename((upload.filename or "").replace("\\", "/"))[:200]
    return Scan(name or "scan", data)


def checks(field: str, scan: Scan | None) -> tuple[Callable[[], None], ...]:
    """The scan's checks, for ``check_all`` with the form's others: its size and its
    type, each naming ``field`` (no scan: nothing to check)."""
    if scan is None:
        return ()
    return (
        lambda: _refuse_unless(scan.size <= MAX_SCAN_BYTES, field, _(
            "must be at most %(mb)d MB", mb=MAX_SCAN_BYTES // (1024 * 1024))),
        lambda: _refuse_unless(scan.content_type is not None, field,
                               _("must be a PDF, JPEG or PNG file")),
    )


def check(field: str, scan: Scan | None) -> Scan | None:
    """The scan if it may be kept; else every problem with it, on ``field``."""
    check_all(*checks(field, scan))
    return scan


def problems(field: str, scan: Scan | None) -> dict[str, list[str]]:
    """The same checks as a form's messages (``{field: [message]}``), so that a page
    shows the scan's problems with every other field's at once."""
    try:
        check(field, scan)
    except RuleViolation as refusal:
        return refusal.errors
    return {}


def _refuse_unless(ok: bool, field: str, message: str) -> None:
    if not ok:
        raise RuleViolation(field, message)


def download(data: bytes, content_type: str, filename: str) -> Response:
    """A scan as its reader receives it: saved, not shown in the page's place (a
    PDF's scripts or an image never run on this site), of the type found at upload,
    never sniffed, never cached (it holds personal data)."""
    response = Response(data, content_type=content_type)
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "'") or "scan"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


class ScanInSchema(Schema):
    """A scan sent to the API: ``multipart/form-data`` with the file in the part
    ``scan`` (the same name as the pages' file input)."""

    scan = Upload(required=True, metadata={
        "description": "The paper's scan: a PDF, JPEG or PNG file (recognised by its first "
                       f"bytes, not its name), at most {MAX_SCAN_BYTES // (1024 * 1024)} MB. "
                       "422 naming `scan` otherwise; nothing is kept."})


def document_download(blp: Any) -> Callable[[Any], Any]:
    """The API's documentation of a scan's ``download``: a PDF, JPEG or PNG file."""
    binary = {"type": "string", "format": "binary"}
    description = "The scan, as an attachment of the type found at upload"

    def decorator(view: Any) -> Any:
        for kind in ("image/jpeg", "image/png"):
            view = blp.alt_response(200, schema=binary, content_type=kind,
                                    description=description, success=True)(view)
        return blp.response(200, schema=binary, content_type="application/pdf",
                            description=description)(view)

    return decorator


class StoredScan:
    """The columns of a scan kept in the database (a mixin): its own name, the type
    found at upload, its size, the bytes (deferred: listing scans never loads them),
    when and by whom it was uploaded."""

    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = fk("users.id", nullable=True)

    def keep(self, scan: Scan, user_id: int | None) -> None:
        """Hold ``scan`` (already checked), replacing what was held."""
        self.filename, self.content_type = scan.filename, scan.content_type
        self.size, self.data = scan.size, scan.data
        self.uploaded_at, self.uploaded_by_id = utcnow(), user_id

    def download(self) -> Response:
        return download(self.data, self.content_type, self.filename)
