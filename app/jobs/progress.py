"""Where a running job tells how far it got: Redis when ``REDIS_URL`` is set (every
web and worker machine sees it), else a small JSON file per job in the instance
folder (the embedded install: one machine). Not the database: the job's writes are
one open transaction, and on SQLite a second writer would wait for it to end.

A record holds ``done``, ``total``, ``phase``, ``started`` (when counting began) and
``beat`` (the last sign of life, every ``HEARTBEAT_SECONDS`` while the job runs);
the same store keeps the workers' beats, which /readyz reads."""

import json
import os
import tempfile
import threading
import time
from typing import Any

from flask import current_app

HEARTBEAT_SECONDS = 0.5  # the pages promise an update at least every 2 s, under load too
RECORD_TTL_SECONDS = 7 * 24 * 3600
_FILE_WRITES = threading.Lock()


def redis_connection():
    """The Redis of ``REDIS_URL`` (one client per process), or None."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    clients = current_app.extensions.setdefault("jobs_redis", {})
    if url not in clients:
        from redis import Redis

        clients[url] = Redis.from_url(url)
    return clients[url]


class RedisStore:
    def __init__(self, connection, prefix: str) -> None:
        self.redis, self.prefix = connection, prefix

    def _key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def write(self, name: str, values: dict[str, Any]) -> None:
        key = self._key(name)
        pipe = self.redis.pipeline()
        pipe.hset(key, mapping={k: json.dumps(v) for k, v in values.items()})
        pipe.expire(key, RECORD_TTL_SECONDS)
        pipe.execute()

    def read(self, name: str) -> dict[str, Any]:
        return {k.decode(): json.loads(v) for k, v in self.redis.hgetall(self._key(name)).items()}

    def names(self, prefix: str) -> list[str]:
        start = len(self.prefix) + 1
        return [key.decode()[start:]
                for key in self.redis.scan_iter(match=self._key(prefix) + "*", count=500)]


class FileStore:
    def __init__(self, folder: str) -> None:
        self.folder = folder
        os.makedirs(folder, exist_ok=True)

    def _path(self, name: str) -> str:
        return os.path.join(self.folder, f"{name}.json")

    def write(self, name: str, values: dict[str, Any]) -> None:
        # A job's thread and its heartbeat's write the same record: one at a time, each
        # through a file of its own (with one temporary name per process, a write could
        # rename the other's file away; reading then writing at once, one could put back
        # the fields the other had just changed).
        with _FILE_WRITES:
            record = self.read(name) | values
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f"{name}.",
                                                 suffix=".tmp")
            with os.fdopen(handle, "w") as file:
                json.dump(record, file)
            os.replace(temporary, self._path(name))  # readers never see half a record

    def read(self, name: str) -> dict[str, Any]:
        try:
            with open(self._path(name)) as handle:
                return json.load(handle)
        except (FileNotFoundError, ValueError):
            return {}

    def names(self, prefix: str) -> list[str]:
        return [name[:-5] for name in os.listdir(self.folder)
                if name.startswith(prefix) and name.endswith(".json")]


def store() -> RedisStore | FileStore:
    connection = redis_connection()
    if connection is not None:
        return RedisStore(connection, current_app.config["JOBS_REDIS_PREFIX"])
    return FileStore(current_app.config.get("JOBS_FOLDER")
                     or os.path.join(current_app.instance_path, "jobs"))


def job_record(job_id: int) -> dict[str, Any]:
    return store().read(f"job-{job_id}")


def write_job(job_id: int, **values: Any) -> None:
    store().write(f"job-{job_id}", values)


def figures(record: dict[str, Any], now: float | None = None) -> dict[str, Any]:
    """done / total, the rate per second and the seconds left, from a record."""
    now = now or time.time()
    done, total = int(record.get("done") or 0), record.get("total")
    elapsed = now - record["started"] if record.get("started") else 0
    rate = done / elapsed if elapsed > 0 and done else None
    left = (total - done) / rate if rate and total and total >= done else None
    percent = min(100, int(100 * done / total)) if total else None
    return {"done": done, "total": total, "rate": round(rate) if rate is not None else None,
            "seconds_left": round(left) if left is not None else None,
            "percent": percent, "phase": record.get("phase", ""),
            "step": record.get("label") or ""}
