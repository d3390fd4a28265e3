"""Spreadsheet imports of any size as jobs (app/jobs): the page streams the upload
to the instance folder and queues a job, which reads it a chunk of ``CHUNK_ROWS``
at a time with its progress, and writes the
whole file or nothing."""

import os
from typing import Any

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.inmates import spreadsheets, uploads
from app.institutions.models import Institution
from app.jobs.models import Job
from app.jobs.queue import Progress, Refused, register_kind

KIND = "inmates.import"
JOB_CHUNK_ROWS = 2_000  # a smaller chunk than the command line's: a worker's memory is shared


def _rows_in(path: str) -> int | None:
    """About how many data rows the file holds, for the progress bar: a CSV's lines
    (counted a megabyte at a time), an XLSX sheet's declared size (which may lie)."""
    if path.endswith(".csv"):
        with open(path, "rb") as handle:
            lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
        return max(lines - 1, 0)
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        return max((workbook.worksheets[0].max_row or 1) - 1, 0)
    finally:
        workbook.close()


def import_spreadsheet(job: Job, progress: Progress) -> dict[str, Any]:
    params = job.params
    path = uploads.path_of(job.user_id, params["stash"])
    if path is None:
        raise Refused("the uploaded file is no longer kept: upload it again")
    institution = db.session.get(Institution, job.institution_id)
    total = _rows_in(path)
    progress.step(0, total, "check")

    def step(report: spreadsheets.ImportReport) -> None:
        progress.step(report.rows, max(total or 0, report.rows), "check")

    limits = spreadsheets.ReadLimits(max_rows=None, chunk_rows=JOB_CHUNK_ROWS,
                                     unpacked_limit=None, progress=step)
    with open(path, "rb") as handle:
        report = spreadsheets.run_import(params["kind"], institution, params["filename"], handle,
                                         dry_run=params["dry_run"], limits=limits)
    progress.step(report.rows, report.rows, "done")
    if report.committed:
        uploads.forget(job.user_id, params["stash"])
    return report.as_dict() | {"written": report.committed, "filename": params["filename"],
                               "stash": params["stash"]}


def submit_import(user: Any, kind: str, filename: str, stash: str, *, dry_run: bool,
                  locale: str) -> Job:
    from app.jobs.queue import submit

    return submit(KIND, user, {"kind": kind, "filename": os.path.basename(filename),
                               "stash": stash, "dry_run": dry_run, "locale": locale},
                  institution_id=user.institution_id)


register_kind(KIND, _l("Spreadsheet import"), import_spreadsheet, "inmates/import_job.html")
