"""Settings per year, with the defaults of DOMAIN.md, and the rules that read them."""

from decimal import Decimal

from flask_babel import gettext as _

from app.core.errors import RuleViolation
from app.extensions import db
from app.settings.models import YearSettings

# R4: pension age of women by year (Social Code); 63 from 2031 on.
WOMEN_PENSION_AGE = {2027: "61", 2028: "61.5", 2029: "62", 2030: "62.5"}
VOLUNTARY_GROUPS = ("pension_age", "disability_1_2", "pregnant")


def women_pension_age(year: int) -> Decimal:
    if year >= 2031:
        return Decimal("63")
    return Decimal(WOMEN_PENSION_AGE.get(year, "61"))


def default_settings(year: int) -> YearSettings:
    return YearSettings(
        year=year,
        target_rate=Decimal("0.750"),
        min_monthly_wage=85_000,
        full_time_hours=40,
        max_hours_adult=40,
        max_hours_disabled=36,
        max_hours_juvenile_16=36,
        max_hours_juvenile_14=24,
        pension_age_men=Decimal("63"),
        pension_age_women=women_pension_age(year),
        outside_medium_conditions="facilitated,preferential",
        voluntary_groups=",".join(VOLUNTARY_GROUPS),
        weight_skill=30,
        weight_certificate=20,
        weight_wish=15,
        weight_recent_training=10,
        weight_release_time=10,
        weight_wage=5,
    )


def settings_for(year: int) -> YearSettings:
    """The stored settings of ``year``, else of the latest earlier year
    (thresholds carry over), else the defaults. Never writes."""
    stored = db.session.scalar(
        db.select(YearSettings).where(YearSettings.year <= year).order_by(
            YearSettings.year.desc()).limit(1)
    )
    if stored is None:
        return default_settings(year)
    if stored.year == year:
        return stored
    carried = default_settings(year)
    for column in YearSettings.__table__.columns:
        if column.key != "year":
            setattr(carried, column.key, getattr(stored, column.key))
    if stored.pension_age_women == women_pension_age(stored.year):
        carried.pension_age_women = women_pension_age(year)  # follow the legal schedule
    return carried


def minimum_wage_for(weekly_hours: int, settings: YearSettings) -> int:
    """R10: the minimum monthly wage, pro rata for fewer hours than full time."""
    hours = min(weekly_hours, settings.full_time_hours)
    return -(-settings.min_monthly_wage * hours // settings.full_time_hours)  # round up


def check_r10_wage(monthly_wage: int, weekly_hours: int, settings: YearSettings) -> None:
    minimum = minimum_wage_for(weekly_hours, settings)
    if monthly_wage < minimum:
        raise RuleViolation(
            "monthly_wage",
            _("%(wage)s tenge is under the minimum wage of %(year)s (%(minimum)s tenge for "
              "%(hours)s h a week)", wage=monthly_wage, year=settings.year, minimum=minimum,
              hours=weekly_hours),
            rule="R10",
        )


def check_r9_hours(weekly_hours: int, settings: YearSettings) -> None:
    if weekly_hours > settings.max_hours_adult:
        raise RuleViolation(
            "weekly_hours",
            _("%(hours)s h a week exceeds the limit of %(limit)s h", hours=weekly_hours,
              limit=settings.max_hours_adult),
            rule="R9",
        )
