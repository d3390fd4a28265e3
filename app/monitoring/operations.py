"""Prosecutors' oversight (R16): what they may read, the findings they record
(the only thing they change) and the audit browser (R18).

The figures themselves live in rates.py (R1) and violations.py (R2–R14).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_babel import ngettext

from app.core import scans
from app.core.audit import AuditEvent
from app.core.auth import get_in_scope_or_404, scoped
from app.core.errors import Conflict, RuleViolation, check_all
from app.core.models import utcnow
from app.core.scans import Scan
from app.core.vocabulary import FindingKind, FindingStatus, Role
from app.extensions import db
from app.inmates.security import RESTRICTED_ENTITY, may_see_flag
from app.institutions.models import Institution, Region
from app.monitoring.models import Finding, FindingScan
from app.monitoring.violations import (
    CHECKS,
    Period,
    Violation,
    check_statements,
    find_violations,
    in_order,
    violation_from_json,
    violation_json,
)
from app.notifications.operations import notify, officers_of, path_for
from app.placements import kept, reconcile
from app.placements.models import Placement
from policy.clock import day_begins, today_in_kazakhstan

MAX_FINDING_TEXT = 5000


# --- Scope ---------------------------------------------------------------------------

def region_in_scope_or_404(region_id: int, user: Any) -> Region:
    """A prosecutor of a region reads only that region; national readers any."""
    region = db.session.get(Region, region_id)
    if region is None or (user.role == Role.PROSECUTOR and user.region_id not in (None,
                                                                                 region_id)):
        abort(404)
    return region


def violations_in_scope(period: Period, user: Any, rule: str | None = None,
                        institution_id: int | None = None,
                        region_id: int | None = None) -> list[Violation]:
    """Violations the user may read, optionally of one rule, institution or region
    (404 outside the user's scope), as kept per institution and period
    (``kept_violations``)."""
    institutions = scoped(Institution, user)
    if region_id is not None:
        region_in_scope_or_404(region_id, user)
        institutions = institutions.where(Institution.region_id == region_id)
    if institution_id is not None:
        get_in_scope_or_404(Institution, institution_id, user)
        institutions = institutions.where(Institution.id == institution_id)
    ids = list(db.session.scalars(institutions.with_only_columns(Institution.id)))
    return [violation for violation in kept_violations(period, ids)
            if rule in (None, violation.rule)]


def kept_violations(period: Period, institution_ids: list[int]) -> list[Violation]:
    """Every violation at the institutions in ``period``, whole (its day and why), kept
    per institution and period (app/placements/kept.py: forgotten by any write the
    checks could see), so a reader of kept ones runs no check."""
    kept_cells = kept.figures_of(
        "violations", [period.end], institution_ids,
        lambda _days, ids: violation_cells(period, ids), key=period.start.isoformat())
    return in_order([violation_from_json(found) for cell in kept_cells.values()
                     for found in cell])


def violation_cells(period: Period, ids: list[int]) -> dict[kept.Cell, list[list]]:
    """Each violation in ``period`` per institution of ``ids``, as kept figures hold them
    (``violation_json``, in order: the same violations are the same figures)."""
    found: dict[kept.Cell, list[list]] = {(period.end, i): [] for i in ids}
    for violation in find_violations(period, Placement.institution_id.in_(ids)):
        found[period.end, violation.institution_id].append(violation_json(violation))
    return found


kept.register("violations", check_statements)
reconcile.register_recompute("violations", lambda days, key, ids: {
    cell: found for day in days  # each period is its own (first day, last day)
    for cell, found in violation_cells(Period(date.fromisoformat(key), day), ids).items()})


def violations_of_placement(placement: Placement, today: date) -> list[Violation]:
    """Every rule the placement broke while it was active (until ``today``)."""
    last = min(today, placement.end_date - timedelta(days=1)) if placement.end_date else today
    period = Period(placement.start_date, max(last, placement.start_date))
    return find_violations(period, Placement.id == placement.id)


# --- Findings --------------------------------------------------------------------------

def record_finding(author: Any, *, text: str, institution_id: int | None = None,
                   placement_id: int | None = None, rule: str | None = None,
                   due_on: date | None = None, kind: FindingKind | str | None = None
                   ) -> Finding:
    """A prosecutor's finding of a ``kind`` (the act: act of response, warning, protest,
    other; required) on a violation (rule + placement) or on an institution, answered
    by the institution by ``due_on`` (when given; not a past day)."""
    if kind not in set(FindingKind):
        raise RuleViolation("kind", _("choose the kind of act"))
    if due_on is not None and due_on < today_in_kazakhstan():
        raise RuleViolation("due_on", _("must not be a day that has passed"))
    text = (text or "").strip()
    if not text:
        raise RuleViolation("text", _("is required"))
    if len(text) > MAX_FINDING_TEXT:
        raise RuleViolation("text", ngettext("must be at most %(num)d character",
                                               "must be at most %(num)d characters",
                                               MAX_FINDING_TEXT))
    if rule and rule not in CHECKS:
        raise RuleViolation("rule", _("must be one of %(rules)s", rules=", ".join(CHECKS)))
    if placement_id is not None:
        if not rule:
            raise RuleViolation("rule", _("is required for a finding on a placement"))
        institution_id = get_in_scope_or_404(Placement, placement_id, author).institution_id
    elif institution_id is None:
        raise RuleViolation("institution_id", _("is required (or a placement)"))
    else:
        get_in_scope_or_404(Institution, institution_id, author)
    finding = Finding(institution_id=institution_id, author_id=author.id, rule=rule or None,
                      placement_id=placement_id, text=text, due_on=due_on,
                      kind=FindingKind(kind))
    db.session.add(finding)
    db.session.flush()
    _tell_institution(institution_id)
    return finding


def _tell_institution(institution_id: int) -> None:
    """The institution's officers learn of a finding (its text is on the findings page)."""
    institution = db.session.get(Institution, institution_id)
    notify(officers_of(institution_id), "finding_recorded", {"institution": institution.name},
           link=path_for("monitoring.findings"))


