"""Numbers as people in Kazakhstan write them, read the same way everywhere.

A page prints "250 000 ₸" and "6,5" in Russian and Kazakh (non-breaking spaces
between thousands, a decimal comma) and "KZT250,000" and "6.5" in English; an
officer types any of these, or copies them from a spreadsheet. ``number_text``
is the one reading of such text: every form field (``install_local_numbers``
makes marshmallow's number fields use it, ``WholeNumberField`` and
``NumberField`` are the WTForms ones), the API's numbers sent as text and the
spreadsheet imports.

What is accepted: blanks of any kind (space, non-breaking, narrow, thin)
between groups of three digits; the currency written before or after ("₸",
"KZT", "тг", "тенге"); a decimal comma or point; "−" (the page's minus) for
"-". A comma followed by exactly three digits and nothing else ("250,000") is
ambiguous: the English page groups thousands with it, Russian and Kazakh write
decimals with it, so the user's language decides (``comma_groups``)."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import has_request_context
from flask_babel import get_locale
from marshmallow import fields
from wtforms import DecimalField, IntegerField
from wtforms.widgets import TextInput

BLANKS = "\u0020\u00a0\u202f\u2009\u2007"
CURRENCY = re.compile(r"^(?:₸|kzt|тг\.?|тенге|tenge)\s*|\s*(?:₸|kzt|тг\.?|тенге|tenge)$",
                      re.IGNORECASE)
GROUPED = re.compile(r"^[0-9]{1,3}(?:[" + BLANKS + r"][0-9]{3})+$")
COMMA_GROUPED = re.compile(r"^[0-9]{1,3}(?:,[0-9]{3})+$")
DIGITS = re.compile(r"^[0-9]+$")


def number_text(text: str, *, comma_groups: bool = False) -> str | None:
    """``text`` as a plain number ("250000", "-6.5"), or None when it is not one.
    ``comma_groups``: a lone comma before three digits groups thousands (English)."""
    text = CURRENCY.sub("", text.strip(BLANKS + "\t")).strip(BLANKS)
    sign = ""
    if text[:1] in ("-", "−", "+"):
        sign, text = ("" if text[0] == "+" else "-"), text[1:].lstrip(BLANKS)
    whole, fraction = _split(text, comma_groups)
    if whole is None or (fraction is not None and not DIGITS.match(fraction)):
        return None
    if GROUPED.match(whole) or COMMA_GROUPED.match(whole):
        whole = re.sub(r"[^0-9]", "", whole)
    if not DIGITS.match(whole):
        return None
    return sign + whole + (f".{fraction}" if fraction is not None else "")


def _split(text: str, comma_groups: bool) -> tuple[str | None, str | None]:
    """(whole part, fractional part or None): the last of "," and "." that
    appears is the decimal mark when both do."""
    if "," in text and "." in text:
        mark = "," if text.rindex(",") > text.rindex(".") else "."
        grouping = "." if mark == "," else ","
        whole, _mark, fraction = text.rpartition(mark)
        return (whole if grouping == "," else _dots_as_groups(whole)), fraction
    if text.count(",") > 1 or (comma_groups and COMMA_GROUPED.match(text)):
        return text, None
    for mark in (",", "."):
        if text.count(mark) == 1:
            whole, _mark, fraction = text.partition(mark)
            return whole, fraction
    if "." in text:
        return None, None
    return text, None


def _dots_as_groups(whole: str) -> str | None:
    """"1.234.567" (points grouping thousands, a comma for decimals) as "1,234,567"."""
    return whole.replace(".", ",") if COMMA_GROUPED.match(whole.replace(".", ",")) else None


def parse_number(text: str, *, comma_groups: bool = False) -> Decimal:
    """``text`` as an exact Decimal; ValueError when it is not a number."""
    plain = number_text(text, comma_groups=comma_groups)
    if plain is None:
        raise ValueError(text)
    try:
        return Decimal(plain)
    except InvalidOperation as error:  # pragma: no cover - number_text admits digits only
        raise ValueError(text) from error


def user_groups_with_comma() -> bool:
    """Whether the user's language groups thousands with a comma (English pages)."""
    return has_request_context() and str(get_locale() or "en").startswith("en")


def local_number(value: Any) -> Any:
    """A form's or a JSON body's text in the number it writes; anything else as
    it came (the field then refuses it with its own message)."""
    if not isinstance(value, str):
        return value
    plain = number_text(value, comma_groups=user_groups_with_comma())
    return value if plain is None else plain


def install_local_numbers() -> None:
    """Every marshmallow number field (Integer, Decimal, Float and theirs) reads
    text with ``local_number`` first (once per process)."""
    if getattr(fields.Number, "_local_numbers", False):
        return
    english_deserialize = fields.Number._deserialize

    def _deserialize(self: fields.Number, value: Any, attr: Any, data: Any, **kwargs: Any):
        return english_deserialize(self, local_number(value), attr, data, **kwargs)

    fields.Number._deserialize = _deserialize  # type: ignore[method-assign]
    fields.Number._local_numbers = True  # type: ignore[attr-defined]


class _TypedNumber:
    """A text box (the browser's number box refuses "6,5" and "250 000") that
    a phone opens on its number keyboard."""

    widget = TextInput()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        render_kw = {"inputmode": "decimal", "autocomplete": "off",
                     **(kwargs.pop("render_kw", None) or {})}
        super().__init__(*args, render_kw=render_kw, **kwargs)  # type: ignore[call-arg]

    def process_formdata(self, valuelist: list[str]) -> None:
        super().process_formdata([local_number(value) for value in valuelist])  # type: ignore[misc]


class WholeNumberField(_TypedNumber, IntegerField):
    """A whole number typed as people write it ("250 000 ₸")."""


class NumberField(_TypedNumber, DecimalField):
    """A decimal number typed as people write it ("6,5")."""
