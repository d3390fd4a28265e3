"""Translated names of the release plan's parts and of outcome situations
(their values clash with other words of app/core/labels.py, so they live here)."""

from flask_babel import lazy_gettext as _l

from app.core.vocabulary import PlanPartKind, Situation

PART_LABELS = {
    PlanPartKind.JOB: _l("job after release"),
    PlanPartKind.ACCOMMODATION: _l("accommodation"),
    PlanPartKind.DOCUMENTS: _l("identity documents"),
    PlanPartKind.MEDICAL: _l("continued medical care"),
    PlanPartKind.BENEFITS: _l("social benefits and allowances"),
    PlanPartKind.FAMILY: _l("family and social ties"),
    PlanPartKind.PSYCHOLOGICAL: _l("psychological support"),
    PlanPartKind.CERTIFICATE: _l("vocational certificate"),
    PlanPartKind.TRAVEL: _l("free travel to the place of residence (art. 167)"),
    PlanPartKind.CLOTHING: _l("season clothing and footwear (art. 167)"),
    PlanPartKind.SUBSTANCE_USE: _l("substance-use treatment"),
    PlanPartKind.DEBTS: _l("debts"),
}

SITUATION_LABELS = {
    Situation.HOUSED: _l("housed"),
    Situation.EMPLOYED: _l("employed"),
    Situation.IN_TRAINING: _l("in training"),
    Situation.BENEFITS: _l("receiving benefits"),
    Situation.RETURNED_TO_CUSTODY: _l("returned to custody"),
    Situation.LOST_CONTACT: _l("lost contact"),
}

# The oversight trend's shares (keys of oversight.TREND_SHARES).
TREND_LABELS = {
    "complete_at_release": _l("Releases with a complete plan"),
    "job_or_housing_at_release": _l("Releases with a job or accommodation arranged"),
    "referrals_overdue": _l("Open referrals overdue"),
    "employed_6": _l("Employed 6 months after release"),
    "housed_6": _l("Housed 6 months after release"),
    "employed_12": _l("Employed 12 months after release"),
    "housed_12": _l("Housed 12 months after release"),
}

# Why the engine proposes a person to a job waiting outside (outside_jobs.Fit).
FIT_LABELS = {
    "destination_region": _l("goes to the job's region after release"),
    "starts_after_release": _l("the job starts on or after the release"),
    "skill": _l("has the trade's skill"),
    "certificate": _l("holds the trade's certificate"),
    "job_part_open": _l("the plan's job part is still open"),
}

# A poster's answer to a proposed person (R22): as shown, and on its button.
ANSWER_LABELS = {
    "interview": _l("invited to an interview"),
    "offer": _l("job offered"),
    "no": _l("not this time"),
}
ANSWER_BUTTONS = {
    "interview": _l("Invite to an interview"),
    "offer": _l("Offer the job"),
    "no": _l("Answer no"),
}

# A task of the release plan's task list (views.plan_tasks), as its tag reads.
TASK_LABELS = {
    "completed": _l("Done"),
    "in_progress": _l("In progress"),
    "not_started": _l("Not started"),
    "cannot_start": _l("Cannot start yet"),
}

# The person's own agreement to a part (PlanPart.agreement).
AGREEMENT_LABELS = {
    "": _l("not asked yet"),
    "agreed": _l("agreed"),
    "declined": _l("declined by the person"),
}
