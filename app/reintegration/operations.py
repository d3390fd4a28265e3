"""Release plans (R20), referrals to partner organisations with consent (R21) and
outcomes after release (R23): the logic that pages, the API, the CLI and tests call.

Operations add and flush; the request (or ``with committing():``) commits.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from app.auth.models import User
from app.auth.operations import create_user
from app.core.errors import Conflict, Refusals, RuleViolation, check_all
from app.core.lawsql import SQL
from app.core.locks import lock_rows
from app.core.models import utcnow
from app.core.vocabulary import (
    OUTCOME_MONTHS,
    ConsentKind,
    CustodyStatus,
    LegalStatus,
    PartStatus,
    PlanPartKind,
    ReferralStatus,
    Role,
    Situation,
)
from app.extensions import db
from app.inmates.models import Consent, Inmate, RiskAssessment
from app.inmates.operations import add_months
from app.inmates.rules import check_not_in_future
from app.institutions.models import Region
from app.reintegration import notices
from app.reintegration.labels import SITUATION_LABELS
from app.reintegration.models import (
    OutcomeCheck,
    PartnerOrganisation,
    PlanPart,
    PlanPartChange,
    Referral,
    ReferralMessage,
    ReintegrationSettings,
    ReleasePlan,
)
from policy.rules import active_on

DEFAULT_PLAN_MONTHS = 6  # R20
DEFAULT_ACCESS_MONTHS = 12  # R21
OPEN_REFERRAL = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


# --- settings per year ---------------------------------------------------------------------

def settings_of(year: int) -> ReintegrationSettings:
    """The stored settings of ``year``, else of the latest earlier year, else the
    defaults. Never writes."""
    stored = db.session.scalar(sa.select(ReintegrationSettings).where(
        ReintegrationSettings.year <= year).order_by(ReintegrationSettings.year.desc()).limit(1))
    return ReintegrationSettings(
        year=year,
        plan_months_before_release=stored.plan_months_before_release if stored
        else DEFAULT_PLAN_MONTHS,
        partner_access_months=stored.partner_access_months if stored
        else DEFAULT_ACCESS_MONTHS)


def save_settings(year: int, values: dict[str, Any]) -> ReintegrationSettings:
    stored = db.session.get(ReintegrationSettings, year)
    if stored is None:
        stored = settings_of(year)
        db.session.add(stored)
    for key in ("plan_months_before_release", "partner_access_months"):
        if key in values:
            setattr(stored, key, values[key])
    db.session.flush()
    return stored


# --- partner organisations (administrators) ----------------------------------------------

def _regions(region_ids: Iterable[int]) -> list[Region]:
    ids = set(region_ids)
    regions = list(db.session.scalars(sa.select(Region).where(Region.id.in_(ids))))
    if not ids or len(regions) != len(ids):
        raise RuleViolation("region_ids", _("choose one or more known regions"))
    return regions


def save_partner(partner: PartnerOrganisation | None, values: dict[str, Any]
                 ) -> PartnerOrganisation:
    """Register (``partner`` None) or change a partner organisation."""
    name = values.get("name", partner.name if partner else "")
    clash = db.session.scalar(sa.select(PartnerOrganisation.id).where(
        PartnerOrganisation.name == name,
        PartnerOrganisation.id != (partner.id if partner else -1)))
    if clash is not None:
        raise Conflict("name", _("an organisation with this name exists"))
    if partner is None:
        partner = PartnerOrganisation()
        db.session.add(partner)
    for key in ("name", "kind", "locality", "contact_phone", "contact_email",
                "contact_person", "address", "active"):
        if key in values:
            setattr(partner, key, values[key])
    if "region_ids" in values:
        partner.regions = _regions(values["region_ids"])
    db.session.flush()
    return partner


def add_partner_user(partner: PartnerOrganisation, values: dict[str, Any]) -> User:
    return create_user(email=values["email"], full_name=values["full_name"],
                       password=values["password"], role=Role.PARTNER, partner_id=partner.id)


def organisation_of(user: User) -> PartnerOrganisation:
    """The partner organisation a partner user belongs to."""
    return db.session.get(PartnerOrganisation, user.partner_id)


def partners_serving(region_id: int | None) -> list[PartnerOrganisation]:
    """Active organisations that serve ``region_id`` (where referrals may go)."""
    if region_id is None:
        return []
    return list(db.session.scalars(
        sa.select(PartnerOrganisation).where(
            PartnerOrganisation.active,
            PartnerOrganisation.regions.any(Region.id == region_id))
        .order_by(PartnerOrganisation.name)))


# --- release plans (R20) ------------------------------------------------------------------

def plan_due_from(release_date: date, months: int) -> date:
    """The day from which an inmate released on ``release_date`` needs a plan."""
    return add_months(release_date, -months)


def _set_status(part: PlanPart, status: PartStatus, on: date) -> None:
    if part.status != status or not part.changes:
        part.status = status
        part.changes.append(PlanPartChange(day=on, status=status))


def open_plan(inmate: Inmate, on: date, *, automatically: bool = False) -> ReleasePlan:
    """Open ``inmate``'s release plan on ``on``: every part needed, owned by the
    institution. Refused for a remand detainee, someone not held, or twice."""
    if inmate.legal_status != LegalStatus.CONVICTED:
        raise RuleViolation("inmate_id", _("a release plan is for convicted inmates"),
                            rule="R20")
    if inmate.status != CustodyStatus.HELD:
        raise Conflict("inmate_id", _("the inmate is not held any more"))
    if plan_of(inmate.id) is not None:
        raise Conflict("inmate_id", _("this inmate already has a release plan"))
    return _new_plan(inmate, on, automatically)


def _new_plan(inmate: Inmate, on: date, automatically: bool) -> ReleasePlan:
    plan = ReleasePlan(inmate_id=inmate.id, opened_on=on, opened_automatically=automatically,
                       destination_region_id=inmate.institution.region_id)
    for position, kind in enumerate(k for k in PlanPartKind if k not in NEED_PARTS):
        part = PlanPart(kind=kind, position=position)
        plan.parts.append(part)
        _set_status(part, PartStatus.NEEDED, on)
    db.session.add(plan)
    add_parts_for_needs(plan, recorded_needs(inmate.id), on)
    db.session.flush()
    return plan


# R27: parts a plan has only when the person's risk-and-needs assessment records the need
NEED_PARTS = {PlanPartKind.SUBSTANCE_USE: "substance_use",
              PlanPartKind.DEBTS: "finance_and_debts"}


def recorded_needs(inmate_id: int) -> set[str]:
    """The needs of the person's latest risk-and-needs assessment (R27)."""
    needs = db.session.scalar(
        sa.select(RiskAssessment.needs).where(RiskAssessment.inmate_id == inmate_id)
        .order_by(RiskAssessment.assessed_on.desc(), RiskAssessment.id.desc()).limit(1))
    return set(needs or ())


