"""The audit trail (R18): every change to an audited model is recorded
automatically, in the same transaction, with who, when, before and after.

A model opts in with ``__audited__ = True`` and an ``audit_institution_id``
property (the institution whose officers and prosecutors may read the entry).
The product offers no way to edit or delete an entry.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context, request
from sqlalchemy import String, event
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.attributes import PASSIVE_NO_INITIALIZE, get_history

from app.core.bulk import insert_rows
from app.core.models import utcnow
from app.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(index=True)  # no FK: survives user changes
    actor: Mapped[str] = mapped_column(String(254))
    institution_id: Mapped[int | None] = mapped_column(index=True)
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # create / update / delete
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


HIDDEN = "(hidden)"


def _shown(obj: Any, key: str, value: Any) -> Any:
    """A column a model lists in ``__audit_hidden__`` (a PIN's hash) is recorded as
    changed, never with its value: officers and prosecutors read the trail."""
    if key in getattr(type(obj), "__audit_hidden__", ()) and value is not None:
        return HIDDEN
    return _jsonable(value)


def _column_values(obj: Any) -> dict[str, Any]:
    mapper = sa.inspect(obj).mapper
    return {c.key: _shown(obj, c.key, getattr(obj, c.key)) for c in mapper.column_attrs}


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = sa.inspect(obj)
    before, after = {}, {}
    for attr in state.mapper.column_attrs:
        # Not ``state.attrs[key].history``: that caches an AttributeState per
        # column on every object, 44 MB for a 20,000-row re-import.
        history = get_history(obj, attr.key, passive=PASSIVE_NO_INITIALIZE)
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            before[attr.key] = _shown(obj, attr.key, old)
            after[attr.key] = _shown(obj, attr.key, new)
    return before, after


def current_actor() -> tuple[int | None, str]:
    """Who is changing data: the logged-in user, or what a CLI command set."""
    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.email
    actor = g.get("audit_actor") if g else None
    return (None, actor) if actor else (None, "system")


def _entry(obj: Any, action: str, before: dict | None, after: dict | None) -> dict:
    actor_id, actor = current_actor()
    return {
        "occurred_at": utcnow(),
        "actor_id": actor_id,
        "actor": actor,
        "institution_id": obj.audit_institution_id,
        "entity_type": type(obj).__name__,
        # In after_flush a new row has its key but not yet an identity: read the key.
        "entity_id": str(sa.inspect(obj).mapper.primary_key_from_instance(obj)[0]),
        "action": action,
        "before": before,
        "after": after,
    }


def _is_audited(obj: Any) -> bool:
    return getattr(type(obj), "__audited__", False)


@event.listens_for(Session, "after_flush")
def _record_changes(session: Session, flush_context: Any) -> None:
    entries = []
    for obj in filter(_is_audited, session.new):
        entries.append(_entry(obj, "create", None, _column_values(obj)))
    for obj in filter(_is_audited, session.dirty):
        if session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after:
                entries.append(_entry(obj, "update", before, after))
    for obj in filter(_is_audited, session.deleted):
        entries.append(_entry(obj, "delete", _column_values(obj), None))
    if entries:
        session.connection().execute(sa.insert(AuditEvent), entries)


def record_bulk_creates(model: type, rows: list[dict[str, Any]], institution_id: int | None
                        ) -> None:
    """Audit rows a bulk INSERT wrote (the spreadsheet import), which no flush
    sees: one "create" entry per row, as ``_record_changes`` writes for the ORM.
    Each row holds its ``id`` and the values inserted."""
    if not rows:
        return
    actor_id, actor = current_actor()
    now = utcnow()
    db.session.execute(AuditEvent.__table__.insert(), [
        {"occurred_at": now, "actor_id": actor_id, "actor": actor,
         "institution_id": institution_id, "entity_type": model.__name__,
         "entity_id": str(row["id"]), "action": "create", "before": None,
         "after": {key: _jsonable(value) for key, value in row.items()}}
        for row in rows
    ])


def record_bulk_updates(model: type, changes: list[tuple[Any, int | None, dict[str, Any],
                                                          dict[str, Any]]]) -> None:
    """Audit rows a bulk UPDATE changed (a month's approval), which no flush sees:
    one "update" entry per (id, institution id, before, after)."""
    if not changes:
        return
    actor_id, actor = current_actor()
    now = utcnow()
    # Changes often share their dicts of values (a month's approvals): each distinct
    # dict is converted once (the dicts live in ``changes``, so ids stay unique).
    converted: dict[int, dict[str, Any]] = {}

    def jsonable(values: dict[str, Any]) -> dict[str, Any]:
        if id(values) not in converted:
            converted[id(values)] = {key: _jsonable(value) for key, value in values.items()}
        return converted[id(values)]

    insert_rows(AuditEvent.__table__, with_ids=False, rows=[
        {"occurred_at": now, "actor_id": actor_id, "actor": actor,
         "institution_id": institution_id, "entity_type": model.__name__,
         "entity_id": str(entity_id), "action": "update",
         "before": jsonable(before), "after": jsonable(after)}
        for entity_id, institution_id, before, after in changes
    ])


def record_view(entity_type: str, entity_id: Any, institution_id: int | None,
                after: dict[str, Any]) -> None:
    """Audit a read of restricted data (R29's flag, a paper's scan): a "view" entry of
    who read what, and where (the page or API address)."""
    actor_id, actor = current_actor()
    where = request.path if has_request_context() else ""
    db.session.execute(sa.insert(AuditEvent), [{
        "occurred_at": utcnow(), "actor_id": actor_id, "actor": actor,
        "institution_id": institution_id, "entity_type": entity_type,
        "entity_id": str(entity_id), "action": "view", "before": None,
        "after": after | {"where": where}}])


def record_change(obj: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
    """Audit an "update" of ``obj`` that no flush sees as a change of its own
    columns (an association table such as an inmate's trade wishes or a
    vacancy's required skills): one entry shaped as ``_record_changes`` writes,
    with only the keys whose value changed. ``obj`` must have its id (flushed)."""
    changed = [key for key in before.keys() | after.keys() if before.get(key) != after.get(key)]
    if not changed:
        return
    entry = _entry(obj, "update", {key: _jsonable(before.get(key)) for key in changed},
                   {key: _jsonable(after.get(key)) for key in changed})
    db.session.execute(sa.insert(AuditEvent), [entry])
