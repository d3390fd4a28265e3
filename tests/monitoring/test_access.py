"""R16: prosecutors read their region only and change nothing but findings;
other roles are refused the prosecutors' pages."""

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from app.core.vocabulary import Fitness, Role
from tests import factories
from tests.conftest import login

READ_PAGES = ["/monitoring/", "/monitoring/trends", "/monitoring/violations",
              "/monitoring/report", "/monitoring/export/rates.csv",
              "/monitoring/export/violations.xlsx"]


@pytest.mark.parametrize("url", READ_PAGES)
def test_officers_and_employers_are_refused(url, officer_client, employer_client):
    assert officer_client.get(url).status_code == 403
    assert employer_client.get(url).status_code == 403


@pytest.mark.parametrize("url", ["/api/monitoring/rates", "/api/monitoring/trends",
                                 "/api/monitoring/violations"])
def test_api_refuses_officers_and_anonymous(url, app, world):
    assert app.test_client().get(url).status_code == 401
    response = app.test_client().get(url, headers=factories.bearer(world["officer"]))
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/monitoring/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.fixture
def karaganda(world, clean):
    """A violation at Karaganda's Dolinka, with an invented name to look for."""
    placement = clean(inmate={"last_name": "Zhaksybekov", "fitness": Fitness.UNFIT})
    return placement


def test_other_region_gets_404_for_karaganda_details(karaganda, world,
                                                     other_prosecutor_client):
    client = other_prosecutor_client
    home = world["institution"].id
    for url in (f"/monitoring/institutions/{home}", f"/monitoring/placements/{karaganda.id}",
                f"/monitoring/violations?institution_id={home}",
                f"/monitoring/report?region_id={world['region'].id}",
                f"/monitoring/?region_id={world['region'].id}",
                f"/api/monitoring/rates/institutions/{home}",
                f"/api/monitoring/trends?institution_id={home}",
                f"/api/monitoring/violations?institution_id={home}"):
        assert client.get(url).status_code == 404, url


def test_other_region_lists_and_exports_leave_karaganda_out(karaganda, world,
                                                            other_prosecutor_client,
                                                            prosecutor_client):
    for url in ("/monitoring/", "/monitoring/violations", "/monitoring/trends",
                "/monitoring/report", "/monitoring/audit", "/monitoring/findings",
                "/monitoring/export/rates.csv", "/monitoring/export/violations.csv",
                "/monitoring/export/audit.csv", "/api/monitoring/rates",
                "/api/monitoring/violations", "/api/monitoring/audit"):
        response = other_prosecutor_client.get(url)
        assert response.status_code == 200, url
        assert b"AK-159/20" not in response.data and b"Zhaksybekov" not in response.data, url
    own = prosecutor_client.get("/monitoring/violations")
    assert b"Zhaksybekov" in own.data and b"AK-159/20" in own.data


def test_national_prosecutor_reads_every_region(app, karaganda, world):
    client = app.test_client()
    login(client, world["national_prosecutor"])
    page = client.get("/monitoring/").data
    assert b"AK-159/20" in page and b"AP-162/3" in page
    assert client.get(f"/monitoring/placements/{karaganda.id}").status_code == 200


CHANGE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FINDINGS = {"monitoring.record_finding", "monitoring.resolve_finding",
            "monitoring_api.record_finding", "monitoring_api.resolve_finding",
            "monitoring.export_job", "planner.rank_job"}  # reads queued as jobs


def _sample(converter):
    """A value the URL converter accepts."""
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "x"


def _change_urls(app):
    """Every role-guarded change endpoint (public and own-account ones have no roles)."""
    for rule in app.url_map.iter_rules():
        methods = CHANGE_METHODS & (rule.methods or set())
        roles = getattr(app.view_functions[rule.endpoint], "allowed_roles", None)
        if not methods or roles is None or rule.endpoint in FINDINGS or set(roles) == set(Role):
            continue  # findings are the prosecutors'; one's own password is every role's
        values = {arg: _sample(rule._converters.get(arg)) for arg in rule.arguments}
        yield sorted(methods)[0], rule.build(values, append_unknown=False)[1], rule.endpoint


def test_prosecutors_get_403_on_every_change_except_findings(app, world, prosecutor_client):
    """Walks every change endpoint of the whole app (R16); the API with a bearer token."""
    token = factories.bearer(world["prosecutor"])
    checked = 0
    for method, url, endpoint in _change_urls(app):
        if url.startswith("/api/"):
            response = app.test_client().open(url, method=method, json={}, headers=token)
        else:
            response = prosecutor_client.open(url, method=method, data={})
        assert response.status_code == 403, (endpoint, url, response.status_code)
        checked += 1
    assert checked > 0
