"""/readyz and /metrics: whether this instance may take traffic, and the figures an
operator graphs (README "Running in production")."""

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from flask import current_app, request
from prometheus_client import Gauge

from app.core.models import utcnow
from app.core.transactions import discard_changes
from app.extensions import db
from app.jobs import progress, schedule
from app.jobs.models import Job, JobStatus
from app.jobs.worker import live_workers
from app.placements import reconcile
from policy.clock import today_in_kazakhstan


def migration_heads() -> set[str]:
    directory = current_app.extensions["migrate"].directory
    config = AlembicConfig()
    config.set_main_option("script_location", directory)
    return set(ScriptDirectory.from_config(config).get_heads())


def readiness() -> tuple[bool, dict[str, str]]:
    """Each check's verdict: the database answers, its schema is at the migrations'
    head, Redis answers (when used), and a job worker beat recently."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(sa.text("SELECT 1"))
        checks["database"] = "ok"
        applied = set(db.session.scalars(sa.text("SELECT version_num FROM alembic_version")))
        checks["migrations"] = "ok" if applied == migration_heads() else \
            f"at {sorted(applied)}, head is {sorted(migration_heads())}"
    except sa.exc.SQLAlchemyError as error:
        discard_changes()  # the check's own failed read
        checks.setdefault("database", f"error: {type(error).__name__}")
        checks.setdefault("migrations", "unknown")
    connection = progress.redis_connection()
    if connection is None:
        checks["redis"] = "not used"
    else:
        try:
            connection.ping()
            checks["redis"] = "ok"
        except Exception as error:  # noqa: BLE001  (any failure: not ready)
            checks["redis"] = f"error: {type(error).__name__}"
    try:
        checks["worker"] = "ok" if live_workers() else "no live worker"
    except Exception as error:  # noqa: BLE001
        checks["worker"] = f"error: {type(error).__name__}"
    return all(v in ("ok", "not used") for v in checks.values()), checks


def metrics_allowed() -> bool:
    """From an address in METRICS_ALLOWED, or with the bearer METRICS_TOKEN."""
    token = current_app.config.get("METRICS_TOKEN")
    if token and request.headers.get("Authorization", "") == f"Bearer {token}":
        return True
    allowed = {a.strip() for a in current_app.config.get("METRICS_ALLOWED", "").split(",")}
    return request.remote_addr in allowed


def _gauge(name: str, text: str, labels: tuple[str, ...] = ()) -> Gauge:
    """The gauge ``name`` in the registry /metrics reads, made there on first use. Kept
    on that registry itself, not keyed by its id(): a registry dropped earlier in the
    process (tests, benchmarks) may lend its id to the next, or the app's exporter may be
    made again, and the figure would go to a registry nobody reads."""
    registry = current_app.extensions["prometheus"].registry
    gauges = registry.__dict__.setdefault("labour_gauges", {})
    if name not in gauges:
        gauges[name] = Gauge(name, text, labels, registry=registry,
                             multiprocess_mode="mostrecent")
    return gauges[name]


def refresh_gauges() -> None:
    """The jobs' and the schedule's figures, read when /metrics is asked for."""
    counts = dict(db.session.execute(sa.select(Job.status, sa.func.count())
                                     .group_by(Job.status)).all())
    depth = _gauge("labour_jobs", "Jobs by status", ("status",))
    for status in JobStatus:
        depth.labels(status.value).set(counts.get(status, 0))
    _job_durations()
    _schedule_ages()
    _gauge("labour_kept_figures_mismatches_total",
           "Kept figures found different from their source and repaired by the daily "
           "reconciliation, all runs").set(reconcile.mismatches_total())


def _job_durations() -> None:
    rows = db.session.execute(sa.select(Job.kind, Job.status, Job.started_at, Job.finished_at)
                              .where(Job.finished_at >= utcnow() - timedelta(hours=24))).all()
    durations: dict[tuple[str, str], list[float]] = {}
    for kind, status, started, finished in rows:
        if started is not None:
            durations.setdefault((kind, status.value), []).append(
                (finished - started).total_seconds())
    mean = _gauge("labour_job_duration_seconds_mean_24h",
                  "Mean duration of the jobs ended in the last 24 hours", ("kind", "status"))
    longest = _gauge("labour_job_duration_seconds_max_24h",
                     "Longest job ended in the last 24 hours", ("kind", "status"))
    ended = _gauge("labour_jobs_ended_24h", "Jobs ended in the last 24 hours",
                   ("kind", "status"))
    for (kind, status), values in durations.items():
        mean.labels(kind, status).set(sum(values) / len(values))
        longest.labels(kind, status).set(max(values))
        ended.labels(kind, status).set(len(values))


def _schedule_ages() -> None:
    """Per daily task: seconds since its last successful run, and days behind today."""
    age = _gauge("labour_schedule_last_run_age_seconds",
                 "Seconds since the daily task last ran successfully", ("task",))
    behind = _gauge("labour_schedule_days_behind",
                    "Kazakhstan days the daily task has still to do", ("task",))
    last: dict[str, Any] = schedule.last_runs()
    now, today = utcnow(), today_in_kazakhstan()
    for name in schedule.TASKS:
        run = last.get(name)
        done = run is not None and run.ok and run.finished_at is not None
        age.labels(name).set((now - run.finished_at).total_seconds() if done else float("inf"))
        behind.labels(name).set(len(schedule.due_days(name, today)))
