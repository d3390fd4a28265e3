"""Vacancies of a business: the rules (R7, R9, R10, dates), one per institution, the
life cycle, and fewer positions or closing ending the surplus placements."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.vocabulary import EndReason, VacancyStatus
from app.extensions import db
from app.notifications.models import Notification
from app.placements.models import Placement
from app.settings.operations import default_settings
from app.vacancies.models import Vacancy
from tests import factories
from tests.employers.conftest import vacancy_body

API = "/api/employer/vacancies"


def _create(client, headers, **changes):
    return client.post(API, headers=headers, json=vacancy_body(
        changes.pop("institution_ids", None) or [_inst_id()], **changes))


def _inst_id():
    from app.institutions.models import Institution

    return db.session.scalar(sa.select(Institution.id).where(Institution.code == "AK-159/20"))


def test_one_draft_vacancy_per_institution(client, world, trades, employer_api):
    ids = [world["institution"].id, world["other_institution"].id]
    response = _create(client, employer_api, institution_ids=ids)
    assert response.status_code == 201, response.json
    assert {v["institution"]["id"] for v in response.json} == set(ids)
    assert {v["status"] for v in response.json} == {"draft"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Vacancy)) == 2


def test_r10_wage_under_the_minimum_pro_rata_is_refused(client, world, trades, employer_api):
    minimum = default_settings(factories.TODAY.year).min_monthly_wage
    response = _create(client, employer_api, monthly_wage=minimum - 1)
    assert response.status_code == 422
    assert "minimum" in response.json["errors"]["monthly_wage"][0]
    assert not response.json["errors"]["monthly_wage"][0].startswith("R10")  # plain words
    half_time = _create(client, employer_api, weekly_hours=20, monthly_wage=minimum // 2)
    assert half_time.status_code == 201  # pro rata for fewer hours


def test_r9_hours_over_the_adult_limit_are_refused(client, world, trades, employer_api):
    response = _create(client, employer_api, weekly_hours=41, monthly_wage=200_000)
    assert response.status_code == 422
    assert not response.json["errors"]["weekly_hours"][0].startswith("R9")


def test_end_date_before_start_is_refused(client, world, trades, employer_api):
    before = (factories.TODAY - timedelta(days=1)).isoformat()
    response = _create(client, employer_api, end_date=before)
    assert response.status_code == 422 and "end_date" in response.json["errors"]


def test_r7_women_barred_only_from_heavy_work(client, world, trades, employer_api):
    light = _create(client, employer_api, women_barred=True)
    assert light.status_code == 422
    assert not light.json["errors"]["women_barred"][0].startswith("R7")
    heavy = _create(client, employer_api, women_barred=True, heavy_or_hazardous=True,
                    site="outside")
    assert heavy.status_code == 201 and heavy.json[0]["site"] == "outside"


def test_unknown_site_trade_or_institution_is_refused(client, world, trades, employer_api):
    assert "site" in _create(client, employer_api, site="moon").json["errors"]
    assert "trade_id" in _create(client, employer_api, trade_id=99999).json["errors"]
    response = _create(client, employer_api, institution_ids=[99999])
    assert "institution_ids" in response.json["errors"]


def test_vacancy_page_form_refuses_a_low_wage_on_its_field(employer_client, world, trades):
    data = vacancy_body([world["institution"].id], monthly_wage=1000, shift="day")
    response = employer_client.post("/employer/vacancies/new", data=data)
    assert response.status_code == 422
    assert b"R10" not in response.data and b"minimum" in response.data
    data["monthly_wage"] = 90_000
    assert employer_client.post("/employer/vacancies/new", data=data).status_code == 302
    assert db.session.scalar(sa.select(Vacancy.title)) == "Welder"


def test_life_cycle_publish_pause_close(client, world, trades, employer_api):
    vacancy_id = _create(client, employer_api).json[0]["id"]
    assert client.post(f"{API}/{vacancy_id}/pause", headers=employer_api).status_code == 409
    published = client.post(f"{API}/{vacancy_id}/publish", headers=employer_api)
    assert published.json["status"] == "published"
    assert client.post(f"{API}/{vacancy_id}/pause", headers=employer_api).json["status"] == \
        "paused"
    closed = client.post(f"{API}/{vacancy_id}/close", headers=employer_api, json={})
    assert closed.json["status"] == "closed"
    again = client.patch(f"{API}/{vacancy_id}", headers=employer_api, json={"title": "X"})
    assert again.status_code == 409


def test_edit_keeps_rules(client, world, vacancy, employer_api):
    response = client.patch(f"{API}/{vacancy.id}", headers=employer_api,
                            json={"weekly_hours": 50})
    assert response.status_code == 422 and "weekly_hours" in response.json["errors"]
    ok = client.patch(f"{API}/{vacancy.id}", headers=employer_api,
                      json={"title": "Senior welder", "monthly_wage": 120_000})
    assert ok.status_code == 200 and ok.json["title"] == "Senior welder"


def _placements():
    db.session.expire_all()
    return db.session.scalars(sa.select(Placement).order_by(Placement.start_date)).all()


def test_fewer_positions_need_confirmation_and_end_the_most_recent(
        client, world, vacancy, placed, employer_api):
    url = f"{API}/{vacancy.id}"
    refused = client.patch(url, headers=employer_api, json={"positions": 1})
    assert refused.status_code == 409 and "confirm" in refused.json["errors"]
    assert all(p.end_date is None for p in _placements())
    assert db.session.get(Vacancy, vacancy.id).positions == 3

    done = client.patch(url, headers=employer_api, json={"positions": 1, "confirm": True})
    assert done.status_code == 200 and done.json["positions"] == 1
    oldest, middle, newest = _placements()
    assert oldest.end_date is None
    for ended in (middle, newest):
        assert (ended.end_date, ended.end_reason) == (factories.TODAY, EndReason.VACANCY_CLOSED)
    notes = db.session.scalars(sa.select(Notification)).all()
    assert [(n.user_id, n.kind, n.params["count"]) for n in notes] == [
        (world["officer"].id, "placements_ended_by_employer", 2)]  # the business is not told


def test_more_positions_need_no_confirmation(client, world, vacancy, placed, employer_api):
    response = client.patch(f"{API}/{vacancy.id}", headers=employer_api, json={"positions": 5})
    assert response.status_code == 200
    assert all(p.end_date is None for p in _placements())


def test_closing_with_workers_needs_confirmation_and_ends_them(
        client, world, vacancy, placed, employer_api):
    url = f"{API}/{vacancy.id}/close"
    assert client.post(url, headers=employer_api, json={}).status_code == 409
    assert client.post(url, headers=employer_api, json={"confirm": True}).status_code == 200
    assert {p.end_reason for p in _placements()} == {EndReason.VACANCY_CLOSED}
    assert db.session.get(Vacancy, vacancy.id).status == VacancyStatus.CLOSED


# The pages' confirmation step: tests/employers/test_confirm_before_change.py.


# --- scope and roles ----------------------------------------------------------------


@pytest.fixture
def foreign_vacancy(world, trades):
    return factories.vacancy(factories.employer(), world["institution"])


@pytest.mark.parametrize("method, suffix", [
    ("get", ""), ("patch", ""), ("post", "/publish"), ("post", "/close"),
    ("get", "/eligibility"),
])
def test_another_business_vacancy_is_not_found_in_the_api(
        client, foreign_vacancy, employer_api, method, suffix):
    response = getattr(client, method)(f"{API}/{foreign_vacancy.id}{suffix}",
                                       headers=employer_api, json={})
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["", "/edit"])
def test_another_business_vacancy_is_not_found_in_pages(employer_client, foreign_vacancy, path):
    assert employer_client.get(f"/employer/vacancies/{foreign_vacancy.id}{path}").status_code \
        == 404
    assert employer_client.post(f"/employer/vacancies/{foreign_vacancy.id}/close").status_code \
        == 404


def test_lists_hold_only_the_business_vacancies(client, employer_client, vacancy,
                                                foreign_vacancy, employer_api):
    assert [v["id"] for v in client.get(API, headers=employer_api).json] == [vacancy.id]
    page = employer_client.get("/employer/vacancies")
    assert f"/employer/vacancies/{foreign_vacancy.id}\"".encode() not in page.data


@pytest.mark.parametrize("role", ["admin", "officer", "prosecutor"])
@pytest.mark.parametrize("path", [
    "/employer/", "/employer/vacancies", "/employer/labour-pool", "/employer/workers",
    "/employer/vacancies/new", "/employer/users",
])
def test_other_roles_are_refused_the_pages(app, world, role, path):
    from tests.conftest import login

    client = app.test_client()
    login(client, world[role])
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", ["admin", "officer", "prosecutor"])
@pytest.mark.parametrize("path", [
    "/home", "/business", "/vacancies", "/labour-pool", "/workers", "/users", "/notifications",
])
def test_other_roles_are_refused_the_api(client, world, role, path):
    headers = factories.bearer(world[role])
    assert client.get(f"/api/employer{path}", headers=headers).status_code == 403


def test_other_roles_cannot_create_vacancies(client, world, trades):
    headers = factories.bearer(world["officer"])
    response = client.post(API, headers=headers, json=vacancy_body([world["institution"].id]))
    assert response.status_code == 403


def test_anonymous_is_sent_to_log_in(client, app):
    assert client.get("/api/employer/vacancies").status_code == 401
    assert client.get("/employer/").status_code == 302
