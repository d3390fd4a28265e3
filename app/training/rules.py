"""The rules a course and an enrolment satisfy, one function per rule."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from app.core.errors import RuleViolation


def check_course_dates(values: Mapping[str, Any]) -> None:
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        raise RuleViolation("end_date", "cannot be before the start date")


def course_problems(values: Mapping[str, Any]) -> dict[str, list[str]]:
    try:
        check_course_dates(values)
    except RuleViolation as violation:
        return violation.errors
    return {}


def check_r13_ends_before_release(course_end: date, release_date: date | None) -> None:
    """R13: a course is taken only if it ends before the inmate's release
    (as the engine recommends courses: release after the course's end)."""
    if release_date is not None and course_end >= release_date:
        raise RuleViolation("inmate_id", f"the course ends on {course_end.isoformat()}, not "
                                         f"before the release on {release_date.isoformat()}",
                            rule="R13")
