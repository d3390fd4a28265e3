"""Numbers as people in Kazakhstan write them: one reading (app/core/numbers.py)
for every form, the API's numbers sent as text and the imports."""

from decimal import Decimal

import pytest
from marshmallow import Schema, ValidationError, fields

from app.core.numbers import number_text, parse_number

NBSP, NARROW = "\u00a0", "\u202f"


@pytest.mark.parametrize(("typed", "value"), [
    ("6,5", "6.5"), ("6.5", "6.5"), ("7", "7"), (" 8 ", "8"),
    ("250 000", "250000"), (f"250{NBSP}000", "250000"), (f"1{NARROW}250{NARROW}000", "1250000"),
    (f"250{NBSP}000{NBSP}₸", "250000"), ("250 000 ₸", "250000"), ("250000₸", "250000"),
    ("KZT250 000", "250000"), ("₸ 1 500", "1500"), ("85 000 тг", "85000"),
    ("250 000,50", "250000.50"), ("1,234.5", "1234.5"), ("1.234,5", "1234.5"),
    ("1,250,000", "1250000"), ("−1 500", "-1500"), ("-6,5", "-6.5"),
])
def test_what_people_write_is_read(typed, value):
    assert number_text(typed) == value
    assert parse_number(typed) == Decimal(value)


@pytest.mark.parametrize("typed", [
    "", "abc", "6,5,", "6,", "25 00", "1 2", "2 5000", "1.234.567", "6..5", "٣", "²",
    "1,2,3", "12 345 67", "₸", "6,5 hours", "1e3", "NaN", "--1",
])
def test_what_is_not_a_number_is_refused(typed):
    assert number_text(typed) is None
    with pytest.raises(ValueError):
        parse_number(typed)


def test_a_lone_comma_before_three_digits_follows_the_language():
    assert number_text("250,000") == "250.000"  # Russian and Kazakh: a decimal comma
    assert number_text("250,000", comma_groups=True) == "250000"  # English: thousands
    assert number_text("KZT250,000", comma_groups=True) == "250000"  # as the English page
    assert number_text("6,5", comma_groups=True) == "6.5"


class Amounts(Schema):
    wage = fields.Integer()
    hours = fields.Decimal()


def test_marshmallow_number_fields_read_local_numbers(app):
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        assert Amounts().load({"wage": "250 000 ₸", "hours": "6,5"}) == {
            "wage": 250000, "hours": Decimal("6.5")}
        assert Amounts().load({"wage": 250000}) == {"wage": 250000}
        with pytest.raises(ValidationError) as refused:
            Amounts().load({"wage": "6,5", "hours": "много"})
        assert refused.value.messages == {"wage": ["Не является целым числом."],
                                          "hours": ["Не является числом."]}
