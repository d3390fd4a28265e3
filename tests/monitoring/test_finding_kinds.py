"""A finding records the prosecutor's act: an act of response (представление), a
warning (предостережение), a protest (протест) or another; required on a new finding,
shown and filterable on the prosecutor's and the institution's side, in the API."""

import sqlalchemy as sa

from app.core.vocabulary import FindingKind
from app.extensions import db
from app.monitoring import operations
from app.monitoring.models import Finding
from app.notifications.models import Notification
from tests import factories


def _record(world, **fields):
    values = {"text": "Too few work places", "institution_id": world["institution"].id}
    return operations.record_finding(world["prosecutor"], **{**values, **fields})


def _kinds():
    db.session.expire_all()
    return [f.kind for f in db.session.scalars(sa.select(Finding).order_by(Finding.id))]


def test_the_page_requires_a_kind_and_says_so_in_the_users_language(world,
                                                                     prosecutor_client):
    world["prosecutor"].language = "ru"
    db.session.commit()
    data = {"institution_id": world["institution"].id, "text": "Мало рабочих мест"}
    refused = prosecutor_client.post("/monitoring/findings", data=data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'name="kind"' in page
    assert "Обязательное поле" in page and "Вид акта" in page
    assert "Мало рабочих мест" in page  # what was typed is kept
    assert prosecutor_client.post("/monitoring/findings", data={
        **data, "kind": "reprimand"}).status_code == 422
    assert _kinds() == []
    recorded = prosecutor_client.post("/monitoring/findings", data={**data, "kind": "protest"})
    assert recorded.status_code == 302 and _kinds() == [FindingKind.PROTEST]


def test_the_api_requires_a_kind_naming_the_field(app, world):
    api = factories.ApiClient(app, world["prosecutor"])
    body = {"text": "x", "institution_id": world["institution"].id}
    for sent in ({}, {"kind": "reprimand"}, {"kind": None}):
        response = api.post("/api/monitoring/findings", json={**body, **sent})
        assert response.status_code == 422 and list(response.json["errors"]) == ["kind"], sent
    created = api.post("/api/monitoring/findings", json={**body, "kind": "act_of_response"})
    assert created.status_code == 201 and created.json["kind"] == "act_of_response"
    assert _kinds() == [FindingKind.ACT_OF_RESPONSE]


def test_an_operation_without_a_kind_is_refused(world):
    try:
        _record(world)
    except operations.RuleViolation as refused:
        assert refused.field == "kind"
    else:
        raise AssertionError("a finding without a kind was recorded")


def test_kinds_are_shown_and_filtered_on_both_sides(app, world, prosecutor_client,
                                                    officer_client):
    _record(world, text="Warned of idle workshops", kind="warning")
    _record(world, text="Protested an order", kind="protest")
    _record(world, text="Answer the submission", kind="act_of_response")
    db.session.commit()
    for client in (prosecutor_client, officer_client):
        page = client.get("/monitoring/findings?kind=warning").get_data(as_text=True)
        assert "Warned of idle workshops" in page and "Protested an order" not in page
        assert '<option value="warning" selected>' in page
        api = client.get("/api/monitoring/findings?kind=protest").json
        assert [f["text"] for f in api] == ["Protested an order"]
        assert client.get("/api/monitoring/findings?kind=reprimand").status_code == 422
    world["officer"].language = "kk"
    db.session.commit()
    page = officer_client.get("/monitoring/findings").get_data(as_text=True)
    assert "ескерту" in page and "наразылық" in page and "ұсыну" in page
    home = officer_client.get("/officer").get_data(as_text=True)
    assert "Акт түрі" in home and "наразылық" in home
    export = prosecutor_client.get("/monitoring/export/findings.csv?kind=protest")
    assert export.status_code == 200 and "Protested an order" in export.get_data(as_text=True)
    assert "Warned of idle workshops" not in export.get_data(as_text=True)


def test_the_institutions_officers_are_told_of_a_finding(world):
    colleague = factories.user(world["officer"].role, institution_id=world["institution"].id)
    _record(world, kind="warning")
    db.session.commit()
    told = set(db.session.scalars(sa.select(Notification.user_id).where(
        Notification.kind == "finding_recorded")))
    assert told == {world["officer"].id, colleague.id}  # not the other institution's
