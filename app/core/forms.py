"""Running an operation from a page form: a refused input lands on its field.

``submit`` runs an action (the request commits it: app/core/transactions.py);
``submit_form`` first loads the posted form with the API's marshmallow schema, so
a page and the API refuse the same input with the same messages. A refused action
is undone at once and the page is shown again with ``form_status`` (422)."""

from collections.abc import Callable
from typing import Any

from flask import flash, render_template, request
from flask_wtf import FlaskForm
from marshmallow import Schema, ValidationError
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from app.core.errors import RuleViolation
from app.core.i18n import translate_messages
from app.core.transactions import discard_changes


class CheckboxesField(SelectMultipleField):
    """A choice of several values shown as checkboxes, not a Ctrl-click list (the
    ``field`` macro puts them in a fieldset under their label)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


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


Checks = Callable[[dict[str, Any]], dict[str, list[str]]]


def load_form(form: FlaskForm, schema: Schema, also: Checks | None = None
              ) -> dict[str, Any] | None:
    """The posted form's values loaded by ``schema``; on refusal the messages
    are put on the fields and None is returned. The form's own checks, the
    schema's and ``also`` (what the stored records refuse: a number already
    used...) run in the same round, so the page lists every problem at once (a
    field already refused keeps only its first message)."""
    if not form.is_submitted():
        return None
    valid = form.validate()
    raw = {name: f.data for name, f in form._fields.items()
           if name != "csrf_token" and f.data not in ("", None) and name in schema.fields
           and not f.errors}
    values = None
    try:
        values = schema.load(raw, partial=not valid)
    except ValidationError as error:
        _attach_new(form, error.messages)
    found = also(raw) if also else {}
    _attach_new(form, found)
    return values if valid and values is not None and not found else None


def _attach_new(form: FlaskForm, messages: Any) -> None:
    """``attach_errors`` for the fields not refused yet."""
    if not isinstance(messages, dict):
        messages = {"_schema": messages}
    attach_errors(form, {name: problems for name, problems in messages.items()
                         if not (name in form._fields and form._fields[name].errors)})


def submit_form(form: FlaskForm, schema: Schema, action: Callable[[dict[str, Any]], Any],
                done: str, also: Checks | None = None) -> tuple[bool, Any]:
    """Load the posted form with ``schema`` (and ``also``: see ``load_form``),
    ``submit`` ``action(values)`` and flash ``done``. Returns (succeeded, what
    ``action`` returned)."""
    values = load_form(form, schema, also)
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


# --- check your answers before what cannot be undone ------------------------------------

def confirmed() -> bool:
    """Whether the posted form comes from its check-your-answers page."""
    return request.form.get("confirmed") == "1"


def rehearse(action: Callable[[], Any]) -> Any:
    """Run ``action`` and undo its work at once: what it would do (``action`` returns
    plain values, read before the undo expires the records) or its refusal, raised.
    A check-your-answers page so shows the action's problems before asking, and
    tells only what the confirmed action will do."""
    try:
        return action()
    finally:
        discard_changes()


def check_answers(title: str, consequences: list[str], button: str, back: str,
                  answers: list[tuple[str, Any]] | None = None,
                  table: tuple[list[str], list[list[Any]]] | None = None) -> str:
    """The GOV.UK check-your-answers page for the form just posted: its ``answers``
    (label, value), the records it changes (``table``: headings and rows), what
    follows, a real button and a way back. The button posts the same form again
    (hidden fields) with ``confirmed``; Cancel leaves everything as it was."""
    hidden = [(name, value) for name, value in request.form.items(multi=True)
              if name not in ("csrf_token", "confirmed")] + [("confirmed", "1")]
    return render_template("confirm.html", form=None, action=request.path, title=title,
                           consequences=consequences, button=button, back=back,
                           answers=answers or [], table=table, hidden_pairs=hidden)
