"""What every template can use: the navigation of the user's role, formatting."""

from datetime import date, datetime
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from flask import Flask, current_app, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.cell_labels import label_cells
from app.core.labels import field_label, label, risk_label, rule_reason, value_label
from app.core.vocabulary import Role

# (endpoint, label) per role; a module adds its pages here, once.
NAVIGATION = {
    Role.ADMIN: [
        ("admin.index", _l("Administration")),
        ("admin.institutions", _l("Institutions")),
        ("admin.users", _l("Users")),
        ("admin.employers", _l("Employers")),
        ("admin.settings", _l("Settings")),
        ("admin.trades", _l("Trades")),
        ("schedule.index_page", _l("Daily schedule")),
        ("planner.index", _l("Workshop planner")),
        ("partners_admin.partners", _l("Partners")),
        ("release_plans.outside_job_proposals", _l("Jobs outside")),
    ],
    Role.OFFICER: [
        ("home.officer", _l("Home")),
        ("inmates.index", _l("Inmates")),
        ("training.index", _l("Training")),
        ("applications.index", _l("Applications")),
        ("placements.runs", _l("Match runs")),
        ("placements.index", _l("Placements")),
        ("placements.workplaces", _l("Workplace security")),  # R28, R29
        ("pay.attendance", _l("Attendance")),
        ("pay.timesheets", _l("Timesheets")),
        ("release_plans.index", _l("Release plans")),
        ("monitoring.findings", _l("Findings")),  # prosecutors' findings on the institution
        ("monitoring.audit", _l("Audit")),
    ],
    Role.EMPLOYER: [
        ("employers.home", _l("Home")),
        ("employers.vacancies", _l("Vacancies")),
        ("employers.labour_pool", _l("Labour pool")),
        ("employers.production", _l("Where to open production")),
        ("employers.workers", _l("Workers")),
        ("outside_jobs.job_list", _l("Jobs outside")),
        ("pay.attendance", _l("Attendance")),
        ("pay.timesheets", _l("Timesheets")),
        ("pay.payroll", _l("Payroll")),
    ],
    Role.PROSECUTOR: [
        ("monitoring.index", _l("Employment rates")),
        ("monitoring.trends", _l("Trends")),
        ("monitoring.violations", _l("Violations")),
        ("pay.compliance", _l("Pay compliance")),
        ("reintegration_monitoring.figures", _l("Release and after")),
        ("monitoring.applications", _l("Applications")),
        ("release_plans.index", _l("Release plans")),
        ("monitoring.findings", _l("Findings")),
        ("monitoring.audit", _l("Audit")),
        ("planner.index", _l("Workshop planner")),
    ],
    Role.PARTNER: [
        ("partner.worklist", _l("Referrals")),
    ],
}


def navigation() -> list[tuple[str, str]]:
    if not current_user.is_authenticated:
        return []
    return [(endpoint, label) for endpoint, label in NAVIGATION.get(current_user.role, [])
            if endpoint in current_app.view_functions]


def format_day(value: date | datetime | None) -> str:
    """A day in the user's language; a stored (UTC) moment gives its day in Kazakhstan."""
    return format_date(value, "medium") if value else "—"


def format_month(value: date | None) -> str:
    """A calendar month in the user's language (a trend's row)."""
    return format_date(value, "LLLL yyyy") if value else "—"


def format_moment(value: datetime | None) -> str:
    """A stored UTC moment shown in Kazakhstan's time (BABEL_DEFAULT_TIMEZONE)."""
    return format_datetime(value, "short") if value else "—"


def format_tenge(value: int | float | Decimal | None) -> str:
    """Money in tenge as the language writes it (₸ in Russian and Kazakh)."""
    if value is None:
        return "—"
    try:  # the Kazakhstan variant of the language, where CLDR has one (ru_KZ: ₸)
        locale = Locale.parse(f"{get_locale()}_KZ")
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(str(get_locale()))
    pattern = locale.currency_formats["standard"].pattern
    if value == int(value):
        pattern = pattern.replace(".00", "")
    return format_currency(value, "KZT", pattern, locale=locale, currency_digits=False)


def format_iso_day(value: str | None) -> str:
    """A date stored as ISO text (in JSON results) shown like any other date."""
    return format_day(date.fromisoformat(value)) if value else "—"


def format_percent(value: float | None) -> str:
    return "—" if value is None else f"{format_decimal(value * 100, '0.0')}%"


def page_url(page_number: int) -> str:
    """The current page's URL with its filters kept and another page number."""
    args = {**request.view_args, **request.args.to_dict(), "page": page_number}
    return url_for(request.endpoint, **args)


def flat_errors(errors: object, name: str = "") -> list[tuple[str, str]]:
    """(field, message) of every problem in a marshmallow or RuleViolation ``errors``
    dict, nested lists and dicts flattened; the field is the innermost named one (a
    list's position is not a name), for the error summary."""
    if isinstance(errors, dict):
        return [problem for key, value in errors.items()
                for problem in flat_errors(value, name if isinstance(key, int)
                                           or str(key).isdigit() else str(key))]
    if isinstance(errors, list | tuple):
        return [problem for value in errors for problem in flat_errors(value, name)]
    return [(name, str(errors))]


def column_name(column: str | None) -> str:
    """A spreadsheet's column as the user reads it, with the heading the file has
    ("Birth date (birth_date)"); a day's column or an unknown one as it is."""
    if not column:
        return "—"
    named = field_label(column)
    return column if named == column.replace("_", " ") else f"{named} ({column})"


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals["navigation"] = navigation
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["risk_label"] = risk_label
    app.jinja_env.globals["rule_reason"] = rule_reason
    app.jinja_env.globals["column_name"] = column_name
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["month"] = format_month
    app.jinja_env.filters["iso_day"] = format_iso_day
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["when"] = format_moment
    app.jinja_env.filters["number"] = lambda v: "—" if v is None else format_decimal(v)
    app.jinja_env.filters["field_label"] = field_label
    app.jinja_env.filters["flat_errors"] = flat_errors
    app.jinja_env.filters["value_label"] = value_label
    app.jinja_env.filters["tenge"] = format_tenge
    app.jinja_env.filters["label_cells"] = label_cells
