"""Planner pages and API: exact figures for administrators and prosecutors in scope;
protected counts only for entrepreneurs (R17)."""

import pytest

from app.core.vocabulary import ConsentKind, SkillSource
from app.extensions import db
from app.inmates.models import InmateSkill
from app.placements.models import MatchRun
from app.placements.operations import start_run
from app.planner import operations as ops
from matching import planner
from tests import factories
from tests.factories import ApiClient

HOME_SKILLED, AWAY_SKILLED = 7, 3


def _skilled(institution, welder, n):
    for _ in range(n):
        person = factories.inmate(institution)
        factories.consent(person, ConsentKind.PRIVATE_EMPLOYER)
        db.session.add(InmateSkill(inmate_id=person.id, trade_id=welder.id, level=2,
                                   source=SkillSource.ASSESSED, recorded_on=factories.TODAY))
    db.session.commit()


@pytest.fixture
def towns(world):
    """Home: 7 welders and 2 unskilled, one 2-position vacancy any of them may take;
    away: 3 welders and no vacancy."""
    welder = factories.trade("welder")
    factories.trade("baker", isco="7512")
    _skilled(world["institution"], welder, HOME_SKILLED)
    for _ in range(2):
        factories.consent(factories.inmate(world["institution"]), ConsentKind.PRIVATE_EMPLOYER)
    factories.vacancy(world["employer"], world["institution"], positions=2,
                      trade_id=factories.trade("baker", isco="7512").id)
    _skilled(world["other_institution"], welder, AWAY_SKILLED)
    return world


def _api(app, world, who):
    return ApiClient(app, world[who])


def test_ranking_is_exact_and_ordered(app, towns):
    body = _api(app, towns, "admin").get("/api/planner/ranking?trade=welder&positions=10")
    assert body.status_code == 200, body.json
    rows = body.json
    assert [r["institution_code"] for r in rows] == ["AK-159/20", "AP-162/3"]
    home, away = rows
    # home: the 2 unskilled keep the vacancy, the 7 welders fill the workshop
    assert (home["placed_now"], home["extra_employed"], home["eligible"]) == (2, 7, 7)
    assert home["able_to_work"] == 9 and home["rate_now"] == round(2 / 9, 6)
    assert home["rate_with"] == 1.0 and home["shortfall_with"] == 0
    assert (away["placed_now"], away["extra_employed"]) == (0, 3)
    few = _api(app, towns, "admin").get("/api/planner/ranking?trade=welder&positions=4").json
    assert [r["extra_employed"] for r in few] == [4, 3]


def test_ranking_sees_only_the_prosecutors_region(app, towns):
    rows = _api(app, towns, "prosecutor").get("/api/planner/ranking?trade=welder").json
    assert [r["institution_code"] for r in rows] == ["AK-159/20"]
    away = towns["other_institution"].id
    response = _api(app, towns, "prosecutor").get(f"/api/planner/institutions/{away}?trade=welder")
    assert response.status_code == 404
    own = _api(app, towns, "other_prosecutor").get(
        f"/api/planner/institutions/{away}?trade=welder&positions=2")
    assert own.status_code == 200 and own.json["extra_employed"] == 2


@pytest.mark.parametrize("who", ["officer", "employer_user"])
def test_other_roles_are_refused(app, towns, who):
    assert _api(app, towns, who).get("/api/planner/ranking?trade=welder").status_code == 403


def test_bad_input_is_422(app, towns):
    client = _api(app, towns, "admin")
    for query in ("trade=nope", "trade=welder&positions=0", "", "trade=welder&site=moon",
                  "trade=welder&weekly_hours=x"):
        response = client.get(f"/api/planner/ranking?{query}")
        assert response.status_code == 422, query


def test_trades_and_shortfall_of_an_institution(app, towns):
    home = towns["institution"].id
    client = _api(app, towns, "national_prosecutor")
    trades = client.get(f"/api/planner/institutions/{home}/trades?positions=10").json
    assert trades[0]["trade_code"] == "welder" and trades[0]["extra_employed"] == 7
    assert {t["trade_code"]: t["extra_employed"] for t in trades}["baker"] == 0
    plan = client.get(f"/api/planner/institutions/{home}/shortfall").json
    # 9 able, target 75% -> 7 needed; 2 placed today -> 5 missing, one welder workshop of 5
    assert plan["shortfall_now"] == 5
    assert plan["steps"] == [{"trade_code": "welder", "positions": 5, "extra_employed": 5,
                              "rate_after": round(7 / 9, 6)}]
    assert plan["positions_total"] == 5 and plan["shortfall_left"] == 0
    assert plan["exact"]["steps"] == plan["steps"] and plan["exact"]["proven_optimal"]


def test_a_heavy_night_workshop_for_the_unfit_adds_nobody(app, towns):
    home = towns["institution"].id
    client = _api(app, towns, "admin")
    body = client.get(f"/api/planner/institutions/{home}?trade=welder&weekly_hours=41").json
    assert body["eligible"] == 0 and body["extra_employed"] == 0


def test_entrepreneurs_see_protected_counts_only(app, towns):
    response = _api(app, towns, "employer_user").get(
        "/api/employer/production?trade=welder&positions=10")
    assert response.status_code == 200, response.json
    rows = {r["code"]: r for r in response.json}
    # 7 more employed, shown against the institution's available count (R17): within 2
    # of the truth and a multiple of 5 from every other count of the institution
    available = {p["code"]: p["available"]["count"] for p in _api(app, towns, "employer_user")
                 .get("/api/employer/labour-pool").json}["AK-159/20"]
    shown = rows["AK-159/20"]["extra_employed"]
    assert shown["rounded"] and not shown["suppressed"] and abs(shown["count"] - 7) <= 2
    assert (available - shown["count"]) % 5 == 0
    assert rows["AP-162/3"]["extra_employed"] == {"count": None, "suppressed": True,
                                                  "rounded": False}
    assert all(set(r) == {"institution_id", "code", "name", "region", "extra_employed"}
               for r in response.json)
    assert _api(app, towns, "admin").get(
        "/api/employer/production?trade=welder").status_code == 403


