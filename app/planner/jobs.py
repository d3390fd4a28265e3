"""National planner rankings as jobs (app/jobs): for a reader of the whole country
the ranking of every institution for one workshop (a full re-solve of each, about a
second nationally) is computed by a job, institution by institution as its progress;
its page shows the ranking. Readers of a region are answered in the request."""

from typing import Any

from flask import g
from flask_babel import lazy_gettext as _l

from app.jobs.models import Job
from app.jobs.queue import Progress, acting_as, register_kind, submit
from app.planner import operations as ops
from app.planner.schemas import WorkshopArgs

KIND = "planner.rank"


def rank(job: Job, progress: Progress) -> dict[str, Any]:
    given = job.params["args"]
    args = WorkshopArgs().load(given)
    with acting_as(g.job_user, "/planner/", given):  # the institutions of the user's scope
        ranked = ops.rank_institutions(
            ops.workshop_of(args), args["day"],
            step=lambda done, total, name: progress.step(done, total, "rank", name))
    progress.step(len(ranked), len(ranked), "done")
    return {"args": given, "written": False,  # a reading: anything written is undone
            "ranking": [{"institution_id": r.institution_id,
                         "institution_name": r.institution_name, "region": r.region,
                         "impact": r.impact.to_dict()} for r in ranked]}


def submit_ranking(user: Any, args: dict[str, str], locale: str) -> Job:
    return submit(KIND, user, {"args": args, "locale": locale})


register_kind(KIND, _l("National workshop ranking"), rank, "planner/rank_job.html")
