"""``policy.ops.Ops`` over SQLAlchemy expressions: how the app's SQL evaluates the law.

The rates, the officers' home, the violations and the labour pool build their WHERE
clauses from ``policy.rules`` through this backend, so SQL says exactly what the
engine's numpy says. Columns handed to the rules are never NULL (see
``app.inmates.law_columns``), so ``not_`` is exact in SQL's three-valued logic.
"""

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa


class SqlOps:
    def and_(self, *terms: Any) -> Any:
        return sa.and_(*terms)

    def or_(self, *terms: Any) -> Any:
        return sa.or_(*terms)

    def not_(self, term: Any) -> Any:
        return sa.not_(term)

    def isin(self, value: Any, choices: Collection[Any]) -> Any:
        choices = list(choices)
        return value.in_(choices) if choices else sa.false()

    def where(self, condition: Any, then: Any, otherwise: Any) -> Any:
        return sa.case((condition, then), else_=otherwise)

    def const(self, value: bool) -> Any:
        return sa.true() if value else sa.false()

    def day(self, value: date) -> Any:
        return sa.literal(value, sa.Date)

    def open_after(self, end: Any, day: Any) -> Any:
        return sa.or_(end.is_(None), end > day)


SQL = SqlOps()


def level_index(name: Any, levels: Sequence[str], *, missing: int, unknown: int,
                ) -> sa.ColumnElement[int]:
    """A level stored by name (R28) as its index on the scale ``levels``: ``missing`` when
    NULL, ``unknown`` for a name no longer on the scale (each caller's safe reading)."""
    return sa.case((name.is_(None), missing),
                   *((name == level, index) for index, level in enumerate(levels)),
                   else_=unknown)
