"""Jobs run by the tests themselves: the embedded worker's turn (no Redis), or an RQ
SimpleWorker in this process on Redis database 5 with a queue and key prefix of the
test's own (other engineers share the Redis: nothing is flushed)."""

import uuid

import pytest

from tests.pay.conftest import confirmed, worker  # noqa: F401  (pay's fixtures, tests/jobs/test_pay_job.py)

REDIS_TEST_URL = "redis://127.0.0.1:6379/5"


@pytest.fixture(autouse=True)
def _jobs_folder(app, tmp_path, monkeypatch):
    """Progress files of this test only (ids restart with every test on SQLite)."""
    monkeypatch.setitem(app.config, "JOBS_FOLDER", str(tmp_path / "jobs"))


@pytest.fixture
def redis_jobs(app, monkeypatch):
    """The app on a real Redis: REDIS_URL set, a queue and a prefix of this test's own."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    connection = Redis.from_url(REDIS_TEST_URL)
    try:
        connection.ping()
    except RedisDown:
        pytest.skip("no Redis on 127.0.0.1:6379")
    name = f"test-jobs-{uuid.uuid4().hex[:10]}"
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_TEST_URL)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", name)
    monkeypatch.setitem(app.config, "JOBS_REDIS_PREFIX", name)
    yield connection
    for key in connection.scan_iter(match=f"*{name}*", count=500):
        connection.delete(key)
    app.extensions.pop("jobs_redis", None)


def run_rq_burst(app) -> None:
    """Every job queued on the test's queue, by an RQ SimpleWorker in this process."""
    from app.jobs.worker import run_rq_worker

    run_rq_worker(app, burst=True, simple=True)
