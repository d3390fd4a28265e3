"""Plausible values (DOMAIN "Plausible values"): one definition (policy/plausible.py),
refused alike by the API, the page forms and the spreadsheet import."""

import io
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.inmates.models import Inmate
from policy import plausible
from tests import factories
from tests.factories import ApiClient
from tests.inmates.helpers import TODAY, form_data, payload
from tests.inmates.test_spreadsheets import csv_file


@pytest.mark.parametrize(("day", "ok"), [
    (date(2014, 12, 31), False), (date(2015, 1, 1), True),
    (plausible.latest_event_day(TODAY), True),
    (plausible.latest_event_day(TODAY) + timedelta(days=1), False),
])
def test_event_days_run_from_2015_to_five_years_ahead(day, ok):
    assert (plausible.event_day(day, TODAY) is None) is ok


@pytest.mark.parametrize(("birth", "ok"), [
    (date(2012, 3, 2), False),  # 13 years 364 days on admission
    (date(2012, 3, 1), True),  # 14 on the day
    (date(1925, 3, 2), True),  # 100 years 364 days
    (date(1925, 3, 1), False),  # 101
    (date(1, 1, 1), False),
])
def test_age_on_admission_is_14_to_100(birth, ok):
    assert (plausible.birth_day(birth, date(2026, 3, 1)) is None) is ok


def test_counts():
    assert plausible.within(0, plausible.POSITIONS) is not None
    assert plausible.within(1, plausible.POSITIONS) is None
    assert plausible.within(10_000, plausible.POSITIONS) is None
    assert plausible.within(2**31, plausible.POSITIONS) is not None
    assert plausible.within(1_001, plausible.SEATS) is not None


@pytest.mark.parametrize(("field", "value"), [
    ("birth_date", "0001-01-01"),
    ("admission_date", "2014-12-31"),
    ("release_date", (TODAY + timedelta(days=31 * 366)).isoformat()),
    ("convicted_on", "1990-01-01"),
])
def test_api_page_and_import_refuse_the_same_dates(app, world, officer_client, field, value):
    api = ApiClient(app, world["officer"])
    by_api = api.post("/api/inmates/", json=payload(**{field: value}))
    assert by_api.status_code == 422 and field in by_api.json["errors"], by_api.json
    message = by_api.json["errors"][field][0]
    page = officer_client.post("/inmates/new", data=form_data(**{field: value}))
    assert page.status_code == 422 and message in page.get_data(as_text=True)
    imported = api.post("/api/inmates/import", data={
        "kind": "inmates", "dry_run": "true",
        "file": (io.BytesIO(csv_file([payload(**{field: value})])), "inmates.csv")},
        content_type="multipart/form-data")
    assert message in imported.get_data(as_text=True)
    assert db.session.query(Inmate).count() == 0


@pytest.mark.parametrize("positions", [0, 10_001, 2**31])
def test_vacancy_positions_are_plausible(app, world, trades, positions):
    from tests.employers.conftest import vacancy_body

    api = ApiClient(app, world["employer_user"])
    response = api.post("/api/employer/vacancies", json=vacancy_body(
        [world["institution"].id], positions=positions))
    assert response.status_code == 422 and "positions" in response.json["errors"]


def test_vacancy_wage_at_most_a_hundred_minimum_wages(app, world, trades):
    from tests.employers.conftest import vacancy_body

    api = ApiClient(app, world["employer_user"])
    response = api.post("/api/employer/vacancies", json=vacancy_body(
        [world["institution"].id], monthly_wage=100 * 85_000 + 1))
    assert response.status_code == 422 and "monthly_wage" in response.json["errors"]


def test_enrolment_before_admission_is_refused(app, world, trades):
    person = factories.inmate(world["institution"], admission_date=TODAY - timedelta(days=10))
    course = factories.course(world["institution"], start_date=TODAY - timedelta(days=30))
    api = ApiClient(app, world["officer"])
    response = api.post(f"/api/training/courses/{course.id}/enrolments", json={
        "inmate_id": person.id, "enrolled_on": (TODAY - timedelta(days=20)).isoformat()})
    assert response.status_code == 422 and "enrolled_on" in response.json["errors"]


def test_a_placement_cannot_end_in_2099(app, world, trades):
    person = factories.inmate(world["institution"])
    job = factories.vacancy(factories.employer(), world["institution"])
    placement = factories.placement(person, job)
    api = ApiClient(app, world["officer"])
    response = api.post(f"/api/placements/{placement.id}/end",
                        json={"reason": "completed", "end_date": "2099-01-01"})
    assert response.status_code == 422 and "end_date" in response.json["errors"]
    db.session.refresh(placement)
    assert placement.end_date is None


def test_rates_for_a_future_day_are_refused(app, world):
    api = ApiClient(app, world["prosecutor"])
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    response = api.get(f"/api/monitoring/rates?day={tomorrow}")
    assert response.status_code == 422 and "day" in response.json["errors"]
    assert api.get(f"/api/monitoring/rates?day={TODAY.isoformat()}").status_code == 200
