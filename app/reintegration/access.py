"""Who sees which plan and referral (R16, R21), in one place.

Institution roles see plans through their inmates' scope (app/core/auth.py);
a partner organisation's users see only referrals addressed to it whose
consent is in force and whose access period has not ended, and of them only
what ``partner_view`` puts out.
"""

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from app.core.auth import scope_clause
from app.core.vocabulary import PartnerKind, Role
from app.extensions import db
from app.inmates.models import Inmate
from app.reintegration import operations as ops
from app.reintegration.models import OutsideJob, Referral, ReleasePlan
from app.taxonomy.models import localized_name


def scoped_plans(user: Any = None) -> sa.Select[tuple[ReleasePlan]]:
    """Plans of the inmates the user may read (never for partners or employers)."""
    return (sa.select(ReleasePlan).join(Inmate, Inmate.id == ReleasePlan.inmate_id)
            .where(scope_clause(Inmate, user)))


def plan_or_404(plan_id: int) -> ReleasePlan:
    plan = db.session.scalar(scoped_plans().where(ReleasePlan.id == plan_id))
    if plan is None:
        abort(404)
    return plan


def may_change_plan(plan: ReleasePlan, user: Any = None) -> bool:
    user = user or current_user
    return user.role == Role.OFFICER and plan.inmate.institution_id == user.institution_id


def partner_referrals(day: date, user: Any = None) -> sa.Select[tuple[Referral]]:
    """The referrals a partner user may see on ``day`` (R21)."""
    return (sa.select(Referral).where(scope_clause(Referral, user), ops.partner_access(day))
            .order_by(Referral.due_on, Referral.id))


def partner_referral_or_404(referral_id: int, day: date) -> Referral:
    referral = db.session.scalar(partner_referrals(day).where(Referral.id == referral_id))
    if referral is None:
        abort(404)
    return referral


def plan_referral_or_404(plan: ReleasePlan, referral_id: int) -> Referral:
    referral = db.session.get(Referral, referral_id)
    if referral is None or referral.plan_id != plan.id:
        abort(404)
    return referral


def _message(message: Any) -> dict[str, Any]:
    return {"from_partner": message.from_partner, "text": message.text,
            "created_at": message.created_at,
            "author": message.author.full_name if message.author else None}


def _referral_fields(referral: Referral, day: date) -> dict[str, Any]:
    """What both sides see of the referral itself (schemas.ReferralFields)."""
    return {"id": referral.id, "status": referral.status, "sent_on": referral.sent_on,
            "due_on": referral.due_on, "overdue": ops.is_overdue(referral, day),
            "answered_on": referral.answered_on, "closed_on": referral.closed_on,
            "note": referral.note, "decline_reason": referral.decline_reason,
            "arranged": referral.arranged, "messages": [_message(m) for m in referral.messages],
            "interview_on": referral.interview_on, "interview_place": referral.interview_place,
            "interview_with": referral.interview_with,
            "interview_escort": referral.interview_escort}


def referral_view(referral: Referral, day: date) -> dict[str, Any]:
    """A referral as the institution (and prosecutors) see it."""
    return _referral_fields(referral, day) | {
        "plan_id": referral.plan_id, "partner": referral.partner,
        "part_kinds": [p.kind for p in referral.parts]}


def partner_view(referral: Referral, day: date) -> dict[str, Any]:
    """Everything a partner organisation receives about the person: exactly the
    fields R21 names (name, birth date, release date, destination, the parts
    referred, trades and certificates, a contact at the institution)."""
    plan = referral.plan
    inmate = plan.inmate
    officer = referral.referred_by
    return _referral_fields(referral, day) | {
        "released": plan.released_on is not None,
        "person": {
            "full_name": inmate.full_name, "birth_date": inmate.birth_date,
            "release_date": plan.released_on or inmate.release_date,
            "destination_locality": plan.destination_locality,
            "destination_region": plan.destination_region.name
            if plan.destination_region else None,
            "trades": sorted({localized_name(s.trade) for s in inmate.skills}),
            "certificates": [f"{localized_name(c.trade)} {c.number}".strip()
                             for c in inmate.certificates],
        },
        "parts": [{"id": p.id, "kind": p.kind, "status": p.status, "reason": p.reason,
                   "note": p.note, "due_on": p.due_on} for p in referral.parts],
        "contact": {"institution": inmate.institution.name,
                    "officer": officer.full_name if officer else None,
                    "email": officer.email if officer else None},
        "outcomes": [{"months": row["months"], "due_on": row["due_on"], "state": row["state"],
                      "checked_on": row["check"].checked_on if row["check"] else None,
                      "situations": row["situations"]}
                     for row in ops.outcome_grid(plan, day)] if plan.released_on else [],
    }


# Partner organisations that find people work, and so may post jobs (R22).
POSTING_KINDS = (PartnerKind.EMPLOYMENT_CENTRE, PartnerKind.AKIMAT_EMPLOYMENT)
JOB_READERS = (Role.EMPLOYER, Role.PARTNER, Role.ADMIN)


def may_post(user: Any = None) -> bool:
    """Employers, and the users of employment centres and akimats' employment
    departments."""
    user = user or current_user
    if user.role == Role.PARTNER:
        return ops.organisation_of(user).kind in POSTING_KINDS
    return user.role == Role.EMPLOYER


def poster_or_403(*, admin_reads: bool = False) -> None:
    """Only who may post jobs acts on them; an administrator may read them."""
    if not (may_post() or (admin_reads and current_user.role == Role.ADMIN)):
        abort(403)


def job_or_404(job_id: int) -> OutsideJob:
    job = db.session.scalar(scoped_jobs().where(OutsideJob.id == job_id))
    if job is None:
        abort(404)
    return job


def scoped_jobs(user: Any = None) -> sa.Select[tuple[OutsideJob]]:
    """Jobs waiting outside the user posted: a business's, an employment
    centre's; an administrator's, all (R16)."""
    return sa.select(OutsideJob).where(scope_clause(OutsideJob, user))


def poster_of(user: Any) -> dict[str, int]:
    """Who posts a job the user enters: their business or their organisation."""
    if user.role == Role.PARTNER:
        return {"partner_id": user.partner_id}
    return {"employer_id": user.employer_id}
