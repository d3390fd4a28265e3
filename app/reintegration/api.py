"""The release and reintegration JSON API: release plans for institutions,
referrals for partner organisations (R21), oversight for prosecutors and akimats.
The same operations and scope as the pages; the request commits once."""

from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.core.api import Blueprint
from app.core.auth import READERS, roles_required, scope_clause
from app.core.errors import RuleViolation
from app.core.vocabulary import Role
from app.extensions import db
from app.inmates.models import Inmate
from app.reintegration import access, outside_jobs
from app.reintegration import operations as ops
from app.reintegration.models import OutsideJob, ReleasePlan
from app.reintegration.oversight import may_oversee, oversight, trends
from app.reintegration.schemas import (
    ArrangedInSchema,
    DeclineInSchema,
    InterviewInSchema,
    JobAnswerInSchema,
    MessageInSchema,
    OpenPlanInSchema,
    OutcomeInSchema,
    OutsideJobInSchema,
    OutsideJobPatchSchema,
    OutsideJobSchema,
    OversightArgsSchema,
    OversightSchema,
    PartInSchema,
    PartnerReferralSchema,
    PartSchema,
    PlanFilterSchema,
    PlanInSchema,
    PlanSchema,
    ReferInSchema,
    ReferralSchema,
    ReintegrationTrendArgsSchema,
    ReintegrationTrendsSchema,
    ReleaseOutcomeSchema,
    ShortProfileSchema,
)
from policy.clock import today_in_kazakhstan

plans_api = Blueprint("release_plans_api", __name__, url_prefix="/api/release-plans",
                      description="Release plans (R20) and referrals to partners (R21)")
partner_api = Blueprint("partner_api", __name__, url_prefix="/api/partner/referrals",
                        description="A partner organisation's referrals: only what R21 allows")
oversight_api = Blueprint("reintegration_monitoring_api", __name__,
                          url_prefix="/api/monitoring/reintegration",
                          description="Release and reintegration figures on any day")

OVERSEERS = (Role.PROSECUTOR, Role.ADMIN, Role.PARTNER)


# --- release plans (institutions) ---------------------------------------------------------

@plans_api.get("")
@roles_required(*READERS)
@plans_api.arguments(PlanFilterSchema, location="query")
@plans_api.response(200, PlanSchema(many=True))
def list_plans(args: dict[str, Any]):
    query = access.scoped_plans().order_by(Inmate.release_date, ReleasePlan.id)
    if args["released"] is not None:
        released = ReleasePlan.released_on.is_not(None)
        query = query.where(released if args["released"] else sa.not_(released))
    plans = db.session.scalars(query.limit(1000)).all()
    return [p for p in plans if not args["open_parts"] or not p.complete]


@plans_api.post("")
@roles_required(Role.OFFICER)
@plans_api.arguments(OpenPlanInSchema)
@plans_api.response(201, PlanSchema)
def open_plan(values: dict[str, Any]):
    """Open a plan by hand, before the automatic opening (R20)."""
    inmate = db.session.scalar(sa.select(Inmate).where(Inmate.id == values["inmate_id"],
                                                       scope_clause(Inmate)))
    if inmate is None:
        raise RuleViolation("inmate_id", _("no such inmate in your institution"))
    return ops.open_plan(inmate, today_in_kazakhstan())


@plans_api.get("/<int:plan_id>")
@roles_required(*READERS)
@plans_api.response(200, PlanSchema)
def get_plan(plan_id: int):
    return access.plan_or_404(plan_id)


def _changeable(plan_id: int) -> ReleasePlan:
    plan = access.plan_or_404(plan_id)
    if not access.may_change_plan(plan):
        abort(403)
    return plan


@plans_api.patch("/<int:plan_id>")
@roles_required(Role.OFFICER)
@plans_api.arguments(PlanInSchema)
@plans_api.response(200, PlanSchema)
def update_plan(values: dict[str, Any], plan_id: int):
    return ops.update_plan(_changeable(plan_id), values)


@plans_api.patch("/<int:plan_id>/parts/<int:part_id>")
@roles_required(Role.OFFICER)
@plans_api.arguments(PartInSchema)
@plans_api.response(200, PartSchema)
def update_part(values: dict[str, Any], plan_id: int, part_id: int):
    part = ops.find_part(_changeable(plan_id), part_id)
    if part is None:
        abort(404)
    return ops.update_part(part, values, today_in_kazakhstan())


@plans_api.get("/<int:plan_id>/referrals")
@roles_required(*READERS)
@plans_api.response(200, ReferralSchema(many=True))
def plan_referrals(plan_id: int):
    plan = access.plan_or_404(plan_id)
    return [access.referral_view(r, today_in_kazakhstan()) for r in ops.referrals_of(plan)]


