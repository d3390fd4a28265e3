"""Courses, enrolment refusals (full, R13, not held), completion, drop,
recommendations; pages and API; scope."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.vocabulary import CustodyStatus, EnrolmentStatus, SkillSource
from app.extensions import db
from app.inmates.models import Certificate, InmateSkill
from app.placements.models import MatchRun
from app.training.models import Course, Enrolment
from policy.clock import today_in_kazakhstan
from tests import factories

TODAY = today_in_kazakhstan()


def course_body(**changes):
    body = {"trade_id": factories.trade("welder").id, "title": "Welding", "provider": "College",
            "seats": 2, "start_date": (TODAY + timedelta(days=5)).isoformat(),
            "end_date": (TODAY + timedelta(days=60)).isoformat(), "hours": 120,
            "grants_certificate": True, "grants_level": 2}
    body.update(changes)
    return body


def _fresh(model, object_id):
    db.session.expire_all()
    return db.session.get(model, object_id)


def test_create_and_edit_course(officer_api, world):
    response = officer_api.post("/api/training/courses", json=course_body())
    assert response.status_code == 201, response.json
    course_id = response.json["id"]
    assert response.json["institution_id"] == world["institution"].id
    edited = officer_api.patch(f"/api/training/courses/{course_id}", json={"seats": 5})
    assert edited.status_code == 200 and edited.json["seats"] == 5
    bad = officer_api.patch(f"/api/training/courses/{course_id}", json={"end_date": "2000-01-01"})
    assert bad.status_code == 422 and "end_date" in bad.json["errors"]
    listed = officer_api.get("/api/training/courses").json
    assert [c["id"] for c in listed] == [course_id] and listed[0]["seats_taken"] == 0


@pytest.mark.parametrize(("changes", "field"), [
    ({"seats": 0}, "seats"), ({"grants_level": 4}, "grants_level"), ({"hours": -1}, "hours"),
    ({"end_date": (TODAY - timedelta(days=1)).isoformat()}, "end_date"),
    ({"start_date": "someday"}, "start_date"), ({"title": ""}, "title"),
    ({"trade_id": 99999}, "trade_id"),
])
def test_course_validation(officer_api, world, changes, field):
    response = officer_api.post("/api/training/courses", json=course_body(**changes))
    assert response.status_code == 422 and field in response.json["errors"]


def test_seats_cannot_drop_below_taken(officer_api, world):
    course = factories.course(world["institution"], seats=2)
    for _ in range(2):
        officer_api.post(f"/api/training/courses/{course.id}/enrolments",
                         json={"inmate_id": factories.inmate(world["institution"]).id})
    response = officer_api.patch(f"/api/training/courses/{course.id}", json={"seats": 1})
    assert response.status_code == 409 and "seats" in response.json["errors"]


def test_enrolment_refusals(officer_api, world):
    home = world["institution"]
    course = factories.course(home, seats=1, end_date=TODAY + timedelta(days=97))
    url = f"/api/training/courses/{course.id}/enrolments"
    leaving = factories.inmate(home, release_date=TODAY + timedelta(days=30))
    response = officer_api.post(url, json={"inmate_id": leaving.id})
    assert response.status_code == 422 and "R13" in response.json["errors"]["inmate_id"][0]
    on_the_day = factories.inmate(home, release_date=course.end_date)
    assert officer_api.post(url, json={"inmate_id": on_the_day.id}).status_code == 422
    released = factories.inmate(home, status=CustodyStatus.RELEASED)
    assert officer_api.post(url, json={"inmate_id": released.id}).status_code == 422
    stranger = factories.inmate(world["other_institution"])
    assert officer_api.post(url, json={"inmate_id": stranger.id}).status_code == 422
    first = factories.inmate(home)
    assert officer_api.post(url, json={"inmate_id": first.id}).status_code == 201
    assert officer_api.post(url, json={"inmate_id": first.id}).status_code == 409
    full = officer_api.post(url, json={"inmate_id": factories.inmate(home).id})
    assert full.status_code == 409 and "full" in full.json["errors"]["course"][0]


def test_ended_course_refuses_enrolment(officer_api, world):
    course = factories.course(world["institution"], start_date=TODAY - timedelta(days=50),
                              end_date=TODAY - timedelta(days=1))
    response = officer_api.post(f"/api/training/courses/{course.id}/enrolments",
                                json={"inmate_id": factories.inmate(world["institution"]).id})
    assert response.status_code == 422 and "course" in response.json["errors"]


def test_completion_grants_certificate_and_skill(officer_api, world):
    home = world["institution"]
    course = factories.course(home, start_date=TODAY - timedelta(days=30), grants_level=2,
                              provider="Karaganda college")
    inmate = factories.inmate(home)
    db.session.add(InmateSkill(inmate_id=inmate.id, trade_id=course.trade_id, level=1,
                               source=SkillSource.DECLARED, recorded_on=TODAY))
    db.session.commit()
    enrolled = officer_api.post(f"/api/training/courses/{course.id}/enrolments",
                                json={"inmate_id": inmate.id})
    url = f"/api/training/courses/{course.id}/enrolments/{enrolled.json['id']}"
    early = officer_api.post(f"{url}/complete",
                             json={"completed_on": (TODAY - timedelta(days=40)).isoformat()})
    assert early.status_code == 422
    response = officer_api.post(f"{url}/complete", json={"certificate_number": "C-77"})
    assert response.status_code == 200, response.json
    assert response.json["course_id"] == course.id and response.json["number"] == "C-77"
    db.session.expire_all()
    certificate = db.session.scalar(sa.select(Certificate))
    assert (certificate.inmate_id, certificate.course_id) == (inmate.id, course.id)
    assert certificate.issuer == "Karaganda college"
    skill = db.session.scalar(sa.select(InmateSkill))
    assert (skill.level, skill.source) == (2, SkillSource.COURSE)
    assert _fresh(Enrolment, enrolled.json["id"]).status == EnrolmentStatus.COMPLETED
    assert officer_api.post(f"{url}/complete", json={}).status_code == 409
    assert officer_api.post(f"{url}/drop", json={}).status_code == 409


def test_completion_never_lowers_a_skill(officer_api, world):
    home = world["institution"]
    course = factories.course(home, start_date=TODAY - timedelta(days=5), grants_level=1,
                              grants_certificate=False)
    inmate = factories.inmate(home)
    db.session.add(InmateSkill(inmate_id=inmate.id, trade_id=course.trade_id, level=3,
                               source=SkillSource.WORK, recorded_on=TODAY))
    db.session.commit()
    enrolled = officer_api.post(f"/api/training/courses/{course.id}/enrolments",
                                json={"inmate_id": inmate.id}).json
    officer_api.post(f"/api/training/courses/{course.id}/enrolments/{enrolled['id']}/complete",
                     json={})
    db.session.expire_all()
    assert db.session.scalar(sa.select(InmateSkill.level)) == 3
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 0


def test_drop_frees_the_seat_and_allows_return(officer_api, world):
    home = world["institution"]
    course = factories.course(home, seats=1)
    first, second = factories.inmate(home), factories.inmate(home)
    url = f"/api/training/courses/{course.id}/enrolments"
    enrolment = officer_api.post(url, json={"inmate_id": first.id}).json
    dropped = officer_api.post(f"{url}/{enrolment['id']}/drop", json={"reason": "ill"})
    assert dropped.status_code == 200 and dropped.json["status"] == "dropped"
    assert officer_api.post(url, json={"inmate_id": second.id}).status_code == 201
    assert officer_api.post(f"{url}/{enrolment['id']}/drop", json={}).status_code == 409


def test_release_drops_enrolments(officer_api, world):
    home = world["institution"]
    course = factories.course(home)
    inmate = factories.inmate(home)
    enrolment = officer_api.post(f"/api/training/courses/{course.id}/enrolments",
                                 json={"inmate_id": inmate.id}).json
    officer_api.post(f"/api/inmates/{inmate.id}/release", json={})
    assert _fresh(Enrolment, enrolment["id"]).status == EnrolmentStatus.DROPPED


def test_recommendations_from_latest_run(officer_api, officer_client, world):
    home = world["institution"]
    course = factories.course(home, title="Cooking for 300")
    assert officer_api.get("/api/training/recommendations").json["recommendations"] == []
    assert b"No match run yet" in officer_client.get("/training/").data
    db.session.add(MatchRun(institution_id=home.id, as_of=TODAY, input_snapshot={},
                            settings_snapshot={}, result={"training_recommendations": [
                                {"course_id": str(course.id), "trade": "cook", "seats": 10,
                                 "end_date": course.end_date.isoformat(),
                                 "extra_placements": 4, "exact": True, "upper_bound": 4,
                                 "inmate_ids": []}, "junk"]}))
    db.session.commit()
    body = officer_api.get("/api/training/recommendations").json
    assert body["recommendations"][0]["course_title"] == "Cooking for 300"
    assert body["recommendations"][0]["extra_placements"] == 4
    page = officer_client.get("/training/").data.decode()
    assert "Cooking for 300" in page and "Extra placements" in page


def test_pages_course_lifecycle(officer_client, world):
    home = world["institution"]
    welder = factories.trade("welder")
    form = {"trade_id": str(welder.id), "title": "Welding", "seats": "1",
            "start_date": (TODAY - timedelta(days=3)).isoformat(),
            "end_date": (TODAY + timedelta(days=30)).isoformat(), "hours": "40",
            "grants_certificate": "y", "grants_level": "2"}
    bad = officer_client.post("/training/courses/new", data=form | {"seats": "many"})
    assert bad.status_code == 422 and b"Not a valid integer" in bad.data
    assert officer_client.post("/training/courses/new", data=form).status_code == 302
    course = db.session.scalar(sa.select(Course))
    assert officer_client.get(f"/training/courses/{course.id}/edit").status_code == 200
    inmate = factories.inmate(home, file_number="T-1")
    unknown = officer_client.post(f"/training/courses/{course.id}/enrol",
                                  data={"file_number": "T-404"})
    assert unknown.status_code == 422
    assert b"no inmate here has this file number or name" in unknown.data
    assert officer_client.post(f"/training/courses/{course.id}/enrol",
                               data={"file_number": "T-1"}).status_code == 302
    full = officer_client.post(f"/training/courses/{course.id}/enrol",
                               data={"file_number": factories.inmate(home).file_number})
    assert full.status_code == 422 and b"is full" in full.data
    enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.inmate_id == inmate.id))
    done = officer_client.post(
        f"/training/courses/{course.id}/enrolments/{enrolment.id}/complete",
        data={"completed_on": TODAY.isoformat(), "certificate_number": "N-1"})
    assert done.status_code == 302
    assert b"N-1" in officer_client.get(f"/inmates/{inmate.id}").data
    assert officer_client.post(f"/training/courses/{course.id}/enrolments/999/drop",
                               data={}).status_code == 404
    assert officer_client.get("/training/courses/abc").status_code == 404


def test_training_scope(other_officer_api, other_officer_client, prosecutor_api,
                        employer_api, world):
    course = factories.course(world["institution"])
    inmate = factories.inmate(world["institution"])
    assert other_officer_api.get(f"/api/training/courses/{course.id}").status_code == 404
    assert other_officer_api.post(f"/api/training/courses/{course.id}/enrolments",
                                  json={"inmate_id": inmate.id}).status_code == 404
    assert other_officer_client.get(f"/training/courses/{course.id}").status_code == 404
    assert other_officer_api.get("/api/training/courses").json == []
    assert prosecutor_api.get(f"/api/training/courses/{course.id}").status_code == 200
    for api in (prosecutor_api, employer_api):
        assert api.post("/api/training/courses", json=course_body()).status_code == 403
        assert api.post(f"/api/training/courses/{course.id}/enrolments",
                        json={"inmate_id": inmate.id}).status_code == 403
    assert employer_api.get("/api/training/courses").status_code == 403
