"""What training does when something happens in the inmate registry below it, and
what it adds to an inmate's profile: receivers of app/core/signals.py, connected
when ``create_app`` imports this module."""

from datetime import date
from typing import Any

import sqlalchemy as sa

from app.core import signals
from app.core.vocabulary import EndReason, EnrolmentStatus
from app.extensions import db
from app.inmates.models import Inmate
from app.training.models import Enrolment


@signals.inmate_leaving.connect
def drop_enrolments_of_leaving_inmate(inmate: Inmate, *, on: date, reason: EndReason) -> None:
    """Release and transfer drop the open enrolments, the reason as their result."""
    enrolments = list(db.session.scalars(sa.select(Enrolment).where(
        Enrolment.inmate_id == inmate.id, Enrolment.status == EnrolmentStatus.ENROLLED)))
    for enrolment in enrolments:
        enrolment.status, enrolment.result = EnrolmentStatus.DROPPED, reason.value
        signals.place_freed.send(enrolment.course, on=on)  # the seat goes to the waiting list


@signals.inmate_profile.connect
def enrolments_of(inmate: Inmate, *, today: date | None) -> dict[str, Any]:
    enrolments = db.session.scalars(sa.select(Enrolment).where(Enrolment.inmate_id == inmate.id)
                                    .order_by(Enrolment.enrolled_on.desc()))
    return {"enrolments": list(enrolments)}
