"""Jobs: long work asked for on a page, run away from the request, all or nothing.

A package registers a kind once (``register_kind``) with the function that does
the work; ``submit`` stores the job (committed with the request) and, after the
commit, hands its id to RQ (``REDIS_URL`` set) or wakes the app's own worker
thread (app/jobs/worker.py). ``run_job`` is what a worker calls:

1. it claims the job (queued -> running, attempt + 1) in a short transaction of
   its own; a job claimed already, by a second worker or a second enqueue, is
   left alone;
2. it runs the kind's function in one transaction, with a heartbeat beside it;
3. it commits the work together with ``finished`` only if the job is still
   running this attempt (a job the reaper gave up on meanwhile is rolled back);
   any error rolls everything back and records ``failed`` with its reason.

A job whose worker died (no heartbeat for ``JOBS_STALE_SECONDS``) is marked
failed by ``reap_stale``; the database rolled its open transaction back, so it
wrote nothing. Retrying a failed job queues the same row again: its attempts
wrote nothing and only one attempt can finish, so nothing is ever booked twice.
"""

import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, g
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.core.errors import RuleViolation
from app.core.models import utcnow
from app.core.transactions import commit_outside_request, discard_changes
from app.extensions import db
from app.jobs import progress
from app.jobs.models import Job, JobStatus

Work = Callable[[Job, "Progress"], dict[str, Any]]


@dataclass(frozen=True)
class Kind:
    name: str
    title: Any  # a lazy string
    work: Work
    result_template: str


KINDS: dict[str, Kind] = {}
WAKE = threading.Event()


def register_kind(name: str, title: Any, work: Work, result_template: str) -> None:
    """Make ``name`` a kind of job: ``work(job, progress)`` does it in the session and
    returns the result to keep (JSON); a result with ``"written": False`` (a check,
    a refused file) is kept but its writes are rolled back."""
    KINDS[name] = Kind(name, title, work, result_template)


class Refused(Exception):
    """A job's work found the data unusable; the message is shown as its reason."""


class Progress:
    """Handed to a job's work: ``step(done, total)`` as it goes."""

    def __init__(self, job_id: int) -> None:
        self.job_id, self.started, self.last = job_id, time.time(), 0.0

    def step(self, done: int, total: int | None = None, phase: str = "", label: str = "",
             ) -> None:
        """``label``: what it is doing, in the job's language, shown on its page (a
        step of a booking, the institution being ranked)."""
        now = time.time()
        if now - self.last < 0.2 and (total is None or done < total):
            return  # at most five writes a second, the last one always
        self.last = now
        progress.write_job(self.job_id, done=done, total=total, phase=phase, label=label,
                           started=self.started, beat=now)


@contextmanager
def acting_as(user: Any, path: str = "/", query_string: dict[str, Any] | None = None
              ) -> Iterator[None]:
    """A request context (on the job's own app context and session) in which
    ``current_user`` is ``user``: the operations and builders that read the caller's
    scope from it (``scoped``, the exports' arguments) work in a job as on the page."""
    from flask_login import login_user

    with current_app.test_request_context(path, query_string=query_string):
        login_user(user)
        yield


def national(user: Any) -> bool:
    """A reader of the whole country (an administrator, a national prosecutor): their
    national tables and rankings run as jobs."""
    from app.core.vocabulary import Role

    return user.role in (Role.ADMIN, Role.PROSECUTOR) and user.region_id is None \
        and user.institution_id is None


# --- submitting ----------------------------------------------------------------------------

def submit(kind: str, user: Any, params: dict[str, Any], institution_id: int | None = None
           ) -> Job:
    """Store a queued job for ``user`` (None: the system's own work, nobody's to see);
    it is handed to a worker once the request's transaction commits (a worker must
    find the row)."""
    if kind not in KINDS:
        raise KeyError(kind)
    job = Job(kind=kind, user_id=user.id if user is not None else None,
              institution_id=institution_id, params=params,
              status=JobStatus.QUEUED)
    db.session.add(job)
    db.session.flush()
    _after_commit(job.id)
    return job


def _after_commit(job_id: int) -> None:
    session = db.session()
    pending = session.info.setdefault("jobs_to_enqueue", [])
    if not pending:
        app = current_app._get_current_object()

        @sa.event.listens_for(session, "after_commit", once=True)
        def enqueue_pending(committed: Any) -> None:
            with app.app_context():
                for pending_id in committed.info.pop("jobs_to_enqueue", []):
                    enqueue(pending_id)

        @sa.event.listens_for(session, "after_rollback", once=True)
        def forget_pending(rolled_back: Any) -> None:
            rolled_back.info.pop("jobs_to_enqueue", None)
    pending.append(job_id)


def enqueue(job_id: int) -> None:
    """Hand a stored job to the queue: RQ's, or the embedded worker's wake-up."""
    connection = progress.redis_connection()
    if connection is None:
        WAKE.set()  # the embedded worker thread of this process looks at once
        return
    rq_queue(connection).enqueue(
        "app.jobs.queue.perform", job_id, job_timeout=current_app.config["JOBS_TIMEOUT_SECONDS"],
        result_ttl=3600, failure_ttl=24 * 3600)


def rq_queue(connection: Any):
    from rq import Queue

    return Queue(current_app.config["JOBS_QUEUE"], connection=connection)


def perform(job_id: int) -> None:
    """RQ's entry point, in the app context that ``flask jobs-worker`` pushed before
    RQ forked its work horse."""
    run_job(job_id)


