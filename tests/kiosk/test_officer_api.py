"""The officer's side through the API and the administration: PINs, the statement's
content, the institutions that run kiosks."""

from app.extensions import db
from app.kiosk import operations as kiosk
from tests import factories
from tests.kiosk.conftest import sign_in


def test_the_officer_issues_and_locks_a_pin_through_the_api(app, people):
    aidar = people["aidar"]
    api = factories.ApiClient(app, people["officer"])
    issued = api.post(f"/api/kiosk/inmates/{aidar.id}/pin")
    assert issued.status_code == 201
    client = app.test_client()
    assert sign_in(client, people, pin=issued.json["pin"]).status_code == 302
    assert api.delete(f"/api/kiosk/inmates/{aidar.id}/pin").status_code == 204
    assert client.get("/api/kiosk/me").status_code == 401  # the lock ended the session
    fresh = factories.inmate(people["institution"])
    assert api.delete(f"/api/kiosk/inmates/{fresh.id}/pin").status_code == 409
    other = factories.ApiClient(app, people["other_officer"])
    assert other.post(f"/api/kiosk/inmates/{aidar.id}/pin").status_code == 404
    prosecutor = factories.ApiClient(app, people["prosecutor"])
    assert prosecutor.post(f"/api/kiosk/inmates/{aidar.id}/pin").status_code == 403


def test_the_statements_content_for_readers_in_scope(app, people):
    aidar = people["aidar"]
    view = factories.ApiClient(app, people["prosecutor"]).get(
        f"/api/kiosk/inmates/{aidar.id}/statement").json
    assert view["inmate_id"] == aidar.id and view["jobs"][0]["title"] == "Sewing line"
    away = factories.ApiClient(app, people["other_prosecutor"])
    assert away.get(f"/api/kiosk/inmates/{aidar.id}/statement").status_code == 404


def test_an_administrator_sets_which_institutions_run_kiosks(app, people, admin_client):
    institution = people["other_institution"]
    form = {"code": institution.code, "name": institution.name,
            "region_id": institution.region_id, "kind": institution.kind.value,
            "regime": institution.regime.value, "address": "", "runs_kiosks": "y"}
    assert admin_client.post(f"/admin/institutions/{institution.id}", data=form).status_code \
        == 302
    db.session.expire_all()
    assert institution.runs_kiosks
    assert sign_in(app.test_client(), people, who="away").status_code == 302
    del form["runs_kiosks"]
    admin_client.post(f"/admin/institutions/{institution.id}", data=form)
    db.session.expire_all()
    assert not institution.runs_kiosks


def test_a_pin_is_for_a_person_held_here(app, people):
    from app.core.vocabulary import CustodyStatus

    people["bolat"].status = CustodyStatus.RELEASED
    db.session.commit()
    api = factories.ApiClient(app, people["officer"])
    assert api.post(f"/api/kiosk/inmates/{people['bolat'].id}/pin").status_code == 422
    assert kiosk.pin_of(people["bolat"].id).failures == 0


def test_a_prosecutor_reads_the_kiosk_page_without_its_buttons(app, people, prosecutor_client,
                                                               officer_client):
    aidar = people["aidar"]
    page = prosecutor_client.get(f"/inmates/{aidar.id}/kiosk")
    assert page.status_code == 200
    assert f"/inmates/{aidar.id}/kiosk/pin" not in page.get_data(as_text=True)
    assert f"/inmates/{aidar.id}/kiosk/pin" in officer_client.get(
        f"/inmates/{aidar.id}/kiosk").get_data(as_text=True)