def resolve_finding(finding: Finding, user: Any) -> None:
    """Only the prosecutor who recorded a finding marks it resolved."""
    if finding.author_id != user.id:
        abort(403)
    if finding.status == FindingStatus.RESOLVED:
        raise Conflict("status", _("the finding is already resolved"))
    finding.status = FindingStatus.RESOLVED
    finding.resolved_at = utcnow()


MAX_ANSWER_TEXT = 4000


def overdue(day: date) -> sa.ColumnElement[bool]:
    """Findings not answered by their due day (open, the day passed, no answer)."""
    return sa.and_(Finding.status == FindingStatus.OPEN, Finding.due_on < day,
                   Finding.answered_at.is_(None))


def answer_finding(finding: Finding, user: Any, text: str, scan: Scan | None) -> None:
    """The institution's answer to a finding: what was done, with the scan of the
    signed reply (what app/core/scans.py allows). Every problem at once; a new answer
    replaces the earlier one (the audit keeps both)."""
    text = (text or "").strip()
    check_all(
        lambda: _check(finding.status == FindingStatus.OPEN, "status",
                       _("the finding is already resolved")),
        lambda: _check(bool(text), "answer", _("is required")),
        lambda: _check(len(text) <= MAX_ANSWER_TEXT, "answer", _(
            "must be at most %(num)d characters", num=MAX_ANSWER_TEXT)),
        *scans.checks("scan", scan))
    finding.answer, finding.answered_at, finding.answered_by_id = text, utcnow(), user.id
    if scan is not None:
        db.session.execute(sa.delete(FindingScan).where(FindingScan.finding_id == finding.id))
        stored = FindingScan(finding_id=finding.id)
        stored.keep(scan, user.id)
        db.session.add(stored)
    db.session.flush()


def _check(ok: bool, field: str, message: str) -> None:
    if not ok:
        raise RuleViolation(field, message)


def scan_of(finding: Finding) -> FindingScan | None:
    return db.session.scalar(sa.select(FindingScan).where(FindingScan.finding_id == finding.id))


