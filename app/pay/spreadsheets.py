"""Timesheets from a spreadsheet (CSV or XLSX), one row per worker and a column
per day of the month: a number is hours worked, a word is an absence reason
(sick, refused, rest_day...), blank is a day not scheduled. Reads files with the
inmates import's reader and reports the same way (row, column, problem); writes
only when the whole file is clean, all or nothing."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from flask import Response
from flask_babel import gettext as _

from app.core import tables
from app.core.numbers import parse_number, user_groups_with_comma
from app.core.vocabulary import Role
from app.extensions import db
from app.inmates.spreadsheets import ImportReport, read_columns
from app.pay import operations as ops
from app.pay.models import TimesheetStatus
from policy import pay as law

KIND = "timesheets"
LEADING = ("placement_id", "worker", "vacancy")
TRAILING = ("piece_rate", "bonus")


def columns(month: date) -> list[str]:
    return [*LEADING, *(str(n) for n in range(1, len(law.month_days(month)) + 1)), *TRAILING]


def template(user: Any, month: date, file_format: str) -> bytes:
    """The month's sheet with one row per worker, days blank."""
    rows = [[p.id, f"{last} {first}", title] for p, last, first, title
            in db.session.execute(ops.placements_in_month(user, month))]
    return tables.write_table(file_format, columns(month), rows)


def payroll_download(employer_id: int, month: date) -> Response:
    """The employer's payroll of ``month`` as an XLSX named after the month."""
    header, rows = ops.payroll_table(ops.payroll(employer_id, month), month)
    return tables.download(tables.write_xlsx(header, rows), "xlsx", f"payroll-{month:%Y-%m}")


def _number(text: str) -> Decimal:
    """A cell's number as people write it ("6,5", "250 000 ₸"); blank is 0."""
    return parse_number(text, comma_groups=user_groups_with_comma()) if text.strip() \
        else Decimal(0)


def _cell(text: str) -> dict[str, Any] | str:
    """A day's cell as the timesheet's entry, or the problem."""
    try:
        return {"hours": _number(text), "absence": None}
    except ValueError:
        word = text.strip().lower()
        if word in law.ABSENCE_REASONS or word in law.EMPLOYER_ABSENCE.values():
            return {"hours": 0, "absence": word}
        return _("is neither hours nor an absence reason")


def _amount(text: str) -> int | str:
    try:
        value = _number(text)
    except ValueError:
        value = None
    if value is None or value != value.to_integral_value():
        return _("must be a whole number of tenge")
    return int(value) if 0 <= value <= 10_000_000 else _("must be between 0 and 10,000,000")


class _Discard(Exception):
    """Leaves the import's savepoint without keeping what it wrote."""


def run_import(user: Any, month: date, filename: str, data: bytes, *, dry_run: bool,
               step: Callable[[int, int], None] | None = None) -> ImportReport:
    """Check the whole file (read within the inmates import's bounds); write it (one
    savepoint) only when clean and not a dry run. ``step(rows done, rows)`` is told
    how far it got (a job's progress)."""
    report = ImportReport(kind=KIND, dry_run=dry_run)
    month = ops.check_month(month)
    _names, chunks = read_columns(filename, data, report, columns(month), ("placement_id",))
    records = [record for chunk in chunks for record in chunk]
    if report.problems:
        return report
    allowed = {p.id: p for p, *_names in db.session.execute(ops.placements_in_month(user, month))}
    seen: dict[int, int] = {}
    try:
        with db.session.begin_nested():  # a savepoint: left on any problem or a dry run
            for number, record in records:
                report.rows += 1
                if step is not None:
                    step(report.rows, len(records))
                _import_row(user, month, number, {k: v.strip() for k, v in record.items()},
                            allowed, seen, report)
            if report.problems or dry_run:
                raise _Discard
        report.committed = True
    except _Discard:
        pass
    return report


def _import_row(user: Any, month: date, number: int, record: dict[str, str],
                allowed: dict[int, Any], seen: dict[int, int], report: ImportReport
                ) -> None:
    try:
        placement = allowed[int(record.get("placement_id", ""))]
    except (ValueError, KeyError):
        report.add(number, "placement_id", "is not one of your workers active in this month")
        return
    if placement.id in seen:
        report.add(number, "placement_id", f"appears again (first in row {seen[placement.id]})")
        return
    seen[placement.id] = number
    days, amounts = {}, {}
    for name, text in record.items():
        if name.isdigit():
            entry = _cell(text)
            if isinstance(entry, str):
                report.add(number, name, entry)
            else:
                days[int(name)] = entry
        elif name in TRAILING:
            value = _amount(text)
            if isinstance(value, str):
                report.add(number, name, value)
            else:
                amounts[name] = value
    if any(problem.row == number for problem in report.problems):
        return
    timesheet = ops.open_timesheet(placement, month, user.id)
    if timesheet.status != TimesheetStatus.DRAFT:
        report.add(number, "placement_id", f"this month is {timesheet.status.value}: open a "
                                           "correction first")
        return
    try:
        if user.role == Role.EMPLOYER:
            days = ops.days_from_employer(timesheet, days)
        ops.fill_timesheet(timesheet, days, piece_rate=amounts.get("piece_rate"),
                           bonus=amounts.get("bonus"))
    except ops.TimesheetRefused as error:
        for field, messages in error.errors.items():
            report.add_errors(number, messages, field.removeprefix("days."))
    else:
        report.to_create += 1
