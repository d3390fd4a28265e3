"""The jobs' pages (each user's own jobs: list, progress, result, retry) and the
administrators' schedule page."""

import time

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.auth import roles_required
from app.core.vocabulary import Role
from app.extensions import db
from app.jobs import progress, queue, schedule
from app.jobs.models import Job, JobStatus

bp = Blueprint("jobs", __name__, url_prefix="/jobs", template_folder="templates")
schedule_bp = Blueprint("schedule", __name__, url_prefix="/admin/schedule",
                        template_folder="templates")

REFRESH_SECONDS = 2  # the page without script reloads this often; the script asks every 1 s


def own_job_or_404(job_id: int) -> Job:
    """The user's own job; anyone else's answers 404, whatever the role."""
    job = db.session.get(Job, job_id)
    if job is None or job.user_id != current_user.id:
        abort(404)
    return job


def job_state(job: Job) -> dict:
    """What the progress page and its script show."""
    record = progress.job_record(job.id) if job.status == JobStatus.RUNNING else {}
    state = progress.figures(record) | {
        "status": job.status.value, "label": str(queue.STATUS_LABELS[job.status]),
        "finished": job.status in (JobStatus.FINISHED, JobStatus.FAILED),
        "beat_age": time.time() - record["beat"] if record.get("beat") else None}
    return state


@bp.get("/")
@login_required
def index():
    jobs = db.session.scalars(sa.select(Job).where(Job.user_id == current_user.id)
                              .order_by(Job.id.desc()).limit(100)).all()
    return render_template("jobs/index.html", jobs=jobs, kinds=queue.KINDS,
                           labels=queue.STATUS_LABELS)


@bp.get("/<int:job_id>")
@login_required
def show(job_id: int):
    job = own_job_or_404(job_id)
    kind = queue.KINDS.get(job.kind)
    if job.status == JobStatus.FINISHED and kind is not None:
        return render_template(kind.result_template, job=job, kind=kind, result=job.result)
    return render_template("jobs/progress.html", job=job, kind=kind, state=job_state(job),
                           refresh=REFRESH_SECONDS, reason=failure_reason(job))


@bp.get("/<int:job_id>/progress")
@login_required
def progress_json(job_id: int):
    """The progress page's script reads this every second."""
    job = own_job_or_404(job_id)
    return job_state(job) | {"url": url_for(".show", job_id=job.id)}


@bp.post("/<int:job_id>/retry")
@login_required
def retry(job_id: int):
    job = own_job_or_404(job_id)
    if queue.retry(job):
        flash(_("The job is queued again."), "success")
    else:
        flash(_("Only a failed job can be tried again."), "error")
    return redirect(url_for(".show", job_id=job.id))


def failure_reason(job: Job) -> str | None:
    if job.status != JobStatus.FAILED:
        return None
    if job.error == queue.WORKER_STOPPED:
        return _("The worker running this job stopped before it ended; nothing was written.")
    return job.error


@schedule_bp.get("/")
@roles_required(Role.ADMIN)
def index_page():
    """Each daily task with its last run, and the latest runs."""
    return render_template("jobs/schedule.html", tasks=schedule.TASKS.values(),
                           last=schedule.last_runs(), runs=schedule.recent_runs(),
                           depth=queue.queue_depth())
