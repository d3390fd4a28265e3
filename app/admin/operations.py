"""Administration: institutions, regions, users, trades and settings per year."""

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.errors import RuleViolation
from app.core.vocabulary import Conditions
from app.extensions import db
from app.institutions.models import Institution, Region
from app.settings.models import YearSettings
from app.settings.operations import VOLUNTARY_GROUPS, settings_for
from app.taxonomy.models import Trade


def _refuse_duplicate(model: Any, column: Any, value: Any, field: str, own_id: Any = None):
    query = sa.select(model).where(column == value)
    existing = db.session.scalar(query)
    if existing is not None and sa.inspect(existing).identity[0] != own_id:
        raise RuleViolation(field, _("%(value)s is already used", value=value))


def create_region(name: str) -> Region:
    _refuse_duplicate(Region, Region.name, name.strip(), "name")
    region = Region(name=name.strip())
    db.session.add(region)
    db.session.flush()
    return region


def save_institution(institution: Institution | None, data: dict[str, Any]) -> Institution:
    institution = institution or Institution()
    _refuse_duplicate(Institution, Institution.code, data["code"].strip(), "code", institution.id)
    if db.session.get(Region, data["region_id"]) is None:
        raise RuleViolation("region_id", _("no such region"))
    for key in ("code", "name", "region_id", "kind", "regime", "address"):
        setattr(institution, key, data[key].strip() if isinstance(data[key], str) else data[key])
    db.session.add(institution)
    db.session.flush()
    return institution


def save_trade(trade: Trade | None, data: dict[str, Any]) -> Trade:
    trade = trade or Trade()
    _refuse_duplicate(Trade, Trade.code, data["code"], "code", trade.id)
    for key in ("code", "name_en", "name_ru", "isco_code", "active"):
        setattr(trade, key, data[key])
    trade.name_kk = data.get("name_kk") or ""
    db.session.add(trade)
    db.session.flush()
    return trade


def _check_list(field: str, value: str | list[str], allowed: set[str]) -> str:
    """Codes given comma-separated or as a list, stored comma-separated."""
    parts = value.split(",") if isinstance(value, str) else value
    items = [item.strip() for item in parts if item.strip()]
    unknown = sorted(set(items) - allowed)
    if unknown:
        raise RuleViolation(field, _("unknown value(s): %(values)s", values=", ".join(unknown)))
    return ",".join(items)


def save_settings(year: int, data: dict[str, Any]) -> YearSettings:
    """Store the settings of ``year`` (created from the carried-over ones if new)."""
    row = db.session.get(YearSettings, year)
    if row is None:
        row = settings_for(year)
        db.session.add(row)
    data = dict(data)
    data["outside_medium_conditions"] = _check_list(
        "outside_medium_conditions", data.get("outside_medium_conditions") or "",
        {c.value for c in Conditions})
    data["voluntary_groups"] = _check_list(
        "voluntary_groups", data.get("voluntary_groups") or "", set(VOLUNTARY_GROUPS))
    if data["max_hours_adult"] > data["full_time_hours"] * 2:
        raise RuleViolation("max_hours_adult", _("is implausibly high"))
    for column in YearSettings.__table__.columns:
        if column.key in data and column.key not in ("year", "created_at", "updated_at"):
            setattr(row, column.key, data[column.key])
    db.session.flush()
    return row
