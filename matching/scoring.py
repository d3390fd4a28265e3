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

import numpy as np
import numpy.typing as npt

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
