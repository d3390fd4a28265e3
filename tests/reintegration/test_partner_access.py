"""R21: a partner organisation sees only the persons referred to it, only the
fields R21 names, and nothing once consent is withdrawn or access has ended.
Asserted on the serialised output of every partner page and API response."""

from datetime import timedelta

import pytest

from app.core.errors import RuleViolation
from app.core.vocabulary import ReferralStatus
from app.extensions import db
from app.inmates.operations import withdraw_consent
from app.reintegration import operations as ops
from app.reintegration.models import Referral
from tests import factories
from tests.conftest import login
from tests.factories import ApiClient
from tests.reintegration.conftest import TODAY, refer

# Every key a partner may ever receive (PartnerReferralSchema and its nested schemas).
ALLOWED_KEYS = {
    "id", "status", "sent_on", "due_on", "overdue", "answered_on", "closed_on", "note",
    "decline_reason", "arranged", "released", "person", "full_name", "birth_date",
    "release_date", "destination_locality", "destination_region", "trades", "certificates",
    "parts", "kind", "reason", "contact", "institution", "officer", "email", "messages",
    "from_partner", "author", "text", "created_at", "outcomes", "months", "state",
    "checked_on", "situations", "interview_on", "interview_place", "interview_with",
    "interview_escort",  # who accompanies the person to the interview the partner arranged
}
# Values that must never reach a partner: file number, offence note, regime,
# health, separation, and the person who was never referred.
FORBIDDEN_TEXT = ("SECRET-77", "theft", "medium", "fitness", "fit", "feud", "Neverreferred",
                  "regime", "disability", "pregnant", "separation")


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _assert_only_r21(body) -> None:
    assert _keys(body) <= ALLOWED_KEYS
    text = str(body)
    for forbidden in FORBIDDEN_TEXT:
        if forbidden in ("fit", "medium"):  # as whole values only
            assert f"'{forbidden}'" not in text
        else:
            assert forbidden not in text


@pytest.fixture
def referral(scene):
    return refer(scene.plan, scene.centre, scene.world["officer"])


def test_partner_api_shows_only_the_fields_r21_names(partner_api, scene, referral):
    listed = partner_api.get("/api/partner/referrals")
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json] == [referral.id]
    _assert_only_r21(listed.json)
    one = partner_api.get(f"/api/partner/referrals/{referral.id}").json
    _assert_only_r21(one)
    person = one["person"]
    assert person["full_name"].startswith("Leavingov Arman")
    assert person["birth_date"] == scene.leaving.birth_date.isoformat()
    assert person["trades"] == ["welder"] and person["certificates"] == ["welder CERT-1"]
    assert {p["kind"] for p in one["parts"]} == {"job", "accommodation"}
    assert one["contact"]["email"] == scene.world["officer"].email
    # every action's answer is the same narrow view
    for url, body in ((f"/api/partner/referrals/{referral.id}/accept", None),
                      (f"/api/partner/referrals/{referral.id}/questions", {"text": "Phone?"}),
                      (f"/api/partner/referrals/{referral.id}/arranged",
                       {"arranged": "Bed at the centre", "parts": [
                           {"part_id": referral.parts[1].id, "status": "arranged"}]})):
        response = partner_api.post(url, json=body) if body else partner_api.post(url)
        assert response.status_code in (200, 201), response.json
        _assert_only_r21(response.json)


def test_partner_pages_show_only_the_fields_r21_names(partner_client, scene, referral):
    for url in ("/partner/", f"/partner/referrals/{referral.id}"):
        response = partner_client.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "Leavingov" in html
        for forbidden in ("SECRET-77", "theft", "feud", "Neverreferred", "Regime", "Fitness"):
            assert forbidden not in html


def test_partner_never_sees_a_person_not_referred_to_it(app, scene, referral, partner_api):
    other_referral = refer(scene.other_plan, scene.akimat, scene.world["officer"])
    assert partner_api.get(f"/api/partner/referrals/{other_referral.id}").status_code == 404
    assert partner_api.post(f"/api/partner/referrals/{other_referral.id}/accept"
                            ).status_code == 404
    # the Pavlodar organisation was referred nobody
    faraway = ApiClient(app, scene.other_partner)
    assert faraway.get("/api/partner/referrals").json == []
    assert faraway.get(f"/api/partner/referrals/{referral.id}").status_code == 404
    # and partners read nothing of the institutions' records
    for url in (f"/api/inmates/{scene.leaving.id}", f"/api/release-plans/{scene.plan.id}",
                "/api/release-plans", f"/inmates/{scene.leaving.id}",
                f"/release-plans/{scene.plan.id}"):
        assert partner_api.get(url).status_code in (403, 404), url


