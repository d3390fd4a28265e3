"""Suspending a placement without ending it (a sickness, a disciplinary cell, a court
visit, other), resuming it, and each workshop's allocation history. A suspended
placement stays a placement: the person counts as employed (R1) but is not on the
day's unlock list."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine

from app.core.audit import AuditEvent
from app.core.vocabulary import EndReason
from app.extensions import db
from app.monitoring.rates import rate_of
from app.placements import operations
from app.placements.models import Suspension
from tests import factories
from tests.conftest import login
from tests.factories import ApiClient

NOON = datetime(2026, 12, 9, 7, 0, tzinfo=UTC)  # Wednesday 9 December 2026 in Kazakhstan
TODAY = date(2026, 12, 9)


@pytest.fixture
def placement(app, world):
    with time_machine.travel(NOON, tick=False):
        inmate = factories.inmate(world["institution"], admission_date=date(2024, 1, 1),
                                  convicted_on=date(2023, 12, 1), last_name="Ахметов")
        vacancy = factories.vacancy(world["employer"], world["institution"],
                                    title="Швейный цех", start_date=date(2024, 1, 1))
        yield factories.placement(inmate, vacancy, start_date=date(2026, 10, 1))


def _suspend(api, placement, **body):
    return api.post(f"/api/placements/{placement.id}/suspensions",
                    json={"reason": "disciplinary_cell", "start_date": "2026-12-08", **body})


def _due(api):
    return [p["placement_id"] for p in api.get("/api/attendance").json["people"]]


def test_a_suspension_takes_the_person_off_the_unlock_list_not_off_the_rate(
        app, world, placement):
    officer = ApiClient(app, world["officer"])
    employed = rate_of(world["institution"], TODAY).counts.employed
    assert employed == 1
    created = _suspend(officer, placement, note="15 суток")
    assert created.status_code == 201, created.json
    assert (created.json["reason"], created.json["start_date"], created.json["end_date"]) == (
        "disciplinary_cell", "2026-12-08", None)
    assert _due(officer) == []
    # still a placement: active, employed for R1, holding its position
    db.session.expire_all()
    assert placement.end_date is None
    assert rate_of(world["institution"], TODAY).counts.employed == employed
    resumed = officer.post(f"/api/placements/{placement.id}/resume", json={"on": "2026-12-09"})
    assert resumed.status_code == 200, resumed.json
    assert resumed.json["end_date"] == "2026-12-09"
    assert _due(officer) == [placement.id]
    actions = [e.action for e in db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "Suspension").order_by(AuditEvent.id))]
    assert actions == ["create", "update"]
    listed = officer.get(f"/api/placements/{placement.id}/suspensions").json
    assert [s["note"] for s in listed] == ["15 суток"]


def test_a_suspension_until_a_day_ends_by_itself(app, world, placement):
    officer = ApiClient(app, world["officer"])
    assert _suspend(officer, placement, reason="sickness",
                    end_date="2026-12-10").status_code == 201
    assert _due(officer) == []
    with time_machine.travel(datetime(2026, 12, 10, 7, 0, tzinfo=UTC), tick=False):
        assert _due(officer) == [placement.id]


@pytest.mark.parametrize(("body", "field"), [
    ({"reason": None}, "reason"),
    ({"reason": "holiday"}, "reason"),
    ({"reason": "other"}, "note"),
    ({"start_date": "08.13.2026"}, "start_date"),
    ({"start_date": "2026-09-01"}, "start_date"),  # before the placement started
    ({"end_date": "2026-12-08"}, "end_date"),  # not after the first day off
    ({"note": "x" * 501}, "note"),
])
def test_bad_suspensions_are_refused_naming_the_field(app, world, placement, body, field):
    response = _suspend(ApiClient(app, world["officer"]), placement, **body)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suspension)) == 0


def test_overlaps_and_resuming_what_is_not_suspended_are_conflicts(app, world, placement):
    officer = ApiClient(app, world["officer"])
    not_suspended = officer.post(f"/api/placements/{placement.id}/resume", json={})
    assert not_suspended.status_code == 409
    assert _suspend(officer, placement, end_date="2026-12-20").status_code == 201
    overlap = _suspend(officer, placement, reason="sickness", start_date="2026-12-15")
    assert overlap.status_code == 409 and "start_date" in overlap.json["errors"]
    early = officer.post(f"/api/placements/{placement.id}/resume", json={"on": "2026-12-01"})
    assert early.status_code == 422 and "on" in early.json["errors"]
    after = _suspend(officer, placement, reason="court_visit", start_date="2026-12-21")
    assert after.status_code == 201, after.json


def test_an_ended_placement_is_not_suspended(app, world, placement):
    with time_machine.travel(NOON, tick=False):
        operations.end_placement(placement, EndReason.COMPLETED, date(2026, 12, 1))
        db.session.commit()
    response = _suspend(ApiClient(app, world["officer"]), placement)
    assert response.status_code == 422 and "start_date" in response.json["errors"]


def test_only_the_institutions_officers_suspend_and_resume(app, world, placement):
    partner = factories.partner_user(world["region"])
    for user, status in ((world["other_officer"], 404), (world["employer_user"], 403),
                         (partner, 403), (world["prosecutor"], 403), (world["admin"], 403)):
        api = ApiClient(app, user)
        assert _suspend(api, placement).status_code == status, user.role
        assert api.post(f"/api/placements/{placement.id}/resume",
                        json={}).status_code == status, user.role
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suspension)) == 0
    for user, status in ((world["other_officer"], 404), (world["other_prosecutor"], 404),
                         (world["employer_user"], 403), (partner, 403)):
        api = ApiClient(app, user)
        assert api.get(f"/api/placements/{placement.id}/suspensions").status_code == status
        assert api.get(f"/api/placements/vacancies/{placement.vacancy_id}/history"
                       ).status_code == status
    client = app.test_client()
    login(client, world["employer_user"])
    assert client.get(f"/placements/{placement.id}/suspensions").status_code == 403
    assert client.post(f"/placements/{placement.id}/suspensions", data={}).status_code == 403
    assert client.get(f"/placements/vacancies/{placement.vacancy_id}/history").status_code == 403
    login(client, world["other_officer"])
    assert client.post(f"/placements/{placement.id}/suspensions", data={
        "reason": "sickness", "start_date": "2026-12-08"}).status_code == 404


def test_the_workshops_history_newest_first_and_paged(app, world, placement):
    officer = ApiClient(app, world["officer"])
    _suspend(officer, placement, start_date="2026-11-02", end_date="2026-11-05",
             reason="court_visit")
    with time_machine.travel(NOON, tick=False):
        operations.end_placement(placement, EndReason.DISMISSED, date(2026, 12, 1), "прогулы")
        db.session.commit()
    history = officer.get(f"/api/placements/vacancies/{placement.vacancy_id}/history")
    assert history.status_code == 200, history.json
    assert [(e["event"], e["day"], e["reason"]) for e in history.json] == [
        ("ended", "2026-12-01", "dismissed"), ("resumed", "2026-11-05", None),
        ("suspended", "2026-11-02", "court_visit"), ("started", "2026-10-01", None)]
    assert history.json[0]["note"] == "прогулы"
    assert history.json[2]["until"] == "2026-11-05"
    assert history.json[0]["inmate_name"].startswith("Ахметов")
    paged = officer.get(f"/api/placements/vacancies/{placement.vacancy_id}/history"
                        "?page=2&page_size=3")
    assert [e["event"] for e in paged.json] == ["started"]
    assert '"total": 4' in paged.headers["X-Pagination"]
    prosecutor = ApiClient(app, world["prosecutor"])
    assert len(prosecutor.get(f"/api/placements/vacancies/{placement.vacancy_id}/history"
                              ).json) == 4


def test_the_pages_suspend_resume_and_show_the_history(app, world, placement):
    client = app.test_client()
    login(client, world["officer"])
    client.set_cookie("lang", "ru")
    page = client.get(f"/placements/{placement.id}/suspensions")
    assert page.status_code == 200 and 'name="reason"' in page.get_data(as_text=True)
    refused = client.post(f"/placements/{placement.id}/suspensions", data={
        "reason": "other", "start_date": "2026-12-08", "note": ""})
    assert refused.status_code == 422
    assert 'aria-invalid="true"' in refused.get_data(as_text=True)
    saved = client.post(f"/placements/{placement.id}/suspensions", data={
        "reason": "sickness", "start_date": "2026-12-08"})
    assert saved.status_code == 302
    suspended = client.get(f"/placements/{placement.id}/suspensions").get_data(as_text=True)
    assert 'name="on"' in suspended
    with time_machine.travel(NOON, tick=False):
        resumed = client.post(f"/placements/{placement.id}/resume", data={"on": "2026-12-09"})
    assert resumed.status_code == 302
    assert db.session.scalar(sa.select(Suspension.end_date)) == TODAY
    history = client.get(f"/placements/vacancies/{placement.vacancy_id}/history")
    assert history.status_code == 200
    text = history.get_data(as_text=True)
    assert "Ахметов" in text and text.index("2026") > 0
    login(client, world["prosecutor"])
    read = client.get(f"/placements/{placement.id}/suspensions").get_data(as_text=True)
    assert 'name="reason"' not in read
    assert client.post(f"/placements/{placement.id}/resume", data={}).status_code == 403


def _end_by_the_officer(app, world, placement, on):
    return ApiClient(app, world["officer"]).post(
        f"/api/placements/{placement.id}/end",
        json={"reason": "dismissed", "end_date": on.isoformat()}).status_code


def _end_by_release(app, world, placement, on):
    from app.inmates.operations import release_inmate

    release_inmate(placement.inmate, on)
    db.session.commit()
    return 200


@pytest.mark.parametrize("ending", [_end_by_the_officer, _end_by_release])
def test_an_ending_ends_the_open_suspension_that_day(app, world, placement, ending):
    officer = ApiClient(app, world["officer"])
    assert _suspend(officer, placement, reason="sickness").status_code == 201
    with time_machine.travel(NOON, tick=False):
        assert ending(app, world, placement, TODAY) == 200
    db.session.expire_all()
    assert db.session.scalar(sa.select(Suspension.end_date)) == TODAY  # no longer open
    changes = db.session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.entity_type == "Suspension").order_by(AuditEvent.id)).all()
    assert changes == ["create", "update"]  # the ending is in the audit trail


def test_a_suspension_from_after_the_ending_is_undone(app, world, placement):
    officer = ApiClient(app, world["officer"])
    assert _suspend(officer, placement, start_date="2026-12-11").status_code == 201
    with time_machine.travel(NOON, tick=False):
        assert _end_by_the_officer(app, world, placement, TODAY) == 200
    db.session.expire_all()
    suspension = db.session.scalars(sa.select(Suspension)).one()
    assert suspension.start_date == suspension.end_date == date(2026, 12, 11)
