"""A scene for the release and reintegration tests: two partner organisations
(one serving Karaganda, one Pavlodar), an inmate due for release with a skill,
a certificate, a separation and consent to share, and another inmate never
referred."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from app.core.vocabulary import ConsentKind, PartnerKind, Role, SkillSource
from app.extensions import db
from app.inmates.models import Certificate, InmateSkill, SeparationLink
from app.reintegration import operations as ops
from app.reintegration.models import PartnerOrganisation
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.conftest import login
from tests.factories import ApiClient

TODAY = today_in_kazakhstan()


def partner_org(name: str, *regions, kind: PartnerKind = PartnerKind.RESOCIALISATION_CENTRE
                ) -> PartnerOrganisation:
    org = ops.save_partner(None, {"name": name, "kind": kind,
                                  "region_ids": [r.id for r in regions]})
    db.session.commit()
    return org


def refer(plan, partner, officer, parts=("job", "accommodation"), due_on=None):
    with factories.acting_as(officer):
        referral = ops.refer(plan, {
            "partner_id": partner.id, "due_on": due_on,
            "part_ids": [p.id for p in plan.parts if p.kind.value in parts],
            "note": "Please find a job"}, officer, TODAY)
        db.session.commit()
    return referral


def person_agrees(plan, officer) -> None:
    """The person said yes to the job: the officer records it on the plan's job part
    (an offer arranges the part only then)."""
    job = next(p for p in plan.parts if p.kind.value == "job")
    with factories.acting_as(officer):
        ops.update_part(job, {"agreement": "agreed"}, TODAY)
        db.session.commit()


@pytest.fixture
def scene(app, world):
    trade = factories.trade("welder")
    institution = world["institution"]
    leaving = factories.inmate(institution, last_name="Leavingov", first_name="Arman",
                               file_number="SECRET-77", notes="offence: theft",
                               release_date=TODAY + timedelta(days=60))
    other = factories.inmate(institution, last_name="Neverreferred", first_name="Bolat",
                             release_date=TODAY + timedelta(days=70))
    db.session.add_all([
        InmateSkill(inmate_id=leaving.id, trade_id=trade.id, level=2,
                    source=SkillSource.COURSE, recorded_on=TODAY - timedelta(days=20)),
        Certificate(inmate_id=leaving.id, trade_id=trade.id, number="CERT-1",
                    issued_on=TODAY - timedelta(days=20)),
        SeparationLink(inmate_a_id=min(leaving.id, other.id),
                       inmate_b_id=max(leaving.id, other.id), reason="feud",
                       created_on=TODAY - timedelta(days=5)),
    ])
    db.session.commit()
    consent = factories.consent(leaving, ConsentKind.SHARE_WITH_PARTNERS)
    factories.consent(other, ConsentKind.SHARE_WITH_PARTNERS)
    centre = partner_org("Karaganda resocialisation centre", world["region"])
    faraway = partner_org("Pavlodar resocialisation centre", world["other_region"])
    akimat = partner_org("Abay akimat employment department", world["region"],
                         kind=PartnerKind.AKIMAT_EMPLOYMENT)
    users = {}
    for key, org in (("partner", centre), ("other_partner", faraway), ("akimat_user", akimat)):
        users[key] = factories.user(Role.PARTNER, partner_id=org.id)
    with factories.acting_as(world["officer"]):
        ops.open_due_plans(TODAY)
        db.session.commit()
    plan, other_plan = ops.plan_of(leaving.id), ops.plan_of(other.id)
    return SimpleNamespace(world=world, institution=institution, leaving=leaving, other=other,
                           consent=consent, centre=centre, faraway=faraway, akimat=akimat,
                           plan=plan, other_plan=other_plan, trade=trade, **users)


@pytest.fixture
def partner_client(app, scene):
    client = app.test_client()
    login(client, scene.partner)
    return client


@pytest.fixture
def partner_api(app, scene):
    return ApiClient(app, scene.partner)
