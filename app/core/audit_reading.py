"""The audit trail as people read it (R18): each entry names its record (the inmate,
the vacancy, the course...) instead of a type and a number, changes read
"label: before → after" with the records a foreign key points at named too, days
and numbers in the user's language, moments in Kazakhstan's time, and the user who
made the change by name.

Records are found through the models' registry, not imports, so the core stays at
the bottom of the stack: a model is named by its own ``full_name``, ``title`` or
``name``, else its ``__str__``, else by the records it belongs to (a skill by its
inmate, a timesheet by its placement's inmate, a referral by its plan's person)."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date, format_datetime, format_decimal

from app.core.audit import AuditEvent
from app.core.labels import field_label, value_label
from app.extensions import db

OWN_NAMES = ("full_name", "title", "name")
# The records another belongs to, in the order that names it best; a second name is
# added from SECOND (a placement is "inmate · vacancy").
OWNERS = ("inmate", "person", "plan", "placement", "referral", "timesheet", "vacancy",
          "course", "employer", "partner", "institution", "user")
SECOND = ("vacancy", "course")


@dataclass
class Change:
    label: str
    before: str | None  # None: the record was created (nothing before)
    after: str | None  # None: the record was deleted


@dataclass
class ReadableEntry:
    event: AuditEvent
    record: str | None  # the record's name; None when it can no longer be found
    actor: str
    changes: list[Change] = field(default_factory=list)


@cache  # the registry is complete once the app is built
def _model(entity_type: str) -> type | None:
    return next((m.class_ for m in db.Model.registry.mappers
                 if m.class_.__name__ == entity_type), None)


def _relations(obj: Any) -> dict[str, Any]:
    return {r.key: r for r in sa.inspect(type(obj)).relationships if not r.uselist}


def record_name(obj: Any, depth: int = 0) -> str | None:
    """What people call the record (see the module's note); None if nothing does."""
    for attribute in OWN_NAMES:
        value = getattr(obj, attribute, None)
        if isinstance(value, str) and value:
            return value
    if type(obj).__str__ is not object.__str__:
        return str(obj)
    if depth > 2:
        return None
    relations = _relations(obj)
    owners = [key for key in OWNERS if key in relations and getattr(obj, key) is not None]
    if not owners:
        return None
    first = record_name(getattr(obj, owners[0]), depth + 1)
    second = next((key for key in owners[1:] if key in SECOND), None)
    if second and first:
        return f"{first} · {record_name(getattr(obj, second), depth + 1)}"
    return first


class _Names:
    """Records loaded once per page, one query per model, then named."""

    def __init__(self) -> None:
        self.wanted: dict[type, set[Any]] = defaultdict(set)
        self.found: dict[tuple[type, Any], Any] = {}

    def want(self, model: type | None, key: Any) -> None:
        if model is not None and key not in (None, ""):
            self.wanted[model].add(key)

    def load(self) -> None:
        for model, keys in self.wanted.items():
            column = sa.inspect(model).primary_key[0]
            typed = {_typed(column, key) for key in keys} - {None}
            for row in db.session.scalars(sa.select(model).where(column.in_(typed))):
                self.found[(model, str(getattr(row, column.key)))] = row

    def name(self, model: type | None, key: Any) -> str | None:
        row = self.found.get((model, str(key))) if model is not None else None
        return record_name(row) if row is not None else None


def _typed(column: sa.Column, key: Any) -> Any:
    try:
        return int(key) if isinstance(column.type, sa.Integer) else key
    except (TypeError, ValueError):
        return None


@cache  # asked for every value of every entry on a page; the registry does not change
def _target(model: type | None, key: str) -> type | None:
    """The model a foreign-key column of ``model`` points at, if any."""
    if model is None or key not in sa.inspect(model).columns:
        return None
    for foreign_key in sa.inspect(model).columns[key].foreign_keys:
        return next((m.class_ for m in db.Model.registry.mappers
                     if foreign_key.column.table in m.tables), None)
    return None


def _column_type(model: type | None, key: str) -> Any:
    columns = sa.inspect(model).columns if model is not None else {}
    return columns[key].type if key in columns else None


def _shown(model: type | None, key: str, value: Any, names: _Names) -> str:
    """One stored value as people read it."""
    if value is None or value == "":
        return "—"
    target = _target(model, key)
    if target is not None:
        return names.name(target, value) or f"#{value}"
    kind = _column_type(model, key)
    if isinstance(value, str) and isinstance(kind, sa.DateTime):
        return format_datetime(datetime.fromisoformat(value), "short")
    if isinstance(value, str) and isinstance(kind, sa.Date):
        return format_date(date.fromisoformat(value), "medium")
    if isinstance(value, list):
        return ", ".join(value_label(item) for item in value) or "—"
    if isinstance(value, float) or (isinstance(kind, sa.Numeric) and isinstance(value, str)):
        return format_decimal(Decimal(str(value)))
    return value_label(value)


def _changes(model: type | None, event: AuditEvent, names: _Names) -> list[Change]:
    before, after = event.before or {}, event.after or {}
    keys = [key for key in dict.fromkeys([*before, *after]) if key != "id"]
    return [Change(field_label(key),
                   _shown(model, key, before[key], names) if key in before else None,
                   _shown(model, key, after[key], names) if key in after else None)
            for key in keys]


def readable(events: Iterable[AuditEvent]) -> list[ReadableEntry]:
    """The entries, each with its record, its changes and its author named."""
    events = list(events)
    names = _Names()
    user_model = _model("User")
    for event in events:
        model = _model(event.entity_type)
        names.want(model, event.entity_id)
        names.want(user_model, event.actor_id)
        for values in (event.before or {}, event.after or {}):
            for key, value in values.items():
                names.want(_target(model, key), value)
    names.load()
    return [ReadableEntry(event, _record(event, names), _actor(event, names, user_model),
                          _changes(_model(event.entity_type), event, names))
            for event in events]


def _record(event: AuditEvent, names: _Names) -> str | None:
    model = _model(event.entity_type)
    found = names.name(model, event.entity_id)
    if found:
        return found
    # Deleted since: its last values may still name it (a title, or what it belonged to).
    values = event.before or event.after or {}
    for key in OWN_NAMES:
        if values.get(key):
            return str(values[key])
    owners: Sequence[str] = [key for key in values if _target(model, key) is not None]
    return next((names.name(_target(model, key), values[key]) for key in owners
                 if names.name(_target(model, key), values[key])), None)


def _actor(event: AuditEvent, names: _Names, user_model: type | None) -> str:
    user = names.found.get((user_model, str(event.actor_id)))
    if user is None:
        return value_label(event.actor)  # "system", a CLI command's name
    return f"{user.full_name} ({event.actor})"
