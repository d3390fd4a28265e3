"""Placements: listing current and past, ending with a reason; history kept (R19)."""

from datetime import timedelta

import sqlalchemy as sa

from app.core.vocabulary import EndReason
from app.extensions import db
from app.placements.models import Placement
from policy.clock import today_in_kazakhstan
from tests import factories

TODAY = today_in_kazakhstan()


def test_list_current_and_past(officer_api, scene):
    current = factories.placement(scene.inmate(last_name="Current"), scene.vacancy())
    past = factories.placement(scene.inmate(last_name="Past"), scene.vacancy(),
                               start_date=TODAY - timedelta(days=100),
                               end_date=TODAY - timedelta(days=10),
                               end_reason=EndReason.COMPLETED)
    ids = lambda state: [p["id"] for p in officer_api.get(  # noqa: E731
        f"/api/placements/?state={state}").json]
    assert ids("current") == [current.id]
    assert ids("past") == [past.id]
    assert set(ids("all")) == {current.id, past.id}
    found = officer_api.get("/api/placements/?state=all&q=past").json
    assert [p["id"] for p in found] == [past.id]
    assert officer_api.get("/api/placements/?state=bogus").status_code == 422


def test_list_is_paginated(officer_api, scene):
    vacancy = scene.vacancy(positions=5)
    for _ in range(3):
        factories.placement(scene.inmate(), vacancy)
    response = officer_api.get("/api/placements/?page=1&page_size=2")
    assert len(response.json) == 2
    assert '"total": 3' in response.headers["X-Pagination"]


def test_end_placement_keeps_the_history(officer_api, scene):
    placement = factories.placement(scene.inmate(), scene.vacancy())
    response = officer_api.post(f"/api/placements/{placement.id}/end",
                                json={"reason": "dismissed", "note": "absences"})
    assert response.status_code == 200, response.json
    assert response.json["end_date"] == TODAY.isoformat()
    assert response.json["end_reason"] == "dismissed"
    db.session.expire_all()
    stored = db.session.get(Placement, placement.id)
    assert (stored.end_reason, stored.end_note) == (EndReason.DISMISSED, "absences")
    again = officer_api.post(f"/api/placements/{placement.id}/end", json={"reason": "completed"})
    assert again.status_code == 422 and "placement" in again.json["errors"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 1


def test_end_before_start_or_unknown_reason_is_refused(officer_api, scene):
    placement = factories.placement(scene.inmate(), scene.vacancy())
    early = (placement.start_date - timedelta(days=1)).isoformat()
    response = officer_api.post(f"/api/placements/{placement.id}/end",
                                json={"reason": "completed", "end_date": early})
    assert response.status_code == 422 and "end_date" in response.json["errors"]
    response = officer_api.post(f"/api/placements/{placement.id}/end", json={"reason": "bored"})
    assert response.status_code == 422 and "reason" in response.json["errors"]


def test_ending_frees_the_position(officer_api, scene):
    vacancy = scene.vacancy(positions=1)
    placement = factories.placement(scene.inmate(), vacancy)
    proposal = scene.propose(vacancy=vacancy)
    url = f"/api/placements/proposals/{proposal.id}/accept"
    assert officer_api.post(url, json={}).status_code == 409
    officer_api.post(f"/api/placements/{placement.id}/end", json={"reason": "completed"})
    assert officer_api.post(url, json={}).status_code == 201


def test_pages_list_and_end(officer_client, scene):
    placement = factories.placement(scene.inmate(last_name="Worker"), scene.vacancy())
    listing = officer_client.get("/placements/")
    assert listing.status_code == 200 and "Worker" in listing.get_data(as_text=True)
    assert officer_client.get(f"/placements/{placement.id}/end").status_code == 200
    answers = {"reason": "released", "end_date": TODAY.isoformat(), "note": ""}
    asked = officer_client.post(f"/placements/{placement.id}/end", data=answers)
    assert asked.status_code == 200 and "Check before ending the placement" in asked.text
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).end_date is None  # asked, not ended
    response = officer_client.post(f"/placements/{placement.id}/end",
                                   data=answers | {"confirmed": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).end_reason == EndReason.RELEASED
    past = officer_client.get("/placements/?state=past").get_data(as_text=True)
    assert "Worker" in past


def test_page_end_refusal_is_422(officer_client, scene):
    placement = factories.placement(scene.inmate(), scene.vacancy())
    early = (placement.start_date - timedelta(days=1)).isoformat()
    response = officer_client.post(f"/placements/{placement.id}/end", data={
        "reason": "released", "end_date": early})
    assert response.status_code == 422
    assert "before the placement started" in response.get_data(as_text=True)


def test_every_page_names_the_end_date_the_first_day_without_work(officer_client, scene):
    """The end date is the first day without work: the form asks for it in those words
    with the last working day explained, and the lists head its column so."""
    ended = factories.placement(scene.inmate(last_name="Ended"), scene.vacancy(),
                                start_date=TODAY - timedelta(days=30),
                                end_date=TODAY - timedelta(days=3),
                                end_reason=EndReason.COMPLETED)
    current = factories.placement(scene.inmate(), scene.vacancy())
    form = officer_client.get(f"/placements/{current.id}/end").get_data(as_text=True)
    assert "First day without work" in form
    assert "last working day is the day before this one" in form
    listed = officer_client.get("/placements/?state=all").get_data(as_text=True)
    assert "<th>First day without work</th>" in listed
    profile = officer_client.get(f"/inmates/{ended.inmate_id}").get_data(as_text=True)
    assert "<th>First day without work</th>" in profile
