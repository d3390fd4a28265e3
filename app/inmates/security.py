"""R27-R30 records of a person: risk-and-needs assessments, serious incidents, the
scattered model's flag and court bans; the assessments that are due (R27); and who may
see the flag (R29), every showing of it audited.

Functions add and flush; the caller commits once. Nothing here deletes: a flag is lifted,
a ban ends, a new assessment follows the old one (R19).

The flag is restricted (R29): the institution's officers and prosecutors (of its region,
or national) see it; administrators, employers and partners never. Every page or API
answer that shows it calls ``show_flag``, which writes a "view" entry to the audit trail
(``AuditEvent``), readable by the prosecutors with the institution's other entries.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.core import signals
from app.core.audit import current_actor, record_view
from app.core.errors import Conflict, RuleViolation
from app.core.plausible import refuse
from app.core.vocabulary import CustodyStatus, RiskReason
from app.extensions import db
from app.inmates.models import (
    CourtBan,
    Inmate,
    RiskAssessment,
    ScatteredFlag,
    SeriousIncident,
)
from app.inmates.operations import add_months
from app.inmates.rules import (  # noqa: F401 (re-exported: the flag's readers)
    FLAG_READERS,
    RESTRICTED_ENTITY,
    check_not_in_future,
    may_see_flag,
)
from app.settings.operations import settings_for
from app.taxonomy.models import Trade
from policy import plausible
from policy.clock import today_in_kazakhstan
from policy.law import NEEDS_DOMAINS
from policy.ops import PYTHON
from policy.rules import r30_ban_runs

# --- R27: risk-and-needs assessments --------------------------------------------------------


def record_risk_assessment(inmate: Inmate, level: str, assessed_on: date,
                           reason: RiskReason, needs: list[str] | None = None,
                           notes: str = "", today: date | None = None) -> RiskAssessment:
    """Add a risk-and-needs assessment; the latest is the person's level at work (R28).
    The level must be on the scale of the assessment's year; needs are the domains of
    ``policy.law.NEEDS_DOMAINS``."""
    today = today or today_in_kazakhstan()
    refuse("assessed_on", plausible.event_day(assessed_on, today))
    check_not_in_future("assessed_on", assessed_on, today)
    scale = settings_for(assessed_on.year).law.risk_levels
    if level not in scale:
        raise RuleViolation("level", _("must be one of %(levels)s", levels=", ".join(scale)),
                            rule="R27")
    unknown = sorted(set(needs or ()) - set(NEEDS_DOMAINS))
    if unknown:
        raise RuleViolation("needs", _("unknown domain: %(names)s", names=", ".join(unknown)),
                            rule="R27")
    row = RiskAssessment(inmate_id=inmate.id, assessed_on=assessed_on, level=level,
                         needs=[d for d in NEEDS_DOMAINS if d in set(needs or ())],
                         reason=reason, assessed_by=_who(), notes=notes)
    db.session.add(row)
    db.session.flush()
    signals.needs_recorded.send(inmate, on=assessed_on, needs=row.needs)
    return row


def risk_assessments(inmate: Inmate) -> list[RiskAssessment]:
    """The person's assessments, newest first."""
    return list(db.session.scalars(
        sa.select(RiskAssessment).where(RiskAssessment.inmate_id == inmate.id)
        .order_by(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc())))


def latest_risk_assessment(inmate: Inmate, day: date | None = None,
                           assessments: list[RiskAssessment] | None = None
                           ) -> RiskAssessment | None:
    """The latest assessment made by ``day``, of ``assessments`` (newest first) when
    the caller has read them already."""
    day = day or today_in_kazakhstan()
    assessments = risk_assessments(inmate) if assessments is None else assessments
    return next((a for a in assessments if a.assessed_on <= day), None)


def record_incident(inmate: Inmate, occurred_on: date, summary: str,
                    today: date | None = None) -> SeriousIncident:
    """A serious incident: the person's assessment is due again (R27)."""
    today = today or today_in_kazakhstan()
    refuse("occurred_on", plausible.event_day(occurred_on, today))
    check_not_in_future("occurred_on", occurred_on, today)
    row = SeriousIncident(inmate_id=inmate.id, occurred_on=occurred_on, summary=summary)
    db.session.add(row)
    db.session.flush()
    return row


def incidents(inmate: Inmate) -> list[SeriousIncident]:
    return list(db.session.scalars(
        sa.select(SeriousIncident).where(SeriousIncident.inmate_id == inmate.id)
        .order_by(SeriousIncident.occurred_on.desc(), SeriousIncident.id.desc())))


def _who() -> str:
    """The user recording an assessment, as its author."""
    if has_request_context() and current_user.is_authenticated:
        return current_user.full_name or current_user.email
    return current_actor()[1]


