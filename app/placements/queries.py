"""Named questions about placements, vacancies and custody on a day, asked by the
engine adapter, the accept-time check, the staffing of a vacancy and the officer's
home alike, so each is written once.
"""

from datetime import date

import sqlalchemy as sa

from app.core.vocabulary import CustodyStatus, VacancyStatus
from app.extensions import db
from app.inmates.models import Inmate
from app.placements.models import Placement, placement_open_on
from app.placements.status import held_on
from app.vacancies.models import Vacancy


def held_inmate_ids(institution_id: int, day: date) -> sa.Select:
    """Ids of the inmates held at the institution on ``day`` (custody history, R19)."""
    held = held_on(day).subquery()
    return sa.select(held.c.inmate_id).where(held.c.institution_id == institution_id)


def is_held(inmate_id: int, institution_id: int, day: date) -> bool:
    """Held at the institution on ``day`` and not released or transferred since."""
    return db.session.scalar(
        sa.select(Inmate.id).where(
            Inmate.id == inmate_id, Inmate.status == CustodyStatus.HELD,
            Inmate.id.in_(held_inmate_ids(institution_id, day)))
    ) is not None


def open_placements(day: date) -> sa.ColumnElement[bool]:
    """Placements not ended by ``day``: active now or starting later. They hold a
    position and the inmate's hours until they end."""
    return placement_open_on(day)


def taken_positions(day: date) -> sa.Select:
    """(vacancy_id, placements holding a position on or after ``day``) (R11)."""
    return (sa.select(Placement.vacancy_id, sa.func.count().label("taken"))
            .where(open_placements(day)).group_by(Placement.vacancy_id))


def published_vacancy_ids(institution_id: int, day: date) -> sa.Select:
    return sa.select(Vacancy.id).where(
        Vacancy.institution_id == institution_id,
        Vacancy.status == VacancyStatus.PUBLISHED,
        sa.or_(Vacancy.end_date.is_(None), Vacancy.end_date >= day),
    )
