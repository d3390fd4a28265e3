"""The registry list (search, filters, paging) and the profile, on pages and the API."""

from datetime import timedelta

import pytest

from app.core.vocabulary import ConsentKind, Fitness, Regime, SkillSource
from app.extensions import db
from app.inmates.models import InmateSkill
from app.placements.models import MatchRun
from tests import factories
from tests.inmates.helpers import TODAY


def _numbers(response):
    return sorted(item["file_number"] for item in response.json["items"])


@pytest.fixture
def registry(world):
    home = world["institution"]
    welder = factories.trade("welder")
    worker = factories.inmate(home, file_number="R-1", last_name="Abenov")
    factories.inmate(home, file_number="R-2", last_name="Bekov", fitness=Fitness.LIMITED,
                     release_date=TODAY + timedelta(days=40))
    skilled = factories.inmate(home, file_number="R-3", last_name="Dosov",
                               regime=Regime.MAXIMUM)
    db.session.add(InmateSkill(inmate_id=skilled.id, trade_id=welder.id, level=2,
                               source=SkillSource.DECLARED, recorded_on=TODAY))
    db.session.commit()
    vacancy = factories.vacancy(world["employer"], home, trade_id=welder.id)
    factories.placement(worker, vacancy)
    factories.inmate(world["other_institution"], file_number="R-9", last_name="Abenov")
    return {"welder": welder, "worker": worker, "skilled": skilled}


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["R-1", "R-2", "R-3"]),
    ("q=abenov", ["R-1"]),
    ("q=R-3", ["R-3"]),
    ("regime=maximum", ["R-3"]),
    ("fitness=limited", ["R-2"]),
    ("employed=true", ["R-1"]),
    ("employed=false", ["R-2", "R-3"]),
    ("release_within_months=3", ["R-2"]),
])
def test_api_filters(officer_api, registry, query, expected):
    response = officer_api.get(f"/api/inmates/?{query}")
    assert response.status_code == 200
    assert _numbers(response) == expected


def test_api_filter_by_trade(officer_api, registry):
    response = officer_api.get(f"/api/inmates/?trade_id={registry['welder'].id}")
    assert _numbers(response) == ["R-3"]


def test_api_bad_filter_is_422(officer_api, registry):
    response = officer_api.get("/api/inmates/?trade_id=abc&regime=soft")
    assert response.status_code == 422
    assert {"trade_id", "regime"} <= set(response.json["errors"])


def test_paging_50_a_page(officer_api, world):
    for n in range(55):
        factories.inmate(world["institution"], file_number=f"P-{n:03d}")
    first = officer_api.get("/api/inmates/").json
    assert (first["total"], first["pages"], len(first["items"])) == (55, 2, 50)
    second = officer_api.get("/api/inmates/?page=2").json
    assert len(second["items"]) == 5


def test_page_lists_and_filters(officer_client, registry):
    response = officer_client.get("/inmates/?q=Abenov")
    assert response.status_code == 200
    assert b"R-1" in response.data and b"R-2" not in response.data
    assert b"R-9" not in response.data  # another institution's inmate


def test_page_empty_filters_mean_any(officer_client, registry):
    """The page's own Filter button sends every field; empty ones are not errors."""
    empty = "q=&regime=&fitness=&employed=&release_within_months=&trade_id=&status=held"
    response = officer_client.get(f"/inmates/?{empty}")
    assert response.status_code == 200
    assert b"R-1" in response.data and b"R-2" in response.data
    assert b'aria-invalid="true"' not in response.data and b"error-summary" not in response.data
    wrong = officer_client.get("/inmates/?release_within_months=soon").data
    assert b'aria-invalid="true"' in wrong and b'href="#release_within_months"' in wrong


@pytest.mark.parametrize("query", [
    "page=abc", "page=-3", "trade_id=abc", "release_within_months=soon", "employed=maybe",
    "regime=ghost", "status=ghost", "page=99999",
])
def test_page_never_fails_on_bad_query(officer_client, registry, query):
    response = officer_client.get(f"/inmates/?{query}")
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["regime=%00", "q=Ab%00enov"])
def test_a_nul_character_in_the_query_is_refused_naming_it(officer_client, registry, query):
    response = officer_client.get(f"/inmates/?{query}")
    assert response.status_code == 422
    assert b"must not contain a NUL character" in response.data


def test_profile_page_shows_everything(officer_client, registry):
    worker = registry["worker"]
    factories.consent(worker, ConsentKind.PRIVATE_EMPLOYER)
    response = officer_client.get(f"/inmates/{worker.id}")
    assert response.status_code == 200
    page = response.data.decode()
    for text in ("Abenov", "Welder", "private_employer", "Medical assessments", "Custody",
                 "Employed"):
        assert text in page


