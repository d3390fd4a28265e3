"""What placements do when something happens in the inmate registry below them,
and what they tell it: the receivers of the signals of app/core/signals.py.

The registry (app/inmates) may not import placements; it sends a signal and
these functions follow up in the same transaction: a release or a transfer ends
the inmate's placements, an assessment ends the work it forbids (R3), a
withdrawn consent the work it allowed (R4, R5). ``create_app`` imports this
module, which connects them."""

from datetime import date
from typing import Any

import sqlalchemy as sa

from app.core import signals
from app.core.vocabulary import PRIVATE_EMPLOYER_KINDS, ConsentKind, EndReason, Fitness
from app.extensions import db
from app.inmates.models import Consent, Inmate
from app.placements import placement_check
from app.placements.models import MatchRun, Placement
from app.placements.operations import end_active_placements
from app.placements.status import employed, in_voluntary_group
from app.settings.operations import settings_for
from app.vacancies.models import Employer, Vacancy

# --- events ------------------------------------------------------------------------------


@signals.inmate_leaving.connect
def end_placements_of_leaving_inmate(inmate: Inmate, *, on: date, reason: EndReason) -> None:
    """Release and transfer end the inmate's placements (``released``/``transferred``)."""
    end_active_placements(reason=reason, on=on, inmate_id=inmate.id)


@signals.fitness_recorded.connect
def end_work_forbidden_by_health(inmate: Inmate, *, fitness: Fitness, on: date) -> None:
    """R3: ``unfit`` ends all work, ``limited`` the heavy or hazardous work."""
    if fitness == Fitness.FIT:
        return
    for vacancy_id in _open_placement_vacancies(inmate.id, heavy_only=fitness == Fitness.LIMITED):
        end_active_placements(reason=EndReason.HEALTH, on=on, inmate_id=inmate.id,
                              vacancy_id=vacancy_id, note=f"medical assessment: {fitness}")


@signals.consent_withdrawn.connect
def end_work_of_withdrawn_consent(consent: Consent, *, on: date,
                                  last_of_kind: bool = True) -> list[Placement]:
    """R5: work for private employers ends; R4: all work ends when the inmate is in a
    voluntary-only group that day. The ended placements (none while another consent of
    the kind still allows the work)."""
    inmate = consent.inmate
    if not last_of_kind:
        vacancy_ids = []
    elif consent.kind == ConsentKind.PRIVATE_EMPLOYER:
        vacancy_ids = _open_placement_vacancies(inmate.id, private_only=True)
    elif consent.kind == ConsentKind.VOLUNTARY_WORK and in_voluntary_group_on(inmate, on):
        vacancy_ids = _open_placement_vacancies(inmate.id)
    else:
        vacancy_ids = []
    ended: list[Placement] = []
    for vacancy_id in vacancy_ids:
        ended += end_active_placements(reason=EndReason.CONSENT_WITHDRAWN, on=on,
                                       inmate_id=inmate.id, vacancy_id=vacancy_id)
    return ended


def _open_placement_vacancies(inmate_id: int, *, heavy_only: bool = False,
                              private_only: bool = False) -> list[int]:
    query = (sa.select(Placement.vacancy_id).join(Vacancy, Vacancy.id == Placement.vacancy_id)
             .join(Employer, Employer.id == Vacancy.employer_id)
             .where(Placement.inmate_id == inmate_id, Placement.end_date.is_(None)))
    if heavy_only:
        query = query.where(Vacancy.heavy_or_hazardous.is_(True))
    if private_only:
        query = query.where(Employer.kind.in_(PRIVATE_EMPLOYER_KINDS))
    return list(db.session.scalars(query.distinct()))


def in_voluntary_group_on(inmate: Inmate, day: date) -> bool:
    """R4, with the groups and pension ages configured for the year."""
    clause = in_voluntary_group(day, settings_for(day.year).law)
    return db.session.scalar(sa.select(Inmate.id).where(Inmate.id == inmate.id, clause)) \
        is not None


# --- questions ---------------------------------------------------------------------------


@signals.employed_clause.connect
def employed_on(day: date) -> sa.ColumnElement[bool]:
    return employed(day)


@signals.latest_match_run.connect
def latest_match_run(institution_id: int) -> MatchRun | None:
    return db.session.scalar(sa.select(MatchRun).where(MatchRun.institution_id == institution_id,
                                                       MatchRun.handover_for == "")
                             .order_by(MatchRun.id.desc()).limit(1))


@signals.refused_inmate_changes.connect
def refuse_changes_breaking_placements(_sender: Any, *, updates: list[tuple[Inmate, dict]],
                                       today: date) -> dict[int, tuple[str, str, str]]:
    return {inmate_id: placement_check.refusal(broken) for inmate_id, broken
            in placement_check.broken_placements(updates, today).items()}


@signals.inmate_profile.connect
def placements_of(inmate: Inmate, *, today: date | None) -> dict[str, Any]:
    placements = db.session.scalars(sa.select(Placement).where(Placement.inmate_id == inmate.id)
                                    .order_by(Placement.start_date.desc(), Placement.id.desc()))
    return {"placements": list(placements)}
