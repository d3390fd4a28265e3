"""The last seat of a course under concurrent enrolments: exactly one officer wins.

Like tests/placements/test_concurrency.py, it runs on PostgreSQL and on a file
SQLite database, not on in-memory SQLite (each connection has its own database).
"""

import threading
import time

import sqlalchemy as sa

from app.core import locks
from app.core.vocabulary import Role
from app.extensions import db
from app.training import operations
from app.training.models import Enrolment
from tests import factories
from tests.factories import ApiClient
from tests.placements.test_concurrency import shared_database  # noqa: F401  (fixture)


def test_two_officers_enrol_into_the_last_seat(app, shared_database, world,  # noqa: F811
                                              monkeypatch):
    course = factories.course(world["institution"], seats=1)
    inmates = [factories.inmate(world["institution"]) for _ in range(2)]
    colleague = factories.user(Role.OFFICER, institution_id=world["institution"].id)
    clients = [ApiClient(app, world["officer"]), ApiClient(app, colleague)]

    def lock_then_pause(model, ids):  # widen the race window after the lock
        locks.lock_rows(model, ids)
        time.sleep(0.3)

    monkeypatch.setattr(operations, "lock_rows", lock_then_pause)
    barrier, codes = threading.Barrier(2), [None, None]
    url = f"/api/training/courses/{course.id}/enrolments"  # read ids before the threads
    inmate_ids = [inmate.id for inmate in inmates]

    def enrol(index):
        with app.app_context():
            barrier.wait()
            codes[index] = clients[index].post(
                url, json={"inmate_id": inmate_ids[index]}).status_code

    threads = [threading.Thread(target=enrol, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(codes) == [201, 409]
    db.session.expire_all()
    taken = db.session.scalar(sa.select(sa.func.count()).select_from(Enrolment))
    assert taken == 1
