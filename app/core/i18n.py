"""The user's language, and the messages libraries produce, in that language.

Marshmallow writes its validation messages in English; ``install_library_messages``
turns each of its default messages into a :class:`LibraryMessage`, which is translated
by our catalogue at the moment marshmallow fills it in, so a page and the API refuse
input in the user's language. WTForms' own messages come from WTForms' catalogues
(Flask-WTF, ``WTF_I18N_ENABLED``), which include Russian and Kazakh.
"""

import inspect
from typing import Any

from flask import current_app, has_request_context, request, session
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import Schema, fields, validate


def select_locale() -> str | None:
    """The user's saved language, else the one picked this session, else the browser's."""
    if not has_request_context():  # CLI, tests calling operations: the default locale
        return None
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("language") in languages:
        return session["language"]
    return request.accept_languages.best_match(list(languages))


# Every message marshmallow (and webargs) may show, spelled here so that the
# catalogue extraction finds it. Range's operator words are composed in English
# first ("Must be greater than or equal to {min}."), then translated whole.
LIBRARY_MESSAGES = [
    _l("Missing data for required field."), _l("Field may not be null."),
    _l("Invalid value."), _l("Invalid input."), _l("Invalid input type."), _l("Invalid type."),
    _l("Unknown field."), _l("Invalid JSON body."),
    _l("Not a valid string."), _l("Not a valid utf-8 string."), _l("Not a valid integer."),
    _l("Not a valid number."), _l("Number too large."),
    _l("Special numeric values (nan or infinity) are not permitted."),
    _l("Not a valid boolean."), _l("Not a valid date."), _l("Not a valid datetime."),
    _l("Not a valid time."), _l("Not a valid {awareness} datetime."),
    _l("Not a valid {awareness} date."),
    _l("Not a valid {awareness} time."),
    _l("\"{input}\" cannot be formatted as a date."),
    _l("\"{input}\" cannot be formatted as a datetime."),
    _l("\"{input}\" cannot be formatted as a time."),
    _l("Not a valid period of time."), _l("{input!r} cannot be formatted as a timedelta."),
    _l("Not a valid list."), _l("Not a valid tuple."), _l("Not a valid delimited list."),
    _l("Not a valid delimited tuple."), _l("Not a valid mapping type."),
    _l("Not a valid UUID."), _l("Not a valid URL."), _l("Not a valid email address."),
    _l("Not a valid IP address."), _l("Not a valid IPv4 address."),
    _l("Not a valid IPv6 address."), _l("Not a valid IP interface."),
    _l("Not a valid IPv4 interface."), _l("Not a valid IPv6 interface."),
    _l("Must be one of: {choices}."), _l("Must be equal to {other}."),
    _l("One or more of the choices you made was not in: {choices}."),
    _l("One or more of the choices you made was in: {values}."),
    _l("String does not match expected pattern."),
    _l("Shorter than minimum length {min}."), _l("Longer than maximum length {max}."),
    _l("Length must be between {min} and {max}."), _l("Length must be {equal}."),
    _l("Must be greater than or equal to {min}."), _l("Must be greater than {min}."),
    _l("Must be less than or equal to {max}."), _l("Must be less than {max}."),
    _l("Must be greater than or equal to {min} and less than or equal to {max}."),
    _l("Must be greater than {min} and less than or equal to {max}."),
    _l("Must be greater than or equal to {min} and less than {max}."),
    _l("Must be greater than {min} and less than {max}."),
]


class LibraryMessage(str):
    """A library's English message, translated when the library fills it in."""

    def format(self, *args: Any, **kwargs: Any) -> str:
        if kwargs and set(kwargs) <= {"min_op", "max_op"} and not args:  # Range composing
            return LibraryMessage(str.format(self, **kwargs))
        text = gettext(str(self)) if has_request_context() else str(self)
        return text.format(*args, **kwargs)


def translate_messages(messages: Any) -> Any:
    """Marshmallow's error dict with the messages it stores unformatted
    ("Unknown field.") translated too."""
    if isinstance(messages, LibraryMessage):
        return gettext(str(messages))
    if isinstance(messages, dict):
        return {key: translate_messages(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [translate_messages(value) for value in messages]
    return messages


def _wrap(messages: dict[str, Any]) -> dict[str, Any]:
    return {key: LibraryMessage(value) if isinstance(value, str) else value
            for key, value in messages.items()}


def install_library_messages() -> None:
    """Make marshmallow's default messages translatable (once per process)."""
    for field_class in field_classes():
        field_class.default_error_messages = _wrap(field_messages(field_class))
    Schema._default_error_messages = _wrap(Schema._default_error_messages)
    for validator_class in _subclasses(validate.Validator):
        for name, value in list(vars(validator_class).items()):
            if name.startswith(("message", "default_message")) and isinstance(value, str):
                setattr(validator_class, name, LibraryMessage(value))


def field_classes() -> list[type[fields.Field]]:
    return _subclasses(fields.Field)


def field_messages(field_class: type[fields.Field]) -> dict[str, Any]:
    """A field class's messages as marshmallow merges them, "{obj_type}" spelled out."""
    merged: dict[str, Any] = {}
    for cls in reversed(field_class.__mro__):
        merged.update(getattr(cls, "default_error_messages", {}))
    obj_type = getattr(field_class, "OBJ_TYPE", None)
    if obj_type:
        merged = {key: value.replace("{obj_type}", obj_type) if isinstance(value, str)
                  else value for key, value in merged.items()}
    return merged


def _subclasses(base: type) -> list[type]:
    found = [base]
    for sub in base.__subclasses__():
        found.extend(_subclasses(sub))
    return [cls for cls in found if inspect.isclass(cls)]
