"""Plausible values at every entry point, from the one definition in ``policy.plausible``:
marshmallow fields for the API, the forms that load with the API's schemas and the
spreadsheet import; ``refuse`` for the operations, which every entry point calls (the
WTForms-only pages too) and which check what depends on stored data (admission,
vacancy dates).
"""

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from marshmallow import ValidationError, fields

from app.core.errors import RuleViolation
from policy import plausible
from policy.clock import today_in_kazakhstan
from policy.plausible import Implausible

DOTTED_DATE = re.compile(r"^\d{2}\.\d{2}\.\d{4}$", re.ASCII)  # "²" is no digit here
DayCheck = Callable[[date, date], Implausible | None]


def message(problem: Implausible) -> str:
    """The problem in the user's language, dates formatted for it."""
    values = {k: format_date(v) if isinstance(v, date) else _(v) if isinstance(v, str) else v
              for k, v in problem.values.items()}  # words such as "admission date" too
    return _(problem.message, **values)


def refuse(field: str, problem: Implausible | None) -> None:
    """Raise the problem on ``field`` (422), if there is one."""
    if problem is not None:
        raise RuleViolation(field, message(problem))


class Day(fields.Date):
    """An ISO date (2026-05-31), or the day.month.year form officers' spreadsheets use."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> date:
        if isinstance(value, str) and DOTTED_DATE.match(value.strip()):
            day, month, year = value.strip().split(".")
            value = f"{year}-{month}-{day}"
        return super()._deserialize(value, attr, data, **kwargs)


class _CheckedDay(Day):
    check: DayCheck

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> date:
        day = super()._deserialize(value, attr, data, **kwargs)
        problem = type(self).check(day, today_in_kazakhstan())
        if problem is not None:
            raise ValidationError(message(problem))
        return day


class EventDay(_CheckedDay):
    """The day of an event (admission, consent, assessment, placement, enrolment...):
    2015-01-01 to today + 5 years."""

    check = staticmethod(plausible.event_day)


class ReleaseDay(_CheckedDay):
    """An expected release: 2015-01-01 to today + 30 years."""

    check = staticmethod(plausible.release_day)


def within(bounds: tuple[int, int]) -> Callable[[int], None]:
    """A marshmallow validator for a count between ``bounds`` (positions, seats)."""
    def validate(value: int) -> None:
        problem = plausible.within(value, bounds)
        if problem is not None:
            raise ValidationError(message(problem))

    return validate