def add_parts_for_needs(plan: ReleasePlan, needs: set[str], on: date) -> None:
    """The parts for substance-use treatment and debts the needs call for, if missing;
    a part once added stays (its status says whether it is still needed)."""
    have = {part.kind for part in plan.parts}
    for kind, need in NEED_PARTS.items():
        if need in needs and kind not in have:
            part = PlanPart(kind=kind, position=len(plan.parts))
            plan.parts.append(part)
            _set_status(part, PartStatus.NEEDED, on)
    db.session.flush()


def plan_of(inmate_id: int) -> ReleasePlan | None:
    return db.session.scalar(sa.select(ReleasePlan).where(ReleasePlan.inmate_id == inmate_id))


def open_due_plans(day: date, institution_id: int | None = None) -> int:
    """Open a plan for every held convicted inmate whose release falls within the
    year's months (R20) and who has none yet. Idempotent. Returns how many opened."""
    horizon = add_months(day, settings_of(day.year).plan_months_before_release)
    query = sa.select(Inmate).where(
        Inmate.status == CustodyStatus.HELD, Inmate.legal_status == LegalStatus.CONVICTED,
        Inmate.release_date.is_not(None), Inmate.release_date <= horizon,
        ~sa.exists().where(ReleasePlan.inmate_id == Inmate.id))
    if institution_id is not None:
        query = query.where(Inmate.institution_id == institution_id)
    opened = 0
    for inmate in db.session.scalars(query).all():
        open_plan(inmate, day, automatically=True)
        opened += 1
    return opened


