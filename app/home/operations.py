"""The figures of an officer's home page, for one institution on one day."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import defer

from app.auth.models import User
from app.core.audit import AuditEvent
from app.core.vocabulary import EnrolmentStatus, FindingStatus, ProposalStatus, Role
from app.extensions import db
from app.inmates.models import Inmate
from app.inmates.security import DueAssessment, overdue_assessments
from app.institutions.models import Institution
from app.monitoring.models import Finding
from app.monitoring.rates import Rate, rate_of
from app.placements.models import MatchRun, Placement, Proposal
from app.placements.queries import (
    held_inmate_ids,
    open_placements,
    published_vacancy_ids,
    taken_positions,
)
from app.training.models import Enrolment
from app.vacancies.models import Vacancy
from policy.clock import today_in_kazakhstan

RELEASE_HORIZON_DAYS = 90


@dataclass
class OfficerDashboard:
    day: date
    r1: Rate  # the same figures the prosecutors see (app/monitoring/rates.py)
    open_positions: int = 0
    releases_unprepared: list[Inmate] = field(default_factory=list)
    last_run: MatchRun | None = None
    last_run_pending: int = 0  # proposals of the last run still to decide
    findings: list[Finding] = field(default_factory=list)
    employer_changes: list[AuditEvent] = field(default_factory=list)
    # R27: assessments overdue (never part of R1's figures above)
    overdue_assessments: list[DueAssessment] = field(default_factory=list)


def officer_dashboard(institution_id: int, day: date | None = None) -> OfficerDashboard:
    day = day or today_in_kazakhstan()
    board = OfficerDashboard(day=day, r1=rate_of(db.get_or_404(Institution, institution_id), day))
    board.open_positions = open_positions(institution_id, day)
    board.releases_unprepared = releases_without_course_or_job(institution_id, day)
    board.last_run = db.session.scalar(
        sa.select(MatchRun).options(defer(MatchRun.input_snapshot))
        .where(MatchRun.institution_id == institution_id).order_by(MatchRun.id.desc()).limit(1))
    if board.last_run is not None:
        board.last_run_pending = db.session.scalar(sa.select(sa.func.count()).where(
            Proposal.run_id == board.last_run.id, Proposal.status == ProposalStatus.PENDING))
    board.findings = list(db.session.scalars(sa.select(Finding).where(
        Finding.institution_id == institution_id, Finding.status == FindingStatus.OPEN)
        .order_by(Finding.created_at.desc())))
    board.employer_changes = employer_changes(institution_id)
    board.overdue_assessments = overdue_assessments(institution_id, day)
    return board


def open_positions(institution_id: int, day: date) -> int:
    """Free positions of the institution's published vacancies (R11 count)."""
    taken = taken_positions(day).subquery()
    free = Vacancy.positions - sa.func.coalesce(taken.c.taken, 0)
    return int(db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(sa.case((free > 0, free), else_=0)), 0))
        .select_from(Vacancy).outerjoin(taken, taken.c.vacancy_id == Vacancy.id)
        .where(Vacancy.id.in_(published_vacancy_ids(institution_id, day)))
    ))


def releases_without_course_or_job(institution_id: int, day: date,
                                   horizon: int = RELEASE_HORIZON_DAYS) -> list[Inmate]:
    """Held inmates released within ``horizon`` days who hold no placement and
    followed or follow no course: the ones leaving with nothing."""
    placed = sa.exists().where(Placement.inmate_id == Inmate.id, open_placements(day))
    trained = sa.exists().where(Enrolment.inmate_id == Inmate.id,
                                Enrolment.status != EnrolmentStatus.DROPPED)
    return list(db.session.scalars(
        sa.select(Inmate).where(
            Inmate.id.in_(held_inmate_ids(institution_id, day)),
            Inmate.release_date >= day,
            Inmate.release_date <= day + timedelta(days=horizon),
            sa.not_(placed), sa.not_(trained))
        .order_by(Inmate.release_date, Inmate.last_name)
    ))


def employer_changes(institution_id: int, limit: int = 10) -> list[AuditEvent]:
    """The latest changes employers' users made to the institution's vacancies and
    placements (from the audit trail, R18)."""
    employer_users = sa.select(User.id).where(User.role == Role.EMPLOYER)
    return list(db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.institution_id == institution_id,
            AuditEvent.entity_type.in_(("Vacancy", "Placement")),
            AuditEvent.actor_id.in_(employer_users))
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(limit)
    ))
