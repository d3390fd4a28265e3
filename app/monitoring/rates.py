"""Employment rates (R1) by institution, by region and over the reader's whole
scope, for any day, and their monthly trend.

The counts come from ``app/placements/status.institution_counts`` (R1 defined
once, from dated history), so a past day's figure is the same tomorrow as
today (R19). Two rates are reported:

- ``rate``: employed among those able to work / able to work (R1, the target's
  measure; an inmate working without being able to, e.g. a remand detainee on
  request, is not counted, so the rate never exceeds 100%);
- ``rate_held``: the same employed people / everybody held (an inmate at work who is
  not able to work is a violation, counted in neither share).

The "total" line covers the reader's scope: the whole country for a national
prosecutor or an administrator, the region for a regional prosecutor (who reads
nothing outside it, R16).

Counts for one day come from ``institution_counts`` (each history table read
once, joined), those of the 24-month trend from ``institution_counts_series``
(one column per day); tests check that both give the same figures, so the rates
page and a trend's point for the same day always agree. A day's counts are
computed once and kept until a write changes them (``app/placements/kept.py``).

The trend samples the 1st of each month: the last 24 points are the 1st of the
current month and of the 23 months before it, all in the past, so each point
is a reproducible R1 figure.
"""

import functools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import astuple, dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.core.auth import scoped
from app.extensions import db
from app.institutions.models import Institution, Region
from app.placements import kept, reconcile
from app.placements.status import (
    institution_counts,
    institution_counts_series,
    unpivot_series,
)
from app.settings.models import YearSettings
from app.settings.operations import settings_for
from policy import Law

TREND_MONTHS = 24


@dataclass(frozen=True)
class Counts:
    held: int = 0
    able: int = 0
    employed: int = 0
    employed_able: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.held + other.held, self.able + other.able,
                      self.employed + other.employed, self.employed_able + other.employed_able)


@dataclass(frozen=True)
class Rate:
    """One line of a rates table: an institution, a region or the total."""

    key: int | None  # institution or region id; None for the total
    label: Any  # a code, a region name, or a lazy string for the country
    day: date
    target: Decimal
    counts: Counts
    region_id: int | None = None
    rank: int | None = None

    @property
    def held(self) -> int:
        return self.counts.held

    @property
    def able(self) -> int:
        return self.counts.able

    @property
    def employed(self) -> int:
        """R1's numerator: employed inmates who are able to work (an unfit inmate at work
        is a violation, not progress), so the rate never passes 100%."""
        return self.counts.employed_able

    @property
    def employed_all(self) -> int:
        """The numerator of employed / all held: the same people as R1's (``employed``),
        never one at work who is not able to work (a violation, not employment)."""
        return self.counts.employed_able

    @property
    def rate(self) -> float | None:
        return self.employed / self.able if self.able else None

    @property
    def rate_held(self) -> float | None:
        return self.employed_all / self.held if self.held else None

    @property
    def shortfall(self) -> int:
        """People still to employ to reach the target: ceil(target × able) − employed, ≥ 0."""
        return max(0, math.ceil(self.target * self.able) - self.employed)

    @property
    def below_target(self) -> bool:
        return self.rate is not None and Decimal(str(self.rate)) < self.target


@dataclass
class RatesReport:
    day: date
    target: Decimal
    total: Rate
    regions: list[Rate]
    institutions: list[Rate]  # ranked, best rate first

    def institution(self, institution_id: int) -> Rate | None:
        return next((r for r in self.institutions if r.key == institution_id), None)


@dataclass
class Trends:
    days: list[date]
    total: list[Rate]
    regions: dict[int, list[Rate]] = field(default_factory=dict)
    institutions: dict[int, list[Rate]] = field(default_factory=dict)


def institutions_in_scope(user: Any, region_id: int | None = None) -> list[Institution]:
    query = (scoped(Institution, user).options(joinedload(Institution.region))
             .order_by(Institution.code))
    if region_id is not None:
        query = query.where(Institution.region_id == region_id)
    return list(db.session.scalars(query))


def scope_label(user: Any) -> Any:  # a lazy string: translated when shown
    region = db.session.get(Region, user.region_id) if user.region_id else None
    return region.name if region else _l("Kazakhstan")


def _r1_queries() -> list[sa.Select]:
    day, law = date(2000, 1, 1), Law.for_year(2000)
    return [institution_counts(day, law), institution_counts_series([day, day], lambda _: law)]


kept.register("r1", _r1_queries)
reconcile.register_recompute("r1", lambda days, _key, ids: count_cells(days, ids))


