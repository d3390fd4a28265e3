"""A change to an inmate's record must not make a placement the inmate holds
illegal (R2, R4, R6-R9, R13): an edit that would is refused, naming the rule
and the placement, so the officer ends the placement first.

Each open placement is checked with the engine's own per-pair check
(``matching.check_pair``) on the rows the match run and the accept-time check
read (``app/placements/adapter.py``), once with the stored record and once with
the changed one; only a rule the change newly breaks refuses it. Comparing
the two keeps rules the edit does not touch (a wage under this year's minimum,
a certificate the vacancy asks for since) from blocking an unrelated edit.
The placement itself is taken out of the inmate's hours and the vacancy's
positions, as it would be if the inmate applied for it again.

Fitness (R3) is left out: a change of fitness ends the work it forbids with
reason ``health`` (``receivers.end_work_forbidden_by_health``).

The inmate registry below asks through ``signals.refused_inmate_changes`` (an
edit, an import); ``receivers.py`` answers with this module."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from enum import Enum
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

import matching
from app.extensions import db
from app.inmates.models import Inmate
from app.placements import adapter, queries
from app.placements.models import Placement
from app.placements.operations import RULE_FIELDS
from app.settings.operations import settings_for
from app.vacancies.models import Employer, Vacancy

# The record's columns the engine's pair rules read, as ``matching.Inmate`` names them.
ENGINE_FIELDS = ("birth_date", "sex", "legal_status", "regime", "conditions", "release_date",
                 "disability_group", "pregnant")
# The inmate's field each rule is about, for a page to show the refusal on it.
RULE_INMATE_FIELDS = {"R2": "legal_status", "R6": "birth_date", "R7": "sex", "R8": "regime",
                      "R9": "disability_group", "R13": "release_date"}
LEFT_TO_HEALTH = frozenset({"R3"})


def engine_changes(changed: dict[str, Any]) -> dict[str, Any]:
    """The changed values the engine reads, as the engine holds them (enum values)."""
    return {name: value.value if isinstance(value, Enum) else value
            for name, value in changed.items() if name in ENGINE_FIELDS}


def broken_placements(updates: Iterable[tuple[Inmate, dict[str, Any]]], today: date
                      ) -> dict[int, list[tuple[str, int]]]:
    """{inmate id: [(rule, placement id)]} for every open placement that the
    changes (validated values, not yet written) would make illegal. A few
    queries for all the inmates together (the import checks thousands)."""
    wanted = {inmate.id: (inmate, engine_changes(changed)) for inmate, changed in updates}
    wanted = {inmate_id: pair for inmate_id, pair in wanted.items() if pair[1]}
    if not wanted:
        return {}
    held = db.session.execute(
        sa.select(Placement.id, Placement.inmate_id, Placement.vacancy_id, Placement.weekly_hours)
        .where(Placement.inmate_id.in_(list(wanted)), queries.open_placements(today))
        .order_by(Placement.id)).all()
    if not held:
        return {}
    inmates = {int(i.id): i for i in adapter.load_inmates({p.inmate_id for p in held}, today)}
    vacancies = {int(v.id): v for v in adapter.load_vacancies({p.vacancy_id for p in held},
                                                               today)}
    settings = adapter.engine_settings(settings_for(today.year))
    found: defaultdict[int, list[tuple[str, int]]] = defaultdict(list)
    for placement_id, inmate_id, vacancy_id, hours in held:
        record, changes = wanted[inmate_id]
        # As if the inmate applied again: without this placement's hours and position.
        stored = replace(inmates[inmate_id], employed=False,
                         current_weekly_hours=max(0, inmates[inmate_id].current_weekly_hours
                                                  - hours))
        offer = replace(vacancies[vacancy_id], free_positions=vacancies[vacancy_id]
                        .free_positions + 1)
        check = (offer, settings, today, record.institution.is_juvenile)
        newly = _rules(replace(stored, **changes), *check) - _rules(stored, *check) \
            - LEFT_TO_HEALTH
        found[inmate_id] += [(rule, placement_id) for rule in sorted(newly, key=_rule_number)]
    # Only the inmates with a rule newly broken: an empty list is no refusal.
    return {inmate_id: broken for inmate_id, broken in found.items() if broken}


def _rules(inmate: matching.Inmate, offer: matching.Vacancy, settings: matching.Settings,
           day: date, juvenile: bool) -> set[str]:
    return {v.rule for v in matching.check_pair(inmate, offer, settings, day, juvenile)}


def _rule_number(rule: str) -> int:
    return int(rule.removeprefix("R"))


def refusal(broken: list[tuple[str, int]]) -> tuple[str, str, str]:
    """(field, rule, message) of a refused change: every broken rule and placement named
    (by its vacancy and employer, not its number)."""
    names = dict(db.session.execute(
        sa.select(Placement.id, Vacancy.title + " · " + Employer.name)
        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
        .join(Employer, Employer.id == Vacancy.employer_id)
        .where(Placement.id.in_([placement_id for _rule, placement_id in broken]))).all())
    parts = [_("%(rule)s: %(why)s in the work at %(work)s", rule=rule,
               why=str(RULE_FIELDS[rule][1]), work=names[placement_id])
             for rule, placement_id in broken]
    first_rule = broken[0][0]
    message = _("%(problems)s; end the placement first.", problems="; ".join(parts))
    return RULE_INMATE_FIELDS.get(first_rule, "placements"), first_rule, message
