"""Creating and editing inmates: every field's validation, on the API and the page."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.vocabulary import Fitness, Sex
from app.extensions import db
from app.inmates.models import CustodyPeriod, Inmate, MedicalAssessment
from tests import factories
from tests.inmates.helpers import TODAY, form_data, payload


def _inmates():
    db.session.expire_all()
    return db.session.scalars(sa.select(Inmate)).all()


def test_api_create_records_custody_and_assessment(officer_api, world):
    response = officer_api.post("/api/inmates/", json=payload())
    assert response.status_code == 201, response.json
    body = response.json
    assert body["institution_id"] == world["institution"].id
    assert body["status"] == "held"
    db.session.expire_all()
    inmate = db.session.get(Inmate, body["id"])
    period = db.session.scalar(sa.select(CustodyPeriod).where(CustodyPeriod.inmate_id == inmate.id))
    assert period.started_on == inmate.admission_date and period.ended_on is None
    assessment = db.session.scalar(sa.select(MedicalAssessment).where(
        MedicalAssessment.inmate_id == inmate.id))
    assert assessment.fitness == Fitness.FIT
    assert assessment.assessed_on == inmate.admission_date
    assert assessment.review_date == inmate.fitness_review_date


@pytest.mark.parametrize(("changes", "field"), [
    ({"sex": "other"}, "sex"),
    ({"regime": "lenient"}, "regime"),
    ({"conditions": "luxury"}, "conditions"),
    ({"fitness": "great"}, "fitness"),
    ({"legal_status": "acquitted"}, "legal_status"),
    ({"birth_date": "31/12/1980"}, "birth_date"),
    ({"birth_date": "1980-02-30"}, "birth_date"),
    ({"file_number": "   "}, "file_number"),
    ({"file_number": "X" * 33}, "file_number"),
    ({"last_name": None}, "last_name"),
    ({"disability_group": 0}, "disability_group"),
    ({"disability_group": 4}, "disability_group"),
    ({"disability_group": "two"}, "disability_group"),
    ({"pregnant": True}, "pregnant"),
    ({"legal_status": "convicted", "convicted_on": None}, "convicted_on"),
    ({"legal_status": "remand"}, "convicted_on"),
    ({"birth_date": (TODAY + timedelta(days=1)).isoformat()}, "birth_date"),
    ({"admission_date": (TODAY + timedelta(days=1)).isoformat()}, "admission_date"),
    ({"birth_date": (TODAY - timedelta(days=365 * 10)).isoformat()}, "birth_date"),
    ({"release_date": (TODAY - timedelta(days=401)).isoformat()}, "release_date"),
    ({"convicted_on": (TODAY + timedelta(days=3)).isoformat()}, "convicted_on"),
    ({"convicted_on": "1980-01-01"}, "convicted_on"),
    ({"fitness_review_date": (TODAY - timedelta(days=450)).isoformat()}, "fitness_review_date"),
    ({"fitness_assessed_on": (TODAY + timedelta(days=2)).isoformat()}, "fitness_assessed_on"),
])
def test_api_create_refuses_bad_field(officer_api, world, changes, field):
    response = officer_api.post("/api/inmates/", json=payload(**changes))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert _inmates() == []


def test_dates_in_order_allow_release_on_admission_day(officer_api, world):
    admitted = (TODAY - timedelta(days=10)).isoformat()
    response = officer_api.post("/api/inmates/", json=payload(
        admission_date=admitted, release_date=admitted,
        fitness_review_date=TODAY.isoformat()))
    assert response.status_code == 201, response.json


def test_pregnancy_recorded_for_a_woman(officer_api, world):
    response = officer_api.post("/api/inmates/", json=payload(sex="female", pregnant=True))
    assert response.status_code == 201
    assert response.json["pregnant"] is True


def test_remand_detainee_without_conviction_date(officer_api, world):
    response = officer_api.post("/api/inmates/", json=payload(legal_status="remand",
                                                                 convicted_on=None))
    assert response.status_code == 201


def test_dotted_dates_are_accepted(officer_api, world):
    response = officer_api.post("/api/inmates/", json=payload(birth_date="14.03.1985"))
    assert response.status_code == 201
    assert response.json["birth_date"] == "1985-03-14"


def test_r6_juvenile_only_in_juvenile_institution(officer_api, world):
    teen = TODAY.replace(year=TODAY.year - 16) - timedelta(days=2)
    response = officer_api.post("/api/inmates/", json=payload(
        birth_date=teen.isoformat(), admission_date=(TODAY - timedelta(days=1)).isoformat(),
        convicted_on=(TODAY - timedelta(days=2)).isoformat(), fitness_review_date=None))
    assert response.status_code == 422
    assert "R6" in response.json["errors"]["birth_date"][0]


def test_file_number_unique_per_institution(officer_api, other_officer_api, world):
    assert officer_api.post("/api/inmates/", json=payload()).status_code == 201
    again = officer_api.post("/api/inmates/", json=payload(last_name="Other"))
    assert again.status_code == 409
    assert "file_number" in again.json["errors"]
    assert "R15" in again.json["errors"]["file_number"][0]
    # the same number in another institution is another person's file
    assert other_officer_api.post("/api/inmates/", json=payload()).status_code == 201
    assert len(_inmates()) == 2


def test_patch_checks_the_merged_record(officer_api, world):
    inmate = factories.inmate(world["institution"], sex=Sex.MALE)
    response = officer_api.patch(f"/api/inmates/{inmate.id}", json={"pregnant": True})
    assert response.status_code == 422
    assert "pregnant" in response.json["errors"]
    response = officer_api.patch(f"/api/inmates/{inmate.id}",
                                    json={"release_date": "2000-01-01"})
    assert response.status_code == 422
    assert "release_date" in response.json["errors"]
    response = officer_api.patch(f"/api/inmates/{inmate.id}", json={"legal_status": "remand"})
    assert response.status_code == 422 and "convicted_on" in response.json["errors"]


def test_patch_file_number_clash_is_409(officer_api, world):
    first = factories.inmate(world["institution"], file_number="K-1")
    second = factories.inmate(world["institution"], file_number="K-2")
    response = officer_api.patch(f"/api/inmates/{second.id}", json={"file_number": "K-1"})
    assert response.status_code == 409 and "file_number" in response.json["errors"]
    response = officer_api.patch(f"/api/inmates/{first.id}", json={"file_number": "K-1"})
    assert response.status_code == 200


def test_changing_fitness_adds_an_assessment(officer_api, world):
    inmate = factories.inmate(world["institution"])
    review = (TODAY + timedelta(days=60)).isoformat()
    response = officer_api.patch(f"/api/inmates/{inmate.id}",
                                    json={"fitness": "limited", "fitness_review_date": review})
    assert response.status_code == 200, response.json
    history = response.json["medical_assessments"]
    assert [a["fitness"] for a in history] == ["fit", "limited"]
    assert history[-1]["assessed_on"] == TODAY.isoformat()
    # a change that leaves fitness alone adds nothing
    officer_api.patch(f"/api/inmates/{inmate.id}", json={"education": "secondary"})
    db.session.expire_all()
    assert len(db.session.get(Inmate, inmate.id).medical_assessments) == 2


def test_page_create_and_edit(officer_client, world):
    response = officer_client.post("/inmates/new", data=form_data())
    assert response.status_code == 302
    inmate = _inmates()[0]
    assert inmate.file_number == "A-100"
    response = officer_client.post(f"/inmates/{inmate.id}/edit",
                                   data=form_data(last_name="Renamed"))
    assert response.status_code == 302
    assert _inmates()[0].last_name == "Renamed"
    page = officer_client.get(f"/inmates/{inmate.id}/edit")
    assert page.status_code == 200 and b"Renamed" in page.data


@pytest.mark.parametrize(("changes", "message"), [
    ({"birth_date": "not-a-date"}, b"Not a valid date"),
    ({"sex": "x"}, b"Must be one of"),
    ({"pregnant": "y"}, b"can only be recorded for a woman"),
    ({"release_date": "2016-01-01"}, b"cannot be before the admission date"),
    ({"release_date": "2001-01-01"}, b"must be between"),  # implausible: before 2015
    ({"disability_group": "7"}, b"less than or equal to 3"),
])
def test_page_shows_errors_on_fields(officer_client, world, changes, message):
    response = officer_client.post("/inmates/new", data=form_data(**changes))
    assert response.status_code == 422
    assert message in response.data
    assert _inmates() == []


def test_page_duplicate_file_number_shown_on_field(officer_client, world):
    factories.inmate(world["institution"], file_number="A-100")
    response = officer_client.post("/inmates/new", data=form_data())
    assert response.status_code == 422
    assert b"R15" in response.data and b"already used" in response.data
