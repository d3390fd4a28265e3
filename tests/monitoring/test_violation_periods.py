"""A check over a period says what the same check says on its single days: a placement
is found in a period when it is found on some day of it while active, on the first such
day (R2: found, on its first day in the period). Single days agree with the engine
(tests/conformance); this carries that to periods, on the conformance population with
more medical assessments on and around the placements' days, several on one day, and
fewer positions. ``test_violation_monotone.py`` shows with random histories that a
period finds whatever a shorter period inside it finds."""

import random
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.core.vocabulary import Fitness
from app.extensions import db
from app.inmates.models import MedicalAssessment
from app.monitoring.violations import CHECKS, Period
from app.placements.models import Placement
from app.vacancies.models import Vacancy
from tests.conformance.population import build

DAY_RULES = ["R3", "R6", "R9", "R11"]  # found on the first day found on a single day


def _more_cases(rng: random.Random, days: list[date]) -> None:
    for vacancy in db.session.scalars(sa.select(Vacancy)):
        vacancy.positions = rng.choice([1, 2, 3, 50])
    for placement in db.session.scalars(sa.select(Placement)):
        if rng.random() < 0.5:
            continue
        for on in rng.sample([placement.start_date, placement.start_date + timedelta(days=1),
                              rng.choice(days), placement.end_date or days[-1]], 2):
            for _ in range(rng.choice([1, 2, 3])):  # several the same day: the last recorded
                db.session.add(MedicalAssessment(
                    inmate_id=placement.inmate_id, fitness=rng.choice(list(Fitness)),
                    assessed_on=on, review_date=rng.choice([None, on, days[2]])))
    db.session.commit()


def _verdicts(rule: str, period: Period) -> dict[int, date]:
    return {v.placement_id: v.day for v in CHECKS[rule][0](period, sa.true())}


@pytest.mark.parametrize("seed", [1, 2])
def test_a_period_finds_what_its_days_find_on_the_first_of_them(app, trades, seed):
    population = build(seed, date(2028, 2, 27))
    _more_cases(random.Random(seed), population.days)
    days = population.days
    placements = list(db.session.scalars(sa.select(Placement)))
    on_day: dict[tuple[str, date], dict[int, date]] = {}
    found: set[str] = set()

    def single(rule: str, day: date) -> dict[int, date]:
        if (rule, day) not in on_day:
            on_day[rule, day] = _verdicts(rule, Period(day, day))
        return on_day[rule, day]

    for period in [Period(days[0], days[-1]), Period(days[1], days[3]),
                   Period(days[0] - timedelta(days=3), days[2])]:
        active = [p for p in placements if p.start_date <= period.end
                  and (p.end_date is None or p.end_date > period.start)]
        first = {p.id: max(p.start_date, period.start) for p in active}
        last = {p.id: min(p.end_date - timedelta(days=1), period.end) if p.end_date
                else period.end for p in active}
        for rule in [*DAY_RULES, "R2"]:
            expected = {}
            for i in first:
                day = first[i]
                while day <= last[i] and i not in single(rule, day):
                    day += timedelta(days=1)
                if day <= last[i]:
                    expected[i] = day
            got = _verdicts(rule, period)
            if rule == "R2":  # found, on the placement's first day in the period
                expected = {i: first[i] for i in expected}
            assert got == expected, (rule, period)
            found |= {rule} if expected else set()
            if rule == "R3":
                assert any(day != first[i] for i, day in expected.items())
    assert found == {*DAY_RULES, "R2"}