def test_profile_why_not_employed(officer_api, officer_client, registry, world):
    idle = registry["skilled"]
    assert officer_api.get(f"/api/inmates/{idle.id}").json["why_not_employed"]["state"] == \
        "no_run"
    assert b"No match run yet" in officer_client.get(f"/inmates/{idle.id}").data
    db.session.add(MatchRun(institution_id=world["institution"].id, as_of=TODAY,
                            input_snapshot={}, settings_snapshot={}, result={"unplaced": [
                                {"inmate_id": str(idle.id), "reason": "no_eligible_vacancy",
                                 "barred_by": [{"rule": "R8", "reason": "outside perimeter",
                                                "vacancies": 2}], "outscored_by": []}]}))
    db.session.commit()
    why = officer_api.get(f"/api/inmates/{idle.id}").json["why_not_employed"]
    assert why["state"] == "unplaced" and why["reason"] == "no_eligible_vacancy"
    page = officer_client.get(f"/inmates/{idle.id}").data.decode()
    assert "No vacancy the inmate may take" in page
    assert "R8: regime may not work outside the perimeter" in page  # translated by rule code
    worker = registry["worker"]
    assert officer_api.get(f"/api/inmates/{worker.id}").json["why_not_employed"]["state"] == \
        "employed"


def test_why_not_employed_counts_proposals_and_later_arrivals(officer_api, registry, world):
    proposed = registry["skilled"]
    db.session.add(MatchRun(institution_id=world["institution"].id, as_of=TODAY,
                            input_snapshot={}, settings_snapshot={}, result={
                                "unplaced": [], "proposals": [
                                    {"inmate_id": proposed.id, "vacancy_id": 1, "score": 1}]}))
    db.session.commit()
    why = officer_api.get(f"/api/inmates/{proposed.id}").json["why_not_employed"]
    assert why["state"] == "proposed"
    newcomer = factories.inmate(world["institution"], file_number="LATE-1")
    db.session.commit()
    why = officer_api.get(f"/api/inmates/{newcomer.id}").json["why_not_employed"]
    assert why["state"] == "added_after_run" and "next run" in why["text"]


def test_profile_tolerates_odd_run_results(officer_client, registry, world):
    db.session.add(MatchRun(institution_id=world["institution"].id, as_of=TODAY,
                            input_snapshot={}, settings_snapshot={},
                            result={"unplaced": ["junk", {"inmate_id": None}]}))
    db.session.commit()
    response = officer_client.get(f"/inmates/{registry['skilled'].id}")
    assert response.status_code == 200 and b"Not listed as unplaced" in response.data


def test_prosecutor_reads_region_not_other(prosecutor_api, other_prosecutor_api, registry):
    worker = registry["worker"]
    assert prosecutor_api.get(f"/api/inmates/{worker.id}").status_code == 200
    assert len(prosecutor_api.get("/api/inmates/?q=Abenov").json["items"]) == 1
    assert other_prosecutor_api.get(f"/api/inmates/{worker.id}").status_code == 404


def test_admin_reads(admin_api, registry):
    assert admin_api.get("/api/inmates/?q=Abenov").json["total"] == 2


def _run_saying(world, inmate, entry, vacancies=()):
    db.session.add(MatchRun(institution_id=world["institution"].id, as_of=TODAY,
                            input_snapshot={"vacancies": list(vacancies)}, settings_snapshot={},
                            result={"unplaced": [{"inmate_id": str(inmate.id), **entry}]}))
    db.session.commit()


def test_why_not_placed_says_the_one_reason_that_applies(officer_api, officer_client, world):
    lapsed = factories.inmate(world["institution"], fitness=Fitness.FIT,
                              fitness_review_date=TODAY - timedelta(days=3))
    _run_saying(world, lapsed, {"reason": "not_able_to_work", "barred_by": [
        {"rule": "R3", "reason": "medically unfit or fitness review expired", "vacancies": 4}]})
    page = officer_client.get(f"/inmates/{lapsed.id}").get_data(as_text=True)
    assert "the fitness review was due on" in page and "or limited fitness" not in page


def test_a_voluntary_only_person_is_not_filed_as_unfit(officer_api, officer_client, world):
    older = factories.inmate(world["institution"], disability_group=2)
    _run_saying(world, older, {"reason": "not_able_to_work", "barred_by": [
        {"rule": "R4", "reason": "voluntary-only group without consent", "vacancies": 4}]})
    why = officer_api.get(f"/api/inmates/{older.id}").json["why_not_employed"]
    assert why["text"] == "Works only with their own consent, and none is recorded"
    assert "disability group 2" in why["barred_by"][0]["explained"]


def test_an_outscored_inmate_sees_the_vacancy_and_the_score_that_won(officer_client, world):
    idle = factories.inmate(world["institution"])
    _run_saying(world, idle, {"reason": "outscored", "barred_by": [], "outscored_by": [
        {"vacancy_id": "7", "capacity": 2, "taken": 2, "lowest_placed_score": 812,
         "own_score": 640}]}, vacancies=[{"id": "7", "title": "Sewing machinist"}])
    page = officer_client.get(f"/inmates/{idle.id}").get_data(as_text=True)
    card = page.split("why-not-employed")[1].split("</div>")[0]
    assert "Sewing machinist: the score that won was 812, this inmate's 640" in card, card


@pytest.mark.parametrize("typed", ["ахметова", "АХМЕТОВА", "Ахметова Гүлнұр", "гүлнұр"])
def test_search_finds_cyrillic_and_kazakh_names_in_any_case(officer_api, world, typed):
    """SQLite's own lower() folds ASCII letters only; the search must not depend on it."""
    factories.inmate(world["institution"], file_number="K-1", last_name="Ахметова",
                     first_name="Гүлнұр")
    factories.inmate(world["institution"], file_number="K-2", last_name="Беков")
    found = officer_api.get("/api/inmates/", query_string={"q": typed}).json["items"]
    assert [row["file_number"] for row in found] == ["K-1"]
