"""Jobs waiting outside (R22): employers and employment centres post jobs in a
town open to people leaving prison; the matching engine's solver proposes people
due for release to them (destination region, job starting on or after release,
certificate when required, skills), each proposal with its reasons; the poster
sees a short profile, only with consent (R21), and answers interview / offer /
no; an offer fills the plan's job part, arranged once the person agrees."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import sqlalchemy as sa
from flask_babel import gettext as _

from app.core.errors import Conflict, RuleViolation
from app.core.vocabulary import CustodyStatus, PartStatus, PlanPartKind
from app.extensions import db
from app.inmates.models import Certificate, Inmate, InmateSkill
from app.inmates.operations import add_months
from app.institutions.models import Region
from app.reintegration import operations as ops
from app.reintegration.models import JobAnswer, OutsideJob, PlanPart, ReleasePlan
from app.taxonomy.models import Trade, localized_name
from matching import Instance, solve

ANSWERS = ("interview", "offer", "no")
HORIZON_MONTHS = 6  # people due for release within these months are proposed
SCORE_SKILL, SCORE_CERTIFICATE, SCORE_OPEN_JOB_PART = 3, 2, 1


def post_job(values: dict[str, Any], today: date, *, employer_id: int | None = None,
             partner_id: int | None = None) -> OutsideJob:
    """A job posted by a business (``employer_id``) or an employment centre
    (``partner_id``)."""
    _check(values, today)
    job = OutsideJob(employer_id=employer_id, partner_id=partner_id, **values)
    db.session.add(job)
    db.session.flush()
    return job


def _check(values: dict[str, Any], today: date, job: OutsideJob | None = None) -> None:
    """The rules of the values given, when a job is posted or ``job`` changed.
    A start date already past is kept on a change, never set anew."""
    if "region_id" in values and db.session.get(Region, values["region_id"]) is None:
        raise RuleViolation("region_id", _("is not a known region"))
    if "trade_id" in values and db.session.get(Trade, values["trade_id"]) is None:
        raise RuleViolation("trade_id", _("is not a known trade"))
    start = values.get("start_date")
    if start is not None and start < today and (job is None or start != job.start_date):
        raise RuleViolation("start_date", _("cannot be before today"))


def refuse_if_closed(job: OutsideJob) -> None:
    if not job.open:
        raise Conflict("open", _("the job is closed"))


def offers_made(job: OutsideJob) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(
        JobAnswer.job_id == job.id, JobAnswer.answer == "offer")) or 0


def edit_job(job: OutsideJob, changes: dict[str, Any], today: date) -> OutsideJob:
    """Change an open job; the next proposals follow the new values. Positions
    never drop below the offers already made (those people keep their job)."""
    refuse_if_closed(job)
    _check(changes, today, job)
    offers = offers_made(job)
    if changes.get("positions", job.positions) < offers:
        raise RuleViolation("positions", _(
            "cannot be fewer than the offers already made (%(num)s)", num=offers))
    for name, value in changes.items():
        setattr(job, name, value)
    db.session.flush()
    return job


def closing_summary(job: OutsideJob, today: date) -> dict[str, list[str]]:
    """Who closing ``job`` concerns: people proposed or invited to an interview
    (no answer follows), and people offered the job (they keep it)."""
    found = candidates_of(job, today)
    return {"pending": [c["full_name"] for c in found if c["answer"] in (None, "interview")],
            "offered": [c["full_name"] for c in found if c["answer"] == "offer"]}


def close_job(job: OutsideJob) -> OutsideJob:
    """Close for good (R19: the job and its answers are kept): nobody more is
    proposed or answered for; an offer made stays, and with it the plan's job part."""
    refuse_if_closed(job)
    job.open = False
    db.session.flush()
    return job


