"""R16: officers reach their own institution only (404 elsewhere); prosecutors,
administrators and employers change nothing (403); employers read nothing."""

import pytest

from app.core.vocabulary import ConsentKind
from tests import factories
from tests.inmates.helpers import payload

API_CHANGES = [
    ("patch", "/api/inmates/{id}", {"education": "x"}),
    ("post", "/api/inmates/{id}/release", {}),
    ("post", "/api/inmates/{id}/transfer", {"institution_id": 1}),
    ("post", "/api/inmates/{id}/skills", {"trade_id": 1, "level": 1}),
    ("post", "/api/inmates/{id}/certificates", {"trade_id": 1, "issued_on": "2020-01-01"}),
    ("post", "/api/inmates/{id}/wishes", {"trade_id": 1}),
    ("post", "/api/inmates/{id}/consents", {"kind": "voluntary_work"}),
    ("post", "/api/inmates/{id}/consents/{consent}/withdraw", {}),
    ("post", "/api/inmates/{id}/assessments", {"fitness": "fit"}),
    ("post", "/api/inmates/{id}/separations", {"other_inmate_id": 1}),
]
PAGE_CHANGES = ["/inmates/{id}/edit", "/inmates/{id}/release", "/inmates/{id}/transfer",
                "/inmates/{id}/skills", "/inmates/{id}/consents", "/inmates/{id}/assessments",
                "/inmates/{id}/separations", "/inmates/{id}/consents/{consent}/withdraw",
                "/inmates/{id}/certificates", "/inmates/{id}/wishes"]


@pytest.fixture
def target(world):
    inmate = factories.inmate(world["institution"])
    consent = factories.consent(inmate, ConsentKind.VOLUNTARY_WORK)
    return {"id": inmate.id, "consent": consent.id}


@pytest.mark.parametrize(("method", "url", "body"), API_CHANGES)
def test_other_officer_gets_404_on_api(other_officer_api, target, method, url, body):
    response = getattr(other_officer_api, method)(url.format(**target), json=body)
    assert response.status_code == 404


@pytest.mark.parametrize("api", ["prosecutor_api", "admin_api", "employer_api"])
@pytest.mark.parametrize(("method", "url", "body"), API_CHANGES)
def test_non_officers_get_403_on_api_changes(request, target, api, method, url, body):
    client = request.getfixturevalue(api)
    assert getattr(client, method)(url.format(**target), json=body).status_code == 403


@pytest.mark.parametrize("api", ["prosecutor_api", "employer_api"])
def test_non_officers_cannot_create(request, world, api):
    client = request.getfixturevalue(api)
    assert client.post("/api/inmates/", json=payload()).status_code == 403


def test_employer_reads_nothing(employer_api, employer_client, target):
    assert employer_api.get(f"/api/inmates/{target['id']}").status_code == 403
    assert employer_api.get("/api/inmates/").status_code == 403
    assert employer_client.get("/inmates/").status_code == 403
    assert employer_api.get("/api/inmates/export?format=csv").status_code == 403


def test_other_officer_gets_404_on_pages(other_officer_client, target):
    assert other_officer_client.get(f"/inmates/{target['id']}").status_code == 404
    for url in PAGE_CHANGES:
        assert other_officer_client.post(url.format(**target), data={}).status_code == 404


def test_other_officer_list_and_export_exclude(other_officer_api, target):
    assert other_officer_api.get("/api/inmates/").json["total"] == 0
    export = other_officer_api.get("/api/inmates/export?format=csv").data.decode("utf-8-sig")
    assert len(export.strip().splitlines()) == 1  # the header only


@pytest.mark.parametrize("client", ["prosecutor_client", "employer_client"])
def test_non_officers_get_403_on_page_changes(request, target, client):
    browser = request.getfixturevalue(client)
    for url in [*PAGE_CHANGES, "/inmates/new", "/inmates/import"]:
        assert browser.post(url.format(**target), data={}).status_code == 403


def test_prosecutor_reads_profile_page_without_actions(prosecutor_client, target):
    response = prosecutor_client.get(f"/inmates/{target['id']}")
    assert response.status_code == 200
    assert b"Edit the record" not in response.data


def test_anonymous_is_sent_away(client, target):
    assert client.get("/api/inmates/").status_code == 401
    assert client.get("/inmates/").status_code == 302


def test_non_numeric_ids_are_404(officer_client):
    assert officer_client.get("/inmates/abc").status_code == 404
    assert officer_client.post("/inmates/abc/skills").status_code == 404