def test_pages(app, towns, admin_client, prosecutor_client, employer_client):
    home, away = towns["institution"].id, towns["other_institution"].id
    offer = admin_client.get("/planner/?trade=welder&positions=10")  # the country: a job
    assert offer.status_code == 200 and "/planner/rankings" in offer.get_data(as_text=True)
    queued = admin_client.post("/planner/rankings", data={"trade": "welder", "positions": "10"})
    from app.jobs.worker import work_once

    work_once(schedule=False)  # its session ends: ids from here on
    html = admin_client.get(queued.location).get_data(as_text=True)
    assert "AK-159/20" in html and "AP-162/3" in html and "100.0%" in html
    assert admin_client.get("/planner/").status_code == 200
    assert admin_client.get("/planner/?trade=welder&positions=0").status_code == 422
    page = prosecutor_client.get(f"/planner/institutions/{home}")
    assert page.status_code == 200 and "welder" in page.get_data(as_text=True)
    assert prosecutor_client.get(f"/planner/institutions/{away}").status_code == 404
    assert employer_client.get("/planner/").status_code == 403
    own = employer_client.get("/employer/production?trade=welder&positions=10")
    assert own.status_code == 200
    text = own.get_data(as_text=True)
    assert "fewer than 5" in text and "Testov" not in text
    assert employer_client.get("/employer/production?trade=nope").status_code == 422
    assert employer_client.get("/employer/production").status_code == 200


def test_openapi_describes_the_planner(app):
    paths = app.test_client().get("/api/openapi.json").json["paths"]
    assert {"/api/planner/ranking", "/api/employer/production",
            "/api/planner/institutions/{institution_id}/shortfall",
            "/api/planner/runs/{run_id}"} <= set(paths)


@pytest.fixture
def run(towns):
    """A match run of the home institution: 9 able, 2 placed, 5 people missing."""
    found = start_run(towns["institution"], towns["officer"].id, factories.TODAY)
    db.session.commit()
    return found


def test_a_runs_plan_is_exact_computed_once_and_kept_with_the_run(app, towns, run,
                                                                   officer_client,
                                                                   monkeypatch):
    page = officer_client.get(f"/placements/runs/{run.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Workshops that would close the shortfall" in html
    assert f"/planner/runs/{run.id}" in html and "welder" not in html  # not computed yet
    body = _api(app, towns, "officer").get(f"/api/planner/runs/{run.id}")
    assert body.status_code == 200, body.json
    # the same figures as the institution's plan on the run's day (nothing changed since)
    assert body.json["run_id"] == run.id and body.json["shortfall_now"] == 5
    assert body.json["steps"] == [{"trade_code": "welder", "positions": 5,
                                   "extra_employed": 5, "rate_after": round(7 / 9, 6)}]
    exact = body.json["exact"]  # the fewest workshops, proven, with the time it took
    assert exact["steps"] == body.json["steps"] and exact["workshops"] == 1
    assert exact["proven_optimal"] is True and exact["workshops_lower_bound"] == 1
    assert exact["positions_total"] == 5 and 0 <= exact["seconds"] < 5
    db.session.expire_all()
    stored = db.session.get(MatchRun, run.id).result["shortfall_plan"]
    assert stored["positions_total"] == 5 and stored["exact"]["workshops"] == 1

    # kept: later views read it, the planner is not asked again, even after the
    # institution changed (the plan is about what the run saw)
    def never(*args, **kwargs):
        raise AssertionError("the plan was computed again")

    monkeypatch.setattr(planner, "close_shortfall", never)
    monkeypatch.setattr(ops, "exact_shortfall", never)
    _skilled(towns["institution"], factories.trade("welder"), 3)
    page = officer_client.get(f"/planner/runs/{run.id}")
    assert page.status_code == 200 and "welder" in page.get_data(as_text=True)
    html = officer_client.get(f"/placements/runs/{run.id}").get_data(as_text=True)
    assert "welder" in html and "77.8%" in html
    assert "fewest workshops that can do it" in html


def test_a_plan_kept_before_the_exact_one_existed_is_computed_again(app, towns, run):
    """Runs whose stored plan is the greedy one alone get the exact plan when asked."""
    api = _api(app, towns, "officer")
    greedy = {k: v for k, v in api.get(f"/api/planner/runs/{run.id}").json.items()
              if k not in ("exact", "run_id", "institution_id", "institution_code")}
    kept = db.session.get(MatchRun, run.id)
    kept.result = {**kept.result, "shortfall_plan": greedy}
    db.session.commit()
    body = api.get(f"/api/planner/runs/{run.id}")
    assert body.status_code == 200 and body.json["exact"]["workshops"] == 1


def test_a_runs_plan_only_for_those_who_may_read_the_run(app, towns, run, employer_client,
                                                         other_officer_client):
    for who in ("other_officer", "other_prosecutor"):
        assert _api(app, towns, who).get(f"/api/planner/runs/{run.id}").status_code == 404
    assert _api(app, towns, "employer_user").get(
        f"/api/planner/runs/{run.id}").status_code == 403
    assert other_officer_client.get(f"/planner/runs/{run.id}").status_code == 404
    assert employer_client.get(f"/planner/runs/{run.id}").status_code == 403
    db.session.expire_all()
    assert "shortfall_plan" not in db.session.get(MatchRun, run.id).result
