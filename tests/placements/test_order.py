"""Placement and removal orders: issued when a placement is made and when it ends,
numbered in one sequence per institution and year, stored as issued (a reprint shows
what was signed after the record changed), read within R16's scope."""

from datetime import timedelta

import sqlalchemy as sa

from app.core.vocabulary import OrderKind
from app.extensions import db
from app.placements import orders
from app.placements.models import Placement, PlacementOrder
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.conftest import login
from tests.placements.conftest import accept_url

YEAR = today_in_kazakhstan().year


def _accept(officer_api, proposal) -> int:
    response = officer_api.post(accept_url(proposal), json={})
    assert response.status_code == 201, response.json
    return response.json["id"]


def _end(officer_api, placement_id, reason="dismissed", end_date=None):
    return officer_api.post(f"/api/placements/{placement_id}/end", json={
        "reason": reason, "end_date": (end_date or today_in_kazakhstan()).isoformat(),
        "note": "late twice"})


def _orders(placement_id):
    return list(db.session.scalars(sa.select(PlacementOrder).where(
        PlacementOrder.placement_id == placement_id).order_by(PlacementOrder.id)))


def _page(app, user, url):
    client = app.test_client()
    login(client, user)
    return client.get(url)


def test_orders_are_issued_when_placed_and_when_ended_numbered_without_gaps(
        app, scene, officer_api):
    code = scene.institution.code
    first = _accept(officer_api, scene.propose())
    refused = officer_api.post(accept_url(scene.propose()), json={
        "start_date": (today_in_kazakhstan() - timedelta(days=3)).isoformat()})
    assert refused.status_code == 422  # refused: it takes no number
    second = _accept(officer_api, scene.propose())
    tomorrow = today_in_kazakhstan() + timedelta(days=1)
    assert _end(officer_api, first, end_date=tomorrow).status_code == 200
    db.session.expire_all()
    numbers = [(o.placement_id, o.kind, o.number) for o in db.session.scalars(
        sa.select(PlacementOrder).order_by(PlacementOrder.sequence))]
    assert numbers == [(first, OrderKind.PLACEMENT, f"{code}/{YEAR}/1"),
                       (second, OrderKind.PLACEMENT, f"{code}/{YEAR}/2"),
                       (first, OrderKind.REMOVAL, f"{code}/{YEAR}/3")]
    removal = _orders(first)[1]
    assert removal.issued_on == today_in_kazakhstan()
    assert removal.facts["end_reason"] == "dismissed" and removal.facts["end_note"] == "late twice"
    assert removal.facts["last_working_day"] == today_in_kazakhstan().isoformat()


def test_every_institution_numbers_its_own_orders(app, world, scene, officer_api):
    _accept(officer_api, scene.propose())
    away = world["other_institution"]
    employer = factories.employer()
    theirs = factories.placement(factories.inmate(away), factories.vacancy(employer, away))
    orders.issue_missing()
    db.session.commit()
    page = _page(app, world["other_officer"], f"/placements/{theirs.id}/order")
    assert f"{away.code}/{theirs.created_at.year}/1" in page.text  # its own first


def test_a_reprint_shows_the_order_as_issued_after_the_record_changed(app, world, scene,
                                                                      officer_api):
    world["officer"].language = "kk"
    db.session.commit()
    placement_id = _accept(officer_api, scene.propose())
    placement = db.session.get(Placement, placement_id)
    name, wage = placement.inmate.full_name, placement.monthly_wage
    first_print = _page(app, world["officer"], f"/placements/{placement_id}/order").text
    placement.inmate.last_name = "Renamed"
    placement.vacancy.title = "Another title"
    placement.monthly_wage = wage + 50_000
    db.session.commit()
    order = _orders(placement_id)[0]
    assert order.language == "kk" and order.facts["person"]["full_name"] == name
    reprint = _page(app, world["prosecutor"], f"/placements/{placement_id}/order")
    assert reprint.status_code == 200
    assert name in reprint.text and "Renamed" not in reprint.text
    assert "Another title" not in reprint.text and "Бұйрық" in reprint.text  # issued in Kazakh
    assert order.number in first_print and order.number in reprint.text
    russian = _page(app, world["prosecutor"], f"/placements/{placement_id}/order?lang=ru")
    assert "Приказ" in russian.text and name in russian.text and order.number in russian.text
    api = officer_api.get(f"/api/placements/{placement_id}/orders").json
    assert [(o["number"], o["kind"], o["facts"]["monthly_wage"]) for o in api] == [
        (order.number, "placement", wage)]
    assert api[0]["print_url"] == f"/placements/{placement_id}/order"
    assert len(_orders(placement_id)) == 1  # reading issued nothing more


