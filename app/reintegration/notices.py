"""What release and reintegration tell people when something happens (R20-R23); the
notices of dates that come are in deadlines.py. Partners are told only that something
concerns a referral to them (R21), officers that something concerns their
institution; no message names the person: the link leads to the page, which shows
what the reader's role may see."""

from datetime import date
from typing import Any

import sqlalchemy as sa

from app.core.vocabulary import ReferralStatus
from app.extensions import db
from app.inmates.models import Consent
from app.institutions.models import Institution
from app.notifications.messages import day_param
from app.notifications.operations import notify, officers_of, path_for, users_of_partner
from app.reintegration.models import Referral, ReleasePlan


def institution_name(plan: ReleasePlan) -> str:
    return db.session.get(Institution, plan.inmate.institution_id).name


def partner_link(referral: Referral) -> str:
    return path_for("partner.referral", referral_id=referral.id)


def plan_link(plan_id: int) -> str:
    return path_for("release_plans.plan", plan_id=plan_id)


# --- events --------------------------------------------------------------------------------

def referral_sent(referral: Referral) -> None:
    notify(users_of_partner(referral.partner_id), "referral_new",
           {"institution": institution_name(referral.plan),
            "due_on": day_param(referral.due_on)},
           link=partner_link(referral))


def partner_acted(referral: Referral, kind: str) -> None:
    """The partner accepted, declined or recorded what was arranged: the institution's
    officers are told (``kind``: referral_accepted, referral_declined, referral_arranged)."""
    notify(officers_of(referral.plan.inmate.institution_id), kind,
           {"partner": referral.partner.name}, link=plan_link(referral.plan_id))


def message_sent(referral: Referral, from_partner: bool) -> None:
    """A partner's question goes to the officers; an officer's answer to the partner."""
    if from_partner:
        partner_acted(referral, "referral_question")
    else:
        notify(users_of_partner(referral.partner_id), "referral_answered",
               {"institution": institution_name(referral.plan)},
               link=partner_link(referral))


def on_consent_withdrawn(consent: Consent, *, on: date, **_: Any) -> list:
    """The partners holding a referral made under the consent lose access that day (R21)
    and are told so, on their worklist (the referral itself answers 404 from now on).
    Answers no placement (the signal's other receiver ends those)."""
    referrals = db.session.scalars(sa.select(Referral).where(
        Referral.consent_id == consent.id, Referral.status != ReferralStatus.DECLINED,
        sa.or_(Referral.access_until.is_(None), Referral.access_until > on))).all()
    for referral in referrals:
        notify(users_of_partner(referral.partner_id), "referral_access_ended",
               {"on": day_param(on), "institution": institution_name(referral.plan)},
               link=path_for("partner.worklist"))
    return []
