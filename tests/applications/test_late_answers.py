"""Late answers (R31) shown to prosecutors with their evidence: the page
/monitoring/applications and GET /api/monitoring/late-answers, scoped to the
prosecutor's region; employers and partners are refused."""

from datetime import timedelta

import pytest

from app.extensions import db
from tests import factories
from tests.applications.conftest import apply_for
from tests.conftest import login
from tests.factories import TODAY

DAYS = 10  # the default answer days
URL = "/api/monitoring/late-answers"


@pytest.fixture
def late(scene):
    """One unanswered application past its deadline in each region."""
    home = apply_for(scene.people[0], scene.vacancy, days_ago=DAYS + 3)
    away_person = factories.inmate(scene.world["other_institution"], last_name="Away")
    db.session.commit()
    away = apply_for(away_person, scene.away_vacancy, days_ago=DAYS + 3)
    year = (TODAY - timedelta(days=2)).year  # the year of the first late day
    return {"home": home, "away": away, "year": year}


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json
    return [row["application_id"] for row in response.json]


def test_the_prosecutor_reads_the_late_answers_of_the_region_with_evidence(scene, api, late):
    response = api("prosecutor").get(URL, query_string={"year": late["year"]})
    assert _ids(response) == [late["home"].id]
    row = response.json[0]
    home = late["home"]
    assert row["received_on"] == home.received_on.isoformat()
    assert row["due_on"] == (home.received_on + timedelta(days=DAYS)).isoformat()
    assert row["answered_on"] is None and row["days_late"] == 3
    assert row["institution"] == scene.institution.code and row["state"] == "received"
    assert f"entity_id={home.id}" in row["history"] and "entity_type=Application" in row["history"]
    trail = api("prosecutor").get(row["history_api"])
    assert trail.status_code == 200 and trail.json["total"] >= 1  # the evidence is readable


def test_another_regions_prosecutor_sees_only_their_own(api, late):
    assert _ids(api("other_prosecutor").get(URL, query_string={"year": late["year"]})) == [
        late["away"].id]
    assert sorted(_ids(api("national_prosecutor").get(
        URL, query_string={"year": late["year"]}))) == sorted(
        [late["home"].id, late["away"].id])


def test_employers_partners_and_officers_are_refused(app, scene, late, partner_user):
    from tests.factories import ApiClient

    for user in (scene.world["employer_user"], partner_user, scene.officer):
        assert ApiClient(app, user).get(URL).status_code == 403
    assert app.test_client().get(URL).status_code == 401


def test_a_bad_year_names_the_field(api):
    response = api("prosecutor").get(URL, query_string={"year": "soon"})
    assert response.status_code == 422 and "year" in str(response.json["errors"])


def test_the_page_lists_the_regions_late_answers_with_the_history_link(app, scene, late):
    pages = {}
    for who in ("prosecutor", "other_prosecutor"):
        client = app.test_client()
        login(client, scene.world[who])
        page = client.get("/monitoring/applications", query_string={"year": late["year"]})
        assert page.status_code == 200
        pages[who] = page.get_data(as_text=True)
    home_link = f"entity_id={late['home'].id}"
    assert home_link in pages["prosecutor"] and scene.people[0].last_name in pages["prosecutor"]
    assert home_link not in pages["other_prosecutor"]
    assert "Person0" not in pages["other_prosecutor"]
    assert f"entity_id={late['away'].id}" in pages["other_prosecutor"]


def test_a_bad_year_on_the_page_is_no_server_error(app, scene):
    client = app.test_client()
    login(client, scene.world["prosecutor"])
    assert client.get("/monitoring/applications?year=soon").status_code in (400, 422)
