"""Release, transfer, health, consents, separation, skills, certificates and wishes."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.core.vocabulary import (
    ConsentKind,
    CustodyStatus,
    EmployerKind,
    EndReason,
    Fitness,
    Sex,
)
from app.extensions import db
from app.inmates.models import CustodyPeriod, Inmate, SeparationLink
from app.placements.models import Placement
from tests import factories
from tests.inmates.helpers import TODAY


def _fresh(model, object_id):
    db.session.expire_all()
    return db.session.get(model, object_id)


@pytest.fixture
def working(world):
    """An inmate working for a private company and for the institution itself."""
    home = world["institution"]
    inmate = factories.inmate(home, file_number="W-1")
    private = factories.vacancy(world["employer"], home, weekly_hours=20, monthly_wage=50_000)
    own = factories.vacancy(factories.employer(EmployerKind.INSTITUTION, bin_iin=None), home,
                            weekly_hours=20, monthly_wage=50_000, heavy_or_hazardous=True)
    return {
        "inmate": inmate,
        "private": factories.placement(inmate, private, paid=True),
        "own": factories.placement(inmate, own, paid=True),
    }


def test_release_ends_placements_and_custody(officer_api, working):
    inmate = working["inmate"]
    response = officer_api.post(f"/api/inmates/{inmate.id}/release",
                                json={"released_on": TODAY.isoformat()})
    assert response.status_code == 200, response.json
    inmate = _fresh(Inmate, inmate.id)
    assert (inmate.status, inmate.left_on) == (CustodyStatus.RELEASED, TODAY)
    period = db.session.scalar(sa.select(CustodyPeriod).where(CustodyPeriod.inmate_id == inmate.id))
    assert (period.ended_on, period.end_reason) == (TODAY, CustodyStatus.RELEASED)
    for key in ("private", "own"):
        placement = db.session.get(Placement, working[key].id)
        assert (placement.end_date, placement.end_reason) == (TODAY, EndReason.RELEASED)
    again = officer_api.post(f"/api/inmates/{inmate.id}/release", json={})
    assert again.status_code == 409


@pytest.mark.parametrize("day", [TODAY + timedelta(days=1), date(2000, 1, 1)])
def test_release_date_must_be_sensible(officer_api, working, day):
    response = officer_api.post(f"/api/inmates/{working['inmate'].id}/release",
                                json={"released_on": day.isoformat()})
    assert response.status_code == 422 and "released_on" in response.json["errors"]


def test_transfer_moves_and_ends_placements(officer_api, working, world):
    inmate, target = working["inmate"], world["other_institution"]
    response = officer_api.post(f"/api/inmates/{inmate.id}/transfer",
                                json={"institution_id": target.id})
    assert response.status_code == 200, response.json
    inmate = _fresh(Inmate, inmate.id)
    assert inmate.institution_id == target.id and inmate.status == CustodyStatus.HELD
    periods = db.session.scalars(sa.select(CustodyPeriod).where(
        CustodyPeriod.inmate_id == inmate.id).order_by(CustodyPeriod.id)).all()
    assert [(p.institution_id, p.end_reason) for p in periods] == [
        (world["institution"].id, CustodyStatus.TRANSFERRED), (target.id, None)]
    assert db.session.get(Placement, working["private"].id).end_reason == EndReason.TRANSFERRED
    # the sending officer does not see the inmate any more
    assert officer_api.get(f"/api/inmates/{inmate.id}").status_code == 404


def test_transfer_refuses_file_number_clash(officer_api, working, world):
    factories.inmate(world["other_institution"], file_number="W-1")
    response = officer_api.post(f"/api/inmates/{working['inmate'].id}/transfer",
                                json={"institution_id": world["other_institution"].id})
    assert response.status_code == 409 and "file_number" in response.json["errors"]
    assert _fresh(Placement, working["private"].id).end_date is None


@pytest.mark.parametrize("target", ["same", 99999])
def test_transfer_refuses_bad_target(officer_api, working, world, target):
    target_id = world["institution"].id if target == "same" else target
    response = officer_api.post(f"/api/inmates/{working['inmate'].id}/transfer",
                                json={"institution_id": target_id})
    assert response.status_code == 422 and "institution_id" in response.json["errors"]


def test_page_release_and_transfer(officer_client, working, world):
    inmate = working["inmate"]
    move = {"institution_id": str(world["other_institution"].id),
            "transferred_on": TODAY.isoformat()}
    asked = officer_client.post(f"/inmates/{inmate.id}/transfer", data=move)
    # First a confirmation page naming the inmate and the placements that will end.
    assert asked.status_code == 200 and inmate.full_name in asked.text
    assert "2 placement(s) will end" in asked.text and 'name="confirmed"' in asked.text
    assert _fresh(Inmate, inmate.id).institution_id == world["institution"].id
    response = officer_client.post(f"/inmates/{inmate.id}/transfer", data=move | {
        "confirmed": "1"})
    assert response.status_code == 302
    assert _fresh(Inmate, inmate.id).institution_id == world["other_institution"].id
    other = factories.inmate(world["institution"])
    bad = officer_client.post(f"/inmates/{other.id}/release", data={"released_on": "soon"})
    assert bad.status_code == 422 and b"Not a valid date" in bad.data
    good = officer_client.post(f"/inmates/{other.id}/release",
                               data={"released_on": TODAY.isoformat(), "confirmed": "1"})
    assert good.status_code == 302
    assert _fresh(Inmate, other.id).status == CustodyStatus.RELEASED


def test_withdrawing_private_consent_ends_private_work_only(officer_api, working):
    inmate = working["inmate"]
    consent = factories.consent(inmate, ConsentKind.PRIVATE_EMPLOYER)
    response = officer_api.post(f"/api/inmates/{inmate.id}/consents/{consent.id}/withdraw",
                                json={"withdrawn_on": TODAY.isoformat()})
    assert response.status_code == 200, response.json
    assert response.json["ended_placement_ids"] == [working["private"].id]
    private = _fresh(Placement, working["private"].id)
    assert (private.end_date, private.end_reason) == (TODAY, EndReason.CONSENT_WITHDRAWN)
    assert db.session.get(Placement, working["own"].id).end_date is None
    again = officer_api.post(f"/api/inmates/{inmate.id}/consents/{consent.id}/withdraw",
                             json={})
    assert again.status_code == 409


def test_withdrawing_voluntary_consent_ends_work_in_voluntary_group(officer_api, world):
    home = world["institution"]
    pensioner = factories.inmate(home, birth_date=date(TODAY.year - 70, 1, 1))
    young = factories.inmate(home)
    vacancy = factories.vacancy(world["employer"], home)
    for person in (pensioner, young):
        factories.consent(person, ConsentKind.VOLUNTARY_WORK)
    placements = {p.id: factories.placement(p, vacancy) for p in (pensioner, young)}
    for person in (pensioner, young):
        consent = person.consents[0]
        officer_api.post(f"/api/inmates/{person.id}/consents/{consent.id}/withdraw", json={})
    db.session.expire_all()
    assert db.session.get(Placement, placements[pensioner.id].id).end_reason == \
        EndReason.CONSENT_WITHDRAWN
    assert db.session.get(Placement, placements[young.id].id).end_date is None


def test_consent_rules(officer_api, working):
    inmate = working["inmate"]
    url = f"/api/inmates/{inmate.id}/consents"
    assert officer_api.post(url, json={"kind": "private_employer"}).status_code == 201
    assert officer_api.post(url, json={"kind": "private_employer"}).status_code == 409
    assert officer_api.post(url, json={"kind": "remand_work_request"}).status_code == 422
    future = (TODAY + timedelta(days=2)).isoformat()
    response = officer_api.post(url, json={"kind": "voluntary_work", "given_on": future})
    assert response.status_code == 422 and "given_on" in response.json["errors"]
    assert officer_api.post(url, json={"kind": "forced"}).status_code == 422


def test_withdraw_before_given_is_refused(officer_api, working):
    inmate = working["inmate"]
    consent = factories.consent(inmate, ConsentKind.PRIVATE_EMPLOYER)
    response = officer_api.post(
        f"/api/inmates/{inmate.id}/consents/{consent.id}/withdraw",
        json={"withdrawn_on": (consent.given_on - timedelta(days=1)).isoformat()})
    assert response.status_code == 422 and "withdrawn_on" in response.json["errors"]


def test_page_withdraw_consent(officer_client, working):
    inmate = working["inmate"]
    consent = factories.consent(inmate, ConsentKind.PRIVATE_EMPLOYER)
    response = officer_client.post(f"/inmates/{inmate.id}/consents/{consent.id}/withdraw",
                                   data={"withdrawn_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert _fresh(Placement, working["private"].id).end_reason == EndReason.CONSENT_WITHDRAWN
    assert officer_client.post(f"/inmates/{inmate.id}/consents/9999/withdraw",
                               data={"withdrawn_on": TODAY.isoformat()}).status_code == 404


def test_assessment_history_and_r3_effects(officer_api, working):
    inmate = working["inmate"]
    url = f"/api/inmates/{inmate.id}/assessments"
    response = officer_api.post(url, json={
        "fitness": "limited", "review_date": (TODAY + timedelta(days=90)).isoformat()})
    assert response.status_code == 201
    refreshed = _fresh(Inmate, inmate.id)
    assert refreshed.fitness == Fitness.LIMITED and len(refreshed.medical_assessments) == 2
    # limited: the heavy job ends for health, the light one goes on (R3)
    assert db.session.get(Placement, working["own"].id).end_reason == EndReason.HEALTH
    assert db.session.get(Placement, working["private"].id).end_date is None
    bad = officer_api.post(url, json={"fitness": "fit",
                                      "review_date": (TODAY - timedelta(days=1)).isoformat()})
    assert bad.status_code == 422 and "review_date" in bad.json["errors"]
    older = officer_api.post(url, json={"fitness": "unfit",
                                        "assessed_on": (TODAY - timedelta(days=200)).isoformat()})
    assert older.status_code == 201
    assert _fresh(Inmate, inmate.id).fitness == Fitness.LIMITED  # an older one is history only


def test_separation_links(officer_api, world):
    home = world["institution"]
    first, second = factories.inmate(home), factories.inmate(home)
    stranger = factories.inmate(world["other_institution"])
    url = f"/api/inmates/{second.id}/separations"
    response = officer_api.post(url, json={"other_inmate_id": first.id, "reason": "feud"})
    assert response.status_code == 201
    link = db.session.scalar(sa.select(SeparationLink))
    assert (link.inmate_a_id, link.inmate_b_id) == (first.id, second.id)  # lower id first
    assert officer_api.post(f"/api/inmates/{first.id}/separations",
                            json={"other_inmate_id": second.id}).status_code == 409
    assert officer_api.post(url, json={"other_inmate_id": second.id}).status_code == 422
    assert officer_api.post(url, json={"other_inmate_id": stranger.id}).status_code == 422
    detail = officer_api.get(f"/api/inmates/{first.id}").json
    assert detail["separations"][0]["other_inmate_id"] == second.id
    assert officer_api.delete(f"{url}/{link.id}").status_code == 204
    assert officer_api.delete(f"{url}/{link.id}").status_code == 404


def test_page_separation_by_file_number(officer_client, world):
    home = world["institution"]
    first = factories.inmate(home, file_number="S-1")
    second = factories.inmate(home, file_number="S-2")
    response = officer_client.post(f"/inmates/{first.id}/separations",
                                   data={"other_file_number": "S-2", "reason": "feud"})
    assert response.status_code == 302
    missing = officer_client.post(f"/inmates/{first.id}/separations",
                                  data={"other_file_number": "nobody"})
    assert missing.status_code == 422 and b"no inmate with this file number" in missing.data
    assert b"S-1" in officer_client.get(f"/inmates/{second.id}").data


def test_skills_certificates_wishes(officer_api, world, trades):
    inmate = factories.inmate(world["institution"])
    welder = factories.trade("welder")
    base = f"/api/inmates/{inmate.id}"
    skill = officer_api.post(f"{base}/skills", json={"trade_id": welder.id, "level": 2})
    assert skill.status_code == 201 and skill.json["source"] == "declared"
    assert officer_api.post(f"{base}/skills", json={"trade_id": welder.id,
                                                    "level": 4}).status_code == 422
    assert officer_api.post(f"{base}/skills", json={"trade_id": 99999,
                                                    "level": 1}).status_code == 422
    changed = officer_api.post(f"{base}/skills", json={"trade_id": welder.id, "level": 3,
                                                       "source": "assessed"})
    assert changed.json["id"] == skill.json["id"] and changed.json["level"] == 3
    certificate = officer_api.post(f"{base}/certificates", json={
        "trade_id": welder.id, "number": "KZ-1", "issued_on": TODAY.isoformat(),
        "issuer": "College"})
    assert certificate.status_code == 201
    assert officer_api.post(f"{base}/certificates", json={
        "trade_id": welder.id, "issued_on": "2999-01-01"}).status_code == 422
    assert officer_api.post(f"{base}/wishes", json={"trade_id": welder.id}).status_code == 204
    assert officer_api.post(f"{base}/wishes", json={"trade_id": welder.id}).status_code == 409
    detail = officer_api.get(base).json
    assert [t["code"] for t in detail["trade_wishes"]] == ["welder"]
    assert detail["certificates"][0]["number"] == "KZ-1"
    assert officer_api.delete(f"{base}/skills/{skill.json['id']}").status_code == 204
    assert officer_api.delete(f"{base}/certificates/{certificate.json['id']}").status_code == 204
    assert officer_api.delete(f"{base}/wishes/{welder.id}").status_code == 204
    assert officer_api.delete(f"{base}/wishes/{welder.id}").status_code == 404
    detail = officer_api.get(base).json
    assert detail["skills"] == detail["certificates"] == detail["trade_wishes"] == []


def test_page_skill_forms(officer_client, world):
    inmate = factories.inmate(world["institution"], sex=Sex.MALE)
    welder = factories.trade("welder")
    ok = officer_client.post(f"/inmates/{inmate.id}/skills",
                             data={"trade_id": str(welder.id), "level": "2",
                                   "source": "declared"})
    assert ok.status_code == 302
    bad = officer_client.post(f"/inmates/{inmate.id}/skills",
                              data={"trade_id": "abc", "level": "9", "source": "magic"})
    assert bad.status_code == 422 and b"Not a valid integer" in bad.data
    skill_id = _fresh(Inmate, inmate.id).skills[0].id
    assert officer_client.post(f"/inmates/{inmate.id}/skills/{skill_id}/remove"
                               ).status_code == 302
    assert officer_client.post(f"/inmates/{inmate.id}/skills/{skill_id}/remove"
                               ).status_code == 404