@dataclass(frozen=True)
class DueAssessment:
    """A person whose risk-and-needs assessment is overdue (R27), and why."""

    inmate_id: int
    name: str
    file_number: str
    due_on: date
    why: Any  # a lazy string


DUE_WHY = {
    "first": _l("no assessment since admission"),
    "review": _l("the periodic review is due"),
    "incident": _l("a serious incident was recorded after the last assessment"),
}


def overdue_assessments(institution_id: int, today: date | None = None) -> list[DueAssessment]:
    """R27: the convicted persons held at the institution whose assessment is overdue: none
    within the set days of admission (or conviction, if later), a review past the set
    months, or a serious incident after the latest one. Shown to officers; R1's count never
    reads it."""
    today = today or today_in_kazakhstan()
    law = settings_for(today.year).law
    latest = (sa.select(RiskAssessment.inmate_id,
                        sa.func.max(RiskAssessment.assessed_on).label("on"))
              .where(RiskAssessment.assessed_on <= today)
              .group_by(RiskAssessment.inmate_id).subquery())
    incident = (sa.select(SeriousIncident.inmate_id,
                          sa.func.max(SeriousIncident.occurred_on).label("on"))
                .where(SeriousIncident.occurred_on <= today)
                .group_by(SeriousIncident.inmate_id).subquery())
    rows = db.session.execute(
        sa.select(Inmate, latest.c.on, incident.c.on)
        .outerjoin(latest, latest.c.inmate_id == Inmate.id)
        .outerjoin(incident, incident.c.inmate_id == Inmate.id)
        .where(Inmate.institution_id == institution_id, Inmate.status == CustodyStatus.HELD,
               Inmate.convicted_on.is_not(None), Inmate.convicted_on <= today)
        .order_by(Inmate.last_name, Inmate.first_name, Inmate.id))
    found = []
    for inmate, assessed, happened in rows:
        due = _due(inmate, assessed, happened, law.risk_assessment_days,
                   law.risk_review_months)
        if _overdue(due, today):
            found.append(DueAssessment(inmate.id, inmate.full_name, inmate.file_number, due[0],
                                       DUE_WHY[due[1]]))
    return found


def _due(inmate: Inmate, assessed: date | None, happened: date | None, days: int,
         months: int) -> tuple[date, str] | None:
    """(the day the assessment was due at the latest, why), or None when none is due."""
    if assessed is None:
        start = max(inmate.admission_date, inmate.convicted_on or inmate.admission_date)
        return start + timedelta(days=days), "first"
    if happened is not None and happened > assessed:
        return happened, "incident"
    return add_months(assessed, months), "review"


def _overdue(due: tuple[date, str] | None, today: date) -> bool:
    """Past its last day; after a serious incident at once (Mandela Rule 93's purpose:
    the person's treatment follows what happened)."""
    return due is not None and (due[0] < today or (due[1] == "incident" and due[0] <= today))


# --- R29: the scattered model's flag (restricted) --------------------------------------------


def flag_in_force(inmate: Inmate, day: date | None = None,
                  history: list[ScatteredFlag] | None = None) -> ScatteredFlag | None:
    """The flag in force on ``day``, of ``history`` (``flags``) when already read."""
    day = day or today_in_kazakhstan()
    history = flags(inmate) if history is None else history
    return next((flag for flag in history if flag.flagged_on <= day
                 and (flag.lifted_on is None or flag.lifted_on > day)), None)


def flags(inmate: Inmate) -> list[ScatteredFlag]:
    return list(db.session.scalars(
        sa.select(ScatteredFlag).where(ScatteredFlag.inmate_id == inmate.id)
        .order_by(ScatteredFlag.flagged_on.desc(), ScatteredFlag.id.desc())))


def show_flag(inmate: Inmate) -> dict[str, Any] | None:
    """The flag as a page or an API answer shows it, for a reader who may see it (else
    None), the showing audited: who, when, which person, where."""
    if not may_see_flag():
        return None
    history = flags(inmate)
    current = flag_in_force(inmate, history=history)
    record_view(RESTRICTED_ENTITY, current.id if current else "", inmate.institution_id,
                {"inmate_id": inmate.id, "flagged": current is not None})
    return {"flagged": current is not None, "history": history}


def set_flag(inmate: Inmate, flagged_on: date, document_ref: str = "",
             today: date | None = None) -> ScatteredFlag:
    """Flag a person under the scattered model (R29) from ``flagged_on``."""
    today = today or today_in_kazakhstan()
    refuse("flagged_on", plausible.event_day(flagged_on, today))
    check_not_in_future("flagged_on", flagged_on, today)
    if any(f.lifted_on is None or f.lifted_on > flagged_on for f in flags(inmate)):
        raise Conflict("flagged_on", _("the person is already flagged then"))
    row = ScatteredFlag(inmate_id=inmate.id, flagged_on=flagged_on, document_ref=document_ref)
    db.session.add(row)
    db.session.flush()
    return row


