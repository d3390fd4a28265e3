"""Timesheet imports as jobs (app/jobs): a file over ``JOB_FROM_BYTES`` (about 2,000
rows) is stashed by the page and checked and written by a job, with its progress row
by row; all or nothing, as the page's import (one savepoint, left on any problem).
Smaller files are still imported in the request, at once."""

from datetime import date
from typing import Any

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.inmates import uploads
from app.jobs.models import Job
from app.jobs.queue import Progress, Refused, register_kind, submit
from app.pay import spreadsheets

KIND = "pay.import_timesheets"
JOB_FROM_BYTES = 256 * 1024  # a national month's file is several megabytes


def import_timesheets(job: Job, progress: Progress) -> dict[str, Any]:
    params = job.params
    path = uploads.path_of(job.user_id, params["stash"])
    if path is None:
        raise Refused(_("the uploaded file is no longer kept: upload it again"))
    with open(path, "rb") as handle:
        data = handle.read()
    progress.step(0, None, "check")
    report = spreadsheets.run_import(
        g.job_user, date.fromisoformat(params["month"]), params["filename"], data,
        dry_run=params["dry_run"], step=lambda done, total: progress.step(done, total, "rows"))
    progress.step(report.rows, report.rows, "done")
    if report.committed or report.problems:
        uploads.forget(job.user_id, params["stash"])
    return report.as_dict() | {"written": report.committed, "filename": params["filename"],
                               "month": params["month"]}


def submit_import(user: Any, month: date, filename: str, upload: Any, *, dry_run: bool,
                  locale: str) -> Job:
    stash = uploads.stash(user.id, filename, upload)
    return submit(KIND, user, {"month": month.isoformat(), "filename": filename,
                               "stash": stash, "dry_run": dry_run, "locale": locale},
                  institution_id=user.institution_id)


register_kind(KIND, _l("Timesheet import"), import_timesheets, "pay/import_job.html")
