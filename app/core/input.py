"""Input no handler should ever see: refused (422, or 400 when too deep to parse) before
any view runs.

- a JSON body nested deeper than ``MAX_JSON_DEPTH`` (a 50,000-deep array exhausts
  Python's recursion and was a 500);
- a request line longer than ``MAX_REQUEST_LINE`` bytes (414): gunicorn's own bound
  (``limit_request_line`` in gunicorn.conf.py) is set above it, so that the app, not
  gunicorn's bare page, answers with the security headers of every answer;
- text holding a lone UTF-16 surrogate (``"\\ud800"`` is valid JSON but no
  database or encoder can store it) or a NUL character (PostgreSQL refuses it),
  in a JSON body, a form field or the query string.

The answer names the field: ``{"errors": {"name": ["..."]}}`` (the path inside
the body, e.g. ``vacancies.0.title``; ``_`` for the whole document, as the API's
other 400 answers do).
"""

import json
import re
from typing import Any

from flask import Flask, Request, current_app, request
from flask_babel import gettext as _
from flask_smorest import abort

from app.core import scans

MAX_JSON_DEPTH = 32
# gunicorn's default bound; gunicorn.conf.py lets twice this through to the app.
MAX_REQUEST_LINE = 4094

# In UTF-8 JSON a NUL or a lone surrogate can only arrive as a \u escape (raw, the
# first is invalid JSON and the second invalid UTF-8): a body without such an
# escape and with fewer brackets than the depth limit needs no parse here. A NUL
# byte means UTF-16 or UTF-32 (or junk), which is always parsed.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")


def _json_may_hold_problems(data: bytes) -> bool:
    return (b"\x00" in data or _SUSPECT_ESCAPE.search(data) is not None
            or data.count(b"[") + data.count(b"{") > MAX_JSON_DEPTH)


def _text_problem(text: str) -> str | None:
    if "\x00" in text:
        return _("must not contain a NUL character")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return _("must not contain a lone UTF-16 surrogate")
    return None


def json_problem(value: Any) -> tuple[str, str] | None:
    """(field path, problem) for the first bad part of a parsed JSON document, or None.
    Walks without recursion, so depth itself cannot break it."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return path or "_", _("is nested too deeply")
        if isinstance(item, str):
            problem = _text_problem(item)
            if problem:
                return path or "_", problem
        elif isinstance(item, dict):
            for key, inner in item.items():
                problem = _text_problem(key)
                name = f"{path}.{key}" if path else str(key)
                if problem:
                    return name.encode("utf-8", "replace").decode(), problem
                stack.append((inner, name, depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, f"{path}.{i}" if path else str(i), depth + 1)
                         for i, inner in enumerate(item))
    return None


class TooDeep(ValueError):
    """Nested past what the parser can follow."""


def parse_json(data: bytes | str) -> Any:
    """``data`` parsed, or ValueError (TooDeep when nested past what the parser can)."""
    try:
        return json.loads(data)
    except RecursionError as error:
        raise TooDeep from error


def _refuse(field: str, problem: str, status: int = 422) -> None:
    """A value no field can hold (NUL, a lone surrogate) is 422, like any value a field
    refuses; a document the parser cannot follow (too deep) is 400, like bad JSON."""
    abort(status, message=_("The request holds input that cannot be accepted."),
          errors={field: [problem]})


def request_line_length() -> int:
    """Bytes of ``METHOD target PROTOCOL`` as received (gunicorn's ``RAW_URI``), or as
    rebuilt from the path and query when the server gives no raw target."""
    environ = request.environ
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI") or (
        request.script_root + request.path
        + ("?" + request.query_string.decode("latin-1") if request.query_string else ""))
    return len(f"{request.method} {target} {environ.get('SERVER_PROTOCOL', 'HTTP/1.1')}"
               .encode())


LARGE_UPLOAD_ENDPOINTS: set[str] = set()


def allow_large_uploads(endpoint: str) -> None:
    """Let ``endpoint`` take files up to ``JOB_UPLOAD_MAX_BYTES`` (it streams them to
    disk for a job) instead of ``MAX_CONTENT_LENGTH``."""
    LARGE_UPLOAD_ENDPOINTS.add(endpoint)


class AppRequest(Request):
    """The request size limit of its endpoint, decided before anything reads the body
    (the CSRF check reads the form first)."""

    @property
    def max_content_length(self) -> int | None:
        if self.endpoint in LARGE_UPLOAD_ENDPOINTS:
            return current_app.config["JOB_UPLOAD_MAX_BYTES"]
        if self.endpoint in scans.SCAN_ENDPOINTS:
            return max(current_app.config["MAX_CONTENT_LENGTH"], scans.MAX_SCAN_REQUEST_BYTES)
        return current_app.config["MAX_CONTENT_LENGTH"]


def register_input_checks(app: Flask) -> None:
    app.request_class = AppRequest
    @app.before_request
    def refuse_unusable_input() -> None:
        if request_line_length() > MAX_REQUEST_LINE:
            abort(414, message=_("The address is too long."))
        for source in (request.args, request.form):
            for name, value in source.items(multi=True):
                problem = _text_problem(name) or _text_problem(value)
                if problem:
                    _refuse(name, problem)
        if request.is_json and request.content_length:
            data = request.get_data(cache=True)
            if not _json_may_hold_problems(data):
                return
            try:
                document = parse_json(data)
            except TooDeep:
                _refuse("_", _("is nested too deeply"), 400)
            except ValueError:
                return  # not JSON: the API's own parser answers 400 ("Invalid JSON body.")
            found = json_problem(document)
            if found:
                _refuse(*found)
