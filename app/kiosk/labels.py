"""Words the person reads about their applications' states (R31), said to them
rather than about them (the staff pages use app/core/labels.py)."""

from flask_babel import lazy_gettext as _l

from app.applications.models import ApplicationState

STATE_FOR_THE_PERSON = {
    ApplicationState.RECEIVED: _l("received, waiting for an answer"),
    ApplicationState.OFFERED: _l("offered to you"),
    ApplicationState.ACCEPTED: _l("accepted by you"),
    ApplicationState.DECLINED: _l("declined by you"),
    ApplicationState.WITHDRAWN: _l("withdrawn by you"),
    ApplicationState.NOT_ELIGIBLE: _l("not eligible"),
    ApplicationState.CLOSED: _l("closed"),
}