def update_plan(plan: ReleasePlan, values: dict[str, Any]) -> ReleasePlan:
    """The destination after release: locality and region."""
    _check_not_released(plan)
    if "destination_region_id" in values and values["destination_region_id"] is not None \
            and db.session.get(Region, values["destination_region_id"]) is None:
        raise RuleViolation("destination_region_id", _("is not a known region"))
    for key in ("destination_locality", "destination_region_id"):
        if key in values:
            setattr(plan, key, values[key])
    db.session.flush()
    return plan


def _check_not_released(plan: ReleasePlan) -> None:
    if plan.released_on is not None:
        raise Conflict("plan", _("the person was released; the plan is kept as it was"))


def find_part(plan: ReleasePlan, part_id: int) -> PlanPart | None:
    return next((p for p in plan.parts if p.id == part_id), None)


# Parts whose reason is kept: why it could not be arranged, or the person's words declining.
WITH_REASON = (PartStatus.NOT_ARRANGED, PartStatus.DECLINED)


AGREEMENTS = ("", "agreed", "declined")  # not asked yet, agreed, declined with a reason


def update_part(part: PlanPart, values: dict[str, Any], on: date) -> PlanPart:
    """Set a part's status (a reason is required when it could not be arranged; the
    person's own words when they decline it, R31),
    owner (the institution, or a partner the part is referred to), due date and the
    person's agreement (a decline with the reason; a job part is arranged only with
    the person's agreement). Every refusal of the values at once."""
    _check_not_released(part.plan)
    status = values.get("status", part.status)
    reason = values.get("reason", part.reason) or ""
    agreement = values.get("agreement", part.agreement) or ""
    agreement_reason = (values.get("agreement_reason", part.agreement_reason) or "").strip()

    def status_reason() -> None:
        if status == PartStatus.NOT_ARRANGED and not reason.strip():
            raise RuleViolation("reason", _("say why it could not be arranged"), rule="R20")
        if status == PartStatus.DECLINED and not reason.strip():
            # R31: the person's own words are the record; a decline is decided, not missing
            raise RuleViolation("reason", _("write down the person's own words"), rule="R31")

    def agreement_given() -> None:
        if agreement not in AGREEMENTS:
            raise RuleViolation("agreement", _("must be agreed or declined"))
        if status == PartStatus.ARRANGED and part.kind == PlanPartKind.JOB \
                and agreement != "agreed" \
                and (part.status != PartStatus.ARRANGED or "agreement" in values):
            raise RuleViolation("agreement", _(
                "the person's own agreement is not recorded: the institution records it on "
                "the release plan before the job is marked arranged"))

    def decline_reason() -> None:
        if agreement == "declined" and not agreement_reason:
            raise RuleViolation("agreement_reason", _(
                "say why the person declined, in their own words"))

    def owner() -> None:
        if "owner_partner_id" in values:
            chosen = values["owner_partner_id"]
            if chosen is not None and chosen not in {
                    r.partner_id for r in referrals_of_part(part)}:
                raise RuleViolation("owner_partner_id",
                                    _("the part is not referred to this organisation"))

    check_all(status_reason, agreement_given, decline_reason, owner)
    if "owner_partner_id" in values:
        part.owner_partner_id = values["owner_partner_id"]
    for key in ("due_on", "note"):
        if key in values:
            setattr(part, key, values[key])
    part.reason = reason if status in WITH_REASON else ""
    part.agreement = agreement
    part.agreement_reason = agreement_reason if agreement == "declined" else ""
    _set_status(part, status, on)
    db.session.flush()
    return part