# --- running -------------------------------------------------------------------------------

def claim(job_id: int) -> int | None:
    """Queued -> running in a committed transaction of its own; the attempt number,
    or None when the job is not queued (taken by another worker, or done)."""
    claimed = db.session.execute(
        sa.update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, attempt=Job.attempt + 1, started_at=utcnow(),
                error=None).returning(Job.attempt)).scalar_one_or_none()
    commit_outside_request()
    return claimed


def run_job(job_id: int) -> JobStatus | None:
    """Claim and run one job; its final status, or None if it was not ours to run."""
    attempt = claim(job_id)
    if attempt is None:
        return None
    job = db.session.get(Job, job_id)
    progress.write_job(job_id, done=0, total=None, phase="", started=time.time(),
                       beat=time.time(), attempt=attempt)
    # Beating until the outcome is committed: a national pay month's commit alone took
    # longer than the pages' promise of news every 2 s.
    beating = _Heartbeat(current_app._get_current_object(), job_id)
    beating.start()
    try:
        return _work_and_finish(job, attempt)
    finally:
        beating.stop()


def _work_and_finish(job: Job, attempt: int) -> JobStatus | None:
    try:
        result = _do_work(job)
    except Exception as error:  # noqa: BLE001  (any failure is the job's reason)
        discard_changes()
        reason = _reason(error)
        current_app.logger.warning("job %s failed: %s", job.id, traceback.format_exc())
        return _finish(job.id, attempt, JobStatus.FAILED, error=reason)
    if result.get("written") is False:
        discard_changes()
    return _finish(job.id, attempt, JobStatus.FINISHED, result=result)


def _do_work(job: Job) -> dict[str, Any]:
    from app.auth.models import User

    kind = KINDS[job.kind]
    user = db.session.get(User, job.user_id) if job.user_id is not None else None
    g.audit_actor = f"job {job.id} of {user.email}" if user is not None else f"job {job.id}"
    g.job_user = user
    with force_locale(job.params.get("locale") or "en"):
        return kind.work(job, Progress(job.id))


def _reason(error: Exception) -> str:
    """A refusal of the rules says its message (in the job's language); anything else
    its kind and first line."""
    if isinstance(error, Refused):
        return str(error)[:500]
    if isinstance(error, RuleViolation):
        return str(error.message)[:500]
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text}"[:500]


def _finish(job_id: int, attempt: int, status: JobStatus, *, result: dict | None = None,
            error: str | None = None) -> JobStatus | None:
    """Record the outcome in the transaction holding the work (if any), only if this
    attempt still owns the job; else roll everything back."""
    done = db.session.execute(
        sa.update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING,
                             Job.attempt == attempt)
        .values(status=status, result=result, error=error, finished_at=utcnow()))
    if done.rowcount != 1:
        discard_changes()
        return None
    commit_outside_request()
    progress.write_job(job_id, beat=time.time(), finished=True)
    return status


class _Heartbeat:
    """Beats every HEARTBEAT_SECONDS while the job runs, from a thread of its own,
    so that a long step without progress is not taken for a dead worker."""

    def __init__(self, app: Any, job_id: int) -> None:
        self.app, self.job_id, self.stopped = app, job_id, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"beat-{job_id}")

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)

    def _run(self) -> None:
        with self.app.app_context():
            while not self.stopped.wait(progress.HEARTBEAT_SECONDS):
                progress.write_job(self.job_id, beat=time.time())


# --- after a failure -----------------------------------------------------------------------

def reap_stale() -> int:
    """Mark failed the running jobs without a heartbeat for JOBS_STALE_SECONDS (their
    worker died: the database rolled their work back). Returns how many."""
    stale_after = current_app.config["JOBS_STALE_SECONDS"]
    oldest_start = utcnow() - timedelta(seconds=stale_after)
    reaped = 0
    for job in db.session.scalars(sa.select(Job).where(
            Job.status == JobStatus.RUNNING, Job.started_at < oldest_start)):
        beat = progress.job_record(job.id).get("beat") or 0
        if time.time() - beat > stale_after:
            reaped += db.session.execute(
                sa.update(Job).where(Job.id == job.id, Job.status == JobStatus.RUNNING,
                                     Job.attempt == job.attempt)
                .values(status=JobStatus.FAILED, finished_at=utcnow(),
                        error=WORKER_STOPPED)).rowcount
    return reaped


WORKER_STOPPED = "worker-stopped"  # shown in the user's language by the pages


def retry(job: Job) -> bool:
    """Queue a failed job again (after the request commits); False if it is not failed."""
    retried = db.session.execute(
        sa.update(Job).where(Job.id == job.id, Job.status == JobStatus.FAILED)
        .values(status=JobStatus.QUEUED, finished_at=None)).rowcount == 1
    if retried:
        _after_commit(job.id)
    return retried


def queue_depth() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Job)
                             .where(Job.status == JobStatus.QUEUED)) or 0


def next_queued() -> int | None:
    return db.session.scalar(sa.select(Job.id).where(Job.status == JobStatus.QUEUED)
                             .order_by(Job.id).limit(1))


STATUS_LABELS = {
    JobStatus.QUEUED: _l("Waiting"),
    JobStatus.RUNNING: _l("Running"),
    JobStatus.FINISHED: _l("Done"),
    JobStatus.FAILED: _l("Failed"),
}
