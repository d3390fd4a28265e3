"""An outcome after release (R23) that was recorded wrong is corrected: a new
version with its reason, the one it replaces kept and audited, and a past day's
figures still read what was known that day. Answers that contradict each other
("employed" with "lost contact") are refused."""

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.extensions import db
from app.reintegration import operations as ops
from app.reintegration.models import OutcomeCheck
from tests.conftest import login
from tests.factories import ApiClient
from tests.reintegration.conftest import TODAY, refer
from tests.reintegration.test_oversight import _figures, _released_long_ago


def _referred_and_released(scene, partner_api):
    referral = refer(scene.plan, scene.centre, scene.world["officer"])
    partner_api.post(f"/api/partner/referrals/{referral.id}/accept")
    _released_long_ago(scene, days=40)
    return referral


def test_contradictory_situations_are_refused(app, scene, partner_api):
    referral = _referred_and_released(scene, partner_api)
    for situations in (["employed", "lost_contact"], ["housed", "returned_to_custody"]):
        refused = partner_api.post(f"/api/partner/referrals/{referral.id}/outcomes",
                                   json={"months": 1, "situations": situations})
        assert refused.status_code == 422, refused.json
        assert list(refused.json["errors"]) == ["situations"]
        assert not refused.json["message"].startswith("R23")  # a partner reads words
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutcomeCheck)) == 0
    alone = partner_api.post(f"/api/partner/referrals/{referral.id}/outcomes",
                             json={"months": 1, "situations": ["lost_contact"]})
    assert alone.status_code == 201


def test_a_wrong_outcome_is_corrected_as_a_new_audited_version(app, scene, partner_api):
    referral = _referred_and_released(scene, partner_api)
    url = f"/api/partner/referrals/{referral.id}/outcomes"
    assert partner_api.post(url, json={"months": 1, "situations": ["employed"]}
                            ).status_code == 201
    again = partner_api.post(url, json={"months": 1, "situations": ["housed"]})
    assert again.status_code == 409 and list(again.json["errors"]) == ["correction_reason"]
    corrected = partner_api.post(url, json={
        "months": 1, "situations": ["housed"], "correction_reason": "mixed up two people"})
    assert corrected.status_code == 201, corrected.json
    assert corrected.json["outcomes"][0]["situations"] == ["housed"]
    versions = db.session.scalars(sa.select(OutcomeCheck).order_by(OutcomeCheck.version)).all()
    assert [(v.version, v.employed, v.housed) for v in versions] == [
        (1, True, False), (2, False, True)]
    assert versions[0].superseded_at is not None and versions[1].superseded_at is None
    assert versions[1].correction_reason == "mixed up two people"
    audited = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "OutcomeCheck")).all()
    assert {(e.action, int(e.entity_id)) for e in audited} >= {
        ("update", versions[0].id), ("create", versions[1].id)}
    officer = app.test_client()
    login(officer, scene.world["officer"])
    officer_page = officer.get(f"/release-plans/{scene.plan.id}").get_data(as_text=True)
    assert "mixed up two people" in officer_page


def test_a_past_day_reads_the_version_known_then(app, scene):
    plan = _released_long_ago(scene, days=200)
    ops.record_outcome(plan, {"months": 6, "situations": ["employed"],
                              "checked_on": TODAY - timedelta(days=12)}, None, TODAY)
    db.session.commit()
    first = db.session.scalar(sa.select(OutcomeCheck))
    first.recorded_at = datetime.combine(TODAY - timedelta(days=10), time(9))
    db.session.commit()
    ops.record_outcome(plan, {"months": 6, "situations": ["housed"],
                              "correction_reason": "was not employed"}, None, TODAY)
    db.session.commit()
    prosecutor = ApiClient(app, scene.world["prosecutor"])
    before = _figures(prosecutor, TODAY - timedelta(days=5))["total"]
    assert (before["employed_6"], before["housed_6"], before["outcomes_6_missing"]) == (1, 0, 0)
    now = _figures(prosecutor, TODAY)["total"]
    assert (now["employed_6"], now["housed_6"], now["outcomes_6_missing"]) == (0, 1, 0)


def test_the_partner_page_keeps_what_was_typed_on_a_refusal(app, scene, partner_api,
                                                            partner_client):
    referral = _referred_and_released(scene, partner_api)
    refused = partner_client.post(f"/partner/referrals/{referral.id}/outcomes", data={
        "months": "3", "situations": ["employed", "lost_contact"], "note": "called twice"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'value="employed" checked' in html and 'value="lost_contact" checked' in html
    assert "<option selected>3</option>" in html and 'value="called twice"' in html
    assert "R23" not in html


def test_the_plan_offers_a_referral_only_when_one_is_allowed(app, scene):
    officer = app.test_client()
    login(officer, scene.world["officer"])
    scene.plan.destination_region_id = scene.world["region"].id
    db.session.commit()
    allowed = officer.get(f"/release-plans/{scene.plan.id}").get_data(as_text=True)
    assert 'id="refer"' in allowed and "refer-not-allowed" not in allowed
    scene.consent.withdrawn_on = TODAY - timedelta(days=1)
    db.session.commit()
    refused = officer.get(f"/release-plans/{scene.plan.id}").get_data(as_text=True)
    assert 'id="refer"' not in refused
    assert f'href="/inmates/{scene.leaving.id}#consents"' in refused


def test_a_sentence_ending_with_a_date_has_one_full_stop_in_russian(app, scene):
    _released_long_ago(scene, days=40)
    officer = scene.world["officer"]
    officer.language = "ru"
    db.session.commit()
    client = app.test_client()
    login(client, officer)
    html = client.get(f"/release-plans/{scene.plan.id}").get_data(as_text=True)
    assert "Освобождён" in html and "г.." not in html


def test_an_outcome_is_checked_before_it_is_recorded(app, scene, partner_api, partner_client):
    """Check your answers: whose outcome, what it says and that it is corrected, never
    removed; nothing recorded until the page's button posts the same answers."""
    referral = _referred_and_released(scene, partner_api)
    url = f"/partner/referrals/{referral.id}/outcomes"
    answers = {"months": "1", "situations": ["housed", "employed"], "note": "called"}
    asked = partner_client.post(url, data=answers)
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert "Check before recording the outcome" in page
    assert scene.plan.inmate.full_name in page and "housed, employed" in page
    assert 'name="situations" value="housed"' in page and 'name="confirmed" value="1"' in page
    assert "R23" not in page  # a partner reads words
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutcomeCheck)) == 0
    done = partner_client.post(url, data=answers | {"confirmed": "1"})
    assert done.status_code == 302
    check = db.session.scalar(sa.select(OutcomeCheck))
    assert (check.housed, check.employed, check.note) == (True, True, "called")
