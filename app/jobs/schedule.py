"""The daily schedule: work that follows the calendar, not page views (R32).

A package registers a task with one line, usually in its ``init_app`` or
receivers module::

    register_daily("open-release-plans", _l("Open release plans"), open_for_day)

where ``open_for_day(day)`` does the day's work in the session and returns a small
JSON summary of what it did. ``run_due`` (called by ``flask run-daily``, by
``flask scheduler`` once a minute, and by the embedded worker thread) runs every
task for every Kazakhstan day it has not done yet, oldest first: a task last done
three days ago runs for each of the three days missed (at most
``SCHEDULE_CATCH_UP_DAYS``), a task never done runs for today. Each (task, day) is
one transaction that writes the task's work and its ``schedule_runs`` row
together, the row being unique per task and day: a task is never done twice for
a day, even by two schedulers at once, and a run that died wrote nothing. A task
that fails records its reason (``ok`` false) and stops its catch-up there; the next
turn tries that day again. Tasks must be idempotent all the same (a failed run is
retried)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, g
from sqlalchemy.exc import IntegrityError

from app.core.models import utcnow
from app.core.transactions import commit_outside_request, discard_changes
from app.extensions import db
from app.jobs.models import ScheduleRun
from policy.clock import today_in_kazakhstan

Task = Callable[[date], dict[str, Any] | None]


@dataclass(frozen=True)
class DailyTask:
    name: str
    title: Any  # a lazy string
    run: Task


TASKS: dict[str, DailyTask] = {}


def register_daily(name: str, title: Any, run: Task) -> None:
    """Run ``run(day)`` once for every Kazakhstan day from now on."""
    TASKS[name] = DailyTask(name, title, run)


def last_runs() -> dict[str, ScheduleRun]:
    """Each task's latest run (by day), for the administrators' page and the metrics."""
    latest = sa.select(ScheduleRun.task, sa.func.max(ScheduleRun.day).label("day")) \
        .group_by(ScheduleRun.task).subquery()
    return {run.task: run for run in db.session.scalars(sa.select(ScheduleRun).join(
        latest, sa.and_(ScheduleRun.task == latest.c.task, ScheduleRun.day == latest.c.day)))}


def _last_done_day(task: str) -> date | None:
    return db.session.scalar(sa.select(sa.func.max(ScheduleRun.day))
                             .where(ScheduleRun.task == task, ScheduleRun.ok))


def due_days(task: str, today: date) -> list[date]:
    """The days ``task`` has still to do, oldest first."""
    last = _last_done_day(task)
    if last is None:
        return [today]
    first = max(last + timedelta(days=1),
                today - timedelta(days=current_app.config["SCHEDULE_CATCH_UP_DAYS"] - 1))
    return [first + timedelta(days=n) for n in range((today - first).days + 1)]


def run_due(today: date | None = None, only: str | None = None) -> list[ScheduleRun]:
    """Run every task for every day it has still to do; the runs recorded."""
    today = today or today_in_kazakhstan()
    done = []
    for task in TASKS.values():
        if only is not None and task.name != only:
            continue
        for day in due_days(task.name, today):
            run = run_task(task, day)
            if run is not None:
                done.append(run)
            if run is None or not run.ok:
                break  # this day first: the next turn tries it again
    return done


def run_task(task: DailyTask, day: date) -> ScheduleRun | None:
    """Do ``task`` for ``day`` in one transaction with its run row; None when
    another scheduler did it meanwhile."""
    g.audit_actor = f"schedule {task.name}"
    run = _failed_run(task.name, day) or ScheduleRun(task=task.name, day=day)
    run.started_at, run.ok, run.error = utcnow(), True, None
    try:
        db.session.add(run)
        db.session.flush()  # the unique (task, day) claims the day
        run.summary = task.run(day) or {}
        run.finished_at = utcnow()
        commit_outside_request()
        return run
    except IntegrityError:
        discard_changes()
        return None
    except Exception as error:  # noqa: BLE001  (recorded as the run's reason)
        discard_changes()
        current_app.logger.exception("daily task %s for %s failed", task.name, day)
        return _record_failure(task.name, day, f"{type(error).__name__}: {error}"[:2000])


def _failed_run(task: str, day: date) -> ScheduleRun | None:
    return db.session.scalar(sa.select(ScheduleRun).where(
        ScheduleRun.task == task, ScheduleRun.day == day, ~ScheduleRun.ok))


def _record_failure(task: str, day: date, reason: str) -> ScheduleRun | None:
    run = _failed_run(task, day) or ScheduleRun(task=task, day=day)
    run.ok, run.error, run.finished_at, run.summary = False, reason, utcnow(), {}
    db.session.add(run)
    try:
        commit_outside_request()
    except IntegrityError:  # done by another scheduler meanwhile
        discard_changes()
        return None
    return run


def recent_runs(limit: int = 100) -> list[ScheduleRun]:
    return list(db.session.scalars(sa.select(ScheduleRun).order_by(
        ScheduleRun.started_at.desc(), ScheduleRun.id.desc()).limit(limit)))
