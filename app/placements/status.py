"""Who is held, able to work and employed on a day (R1), as SQL clauses.

Built from dated history (custody periods, convictions, medical assessments,
consents, placements), so a past day's figures do not change later (R19).
Used by the officers' home page, the labour pool, the engine adapter and the
prosecutors' rates alike, so R1 is defined once.
"""

from collections.abc import Callable, Iterable, Iterator
from datetime import date

import sqlalchemy as sa

from app.core.lawsql import SQL
from app.core.vocabulary import ConsentKind
from app.inmates.law_columns import HistoryOnDay, InmateOnDay
from app.inmates.models import Consent, CustodyPeriod, Inmate, MedicalAssessment
from app.placements.models import Placement
from policy import Law, rules
from policy.law import ABLE_FITNESS
from policy.rules import active_on


def held_on(day: date, institution_ids: Iterable[int] | None = None) -> sa.Select:
    """Rows (inmate_id, institution_id) of everybody held on ``day`` (at the institutions
    given, or anywhere)."""
    return sa.select(CustodyPeriod.inmate_id, CustodyPeriod.institution_id).where(
        active_on(SQL, CustodyPeriod.started_on, CustodyPeriod.ended_on, day),
        *_at(institution_ids))


def _at(institution_ids: Iterable[int] | None) -> list[sa.ColumnElement[bool]]:
    """Custody periods at the institutions given (none: no condition)."""
    if institution_ids is None:
        return []
    return [CustodyPeriod.institution_id.in_(sorted(institution_ids))]


def in_voluntary_group(day: date, law: Law) -> sa.ColumnElement[bool]:
    """R4: pension age, disability groups I and II, pregnancy (as configured)."""
    return rules.in_voluntary_group(SQL, law, InmateOnDay(day), day)


def able_to_work(day: date, law: Law, history: HistoryOnDay | None = None,
                 ) -> sa.ColumnElement[bool]:
    """R1 (``policy.rules.able_to_work``): convicted, medically fit (fully or with
    limits), and not in a voluntary-only group without a consent in force, on ``day``.
    With ``history``, the query must join it (``HistoryOnDay.join``)."""
    return rules.able_to_work(SQL, law, InmateOnDay(day, history=history), day)


def _paid_and_active(day: date) -> sa.ColumnElement[bool]:
    return sa.and_(Placement.paid.is_(True),
                   active_on(SQL, Placement.start_date, Placement.end_date, day))


def employed(day: date) -> sa.Exists:
    """R1: an active paid placement on ``day``."""
    return sa.exists().where(Placement.inmate_id == Inmate.id, _paid_and_active(day))


def employed_inmates(day: date) -> sa.Subquery:
    """R1: the ids (``inmate_id``) of everybody with an active paid placement on ``day``,
    to outer-join when a query counts many inmates (``employed`` is a subquery a row)."""
    return (sa.select(Placement.inmate_id).where(_paid_and_active(day)).distinct()
            .subquery())


def institution_counts(day: date, law: Law, institution_ids: Iterable[int] | None = None,
                       ) -> sa.Select:
    """Per institution (of those given, or all) on ``day``: (institution_id, held, able,
    employed, employed_able)."""
    held = held_on(day, institution_ids).subquery()
    history = HistoryOnDay(day, among=sa.select(held.c.inmate_id))
    working = employed_inmates(day)
    able = able_to_work(day, law, history)
    works = working.c.inmate_id.is_not(None)
    count_if = lambda condition: sa.func.count().filter(condition)  # noqa: E731
    return (
        sa.select(
            held.c.institution_id,
            sa.func.count().label("held"),
            count_if(able).label("able"),
            count_if(works).label("employed"),
            count_if(sa.and_(able, works)).label("employed_able"),
        )
        .select_from(history.join(held.join(Inmate, Inmate.id == held.c.inmate_id))
                     .outerjoin(working, working.c.inmate_id == Inmate.id))
        .group_by(held.c.institution_id)
    )



# --- The same R1 counts for many days in one query (trends) -----------------------
# ``institution_counts`` evaluates correlated subqueries per inmate: fine for one
# day, too slow for 24 months of 30,000 inmates. Here each history table is read
# once, giving per inmate one 0/1 column per day, then summed per institution.
# R1 itself is still ``policy.rules.able_to_work``: only the person's dated columns
# (fitness, consent) are read from these flags instead of correlated subqueries, and
# tests/monitoring/test_rates.py::test_series_agrees_with_institution_counts
# checks that both give the same figures.


def _covers(day: date, start: sa.ColumnElement, end: sa.ColumnElement) -> sa.ColumnElement:
    """1 when [start, end) contains ``day`` (end exclusive, open when null), else 0."""
    return sa.case((active_on(SQL, start, end, day), 1), else_=0)


