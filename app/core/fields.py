"""Marshmallow fields shared by the API schemas."""

from datetime import UTC, datetime
from typing import Any

from marshmallow import fields, validate


class UtcDateTime(fields.DateTime):
    """A stored timestamp (naive, in UTC) written with its time zone, as OpenAPI's
    ``date-time`` requires: ``2026-11-30T01:15:28.613431+00:00``."""

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


MAX_ID = 2**31 - 1  # PostgreSQL's integer, as the URL converter's bound


class Id(fields.Integer):
    """A database id: a whole number from 1 to 2³¹ − 1, refused (422) and documented so."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Range(min=1, max=MAX_ID))
        super().__init__(**kwargs)