@plans_api.post("/<int:plan_id>/referrals")
@roles_required(Role.OFFICER)
@plans_api.arguments(ReferInSchema)
@plans_api.response(201, ReferralSchema)
def refer(values: dict[str, Any], plan_id: int):
    """Refer parts to a partner of the destination region; needs the inmate's
    consent to share in force (R21)."""
    referral = ops.refer(_changeable(plan_id), values, current_user, today_in_kazakhstan())
    return access.referral_view(referral, today_in_kazakhstan())


@plans_api.post("/<int:plan_id>/referrals/<int:referral_id>/messages")
@roles_required(Role.OFFICER)
@plans_api.arguments(MessageInSchema)
@plans_api.response(201, ReferralSchema)
def answer(values: dict[str, Any], plan_id: int, referral_id: int):
    referral = access.plan_referral_or_404(_changeable(plan_id), referral_id)
    ops.ask(referral, current_user, values["text"])
    return access.referral_view(referral, today_in_kazakhstan())


@plans_api.get("/<int:plan_id>/outcomes")
@roles_required(*READERS)
@plans_api.response(200, ReleaseOutcomeSchema(many=True))
def plan_outcomes(plan_id: int):
    return _outcomes(access.plan_or_404(plan_id))


def _outcomes(plan: ReleasePlan) -> list[dict[str, Any]]:
    return [row | {"checked_on": row["check"].checked_on if row["check"] else None}
            for row in ops.outcome_grid(plan, today_in_kazakhstan())]


# --- partner organisations (R21) ----------------------------------------------------------

@partner_api.get("")
@roles_required(Role.PARTNER)
@partner_api.response(200, PartnerReferralSchema(many=True))
def worklist():
    today = today_in_kazakhstan()
    return [access.partner_view(r, today)
            for r in db.session.scalars(access.partner_referrals(today))]


@partner_api.get("/<int:referral_id>")
@roles_required(Role.PARTNER)
@partner_api.response(200, PartnerReferralSchema)
def get_referral(referral_id: int):
    today = today_in_kazakhstan()
    return access.partner_view(access.partner_referral_or_404(referral_id, today), today)


def _partner_action(referral_id: int, action) -> dict[str, Any]:
    today = today_in_kazakhstan()
    referral = access.partner_referral_or_404(referral_id, today)
    action(referral, today)
    return access.partner_view(referral, today)


@partner_api.post("/<int:referral_id>/accept")
@roles_required(Role.PARTNER)
@partner_api.response(200, PartnerReferralSchema)
def accept(referral_id: int):
    return _partner_action(referral_id, ops.accept)


@partner_api.post("/<int:referral_id>/decline")
@roles_required(Role.PARTNER)
@partner_api.arguments(DeclineInSchema)
@partner_api.response(200, PartnerReferralSchema)
def decline(values: dict[str, Any], referral_id: int):
    return _partner_action(referral_id, lambda r, day: ops.decline(r, values["reason"], day))


@partner_api.post("/<int:referral_id>/arranged")
@roles_required(Role.PARTNER)
@partner_api.arguments(ArrangedInSchema)
@partner_api.response(200, PartnerReferralSchema)
def arranged(values: dict[str, Any], referral_id: int):
    """Record what was arranged per referred part; ``close`` ends the referral."""
    return _partner_action(referral_id, lambda r, day: ops.record_arranged(r, values, day))


@partner_api.post("/<int:referral_id>/interview")
@roles_required(Role.PARTNER)
@partner_api.arguments(InterviewInSchema)
@partner_api.response(200, PartnerReferralSchema)
def interview(values: dict[str, Any], referral_id: int):
    """Record the interview arranged (local time, place, who meets the person, and
    who escorts a person still in custody on that day: required then); the
    institution sees it on the plan."""
    return _partner_action(referral_id, lambda r, day: ops.record_interview(r, values, day))


@partner_api.post("/<int:referral_id>/questions")
@roles_required(Role.PARTNER)
@partner_api.arguments(MessageInSchema)
@partner_api.response(201, PartnerReferralSchema)
def ask(values: dict[str, Any], referral_id: int):
    return _partner_action(referral_id,
                           lambda r, day: ops.ask(r, current_user, values["text"]))


@partner_api.post("/<int:referral_id>/outcomes")
@roles_required(Role.PARTNER)
@partner_api.arguments(OutcomeInSchema)
@partner_api.response(201, PartnerReferralSchema)
def record_outcome(values: dict[str, Any], referral_id: int):
    """The situation 1, 3, 6 or 12 months after release, when known (R23)."""
    return _partner_action(referral_id, lambda r, day: ops.record_outcome(
        r.plan, values, r.partner_id, day))


