"""Typed inputs of the matching engine.

Two levels:

* :class:`Instance` is the *core* input: candidates, positions with capacities and
  scored edges (who may take what).  It is what ``python -m matching solve`` reads;
  it lives in ``instance.py`` (numpy only, so ``solve`` loads no domain class and no
  law) and is re-exported here.
* :class:`Problem` is the *domain* input: inmates, vacancies, courses and settings of one
  institution on one date.  The rules (``rules.py``) and the scoring (``scoring.py``)
  turn it into an :class:`Instance`.

Nothing here imports Flask or SQLAlchemy; the app converts its rows to these classes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from policy import law
from policy.law import Law
from policy.rules import NO_RISK_LIMIT, UNASSESSED

# the core input, re-exported: ``from matching.problem import Instance`` keeps working
from .instance import InputError as InputError
from .instance import Instance as Instance
from .instance import IntArray as IntArray

# --------------------------------------------------------------------------------------
# Domain input
# --------------------------------------------------------------------------------------

SEXES = ("male", "female")
LEGAL_STATUSES = ("convicted", "remand")
REGIMES = ("minimum", "medium", "maximum", "extraordinary", "juvenile")
CONDITIONS = ("strict", "ordinary", "facilitated", "preferential")
FITNESS = ("fit", "limited", "unfit")
EMPLOYER_KINDS = ("state_enterprise", "private_company", "sole_trader", "institution")
SITES = ("inside", "outside")
PRIVATE_EMPLOYER_KINDS = frozenset(law.PRIVATE_EMPLOYER_KINDS)
CONSENT_VOLUNTARY = law.CONSENT_VOLUNTARY
CONSENT_PRIVATE = law.CONSENT_PRIVATE


@dataclass(frozen=True)
class Inmate:
    id: str
    birth_date: dt.date
    sex: str
    legal_status: str = "convicted"
    regime: str = "medium"
    conditions: str = "ordinary"
    release_date: dt.date | None = None
    fitness: str = "fit"
    fitness_review_date: dt.date | None = None
    disability_group: int | None = None
    pregnant: bool = False
    consents: frozenset[str] = frozenset()
    skills: Mapping[str, int] = field(default_factory=dict)
    certificates: frozenset[str] = frozenset()
    trade_wishes: frozenset[str] = frozenset()
    last_training_end: dt.date | None = None
    current_weekly_hours: int = 0
    employed: bool = False  # R1: an active paid placement on the day
    upcoming_paid: bool = False  # an accepted paid placement that starts later
    separated_from: frozenset[str] = frozenset()
    personal_request_for_work: bool = False
    # R28: index of the latest risk-and-needs assessment's level on Settings.risk_levels
    risk_level: int = UNASSESSED
    flagged: bool = False  # R29: the scattered model's flag (restricted data)
    banned_trades: frozenset[str] = frozenset()  # R30: trades of court bans running on as_of
    # R31: open applications (received or offered) -> the day each was received; keys
    # "vacancy:<id>", "trade:<code>" or "course:<id>"
    applications: Mapping[str, dt.date] = field(default_factory=dict)


@dataclass(frozen=True)
class Vacancy:
    id: str
    employer_kind: str
    trade_code: str
    title: str = ""
    site: str = "inside"
    free_positions: int = 1
    weekly_hours: int = 40
    shift: str = "day"
    heavy_or_hazardous: bool = False
    women_barred: bool = False
    required_skills: frozenset[str] = frozenset()
    required_certificates: frozenset[str] = frozenset()
    trainable_on_job: bool = False
    start_date: dt.date = dt.date(2000, 1, 1)
    end_date: dt.date | None = None
    monthly_wage: int = 85_000
    needs_long_stay: bool = False
    workplace: str = ""  # optional finer site (workshop); R14 groups by (site, workplace, shift)
    max_risk_level: int = NO_RISK_LIMIT  # R28: index of the highest risk level it may take
    flagged_placed: int = 0  # R29: flagged persons already working in it (count against the cap)


@dataclass(frozen=True)
class Course:
    id: str
    trade_code: str
    grants_skill: str | None
    grants_certificate: str | None
    seats: int
    start_date: dt.date
    end_date: dt.date


@dataclass(frozen=True)
class Weights:
    """Integer weights of the score parts (``scoring.py``)."""

    skill: int = 40
    certificate: int = 20
    wish: int = 20
    recent_training: int = 10
    release_time: int = 10
    wage: int = 10


@dataclass(frozen=True)
class Settings(Law):
    """The year's law (``policy.law.Law``: thresholds of R1-R14, the legal values by
    default, the women's pension age following the schedule of the day's year) and
    the engine's own parameters."""

    recent_training_days: int = 365
    long_stay_months: int = 12
    weights: Weights = Weights()
    # R14: exact branch-and-bound on separation conflicts, at most this many re-solves;
    # then a mixed-integer model (HiGHS) proves the optimum within this many seconds (0: none)
    separation_max_nodes: int = 200
    separation_seconds: float = 10.0


@dataclass(frozen=True)
class Problem:
    as_of: dt.date
    institution: str
    inmates: Sequence[Inmate]
    vacancies: Sequence[Vacancy]
    courses: Sequence[Course] = ()
    settings: Settings = Settings()
    institution_is_juvenile: bool = False
