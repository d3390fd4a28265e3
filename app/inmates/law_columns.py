"""An inmate's facts on a day as SQL columns, in the shape ``policy.rules`` reads.

One namespace for every SQL use of the law (rates, home, violations, pool), built
from dated history where it exists (conviction, medical assessments, consents) and
the inmate's own columns where it does not (sex, regime, conditions, disability group,
pregnancy). No column is NULL: a missing value becomes one that no rule accepts, so
negations are exact in SQL.
"""

from datetime import date
from functools import cached_property
from types import SimpleNamespace
from typing import Any, Protocol

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


def consent_in_force(kind: ConsentKind, day: Any, inmate: Any = Inmate) -> sa.Exists:
    """A consent of ``kind`` given on or before ``day`` and not withdrawn by then."""
    return sa.exists().where(Consent.inmate_id == inmate.id, Consent.kind == kind,
                             active_on(SQL, Consent.given_on, Consent.withdrawn_on, day))


class DatedHistory(Protocol):
    """Where ``InmateOnDay`` reads the dated history: whether an assessment was made by
    the day, a column of the latest one, whether a consent of a kind is in force."""

    assessed: sa.ColumnElement[bool]

    def latest(self, column: Any) -> sa.ColumnElement: ...

    def consent(self, kind: ConsentKind) -> sa.ColumnElement[bool]: ...


class _HistoryPerRow:
    """Dated history read by a correlated subquery per row: ``day`` may be a column
    (a placement's first day, say)."""

    def __init__(self, day: Any, inmate: Any) -> None:
        self.day, self.inmate = day, inmate
        self.assessed = sa.exists().where(MedicalAssessment.inmate_id == inmate.id,
                                          MedicalAssessment.assessed_on <= day)

    def latest(self, column: Any) -> sa.ColumnElement:
        return _latest_assessment(column, self.day, self.inmate)

    def consent(self, kind: ConsentKind) -> sa.ColumnElement[bool]:
        return consent_in_force(kind, self.day, self.inmate)


class HistoryOnDay:
    """Dated history on one fixed ``day``, read once per query: the latest assessment
    and the consents in force per inmate as two subqueries to outer-join (``join``),
    instead of correlated subqueries, several per row, each an index lookup (the
    labour pool and the rates of a day read thousands of rows)."""

    def __init__(self, day: date, inmate: Any = Inmate, among: sa.Select | None = None,
                 ) -> None:
        """``among``: the ids of the inmates the query reads (e.g. those held on
        ``day``), so that the history of the others is not ranked for nothing."""
        self.inmate = inmate
        order = (MedicalAssessment.assessed_on.desc(), MedicalAssessment.id.desc())
        ranked = sa.select(
            MedicalAssessment.inmate_id, MedicalAssessment.fitness,
            MedicalAssessment.review_date,
            sa.func.row_number().over(partition_by=MedicalAssessment.inmate_id,
                                      order_by=order).label("n"),
        ).where(MedicalAssessment.assessed_on <= day,
                *_among(MedicalAssessment.inmate_id, among)).subquery()
        self.assessment = sa.select(ranked.c.inmate_id, ranked.c.fitness,
                                    ranked.c.review_date).where(ranked.c.n == 1).subquery()
        self.consents = sa.select(Consent.inmate_id, *(
            sa.func.max(sa.case((Consent.kind == kind, 1), else_=0)).label(kind.value)
            for kind in ConsentKind)).where(
            active_on(SQL, Consent.given_on, Consent.withdrawn_on, day),
            *_among(Consent.inmate_id, among),
        ).group_by(Consent.inmate_id).subquery()
        self.assessed = self.assessment.c.inmate_id.is_not(None)

    def latest(self, column: Any) -> sa.ColumnElement:
        return self.assessment.c[column.key]

    def consent(self, kind: ConsentKind) -> sa.ColumnElement[bool]:
        return sa.func.coalesce(self.consents.c[kind.value], 0) == 1

    def join(self, joined: Any) -> Any:
        """``joined`` (which holds the inmate) with both subqueries outer-joined."""
        return (joined.outerjoin(self.assessment, self.assessment.c.inmate_id == self.inmate.id)
                .outerjoin(self.consents, self.consents.c.inmate_id == self.inmate.id))


def _among(column: Any, among: sa.Select | None) -> list[sa.ColumnElement[bool]]:
    return [] if among is None else [column.in_(among)]


def fitness_on(day: date, inmate: Any = Inmate,
               history: DatedHistory | None = None) -> sa.ColumnElement[str]:
    """R3: the fitness of the latest assessment on or before ``day``, else the inmate's
    recorded one (as the engine's adapter reads it)."""
    history = history or _HistoryPerRow(day, inmate)
    return sa.func.coalesce(history.latest(MedicalAssessment.fitness),
                            sa.type_coerce(inmate.fitness, sa.String), NOT_ASSESSED)


def review_valid_on(day: date, inmate: Any = Inmate,
                    history: DatedHistory | None = None) -> sa.ColumnElement[bool]:
    """R3: the review date of that assessment (or the inmate's own) has not passed."""
    history = history or _HistoryPerRow(day, inmate)
    review = sa.case((history.assessed, history.latest(MedicalAssessment.review_date)),
                     else_=inmate.fitness_review_date)
    return sa.or_(review.is_(None), review >= day)


class InmateOnDay:
    """The columns ``policy.rules`` reads of a person (``p``), on ``day``. Dated
    history comes from ``history`` (e.g. a ``HistoryOnDay`` the query joins) when
    given, else from correlated subqueries (``day`` may then be a column). Each column
    is built when first read (a rule reads a few of them); a column may be replaced by
    assigning it."""

    def __init__(self, day: Any, inmate: Any = Inmate, history: DatedHistory | None = None,
                 ) -> None:
        self.day, self.inmate, self.given_history = day, inmate, history

    @cached_property
    def history(self) -> DatedHistory:
        return self.given_history or _HistoryPerRow(self.day, self.inmate)

    @cached_property
    def convicted(self) -> sa.ColumnElement[bool]:
        return sa.and_(self.inmate.convicted_on.is_not(None),
                       self.inmate.convicted_on <= self.day)

    @cached_property
    def birth(self) -> Any:
        return self.inmate.birth_date

    @cached_property
    def female(self) -> sa.ColumnElement[bool]:
        return self.inmate.sex == Sex.FEMALE

    @cached_property
    def fitness(self) -> sa.ColumnElement[str]:
        return fitness_on(self.day, self.inmate, self.history)

    @cached_property
    def review_valid(self) -> sa.ColumnElement[bool]:
        return review_valid_on(self.day, self.inmate, self.history)

    @cached_property
    def disability(self) -> sa.ColumnElement[int]:
        return sa.func.coalesce(self.inmate.disability_group, 0)

    @cached_property
    def pregnant(self) -> sa.ColumnElement[bool]:
        return sa.func.coalesce(self.inmate.pregnant, sa.false())

    @cached_property
    def consent_voluntary(self) -> sa.ColumnElement[bool]:
        return self.history.consent(ConsentKind.VOLUNTARY_WORK)

    @cached_property
    def consent_private(self) -> sa.ColumnElement[bool]:
        return self.history.consent(ConsentKind.PRIVATE_EMPLOYER)

    @cached_property
    def regime(self) -> sa.ColumnElement[str]:
        return sa.type_coerce(self.inmate.regime, sa.String)

    @cached_property
    def conditions(self) -> sa.ColumnElement[str]:
        return sa.type_coerce(self.inmate.conditions, sa.String)


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
