"""Who runs the jobs.

- With ``REDIS_URL``: RQ workers, ``flask jobs-worker`` (one process or more per
  machine; each job in a forked work horse, as RQ does). The daily schedule then has
  its own process, ``flask scheduler`` (README "Running in production").
- Without Redis (the embedded default of ``make run``): a **thread** in each web
  process (gunicorn worker), started at the process' first request. One thread at a
  time holds the instance folder's lock file and runs jobs, oldest first, and the
  daily schedule once a minute; the others wait for the lock, so a dead process'
  place is taken by another. The thread holding the lock looks for queued jobs every
  ``POLL_SECONDS``, and at once when a job is submitted in its own process.

/readyz calls a worker live when one beat in the last ``JOBS_STALE_SECONDS``: RQ's
own heartbeat of its registered workers, or the embedded thread's beat in the
progress store."""

import fcntl
import os
import socket
import threading
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app

from app.jobs import progress
from app.jobs.queue import WAKE

POLL_SECONDS = 1.0
SCHEDULE_EVERY_SECONDS = 60

_started: dict[int, threading.Thread] = {}  # process id -> its thread


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def beat(kind: str) -> None:
    progress.store().write(f"worker-{worker_name()}", {"beat": time.time(), "kind": kind})


def live_workers(now: float | None = None) -> list[str]:
    """The workers (RQ's or embedded) that beat recently."""
    now, stale = now or time.time(), current_app.config["JOBS_STALE_SECONDS"]
    connection = progress.redis_connection()
    if connection is not None:
        from rq import Worker

        from app.jobs.queue import rq_queue

        return [worker.name for worker in Worker.all(queue=rq_queue(connection))
                if worker.last_heartbeat
                and now - _timestamp(worker.last_heartbeat) <= stale]
    found = progress.store()
    return [name for name in found.names("worker-")
            if now - (found.read(name).get("beat") or 0) <= stale]


def _timestamp(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def start_embedded(app: Flask) -> None:
    """Start this process' embedded worker thread once (after gunicorn's fork)."""
    pid = os.getpid()
    if pid in _started or app.config.get("REDIS_URL") or not app.config["JOBS_EMBEDDED_WORKER"]:
        return
    thread = threading.Thread(target=_embedded_loop, args=(app,), daemon=True,
                              name="jobs-embedded")
    _started[pid] = thread
    thread.start()


def _embedded_loop(app: Flask) -> None:
    with app.app_context():
        lock_path = os.path.join(app.config.get("JOBS_FOLDER")
                                 or os.path.join(app.instance_path, "jobs"), "worker.lock")
        os.makedirs(os.path.dirname(lock_path), exist_ok=True)
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one embedded worker at a time
            last_schedule = 0.0
            while True:
                last_schedule = work_once(last_schedule)
                WAKE.wait(POLL_SECONDS)
                WAKE.clear()


def work_once(last_schedule: float = 0.0, *, schedule: bool = True) -> float:
    """One turn of the embedded worker: beat, give up on dead jobs, run the queued
    jobs, and the daily schedule if a minute passed. Returns when it last ran it."""
    from app.core.transactions import commit_outside_request, discard_changes
    from app.extensions import db
    from app.jobs.queue import next_queued, reap_stale, run_job

    try:
        beat("embedded")
        reap_stale()
        commit_outside_request()
        while (job_id := next_queued()) is not None:
            run_job(job_id)
        if schedule and time.time() - last_schedule >= SCHEDULE_EVERY_SECONDS:
            from app.jobs.schedule import run_due

            run_due()
            last_schedule = time.time()
    except Exception:  # noqa: BLE001  (the thread must outlive a bad turn)
        discard_changes()
        current_app.logger.exception("embedded worker turn failed")
    finally:
        db.session.remove()
    return last_schedule


def run_rq_worker(app: Flask, burst: bool = False, simple: bool = False) -> Any:
    """An RQ worker on the app's queue, in this app's context (``flask jobs-worker``)."""
    from rq import SimpleWorker, Worker

    from app.jobs.queue import rq_queue

    connection = progress.redis_connection()
    queue = rq_queue(connection)
    worker_class = SimpleWorker if simple else Worker
    worker = worker_class([queue], connection=connection, name=worker_name())
    return worker.work(burst=burst, with_scheduler=False)
