"""National exports as jobs (app/jobs): a reader of the whole country (an
administrator, a national prosecutor) asks for a table on a page, the job builds it
as that reader with the arguments given (the very builders of the page's export, so
the same scope and the same refusals), writes the file beside the jobs' progress
(``JOBS_FOLDER/exports``, shared by the machines as the uploads are) and its page
offers the download, to that user only. Readers of a region or an institution get
their file at once, as before. Files older than ``KEEP_DAYS`` are removed when the
next export job starts."""

import os
import time
from collections.abc import Callable
from typing import Any

from flask import abort, current_app, g, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core.tables import download as send_file
from app.core.tables import write_table
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.queue import Progress, acting_as, register_kind, submit

KIND = "monitoring.export"
KEEP_DAYS = 7


def check_args(table: str, args: dict | None = None) -> None:
    """Load the table's arguments as its export does (400/422 naming the field)."""
    from app.monitoring.operations import region_in_scope_or_404
    from app.monitoring.schemas import AuditArgs, FindingsArgs, PeriodArgs, RatesArgs

    schema = {"rates": RatesArgs, "violations": PeriodArgs, "findings": FindingsArgs,
              "audit": AuditArgs}[table]
    loaded = schema().load(request.args if args is None else args)
    if table == "rates" and loaded["region_id"] is not None:
        region_in_scope_or_404(loaded["region_id"], current_user)


def folder() -> str:
    path = os.path.join(current_app.config.get("JOBS_FOLDER")
                        or os.path.join(current_app.instance_path, "jobs"), "exports")
    os.makedirs(path, exist_ok=True)
    return path


def _path(job_id: int, fmt: str) -> str:
    return os.path.join(folder(), f"job-{job_id}.{fmt}")


def _remove_old_files() -> None:
    oldest = time.time() - KEEP_DAYS * 24 * 3600
    for name in os.listdir(folder()):
        path = os.path.join(folder(), name)
        if os.path.getmtime(path) < oldest:
            os.remove(path)


Builder = Callable[[str], tuple[tuple[list[str], list[list[Any]]], str]]
_BUILDER: list[Builder] = []


def build_with(builder: Builder) -> None:
    """The page's export builder (app/monitoring/views.py, which imports this module):
    ``builder(table)`` gives the table of the current user and arguments and its day."""
    _BUILDER[:] = [builder]


def build_export(table: str) -> tuple[tuple[list[str], list[list[Any]]], str]:
    return _BUILDER[0](table)


def export_table(job: Job, progress: Progress) -> dict[str, Any]:
    table, fmt, args = job.params["table"], job.params["fmt"], job.params["args"]
    _remove_old_files()
    progress.step(0, None, "read", _("Reading the table"))
    with acting_as(g.job_user, f"/monitoring/export/{table}.{fmt}", args):
        (headers, rows), day = build_export(table)  # as the user who asked, in their scope
    progress.step(0, len(rows), "write", _("Writing the file"))
    content = write_table(fmt, headers, rows)
    temporary = _path(job.id, f"{fmt}.tmp")
    with open(temporary, "wb") as handle:
        handle.write(content)
    os.replace(temporary, _path(job.id, fmt))
    progress.step(len(rows), len(rows), "done")
    return {"table": table, "fmt": fmt, "name": f"{table}-{day}", "rows": len(rows),
            "bytes": len(content)}


def submit_export(user: Any, table: str, fmt: str, args: dict[str, str], locale: str) -> Job:
    return submit(KIND, user, {"table": table, "fmt": fmt, "args": args, "locale": locale},
                  institution_id=user.institution_id)


def download(job_id: int, user: Any):
    """The file of ``user``'s own finished export job; anything else 404."""
    job = db.session.get(Job, job_id)
    if (job is None or job.user_id != user.id or job.kind != KIND
            or job.status != JobStatus.FINISHED):
        abort(404)
    path = _path(job.id, job.result["fmt"])
    if not os.path.exists(path):
        abort(404)  # removed after KEEP_DAYS: export again
    with open(path, "rb") as handle:
        return send_file(handle.read(), job.result["fmt"], job.result["name"])


register_kind(KIND, _l("National export"), export_table, "monitoring/export_job.html")
