"""The daily reconciliation of kept figures (app/placements/kept.py) with their sources.

Kept figures are forgotten by the writes the ORM session sees; a write it cannot see
(psql, a data migration, another program) or a rule corrected in code leaves them
stale. Once a day (``kept-figures``, app/jobs/schedule.py) every kept figure of a day
up to today is computed again from history, compared with what is kept, and any
difference is logged, repaired in place and counted: the run's summary (shown on
/admin/schedule/) and the metric ``labour_kept_figures_mismatches_total``
(app/home/status.py) say how many.

Each kind of kept figures registers how it is recomputed for one day, its key and
some institutions (``register_recompute``), beside its ``kept.register``. The task
takes the share lock of the kept version first (as a reader storing figures does):
a writer that forgets kept days waits for its commit, so a figure is never
"repaired" with values a concurrent write is about to make stale."""

import json
import logging
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.core.models import utcnow
from app.extensions import db
from app.jobs.schedule import register_daily
from app.placements import kept
from app.placements.models import KeptDay

log = logging.getLogger(__name__)
TASK = "kept-figures"
Recompute = Callable[[list[date], str, list[int]], dict[kept.Cell, Any]]
_RECOMPUTE: dict[str, Recompute] = {}


def register_recompute(kind: str, recompute: Recompute) -> None:
    """``recompute(days, key, institution_ids)`` gives the figures of ``kind`` (and
    ``key``) as they are kept, computed from history, for each (day, institution): all
    the days at once, as the trend computes its 24 points in one query."""
    _RECOMPUTE[kind] = recompute


def _canonical(figures: Any) -> str:
    return json.dumps(figures, sort_keys=True, default=str)


def reconcile(today: date) -> dict[str, Any]:
    """Check every kept figure of a day up to ``today``; repair and count differences."""
    kept._version(share_lock=True)  # the lock a reader storing figures takes
    groups = db.session.execute(sa.select(KeptDay.kind, KeptDay.key).distinct()
                                .where(KeptDay.day <= today)
                                .order_by(KeptDay.kind, KeptDay.key)).all()
    checked, mismatches, unchecked = Counter(), Counter(), Counter()
    for kind, key in groups:
        recompute = _RECOMPUTE.get(kind)
        if recompute is None:  # a kind nobody taught us to recompute: said, not guessed
            unchecked[kind] += 1
            continue
        found = _check_group(kind, key, today, recompute)
        checked[kind] += found[0]
        mismatches[kind] += found[1]
    return {"checked": sum(checked.values()), "mismatches": sum(mismatches.values()),
            "mismatches_by_kind": {k: v for k, v in mismatches.items() if v},
            "unchecked_kinds": sorted(unchecked)}


def _check_group(kind: str, key: str, today: date, recompute: Recompute) -> tuple[int, int]:
    """(figures checked, figures repaired) of one kind and key, every day up to today."""
    stored = {(day, institution_id): figures for day, institution_id, figures in
              db.session.execute(sa.select(KeptDay.day, KeptDay.institution_id,
                                           KeptDay.figures).where(
                  KeptDay.kind == kind, KeptDay.key == key, KeptDay.day <= today))}
    fresh = recompute(sorted({day for day, _ in stored}), key,
                      sorted({institution_id for _, institution_id in stored}))
    repaired = 0
    for (day, institution_id), figures in stored.items():
        true = fresh.get((day, institution_id))
        if _canonical(figures) == _canonical(true):
            continue
        log.warning("kept figures %s of %s (key %r) at institution %s differed from their "
                    "source: kept %s, computed %s; repaired", kind, day, key, institution_id,
                    _canonical(figures)[:200], _canonical(true)[:200])
        db.session.execute(sa.update(KeptDay).where(
            KeptDay.kind == kind, KeptDay.key == key, KeptDay.day == day,
            KeptDay.institution_id == institution_id).values(figures=true, kept_at=utcnow()))
        repaired += 1
    return len(stored), repaired


def mismatches_total() -> int:
    """Kept figures repaired by every run of the task so far (the metric)."""
    from app.jobs.models import ScheduleRun

    summaries = db.session.scalars(sa.select(ScheduleRun.summary).where(
        ScheduleRun.task == TASK, ScheduleRun.ok))
    return sum(int((summary or {}).get("mismatches") or 0) for summary in summaries)


register_daily(TASK, _l("Reconcile kept figures with their sources"), reconcile)
