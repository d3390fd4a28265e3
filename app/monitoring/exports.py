"""Every monitoring table as CSV or XLSX (openpyxl).

A table is (headers, rows); app/core/tables.py writes it, guarding cells that a
spreadsheet would run as formulas (finding texts and names are typed by users).
"""

from collections.abc import Iterable
from typing import Any

from flask import Response
from flask_babel import gettext as _

from app.core.audit import AuditEvent
from app.core.labels import label
from app.core.tables import MIMETYPES, download, write_table
from app.monitoring.models import Finding
from app.monitoring.rates import Rate, RatesReport
from app.monitoring.violations import CHECKS, Violation
from app.placements.models import Placement

Table = tuple[list[str], list[list[Any]]]
FORMATS = MIMETYPES


def _percent(value: float | None) -> float | str:
    return "" if value is None else round(value * 100, 1)


def rates_table(report: RatesReport) -> Table:
    # one column of employed: both rates count the same people (docs/rules.md)
    headers = [_("Level"), _("Name"), _("Rank"), _("Held"), _("Able to work"),
               _("Employed (able)"), _("Rate, %"), _("Rate of all held, %"),
               _("Target, %"), _("Shortfall")]

    def row(level: str, rate: Rate) -> list[Any]:
        return [level, rate.label, rate.rank, rate.held, rate.able, rate.employed,
                _percent(rate.rate), _percent(rate.rate_held),
                _percent(float(rate.target)), rate.shortfall]

    rows = [row(_("total"), report.total)]
    rows += [row(_("region"), r) for r in report.regions]
    rows += [row(_("institution"), r) for r in report.institutions]
    return headers, rows


def violations_table(violations: list[Violation], placements: dict[int, Placement]) -> Table:
    headers = [_("Day"), _("Rule"), _("Check"), _("Institution"), _("Inmate"), _("File number"),
               _("Vacancy"), _("Placement"), _("Detail")]
    rows = []
    for v in violations:
        p = placements[v.placement_id]
        rows.append([v.day, v.rule, str(CHECKS[v.rule][1]), p.institution.code,
                     p.inmate.full_name, p.inmate.file_number, p.vacancy.title, v.placement_id,
                     str(v.detail)])
    return headers, rows


def findings_table(findings: Iterable[Finding]) -> Table:
    headers = [_("Recorded"), _("Institution"), _("Kind of act"), _("Rule"), _("Placement"),
               _("Text"), _("Status"), _("Author"), _("Resolved")]
    rows = [[f.created_at, f.institution.code, label(f.kind), f.rule, f.placement_id, f.text,
             label(f.status), f.author.email, f.resolved_at] for f in findings]
    return headers, rows


def audit_table(events: Iterable[AuditEvent]) -> Table:
    headers = [_("When (UTC)"), _("Actor"), _("Institution"), _("Entity"), _("Id"), _("Action"),
               _("Before"), _("After")]
    rows = [[e.occurred_at, e.actor, e.institution_id, e.entity_type, e.entity_id, e.action,
             _changes(e.before), _changes(e.after)] for e in events]
    return headers, rows


def _changes(values: dict | None) -> str:
    return "; ".join(f"{k}={v}" for k, v in (values or {}).items())


def with_day(table: Table, day: str) -> Table:
    """``table`` with a first column naming the day its figures describe."""
    headers, rows = table
    return [_("Day"), *headers], [[day, *row] for row in rows]


def send_table(table: Table, name: str, fmt: str) -> Response:
    """The table as a download named ``name.fmt``."""
    headers, rows = table
    return download(write_table(fmt, headers, rows), fmt, name)
