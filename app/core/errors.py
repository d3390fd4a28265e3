"""Errors: JSON for /api/..., HTML pages otherwise; bad input never a 500.

Operations raise ``RuleViolation`` (or ``Conflict``) naming the field, the
problem and, where one applies, the rule of DOMAIN.md. The request's
transaction is rolled back, so nothing is half-written.
"""

import logging
from collections.abc import Callable, Sequence
from typing import Any

from flask import Flask, has_request_context, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.core.i18n import translate_messages
from app.core.transactions import discard_changes
from app.core.vocabulary import Role

log = logging.getLogger(__name__)
WEBARGS_LOCATIONS = ("json", "query", "form", "files", "headers", "cookies")


# Who works by the rules' numbers (DOMAIN.md's R1-R32) and reads "R15: ..." in a
# refusal; entrepreneurs and partners (and a business registering) read plain words.
RULE_READERS = frozenset({Role.OFFICER, Role.PROSECUTOR, Role.ADMIN})


def reads_rule_numbers() -> bool:
    if not has_request_context():
        return True  # the command line, the logs
    return current_user.is_authenticated and current_user.role in RULE_READERS


def with_rule(rule: str | None, message: str) -> str:
    """``message`` with its rule's number in front for those who read it."""
    return f"{rule}: {message}" if rule and reads_rule_numbers() else message


class RuleViolation(Exception):
    """Input refused by a rule of the domain; 422 with the field named."""

    status_code = 422
    details: dict | None = None  # more of the answer's JSON body (a confirmation's consequences)

    def __init__(self, field: str, message: str, rule: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.message = with_rule(rule, message)
        self.rule = rule

    @property
    def errors(self) -> dict[str, list[str]]:
        return {self.field: [self.message]}


class Conflict(RuleViolation):
    """The change clashes with what is stored (capacity taken, duplicate...)."""

    status_code = 409


class Refusals(RuleViolation):
    """Several refusals found in one round: every field's messages at once, so a
    form is never refused in rounds (409 if any of them is a conflict)."""

    def __init__(self, refusals: Sequence[RuleViolation]) -> None:
        super().__init__(refusals[0].field, "; ".join(r.message for r in refusals))
        self.refusals = list(refusals)
        self.status_code = max(r.status_code for r in refusals)

    @property
    def errors(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for refusal in self.refusals:
            for field, messages in refusal.errors.items():
                found.setdefault(field, []).extend(messages)
        return found


def check_all(*checks: Callable[[], Any]) -> list[Any]:
    """Run every check and what each returned; every refusal is raised together
    (``Refusals``), not the first alone."""
    results, refusals = [], []
    for check in checks:
        try:
            results.append(check())
        except RuleViolation as refusal:
            refusals.append(refusal)
    if refusals:
        raise refusals[0] if len(refusals) == 1 else Refusals(refusals)
    return results


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(code: int, name: str, message: str = "", errors: dict | None = None,
                   details: dict | None = None):
    errors = translate_messages(errors)
    if wants_json():
        payload: dict = {"code": code, "status": name}
        if message:
            payload["message"] = message
        if errors:
            payload["errors"] = errors
        payload.update(details or {})
        return jsonify(payload), code
    return render_template("errors.html", code=code, name=name, message=message,
                           errors=errors or {}), code


def handle_http_exception(error: HTTPException):
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    if errors and len(errors) == 1 and next(iter(errors)) in WEBARGS_LOCATIONS:
        errors = next(iter(errors.values()))  # webargs nests errors under their location
    if isinstance(errors, list):  # "Invalid JSON body.": not one field's; errors stays an object
        errors = {"_": errors}
    message = data.get("message") or (error.description if error.code != 422 else "")
    if not wants_json():  # werkzeug's descriptions are English: pages explain by status
        if isinstance(error, CSRFError):
            message = _("The form has expired or was not sent from this page (CSRF check). "
                        "Reload the page and send it again.")
        elif message == type(error).description:
            message = ""
    response = make_response(error_response(error.code or 500, error.name, message, errors))
    for key, value in (data.get("headers") or {}).items():
        response.headers[key] = value
    if getattr(error, "valid_methods", None):  # 405 names the methods allowed (RFC 9110)
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_rule_violation(error: RuleViolation):
    discard_changes()
    return error_response(error.status_code, "Unprocessable Entity" if error.status_code == 422
                          else "Conflict", error.message, error.errors, error.details)


def handle_validation_error(error: ValidationError):
    discard_changes()
    messages = error.messages if isinstance(error.messages, dict) else {"_": error.messages}
    return error_response(422, "Unprocessable Entity", _("Invalid input."), messages)


# What a refused write means, by the constraint that refused it: the loser of a
# race that a row lock did not settle first (a whole month's approvals written by
# COPY, say) is told what happened. Modules add theirs with ``explain_constraint``.
CONSTRAINT_MESSAGES: dict[str, Any] = {}


def explain_constraint(name: str, message: Any) -> None:
    """Answer a write refused by the constraint ``name`` with ``message`` (lazy)."""
    CONSTRAINT_MESSAGES[name] = message


def constraint_of(error: IntegrityError) -> str | None:
    """The refusing constraint's name where the driver says it (PostgreSQL)."""
    diagnostics = getattr(error.orig, "diag", None)
    return getattr(diagnostics, "constraint_name", None)


def handle_integrity_error(error: IntegrityError):
    discard_changes()
    log.warning("integrity error: %s", error.orig)
    known = CONSTRAINT_MESSAGES.get(constraint_of(error) or "")
    return error_response(409, "Conflict", str(known) if known else _(
        "This record clashes with one already stored (a duplicate or a missing reference)."))


def handle_out_of_range(error: Exception):
    """A number too large for the database (a query-string id, say) is bad input."""
    discard_changes()
    return error_response(422, "Unprocessable Entity", _("A number is out of range."))


def handle_unexpected(error: Exception):
    discard_changes()
    log.exception("unexpected error")
    # ``InternalServerError.name`` is a property of instances; on the class it is
    # a property object, which no JSON encoder can write.
    return error_response(500, InternalServerError().name, _("An unexpected error occurred."))


def register_error_handlers(app: Flask) -> None:
    # Registered after flask-smorest's own HTTPException handler, so this one wins.
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(RuleViolation, handle_rule_violation)
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(OverflowError, handle_out_of_range)
    app.register_error_handler(DataError, handle_out_of_range)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
