"""What operators see: one log line per request, and Prometheus metrics.

- Every request gets an id (the ``X-Request-ID`` a proxy sent, if it looks like one,
  else a new one), answered in ``X-Request-ID`` and written in its log line:
  request id, user id, method, route (the URL rule, not the path, so that lines
  group by page), path, status and duration. With ``LOG_JSON`` (production) the line
  is one JSON object; otherwise plain text.
- prometheus-flask-exporter measures every request's latency by route and status;
  the /metrics page itself is served by app/home/views.py (restricted to the
  addresses in ``METRICS_ALLOWED`` or the bearer ``METRICS_TOKEN``), which adds the
  jobs' and the schedule's figures. Under gunicorn, ``PROMETHEUS_MULTIPROC_DIR``
  (set by gunicorn.conf.py) makes the figures of all workers one.
"""

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, Response, g, request
from flask_login import current_user

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_log = logging.getLogger("app.requests")


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                "logger": record.name, "message": record.getMessage()}
        line |= getattr(record, "fields", {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def register_observability(app: Flask) -> None:
    _configure_logging(app)
    _register_request_log(app)
    app.extensions["prometheus"] = _metrics(app)


def _configure_logging(app: Flask) -> None:
    if app.testing or request_log.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines() if app.config.get("LOG_JSON") else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s"))
    for logger in (request_log, app.logger):
        logger.handlers = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


def _register_request_log(app: Flask) -> None:
    @app.before_request
    def start_request() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        request_id = g.get("request_id") or uuid.uuid4().hex
        response.headers["X-Request-ID"] = request_id
        started = g.get("request_started")
        request_log.info("%s %s %s", request.method, request.path, response.status_code,
                         extra={"fields": request_fields(response, request_id, started)})
        return response


def request_fields(response: Response, request_id: str, started: float | None
                   ) -> dict[str, Any]:
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    return {"request_id": request_id, "user_id": user_id,
            "method": request.method,
            "route": request.url_rule.rule if request.url_rule else None,
            "path": request.path, "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None}


def _metrics(app: Flask) -> Any:
    """The exporter. With PROMETHEUS_MULTIPROC_DIR (gunicorn) prometheus_client writes
    every worker's figures to files there, and /metrics collects them all."""
    from prometheus_client import CollectorRegistry
    from prometheus_flask_exporter import PrometheusMetrics

    # One registry per app: a process may make several (tests, benchmarks).
    return PrometheusMetrics(app, path=None, group_by="url_rule",
                             registry=CollectorRegistry(auto_describe=True))
