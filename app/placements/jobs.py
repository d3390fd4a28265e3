"""Match runs for several institutions as a job (app/jobs): an administrator runs the
engine for every institution at once (or those chosen), one run per institution, each
institution as the job's progress; all the runs are stored together or none."""

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.institutions.models import Institution
from app.jobs.models import Job
from app.jobs.queue import Progress, register_kind, submit
from app.placements import operations

KIND = "placements.match_runs"


def run_institutions(job: Job, progress: Progress) -> dict[str, Any]:
    query = sa.select(Institution).order_by(Institution.code)
    if job.params.get("institution_ids"):
        query = query.where(Institution.id.in_(job.params["institution_ids"]))
    institutions = db.session.scalars(query).all()
    runs = []
    for done, institution in enumerate(institutions):
        label = f"{institution.code} {institution.name}"
        progress.step(done, len(institutions), "run", label)
        run = operations.start_run(institution, job.user_id)
        runs.append({"run_id": run.id, "institution": label,
                     "proposals": len(run.result["proposals"]), "ms": run.duration_ms})
    progress.step(len(institutions), len(institutions), "done")
    return {"runs": runs}


def submit_runs(user: Any, institution_ids: list[int], locale: str) -> Job:
    return submit(KIND, user, {"institution_ids": institution_ids, "locale": locale})


register_kind(KIND, _l("Match runs of several institutions"), run_institutions,
              "placements/runs_job.html")
