"""Test fixtures: one app and schema per session, every table emptied after
each test (works on SQLite and PostgreSQL, and lets concurrency tests commit
from several connections), and logged-in clients per role.

PostgreSQL is used when TEST_DATABASE_URL is set, SQLite in memory otherwise.
"""

import contextvars
import os

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from app import create_app
from app.config import TestingConfig
from app.core.vocabulary import Role
from app.extensions import db, limiter
from app.taxonomy.data import load_trades
from tests import factories


class IsolatedClient(FlaskClient):
    """Runs each request in a fresh context, as a real server would: its own
    app context, ``g``, logged-in user and database session, not the test's."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


class SuiteConfig(TestingConfig):
    # A test's data need not survive a crash: PostgreSQL answers each commit without
    # waiting for its log to reach the disk (the suite commits tens of thousands of times).
    POSTGRESQL_SETTINGS = TestingConfig.POSTGRESQL_SETTINGS | {"synchronous_commit": "off"}


@pytest.fixture(scope="session")
def app():
    app = create_app(SuiteConfig)
    app.config["WTF_CSRF_ENABLED"] = False  # the CSRF tests switch it back on
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()


@pytest.fixture(autouse=True)
def _app_context(request):
    """Each test of the app runs in its own app context and leaves empty tables."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        limiter.reset()


@pytest.fixture
def trades(app):
    load_trades()
    db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, user) -> None:
    """Log ``user`` in on ``client`` without going through the form."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


@pytest.fixture
def world(app):
    """Two regions, an institution in each, and one user of every role."""
    karaganda = factories.region("Karaganda")
    other = factories.region("Pavlodar")
    home = factories.institution(karaganda, code="AK-159/20", name="Dolinka")
    away = factories.institution(other, code="AP-162/3", name="Pavlodar colony")
    business = factories.employer()
    return sa.util.immutabledict(
        region=karaganda, other_region=other, institution=home, other_institution=away,
        employer=business,
        admin=factories.user(Role.ADMIN),
        officer=factories.user(Role.OFFICER, institution_id=home.id),
        other_officer=factories.user(Role.OFFICER, institution_id=away.id),
        employer_user=factories.user(Role.EMPLOYER, employer_id=business.id),
        prosecutor=factories.user(Role.PROSECUTOR, region_id=karaganda.id),
        other_prosecutor=factories.user(Role.PROSECUTOR, region_id=other.id),
        national_prosecutor=factories.user(Role.PROSECUTOR),
    )


def _role_client(user_key: str):
    """A fixture giving a test client logged in as ``world[user_key]``."""

    @pytest.fixture
    def role_client(app, world):
        client = app.test_client()
        login(client, world[user_key])
        return client

    return role_client


admin_client = _role_client("admin")
officer_client = _role_client("officer")
other_officer_client = _role_client("other_officer")
employer_client = _role_client("employer_user")
prosecutor_client = _role_client("prosecutor")
other_prosecutor_client = _role_client("other_prosecutor")
national_prosecutor_client = _role_client("national_prosecutor")


@pytest.fixture
def smtp(app):
    """A real SMTP server in process that the app sends to; its mailbox."""
    from tests.smtp import smtp_server

    with smtp_server(app) as mailbox:
        yield mailbox


def pytest_collection_modifyitems(config, items):
    """``ONLY_DATABASE_TESTS=1``: keep only the tests that use the app's database.

    CI runs the whole suite on SQLite, then this on PostgreSQL: a test that never opens
    the app (the engine, the law, the benchmarks' own checks) computes the same on
    either database, and running it twice would only cost CI's time."""
    if os.environ.get("ONLY_DATABASE_TESTS") != "1":
        return
    kept = [item for item in items if "app" in getattr(item, "fixturenames", ())]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept
