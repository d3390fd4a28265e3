"""Who may see and change applications: the officer of the person's institution
records and acts; prosecutors read their region's; another institution's officer
finds nothing (404); employers and partners are refused (403)."""

import io

import pytest

from app.applications.models import Application
from app.extensions import db
from tests.applications.conftest import apply_for
from tests.conftest import login
from tests.factories import ApiClient


def test_the_officer_records_an_application_through_the_api(scene, api):
    response = api("officer").post("/api/applications", json={
        "inmate_id": scene.people[0].id, "kind": "course", "target_id": scene.course.id})
    assert response.status_code == 201, response.json
    assert response.json["state"] == "received" and response.json["channel"] == "paper"


def test_bad_input_names_the_field(scene, api):
    response = api("officer").post("/api/applications", json={
        "inmate_id": scene.people[0].id, "kind": "job", "target_id": scene.course.id})
    assert response.status_code == 422 and "kind" in response.json["errors"]


def test_another_institutions_officer_finds_nothing(scene, api):
    application = apply_for(scene.people[0], scene.vacancy)
    other = api("other_officer")
    assert other.get(f"/api/applications/{application.id}").status_code == 404
    assert other.post(f"/api/applications/{application.id}/withdraw",
                      json={}).status_code == 404
    assert other.get("/api/applications").json == []
    assert other.post("/api/applications", json={
        "inmate_id": scene.people[0].id, "kind": "vacancy",
        "target_id": scene.vacancy.id}).status_code == 404
    assert other.get(f"/api/applications/waiting-list?target=course:{scene.course.id}"
                     ).status_code == 404


@pytest.mark.parametrize("who", ["employer_user", "partner"])
def test_employers_and_partners_are_refused(app, scene, api, partner_user, who):
    application = apply_for(scene.people[0], scene.vacancy)
    client = ApiClient(app, partner_user) if who == "partner" else api(who)
    for url in ("/api/applications", f"/api/applications/{application.id}",
                "/api/applications/oversight"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/api/applications/{application.id}/withdraw",
                       json={}).status_code == 403


def test_prosecutors_read_their_region_only_and_never_write(scene, api):
    application = apply_for(scene.people[0], scene.vacancy)
    assert api("prosecutor").get(f"/api/applications/{application.id}").status_code == 200
    assert api("other_prosecutor").get(
        f"/api/applications/{application.id}").status_code == 404
    assert api("prosecutor").post(f"/api/applications/{application.id}/withdraw",
                                  json={}).status_code == 403


def test_the_officer_records_a_paper_with_its_scan_on_the_page(app, scene):
    client = app.test_client()
    login(client, scene.officer)
    person = scene.people[0]
    response = client.post(f"/applications/inmates/{person.id}", data={
        "target": f"course:{scene.course.id}", "received_on": "",
        "scan": (io.BytesIO(b"%PDF-1.4 the paper"), "application.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.data
    application = db.session.query(Application).one()
    assert application.scan_filename == "application.pdf"
    scan = client.get(f"/applications/{application.id}/scan")
    assert scan.status_code == 200 and scan.data.startswith(b"%PDF")
    other = app.test_client()
    login(other, scene.world["other_officer"])
    assert other.get(f"/applications/{application.id}/scan").status_code == 404


def test_a_scan_that_is_not_a_pdf_or_image_is_refused_on_the_form(app, scene):
    client = app.test_client()
    login(client, scene.officer)
    response = client.post(f"/applications/inmates/{scene.people[0].id}", data={
        "target": f"course:{scene.course.id}",
        "scan": (io.BytesIO(b"MZ executable"), "paper.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert db.session.query(Application).count() == 0


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_officers_pages_in_every_language(app, scene, language):
    apply_for(scene.people[0], scene.vacancy)
    client = app.test_client()
    login(client, scene.officer)
    client.set_cookie("lang", language)
    for url in ("/applications/", f"/applications/inmates/{scene.people[0].id}",
                f"/applications/waiting/course/{scene.course.id}",
                f"/inmates/{scene.people[0].id}"):
        assert client.get(url).status_code == 200, url


def test_the_prosecutors_page(app, scene):
    apply_for(scene.people[0], scene.vacancy, days_ago=40)
    client = app.test_client()
    login(client, scene.world["prosecutor"])
    page = client.get("/monitoring/applications")
    assert page.status_code == 200 and b"late-answers" in page.data
    officer = app.test_client()
    login(officer, scene.officer)
    assert officer.get("/monitoring/applications").status_code == 403


def test_employers_and_partners_get_no_page(app, scene, partner_user):
    application = apply_for(scene.people[0], scene.vacancy)
    for user in (scene.world["employer_user"], partner_user):
        client = app.test_client()
        login(client, user)
        for url in ("/applications/", f"/applications/inmates/{scene.people[0].id}",
                    f"/applications/{application.id}/scan", "/monitoring/applications"):
            assert client.get(url).status_code == 403, url


def test_the_scan_through_the_api(app, scene, api):
    application = apply_for(scene.people[0], scene.vacancy)
    url = f"/api/applications/{application.id}/scan"
    officer = api("officer")
    refused = officer.post(url, data={"scan": (io.BytesIO(b"GIF89a"), "paper.png")},
                           content_type="multipart/form-data")
    assert refused.status_code == 422 and "scan" in refused.json["errors"]
    done = officer.post(url, data={"scan": (io.BytesIO(b"\x89PNG\r\n\x1a\n"), "paper.png")},
                        content_type="multipart/form-data")
    assert done.status_code == 200 and done.json["has_scan"] is True
    assert api("other_officer").post(url, data={"scan": (io.BytesIO(b"%PDF"), "a.pdf")},
                                     content_type="multipart/form-data").status_code == 404
