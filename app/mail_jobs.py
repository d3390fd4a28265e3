"""The e-mail of notifications "at once" as a job (app/jobs), not in the request.

Notifications (app/notifications) and jobs (app/jobs) sit side by side in the stack
and import neither other; this module, above both, joins them: ``notify`` hands the
ids of the notifications it made to ``queue_mail``, which stores a job of the system
(no owner) in the same transaction. Once committed, a worker (RQ's, or the embedded
thread) sends them with ``send_immediately``: a mail server that is slow or down
delays no page. A failure is logged and leaves them to the daily digest (mail.py);
a job run twice sends nothing twice (only what is not e-mailed yet is sent)."""

from typing import Any

from flask_babel import lazy_gettext as _l

from app.jobs.models import Job
from app.jobs.queue import Progress, register_kind, submit
from app.notifications.mail import hand_off_immediate_mail, send_immediately

KIND = "notifications.email"


def send_mail(job: Job, progress: Progress) -> dict[str, Any]:
    ids = job.params["ids"]
    progress.step(0, len(ids), "send")
    sent = send_immediately(ids)
    progress.step(len(ids), len(ids), "done")
    return {"notifications": len(ids), "sent": sent}


def queue_mail(ids: list[int]) -> None:
    submit(KIND, None, {"ids": ids})


register_kind(KIND, _l("E-mail of notifications"), send_mail, "jobs/result.html")
hand_off_immediate_mail(queue_mail)