def test_withdrawing_consent_ends_access_that_day(app, scene, referral, partner_client,
                                                  partner_api):
    assert partner_api.get(f"/api/partner/referrals/{referral.id}").status_code == 200
    with factories.acting_as(scene.world["officer"]):
        withdraw_consent(scene.consent, TODAY)
        db.session.commit()
    assert partner_api.get("/api/partner/referrals").json == []
    assert partner_api.get(f"/api/partner/referrals/{referral.id}").status_code == 404
    assert partner_client.get(f"/partner/referrals/{referral.id}").status_code == 404
    assert "Leavingov" not in partner_client.get("/partner/").get_data(as_text=True)
    # ... and nothing new can be referred without consent (R21)
    with pytest.raises(RuleViolation) as refused:
        refer(scene.plan, scene.centre, scene.world["officer"], parts=("documents",))
    assert refused.value.rule == "R21"


def test_consent_withdrawn_tomorrow_still_gives_access_today(scene, referral, partner_api):
    scene.consent.withdrawn_on = TODAY + timedelta(days=1)
    db.session.commit()
    assert partner_api.get(f"/api/partner/referrals/{referral.id}").status_code == 200


def test_access_ends_after_the_set_period(scene, referral, partner_api):
    partner_api.post(f"/api/partner/referrals/{referral.id}/accept")
    closed = partner_api.post(f"/api/partner/referrals/{referral.id}/arranged",
                              json={"arranged": "done", "close": True})
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    db.session.expire_all()
    stored = db.session.get(Referral, referral.id)
    assert stored.access_until == ops.add_months(TODAY, 12)
    assert partner_api.get(f"/api/partner/referrals/{referral.id}").status_code == 200
    stored.access_until = TODAY  # the period ends today: nothing from today on
    db.session.commit()
    assert partner_api.get(f"/api/partner/referrals/{referral.id}").status_code == 404


def test_declining_ends_access(scene, referral, partner_api):
    refused = partner_api.post(f"/api/partner/referrals/{referral.id}/decline", json={})
    assert refused.status_code == 422 and "reason" in refused.json["errors"]
    declined = partner_api.post(f"/api/partner/referrals/{referral.id}/decline",
                                json={"reason": "No places this month"})
    assert declined.status_code == 200
    db.session.expire_all()
    stored = db.session.get(Referral, referral.id)
    assert stored.status == ReferralStatus.DECLINED
    assert stored.decline_reason == "No places this month"
    assert all(p.owner_partner_id is None for p in stored.parts)
    assert partner_api.get("/api/partner/referrals").json == []


def test_a_declined_referral_does_not_come_back_at_release(scene, referral, partner_api):
    """R21: the release recomputes the access of closed referrals only; a declined one
    stays ended (it used to regain a year from the release day)."""
    declined = partner_api.post(f"/api/partner/referrals/{referral.id}/decline",
                                json={"reason": "No places this month"})
    assert declined.status_code == 200
    db.session.expire_all()
    ops.record_release(scene.leaving, TODAY + timedelta(days=3))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).access_until == TODAY
    rid = referral.id
    assert partner_api.get("/api/partner/referrals").json == []
    assert partner_api.get(f"/api/partner/referrals/{rid}").status_code == 404
    asked = partner_api.post(f"/api/partner/referrals/{rid}/questions", json={"text": "Phone?"})
    assert asked.status_code == 404


def test_partner_role_is_refused_elsewhere(app, scene):
    client = app.test_client()
    login(client, scene.partner)
    for url in ("/officer", "/admin/", "/monitoring/", "/employer/", "/inmates/"):
        assert client.get(url).status_code in (403, 404), url


def test_partner_refusal_lists_every_problem_with_links(partner_client, scene, referral):
    partner_client.post(f"/partner/referrals/{referral.id}/accept")
    part = referral.parts[0]
    response = partner_client.post(f"/partner/referrals/{referral.id}/arranged",
                                   data={f"status_{part.id}": "not_arranged"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    # the part by its name, linked to its own reason box
    assert (f'<a href="#reason_{part.id}">job after release: say why it could not be arranged'
            in summary)
    assert f'id="reason_{part.id}"' in html
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).parts[0].status != "not_arranged"
