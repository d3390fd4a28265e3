"""The labour pool an employer sees (R17): per institution, how many inmates able to
work are not employed, by trade/skill and by the weekly hours they may work; and how
many would be eligible for a draft vacancy. Counts only, never a person, and any count
below 5 is shown as "fewer than 5".

A hidden count must not be recoverable by subtraction either, from one page or from
several: every count an employer can obtain about an institution is protected together.

- ``available`` (able to work and not employed) is shown exactly; it is the anchor.
- Every other count of the institution (``by_trade``, ``by_hours``, a draft vacancy's
  ``eligible_count``, and the production estimates of ``employers/production.py``) is
  shown as ``Count.rounded_within(n, available)``: ``available`` minus the rest rounded
  to the nearest multiple of 5. Each is within 2 of the truth and equal to ``available``
  modulo 5, so any two counts of one institution, whatever pages they come from, differ
  by 0, 5, 10...: a group of 1 to 4 people is never a difference, and a difference of 5
  stands for anything from 1 to 9. (Before, "where to open production" for a trade minus
  the labour pool's count of the trade gave groups of 1 to 4 people, a health fact.)
  Such a count is hidden when it, or the true number, is under 5.
- ``by_hours`` partitions ``available`` (each inmate has exactly one hours limit), so a
  lone hidden group would be ``available`` minus the shown ones; there, more groups are
  hidden until at least two are and they sum to 5 or more (``suppress_partition``). This
  matters: the 36-hour group is disability I/II (a health fact) or age 16-17.
- No rounding of whole numbers can keep a group of 1 or 2 from ever moving a count (a
  count that never moves by 1 never moves at all); what holds for every value, and is
  tested for every value, is the above: a shown count moves by 0 or 5 when one or two
  people join or leave, never by 1 or 2.

Eligibility for a (draft) vacancy runs the engine's own vectorised pair rules
(``matching.rules.evaluate``, R2-R13, R28 and R30) on the rows the placements adapter
loads, so the count agrees with what a match run would allow (R14, separation, concerns
pairs of inmates and is left to the run). The counts by trade leave out the persons a
court's ban running on the day bars from the trade (R30). No count reads the scattered
model's flag (R29): it bars nobody from work, and a count must never reveal it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.core.lawsql import SQL
from app.extensions import db
from app.inmates import risk
from app.inmates.law_columns import HistoryOnDay, InmateOnDay
from app.inmates.models import Inmate, InmateSkill
from app.institutions.models import Institution
from app.placements import adapter, kept, reconcile
from app.placements.status import able_to_work, employed_inmates, held_on
from app.settings.operations import settings_for
from app.taxonomy.models import Trade
from app.vacancies.models import Vacancy
from matching.rules import build_frame, evaluate
from policy import Law, rules
from policy.clock import today_in_kazakhstan

SUPPRESS_BELOW = 5  # R17
ROUND_TO = 5  # R17: the step of the rounding that protects every count but `available`


@dataclass(frozen=True)
class Count:
    """A count as shown to an employer: ``value`` is None when suppressed (R17);
    ``rounded`` when it is within 2 of the true number, not the number itself."""

    value: int | None
    suppressed: bool
    rounded: bool = False

    @classmethod
    def of(cls, n: int) -> "Count":
        return cls(None, True) if n < SUPPRESS_BELOW else cls(n, False)

    @classmethod
    def rounded_within(cls, n: int, total: int) -> "Count":
        """``n`` of an institution whose ``total`` (``available``) the employer sees
        exactly, protected against subtraction (R17): ``total`` minus the others
        (``total - n``) rounded to the nearest multiple of ROUND_TO. The count shown is
        within 2 of ``n`` and equal to ``total`` modulo ROUND_TO, so that two counts
        protected against one total differ by a multiple of ROUND_TO, never by a group
        of 1 to 4; hidden when the count shown or ``n`` is under 5."""
        shown = total - round_to_step(total - n)
        if shown < SUPPRESS_BELOW or n < SUPPRESS_BELOW:
            return cls(None, True)
        return cls(shown, False, rounded=True)


def round_to_step(n: int) -> int:
    """``n`` rounded to the nearest multiple of ROUND_TO (0-2 to 0, 3-7 to 5; -3 to -5)."""
    return (n + ROUND_TO // 2) // ROUND_TO * ROUND_TO


@dataclass(frozen=True)
class TradeCount:
    trade_code: str
    trade_name: str
    inmates: Count


@dataclass(frozen=True)
class HoursCount:
    weekly_hours: int
    inmates: Count


@dataclass
class InstitutionPool:
    institution_id: int
    code: str
    name: str
    region: str
    available: Count
    by_trade: list[TradeCount] = field(default_factory=list)
    by_hours: list[HoursCount] = field(default_factory=list)


def _available(day: date, law: Law, institution_ids: Iterable[int] | None = None,
               ) -> sa.Select:
    """Inmates held on ``day`` (at the institutions given, or anywhere), able to work and
    not employed, with their institution."""
    held = held_on(day, institution_ids)
    # Of a few institutions, PostgreSQL expects one person held (the start and end bounds
    # are correlated) and scans every inmate first; worked out first, the few held drive
    # the joins (one institution's pool 19 ms instead of 35).
    held = (held.cte("held").prefix_with("MATERIALIZED") if institution_ids is not None
            else held.subquery())
    history = HistoryOnDay(day, among=sa.select(held.c.inmate_id))
    return (sa.select(Inmate.id.label("inmate_id"), held.c.institution_id)
            .select_from(history.join(held.join(Inmate, Inmate.id == held.c.inmate_id)))
            .where(able_to_work(day, law, history),
                   Inmate.id.not_in(sa.select(employed_inmates(day).c.inmate_id))))


def hours_allowed(day: date, law: Law) -> sa.ColumnElement[int]:
    """The most weekly hours an inmate may work (R6 by age, R9 by disability)."""
    return rules.weekly_hours_allowed(SQL, law, InmateOnDay(day), day)


def labour_pool(day: date | None = None,
                institution_ids: Iterable[int] | None = None) -> list[InstitutionPool]:
    """The pool of every institution (or of those given), counts suppressed below 5."""
    day = day or today_in_kazakhstan()
    institutions = (sa.select(Institution).options(joinedload(Institution.region))
                    .order_by(Institution.code))
    if institution_ids is not None:
        institutions = institutions.where(Institution.id.in_(list(institution_ids)))
    pools = {i.id: InstitutionPool(i.id, i.code, i.name, i.region.name, Count.of(0))
             for i in db.session.scalars(institutions)}
    groups = kept.figures_of("pool", [day], pools, _count_groups)
    for (_, institution_id), found in sorted(groups.items()):
        pool, total = pools[institution_id], sum(n for _, n in found["hours"])
        pool.available = Count.of(total)
        pool.by_hours = [HoursCount(hours, count) for (hours, _), count in zip(
            found["hours"], suppress_partition([n for _, n in found["hours"]], total),
            strict=True)]
        pool.by_trade = [TradeCount(code, name, Count.rounded_within(n, total))
                         for code, name, n in found["trades"]]
    return list(pools.values())


def available_totals(day: date, institution_ids: Iterable[int]) -> dict[int, int]:
    """Each institution's ``available`` on ``day`` (kept, as the labour pool shows it):
    the total every other count of the institution is protected against."""
    groups = kept.figures_of("pool", [day], institution_ids, _count_groups)
    return {institution_id: sum(n for _, n in found["hours"])
            for (_, institution_id), found in groups.items()}


def _groups(day: date, law: Law, institution_ids: list[int] | None = None,
            ) -> sa.CompoundSelect:
    """The available inmates (of the institutions given, or all) counted per
    (institution, weekly hours) and per (institution, trade), in one statement so that
    the available set is worked out once: rows (institution_id, hours, code, name, n),
    code null for an hours group."""
    available = (_available(day, law, institution_ids)
                 .add_columns(hours_allowed(day, law).label("hours")).cte("available"))
    count = sa.func.count().label("n")
    by_hours = (sa.select(available.c.institution_id, available.c.hours,
                          sa.cast(sa.null(), sa.String).label("code"),
                          sa.cast(sa.null(), sa.String).label("name"), count)
                .group_by(available.c.institution_id, available.c.hours))
    by_trade = (sa.select(available.c.institution_id, sa.cast(sa.null(), sa.Integer),
                          Trade.code, Trade.name_en, count)
                .join(InmateSkill, InmateSkill.inmate_id == available.c.inmate_id)
                .join(Trade, Trade.id == InmateSkill.trade_id)
                # R30: a person a court's ban bars from the trade is not in its pool
                .where(~risk.banned_from(InmateSkill.trade_id, day, law,
                                         available.c.inmate_id))
                .group_by(available.c.institution_id, Trade.code, Trade.name_en))
    return sa.union_all(by_hours, by_trade)


def _count_groups(days: list[date], institution_ids: list[int]) -> dict[kept.Cell, dict]:
    """Per day and institution, the pool's groups as kept: "hours" rows [hours, n], most
    hours first, and "trades" rows [code, name, n], largest first."""
    counted: dict[kept.Cell, dict] = {}
    for day in days:
        groups = {i: {"hours": [], "trades": []} for i in institution_ids}
        rows = db.session.execute(_groups(day, settings_for(day.year).law, institution_ids))
        for i, hours, code, name, n in sorted(rows, key=lambda row: (
                row.code is not None, -(row.hours or 0), -row.n, row.code or "")):
            groups[i]["hours" if code is None else "trades"].append(
                [hours, n] if code is None else [code, name, n])
        counted |= {(day, i): found for i, found in groups.items()}
    return counted


kept.register("pool", lambda: [_groups(date(2000, 1, 1), Law.for_year(2000))])
reconcile.register_recompute("pool", lambda days, _key, ids: _count_groups(days, ids))


def suppress_partition(counts: list[int], total: int) -> list[Count]:
    """Counts of groups that add up to ``total`` (shown exactly), each rounded against
    it and hidden below 5 (primary) and, so that no hidden one is the total minus the
    shown ones, the smallest shown ones hidden too until at least two are hidden and
    they sum to 5 or more (secondary)."""
    shown = [Count.rounded_within(n, total) for n in counts]
    hidden = {i for i, count in enumerate(shown) if count.suppressed}
    # On a tie the later group goes: groups come most hours first, and the groups with
    # fewer hours are the ones that say something personal (age, disability).
    by_size = sorted(range(len(counts)), key=lambda i: (counts[i], -i))
    for i in by_size:
        exposed = len(hidden) == 1 or sum(counts[j] for j in hidden) < SUPPRESS_BELOW
        if not hidden or not exposed:
            break
        hidden.add(i)
    return [Count(None, True) if i in hidden else count for i, count in enumerate(shown)]


# --- eligibility for one vacancy -----------------------------------------------------


def eligible_count(vacancy: Vacancy, day: date | None = None) -> Count:
    """How many able, not employed inmates of the vacancy's institution the engine's
    rules (R2-R13, ``matching.rules``) let take it today, rounded and suppressed as the
    module's docstring says (R17)."""
    day = day or today_in_kazakhstan()
    settings = settings_for(day.year)
    available = _available(day, settings.law).subquery()
    inmates = adapter.load_inmates(
        sa.select(available.c.inmate_id)
        .where(available.c.institution_id == vacancy.institution_id), day)
    if not inmates:
        return Count.of(0)
    frame = build_frame(inmates, adapter.load_vacancies([vacancy.id], day),
                        adapter.engine_settings(settings), day, vacancy.institution.is_juvenile)
    allowed, _ = evaluate(frame)
    eligible = int(allowed[:, 0].sum())
    total = available_totals(day, [vacancy.institution_id])[vacancy.institution_id]
    return Count.rounded_within(eligible, total)  # the total the labour pool shows
