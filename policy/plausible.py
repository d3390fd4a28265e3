"""Plausible values (DOMAIN "Plausible values"): the one definition of the bounds that
the API, the page forms and the spreadsheet import check where data enters.

Each check returns None when the value is plausible, else a :class:`Implausible`
carrying an English message (marked for translation) and its values.
"""

from dataclasses import dataclass
from datetime import date

from policy.dates import born_by, months_of
from policy.law import N_

FIRST_EVENT_DAY = date(2015, 1, 1)  # the current Criminal-Executive Code
EVENT_YEARS_AHEAD = 5  # events (admission, consents, placements...) up to today + 5 years
RELEASE_YEARS_AHEAD = 30  # longer terms are life imprisonment, with no release date
AGE_AT_ADMISSION = (14, 100)  # years
POSITIONS = (1, 10_000)  # of a vacancy
SEATS = (1, 1_000)  # of a course
WAGE_MINIMA = 100  # a monthly wage is at most 100 x the minimum wage
MIN_WEEKLY_HOURS = 1  # to the adult limit of the year
TRAINING_HOURS_A_DAY = 10  # of a course, every day: 360 hours take at least 36 days


@dataclass(frozen=True)
class Implausible:
    message: str
    values: dict[str, object]


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def latest_event_day(today: date) -> date:
    return years_after(today, EVENT_YEARS_AHEAD)


def event_day(value: date, today: date) -> Implausible | None:
    """A dated event lies between 2015-01-01 and today + 5 years."""
    latest = latest_event_day(today)
    if not FIRST_EVENT_DAY <= value <= latest:
        return Implausible(N_("must be between %(first)s and %(last)s"),
                           {"first": FIRST_EVENT_DAY, "last": latest})
    return None


def release_day(value: date, today: date) -> Implausible | None:
    """An expected release lies between 2015-01-01 and today + 30 years."""
    latest = years_after(today, RELEASE_YEARS_AHEAD)
    if not FIRST_EVENT_DAY <= value <= latest:
        return Implausible(N_("must be between %(first)s and %(last)s; a longer term is "
                              "entered as life imprisonment, without a release date"),
                           {"first": FIRST_EVENT_DAY, "last": latest})
    return None


def birth_day(birth: date, admission: date) -> Implausible | None:
    """The person is 14 to 100 years old on admission (R4's day convention)."""
    youngest, oldest = AGE_AT_ADMISSION
    if birth > born_by(admission, months_of(youngest)) or birth <= born_by(
            admission, months_of(oldest + 1)):
        return Implausible(N_("the person must be %(youngest)s to %(oldest)s years old on "
                              "the admission date"), {"youngest": youngest, "oldest": oldest})
    return None


def within(value: int, bounds: tuple[int, int]) -> Implausible | None:
    low, high = bounds
    if not low <= value <= high:
        return Implausible(N_("must be between %(low)s and %(high)s"),
                           {"low": low, "high": high})
    return None


def monthly_wage(value: int, min_monthly_wage: int) -> Implausible | None:
    return within(value, (0, WAGE_MINIMA * min_monthly_wage))


def weekly_hours(value: int, max_hours_adult: int) -> Implausible | None:
    return within(value, (MIN_WEEKLY_HOURS, max_hours_adult))


def on_or_after(value: date, earliest: date, what: str) -> Implausible | None:
    """An enrolment or placement starts on or after admission (or the course's start)."""
    if value < earliest:
        return Implausible(N_("cannot be before the %(what)s (%(earliest)s)"),
                           {"what": what, "earliest": earliest})
    return None


def course_pace(hours: int, started: date, completed: date) -> Implausible | None:
    """A course completed sooner than its hours allow (at most
    ``TRAINING_HOURS_A_DAY`` on every day from its first, both days counted): not
    refused, but confirmed with a reason."""
    days = (completed - started).days + 1
    days_needed = -(-hours // TRAINING_HOURS_A_DAY)  # rounded up
    if days >= days_needed:
        return None
    return Implausible(N_("a course of %(hours)s hours takes at least %(needed)s days (at most "
                          "%(per_day)s hours a day); this one was completed on its day "
                          "%(days)s: give the reason to confirm"),
                       {"hours": hours, "needed": days_needed, "per_day": TRAINING_HOURS_A_DAY,
                        "days": days})