def test_the_removal_order_prints_from_the_ended_placement(app, world, scene, officer_api):
    placement_id = _accept(officer_api, scene.propose())
    url = f"/placements/{placement_id}/removal-order"
    assert _page(app, world["officer"], url).status_code == 404  # it still runs
    _end(officer_api, placement_id, reason="health")
    page = _page(app, world["officer"], f"{url}?lang=ru").text
    removal = _orders(placement_id)[1]
    assert removal.number in page and "о снятии осуждённого" in page
    assert "Последний рабочий день" in page
    listed = _page(app, world["officer"], "/placements/?state=all").text
    assert removal.number in listed and _orders(placement_id)[0].number in listed
    evidence = _page(app, world["prosecutor"], f"/monitoring/placements/{placement_id}").text
    assert removal.number in evidence and url in evidence
    own_page = _page(app, world["officer"], f"/placements/{placement_id}/suspensions").text
    assert removal.number in own_page and _orders(placement_id)[0].number in own_page
    one = officer_api.get(f"/api/placements/orders/{removal.id}").json
    assert one["kind"] == "removal" and one["facts"]["end_reason"] == "health"


def test_the_orders_a_placement_lacks_are_issued_in_date_order_and_kept(app, world, scene):
    """The demo's seed writes placements directly, then issues their orders as
    operations would have on their days (``issue_missing``); reading only reads."""
    code = scene.institution.code
    older = factories.placement(scene.inmate(), scene.vacancy(),
                                end_date=today_in_kazakhstan(), end_reason="completed")
    db.session.commit()
    assert _orders(older.id) == []
    assert _page(app, world["prosecutor"], f"/placements/{older.id}/order").status_code == 404
    orders.issue_missing()
    db.session.commit()
    placement_order, removal = _orders(older.id)
    assert removal.kind == OrderKind.REMOVAL and removal.issued_by_id is None
    assert removal.issued_on == today_in_kazakhstan() - timedelta(days=1)  # last day worked
    assert placement_order.issued_on == older.start_date
    assert placement_order.number == f"{code}/{older.start_date.year}/1"
    assert removal.sequence == (2 if older.start_date.year == YEAR else 1)
    order_page = _page(app, world["officer"], f"/placements/{older.id}/order")
    assert placement_order.number in order_page.text
    assert orders.issue_missing() == 0 and len(_orders(older.id)) == 2


def test_orders_are_read_only_within_scope(app, world, scene, officer_api):
    placement_id = _accept(officer_api, scene.propose())
    _end(officer_api, placement_id)
    order_id = _orders(placement_id)[0].id
    urls = (f"/placements/{placement_id}/order", f"/placements/{placement_id}/removal-order",
            f"/api/placements/{placement_id}/orders", f"/api/placements/orders/{order_id}")
    for user, status in (("other_officer", 404), ("other_prosecutor", 404),
                         ("prosecutor", 200), ("national_prosecutor", 200), ("admin", 200),
                         ("employer_user", 403)):
        for url in urls:
            assert _page(app, world[user], url).status_code == status, (user, url)
    assert app.test_client().get(urls[3]).status_code == 401
    assert officer_api.get("/api/placements/orders/999999").status_code == 404
