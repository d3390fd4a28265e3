"""One law, computed once: the engine, the SQL rates, the violations and the labour
pool agree for every inmate on every day of a population full of edge cases.

Each side is reached the way the product reaches it: the engine through the adapter
that feeds match runs (``adapter.load_inmates``, ``matching.rules``,
``matching.check_pair``); the rates through ``institution_counts`` and the trend
query; violations through ``find_violations`` for the day; the pool through the
query the employers' page runs.
"""

import dataclasses
from collections import Counter
from datetime import date

import numpy as np
import pytest
import sqlalchemy as sa

import matching
from app.extensions import db
from app.inmates.models import Inmate
from app.monitoring.rates import counts_on
from app.monitoring.violations import Period, find_violations
from app.placements import adapter
from app.placements.models import Placement
from app.placements.status import held_on, institution_counts
from app.settings.operations import settings_for
from employers import pool
from matching.rules import build_frame, hours_limit, juvenile_hours_limit, r1_able_to_work
from policy.ops import PYTHON
from policy.rules import active_on
from tests.conformance.population import Population, build

# Rules that both the engine (per pair) and the prosecutors' checks (per placement)
# decide. R2 differs by design (the engine never proposes a remand detainee; a
# placement is lawful with their written request), R11-R13 are the engine's alone.
SHARED_RULES = {"R3", "R4", "R5", "R6", "R8", "R9", "R10"}

# 2028: the women's pension age is 61.5 and February has 29 days.
FIRST_DAYS = [date(2028, 2, 27), date(2026, 11, 28)]


@pytest.fixture(params=[(1, FIRST_DAYS[0]), (2, FIRST_DAYS[1]), (3, FIRST_DAYS[0])],
                ids=lambda p: f"seed{p[0]}-{p[1]}")
def population(request, app, trades):
    seed, first_day = request.param
    return build(seed, first_day)


def _held(day: date, institution_id: int) -> list[int]:
    held = held_on(day).subquery()
    return list(db.session.scalars(sa.select(held.c.inmate_id).where(
        held.c.institution_id == institution_id)))


def _engine_people(day: date, institution_id: int) -> list[matching.Inmate]:
    return adapter.load_inmates(_held(day, institution_id), day)


def test_r1_and_the_pool_agree_with_the_engine(population: Population):
    # the trend's query for all the days at once (one day alone takes institution_counts)
    series = counts_on(population.days, [i.id for i in population.institutions])
    for day in population.days:
        settings = settings_for(day.year)
        law, engine_settings = settings.law, adapter.engine_settings(settings)
        able_sql = set(db.session.scalars(sa.select(Inmate.id).where(
            pool.able_to_work(day, law))))
        available = dict(db.session.execute(
            sa.select(pool._available(day, settings.law).subquery())).all())
        hours_sql = dict(db.session.execute(
            sa.select(Inmate.id, pool.hours_allowed(day, settings.law))).all())
        per_day = {row.institution_id: row for row in
                   db.session.execute(institution_counts(day, law))}
        for institution in population.institutions:
            people = _engine_people(day, institution.id)
            frame = build_frame(people, [], engine_settings, day, institution.is_juvenile)
            able = r1_able_to_work(frame)
            employed = frame.employed
            ids = [int(i) for i in frame.inmate_ids]
            assert {i for i, a in zip(ids, able, strict=True) if a} == able_sql & set(ids), day
            assert {i for i, a, e in zip(ids, able, employed, strict=True) if a and not e} == {
                i for i, home in available.items() if home == institution.id}, day
            limits = np.minimum(juvenile_hours_limit(frame), hours_limit(frame))
            assert dict(zip(ids, limits.tolist(), strict=True)) == {
                i: hours_sql[i] for i in ids}, day
            expected = (len(ids), int(able.sum()), int(employed.sum()),
                        int((able & employed).sum()))
            row = per_day.get(institution.id)
            assert (tuple(row[1:]) if row else (0, 0, 0, 0)) == expected, day
            assert tuple(dataclasses.astuple(series[(day, institution.id)])) == expected, day


