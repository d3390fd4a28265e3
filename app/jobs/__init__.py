"""Long work as jobs, and the daily schedule.

A job (``app/jobs/queue.py``) is a row in ``jobs`` and runs on RQ when ``REDIS_URL``
is set, else on a worker thread of the app's own processes (``app/jobs/worker.py``).
Its progress lives beside the row (Redis, or a file in the instance folder), because
the job's own writes are one transaction nobody sees until it commits. The daily
schedule (``app/jobs/schedule.py``) runs the tasks registered by the packages above,
once per Kazakhstan day, catching up the days missed.

This package imports only app/core and below; the packages above register their
job kinds and daily tasks with it."""

import time

import click
from flask import Flask


def init_app(app: Flask) -> None:
    """The pages, the commands, and the embedded worker started with each web process."""
    from app.jobs.views import bp, schedule_bp
    from app.jobs.worker import start_embedded

    app.register_blueprint(bp)
    app.register_blueprint(schedule_bp)

    @app.before_request
    def start_worker_thread() -> None:
        start_embedded(app)  # once per process: gunicorn forks its workers first

    _register_commands(app)


def _register_commands(app: Flask) -> None:
    @app.cli.command("jobs-worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
    def jobs_worker(burst: bool) -> None:
        """Run jobs: an RQ worker on REDIS_URL's queue, else the embedded loop here."""
        from app.jobs.worker import run_rq_worker, work_once

        if app.config["REDIS_URL"]:
            run_rq_worker(app, burst=burst)
            return
        last = 0.0
        while True:
            last = work_once(last, schedule=False)
            if burst:
                return
            time.sleep(1)

    @app.cli.command("run-daily")
    @click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Run as if today were this Kazakhstan day (default: today).")
    @click.option("--task", default=None, help="Only this task.")
    def run_daily(day, task) -> None:
        """Run every daily task for each day it has still to do (idempotent)."""
        from app.jobs.schedule import run_due

        for run in run_due(day.date() if day else None, only=task):
            outcome = run.summary if run.ok else f"FAILED: {run.error}"
            click.echo(f"{run.task} {run.day.isoformat()}: {outcome}")

    @app.cli.command("scheduler")
    @click.option("--every", default=60, show_default=True, help="Seconds between turns.")
    def scheduler(every: int) -> None:
        """Run the daily schedule for ever (one process for the whole deployment,
        or several: a (task, day) is done once whoever runs it), and mark failed the
        jobs whose worker died (the embedded worker does both without Redis)."""
        from app.core.transactions import commit_outside_request
        from app.jobs.queue import reap_stale
        from app.jobs.schedule import run_due
        from app.jobs.worker import beat

        while True:
            try:
                beat("scheduler")
                reap_stale()  # the jobs whose worker died: failed, so they can be retried
                commit_outside_request()
                run_due()
            except Exception:  # noqa: BLE001  (the next turn tries again)
                app.logger.exception("scheduler turn failed")
            finally:
                from app.extensions import db

                db.session.remove()
            time.sleep(every)
