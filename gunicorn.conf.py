"""gunicorn settings shared by `make run`, the Procfile and the README's commands
(`-c gunicorn.conf.py`).

The timeout leaves room for the largest request: a page or API import takes at most
20,000 rows (app/inmates/spreadsheets.py, IMPORT_MAX_ROWS), which commits in 10-21 s on
the 2-core test machine under load (benchmarks/bench_import.py --rows 20000); gunicorn's
default of 30 s was too close. Larger files are imported by a job (app/jobs), not in
the request.
"""

import multiprocessing

bind = "127.0.0.1:8000"
# Two workers per core: a worker waits on PostgreSQL about as long as it computes, so
# two keep a core busy; the load benchmark (benchmarks/load.py) measures this setting.
workers = 2 * multiprocessing.cpu_count()
timeout = 120
graceful_timeout = 30
# The longest request line gunicorn lets through (its maximum, twice its default): the
# app refuses lines over app.core.input.MAX_REQUEST_LINE (4,094 bytes) itself, so that
# the 414 carries the security headers gunicorn's own page lacks.
limit_request_line = 8190

# Prometheus figures of all workers in one scrape (app/core/observability.py): each
# worker writes its figures to files here, /metrics sums them. Emptied at start.
import os  # noqa: E402
import shutil  # noqa: E402

_metrics_folder = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "instance", "prometheus"))


def on_starting(server) -> None:
    shutil.rmtree(_metrics_folder, ignore_errors=True)
    os.makedirs(_metrics_folder, exist_ok=True)


def child_exit(server, worker) -> None:
    from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

    GunicornInternalPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)
