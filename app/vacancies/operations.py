"""Vacancies: the rules a vacancy's own fields must pass (R7, R9, R10, dates) and its
life cycle (draft -> published <-> paused -> closed).

Shared by the employers' portal, the officers' pages (the institution's own services)
and the engine adapter, so a vacancy is validated the same way wherever it enters.
Changing or closing a vacancy that has workers is a matter of placements and lives
above, in app/placements/staffing.py. Operations add and flush; the caller commits.
"""

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.audit import record_change
from app.core.errors import Conflict, RuleViolation
from app.core.plausible import refuse
from app.core.vocabulary import EmployerKind, VacancyStatus
from app.extensions import db
from app.institutions.models import Institution
from app.settings.operations import check_r9_hours, check_r10_wage, settings_for
from app.taxonomy.models import Trade
from app.vacancies.models import Employer, Vacancy
from policy import plausible
from policy.clock import today_in_kazakhstan

# Plain columns a vacancy's form or API body may set (the trade lists are handled apart).
SIMPLE_FIELDS = (
    "title", "trade_id", "description", "site", "positions", "monthly_wage", "weekly_hours",
    "shift", "heavy_or_hazardous", "women_barred", "trainable_on_job", "needs_long_stay",
    "start_date", "end_date",
)
TRADE_LISTS = {"required_skill_ids": "required_skills",
               "required_certificate_ids": "required_certificates"}

# Which status each action may start from.
TRANSITIONS = {
    "publish": ({VacancyStatus.DRAFT, VacancyStatus.PAUSED}, VacancyStatus.PUBLISHED),
    "pause": ({VacancyStatus.PUBLISHED}, VacancyStatus.PAUSED),
}


# --- rules --------------------------------------------------------------------------


def check_vacancy(values: Mapping[str, Any]) -> None:
    """Every rule a vacancy's own fields must pass; raises RuleViolation naming the field."""
    start, end = values["start_date"], values.get("end_date")
    today = today_in_kazakhstan()
    refuse("start_date", plausible.event_day(start, today))
    if end is not None:
        refuse("end_date", plausible.event_day(end, today))
        if end < start:
            raise RuleViolation("end_date", _("must not be before the start date"))
    refuse("positions", plausible.within(values["positions"], plausible.POSITIONS))
    settings = settings_for(start.year)
    check_r9_hours(values["weekly_hours"], settings)
    refuse("weekly_hours", plausible.weekly_hours(values["weekly_hours"],
                                                  settings.max_hours_adult))
    refuse("monthly_wage", plausible.monthly_wage(values["monthly_wage"],
                                                  settings.min_monthly_wage))
    check_r10_wage(values["monthly_wage"], values["weekly_hours"], settings)
    if values.get("women_barred") and not values.get("heavy_or_hazardous"):
        raise RuleViolation(
            "women_barred",
            _("women may be barred only from heavy or hazardous work on the list set by law"),
            rule="R7",
        )
    _check_trades(values)


def _check_trades(values: Mapping[str, Any]) -> None:
    if not _trades([values["trade_id"]], "trade_id")[0].active:
        raise RuleViolation("trade_id", _("this trade is no longer offered"))
    for field in TRADE_LISTS:
        _trades(values.get(field) or [], field)


def _trades(ids: Sequence[int], field: str) -> list[Trade]:
    found = list(db.session.scalars(sa.select(Trade).where(Trade.id.in_(ids))))
    if len(found) != len(set(ids)):
        raise RuleViolation(field, _("contains an unknown trade"))
    return found


def _institutions(employer: Employer, ids: Sequence[int]) -> list[Institution]:
    if not ids:
        raise RuleViolation("institution_ids", _("choose at least one institution"))
    found = list(db.session.scalars(
        sa.select(Institution).where(Institution.id.in_(ids)).order_by(Institution.code)))
    if len(found) != len(set(ids)):
        raise RuleViolation("institution_ids", _("contains an unknown institution"))
    if employer.kind == EmployerKind.INSTITUTION and any(
            i.id != employer.institution_id for i in found):
        raise RuleViolation("institution_ids",
                            _("an institution's own services work only at that institution"))
    return found


def vacancy_values(vacancy: Vacancy) -> dict[str, Any]:
    """The vacancy's fields in the shape ``check_vacancy`` and the forms use."""
    values = {name: getattr(vacancy, name) for name in SIMPLE_FIELDS}
    for field, relation in TRADE_LISTS.items():
        values[field] = [t.id for t in getattr(vacancy, relation)]
    return values


def assign_fields(vacancy: Vacancy, values: Mapping[str, Any]) -> None:
    for name in SIMPLE_FIELDS:
        if name in values:
            setattr(vacancy, name, values[name])
    for field, relation in TRADE_LISTS.items():
        if field in values:
            setattr(vacancy, relation, _trades(values[field] or [], field))


# --- life cycle ---------------------------------------------------------------------


def create_vacancies(
    employer: Employer, institution_ids: Sequence[int], values: Mapping[str, Any]
) -> list[Vacancy]:
    """One draft vacancy per institution, all with the same fields."""
    if not employer.is_approved:
        raise RuleViolation("employer", _("the business is not approved yet"))
    if values["positions"] < 1:
        raise RuleViolation("positions", _("must be at least 1"))
    check_vacancy(values)
    created = []
    for institution in _institutions(employer, institution_ids):
        vacancy = Vacancy(employer_id=employer.id, institution_id=institution.id,
                          status=VacancyStatus.DRAFT)
        assign_fields(vacancy, values)
        db.session.add(vacancy)
        created.append(vacancy)
    db.session.flush()
    for vacancy in created:  # the creation entry holds the columns only (R18)
        required = {key: codes for key, codes in trade_codes(vacancy).items() if codes}
        if required:
            record_change(vacancy, {}, required)
    return created


def trade_codes(vacancy: Vacancy) -> dict[str, list[str]]:
    """The required skills and certificates as trade codes, for the audit trail."""
    return {relation: sorted(trade.code for trade in getattr(vacancy, relation))
            for relation in TRADE_LISTS.values()}


def change_status(vacancy: Vacancy, action: str, *, on: date | None = None) -> None:
    """Publish (from draft or paused) or pause (from published) a vacancy."""
    allowed_from, target = TRANSITIONS[action]
    if vacancy.status not in allowed_from:
        raise Conflict("status", _("a %(status)s vacancy cannot be changed this way",
                                   status=vacancy.status.value))
    if target == VacancyStatus.PUBLISHED:
        check_vacancy(vacancy_values(vacancy))  # the settings of the year may have changed
        if vacancy.end_date is not None and vacancy.end_date < (on or today_in_kazakhstan()):
            raise RuleViolation("end_date", _("has passed; change it before publishing"))
    vacancy.status = target
    db.session.flush()


def refuse_if_closed(vacancy: Vacancy) -> None:
    if vacancy.status == VacancyStatus.CLOSED:
        raise Conflict("status", _("a closed vacancy cannot be changed"))
