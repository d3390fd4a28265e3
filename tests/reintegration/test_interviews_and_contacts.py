"""Officers see how to reach the partner a person is referred to (its contact person,
phone, e-mail and address); the partner records the interview it arranged (when,
where, who meets the person), every problem of the form at once, and who accompanies a person still
in custody on that day (required then), and the officer sees it on the plan."""

from datetime import timedelta

from app.extensions import db
from app.reintegration.models import Referral
from tests.conftest import login
from tests.reintegration.conftest import TODAY, refer


def _officer(app, scene):
    client = app.test_client()
    login(client, scene.world["officer"])
    return client


def test_officers_see_the_partners_contact_details_on_the_referral(app, scene):
    admin = app.test_client()
    login(admin, scene.world["admin"])
    saved = admin.post(f"/admin/partners/{scene.centre.id}", data={
        "name": scene.centre.name, "kind": scene.centre.kind.value,
        "region_ids": [scene.world["region"].id], "contact_phone": "+7 7212 00 11 22",
        "contact_person": "Сауле Омарова", "address": "Шахтинск, ул. Ленина 5"})
    assert saved.status_code == 302
    refer(scene.plan, scene.centre, scene.world["officer"])
    page = _officer(app, scene).get(f"/release-plans/{scene.plan.id}").text
    row = page.split('id="referrals"')[1].split("</table>")[0]
    for shown in ("Сауле Омарова", "+7 7212 00 11 22", "Шахтинск, ул. Ленина 5"):
        assert shown in row


def test_the_partner_records_the_interview_and_the_officer_sees_it(
        app, scene, partner_client, partner_api):
    referral = refer(scene.plan, scene.centre, scene.world["officer"])
    partner_api.post(f"/api/partner/referrals/{referral.id}/accept")
    url = f"/partner/referrals/{referral.id}/interview"

    refused = partner_client.post(url, data={"interview_on": "not a day",
                                             "interview_with": "x"})
    assert refused.status_code == 422
    summary = refused.text.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#interview-on"' in summary and 'href="#interview-place"' in summary
    assert 'value="x"' in refused.text  # kept as typed

    early = (TODAY - timedelta(days=30)).isoformat() + "T10:00"
    too_early = partner_client.post(url, data={
        "interview_on": early, "interview_place": "Centre", "interview_with": "Saule"})
    assert too_early.status_code == 422 and "the day the referral was sent" in too_early.text

    when = (TODAY + timedelta(days=10)).isoformat() + "T10:30"
    done = partner_client.post(url, data={
        "interview_on": when, "interview_place": "Шахтинск, ул. Ленина 5",
        "interview_with": "Сауле Омарова, психолог",
        "interview_escort": "капитан Ахметов, отдел ресоциализации"})
    assert done.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Referral, referral.id)
    assert stored.interview_on.isoformat().startswith(when)
    plan = _officer(app, scene).get(f"/release-plans/{scene.plan.id}").text
    row = plan.split('id="referrals"')[1].split("</table>")[0]
    assert "10:30" in row and "Сауле Омарова, психолог" in row
    assert "капитан Ахметов, отдел ресоциализации" in row
    body = partner_api.get(f"/api/partner/referrals/{referral.id}").json
    assert body["interview_place"] == "Шахтинск, ул. Ленина 5"


def test_only_an_accepted_referral_takes_an_interview(app, scene, partner_client):
    referral = refer(scene.plan, scene.centre, scene.world["officer"])
    when = (TODAY + timedelta(days=10)).isoformat() + "T10:30"
    response = partner_client.post(f"/partner/referrals/{referral.id}/interview", data={
        "interview_on": when, "interview_place": "Centre", "interview_with": "Saule"})
    assert response.status_code in (409, 422)
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).interview_on is None


def test_the_api_records_an_interview_and_names_a_bad_field(scene, partner_api):
    referral = refer(scene.plan, scene.centre, scene.world["officer"])
    partner_api.post(f"/api/partner/referrals/{referral.id}/accept")
    url = f"/api/partner/referrals/{referral.id}/interview"
    refused = partner_api.post(url, json={"interview_on": "soon", "interview_place": ""})
    assert refused.status_code == 422
    assert set(refused.json["errors"]) == {"interview_on", "interview_place", "interview_with"}
    when = (TODAY + timedelta(days=3)).isoformat() + "T09:00:00"
    done = partner_api.post(url, json={"interview_on": when, "interview_place": "Centre",
                                       "interview_with": "Saule", "interview_escort": "Officer"})
    assert done.status_code == 200 and done.json["interview_on"] == when + "+05:00"
    in_utc = (TODAY + timedelta(days=3)).isoformat() + "T04:00:00+00:00"  # the same moment
    again = partner_api.post(url, json={"interview_on": in_utc, "interview_place": "Centre",
                                        "interview_with": "Saule", "interview_escort": "Officer"})
    assert again.json["interview_on"] == when + "+05:00"  # kept on Kazakhstan's clock


def test_an_interview_while_still_in_custody_needs_an_escort(scene, partner_api,
                                                              partner_client):
    referral = refer(scene.plan, scene.centre, scene.world["officer"])
    partner_api.post(f"/api/partner/referrals/{referral.id}/accept")
    inside = (TODAY + timedelta(days=10)).isoformat() + "T09:00:00"  # release in 60 days
    body = {"interview_on": inside, "interview_place": "Centre", "interview_with": "Saule"}
    url = f"/api/partner/referrals/{referral.id}/interview"
    refused = partner_api.post(url, json=body)
    assert refused.status_code == 422 and set(refused.json["errors"]) == {"interview_escort"}
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).interview_on is None  # nothing written
    # the page names the field and keeps what was typed
    page = partner_client.post(f"/partner/referrals/{referral.id}/interview",
                               data={**body, "interview_on": inside[:16]})
    assert page.status_code == 422
    summary = page.text.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#interview-escort"' in summary and "Who accompanies the person" in summary
    assert 'value="Saule"' in page.text
    done = partner_api.post(url, json=body | {"interview_escort": "Sergeant Omarov"})
    assert done.status_code == 200 and done.json["interview_escort"] == "Sergeant Omarov"
    # on or after the release day the person goes alone: no escort needed
    release = scene.leaving.release_date.isoformat() + "T09:00:00"
    alone = partner_api.post(url, json=body | {"interview_on": release})
    assert alone.status_code == 200 and alone.json["interview_escort"] == ""


def test_the_escort_is_named_in_russian_and_kazakh(scene, partner_client):
    referral = refer(scene.plan, scene.centre, scene.world["officer"])
    partner_client.post(f"/partner/referrals/{referral.id}/accept")
    inside = (TODAY + timedelta(days=10)).isoformat() + "T09:00"
    for language, label in (("ru", "Кто сопровождает человека"), ("kk", "Адамды кім алып жүреді")):
        scene.partner.language = language
        db.session.commit()
        page = partner_client.post(f"/partner/referrals/{referral.id}/interview", data={
            "interview_on": inside, "interview_place": "Centre", "interview_with": "Saule"})
        assert page.status_code == 422
        summary = page.text.split('class="error-summary"')[1].split("</div>")[0]
        assert label in summary, summary
