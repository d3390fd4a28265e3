"""Where to open production: the planner's figures for entrepreneurs, protected like the
labour pool (R17).

Per institution, how many more inmates a workshop of a trade and size would employ,
computed exactly by ``matching.planner`` on the institution's engine input
(``app.planner.operations.problem_of``), shown as ``employers.pool.Count`` rounded
against the institution's ``available`` like every other count an employer sees
(``Count.rounded_within``: within 2 of the truth, below 5 hidden), so that no answer
minus a labour pool count, a draft's eligible count or another answer is a group of 1
to 4. The workshop is fixed but for the trade and size (see :func:`workshop`), so that
no two answers can be differenced into a personal fact either.
"""

from dataclasses import dataclass, replace
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.institutions.models import Institution
from app.planner.operations import problem_of
from employers.pool import Count, available_totals
from matching import Problem, planner


@dataclass(frozen=True)
class ProductionRow:
    """What an entrepreneur sees for one institution (R17)."""

    institution_id: int
    code: str
    name: str
    region: str
    extra_employed: Count


def workshop(trade_code: str, positions: int, employer_kind: str, day: date) -> planner.Workshop:
    """The only workshop an entrepreneur may ask about: their trade and size, their own
    kind of business, inside the perimeter, day shift, 40 hours, the minimum wage, not
    heavy, the trade's skill required. Fixing the rest keeps counts from being
    differenced into personal facts (heavy work vs. health, private employer vs.
    consent, hours vs. age or disability)."""
    return planner.Workshop(trade_code=trade_code, positions=positions,
                            employer_kind=employer_kind, start_date=day)


def without_flags(problem: Problem) -> Problem:
    """The problem as an employer's count may read it: no one flagged under the scattered
    model (R29), so that no count an employer can obtain ever depends on the flag."""
    return replace(problem, inmates=[replace(p, flagged=False) if p.flagged else p
                                     for p in problem.inmates])


def production_ranking(trade_code: str, positions: int, employer_kind: str,
                       day: date) -> list[ProductionRow]:
    """Every institution, with how many more inmates such a workshop would employ
    there, rounded against the labour pool's ``available`` and hidden below 5 (R17);
    largest first, hidden ones last by code."""
    shop = workshop(trade_code, positions, employer_kind, day)
    institutions = list(db.session.scalars(sa.select(Institution).order_by(Institution.code)))
    totals = available_totals(day, [institution.id for institution in institutions])
    rows = []
    for institution in institutions:
        extra = planner.impact(without_flags(problem_of(institution, day)), shop).extra_employed
        rows.append(ProductionRow(institution.id, institution.code, institution.name,
                                  institution.region.name,
                                  Count.rounded_within(extra, totals.get(institution.id, 0))))
    rows.sort(key=lambda r: (r.extra_employed.value is None, -(r.extra_employed.value or 0),
                             r.code))
    return rows
