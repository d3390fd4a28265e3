"""Reading the domain-level JSON file of ``python -m matching explain`` into a Problem.

Format (dates ``YYYY-MM-DD``; sets as lists; fields and defaults as in ``problem.py``)::

    {"as_of": "2025-03-01", "institution": "AK-159/18", "institution_is_juvenile": false,
     "settings": {"target_rate": 0.75, "weights": {"skill": 40}, ...},      (optional)
     "inmates":   [{"id": "i1", "birth_date": "1990-05-01", "sex": "male",
                    "skills": {"7212": 2}, "consents": ["private_employer"], ...}],
     "vacancies": [{"id": "v1", "employer_kind": "private_company", "trade_code": "7212",
                    "free_positions": 3, "start_date": "2025-03-01", ...}],
     "courses":   [{"id": "c1", "trade_code": "7212", "grants_skill": "7212",
                    "grants_certificate": null, "seats": 10,
                    "start_date": "2025-03-01", "end_date": "2025-06-01"}]}   (optional)
"""

from __future__ import annotations

import collections.abc
import dataclasses
import datetime as dt
import decimal
import types
import typing
from typing import Any

from .problem import (
    CONDITIONS,
    EMPLOYER_KINDS,
    FITNESS,
    LEGAL_STATUSES,
    REGIMES,
    SEXES,
    SITES,
    Course,
    Inmate,
    InputError,
    Problem,
    Settings,
    Vacancy,
    Weights,
)

_CHOICES: dict[tuple[type, str], tuple[str, ...]] = {
    (Inmate, "sex"): SEXES,
    (Inmate, "legal_status"): LEGAL_STATUSES,
    (Inmate, "regime"): REGIMES,
    (Inmate, "conditions"): CONDITIONS,
    (Inmate, "fitness"): FITNESS,
    (Vacancy, "employer_kind"): EMPLOYER_KINDS,
    (Vacancy, "site"): SITES,
}
_NON_NEGATIVE = {"free_positions", "weekly_hours", "monthly_wage", "seats", "current_weekly_hours",
                 "flagged_placed"}


def _date(v: Any, where: str) -> dt.date:
    if not isinstance(v, str):
        raise InputError(f"{where}: expected a date YYYY-MM-DD, got {v!r}")
    try:
        return dt.date.fromisoformat(v)
    except ValueError:
        raise InputError(f"{where}: expected a date YYYY-MM-DD, got {v!r}") from None


def _convert(tp: Any, v: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if v is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], v, where)
    if tp is dt.date:
        return _date(v, where)
    if tp is bool:
        if not isinstance(v, bool):
            raise InputError(f"{where}: expected true or false, got {v!r}")
        return v
    if tp is int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise InputError(f"{where}: expected an integer, got {v!r}")
        return v
    if tp is float:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise InputError(f"{where}: expected a number, got {v!r}")
        return float(v)
    if tp is decimal.Decimal:
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            raise InputError(f"{where}: expected a number, got {v!r}")
        try:
            return decimal.Decimal(str(v))
        except decimal.InvalidOperation:
            raise InputError(f"{where}: expected a number, got {v!r}") from None
    if tp is str:
        if not isinstance(v, str):
            raise InputError(f"{where}: expected a string, got {v!r}")
        return v
    if origin is frozenset:
        if not isinstance(v, list):
            raise InputError(f"{where}: expected a list, got {v!r}")
        return frozenset(
            _convert(args[0], x, f"{where}[{k}]")
            if typing.get_origin(args[0]) is not tuple
            else tuple(
                _convert(a, y, where) for a, y in zip(typing.get_args(args[0]), x, strict=False)
            )
            for k, x in enumerate(v)
        )
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:  # e.g. risk_levels
        if not isinstance(v, list):
            raise InputError(f"{where}: expected a list, got {v!r}")
        return tuple(_convert(args[0], x, f"{where}[{k}]") for k, x in enumerate(v))
    if origin in (collections.abc.Mapping, dict):
        if not isinstance(v, dict):
            raise InputError(f"{where}: expected an object, got {v!r}")
        return {str(k): _convert(args[1], x, f"{where}.{k}") for k, x in v.items()}
    if dataclasses.is_dataclass(tp):
        return _dataclass(tp, v, where)  # type: ignore[arg-type]
    raise InputError(f"{where}: unsupported field type {tp!r}")


