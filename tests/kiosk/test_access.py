"""A kiosk session reaches the person's own pages and API and nothing else: no staff
page or API (every URL of the app is tried), never another person's data; its only
writes are applying, withdrawing an application and asking to withdraw a consent."""

import re

import pytest
import sqlalchemy as sa
from werkzeug.routing import IntegerConverter

from app.applications.models import Application, ApplicationState
from app.core.vocabulary import ConsentKind
from app.extensions import db
from app.inmates import operations as inmates
from app.kiosk import operations as kiosk
from app.kiosk.models import ConsentWithdrawalRequest
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.conftest import login

# The person's own pages and API: the only URLs a kiosk session may open.
PERSON_PREFIXES = ("/kiosk/", "/api/kiosk/me", "/api/kiosk/session")


def _urls(app, object_id):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        values = {}
        for argument in rule.arguments - set(rule.defaults or {}):
            converter = rule._converters[argument]
            values[argument] = object_id if isinstance(converter, IntegerConverter) else \
                sorted(getattr(converter, "items", ["zzz"]))[0]
        url = rule.build({**(rule.defaults or {}), **values}, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


@pytest.mark.parametrize("which", ["existing", "other"])
def test_no_staff_url_answers_a_kiosk_session(app, people, kiosk_client, which):
    """Every URL of the app but the person's own, with every method: a page goes back
    to the kiosk's home, the API answers 403; nothing is read or written."""
    object_id = people["bolat"].id if which == "other" else people["aidar"].id
    answered = []
    for method, url in _urls(app, object_id):
        if url.startswith(PERSON_PREFIXES):
            continue
        response = kiosk_client.open(url, method=method)
        expected = 403 if url.startswith("/api/") else 302
        location = response.headers.get("Location", "")
        if response.status_code != expected or (expected == 302 and location != "/kiosk/me"):
            answered.append((method, url, response.status_code, location))
    assert answered == []
    assert kiosk_client.get("/kiosk/me").status_code == 200  # the session is still on


def test_the_kiosk_pages_show_the_person_and_nobody_else(app, people, kiosk_client):
    aidar, bolat = people["aidar"], people["bolat"]
    for path in ("/kiosk/me", "/kiosk/me/work", "/kiosk/me/money", "/kiosk/me/applications",
                 "/kiosk/me/plan"):
        page = kiosk_client.get(path)
        assert page.status_code == 200, path
        html = page.get_data(as_text=True)
        assert aidar.file_number in html
        assert bolat.last_name not in html and "Bakery shift" not in html.split(
            'id="apply-vacancy"')[0], path
    assert "Sewing line" in kiosk_client.get("/kiosk/me/work").get_data(as_text=True)
    me = kiosk_client.get("/api/kiosk/me").json
    assert me["inmate_id"] == aidar.id and [j["title"] for j in me["jobs"]] == ["Sewing line"]
    assert {c["id"] for c in me["consents"]} == {people["consents"][aidar.id].id}


def test_kiosk_pages_link_nowhere_outside_the_kiosk(app, people, kiosk_client):
    for path in ("/kiosk/me", "/kiosk/me/work", "/kiosk/me/money", "/kiosk/me/applications",
                 "/kiosk/me/plan", "/kiosk/"):
        html = kiosk_client.get(path).get_data(as_text=True)
        targets = re.findall(r'(?:href|action)="([^"]*)"', html)
        outside = [t for t in targets if not t.startswith(("/kiosk/", "/static/"))]
        assert outside == [], (path, outside)


def test_another_persons_consent_or_application_is_refused(app, people, kiosk_client):
    bolat = people["bolat"]
    theirs = people["consents"][bolat.id]
    refused = kiosk_client.post(f"/api/kiosk/me/consents/{theirs.id}/withdrawal-request")
    assert refused.status_code == 422
    vacancy = factories.vacancy(people["employer"], people["institution"], title="Laundry")
    application = kiosk.apply_at_kiosk(bolat, "vacancy", vacancy.id)
    db.session.commit()
    refused = kiosk_client.post(f"/api/kiosk/me/applications/{application.id}/withdrawal")
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.get(Application, application.id).state == ApplicationState.RECEIVED
    assert db.session.scalar(sa.select(sa.func.count(ConsentWithdrawalRequest.id))) == 0


def test_the_person_applies_and_withdraws_at_the_kiosk(app, people, kiosk_client):
    vacancy = factories.vacancy(people["employer"], people["institution"], title="Laundry")
    page = kiosk_client.get("/kiosk/me/applications").get_data(as_text=True)
    assert "Laundry" in page
    kiosk_client.post("/kiosk/me/applications", data={"kind": "vacancy",
                                                      "target_id": vacancy.id})
    application = db.session.scalar(sa.select(Application))
    assert (application.inmate_id, application.channel.value) == (people["aidar"].id, "kiosk")
    assert application.received_on == today_in_kazakhstan()
    again = kiosk_client.post("/api/kiosk/me/applications",
                              json={"kind": "vacancy", "target_id": vacancy.id})
    assert again.status_code == 409
    done = kiosk_client.post(f"/api/kiosk/me/applications/{application.id}/withdrawal")
    assert done.status_code == 200 and done.json["state"] == "withdrawn"


def test_a_staff_caller_is_refused_the_persons_api(app, people):
    api = factories.ApiClient(app, people["officer"])
    assert api.get("/api/kiosk/me").status_code == 403
    assert app.test_client().get("/api/kiosk/me").status_code == 401
    client = app.test_client()
    login(client, people["officer"])
    assert client.get("/kiosk/me").status_code == 302


def test_a_request_to_withdraw_a_consent_waits_for_the_officer_in_writing(
        app, people, kiosk_client, officer_client):
    aidar = people["aidar"]
    consent = people["consents"][aidar.id]
    assert kiosk_client.post(f"/kiosk/me/consents/{consent.id}/withdrawal").status_code == 302
    db.session.expire_all()
    assert consent.withdrawn_on is None  # nothing withdrawn by the request itself
    plan = kiosk_client.get("/kiosk/me/plan").get_data(as_text=True)
    assert plan.count('class="asked"') == 1 and "ask-withdraw" not in plan
    again = kiosk_client.post(f"/api/kiosk/me/consents/{consent.id}/withdrawal-request")
    assert again.status_code == 409
    assert "Requests to withdraw a consent" in officer_client.get("/officer").get_data(as_text=True)
    page = officer_client.get(f"/inmates/{aidar.id}/kiosk").get_data(as_text=True)
    assert "Record the withdrawal" in page
    assert [r["consent_id"] for r in officer_client.get("/api/kiosk/requests").json] \
        == [consent.id]
    # The officer records the withdrawal in writing: the request is answered.
    inmates.withdraw_consent(consent, today_in_kazakhstan())
    db.session.commit()
    request = db.session.scalar(sa.select(ConsentWithdrawalRequest))
    assert request.closed_at is not None and request.outcome == "withdrawn"


def test_the_officer_may_keep_a_consent_with_a_note(app, people, kiosk_client, officer_client):
    aidar = people["aidar"]
    consent = people["consents"][aidar.id]
    kiosk_client.post(f"/kiosk/me/consents/{consent.id}/withdrawal")
    request = db.session.scalar(sa.select(ConsentWithdrawalRequest))
    url = f"/inmates/{aidar.id}/kiosk/requests/{request.id}/keep"
    assert officer_client.post(url, data={"note": ""}).status_code == 422
    assert officer_client.post(url, data={"note": "Changed his mind, signed"}).status_code == 302
    db.session.expire_all()
    assert request.outcome == "kept" and consent.withdrawn_on is None


def test_the_statement_in_the_persons_language_for_their_readers_only(app, people,
                                                                      officer_client):
    aidar = people["aidar"]
    kiosk.choose_language(aidar, "kk")
    db.session.commit()
    page = officer_client.get(f"/inmates/{aidar.id}/statement")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'lang="kk"' in html and "Sewing line" in html and "Omarov" not in html
    russian = officer_client.get(f"/inmates/{aidar.id}/statement?language=ru")
    assert 'class="statement" lang="ru"' in russian.get_data(as_text=True)
    assert officer_client.get(f"/inmates/{aidar.id}/statement?language=en").status_code == 404
    other = app.test_client()
    login(other, people["other_officer"])
    assert other.get(f"/inmates/{aidar.id}/statement").status_code == 404
    employer = app.test_client()
    login(employer, people["employer_user"])
    assert employer.get(f"/inmates/{aidar.id}/statement").status_code == 403


def test_the_consent_kinds_are_the_persons_to_ask_about(app, people, kiosk_client):
    """Every consent kind the person gave is listed with a way to withdraw it."""
    aidar = people["aidar"]
    factories.consent(aidar, ConsentKind.SHARE_WITH_PARTNERS)
    html = kiosk_client.get("/kiosk/me/plan").get_data(as_text=True)
    assert html.count("ask-withdraw") == 2


def test_an_answer_and_a_waiting_list_place_show_as_given(app, people, kiosk_client):
    """What a match run wrote on a paper application (its answer's text in the person's
    language, the place on the waiting list) is what the kiosk and the statement show."""
    course = factories.course(people["institution"], title="Welding course")
    application = kiosk.apply_at_kiosk(people["aidar"], "course", course.id)
    application.channel = "paper"
    application.answer_text = "Вы в очереди на курс: место 2 из 5."
    application.position, application.waiting_of = 2, 5
    db.session.commit()
    html = kiosk_client.get("/kiosk/me/applications").get_data(as_text=True)
    assert "Welding course" in html and "Вы в очереди на курс: место 2 из 5." in html
    row = kiosk_client.get("/api/kiosk/me").json["applications"][0]
    assert (row["waiting_position"], row["waiting_of"], row["may_withdraw"]) == (2, 5, True)


def test_a_waiting_answer_names_the_place_once(app, people, kiosk_client):
    """The answer "on the waiting list: position N of M" already says the place; the
    page does not say it a second time (another answer still gets the place added)."""
    from app.applications.answers import give_answer

    course = factories.course(people["institution"], title="Welding course")
    application = kiosk.apply_at_kiosk(people["aidar"], "course", course.id)
    give_answer(application, "waiting", {"position": 2, "of": 5})
    application.position, application.waiting_of = 2, 5
    db.session.commit()
    html = kiosk_client.get("/kiosk/me/applications").get_data(as_text=True)
    assert application.answer_text in html
    assert "место 2 из 5 в очереди" not in html  # the kiosk speaks the person's Russian
    application.answer_kind = "outscored"  # an answer that does not name the place
    db.session.commit()
    html = kiosk_client.get("/kiosk/me/applications").get_data(as_text=True)
    assert "место 2 из 5 в очереди" in html
