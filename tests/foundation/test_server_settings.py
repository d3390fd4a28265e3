"""The server's settings agree with the largest request the app accepts."""

import runpy
from pathlib import Path

from app.config import Config, engine_options
from app.inmates.spreadsheets import IMPORT_MAX_ROWS

ROOT = Path(__file__).resolve().parents[2]


def _gunicorn_settings(monkeypatch, tmp_path) -> dict:
    """gunicorn.conf.py's settings; it sets PROMETHEUS_MULTIPROC_DIR for the workers, which
    left in this process would send every later test's /metrics to the files of a
    multiprocess folder (the app's own gauges missing)."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))  # undone after the test
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_timeout_leaves_room_for_the_largest_import(monkeypatch, tmp_path):
    settings = _gunicorn_settings(monkeypatch, tmp_path)
    # 20,000 rows commit in 10-21 s on the test machine (benchmarks/bench_import.py):
    # the timeout must leave at least five times that.
    assert IMPORT_MAX_ROWS <= 20_000
    assert settings["timeout"] >= 5 * 21


def test_every_documented_gunicorn_command_uses_the_settings_file():
    for name in ("Makefile", "README.md"):
        lines = [line for line in (ROOT / name).read_text().splitlines()
                 if "gunicorn -" in line or "gunicorn --" in line]
        assert lines, name
        assert all("-c gunicorn.conf.py" in line for line in lines), name


def test_postgresql_connections_run_without_jit():
    # JIT compiled the app's larger reads for longer than it saved (README, Benchmarks).
    options = engine_options({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/app",
                              "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
                              "POSTGRESQL_SETTINGS": Config.POSTGRESQL_SETTINGS})
    assert options["connect_args"]["options"] == "-c jit=off"
    assert options["pool_pre_ping"] is True
    assert engine_options({"SQLALCHEMY_DATABASE_URI": "sqlite://"}) == {}


def test_the_suite_commits_without_waiting_for_the_disk_on_postgresql(app):
    """The suite's own setting (tests/conftest.py), never the app's or the benchmarks'."""
    from app.extensions import db

    assert "synchronous_commit" not in Config.POSTGRESQL_SETTINGS
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "off"
            assert connection.exec_driver_sql("SHOW jit").scalar() == "off"


def test_gunicorn_lets_long_request_lines_through_to_the_app(monkeypatch, tmp_path):
    from app.core.input import MAX_REQUEST_LINE
    settings = _gunicorn_settings(monkeypatch, tmp_path)
    assert settings["limit_request_line"] > MAX_REQUEST_LINE


def test_a_too_long_request_line_is_414_with_the_security_headers(client):
    from app.core.input import MAX_REQUEST_LINE
    room = MAX_REQUEST_LINE - len("GET /api/auth/me?q= HTTP/1.1")
    assert client.get("/api/auth/me?q=" + "a" * room).status_code == 401  # just fits
    for path in ("/api/auth/me?q=", "/login?next="):
        response = client.get(path + "a" * (MAX_REQUEST_LINE - len(f"GET {path} HTTP/1.1") + 1))
        assert response.status_code == 414
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"


def test_gunicorn_answers_a_long_request_line_through_the_app(tmp_path):
    """The real server: a 6,000-byte request line reaches the app (gunicorn's own 414
    page for lines over 4,094 bytes had no security headers)."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
           "SECRET_KEY": "test-secret", "APP_ENV": "production"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/login?next=" + "a" * 6000
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=5)
            except urllib.error.HTTPError as answer:
                assert answer.code == 414
                assert "frame-ancestors" in answer.headers["Content-Security-Policy"]
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer")
    finally:
        server.terminate()
        server.wait(timeout=30)
