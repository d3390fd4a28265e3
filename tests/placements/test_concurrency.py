"""R11 under concurrent requests: two officers accept at the same moment; order
numbers under concurrent placements.

Each thread makes its request through its own test client, so it has its own
app context, session and database connection. A pause right after the rows are
locked widens the race window: without the lock (``SELECT ... FOR UPDATE`` on
PostgreSQL, the database write lock on SQLite) both requests would count the
same free position during the pause and both would write.

Runs on PostgreSQL and on a file SQLite database
(TEST_DATABASE_URL=sqlite:////tmp/x/race.db), not on in-memory SQLite.
"""

import threading
import time

import pytest
import sqlalchemy as sa

from app.core.vocabulary import Role
from app.extensions import db
from app.placements import operations, orders
from app.placements.models import Placement, PlacementOrder
from tests import factories
from tests.factories import ApiClient
from tests.placements.conftest import accept_url, make_proposal, make_run


@pytest.fixture
def shared_database(app):
    """Skip on in-memory SQLite: each connection has its own private database there,
    so two connections cannot race on one."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        pytest.skip("in-memory SQLite gives each connection its own database; run with a "
                    "file (TEST_DATABASE_URL=sqlite:////tmp/x/race.db) or PostgreSQL")


@pytest.fixture
def slow_lock(monkeypatch):
    locked = operations.lock_for_update

    def lock_then_pause(*args, **kwargs):
        locked(*args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(operations, "lock_for_update", lock_then_pause)


def _at_once(app, requests):
    """Run the (client, proposal) accepts together, each thread in its own app
    context; their status codes."""
    barrier = threading.Barrier(len(requests))
    codes = [None] * len(requests)

    def accept(index, client, url):
        with app.app_context():
            barrier.wait()
            codes[index] = client.post(url, json={}).status_code

    threads = [threading.Thread(target=accept, args=(i, client, accept_url(proposal)))
               for i, (client, proposal) in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(codes)


def _officers(app, scene, world):
    colleague = factories.user(Role.OFFICER, institution_id=scene.institution.id)
    return ApiClient(app, world["officer"]), ApiClient(app, colleague)


def test_two_officers_accept_the_last_position(app, shared_database, slow_lock, scene, world):
    vacancy = scene.vacancy(positions=2)
    factories.placement(scene.inmate(), vacancy)  # one of two positions taken
    first, second = scene.propose(vacancy=vacancy), scene.propose(vacancy=vacancy)
    one, two = _officers(app, scene, world)
    assert _at_once(app, [(one, first), (two, second)]) == [201, 409]
    db.session.expire_all()
    taken = db.session.scalar(sa.select(sa.func.count()).select_from(Placement)
                              .where(Placement.vacancy_id == vacancy.id))
    assert taken == vacancy.positions


def test_one_inmate_accepted_into_two_vacancies_at_once(app, shared_database, slow_lock, scene,
                                                        world):
    inmate = scene.inmate()
    first = scene.propose(inmate=inmate, vacancy=scene.vacancy())
    later_run = make_run(scene.institution)  # one proposal per inmate and run
    second = make_proposal(later_run, inmate, scene.vacancy())
    one, two = _officers(app, scene, world)
    assert _at_once(app, [(one, first), (two, second)]) == [201, 422]  # R9: one paid placement
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 1


# ---------------------------------------------------------------- order numbers


@pytest.fixture
def slow_numbering(monkeypatch):
    """A pause right after an order's institution is locked, before its number is
    counted: without the lock both requests would count the same last number."""
    locked = orders.lock_rows

    def lock_then_pause(*args, **kwargs):
        rows = locked(*args, **kwargs)
        time.sleep(0.3)
        return rows

    monkeypatch.setattr(orders, "lock_rows", lock_then_pause)


def _together(app, calls):
    """Run the calls together, each in its own thread and app context; their status
    codes in the order given."""
    barrier = threading.Barrier(len(calls))
    codes = [None] * len(calls)

    def run(index, call):
        with app.app_context():
            barrier.wait()
            codes[index] = call().status_code

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return codes


def _numbers():
    db.session.expire_all()
    return sorted(db.session.scalars(sa.select(PlacementOrder.sequence)))


def test_two_placements_made_at_once_take_consecutive_order_numbers(
        app, shared_database, slow_numbering, scene, world):
    first, second = accept_url(scene.propose()), accept_url(scene.propose())
    one, two = _officers(app, scene, world)
    assert _together(app, [lambda: one.post(first, json={}),
                           lambda: two.post(second, json={})]) == [201, 201]
    assert _numbers() == [1, 2]
