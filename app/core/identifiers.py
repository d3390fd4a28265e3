"""R15: BIN and IIN are 12 digits whose last digit is a check digit.

The check digit is the weighted sum of the first 11 digits mod 11 with
weights 1..11; if that gives 10, weights 3..11,1,2 are used instead; if that
gives 10 again, the number is invalid.
"""


def N_(text: str) -> str:
    """Mark ``text`` for the catalogue; it is translated where it is shown."""
    return text


FIRST_WEIGHTS = tuple(range(1, 12))
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when no digit is possible."""
    digits = [int(c) for c in first_eleven]
    for weights in (FIRST_WEIGHTS, SECOND_WEIGHTS):
        value = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if value != 10:
            return value
    return None


def bin_iin_problem(value: str) -> str | None:
    """Why ``value`` is not a valid BIN/IIN, or None when it is."""
    # ASCII digits only: str.isdigit() also takes "²" or Arabic-Indic "٠", which int()
    # reads as 0 (a duplicate of 000000000000 got in that way) or cannot read at all.
    if len(value) != 12 or not (value.isascii() and value.isdigit()):
        return N_("must be exactly 12 digits")
    expected = check_digit(value[:11])
    if expected is None:
        return N_("is not a valid number (no check digit is possible)")
    if int(value[11]) != expected:
        return N_("has a wrong check digit")
    return None
