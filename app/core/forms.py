"""Running an operation from a page form: a refused input lands on its field.

``submit`` runs an action (the request commits it: app/core/transactions.py);
``submit_form`` first loads the posted form with the API's marshmallow schema, so
a page and the API refuse the same input with the same messages. A refused action
is undone at once and the page is shown again with ``form_status`` (422)."""

from collections.abc import Callable
from typing import Any

from flask import flash
from flask_wtf import FlaskForm
from marshmallow import Schema, ValidationError

from app.core.errors import RuleViolation
from app.core.i18n import translate_messages
from app.core.transactions import discard_changes


def attach_errors(form: FlaskForm, messages: Any) -> None:
    """Put ``{field: [message]}`` (marshmallow's shape) on the form's fields;
    messages for no field of the form (``_schema``, a rule) go above the form."""
    messages = translate_messages(messages)
    if not isinstance(messages, dict):
        messages = {"_schema": messages}
    for name, problems in messages.items():
        problems = problems if isinstance(problems, list) else [problems]
        target = form._fields.get(name) if isinstance(name, str) else None
        if target is not None:
            target.errors = [*target.errors, *map(str, problems)]
        else:
            form.form_errors = [*form.form_errors, *map(str, problems)]


def submit(form: FlaskForm, action: Callable[[], Any]) -> Any | None:
    """Run ``action`` (the request commits its work once it succeeds); on a
    RuleViolation or a marshmallow ValidationError undo its work, show the messages
    on the named fields (or above the form) and return None: the caller shows the
    form again with ``form_status`` (422). Otherwise what ``action`` returned (True
    for None)."""
    try:
        result = action()
        return result if result is not None else True
    except ValidationError as error:
        discard_changes()
        attach_errors(form, error.messages)
    except RuleViolation as error:
        discard_changes()
        attach_errors(form, error.errors)
    return None


def load_form(form: FlaskForm, schema: Schema) -> dict[str, Any] | None:
    """The posted form's values loaded by ``schema``; on refusal the messages
    are put on the fields and None is returned."""
    if not form.validate_on_submit():
        return None
    raw = {name: f.data for name, f in form._fields.items()
           if name != "csrf_token" and f.data not in ("", None) and name in schema.fields}
    try:
        return schema.load(raw)
    except ValidationError as error:
        attach_errors(form, error.messages)
        return None


def submit_form(form: FlaskForm, schema: Schema, action: Callable[[dict[str, Any]], Any],
                done: str) -> tuple[bool, Any]:
    """Load the posted form with ``schema``, ``submit`` ``action(values)`` and
    flash ``done``. Returns (succeeded, what ``action`` returned)."""
    values = load_form(form, schema)
    if values is None:
        return False, None
    result = submit(form, lambda: action(values))
    if result is None:
        return False, None
    flash(done, "success")
    return True, result


def form_status(form: FlaskForm) -> int:
    """422 for a page re-shown with errors, so tests and clients can tell."""
    return 422 if form.errors or form.form_errors else 200
