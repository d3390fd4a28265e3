"""Day conventions shared by every rule.

Ages: DOMAIN R4 — an age of Y years and M months is reached on the same day of the
month as the birth; where that month has no such day (born on the 29th-31st), on its
last day. Instead of computing every person's age, each rule asks "born on or before
:func:`born_by`": one date per (day, age), which numpy, SQL and Python compare alike.

Periods are half-open: a placement, consent or custody period that starts on ``start``
and ends on ``end`` is in force on ``start`` and no longer on ``end``.
"""

import calendar
from datetime import date
from decimal import Decimal

EPOCH_MONTHS = 12  # month index of January of year 1


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def months_of(years: Decimal | int | float) -> int:
    """Whole months in an age given in years (61.5 -> 738)."""
    return int(round(Decimal(str(years)) * 12))


def born_by(day: date, age_months: int) -> date:
    """The latest birth date of somebody who has reached ``age_months`` on ``day``.

    Born on or before it <=> the age is reached on or before ``day``. On the last day
    of a month everyone born on a later day number in the target month has reached it
    too (the month of ``day`` has no such day), so the bound is that month's last day.
    """
    index = _month_index(day) - age_months
    if index < EPOCH_MONTHS:
        return date.min
    year, month0 = divmod(index, 12)
    last = _last_day(year, month0 + 1)
    if day.day == _last_day(day.year, day.month):
        return date(year, month0 + 1, last)
    return date(year, month0 + 1, min(day.day, last))


def reached_age(birth: date, day: date, age_months: int) -> bool:
    """Has a person born on ``birth`` reached ``age_months`` on ``day``?"""
    return birth <= born_by(day, age_months)


def age_reached_on(birth: date, age_months: int) -> date:
    """The day a person born on ``birth`` reaches ``age_months`` (R4's convention)."""
    index = _month_index(birth) + age_months
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, min(birth.day, _last_day(year, month0 + 1)))
