"""Kiosk sign-in: the PIN the officer issues (shown once, kept as a hash, audited
without its hash), the lock after repeated wrong PINs (lifted by a new PIN), and the
kiosk session's end."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.core.security import check_password
from app.extensions import db
from app.kiosk import guard
from app.kiosk import operations as kiosk
from app.kiosk.models import KioskPin
from tests.conftest import login
from tests.kiosk.conftest import sign_in


def _pin(person) -> KioskPin:
    db.session.expire_all()
    return kiosk.pin_of(person.id)


def test_the_officer_issues_a_pin_shown_once_and_stored_as_a_hash(officer_client, people):
    aidar = people["aidar"]
    page = officer_client.post(f"/inmates/{aidar.id}/kiosk/pin")
    assert page.status_code == 200
    pin = page.get_data(as_text=True).split('class="pin"><b>')[1].split("<")[0]
    assert len(pin) == kiosk.PIN_DIGITS and pin.isdigit()
    stored = _pin(aidar)
    assert pin not in stored.pin_hash and check_password(stored.pin_hash, pin)
    again = officer_client.get(f"/inmates/{aidar.id}/kiosk").get_data(as_text=True)
    assert pin not in again and 'id="new-pin"' not in again
    # Audited, never with the hash.
    events = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "KioskPin", AuditEvent.entity_id == str(stored.id))).all()
    assert events and all(stored.pin_hash not in str(e.after) for e in events)
    assert events[-1].after["pin_hash"] == "(hidden)"


def test_only_the_persons_own_officer_issues_a_pin(app, people):
    aidar = people["aidar"]
    for who, status in (("other_officer", 404), ("prosecutor", 403), ("admin", 403)):
        client = app.test_client()
        login(client, people[who])
        assert client.post(f"/inmates/{aidar.id}/kiosk/pin").status_code == status, who
    assert kiosk.pin_of(aidar.id).failures == 0


def test_the_right_pin_signs_in_and_a_wrong_one_does_not(app, people):
    client = app.test_client()
    refused = sign_in(client, people, pin="000000" if people["pins"][people["aidar"].id]
                      != "000000" else "111111")
    assert refused.status_code == 422
    assert "Wrong file number or PIN" in refused.get_data(as_text=True)
    assert client.get("/kiosk/me").status_code == 302
    assert sign_in(client, people).status_code == 302
    assert client.get("/kiosk/me").status_code == 200


def _wrong(people, who="aidar"):
    right = people["pins"][people[who].id]
    return "".join(str((int(d) + 1) % 10) for d in right)


def test_five_wrong_pins_lock_it_until_the_officer_issues_a_new_one(app, people):
    aidar = people["aidar"]
    client = app.test_client()
    for attempt in range(1, kiosk.MAX_FAILURES + 1):
        assert sign_in(client, people, pin=_wrong(people)).status_code == 422
        assert _pin(aidar).failures == attempt  # kept though the request was refused
    assert _pin(aidar).locked
    assert sign_in(client, people).status_code == 422  # the right PIN no longer opens
    new_pin = kiosk.issue_pin(aidar, people["officer"].id)
    db.session.commit()
    assert not _pin(aidar).locked and _pin(aidar).failures == 0
    assert sign_in(client, people, pin=new_pin).status_code == 302


def test_a_right_pin_clears_the_count_of_wrong_ones(app, people):
    client = app.test_client()
    for _attempt in range(kiosk.MAX_FAILURES - 1):
        sign_in(client, people, pin=_wrong(people))
    assert sign_in(client, people).status_code == 302
    assert _pin(people["aidar"]).failures == 0


def test_the_api_counts_wrong_pins_too_and_documents_its_refusals(app, people):
    aidar = people["aidar"]
    client = app.test_client()
    body = {"institution_id": aidar.institution_id, "file_number": aidar.file_number}
    refused = client.post("/api/kiosk/session", json={**body, "pin": _wrong(people)})
    assert refused.status_code == 401
    assert _pin(aidar).failures == 1
    signed_in = client.post("/api/kiosk/session", json={**body, "pin": people["pins"][aidar.id]})
    assert signed_in.status_code == 201 and signed_in.json["inmate_id"] == aidar.id
    assert client.get("/api/kiosk/me").json["inmate_id"] == aidar.id
    assert client.get("/api/openapi.json").status_code == 403  # nothing else of the API
    operations = app.test_client().get("/api/openapi.json").json["paths"]
    assert {"401", "422", "429"} <= set(operations["/api/kiosk/session"]["post"]["responses"])
    assert {"401", "403"} <= set(operations["/api/kiosk/me"]["get"]["responses"])


def test_no_kiosk_where_the_institution_runs_none(app, people):
    client = app.test_client()
    assert sign_in(client, people, who="away").status_code == 422
    form = client.get("/kiosk/").get_data(as_text=True)
    assert people["other_institution"].name not in form


def test_the_same_file_number_elsewhere_is_another_person(app, people):
    """File numbers are unique per institution: the institution picked decides."""
    client = app.test_client()
    away = people["away"]
    refused = client.post("/kiosk/", data={"institution_id": people["institution"].id,
                                           "file_number": away.file_number,
                                           "pin": people["pins"][away.id]})
    assert refused.status_code == 422


def test_a_new_pin_or_a_lock_ends_the_kiosk_session(app, people, kiosk_client):
    aidar = people["aidar"]
    kiosk.issue_pin(aidar, people["officer"].id)
    db.session.commit()
    assert kiosk_client.get("/kiosk/me").status_code == 302
    other = app.test_client()
    assert sign_in(other, people, who="bolat").status_code == 302
    kiosk.revoke_pin(people["bolat"])
    db.session.commit()
    assert other.get("/api/kiosk/me").status_code == 401


def test_an_idle_kiosk_session_ends(app, people, kiosk_client):
    with kiosk_client.session_transaction() as session:
        data = dict(session[guard.SESSION_KEY])
        data["at"] = (datetime.fromisoformat(data["at"]) - guard.IDLE
                      - timedelta(seconds=1)).isoformat()
        session[guard.SESSION_KEY] = data
    assert kiosk_client.get("/kiosk/me").status_code == 302
    assert kiosk_client.get("/api/kiosk/me").status_code == 401


def test_signing_in_at_the_kiosk_ends_a_staff_login_in_the_browser(app, people):
    client = app.test_client()
    login(client, people["officer"])
    assert client.get(f"/inmates/{people['bolat'].id}").status_code == 200
    assert sign_in(client, people).status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session
    client.post("/kiosk/sign-out")
    assert client.get(f"/inmates/{people['bolat'].id}").status_code == 302  # log in again


def test_a_released_person_cannot_sign_in(app, people):
    from app.core.vocabulary import CustodyStatus

    people["aidar"].status = CustodyStatus.RELEASED
    db.session.commit()
    assert sign_in(app.test_client(), people).status_code == 422


def test_an_untouched_kiosk_page_signs_itself_out(app, people, kiosk_client):
    """The screen must not show the person's data to whoever comes next."""
    html = kiosk_client.get("/kiosk/me").get_data(as_text=True)
    assert f'content="{int(guard.IDLE.total_seconds())};url=/kiosk/timed-out"' in html
    assert kiosk_client.get("/kiosk/timed-out").headers["Location"] == "/kiosk/"
    assert kiosk_client.get("/kiosk/me").status_code == 302


def test_sign_in_attempts_are_throttled_per_address(app, people):
    app.config["LOGIN_RATE_LIMIT"], before = "3 per minute", app.config["LOGIN_RATE_LIMIT"]
    try:
        client = app.test_client()
        answers = [sign_in(client, people, who="bolat", pin=_wrong(people, "bolat")).status_code
                   for _attempt in range(3)]
        assert answers == [422, 422, 422]
        assert sign_in(client, people).status_code == 429  # even the right PIN, for now
        assert client.post("/api/kiosk/session", json={
            "institution_id": people["aidar"].institution_id,
            "file_number": people["aidar"].file_number,
            "pin": people["pins"][people["aidar"].id]}).status_code == 429  # shared count
    finally:
        app.config["LOGIN_RATE_LIMIT"] = before


def test_a_session_ends_when_the_institution_stops_running_kiosks(app, people, kiosk_client):
    people["institution"].runs_kiosks = False
    db.session.commit()
    assert kiosk_client.get("/api/kiosk/me").status_code == 401
