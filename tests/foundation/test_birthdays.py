"""R32 on birthdays: the day a person turns 18 (R6) or reaches pension age (R4) is
Kazakhstan's day, also in the hours when the server's UTC date is still yesterday
(20:30 UTC is 01:30 the next day in Kazakhstan, UTC+5)."""

from datetime import UTC, date, datetime, timedelta

import time_machine

from app.core.vocabulary import Fitness, LegalStatus, Sex
from tests import factories
from tests.factories import ApiClient
from tests.inmates.helpers import payload

# 7 December 2026 in Kazakhstan begins at 19:00 UTC on the 6th.
LATE_EVENING_UTC = datetime(2026, 12, 6, 20, 30, tzinfo=UTC)  # 01:30 on the 7th there
BEFORE_MIDNIGHT_THERE = datetime(2026, 12, 6, 18, 59, tzinfo=UTC)  # 23:59 on the 6th
BIRTHDAY = date(2026, 12, 7)


def _new_inmate(app, officer, birth: date) -> int:
    """Create, in an adult colony, a person born on ``birth``; the status answered."""
    today = BIRTHDAY
    record = payload(file_number=f"B-{birth.isoformat()}", birth_date=birth.isoformat(),
                     convicted_on=(today - timedelta(days=30)).isoformat(),
                     admission_date=(today - timedelta(days=20)).isoformat(),
                     release_date=(today + timedelta(days=900)).isoformat(),
                     fitness_review_date=(today + timedelta(days=100)).isoformat())
    return ApiClient(app, officer).post("/api/inmates/", json=record)


def test_a_person_turning_18_may_be_held_in_an_adult_colony_from_kazakhstan_s_midnight(
        app, world):
    eighteenth = BIRTHDAY.replace(year=BIRTHDAY.year - 18)
    with time_machine.travel(BEFORE_MIDNIGHT_THERE, tick=False):
        refused = _new_inmate(app, world["officer"], eighteenth)
    assert refused.status_code == 422 and "R6" in refused.json["errors"]["birth_date"][0]
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        # The server's date is still the 6th: its clock would refuse as above.
        created = _new_inmate(app, world["officer"], eighteenth)
    assert created.status_code == 201, created.json


def test_a_man_reaching_pension_age_leaves_the_able_to_work_at_kazakhstan_s_midnight(
        app, world):
    """R4: from his 63rd birthday he works only with a consent; without one he is no
    longer counted among those able to work (R1) that day."""
    factories.inmate(world["institution"], sex=Sex.MALE, legal_status=LegalStatus.CONVICTED,
                     fitness=Fitness.FIT, birth_date=BIRTHDAY.replace(year=BIRTHDAY.year - 63),
                     release_date=BIRTHDAY + timedelta(days=700))
    officer = ApiClient(app, world["officer"])
    with time_machine.travel(BEFORE_MIDNIGHT_THERE, tick=False):
        before = officer.get("/api/home/officer").json["rate"]
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        after = officer.get("/api/home/officer").json["rate"]
    assert (before["day"], before["held"], before["able"]) == ("2026-12-06", 1, 1)
    assert (after["day"], after["held"], after["able"]) == ("2026-12-07", 1, 0)
