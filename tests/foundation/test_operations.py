"""Operations: one log line per request (JSON in production), Prometheus metrics at
/metrics for the allowed only, and /readyz beside /healthz."""

import json
import logging
import time

import pytest
import sqlalchemy as sa

from app.core.observability import JsonLines
from app.extensions import db
from app.home.status import migration_heads
from app.jobs import progress
from app.jobs.worker import beat
from tests.conftest import login


class Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_each_request_logs_one_line_with_its_id_user_route_status_and_duration(app, world):
    client = app.test_client()
    login(client, world["officer"])
    kept, logger = Kept(), logging.getLogger("app.requests")
    logger.addHandler(kept)
    # Alembic's fileConfig (tests/foundation/test_migrations.py) turns off the loggers
    # that exist when it runs; setLevel also clears the logger's cached verdicts.
    level, logger.disabled = logger.level, False
    logger.setLevel(logging.INFO)
    try:
        response = client.get(f"/inmates/{10**6}", headers={"X-Request-ID": "abc12345-proxy"})
    finally:
        logger.removeHandler(kept)
        logger.setLevel(level)
    assert response.status_code == 404 and response.headers["X-Request-ID"] == "abc12345-proxy"
    [record] = kept.records
    fields = record.fields
    assert fields["request_id"] == "abc12345-proxy" and fields["user_id"] == world["officer"].id
    assert (fields["route"], fields["status"]) == ("/inmates/<int:inmate_id>", 404)
    assert fields["duration_ms"] >= 0
    line = json.loads(JsonLines().format(record))
    assert line["request_id"] == "abc12345-proxy" and line["status"] == 404


def test_a_request_id_that_is_not_one_is_replaced(app, client):
    answer = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert answer.headers["X-Request-ID"] != "<script>"
    assert len(answer.headers["X-Request-ID"]) == 32


def test_metrics_for_the_allowed_only(app, client, monkeypatch):
    client.get("/healthz")
    page = client.get("/metrics")  # the test client comes from 127.0.0.1
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "flask_http_request_duration_seconds" in text
    assert 'labour_jobs{status="queued"}' in text
    assert 'labour_schedule_days_behind{task="open-release-plans"}' in text
    away = {"REMOTE_ADDR": "192.0.2.7"}
    assert client.get("/metrics", environ_base=away).status_code == 404
    monkeypatch.setitem(app.config, "METRICS_TOKEN", "s3cret-token")
    assert client.get("/metrics", environ_base=away,
                      headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
    assert client.get("/metrics", environ_base=away,
                      headers={"Authorization": "Bearer wrong"}).status_code == 404


@pytest.fixture
def migrated(app):
    """The alembic_version table a migrated database has (the tests create the schema
    from the models)."""
    with db.engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
    yield
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE alembic_version"))


def _stamp(versions) -> None:
    with db.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM alembic_version"))
        for version in versions:
            connection.execute(sa.text("INSERT INTO alembic_version VALUES (:v)"), {"v": version})


def test_ready_needs_the_database_at_head_and_a_live_worker(app, client, migrated, tmp_path,
                                                             monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_FOLDER", str(tmp_path))
    _stamp(["d1a5e7c3b2f4"])  # one migration behind
    answer = client.get("/readyz")
    assert answer.status_code == 503
    checks = answer.json["checks"]
    assert checks["database"] == "ok" and checks["migrations"].startswith("at ['d1a5e7c3b2f4']")
    assert checks["worker"] == "no live worker" and checks["redis"] == "not used"

    _stamp(migration_heads())
    beat("embedded")
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] == "ready"

    # A worker whose last beat is older than JOBS_STALE_SECONDS is not live.
    store = progress.store()
    for name in store.names("worker-"):
        store.write(name, {"beat": time.time() - 3600})
    assert client.get("/readyz").json["checks"]["worker"] == "no live worker"
    assert client.get("/healthz").status_code == 200


def test_ready_checks_redis_when_it_is_used(app, client, migrated, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")  # nobody there
    _stamp(migration_heads())
    answer = client.get("/readyz")
    app.extensions.pop("jobs_redis", None)
    assert answer.status_code == 503
    assert answer.json["checks"]["redis"].startswith("error")