def _dataclass(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected an object, got {data!r}")
    hints = typing.get_type_hints(cls)
    names = {f.name: f for f in dataclasses.fields(cls)}
    for key in data:
        if key not in names:
            raise InputError(f"{where}: unknown field {key!r}")
    kwargs: dict[str, Any] = {}
    for name, fld in names.items():
        if name not in data:
            if fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING:
                raise InputError(f"{where}: missing field {name!r}")
            continue
        val = _convert(hints[name], data[name], f"{where}.{name}")
        choices = _CHOICES.get((cls, name))
        if choices is not None and val not in choices:
            raise InputError(f"{where}.{name}: must be one of {', '.join(choices)}, got {val!r}")
        if name in _NON_NEGATIVE and val < 0:
            raise InputError(f"{where}.{name}: must be >= 0, got {val!r}")
        kwargs[name] = val
    return cls(**kwargs)


# Settings keys of problems stored before the law had one definition (``policy.law``):
# their meaning is now carried by ``outside_medium_conditions`` and ``voluntary_groups``.
_RETIRED_SETTINGS = {"adult_age", "outside_regimes_any_conditions", "outside_regime_conditions",
                     "voluntary_pension_age", "voluntary_disability_groups",
                     "voluntary_pregnant"}


def _current_settings(data: Any) -> Any:
    """Stored settings in today's shape (old runs stay replayable)."""
    if not isinstance(data, dict) or not _RETIRED_SETTINGS & set(data):
        return data
    current = {k: v for k, v in data.items() if k not in _RETIRED_SETTINGS}
    if "outside_regime_conditions" in data and "outside_medium_conditions" not in data:
        current["outside_medium_conditions"] = [
            c for regime, c in data["outside_regime_conditions"] if regime == "medium"]
    if "voluntary_groups" not in data:
        groups = [name for name, key in (("pension_age", "voluntary_pension_age"),
                                         ("disability_1_2", "voluntary_disability_groups"),
                                         ("pregnant", "voluntary_pregnant"))
                  if data.get(key, True)]
        current["voluntary_groups"] = groups
    return current


def load_problem(data: Any) -> Problem:
    """Validate and build a Problem from decoded JSON; raises InputError (one line)."""
    if not isinstance(data, dict):
        raise InputError("top level must be an object")
    for key in ("as_of", "institution", "inmates", "vacancies"):
        if key not in data:
            raise InputError(f"missing key {key!r}")
    for key in ("inmates", "vacancies", "courses"):
        if key in data and not isinstance(data[key], list):
            raise InputError(f"{key!r} must be a list")
    unknown = set(data) - {
        "as_of",
        "institution",
        "institution_is_juvenile",
        "settings",
        "inmates",
        "vacancies",
        "courses",
    }
    if unknown:
        raise InputError(f"unknown key {sorted(unknown)[0]!r}")
    settings = _dataclass(Settings, _current_settings(data.get("settings", {})), "settings")
    if not isinstance(settings.weights, Weights):
        raise InputError("settings.weights: expected an object")
    inmates = [_dataclass(Inmate, x, f"inmates[{k}]") for k, x in enumerate(data["inmates"])]
    vacancies = [_dataclass(Vacancy, x, f"vacancies[{k}]") for k, x in enumerate(data["vacancies"])]
    courses = [
        _dataclass(Course, x, f"courses[{k}]") for k, x in enumerate(data.get("courses", []))
    ]
    for kind, items in (("inmate", inmates), ("vacancy", vacancies), ("course", courses)):
        seen: set[str] = set()
        for it in items:
            if it.id in seen:
                raise InputError(f"duplicate {kind} id: {it.id!r}")
            seen.add(it.id)
    for k, p in enumerate(inmates):
        for code, level in p.skills.items():
            if not 1 <= level <= 3:
                raise InputError(f"inmates[{k}].skills.{code}: level must be 1..3, got {level}")
    return Problem(
        as_of=_date(data["as_of"], "as_of"),
        institution=_convert(str, data["institution"], "institution"),
        institution_is_juvenile=_convert(
            bool, data.get("institution_is_juvenile", False), "institution_is_juvenile"
        ),
        inmates=inmates,
        vacancies=vacancies,
        courses=courses,
        settings=settings,
    )