def lift_flag(inmate: Inmate, lifted_on: date, today: date | None = None) -> ScatteredFlag:
    """End the flag in force (not in force from ``lifted_on``)."""
    today = today or today_in_kazakhstan()
    refuse("lifted_on", plausible.event_day(lifted_on, today))
    current = next((f for f in flags(inmate) if f.lifted_on is None), None)
    if current is None:
        raise Conflict("flag", _("the person is not flagged"))
    if lifted_on <= current.flagged_on:
        raise RuleViolation("lifted_on", _("must be after the day the flag was set"))
    current.lifted_on = lifted_on
    db.session.flush()
    return current


# --- R30: court bans -------------------------------------------------------------------------


def record_ban(inmate: Inmate, trade_ids: list[int], starts_on: date, ends_on: date | None,
               decision_ref: str, notes: str = "", today: date | None = None) -> CourtBan:
    """A court's ban on the activities of ``trade_ids`` (R30), from ``starts_on`` until
    the day before ``ends_on`` (none: the whole term)."""
    today = today or today_in_kazakhstan()
    refuse("starts_on", plausible.event_day(starts_on, today))
    if ends_on is not None and ends_on <= starts_on:
        raise RuleViolation("ends_on", _("must be after the day the ban starts"))
    trades = list(db.session.scalars(sa.select(Trade).where(Trade.id.in_(trade_ids))))
    if not trade_ids or len(trades) != len(set(trade_ids)):
        raise RuleViolation("trade_ids", _("name at least one trade, each known"))
    if not decision_ref.strip():
        raise RuleViolation("decision_ref", _("give the court decision's reference"))
    row = CourtBan(inmate_id=inmate.id, starts_on=starts_on, ends_on=ends_on,
                   decision_ref=decision_ref.strip(), notes=notes)
    row.trades = trades
    db.session.add(row)
    db.session.flush()
    return row


def bans(inmate: Inmate) -> list[CourtBan]:
    return list(db.session.scalars(
        sa.select(CourtBan).where(CourtBan.inmate_id == inmate.id)
        .order_by(CourtBan.starts_on.desc(), CourtBan.id.desc())))


def ban_runs(ban: CourtBan, day: date | None = None) -> bool:
    """R30: the ban bars its trades on ``day`` (``policy.rules.r30_ban_runs``)."""
    day = day or today_in_kazakhstan()
    return r30_ban_runs(PYTHON, settings_for(day.year).law, ban.starts_on, ban.ends_on, day)


# --- what the profile shows ------------------------------------------------------------------


def assessment_due(inmate: Inmate, today: date | None = None,
                   assessments: list[RiskAssessment] | None = None,
                   incident_rows: list[SeriousIncident] | None = None) -> Any:
    """R27: why the person's assessment is overdue (a lazy string), or None. The
    person's assessments and incidents are read unless given (newest first)."""
    today = today or today_in_kazakhstan()
    if inmate.convicted_on is None or inmate.convicted_on > today:
        return None
    law = settings_for(today.year).law
    latest = latest_risk_assessment(inmate, today, assessments)
    incident_rows = incidents(inmate) if incident_rows is None else incident_rows
    happened = next((i.occurred_on for i in incident_rows if i.occurred_on <= today), None)
    due = _due(inmate, latest.assessed_on if latest else None, happened,
               law.risk_assessment_days, law.risk_review_months)
    return DUE_WHY[due[1]] if _overdue(due, today) else None


def profile_parts(inmate: Inmate) -> dict[str, Any]:
    """R27-R30 on a person's profile (page and API): the level, an overdue assessment,
    the assessments, incidents and bans; the flag only for those who may see it (audited)."""
    assessments, incident_rows = risk_assessments(inmate), incidents(inmate)
    latest = latest_risk_assessment(inmate, assessments=assessments)
    due = assessment_due(inmate, assessments=assessments, incident_rows=incident_rows)
    parts = {"risk_level": latest.level if latest else None,
             "risk_assessment_due": str(due) if due is not None else None,
             "risk_assessments": assessments, "incidents": incident_rows,
             "bans": [ban_view(ban) for ban in bans(inmate)]}
    shown = show_flag(inmate)
    if shown is not None:
        parts["scattered_flag"] = shown["flagged"]
        parts["flag_history"] = shown["history"]
    return parts


def ban_view(ban: CourtBan) -> dict[str, Any]:
    return {"id": ban.id, "trades": ban.trades, "starts_on": ban.starts_on,
            "ends_on": ban.ends_on, "decision_ref": ban.decision_ref, "notes": ban.notes,
            "runs_today": ban_runs(ban)}
