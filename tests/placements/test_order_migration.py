"""Placements made before orders were stored get them from a data migration, numbered
in date order per institution and year after the numbers already issued; reading an
order afterwards (a page, the API) only reads."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from app.core.vocabulary import EndReason, OrderKind
from app.extensions import db
from app.placements import orders
from app.placements.models import PlacementOrder
from tests import factories
from tests.conftest import login
from tests.factories import ApiClient

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
ORDERS = "ee56034daeaa"  # the data migration issuing the orders of placements from before


def _revision_before() -> str:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_revision(ORDERS).down_revision
NOON = datetime(2026, 12, 9, 7, 0, tzinfo=UTC)  # 9 December 2026 in Kazakhstan


@pytest.fixture
def at_the_revision_before(app):
    """The test database stamped at the revision before the migration (the tests create
    the schema from the models, which the data migration does not change)."""
    with db.engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
        connection.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"),
                           {"v": _revision_before()})
    yield
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE alembic_version"))


def _numbers() -> dict[tuple[int, OrderKind], tuple[str, date]]:
    db.session.expire_all()
    return {(o.placement_id, o.kind): (o.number, o.issued_on)
            for o in db.session.scalars(sa.select(PlacementOrder))}


def _placement(world, institution=None, **fields):
    institution = institution or world["institution"]
    inmate = factories.inmate(institution)
    vacancy = factories.vacancy(world["employer"], institution, start_date=date(2024, 1, 1))
    return factories.placement(inmate, vacancy, **fields)


def test_the_migration_issues_the_missing_orders_in_date_order(app, world,
                                                               at_the_revision_before):
    code, away = world["institution"].code, world["other_institution"]
    officer = world["officer"]
    officer.language = "kk"
    with time_machine.travel(NOON, tick=False):
        ended = _placement(world, start_date=date(2025, 3, 1), end_date=date(2025, 6, 1),
                           end_reason=EndReason.COMPLETED, end_note="срок")
        earlier = _placement(world, start_date=date(2025, 2, 1), created_by_id=officer.id)
        same_day = _placement(world, start_date=date(2025, 3, 1))
        issued = _placement(world, start_date=date(2026, 12, 9))
        db.session.flush()
        kept = orders.issue(issued, OrderKind.PLACEMENT, issued_by_id=officer.id)
        november = _placement(world, start_date=date(2026, 11, 1))
        ends_later = _placement(world, start_date=date(2026, 11, 15), end_date=date(2026, 12, 20),
                                end_reason=EndReason.RELEASED)
        theirs = _placement(world, away, start_date=date(2026, 6, 1))
        db.session.commit()
        kept_id, kept_number = kept.id, kept.number
        upgrade(directory=str(MIGRATIONS), revision=ORDERS)

    numbers = _numbers()
    assert numbers == {
        (earlier.id, OrderKind.PLACEMENT): (f"{code}/2025/1", date(2025, 2, 1)),
        (ended.id, OrderKind.PLACEMENT): (f"{code}/2025/2", date(2025, 3, 1)),
        (same_day.id, OrderKind.PLACEMENT): (f"{code}/2025/3", date(2025, 3, 1)),
        (ended.id, OrderKind.REMOVAL): (f"{code}/2025/4", date(2025, 5, 31)),  # last day worked
        (issued.id, OrderKind.PLACEMENT): (f"{code}/2026/1", date(2026, 12, 9)),  # unchanged
        (november.id, OrderKind.PLACEMENT): (f"{code}/2026/2", date(2026, 11, 1)),
        (ends_later.id, OrderKind.PLACEMENT): (f"{code}/2026/3", date(2026, 11, 15)),
        (ends_later.id, OrderKind.REMOVAL): (f"{code}/2026/4", date(2026, 12, 9)),  # not ahead
        (theirs.id, OrderKind.PLACEMENT): (f"{away.code}/2026/1", date(2026, 6, 1)),
    }
    assert db.session.get(PlacementOrder, kept_id).number == kept_number
    # The facts are those the app would have stored for the same record and issuer.
    for order in db.session.scalars(sa.select(PlacementOrder)):
        assert order.facts == orders.facts_of(order.placement, order.kind,
                                              order.placement.institution, order.issued_by_id)
    by_officer = orders.stored_order(earlier.id, OrderKind.PLACEMENT)
    assert (by_officer.language, by_officer.issued_by_id) == ("kk", officer.id)
    assert by_officer.facts["officer"] == officer.full_name
    removal = orders.stored_order(ended.id, OrderKind.REMOVAL)
    assert removal.issued_by_id is None and removal.language == app.config[
        "BABEL_DEFAULT_LOCALE"]
    assert (removal.facts["end_reason"], removal.facts["end_note"]) == ("completed", "срок")
    page = _page(app, world["officer"], f"/placements/{ended.id}/removal-order")
    assert page.status_code == 200 and f"{code}/2025/4" in page.text


def _page(app, user, url):
    client = app.test_client()
    login(client, user)
    return client.get(url)


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(PlacementOrder))


def test_reading_an_order_issues_nothing(app, world):
    older = _placement(world, end_date=date(2026, 1, 10), end_reason=EndReason.COMPLETED,
                       start_date=date(2025, 12, 1))
    db.session.commit()
    officer = ApiClient(app, world["officer"])
    for url in (f"/placements/{older.id}/order", f"/placements/{older.id}/removal-order"):
        missing = _page(app, world["officer"], url)
        assert missing.status_code == 404
        assert "No order of this kind was issued" in missing.text
    assert officer.get(f"/api/placements/{older.id}/orders").json == []
    assert _count() == 0  # no write on a GET

    orders.issue_missing()
    db.session.commit()
    assert _count() == 2
    for url in (f"/placements/{older.id}/order", f"/placements/{older.id}/removal-order"):
        assert _page(app, world["prosecutor"], url).status_code == 200
    assert len(officer.get(f"/api/placements/{older.id}/orders").json) == 2
    assert _count() == 2
