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
from policy.clock import today_in_kazakhstan
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
    the inmate with the placements of that day senior to it (started before it, or the
    same day and recorded first: the checks report the placement that went over, as
    the engine judges a new placement beside those already held), the vacancy with the
    placement's own hours and wage."""
    others = [p for p in _active(day, placement.inmate_id)
              if (p.start_date, p.id) < (placement.start_date, placement.id)]
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

    today = today_in_kazakhstan()
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


def _kazakhstan_noon(day: date):
    from datetime import UTC, datetime, time

    return datetime.combine(day, time(6, 0), tzinfo=UTC)  # 11:00 in Kazakhstan (R32)


def test_a_committed_placement_is_placed_in_every_projection_and_employed_from_its_first_day(
        app, world, trades):
    """An accepted placement that starts later is *committed*: counted as placed by the
    engine's summary, the run page and the planner (which never plans for the person
    again), and not employed today on the home page and in the rates API (R1 counts
    today only) until its first day. Accepting a proposal never lowers the projection."""
    from datetime import timedelta

    import time_machine

    from app.core.vocabulary import EmployerKind
    from tests import factories
    from tests.conftest import login
    from tests.factories import ApiClient

    today = today_in_kazakhstan()
    home = world["institution"]
    for _ in range(4):
        factories.inmate(home)
    factories.vacancy(factories.employer(EmployerKind.STATE_ENTERPRISE), home, positions=2)
    officer = ApiClient(app, world["officer"])
    prosecutor = ApiClient(app, world["prosecutor"])
    first = officer.post("/api/placements/runs", json={}).json
    assert (first["summary"]["proposed"], first["summary"]["projected_rate"]) == (2, 0.5)
    starts = today + timedelta(days=14)
    accepted = officer.post(f"/api/placements/proposals/{first['proposals'][0]['id']}/accept",
                            json={"start_date": starts.isoformat()})
    assert accepted.status_code in (200, 201), accepted.json
    committed_id = first["proposals"][0]["inmate_id"]

    run = officer.post("/api/placements/runs", json={}).json
    summary = run["summary"]
    assert committed_id not in {p["inmate_id"] for p in run["proposals"]}
    assert (summary["employed"], summary["committed"], summary["proposed"]) == (0, 1, 1)
    for key in ("projected_rate", "projected_rate_all_held", "shortfall"):
        assert summary[key] == first["summary"][key], key
    page = app.test_client()
    login(page, world["officer"])
    html = page.get(f"/placements/runs/{run['id']}").get_data(as_text=True)
    assert 'id="committed">1<' in html and "50.0%" in html
    plan = officer.get(f"/api/planner/runs/{run['id']}").json
    assert (plan["employed"], plan["committed"], plan["placed_now"]) == (0, 1, 1)
    assert plan["shortfall_now"] == summary["shortfall"] == 1
    shop = prosecutor.get(f"/api/planner/institutions/{home.id}", query_string={
        "trade": "welder", "positions": 5, "trainable_on_job": "true",
        "employer_kind": "state_enterprise"}).json
    # the committed person is never planned for: only the three others are eligible
    assert (shop["committed"], shop["eligible"], shop["extra_employed"]) == (1, 3, 2)
    assert (shop["rate_now"], shop["rate_with"]) == (0.5, 1.0)

    def employed_today() -> set[int]:
        figures = officer.get("/api/home/officer").json["rate"]
        [line] = [r for r in prosecutor.get("/api/monitoring/rates").json["institutions"]
                  if r["id"] == home.id]
        assert {(k, figures[k]) for k in ("held", "able", "employed", "employed_all")} == {
            (k, line[k]) for k in ("held", "able", "employed", "employed_all")}
        assert (figures["held"], figures["able"]) == (4, 4)
        return figures["employed"]

    assert employed_today() == 0  # committed, not employed
    with time_machine.travel(_kazakhstan_noon(starts - timedelta(days=1)), tick=False):
        assert employed_today() == 0
    with time_machine.travel(_kazakhstan_noon(starts), tick=False):
        assert employed_today() == 1  # employed from its first day


def test_the_end_date_is_the_first_day_without_work_on_every_side(app, world, trades):
    """A placement's end date is the first day without work (half-open, as a consent's
    withdrawal and a custody period's end): on the day before it the person is employed
    for the engine, the rates and the home page, is not in the labour pool, and its
    violations are seen; on the end date none of that holds, and no hours may be
    worked. The API says so and gives the date as entered."""
    from datetime import timedelta

    from app.core.vocabulary import EmployerKind, EndReason
    from tests import factories
    from tests.factories import ApiClient

    ends = today_in_kazakhstan() - timedelta(days=5)
    home = world["institution"]
    person = factories.inmate(home)
    job = factories.vacancy(factories.employer(EmployerKind.STATE_ENTERPRISE), home,
                            start_date=ends - timedelta(days=30))
    placement = factories.placement(person, job, start_date=ends - timedelta(days=10),
                                    end_date=ends, end_reason=EndReason.COMPLETED,
                                    monthly_wage=1_000)  # under the minimum: R10
    for day, works in ((ends - timedelta(days=1), True), (ends, False)):
        law = settings_for(day.year).law
        [engine] = adapter.load_inmates([person.id], day)
        [counts] = db.session.execute(institution_counts(day, law, [home.id])).all()
        available = dict(db.session.execute(
            sa.select(pool._available(day, law).subquery())).all())
        found = {v.placement_id for v in find_violations(Period(day, day), sa.true(), ["R10"])}
        rates = counts_on([day], [home.id])[day, home.id]
        assert engine.employed is works, day
        assert (counts.employed, rates.employed) == (int(works), int(works)), day
        assert (person.id in available) is not works, day
        assert (placement.id in found) is works, day
        assert placement.active_on(day) is works, day
    shown = ApiClient(app, world["officer"]).get(f"/api/placements/{placement.id}").json
    assert shown["end_date"] == ends.isoformat()
    spec = ApiClient(app, world["officer"]).get("/api/openapi.json").json
    described = spec["components"]["schemas"]["Placement"]["properties"]["end_date"]
    assert "first day without work" in described["description"].lower()
