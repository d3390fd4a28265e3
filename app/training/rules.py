"""The rules a course and an enrolment satisfy, one function per rule."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _

from app.core.errors import Conflict, RuleViolation


def check_course_dates(values: Mapping[str, Any]) -> None:
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        raise RuleViolation("end_date", _("cannot be before the start date"))


def course_problems(values: Mapping[str, Any]) -> dict[str, list[str]]:
    try:
        check_course_dates(values)
    except RuleViolation as violation:
        return violation.errors
    return {}


def ends_before_release(course_end: date, release_date: date | None) -> bool:
    """R13: a course is taken only if it ends before the inmate's release (as the
    engine recommends courses: release after the course's end)."""
    return release_date is None or course_end < release_date


def check_r13_ends_before_release(course_end: date, release_date: date | None) -> None:
    if not ends_before_release(course_end, release_date):
        raise RuleViolation("inmate_id", _("the course ends on %(end)s, not before the release "
                                           "on %(release)s", end=course_end.isoformat(),
                                           release=release_date.isoformat()), rule="R13")


def check_r13_enrolled(course_end: date, release_dates: list[date | None]) -> None:
    """R13 for a course's new end date: every inmate enrolled must still be released
    after it."""
    released_first = sum(not ends_before_release(course_end, day) for day in release_dates)
    if released_first:
        raise Conflict("end_date", _("%(num)s enrolled inmate(s) would be released on or before "
                                     "the course ends on %(end)s; drop them first or keep "
                                     "the end date", num=released_first,
                                     end=course_end.isoformat()), rule="R13")
