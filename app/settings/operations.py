"""Settings per year, with the defaults of DOMAIN.md, and the rules that read them."""

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from app.core.errors import RuleViolation
from app.extensions import db
from app.settings.models import YearSettings
from policy import Law, rules
from policy.law import VOLUNTARY_GROUPS, women_pension_age
from policy.ops import PYTHON


def default_settings(year: int) -> YearSettings:
    """The legal values of ``year`` (``policy.law.Law.for_year``) and the engine's
    default weights."""
    law = Law.for_year(year)
    return YearSettings(
        year=year,
        target_rate=law.target_rate,
        min_monthly_wage=law.min_monthly_wage,
        full_time_hours=law.full_time_hours,
        max_hours_adult=law.max_hours_adult,
        max_hours_disabled=law.max_hours_disabled,
        max_hours_juvenile_16=law.max_hours_juvenile_16,
        max_hours_juvenile_14=law.max_hours_juvenile_14,
        pension_age_men=law.pension_age_men,
        pension_age_women=law.pension_age(True, year),
        outside_medium_conditions=",".join(sorted(law.outside_medium_conditions)),
        voluntary_groups=",".join(g for g in VOLUNTARY_GROUPS if g in law.voluntary_groups),
        risk_levels=",".join(law.risk_levels),
        risk_assessment_days=law.risk_assessment_days,
        risk_review_months=law.risk_review_months,
        unassessed_highest_outside=law.unassessed_highest_outside,
        scattered_cap=law.scattered_cap,
        bans_run_in_prison=law.bans_run_in_prison,
        weight_skill=30,
        weight_certificate=20,
        weight_wish=15,
        weight_recent_training=10,
        weight_release_time=10,
        weight_wage=5,
        application_answer_days=law.application_answer_days,
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


def settings_form_data(settings: YearSettings) -> dict[str, Any]:
    """The settings as the administrators' form shows them: the target in percent,
    the lists of choices as lists."""
    data = {column.key: getattr(settings, column.key)
            for column in YearSettings.__table__.columns}
    data["target_percent"] = Decimal(settings.target_rate) * 100
    law = settings.law
    data["outside_medium_conditions"] = sorted(law.outside_medium_conditions)
    data["voluntary_groups"] = sorted(law.voluntary_groups)
    return data


def check_r10_wage(monthly_wage: int, weekly_hours: int, settings: YearSettings) -> None:
    """R10 at entry: ``policy.rules.r10_wage_allows``, the engine's own test."""
    if not rules.r10_wage_allows(PYTHON, settings.law, monthly_wage, weekly_hours):
        minimum = rules.minimum_wage(settings.law, weekly_hours)
        raise RuleViolation(
            "monthly_wage",
            _("%(wage)s tenge is under the minimum wage of %(year)s (%(minimum)s tenge for "
              "%(hours)s h a week)", wage=monthly_wage, year=settings.year, minimum=minimum,
              hours=weekly_hours),
            rule="R10",
        )


def check_r9_hours(weekly_hours: int, settings: YearSettings) -> None:
    """R9 at entry: a vacancy's hours within the adult limit (which is never above full
    time, so R10's pro rata is never asked about more hours than full time)."""
    if weekly_hours > settings.max_hours_adult:
        raise RuleViolation(
            "weekly_hours",
            _("%(hours)s h a week exceeds the limit of %(limit)s h", hours=weekly_hours,
              limit=settings.max_hours_adult),
            rule="R9",
        )