def referrals_of_part(part: PlanPart) -> list[Referral]:
    return [r for r in referrals_of(part.plan) if part in r.parts
            and r.status in (*OPEN_REFERRAL, ReferralStatus.CLOSED)]


def record_release(inmate: Inmate, on: date) -> ReleasePlan | None:
    """On release, keep the plan's state as it was that day (R20): complete or not,
    job and accommodation arranged. A convicted person released without a plan gets
    an empty one, so that the release counts as without a complete plan."""
    plan = plan_of(inmate.id)
    if plan is None:
        if inmate.legal_status != LegalStatus.CONVICTED:
            return None  # a remand detainee's release needs no plan (R20)
        plan = _new_plan(inmate, on, automatically=True)
    plan.released_on, plan.release_recorded_at = on, utcnow()
    plan.complete_at_release = plan.complete
    arranged = {p.kind for p in plan.parts if p.status == PartStatus.ARRANGED}
    plan.job_at_release = PlanPartKind.JOB in arranged
    plan.housing_at_release = PlanPartKind.ACCOMMODATION in arranged
    plan.open_parts_at_release = ",".join(p.kind.value for p in plan.open_parts)
    months = settings_of(on.year).partner_access_months
    for referral in referrals_of(plan):
        # Only a referral the partner took and closed keeps access after release; a
        # declined one ended its access the day it was declined, for good (R21).
        if referral.status == ReferralStatus.CLOSED:
            referral_access_until(referral, months)
    db.session.flush()
    return plan


def releases_with_open_parts(institution_id: int | None, day: date, horizon_days: int
                             ) -> list[tuple[Inmate, ReleasePlan | None]]:
    """Held inmates (of one institution, or all) released within ``horizon_days`` whose
    plan is missing or has open parts."""
    query = (
        sa.select(Inmate, ReleasePlan).outerjoin(ReleasePlan, ReleasePlan.inmate_id == Inmate.id)
        .where(Inmate.status == CustodyStatus.HELD, Inmate.release_date >= day,
               Inmate.release_date <= day + timedelta(days=horizon_days))
        .order_by(Inmate.release_date, Inmate.last_name, Inmate.id))
    if institution_id is not None:
        query = query.where(Inmate.institution_id == institution_id)
    rows = db.session.execute(query).all()
    return [(inmate, plan) for inmate, plan in rows if plan is None or not plan.complete]


# --- consent to share (R21) ---------------------------------------------------------------

def share_consent_on(inmate_id: int, day: date) -> Consent | None:
    """The inmate's consent to share with partner organisations in force on ``day``."""
    return db.session.scalar(sa.select(Consent).where(
        Consent.inmate_id == inmate_id, Consent.kind == ConsentKind.SHARE_WITH_PARTNERS,
        consent_in_force(day)).order_by(Consent.given_on.desc()).limit(1))


def consent_in_force(day: date) -> sa.ColumnElement[bool]:
    """"Consent in force on day D" in SQL: the policy's one definition."""
    return active_on(SQL, Consent.given_on, Consent.withdrawn_on, day)


# --- referrals (R21) ----------------------------------------------------------------------

def referrals_of(plan: ReleasePlan) -> list[Referral]:
    return list(db.session.scalars(sa.select(Referral).where(Referral.plan_id == plan.id)
                                   .order_by(Referral.id)))