def _candidates(region_ids: set[int], today: date) -> list[ReleasePlan]:
    """Plans of held people due for release soon, with consent to share (R21)."""
    horizon = add_months(today, HORIZON_MONTHS)
    plans = db.session.scalars(
        sa.select(ReleasePlan).join(Inmate, Inmate.id == ReleasePlan.inmate_id).where(
            ReleasePlan.released_on.is_(None), Inmate.status == CustodyStatus.HELD,
            Inmate.release_date >= today, Inmate.release_date <= horizon,
            ReleasePlan.destination_region_id.in_(region_ids))
        .order_by(ReleasePlan.id)).all()
    return [p for p in plans if ops.share_consent_on(p.inmate_id, today) is not None]


@dataclass(frozen=True)
class Fit:
    """Why a person may be proposed to a job, and how well they fit: the
    reasons are codes named in labels.FIT_LABELS."""

    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Proposal:
    plan: ReleasePlan
    fit: Fit


def _pair_fit(job: OutsideJob, plan: ReleasePlan, skills: set[tuple[int, int]],
              certificates: set[tuple[int, int]]) -> Fit | None:
    """None when R22 bars the pair, else the fit and its reasons."""
    inmate = plan.inmate
    if plan.destination_region_id != job.region_id or job.start_date < inmate.release_date:
        return None
    has_certificate = (inmate.id, job.trade_id) in certificates
    if job.certificate_required and not has_certificate:
        return None
    has_skill = (inmate.id, job.trade_id) in skills
    job_part_open = any(p.kind == PlanPartKind.JOB and p.status in (
        PartStatus.NEEDED, PartStatus.IN_PROGRESS) for p in plan.parts)
    reasons = ("destination_region", "starts_after_release",
               *(["skill"] if has_skill else []), *(["certificate"] if has_certificate else []),
               *(["job_part_open"] if job_part_open else []))
    return Fit(1 + SCORE_SKILL * has_skill + SCORE_CERTIFICATE * has_certificate
               + SCORE_OPEN_JOB_PART * job_part_open, reasons)


def proposals(today: date) -> dict[int, list[ReleasePlan]]:
    """Per open job, the people the solver proposes (see ``proposals_with_fit``)."""
    return {job_id: [p.plan for p in found]
            for job_id, found in proposals_with_fit(today).items()}


def proposals_with_fit(today: date) -> dict[int, list[Proposal]]:
    """Per open job, the people the solver proposes with the reasons: the most
    people placed, then the best fit, each person to one job, never over a job's
    free positions."""
    jobs = db.session.scalars(sa.select(OutsideJob).where(
        OutsideJob.open, OutsideJob.start_date >= today).order_by(OutsideJob.id)).all()
    if not jobs:
        return {}
    answered = db.session.execute(sa.select(JobAnswer.job_id, JobAnswer.plan_id,
                                            JobAnswer.answer)).all()
    offers = {job_id: 0 for job_id in (j.id for j in jobs)}
    decided = set()  # people already answered for, or offered a job anywhere
    for job_id, plan_id, answer in answered:
        if answer == "offer":
            offers[job_id] = offers.get(job_id, 0) + 1
            decided.add(plan_id)
    plans = [p for p in _candidates({j.region_id for j in jobs}, today) if p.id not in decided]
    inmate_ids = [p.inmate_id for p in plans]
    skills = set(db.session.execute(sa.select(InmateSkill.inmate_id, InmateSkill.trade_id)
                                    .where(InmateSkill.inmate_id.in_(inmate_ids))).tuples())
    certificates = set(db.session.execute(sa.select(Certificate.inmate_id, Certificate.trade_id)
                                          .where(Certificate.inmate_id.in_(inmate_ids))).tuples())
    refused = {(job_id, plan_id) for job_id, plan_id, answer in answered if answer == "no"}
    fits = {(c, p): fit for c, plan in enumerate(plans) for p, job in enumerate(jobs)
            if (job.id, plan.id) not in refused
            and (fit := _pair_fit(job, plan, skills, certificates)) is not None}
    if not fits:
        return {job.id: [] for job in jobs}
    cand, pos, score = (np.array(column, dtype=np.int64) for column in zip(
        *((c, p, fit.score) for (c, p), fit in fits.items()), strict=True))
    instance = Instance.from_arrays(
        [str(p.id) for p in plans], [str(j.id) for j in jobs],
        [max(j.positions - offers.get(j.id, 0), 0) for j in jobs], cand, pos, score)
    candidate = {str(p.id): c for c, p in enumerate(plans)}
    position = {str(j.id): p for p, j in enumerate(jobs)}
    result: dict[int, list[Proposal]] = {job.id: [] for job in jobs}
    for plan_id, job_id in solve(instance).assignments():
        c, p = candidate[plan_id], position[job_id]
        result[int(job_id)].append(Proposal(plans[c], fits[(c, p)]))
    return result


