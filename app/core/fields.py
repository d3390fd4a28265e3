"""Marshmallow fields shared by the API schemas."""

from datetime import UTC, datetime
from typing import Any

from marshmallow import fields, validate

from policy.clock import KAZAKHSTAN


class UtcDateTime(fields.DateTime):
    """A stored timestamp (naive, in UTC) written with its time zone, as OpenAPI's
    ``date-time`` requires: ``2026-11-30T01:15:28.613431+00:00``."""

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class KazakhstanDateTime(fields.DateTime):
    """An appointment on Kazakhstan's wall clock (an interview at 10:00 stays at 10:00),
    stored naive in Kazakhstan time and written with its zone: ``2026-12-10T10:00:00+05:00``.
    Read back the same way; a time without a zone is taken as Kazakhstan's."""

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=KAZAKHSTAN)
        return super()._serialize(value, attr, obj, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        if moment.tzinfo is not None:
            moment = moment.astimezone(KAZAKHSTAN).replace(tzinfo=None)
        return moment


class Integer(fields.Integer):
    """A whole number. Marshmallow's own truncates a number with a fraction (2.5 became
    2, 1e-42 became 0) and so stored what nobody sent; this one refuses it (422). Digits
    in a query string still read."""

    def _validated(self, value: Any) -> int:
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


MAX_ID = 2**31 - 1  # PostgreSQL's integer, as the URL converter's bound


class Id(Integer):
    """A database id: a whole number from 1 to 2³¹ − 1, refused (422) and documented so."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Range(min=1, max=MAX_ID))
        super().__init__(**kwargs)