def refer(plan: ReleasePlan, values: dict[str, Any], by: User | None, on: date) -> Referral:
    """Refer parts of ``plan`` to a partner organisation of the destination region,
    only with the inmate's consent to share in force (R21)."""
    _check_not_released(plan)
    consent = share_consent_on(plan.inmate_id, on)
    if consent is None:
        raise RuleViolation("partner_id", _("the inmate has not consented to sharing with "
                                            "partner organisations"), rule="R21")
    partner = db.session.get(PartnerOrganisation, values["partner_id"])
    if partner is None or not partner.active:
        raise RuleViolation("partner_id", _("is not an active partner organisation"))
    if plan.destination_region_id not in {r.id for r in partner.regions}:
        raise RuleViolation("partner_id", _("the organisation does not serve the destination "
                                            "region"), rule="R21")
    parts = [find_part(plan, part_id) for part_id in set(values["part_ids"])]
    if not parts or None in parts:
        raise RuleViolation("part_ids", _("choose one or more parts of this plan"))
    due_on = values.get("due_on") or on + timedelta(days=30)
    if due_on < on:
        raise RuleViolation("due_on", _("cannot be before today"))
    referral = Referral(plan=plan, partner=partner, consent_id=consent.id,
                        referred_by_id=by.id if by else None, sent_on=on, due_on=due_on,
                        note=values.get("note", ""), parts=parts)
    db.session.add(referral)
    db.session.flush()
    notices.referral_sent(referral)
    return referral


def _check_open(referral: Referral, *allowed: ReferralStatus) -> None:
    if referral.status not in allowed:
        raise Conflict("status", _("the referral is %(status)s", status=referral.status.value))


def accept(referral: Referral, on: date) -> Referral:
    """The partner takes the referred parts on: it owns them, in progress."""
    _check_open(referral, ReferralStatus.SENT)
    referral.status, referral.answered_on = ReferralStatus.ACCEPTED, on
    for part in referral.parts:
        part.owner_partner_id = referral.partner_id
        if part.status == PartStatus.NEEDED:
            _set_status(part, PartStatus.IN_PROGRESS, on)
    db.session.flush()
    notices.partner_acted(referral, "referral_accepted")
    return referral


def decline(referral: Referral, reason: str, on: date) -> Referral:
    """The partner declines, saying why; the parts return to the institution and
    the partner's access ends that day."""
    _check_open(referral, ReferralStatus.SENT, ReferralStatus.ACCEPTED)
    if not reason.strip():
        raise RuleViolation("reason", _("say why the referral is declined"))
    referral.status, referral.decline_reason = ReferralStatus.DECLINED, reason.strip()
    referral.answered_on = referral.answered_on or on
    referral.closed_on = referral.access_until = on
    for part in referral.parts:
        if part.owner_partner_id == referral.partner_id:
            part.owner_partner_id = None
    db.session.flush()
    notices.partner_acted(referral, "referral_declined")
    return referral


def record_arranged(referral: Referral, values: dict[str, Any], on: date) -> Referral:
    """The partner records what was arranged for each referred part (arranged, or
    could not be arranged with a reason) and may close the referral."""
    _check_open(referral, ReferralStatus.ACCEPTED)
    if referral.plan.released_on is None:  # every part's problem at once, by its place
        check_all(*(lambda index=index, item=item: _arrange_part(referral, index, item, on)
                    for index, item in enumerate(values.get("parts", []))))
    if values.get("arranged"):
        referral.arranged = values["arranged"]
    if values.get("close"):
        referral.status, referral.closed_on = ReferralStatus.CLOSED, on
        referral_access_until(referral, settings_of(on.year).partner_access_months)
    db.session.flush()
    notices.partner_acted(referral, "referral_arranged")
    return referral


