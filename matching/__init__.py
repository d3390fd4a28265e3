"""Matching engine: exact placements of inmates into vacancies (see README.md).

A library on numpy/scipy; no Flask, no SQLAlchemy.
"""

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
from .jsonio import load_problem
from .problem import (
    Course,
    Inmate,
    InputError,
    Instance,
    Problem,
    Settings,
    Vacancy,
    Weights,
)
from .rules import PAIR_RULES, Violation, check_pair, r1_able_to_work
from .separation import SeparationInfo, solve_separated
from .solver import Solution, solve

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
