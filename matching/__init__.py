"""Matching engine: exact placements of inmates into vacancies (see README.md).

A library on numpy/scipy; no Flask, no SQLAlchemy.  Names are imported lazily (PEP 562):
``python -m matching solve`` loads only the core solver, not the domain pipeline.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "PAIR_RULES",
    "Barred",
    "Course",
    "Inmate",
    "InputError",
    "Instance",
    "InstitutionSummary",
    "MatchResult",
    "Outscored",
    "Problem",
    "Proposal",
    "SeparationInfo",
    "Settings",
    "Solution",
    "TrainingRecommendation",
    "Unplaced",
    "Vacancy",
    "Violation",
    "Weights",
    "check_pair",
    "load_problem",
    "match",
    "r1_able_to_work",
    "solve",
    "solve_separated",
]

_MODULES = {
    "explain": ("Barred", "InstitutionSummary", "MatchResult", "Outscored", "Proposal",
                "TrainingRecommendation", "Unplaced", "match"),
    "instance": ("InputError", "Instance"),
    "jsonio": ("load_problem",),
    "problem": ("Course", "Inmate", "Problem", "Settings", "Vacancy", "Weights"),
    "rules": ("PAIR_RULES", "Violation", "check_pair", "r1_able_to_work"),
    "separation": ("SeparationInfo", "solve_separated"),
    "solver": ("Solution", "solve"),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}

if TYPE_CHECKING:
    from .explain import (
        Barred,
        InstitutionSummary,
        MatchResult,
        Outscored,
        Proposal,
        TrainingRecommendation,
        Unplaced,
        match,
    )
    from .instance import InputError, Instance
    from .jsonio import load_problem
    from .problem import Course, Inmate, Problem, Settings, Vacancy, Weights
    from .rules import PAIR_RULES, Violation, check_pair, r1_able_to_work
    from .separation import SeparationInfo, solve_separated
    from .solver import Solution, solve


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'matching' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
