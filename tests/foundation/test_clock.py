"""R32: every "today" is Kazakhstan's date, from one clock (policy/clock.py)."""

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import time_machine

from policy.clock import (
    KAZAKHSTAN,
    day_begins,
    day_of,
    now_in_kazakhstan,
    today_in_kazakhstan,
)
from tests import factories
from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]
# The clock itself, and the UTC timestamp of stored moments (not a day).
ALLOWED = {"policy/clock.py", "app/core/models.py"}


def test_kazakhstans_day_not_the_servers():
    # 20:30 UTC on 6 December is 01:30 on 7 December in Kazakhstan (UTC+5).
    with time_machine.travel(datetime(2026, 12, 6, 20, 30, tzinfo=UTC), tick=False):
        assert today_in_kazakhstan() == date(2026, 12, 7)
        assert now_in_kazakhstan().hour == 1
    # 18:59 UTC is still 23:59 of the same day there.
    with time_machine.travel(datetime(2026, 12, 6, 18, 59, tzinfo=UTC), tick=False):
        assert today_in_kazakhstan() == date(2026, 12, 6)


def test_one_zone_since_march_2024():
    # Until 1 March 2024 Almaty was UTC+6 (an old time zone database still says so, and
    # would call 18:30 UTC the next day); since then the whole country keeps UTC+5.
    with time_machine.travel(datetime(2024, 3, 1, 18, 30, tzinfo=UTC), tick=False):
        assert today_in_kazakhstan() == date(2024, 3, 1)


def _calls_to_the_servers_clock(tree: ast.AST):
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and node.attr in {"today", "now", "utcnow"}
                and isinstance(node.value, ast.Name) and node.value.id in {"date", "datetime"}):
            yield node.lineno


def test_no_other_clock_in_the_product():
    found = []
    for package in ("app", "employers", "policy", "matching"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in ALLOWED:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [f"{name}:{line}" for line in _calls_to_the_servers_clock(tree)]
    assert found == [], "read the day from policy.clock: " + ", ".join(found)


def test_a_request_after_midnight_in_kazakhstan_sees_the_new_day(app, world):
    # The officer's home prefills and computes for today's date: at 01:30 in Astana on
    # 7 December (20:30 UTC on the 6th) that is the 7th.
    with time_machine.travel(datetime(2026, 12, 6, 20, 30, tzinfo=UTC), tick=False):
        client = app.test_client()
        login(client, world["officer"])
        answer = client.get("/api/home/officer")
    assert answer.status_code == 200
    assert answer.get_json()["rate"]["day"] == "2026-12-07"


def test_a_session_near_midnight_starts_on_the_next_day():
    """The suite's one day (tests/factories.py): two hours before Kazakhstan's midnight
    the session moves to just after it, and stays on that day; at noon nothing moves."""
    with time_machine.travel(datetime(2026, 12, 7, 22, 0, tzinfo=KAZAKHSTAN), tick=False):
        day, moved = factories.one_day_for_the_session()
        try:
            assert day == date(2026, 12, 8) == today_in_kazakhstan()
            assert now_in_kazakhstan().hour == 0
        finally:
            moved.stop()
        assert today_in_kazakhstan() == date(2026, 12, 7)  # back to the outer clock
    with time_machine.travel(datetime(2026, 12, 7, 12, 0, tzinfo=KAZAKHSTAN), tick=False):
        assert factories.one_day_for_the_session() == (date(2026, 12, 7), None)


def test_stored_moments_and_kazakhstans_days():
    """Moments are stored as naive UTC: Kazakhstan's 8 December runs from 19:00 UTC on the
    7th, and 20:30 UTC on the 7th is the 8th there."""
    assert day_begins(date(2026, 12, 8)) == datetime(2026, 12, 7, 19, 0)
    assert day_of(datetime(2026, 12, 7, 20, 30)) == date(2026, 12, 8)
    assert day_of(datetime(2026, 12, 7, 18, 59)) == date(2026, 12, 7)
    assert day_of(day_begins(date(2026, 12, 8))) == date(2026, 12, 8)
