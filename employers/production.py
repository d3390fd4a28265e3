"""Where to open production: the planner's figures for entrepreneurs, protected like the
labour pool (R17).

Per institution, how many more inmates a workshop of a trade and size would employ,
computed exactly by ``matching.planner`` on the institution's engine input
(``app.planner.operations.problem_of``), shown as ``employers.pool.Count``: below 5
hidden. The workshop is fixed but for the trade and size (see :func:`workshop`), so that
no two answers can be differenced into a personal fact.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.institutions.models import Institution
from app.planner.operations import problem_of
from employers.pool import Count
from matching import planner


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


def production_ranking(trade_code: str, positions: int, employer_kind: str,
                       day: date) -> list[ProductionRow]:
    """Every institution, with how many more inmates such a workshop would employ
    there, counts below 5 hidden (R17); largest first, hidden ones last by code."""
    shop = workshop(trade_code, positions, employer_kind, day)
    rows = []
    for institution in db.session.scalars(sa.select(Institution).order_by(Institution.code)):
        extra = planner.impact(problem_of(institution, day), shop).extra_employed
        rows.append(ProductionRow(institution.id, institution.code, institution.name,
                                  institution.region.name, Count.of(extra)))
    rows.sort(key=lambda r: (r.extra_employed.value is None, -(r.extra_employed.value or 0),
                             r.code))
    return rows
