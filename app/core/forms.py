"""Running an operation from a page form: a refused rule lands on its field."""

from collections.abc import Callable
from typing import Any

from flask_wtf import FlaskForm

from app.core.errors import RuleViolation
from app.extensions import db


def submit(form: FlaskForm, action: Callable[[], Any]) -> Any | None:
    """Run ``action`` and commit; on a RuleViolation roll back, show the message
    on the named field (or above the form) and return None."""
    try:
        result = action()
        db.session.commit()
        return result if result is not None else True
    except RuleViolation as error:
        db.session.rollback()
        field = getattr(form, error.field, None)
        (field.errors if field is not None else form.form_errors).append(error.message)
        return None


def form_status(form: FlaskForm) -> int:
    """422 for a page re-shown with errors, so tests and clients can tell."""
    return 422 if form.errors else 200