def _arrange_part(referral: Referral, index: int, item: dict[str, Any], on: date) -> None:
    """One part of the arranged form; a refusal names it ``parts.<index>.<field>``."""
    part = next((p for p in referral.parts if p.id == item["part_id"]), None)
    if part is None:
        raise RuleViolation(f"parts.{index}.part_id", _("the part is not referred to you"))
    try:
        update_part(part, {"status": item["status"], "reason": item.get("reason", ""),
                           "note": item.get("note", part.note)}, on)
    except RuleViolation as refused:
        found = refused.refusals if isinstance(refused, Refusals) else [refused]
        named = [RuleViolation(f"parts.{index}.{r.field}", r.message) for r in found]
        raise named[0] if len(named) == 1 else Refusals(named) from None


def record_interview(referral: Referral, values: dict[str, Any], today: date) -> Referral:
    """The partner records the interview it arranged (when, where, who meets the
    person, and who escorts a person still in custody on that day: required then);
    the officer sees it on the plan. Recorded again, it replaces the earlier
    arrangement (both audited). Every refusal at once."""
    _check_open(referral, ReferralStatus.ACCEPTED)
    day = values["interview_on"].date()
    escort = (values.get("interview_escort") or "").strip()

    def within() -> None:
        if not referral.sent_on <= day <= today + timedelta(days=366):
            raise RuleViolation("interview_on", _(
                "must be between the day the referral was sent and a year from today"))

    def escorted() -> None:
        if in_custody_on(referral.plan, day) and not escort:
            raise RuleViolation("interview_escort", _(
                "the person is still in custody on the interview's day: say who "
                "accompanies them"))

    check_all(within, escorted)
    referral.interview_on = values["interview_on"]
    referral.interview_place = values["interview_place"]
    referral.interview_with = values["interview_with"]
    referral.interview_escort = escort
    db.session.flush()
    return referral


def in_custody_on(plan: ReleasePlan, day: date) -> bool:
    """Whether the person is still inside on ``day``: not released by then (the
    release day itself is spent outside)."""
    if plan.released_on is not None:
        return day < plan.released_on
    release = plan.inmate.release_date
    return plan.inmate.status == CustodyStatus.HELD and (release is None or day < release)


def referral_access_until(referral: Referral, months: int) -> None:
    """Access ends ``months`` after the referral closed or the person was released,
    whichever is later (R21)."""
    released = referral.plan.released_on
    start = max(referral.closed_on, released) if released else referral.closed_on
    referral.access_until = add_months(start, months)


def ask(referral: Referral, author: User, text: str) -> ReferralMessage:
    """A question (or answer) between the partner and the institution."""
    if not text.strip():
        raise RuleViolation("text", _("write the question"))
    message = ReferralMessage(referral_id=referral.id, author_id=author.id,
                              from_partner=author.role == Role.PARTNER, text=text.strip())
    db.session.add(message)
    db.session.flush()
    notices.message_sent(referral, message.from_partner)
    return message


def is_overdue(referral: Referral, day: date) -> bool:
    return referral.status in OPEN_REFERRAL and referral.due_on < day


def referral_open_on(day: date) -> sa.ColumnElement[bool]:
    """Referral sent and not yet closed on ``day``, read from its dates."""
    return sa.and_(Referral.sent_on <= day,
                   sa.or_(Referral.closed_on.is_(None), Referral.closed_on > day))


def overdue_on(day: date) -> sa.ColumnElement[bool]:
    """Referral overdue on ``day``, read from its dates so past days do not move."""
    return sa.and_(referral_open_on(day), Referral.due_on < day)


def partner_access(day: date) -> sa.ColumnElement[bool]:
    """R21: a referral a partner may still see on ``day``: the consent it was made
    under is in force that day and the access period has not ended."""
    return sa.and_(
        sa.exists().where(Consent.id == Referral.consent_id, consent_in_force(day)),
        sa.or_(Referral.access_until.is_(None), Referral.access_until > day))


# --- outcomes after release (R23) ---------------------------------------------------------

# A situation that excludes every other: nothing else is known of a person out of
# contact, and a person back in custody is not housed, employed or studying outside.
ALONE = (Situation.LOST_CONTACT, Situation.RETURNED_TO_CUSTODY)


