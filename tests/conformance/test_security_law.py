"""R28 and R30, one law on every side: for every placement of a seeded population on
every day of the run, the engine (its numpy masks through the adapter a match run uses,
and its per-pair check once it decides R28 and R30), the prosecutors' SQL checks and the
entry check (``policy.rules`` in plain Python) agree; and the labour pool's counts by
trade leave out exactly the persons the engine sees banned from the trade.

The population is the conformance population (tests/conformance/population.py) with
risk assessments made around the days of the run (and none for some, inside and outside
the perimeter), vacancies' highest levels of every kind, and court bans that start and
end on the days of the run."""

import random
from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

import numpy as np
import pytest
import sqlalchemy as sa

import matching
from app.core.vocabulary import RiskReason, SkillSource
from app.extensions import db
from app.inmates.models import CourtBan, Inmate, InmateSkill, RiskAssessment
from app.monitoring.violations import Period, find_violations
from app.placements import adapter
from app.placements.models import Placement
from app.placements.operations import security_rules
from app.settings.operations import settings_for
from app.vacancies.models import Vacancy
from employers import pool
from matching.lawops import NUMPY
from policy import rules
from policy.rules import active_on
from tests import factories
from tests.conformance.population import Population, build

RULES = ("R28", "R30")
LEVELS = (None, "low", "medium", "high")


@pytest.fixture(params=[(4, 0), (5, 1)], ids=lambda p: f"seed{p[0]}")
def population(request, app, trades):
    from tests.conformance.test_one_law import FIRST_DAYS

    seed, day = request.param
    built = build(seed, FIRST_DAYS[day])
    _add_security(random.Random(seed), built)
    return built


def _around(rng: random.Random, days, spread: int = 1):
    return rng.choice(days) + timedelta(days=rng.randint(-spread, spread))


def _add_security(rng: random.Random, population: Population) -> None:
    cook = factories.trade("cook")
    welder = factories.trade("welder")
    for vacancy in db.session.scalars(sa.select(Vacancy)):
        vacancy.max_risk_level = rng.choice(LEVELS)
        if rng.random() < 0.3:
            vacancy.trade_id = cook.id
    for person in db.session.scalars(sa.select(Inmate)):
        for trade in rng.sample([welder, cook], rng.choice([0, 1, 2])):
            db.session.add(InmateSkill(inmate_id=person.id, trade_id=trade.id, level=2,
                                       source=SkillSource.ASSESSED,
                                       recorded_on=person.admission_date))
        for k in range(rng.choice([0, 0, 1, 1, 2])):
            on = person.admission_date if k == 0 else _around(rng, population.days)
            db.session.add(RiskAssessment(inmate_id=person.id, assessed_on=on,
                                          level=rng.choice(LEVELS[1:]), needs=[],
                                          reason=RiskReason.ADMISSION))
        if rng.random() < 0.35:
            starts = _around(rng, population.days) if rng.random() < 0.5 \
                else person.admission_date
            ends = _around(rng, population.days, 2) if rng.random() < 0.5 else None
            if ends is not None and ends <= starts:
                ends = starts + timedelta(days=1)
            ban = CourtBan(inmate_id=person.id, starts_on=starts, ends_on=ends,
                           decision_ref=f"ban-{person.id}")
            ban.trades = rng.choice([[welder], [cook], [welder, cook]])
            db.session.add(ban)
    db.session.commit()


def _engine(person: matching.Inmate, job: matching.Vacancy, settings: matching.Settings,
            day) -> set[str]:
    """The engine's verdict on R28 and R30: its per-pair check where it decides them,
    else the law's predicates evaluated by its numpy backend on the same inputs."""
    if hasattr(matching.rules, "r28_workplace_security"):
        found = {v.rule for v in matching.check_pair(person, job, settings, day)}
        return found & set(RULES)
    p = SimpleNamespace(risk=np.array([[person.risk_level]]))
    v = SimpleNamespace(outside=np.array([[job.site == "outside"]]),
                        max_risk=np.array([[job.max_risk_level]]))
    found = set()
    if not rules.r28_security_allows(NUMPY, settings, p, v)[0, 0]:
        found.add("R28")
    if job.trade_code in person.banned_trades:
        found.add("R30")
    return found


def test_engine_sql_and_entry_agree_on_r28_and_r30(population: Population):
    checked: Counter = Counter()
    for day in population.days:
        settings = adapter.engine_settings(settings_for(day.year))
        found = {(v.placement_id, v.rule) for v in find_violations(
            Period(day, day), sa.true(), list(RULES))}
        active = list(db.session.scalars(sa.select(Placement).where(
            active_on(pool.SQL, Placement.start_date, Placement.end_date, day))))
        people = {int(p.id): p for p in adapter.load_inmates(
            sorted({p.inmate_id for p in active}), day)}
        jobs = {int(v.id): v for v in adapter.load_vacancies(
            sorted({p.vacancy_id for p in active}), day)}
        for placement in active:
            person, job = people[placement.inmate_id], jobs[placement.vacancy_id]
            engine = _engine(person, job, settings, day)
            entry = set(security_rules(person, job, settings))
            sql = {rule for pid, rule in found if pid == placement.id}
            assert sql == engine == entry, (day, placement.id, sql, engine, entry)
            checked.update(engine)
            checked["allowed"] += not engine
    assert checked["R28"] and checked["R30"] and checked["allowed"], checked


def test_the_pool_by_trade_leaves_out_the_banned(population: Population):
    left_out = 0
    for day in population.days:
        law = settings_for(day.year).law
        rows = db.session.execute(pool._groups(day, law)).all()
        sql = {(row.institution_id, row.code): row.n for row in rows if row.code}
        available = dict(db.session.execute(
            sa.select(pool._available(day, law).subquery())).all())
        engine: Counter = Counter()
        for person in adapter.load_inmates(sorted(available), day):
            for code in person.skills:
                if code not in person.banned_trades:
                    engine[(available[int(person.id)], code)] += 1
                else:
                    left_out += 1
        assert sql == dict(engine), day
    assert left_out and sum(engine.values())