def _engine_verdicts(day: date, placement: Placement, person: matching.Inmate,
                     engine_settings: matching.Settings, juvenile: bool) -> set[str]:
    """The rules the engine's own pair check finds broken by this placement on ``day``:
    the inmate with the other placements of that day, the vacancy with the placement's
    own hours and wage."""
    others = [p for p in _active(day, placement.inmate_id) if p.id != placement.id]
    person = dataclasses.replace(
        person, current_weekly_hours=sum(p.weekly_hours for p in others),
        employed=placement.paid and any(p.paid for p in others), upcoming_paid=False)
    job = dataclasses.replace(adapter.load_vacancies([placement.vacancy_id], day)[0],
                              weekly_hours=placement.weekly_hours,
                              monthly_wage=placement.monthly_wage, free_positions=1,
                              end_date=None)
    return {v.rule for v in matching.check_pair(person, job, engine_settings, day, juvenile)
            } & SHARED_RULES


def _active(day: date, inmate_id: int) -> list[Placement]:
    return list(db.session.scalars(sa.select(Placement).where(
        Placement.inmate_id == inmate_id,
        active_on(pool.SQL, Placement.start_date, Placement.end_date, day))))


def test_violations_agree_with_the_engine_pair_check(population: Population):
    checked = Counter()
    for day in population.days:
        settings = settings_for(day.year)
        engine_settings = adapter.engine_settings(settings)
        found = {(v.placement_id, v.rule) for v in find_violations(
            Period(day, day), sa.true(), sorted(SHARED_RULES, key=lambda r: int(r[1:])))}
        for institution in population.institutions:
            people = {int(p.id): p for p in _engine_people(day, institution.id)}
            active = db.session.scalars(sa.select(Placement).where(
                Placement.institution_id == institution.id,
                Placement.inmate_id.in_(list(people)),
                active_on(pool.SQL, Placement.start_date, Placement.end_date, day)))
            for placement in active:
                engine = _engine_verdicts(day, placement, people[placement.inmate_id],
                                          engine_settings, institution.is_juvenile)
                sql = {rule for pid, rule in found if pid == placement.id}
                assert sql == engine, (day, placement.id, sql, engine)
                checked.update(engine)
    # the population really exercises every shared rule
    assert set(checked) == SHARED_RULES, checked


def test_python_entry_checks_agree_with_numpy():
    """R10's entry check (plain Python) and the engine's mask (numpy) on every wage and
    hours either side of the minimum."""
    law = matching.Settings()
    for hours in range(1, law.max_hours_adult + 1):
        minimum = matching.rules.law.minimum_wage(law, hours)
        for wage in (minimum - 1, minimum, minimum + 1):
            engine = matching.rules.law.r10_wage_allows(matching.rules.NUMPY, law,
                                                         np.array([wage]), np.array([hours]))
            assert bool(engine[0]) == matching.rules.law.r10_wage_allows(
                PYTHON, law, wage, hours) == (wage >= minimum)


def test_a_lapsed_review_gives_one_answer_through_the_api(app, world, trades):
    """R1 through the API, as an officer and a prosecutor see it: a 'fit' assessment whose
    review date has passed keeps the inmate in the count everywhere (the engine once
    dropped them while the rates did not)."""
    from datetime import timedelta

    from app.core.vocabulary import EmployerKind
    from tests import factories
    from tests.factories import ApiClient

    today = date.today()
    home = world["institution"]
    people = [factories.inmate(home) for _ in range(4)]
    factories.vacancy(factories.employer(EmployerKind.STATE_ENTERPRISE), home)
    officer = ApiClient(app, world["officer"])
    for person in people[:3]:
        response = officer.post(f"/api/inmates/{person.id}/assessments", json={
            "fitness": "fit", "assessed_on": (today - timedelta(days=20)).isoformat(),
            "review_date": (today - timedelta(days=1)).isoformat()})
        assert response.status_code in (200, 201), response.json
    run = officer.post("/api/placements/runs", json={})
    assert run.status_code == 201, run.json
    home_rate = officer.get("/api/home/officer").json["rate"]
    rates = ApiClient(app, world["prosecutor"]).get("/api/monitoring/rates").json
    [institution] = [r for r in rates["institutions"] if r["id"] == home.id]
    assert run.json["summary"]["able_to_work"] == home_rate["able"] == institution["able"] == 4
    # R3 still bars new work until a new assessment: only the fourth is proposed
    assert [p["inmate_id"] for p in run.json["proposals"]] == [people[3].id]