# --- oversight ----------------------------------------------------------------------------

@oversight_api.get("")
@roles_required(*OVERSEERS)
@oversight_api.arguments(OversightArgsSchema, location="query")
@oversight_api.response(200, OversightSchema)
def figures(args: dict[str, Any]):
    """By institution on any day: releases, plans complete at release, job or
    housing arranged, open plans complete that day, overdue referrals, outcomes."""
    if not may_oversee(current_user):
        abort(403)
    return oversight(current_user, args["day"], args["start"], args["region_id"])


@oversight_api.get("/trends")
@roles_required(*OVERSEERS)
@oversight_api.arguments(ReintegrationTrendArgsSchema, location="query")
@oversight_api.response(200, ReintegrationTrendsSchema)
def trend(args: dict[str, Any]):
    """Month by month: releases with a complete plan, with a job or housing
    arranged, open referrals overdue, employed and housed at 6 and 12 months
    against the baselines; each month as known on its last day."""
    if not may_oversee(current_user):
        abort(403)
    return trends(current_user, today_in_kazakhstan(), args["region_id"], args["months"])


# --- jobs waiting outside (R22) -----------------------------------------------------------

jobs_api = Blueprint("outside_jobs_api", __name__, url_prefix="/api/outside-jobs",
                     description="Jobs in a town open to people leaving prison (R22)")


@jobs_api.get("")
@roles_required(*access.JOB_READERS)
@jobs_api.response(200, OutsideJobSchema(many=True))
def list_jobs():
    """The jobs the user posted (an administrator: all)."""
    access.poster_or_403(admin_reads=True)
    return db.session.scalars(access.scoped_jobs().order_by(OutsideJob.id)).all()


@jobs_api.post("")
@roles_required(Role.EMPLOYER, Role.PARTNER)
@jobs_api.arguments(OutsideJobInSchema)
@jobs_api.response(201, OutsideJobSchema)
def post_job(values: dict[str, Any]):
    """A job in a town open to people leaving prison, posted by a business or
    an employment centre."""
    access.poster_or_403()
    return outside_jobs.post_job(values, today_in_kazakhstan(), **access.poster_of(current_user))


@jobs_api.get("/<int:job_id>")
@roles_required(*access.JOB_READERS)
@jobs_api.response(200, OutsideJobSchema)
def get_job(job_id: int):
    access.poster_or_403(admin_reads=True)
    return access.job_or_404(job_id)


@jobs_api.patch("/<int:job_id>")
@roles_required(Role.EMPLOYER, Role.PARTNER)
@jobs_api.arguments(OutsideJobPatchSchema)
@jobs_api.response(200, OutsideJobSchema)
def edit_job(changes: dict[str, Any], job_id: int):
    """Change an open job (only the fields sent), checked as when posted; positions
    never below the offers made. A closed job: 409."""
    access.poster_or_403()
    return outside_jobs.edit_job(access.job_or_404(job_id), changes, today_in_kazakhstan())


@jobs_api.post("/<int:job_id>/close")
@roles_required(Role.EMPLOYER, Role.PARTNER)
@jobs_api.response(200, OutsideJobSchema)
def close_job(job_id: int):
    """Close for good: nobody more is proposed, pending candidates get no answer;
    a person offered the job keeps the plan's job part. Already closed: 409."""
    access.poster_or_403()
    return outside_jobs.close_job(access.job_or_404(job_id))


@jobs_api.get("/<int:job_id>/candidates")
@roles_required(*access.JOB_READERS)
@jobs_api.response(200, ShortProfileSchema(many=True))
def candidates(job_id: int):
    """People due for release proposed by the engine, as short profiles (with consent)."""
    access.poster_or_403(admin_reads=True)
    return outside_jobs.candidates_of(access.job_or_404(job_id), today_in_kazakhstan())


@jobs_api.post("/<int:job_id>/candidates/<int:plan_id>/answer")
@roles_required(Role.EMPLOYER, Role.PARTNER)
@jobs_api.arguments(JobAnswerInSchema)
@jobs_api.response(200, ShortProfileSchema)
def answer_candidate(values: dict[str, Any], job_id: int, plan_id: int):
    """Interview, offer or no (with its reason); an offer fills the release plan's job
    part."""
    access.poster_or_403()
    record = outside_jobs.answer(access.job_or_404(job_id), plan_id, values["answer"],
                                 today_in_kazakhstan(), reason=values["reason"])
    return outside_jobs.short_profile(record.plan, record.answer)