def _flags_per_day(days: list[date], keys: list, start: sa.ColumnElement,
                   end: sa.ColumnElement, *where: sa.ColumnElement) -> sa.Subquery:
    """Per ``keys`` (inmate...), columns on_0..on_n: 1 if some row covers days[k]."""
    flags = [sa.func.max(_covers(day, start, end)).label(f"on_{k}")
             for k, day in enumerate(days)]
    in_window = sa.and_(start <= days[-1], sa.or_(end.is_(None), end > days[0]))
    return sa.select(*keys, *flags).where(in_window, *where).group_by(*keys).subquery()


def _latest_assessments() -> sa.Subquery:
    """Each assessment with the date the next one replaced it (null: still current)."""
    return sa.select(
        MedicalAssessment.inmate_id, MedicalAssessment.fitness, MedicalAssessment.assessed_on,
        sa.func.lead(MedicalAssessment.assessed_on).over(
            partition_by=MedicalAssessment.inmate_id,
            order_by=(MedicalAssessment.assessed_on, MedicalAssessment.id)).label("next_on"),
    ).subquery()


def institution_counts_series(days: list[date], law_of: Callable[[int], Law],
                              institution_ids: Iterable[int] | None = None) -> sa.Select:
    """Per institution (of those given, or all), for every day k of ``days``, columns
    held_k, able_k, employed_k and employed_able_k (see ``unpivot_series``);
    ``law_of(year)`` gives the law of each day's year."""
    held = _flags_per_day(days, [CustodyPeriod.inmate_id, CustodyPeriod.institution_id],
                          CustodyPeriod.started_on, CustodyPeriod.ended_on,
                          *_at(institution_ids))
    latest = _latest_assessments()
    fit = _flags_per_day(days, [latest.c.inmate_id], latest.c.assessed_on, latest.c.next_on,
                         latest.c.fitness.in_(ABLE_FITNESS))
    # assessed by day k: the first assessment is on or before it (one min, not 24 flags)
    assessed = (sa.select(MedicalAssessment.inmate_id,
                          sa.func.min(MedicalAssessment.assessed_on).label("first_on"))
                .group_by(MedicalAssessment.inmate_id).subquery())
    consent = _flags_per_day(days, [Consent.inmate_id], Consent.given_on, Consent.withdrawn_on,
                             Consent.kind == ConsentKind.VOLUNTARY_WORK)
    works = _flags_per_day(days, [Placement.inmate_id], Placement.start_date,
                           Placement.end_date, Placement.paid.is_(True))
    flags = []  # per custody row and day k: held, able (and held), employed (and held)
    for k, day in enumerate(days):
        def on(source: sa.Subquery, k: int = k) -> sa.ColumnElement[bool]:
            return sa.func.coalesce(source.c[f"on_{k}"], 0) == 1

        person = InmateOnDay(day)
        person.fitness = sa.case((on(fit), ABLE_FITNESS[0]),
                                 (assessed.c.first_on <= day, "unfit"),
                                 else_=sa.type_coerce(Inmate.fitness, sa.String))
        person.consent_voluntary = on(consent)
        able = rules.able_to_work(SQL, law_of(day.year), person, day)
        flags += [held.c[f"on_{k}"].label(f"h_{k}"),
                  sa.case((sa.and_(on(held), able), 1), else_=0).label(f"a_{k}"),
                  sa.case((sa.and_(on(held), on(works)), 1), else_=0).label(f"w_{k}")]
    rows = (sa.select(held.c.institution_id, *flags)
            .select_from(held.join(Inmate, Inmate.id == held.c.inmate_id)
                         .outerjoin(fit, fit.c.inmate_id == held.c.inmate_id)
                         .outerjoin(assessed, assessed.c.inmate_id == held.c.inmate_id)
                         .outerjoin(consent, consent.c.inmate_id == held.c.inmate_id)
                         .outerjoin(works, works.c.inmate_id == held.c.inmate_id))
            .subquery())
    columns = []
    for k in range(len(days)):
        h, a, w = rows.c[f"h_{k}"], rows.c[f"a_{k}"], rows.c[f"w_{k}"]
        columns += [sa.func.sum(h).label(f"held_{k}"), sa.func.sum(a).label(f"able_{k}"),
                    sa.func.sum(w).label(f"employed_{k}"),
                    sa.func.sum(a * w).label(f"employed_able_{k}")]
    return sa.select(rows.c.institution_id, *columns).group_by(rows.c.institution_id)


def unpivot_series(rows: Iterable[sa.Row], days: list[date]) -> Iterator[tuple]:
    """Rows of ``institution_counts_series`` as
    (day, institution_id, held, able, employed, employed_able), skipping days nobody was held."""
    for row in rows:
        for k, day in enumerate(days):
            held = getattr(row, f"held_{k}")
            if held:
                yield (day, row.institution_id, held, getattr(row, f"able_{k}"),
                       getattr(row, f"employed_{k}"), getattr(row, f"employed_able_{k}"))