def findings_query(user: Any, *, status: FindingStatus | None = None,
                   institution_id: int | None = None, placement_id: int | None = None,
                   late: bool = False, kind: FindingKind | None = None) -> sa.Select:
    """Findings the user may read (officers: their institution's), newest first;
    ``late``: only those overdue; ``kind``: only acts of that kind."""
    query = scoped(Finding, user).order_by(Finding.created_at.desc(), Finding.id.desc())
    if late:
        query = query.where(overdue(today_in_kazakhstan()))
    if status is not None:
        query = query.where(Finding.status == status)
    if kind is not None:
        query = query.where(Finding.kind == kind)
    if institution_id is not None:
        query = query.where(Finding.institution_id == institution_id)
    if placement_id is not None:
        query = query.where(Finding.placement_id == placement_id)
    return query


# --- Audit browser ------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditFilters:
    institution_id: int | None = None
    actor: str | None = None  # part of the actor's e-mail
    actor_id: int | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    start: date | None = None
    end: date | None = None  # included


def audited_entity_types() -> list[str]:
    return sorted(m.class_.__name__ for m in db.Model.registry.mappers
                  if getattr(m.class_, "__audited__", False))


def audit_query(user: Any, filters: AuditFilters) -> sa.Select:
    """Audit entries the user may read (by institution, R16), filtered, newest first."""
    query = scoped(AuditEvent, user)
    conditions = [
        (filters.institution_id is not None, AuditEvent.institution_id == filters.institution_id),
        (bool(filters.actor), AuditEvent.actor.icontains(filters.actor or "", autoescape=True)),
        (filters.actor_id is not None, AuditEvent.actor_id == filters.actor_id),
        (bool(filters.entity_type), AuditEvent.entity_type == filters.entity_type),
        (bool(filters.entity_id), AuditEvent.entity_id == filters.entity_id),
    ]
    query = query.where(*(clause for wanted, clause in conditions if wanted))
    if not may_see_flag(user):  # R29: the flag's entries are as restricted as the flag
        query = query.where(AuditEvent.entity_type != RESTRICTED_ENTITY)
    if filters.start:  # Kazakhstan's days, as the entries' times are shown
        query = query.where(AuditEvent.occurred_at >= day_begins(filters.start))
    if filters.end:
        query = query.where(AuditEvent.occurred_at < day_begins(filters.end + timedelta(days=1)))
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def evidence_filters(placement: Placement) -> list[AuditFilters]:
    """Audit filters for the records a placement's violation rests on."""
    return [AuditFilters(entity_type="Placement", entity_id=str(placement.id)),
            AuditFilters(entity_type="Inmate", entity_id=str(placement.inmate_id)),
            AuditFilters(entity_type="Vacancy", entity_id=str(placement.vacancy_id))]


def evidence_events(placement: Placement, user: Any) -> list[AuditEvent]:
    """Audit entries of the placement, its inmate (and their consents, medical and
    risk-and-needs assessments, court bans and, for those who may see it, the scattered
    model's flag: R28-R30's evidence) and its vacancy."""
    from app.inmates.models import (
        Consent,
        CourtBan,
        MedicalAssessment,
        RiskAssessment,
        ScatteredFlag,
    )

    records = [Consent, MedicalAssessment, RiskAssessment, CourtBan]
    if may_see_flag(user):
        records.append(ScatteredFlag)
    entities = sa.or_(
        *(sa.and_(AuditEvent.entity_type == f.entity_type, AuditEvent.entity_id == f.entity_id)
          for f in evidence_filters(placement)),
        *(sa.and_(AuditEvent.entity_type == model.__name__, AuditEvent.action != "view",
                  AuditEvent.entity_id.in_(sa.select(sa.cast(model.id, sa.String)).where(
                      model.inmate_id == placement.inmate_id)))
          for model in records),
    )
    query = scoped(AuditEvent, user).where(entities).order_by(AuditEvent.occurred_at,
                                                              AuditEvent.id)
    return list(db.session.scalars(query))