def record_outcome(plan: ReleasePlan, values: dict[str, Any], partner_id: int | None,
                   today: date) -> OutcomeCheck:
    """Record the situation ``months`` after release, when known; never invented.
    With a ``correction_reason`` a recorded check is corrected: a new version,
    the one it replaces kept (superseded) and both audited (R18)."""
    months = values["months"]
    checked_on = values.get("checked_on") or today
    situations = set(values.get("situations", []))
    reason = (values.get("correction_reason") or "").strip()
    current = current_outcome(plan, months) if months in OUTCOME_MONTHS else None
    check_all(lambda: _check_released(plan, months),
              lambda: _check_checked_on(plan, checked_on, today),
              lambda: _check_situations(situations),
              lambda: _check_correction(current, reason))
    if current is not None:
        current.superseded_at = utcnow()
    check = OutcomeCheck(plan=plan, months=months, checked_on=checked_on,
                         recorded_by_partner_id=partner_id, note=values.get("note", ""),
                         version=current.version + 1 if current else 1,
                         correction_reason=reason if current else "",
                         **{s.value: s in situations for s in Situation})
    db.session.add(check)
    db.session.flush()
    return check


def current_outcome(plan: ReleasePlan, months: int) -> OutcomeCheck | None:
    """The check of ``months`` in force (its latest version), locked for a correction."""
    found = db.session.scalar(sa.select(OutcomeCheck.id).where(
        OutcomeCheck.plan_id == plan.id, OutcomeCheck.months == months,
        OutcomeCheck.superseded_at.is_(None)))
    return lock_rows(OutcomeCheck, [found])[0] if found is not None else None


def _check_released(plan: ReleasePlan, months: int) -> None:
    if plan.released_on is None:
        raise RuleViolation("months", _("the person has not been released yet"), rule="R23")
    if months not in OUTCOME_MONTHS:
        raise RuleViolation("months", _("must be 1, 3, 6 or 12"), rule="R23")


def _check_checked_on(plan: ReleasePlan, checked_on: date, today: date) -> None:
    check_not_in_future("checked_on", checked_on, today)
    if plan.released_on is not None and checked_on < plan.released_on:
        raise RuleViolation("checked_on", _("cannot be before the release"))


def _check_situations(situations: set[Situation]) -> None:
    if not situations:
        raise RuleViolation("situations", _("choose what is known of the situation"))
    for alone in ALONE:
        if alone in situations and len(situations) > 1:
            raise RuleViolation("situations", _(
                "“%(alone)s” cannot go with another situation: choose what is known",
                alone=SITUATION_LABELS[alone]), rule="R23")


def _check_correction(current: OutcomeCheck | None, reason: str) -> None:
    if current is not None and not reason:
        raise Conflict("correction_reason", _(
            "this check is already recorded: to correct it, say why"))
    if current is not None and len(reason) < 3:
        raise RuleViolation("correction_reason", _("say why it is corrected"))


def situations_of(check: OutcomeCheck) -> list[Situation]:
    return [s for s in Situation if getattr(check, s.value)]


def outcome_grid(plan: ReleasePlan, today: date) -> list[dict[str, Any]]:
    """Each check (1, 3, 6, 12 months): recorded, missing (due and not recorded,
    shown as such), or not yet due."""
    recorded = {c.months: c for c in db.session.scalars(
        sa.select(OutcomeCheck).where(OutcomeCheck.plan_id == plan.id,
                                      OutcomeCheck.superseded_at.is_(None)))}
    grid = []
    for months in OUTCOME_MONTHS:
        due = add_months(plan.released_on, months) if plan.released_on else None
        check = recorded.get(months)
        state = "recorded" if check else (
            "missing" if due is not None and due <= today else "not_due")
        grid.append({"months": months, "due_on": due, "state": state, "check": check,
                     "situations": situations_of(check) if check else []})
    return grid