def counts_on(days: Sequence[date], institution_ids: Iterable[int],
              ) -> dict[tuple[date, int], Counts]:
    """R1 counts per (day, institution) that held somebody, as kept
    (app/placements/kept.py) or computed and kept."""
    ids = set(institution_ids)
    if not days or not ids:
        return {}
    return {cell: Counts(*values)
            for cell, values in kept.figures_of("r1", days, ids, count_cells).items()
            if values[0]}  # held: nobody, no line (as count_from_history)


def count_cells(days: list[date], institution_ids: list[int]) -> dict[kept.Cell, list[int]]:
    """R1 counts of each institution on each day, as kept figures hold them:
    [held, able, employed, employed_able], zeros where nobody was held."""
    counted = count_from_history(days, set(institution_ids))
    return {(day, i): list(astuple(counted.get((day, i), Counts())))
            for day in days for i in institution_ids}


def count_from_history(days: list[date], ids: set[int]) -> dict[tuple[date, int], Counts]:
    """R1 counts per (day, institution of ``ids``) computed from history, in one query."""
    if len(days) == 1:  # one day: the joined query is the quicker (README, Benchmarks)
        query = institution_counts(days[0], settings_for(days[0].year).law, ids)
    else:
        settings_of = _settings_by_year()
        query = institution_counts_series(days, lambda year: settings_of(year).law, ids)
    rows = db.session.execute(query)
    if len(days) == 1:
        return {(days[0], row.institution_id): Counts(row.held, row.able, row.employed,
                                                      row.employed_able) for row in rows}
    return {(day, institution_id): Counts(*figures)
            for day, institution_id, *figures in unpivot_series(rows, days)}


def _settings_by_year() -> Callable[[int], YearSettings]:
    """``settings_for``, read once per year (24 months span at most 3 years)."""
    return functools.cache(settings_for)


def _ranked(rates: list[Rate]) -> list[Rate]:
    """Best rate first; institutions with nobody able to work last."""
    ordered = sorted(rates, key=lambda r: (r.rate is None, -(r.rate or 0), r.label))
    return [replace(r, rank=i) for i, r in enumerate(ordered, start=1)]


def _rates_for_day(day: date, institutions: list[Institution], counts: dict, label: Any,
                   settings_of: Callable[[int], YearSettings] = settings_for,
                   ) -> tuple[Rate, list[Rate], list[Rate]]:
    target = settings_of(day.year).target_rate
    by_institution = [
        Rate(i.id, i.code, day, target, counts.get((day, i.id), Counts()), region_id=i.region_id)
        for i in institutions
    ]
    region_counts: dict[int, Counts] = {}
    for rate in by_institution:
        region_counts[rate.region_id] = region_counts.get(rate.region_id, Counts()) + rate.counts
    names = {i.region_id: i.region.name for i in institutions}
    regions = sorted((Rate(rid, names[rid], day, target, c) for rid, c in region_counts.items()),
                     key=lambda r: r.label)
    total = Rate(None, label, day, target, sum(region_counts.values(), Counts()))
    return total, regions, by_institution


def rates_on(day: date, user: Any, region_id: int | None = None) -> RatesReport:
    """R1 on ``day`` for every institution the user may read (optionally one region)."""
    institutions = institutions_in_scope(user, region_id)
    counts = counts_on([day], [i.id for i in institutions])
    total, regions, by_institution = _rates_for_day(day, institutions, counts,
                                                    scope_label(user))
    if region_id is not None and regions:
        total = regions[0]
    return RatesReport(day, total.target, total, regions, _ranked(by_institution))


def rate_of(institution: Institution, day: date) -> Rate:
    """R1 of one institution on ``day``."""
    counts = counts_on([day], [institution.id]).get((day, institution.id), Counts())
    return Rate(institution.id, institution.code, day, settings_for(day.year).target_rate,
                counts, region_id=institution.region_id)


def trend_days(today: date, months: int = TREND_MONTHS) -> list[date]:
    """The 1st of the current month and of the ``months - 1`` months before it, oldest first."""
    first = today.year * 12 + today.month - 1
    return [date(m // 12, m % 12 + 1, 1) for m in range(first - months + 1, first + 1)]


def trends(user: Any, today: date, months: int = TREND_MONTHS,
           institution_id: int | None = None) -> Trends:
    """Monthly R1 series for the scope total, each region and each institution."""
    institutions = institutions_in_scope(user)
    if institution_id is not None:
        institutions = [i for i in institutions if i.id == institution_id]
    days = trend_days(today, months)
    counts = counts_on(days, [i.id for i in institutions])
    result = Trends(days=days, total=[])
    settings_of, label = _settings_by_year(), scope_label(user)
    for day in days:
        total, regions, by_institution = _rates_for_day(day, institutions, counts, label,
                                                        settings_of)
        result.total.append(total)
        for rate in regions:
            result.regions.setdefault(rate.key, []).append(rate)
        for rate in by_institution:
            result.institutions.setdefault(rate.key, []).append(rate)
    return result
