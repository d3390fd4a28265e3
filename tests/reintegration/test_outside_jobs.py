"""R22 jobs waiting outside: the solver proposes people due for release by
destination region, release before the start, certificate when required; the
employer sees a short profile only with consent and answers; an offer fills
the plan's job part."""

from datetime import timedelta

import pytest

from app.core.vocabulary import PartStatus, PlanPartKind, Role
from app.extensions import db
from app.inmates.operations import withdraw_consent
from app.reintegration import operations as ops
from tests import factories
from tests.factories import ApiClient
from tests.reintegration.conftest import TODAY, person_agrees

PROFILE_KEYS = {"plan_id", "full_name", "trades", "certificates", "release_month", "answer"}


@pytest.fixture
def employer(app, scene):
    return ApiClient(app, scene.world["employer_user"])


def _post(employer, scene, **changes):
    values = {"title": "Welder", "trade_id": scene.trade.id, "locality": "Temirtau",
              "region_id": scene.world["region"].id, "positions": 1, "monthly_wage": 250_000,
              "start_date": (TODAY + timedelta(days=90)).isoformat()} | changes
    response = employer.post("/api/outside-jobs", json=values)
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_proposals_follow_region_release_and_consent(employer, scene):
    job = _post(employer, scene)
    listed = employer.get(f"/api/outside-jobs/{job}/candidates")
    assert listed.status_code == 200
    # one position: the welder with skill and certificate wins over the other person
    assert [c["full_name"].split()[0] for c in listed.json] == ["Leavingov"]
    assert set(listed.json[0]) == PROFILE_KEYS
    assert listed.json[0]["certificates"] == ["welder"]
    assert "SECRET-77" not in str(listed.json)
    # a job starting before the release proposes nobody (R22)
    early = _post(employer, scene, start_date=TODAY.isoformat())
    assert employer.get(f"/api/outside-jobs/{early}/candidates").json == []
    # nor one in another region
    away = _post(employer, scene, region_id=scene.world["other_region"].id)
    assert employer.get(f"/api/outside-jobs/{away}/candidates").json == []


def test_certificate_required_and_no_consent(employer, scene):
    job = _post(employer, scene, positions=5, certificate_required=True)
    assert [c["full_name"].split()[0] for c in employer.get(
        f"/api/outside-jobs/{job}/candidates").json] == ["Leavingov"]
    with factories.acting_as(scene.world["officer"]):
        withdraw_consent(scene.consent, TODAY)
        db.session.commit()
    assert employer.get(f"/api/outside-jobs/{job}/candidates").json == []


def test_offer_fills_the_job_part_arranged_once_the_person_agrees(app, employer, scene):
    job = _post(employer, scene)
    plan_id = scene.plan.id
    url = f"/api/outside-jobs/{job}/candidates/{plan_id}/answer"
    assert employer.post(url, json={"answer": "interview"}).json["answer"] == "interview"
    offered = employer.post(url, json={"answer": "offer"})
    assert offered.status_code == 200 and offered.json["answer"] == "offer"
    assert employer.post(url, json={"answer": "no"}).status_code == 409
    db.session.expire_all()
    job_part = next(p for p in ops.plan_of(scene.leaving.id).parts
                    if p.kind == PlanPartKind.JOB)
    # the person has not answered yet: the offer is recorded, the part is not arranged
    assert job_part.status == PartStatus.IN_PROGRESS and "Welder" in job_part.note
    officer = ApiClient(app, scene.world["officer"])
    part_url = f"/api/release-plans/{plan_id}/parts/{job_part.id}"
    refused = officer.patch(part_url, json={"status": "arranged"})
    assert refused.status_code == 422 and set(refused.json["errors"]) == {"agreement"}
    agreed = officer.patch(part_url, json={"status": "arranged", "agreement": "agreed"})
    assert agreed.status_code == 200 and agreed.json["status"] == "arranged"
    assert agreed.json["agreement"] == "agreed"
    # a person not proposed cannot be answered for; another business sees nothing
    other_url = f"/api/outside-jobs/{job}/candidates/{scene.other_plan.id}/answer"
    assert employer.post(other_url, json={"answer": "offer"}).status_code == 422
    other_business = factories.employer()
    stranger = ApiClient(app, factories.user(Role.EMPLOYER, employer_id=other_business.id))
    assert stranger.get(f"/api/outside-jobs/{job}/candidates").status_code == 404
    assert stranger.get("/api/outside-jobs").json == []


