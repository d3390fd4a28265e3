"""Administration: institutions, regions, users, trades and settings per year."""

import dataclasses
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from marshmallow import ValidationError

from app.core.errors import RuleViolation
from app.extensions import db
from app.institutions.models import Institution, Region
from app.settings.models import YearSettings, risk_scale
from app.settings.operations import settings_for
from app.taxonomy.models import Trade
from policy.law import LAW_FIELDS


def _law_value(name: str, value: Any) -> Any:
    """A form value as ``policy.law.Law`` holds it (lists of choices as sets)."""
    if name in ("outside_medium_conditions", "voluntary_groups"):
        return frozenset(v for v in value.split(",") if v)
    if name == "risk_levels":
        return risk_scale(value)
    return value


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
    for key in ("code", "name", "region_id", "kind", "regime", "address",
                "runs_kiosks"):
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


def save_settings(year: int, data: dict[str, Any]) -> YearSettings:
    """Store the settings of ``year`` (created from the carried-over ones if new),
    refused whole when they contradict the law or themselves (``Law.problems``)."""
    row = db.session.get(YearSettings, year)
    if row is None:
        row = settings_for(year)
        db.session.add(row)
    data = dict(data)
    data["target_rate"] = Decimal(data.pop("target_percent")) / 100
    for choices in ("outside_medium_conditions", "voluntary_groups"):
        data[choices] = ",".join(data.get(choices) or [])
    if "risk_levels" in data:  # R27: the scale as typed, one comma between names
        data["risk_levels"] = ",".join(risk_scale(data["risk_levels"] or ""))
    law = dataclasses.replace(row.law, **{
        name: _law_value(name, data[name]) for name in LAW_FIELDS if name in data})
    problems: dict[str, list[str]] = {}
    for problem in law.problems():
        field = "target_percent" if problem.field == "target_rate" else problem.field
        problems.setdefault(field, []).append(_(problem.message, **problem.values))
    if problems:
        raise ValidationError(problems)
    for column in YearSettings.__table__.columns:
        if column.key in data and column.key not in ("year", "created_at", "updated_at"):
            setattr(row, column.key, data[column.key])
    db.session.flush()
    return row
