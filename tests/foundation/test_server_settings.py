"""The server's settings agree with the largest request the app accepts."""

import runpy
from pathlib import Path

from app.config import engine_options
from app.inmates.spreadsheets import IMPORT_MAX_ROWS

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_timeout_leaves_room_for_the_largest_import():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
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
                              "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}})
    assert options["connect_args"]["options"] == "-c jit=off"
    assert options["pool_pre_ping"] is True
    assert engine_options({"SQLALCHEMY_DATABASE_URI": "sqlite://"}) == {}