def test_other_person_proposed_when_two_positions(employer, scene):
    job = _post(employer, scene, positions=2)
    names = sorted(c["full_name"].split()[0]
                   for c in employer.get(f"/api/outside-jobs/{job}/candidates").json)
    assert names == ["Leavingov", "Neverreferred"]


def test_release_month_is_a_year_and_month(employer, scene):
    job = _post(employer, scene)
    profile = employer.get(f"/api/outside-jobs/{job}/candidates").json[0]
    assert profile["release_month"] == f"{scene.leaving.release_date:%Y-%m}"


def test_poster_patches_and_closes_through_the_api(app, employer, scene):
    job = _post(employer, scene, positions=2)
    person_agrees(scene.plan, scene.world["officer"])
    changed = employer.patch(f"/api/outside-jobs/{job}", json={"title": "Senior welder"})
    assert changed.status_code == 200, changed.json
    assert (changed.json["title"], changed.json["positions"]) == ("Senior welder", 2)
    refused = employer.patch(f"/api/outside-jobs/{job}",
                             json={"positions": 0, "region_id": 999999})
    assert refused.status_code == 422 and "positions" in refused.json["errors"]
    unknown = employer.patch(f"/api/outside-jobs/{job}", json={"region_id": 999999})
    assert unknown.status_code == 422 and "region_id" in unknown.json["errors"]
    answer = f"/api/outside-jobs/{job}/candidates/{{}}/answer"
    assert employer.post(answer.format(scene.plan.id), json={"answer": "offer"}).status_code == 200
    assert employer.patch(f"/api/outside-jobs/{job}", json={"positions": 0}).status_code == 422
    closed = employer.post(f"/api/outside-jobs/{job}/close")
    assert closed.status_code == 200 and closed.json["open"] is False
    assert employer.get(f"/api/outside-jobs/{job}").json["open"] is False
    # closed: no more proposals nor answers, no change, no second closing
    assert [c["answer"] for c in employer.get(f"/api/outside-jobs/{job}/candidates").json] == [
        "offer"]
    assert employer.post(answer.format(scene.other_plan.id),
                         json={"answer": "interview"}).status_code == 409
    assert employer.patch(f"/api/outside-jobs/{job}", json={"title": "x"}).status_code == 409
    assert employer.post(f"/api/outside-jobs/{job}/close").status_code == 409
    db.session.expire_all()
    job_part = next(p for p in ops.plan_of(scene.leaving.id).parts
                    if p.kind == PlanPartKind.JOB)
    assert job_part.status == PartStatus.ARRANGED  # the offered person keeps it


def test_only_the_poster_patches_or_closes_through_the_api(app, employer, scene):
    job = _post(employer, scene)
    stranger = ApiClient(app, factories.user(Role.EMPLOYER, employer_id=factories.employer().id))
    for client in (stranger, ApiClient(app, scene.akimat_user)):
        assert client.get(f"/api/outside-jobs/{job}").status_code == 404
        assert client.patch(f"/api/outside-jobs/{job}", json={"title": "x"}).status_code == 404
        assert client.post(f"/api/outside-jobs/{job}/close").status_code == 404
    for user in (scene.partner, scene.world["officer"], scene.world["prosecutor"],
                 scene.world["admin"]):
        client = ApiClient(app, user)
        assert client.patch(f"/api/outside-jobs/{job}", json={"title": "x"}).status_code == 403
        assert client.post(f"/api/outside-jobs/{job}/close").status_code == 403
    assert employer.get(f"/api/outside-jobs/{job}").json["title"] == "Welder"
    assert employer.get(f"/api/outside-jobs/{job}").json["open"] is True


def test_openapi_documents_change_and_close(app, employer):
    paths = employer.get("/api/openapi.json").json["paths"]
    patch = paths["/api/outside-jobs/{job_id}"]["patch"]
    close = paths["/api/outside-jobs/{job_id}/close"]["post"]
    for operation in (patch, close):
        assert {"401", "403", "404", "409", "422"} <= set(operation["responses"])
    assert "requestBody" in patch and "requestBody" not in close
