"""R28 and R29 settings of an institution's workplaces, set by its officers: each
vacancy's highest risk level and the institution's own cap of flagged persons per
workplace and shift. Employers never see either (a level is about persons).

A change that would put a current worker above the vacancy's new limit is refused
(R28, 409), naming how many, so the officer ends those placements first; the engine and
the accept-time check read the limit from the next run on."""

from dataclasses import replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.errors import Conflict, RuleViolation
from app.extensions import db
from app.inmates import risk
from app.institutions.models import Institution
from app.placements import adapter, queries
from app.placements.models import Placement
from app.placements.operations import security_rules
from app.settings.operations import settings_for
from app.vacancies.models import Vacancy
from policy.clock import today_in_kazakhstan


def set_max_risk_level(vacancy: Vacancy, level: str | None, today: date | None = None,
                       ) -> Vacancy:
    """R28: the highest level of the year's scale the vacancy may take (None: no limit)."""
    today = today or today_in_kazakhstan()
    law = settings_for(today.year).law
    if level is not None and level not in law.risk_levels:
        raise RuleViolation("max_risk_level", _("must be one of %(levels)s",
                                                levels=", ".join(law.risk_levels)), rule="R28")
    above = _workers_above(vacancy, level, today)
    if above:
        raise Conflict("max_risk_level", _(
            "%(n)s current workers are above this level; end their placements first",
            n=above), rule="R28")
    vacancy.max_risk_level = level
    db.session.flush()
    return vacancy


def _workers_above(vacancy: Vacancy, level: str | None, today: date) -> int:
    """How many persons holding a placement in the vacancy the new limit would bar."""
    held = list(db.session.scalars(sa.select(Placement.inmate_id).where(
        Placement.vacancy_id == vacancy.id, queries.open_placements(today))))
    if not held:
        return 0
    law = settings_for(today.year).law
    offer = replace(adapter.load_vacancies([vacancy.id], today, law)[0],
                    max_risk_level=risk.vacancy_limit(level, law))
    return sum("R28" in security_rules(person, offer, law)
               for person in adapter.load_inmates(held, today, law))


def set_scattered_cap(institution: Institution, cap: int | None) -> Institution:
    """R29: the institution's own cap (None: the year's setting)."""
    if cap is not None and not 0 <= cap <= 100:
        raise RuleViolation("scattered_cap", _("must be between 0 and 100"), rule="R29")
    institution.scattered_cap = cap
    db.session.flush()
    return institution


def workplace_settings(institution: Institution, today: date | None = None) -> dict[str, Any]:
    """What the officers' page shows: the scale, the caps and the published vacancies."""
    today = today or today_in_kazakhstan()
    law = settings_for(today.year).law
    vacancies = list(db.session.scalars(
        sa.select(Vacancy).where(Vacancy.id.in_(queries.published_vacancy_ids(
            institution.id, today))).order_by(Vacancy.site, Vacancy.shift, Vacancy.title)))
    return {"levels": law.risk_levels, "year_cap": law.scattered_cap,
            "cap": adapter.scattered_cap(institution, law), "vacancies": vacancies}
