"""``policy.ops.Ops`` over numpy columns: how the engine evaluates the law.

Dates are ordinals (``date.toordinal()``); an open end is ``NO_DATE``, far in the
future, so "open or after" is a plain comparison.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from functools import reduce
from typing import Any

import numpy as np

NO_DATE = 10**7  # ordinal far in the future (date.max is 3652059)


class NumpyOps:
    def and_(self, *terms: Any) -> Any:
        return reduce(np.logical_and, terms)

    def or_(self, *terms: Any) -> Any:
        return reduce(np.logical_or, terms)

    def not_(self, term: Any) -> Any:
        return np.logical_not(term)

    def isin(self, value: Any, choices: Collection[Any]) -> Any:
        return np.isin(value, list(choices))

    def where(self, condition: Any, then: Any, otherwise: Any) -> Any:
        return np.where(condition, then, otherwise)

    def const(self, value: bool) -> Any:
        return np.bool_(value)

    def day(self, value: date) -> int:
        return value.toordinal()

    def open_after(self, end: Any, day: Any) -> Any:
        return end > day


NUMPY = NumpyOps()
