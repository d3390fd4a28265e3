"""The few operations a rule needs from the place it runs in.

Rules (``policy.rules``) are written once against this protocol; the engine evaluates
them over numpy columns (``matching.lawops.NUMPY``), the app over SQL columns
(``app.core.lawsql.SQL``), entry checks over plain Python values (:data:`PYTHON`).
Comparisons (``<=``, ``==``) and arithmetic are the operands' own; boolean logic,
membership, choice, literals and open-ended periods go through ``Ops`` because numpy,
SQL and Python spell them differently (and SQL has NULL).

A backend's columns are never NULL: where the data may be missing the backend
substitutes a value (no assessment -> fitness ``"none"``), so ``not_`` is exact.
"""

from collections.abc import Collection
from datetime import date
from typing import Any, Protocol


class Ops(Protocol):
    def and_(self, *terms: Any) -> Any: ...
    def or_(self, *terms: Any) -> Any: ...
    def not_(self, term: Any) -> Any: ...
    def isin(self, value: Any, choices: Collection[Any]) -> Any: ...
    def where(self, condition: Any, then: Any, otherwise: Any) -> Any: ...
    def const(self, value: bool) -> Any: ...
    def day(self, value: date) -> Any:
        """A date as the backend compares it with its date columns."""
        ...
    def open_after(self, end: Any, day: Any) -> Any:
        """``end`` is open (no end) or falls after ``day``."""
        ...


class PythonOps:
    """Plain Python values (one person, one vacancy): entry checks and tests."""

    def and_(self, *terms: Any) -> bool:
        return all(terms)

    def or_(self, *terms: Any) -> bool:
        return any(terms)

    def not_(self, term: Any) -> bool:
        return not term

    def isin(self, value: Any, choices: Collection[Any]) -> bool:
        return value in choices

    def where(self, condition: Any, then: Any, otherwise: Any) -> Any:
        return then if condition else otherwise

    def const(self, value: bool) -> bool:
        return value

    def day(self, value: date) -> date:
        return value

    def open_after(self, end: date | None, day: date) -> bool:
        return end is None or end > day


PYTHON = PythonOps()
