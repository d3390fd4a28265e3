"""An inmate's facts on a day as SQL columns, in the shape ``policy.rules`` reads.

One namespace for every SQL use of the law (rates, home, violations, pool), built
from dated history where it exists (conviction, medical assessments, consents) and
the inmate's own columns where it does not (sex, regime, conditions, disability group,
pregnancy). No column is NULL: a missing value becomes one that no rule accepts, so
negations are exact in SQL.
"""

from datetime import date
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from app.core.lawsql import SQL
from app.core.vocabulary import ConsentKind, Sex
from app.inmates.models import Consent, Inmate, MedicalAssessment
from policy.rules import active_on

NOT_ASSESSED = "not_assessed"


def _latest_assessment(column: Any, day: date, inmate: Any) -> sa.ScalarSelect:
    """``column`` of the latest medical assessment made on or before ``day``."""
    return (sa.select(column)
            .where(MedicalAssessment.inmate_id == inmate.id, MedicalAssessment.assessed_on <= day)
            .order_by(MedicalAssessment.assessed_on.desc(), MedicalAssessment.id.desc())
            .limit(1).scalar_subquery())


def fitness_on(day: date, inmate: Any = Inmate) -> sa.ColumnElement[str]:
    """R3: the fitness of the latest assessment on or before ``day``, else the inmate's
    recorded one (as the engine's adapter reads it)."""
    return sa.func.coalesce(_latest_assessment(MedicalAssessment.fitness, day, inmate),
                            sa.type_coerce(inmate.fitness, sa.String), NOT_ASSESSED)


def review_valid_on(day: date, inmate: Any = Inmate) -> sa.ColumnElement[bool]:
    """R3: the review date of that assessment (or the inmate's own) has not passed."""
    assessed = sa.exists().where(MedicalAssessment.inmate_id == inmate.id,
                                 MedicalAssessment.assessed_on <= day)
    review = sa.case((assessed, _latest_assessment(MedicalAssessment.review_date, day, inmate)),
                     else_=inmate.fitness_review_date)
    return sa.or_(review.is_(None), review >= day)


def consent_in_force(kind: ConsentKind, day: Any, inmate: Any = Inmate) -> sa.Exists:
    """A consent of ``kind`` given on or before ``day`` and not withdrawn by then."""
    return sa.exists().where(Consent.inmate_id == inmate.id, Consent.kind == kind,
                             active_on(SQL, Consent.given_on, Consent.withdrawn_on, day))


class InmateOnDay:
    """The columns ``policy.rules`` reads of a person (``p``), on ``day``."""

    def __init__(self, day: date, inmate: Any = Inmate) -> None:
        self.convicted = sa.and_(inmate.convicted_on.is_not(None), inmate.convicted_on <= day)
        self.birth = inmate.birth_date
        self.female = inmate.sex == Sex.FEMALE
        self.fitness = fitness_on(day, inmate)
        self.review_valid = review_valid_on(day, inmate)
        self.disability = sa.func.coalesce(inmate.disability_group, 0)
        self.pregnant = sa.func.coalesce(inmate.pregnant, sa.false())
        self.consent_voluntary = consent_in_force(ConsentKind.VOLUNTARY_WORK, day, inmate)
        self.consent_private = consent_in_force(ConsentKind.PRIVATE_EMPLOYER, day, inmate)
        self.regime = sa.type_coerce(inmate.regime, sa.String)
        self.conditions = sa.type_coerce(inmate.conditions, sa.String)


def person(inmate: Inmate, consents: frozenset[str] = frozenset()) -> SimpleNamespace:
    """An inmate's own current values in the same shape, for ``policy.ops.PYTHON``
    (entry checks): ``consents`` are the kinds in force."""
    return SimpleNamespace(
        convicted=inmate.convicted_on is not None, birth=inmate.birth_date,
        female=inmate.sex == Sex.FEMALE, fitness=str(inmate.fitness),
        review_valid=True, disability=inmate.disability_group or 0,
        pregnant=bool(inmate.pregnant), regime=str(inmate.regime),
        conditions=str(inmate.conditions),
        consent_voluntary=ConsentKind.VOLUNTARY_WORK in consents,
        consent_private=ConsentKind.PRIVATE_EMPLOYER in consents,
    )
