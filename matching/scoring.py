"""Integer score parts of every inmate x vacancy pair (DOMAIN.md, "What the engine decides" 2).

Each part is ``weight * fraction`` rounded down, so the total is an integer and the
solver's optimum is exact.  Weights come from ``Settings.weights``.

* skill: mean level (out of 3) of the skills the vacancy asks for, plus its trade code;
* certificate: share of the certificates that matter (required ones, plus one named
  after the trade code) that the inmate holds;
* wish: the trade is one of the inmate's wishes;
* recent_training: a training ended within ``recent_training_days`` before ``as_of``;
* release_time: for vacancies that need a long stay, months left after the start, up to
  ``long_stay_months`` (no release date counts as full);
* wage: the vacancy's wage relative to the best wage of the institution.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .problem import Inmate, Vacancy
from .rules import NO_DATE, Frame, count_product

PARTS = ("skill", "certificate", "wish", "recent_training", "release_time", "wage")
I64 = npt.NDArray[np.int64]


def score_parts(f: Frame) -> dict[str, I64]:
    """Each part as an ``(n_inmates, n_vacancies)`` integer matrix."""
    w = f.settings.weights
    n, m = f.shape
    # skill
    rel = f.req_skill.copy()
    rel[np.arange(m), f.trade_skill] = True
    level_sum = count_product(f.skill_level, rel)
    count = rel.sum(axis=1).astype(np.int64)
    skill = (w.skill * level_sum) // (3 * count)[None, :]
    # certificate
    relc = f.req_cert.copy()
    relc[np.arange(m), f.trade_cert] = True
    held = count_product(f.has_cert, relc)
    ccount = relc.sum(axis=1).astype(np.int64)
    cert = (w.certificate * held) // ccount[None, :]
    # wish
    wish = w.wish * f.wish[:, f.trade_skill].astype(np.int64)
    # recent training
    recent = (f.last_training >= 0) & (
        f.as_of_ord - f.last_training <= f.settings.recent_training_days
    )
    recent &= f.last_training <= f.as_of_ord
    training = np.broadcast_to((w.recent_training * recent.astype(np.int64))[:, None], (n, m))
    # release time (months of 30 days)
    days_left = f.release[:, None] - f.effective_start()[None, :]
    full = f.settings.long_stay_months * 30
    frac_days = np.clip(days_left, 0, full)
    frac_days = np.where(f.release[:, None] >= NO_DATE, full, frac_days)
    release = np.where(f.needs_long_stay[None, :], (w.release_time * frac_days) // max(full, 1), 0)
    # wage
    best = int(f.wage.max()) if m else 0
    wage_v = (w.wage * f.wage) // best if best > 0 else np.zeros(m, dtype=np.int64)
    wage = np.broadcast_to(wage_v[None, :], (n, m))
    return {
        "skill": skill.astype(np.int64),
        "certificate": cert.astype(np.int64),
        "wish": wish.astype(np.int64),
        "recent_training": np.asarray(training, dtype=np.int64),
        "release_time": release.astype(np.int64),
        "wage": np.asarray(wage, dtype=np.int64),
    }


def total_score(parts: dict[str, I64]) -> I64:
    out = np.zeros_like(parts["skill"])
    for p in PARTS:
        out = out + parts[p]
    return np.maximum(out, 0)


# --- R31: applicants first, then earlier applications, then the score --------------------

VACANCY_KEY, TRADE_KEY, COURSE_KEY = "vacancy:", "trade:", "course:"


def applied_on(inmates: Sequence[Inmate], vacancies: Sequence[Vacancy]) -> I64:
    """R31: (n, m) the day (ordinal) the inmate applied for the vacancy or for its trade,
    the earlier of the two; ``NO_DATE`` where no open application covers the pair."""
    cols: dict[str, list[int]] = {}
    for j, v in enumerate(vacancies):
        cols.setdefault(VACANCY_KEY + v.id, []).append(j)
        cols.setdefault(TRADE_KEY + v.trade_code, []).append(j)
    rows: list[int] = []
    at: list[int] = []
    days: list[int] = []
    for i, p in enumerate(inmates):
        for key, day in p.applications.items():
            hit = cols.get(key, ())  # course keys and unknown vacancies: none
            rows.extend([i] * len(hit))
            at.extend(hit)
            days.extend([day.toordinal()] * len(hit))
    out = np.full((len(inmates), len(vacancies)), NO_DATE, dtype=np.int64)
    np.minimum.at(out, (np.array(rows, dtype=np.int64), np.array(at, dtype=np.int64)),
                  np.array(days, dtype=np.int64))
    return out


def earliness(days: I64, mask: npt.NDArray[np.bool_]) -> I64:
    """R31's "earlier": for each pair in ``mask``, how many distinct application days
    (among the pairs in ``mask``) are later than its own; 0 elsewhere. The earliest day
    weighs most, and one seat goes to the earliest applicant whatever their score."""
    out = np.zeros(days.shape, dtype=np.int64)
    if mask.any():
        distinct = np.unique(days[mask])
        out[mask] = distinct.size - 1 - np.searchsorted(distinct, days[mask])
    return out


# the solver's exact float arithmetic (solver.py): a component of ``rows`` rows is exact
# while about ``max weight * (rows + 1)**2 < 2**52``
FLOAT_EXACT = 2**52


@dataclass(frozen=True)
class Preference:
    """The lexicographic objective beneath "most placed" as one integer weight per pair:
    ``applied * applied_unit + early * early_unit + score``.  ``early_unit`` is above any
    total score of a plan and ``applied_unit`` above any total of ``early * early_unit +
    score``, so (most placed, then most applicants placed where they applied, then
    earlier applications, then score) is exactly what the solver maximises.

    ``levels`` is how many distinct application days the earliness tells apart: all of
    them (``dates_exact``), unless the weights would leave the solver's exact float
    range, where later days are merged into fewer levels (evenly, earliest still
    highest); 0 when even the applicants' tier would not fit (then only the score
    counts, ``applicants_exact`` false)."""

    weight: I64  # (n, m)
    early_unit: int
    applied_unit: int
    levels: int = 0
    dates_exact: bool = True
    applicants_exact: bool = True

    def parts(self, total: int) -> tuple[int, int, int]:
        """A plan's total weight as (applicants placed, earliness, score)."""
        return (total // self.applied_unit, (total % self.applied_unit) // self.early_unit,
                total % self.early_unit)


def preference(score: I64, applied: npt.NDArray[np.bool_], early: I64,
               placeable: int) -> Preference:
    """The weights of R31 over ``score`` (only allowed pairs should be passed as applied).
    ``placeable`` bounds the placements of any plan (and the rows of any component the
    solver meets), so it bounds every tier's total."""
    k = max(int(placeable), 1)
    top = int(score.max(initial=0))
    early_unit = top * k + 1
    if not applied.any():
        return Preference(score, early_unit, early_unit)
    # the largest weight the solver may take exactly with k rows
    limit = (FLOAT_EXACT - 2 * (k + 1)) // ((k + 1) ** 2) - 1
    most_early = int(early.max(initial=0))
    # weight <= early_unit * (e * k + 1 + e) + top: the largest e that fits
    fit = ((limit - top) // early_unit - 1) // (k + 1)
    if fit < 0:
        return Preference(score, early_unit, early_unit, 0, False, False)
    if most_early > fit:
        early = early * fit // most_early
    levels = min(most_early, fit) + 1
    applied_unit = (int(early.max(initial=0)) * k + 1) * early_unit
    weight = score + early * early_unit + applied.astype(np.int64) * applied_unit
    return Preference(weight, early_unit, applied_unit, levels, most_early <= fit, True)