def offered_status(part: PlanPart) -> PartStatus:
    """The job part's status after an offer: arranged only with the person's own
    agreement; otherwise in progress (a part already decided keeps its status)."""
    if part.agreement == "agreed":
        return PartStatus.ARRANGED
    if part.status in (PartStatus.NEEDED, PartStatus.IN_PROGRESS):
        return PartStatus.IN_PROGRESS
    return part.status


def short_profile(plan: ReleasePlan, answer: str | None) -> dict[str, Any]:
    """What an employer sees of a proposed person (R22, with consent): name,
    trades, certificates and the month of release."""
    inmate = plan.inmate
    return {"plan_id": plan.id, "full_name": inmate.full_name,
            "trades": sorted({localized_name(s.trade) for s in inmate.skills}),
            "certificates": sorted({localized_name(c.trade) for c in inmate.certificates}),
            "release_month": inmate.release_date.replace(day=1), "answer": answer}


def candidates_of(job: OutsideJob, today: date) -> list[dict[str, Any]]:
    """The people proposed to ``job`` and those already answered for it (while
    their consent lasts)."""
    answers = {a.plan_id: a for a in db.session.scalars(
        sa.select(JobAnswer).where(JobAnswer.job_id == job.id))}
    proposed = {p.id: p for p in proposals(today).get(job.id, [])}
    proposed |= {a.plan_id: a.plan for a in answers.values() if a.answer != "no"}
    return [short_profile(plan, answers[plan.id].answer if plan.id in answers else None)
            for plan in proposed.values()
            if ops.share_consent_on(plan.inmate_id, today) is not None]


def answer(job: OutsideJob, plan_id: int, value: str, today: date,
           reason: str = "") -> JobAnswer:
    """Interview, offer or no (with the reason, which the officer reads); an offer
    fills the plan's job part: arranged when the person has agreed, else in progress
    until the institution records the person's answer. A closed job takes no more
    answers."""
    refuse_if_closed(job)
    if value not in ANSWERS:
        raise RuleViolation("answer", _("must be interview, offer or no"))
    if plan_id not in {c["plan_id"] for c in candidates_of(job, today)}:
        raise RuleViolation("plan_id", _("this person is not proposed for the job"),
                            rule="R22")
    record = db.session.scalar(sa.select(JobAnswer).where(
        JobAnswer.job_id == job.id, JobAnswer.plan_id == plan_id))
    if record is not None and record.answer in ("offer", "no"):
        raise Conflict("answer", _("already answered"))
    if value == "no" and len(reason.strip()) < 3:
        raise RuleViolation("reason", _("say why not: the institution reads it and can help "
                                        "the person"))
    plan = db.session.get(ReleasePlan, plan_id)
    job_part = next(p for p in plan.parts if p.kind == PlanPartKind.JOB)
    if record is None:
        record = JobAnswer(job=job, plan=plan,
                           answered_on=today, answer=value)
        db.session.add(record)
    record.answer, record.answered_on = value, today
    record.reason = reason.strip() if value == "no" else ""
    if value == "offer":
        ops.update_part(job_part, {"status": offered_status(job_part),
                                   "note": f"{job.title}, {job.poster}, {job.locality}"},
                        today)
    db.session.flush()
    return record
