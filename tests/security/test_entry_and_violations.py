"""R28-R30 where data enters (accepting a proposal, the adapter's engine inputs) and in
the prosecutors' violations, for placements made before the rule or by hand."""

from datetime import timedelta

import sqlalchemy as sa

from app.core.vocabulary import Shift, Site
from app.extensions import db
from app.monitoring.violations import Period, find_violations
from app.placements import adapter
from app.placements.models import Placement
from policy.rules import NO_RISK_LIMIT, UNASSESSED
from tests import factories
from tests.placements.conftest import accept_url, make_proposal, make_run
from tests.security.helpers import TODAY, assess, ban, flag


def _propose(scene, person, job):
    """A proposal of its own run (one proposal per person and run)."""
    return make_proposal(make_run(scene.institution), person, job)


def _accept(client, proposal):
    return client.post(accept_url(proposal), json={})


def _placements() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Placement))


def test_r28_refuses_a_person_above_the_vacancy_level(officer_api, scene):
    job = scene.vacancy(max_risk_level="medium")
    person = scene.inmate()
    assess(person, "high")
    response = _accept(officer_api, _propose(scene, person, job))
    assert response.status_code == 422, response.json
    assert "R28" in response.json["message"]
    assert any("R28" in m for m in response.json["errors"]["max_risk_level"])
    assert _placements() == 0
    assess(person, "medium", on=TODAY - timedelta(days=1))
    assert _accept(officer_api, _propose(scene, person, job)).status_code == 201


def test_r28_unassessed_counts_as_highest_outside_and_no_limit_inside(officer_api, scene):
    outside = scene.vacancy(site=Site.OUTSIDE, max_risk_level="medium")
    inside = scene.vacancy(max_risk_level="low")
    person = scene.inmate(regime="minimum")
    refused = _accept(officer_api, _propose(scene, person, outside))
    assert refused.status_code == 422 and "R28" in refused.json["message"]
    assert _accept(officer_api, _propose(scene, person, inside)).status_code == 201


def test_r30_refuses_a_banned_trade_while_the_ban_runs(officer_api, scene):
    welder = factories.trade("welder")
    person = scene.inmate()
    ban(person, welder, ends=TODAY + timedelta(days=10))
    response = _accept(officer_api, _propose(scene, person, scene.vacancy()))
    assert response.status_code == 422 and "R30" in response.json["message"]
    assert "court_bans" in response.json["errors"]
    other = scene.vacancy(trade_id=factories.trade("cook").id)
    assert _accept(officer_api, _propose(scene, person, other)).status_code == 201


def test_r30_an_ended_ban_no_longer_bars(officer_api, scene):
    person = scene.inmate()
    ban(person, factories.trade("welder"), ends=TODAY)  # the first day it no longer runs
    assert _accept(officer_api, _propose(scene, person, scene.vacancy())).status_code == 201


def test_r29_the_cap_of_a_workplace_and_shift(officer_api, scene, world):
    first, second = scene.vacancy(positions=5), scene.vacancy(positions=5)
    for _ in range(2):
        worker = scene.inmate()
        flag(worker)
        factories.placement(worker, first)
    third = scene.inmate()
    flag(third)
    response = _accept(officer_api, _propose(scene, third, second))
    assert response.status_code == 409 and "R29" in response.json["message"]
    night = scene.vacancy(shift=Shift.NIGHT)
    assert _accept(officer_api, _propose(scene, third, night)).status_code == 201
    # the flag alone never bars: an unflagged person takes the full workplace
    assert _accept(officer_api, _propose(scene, scene.inmate(), second)).status_code == 201
    # an institution may allow more
    world["institution"].scattered_cap = 3
    db.session.commit()
    fourth = scene.inmate()
    flag(fourth)
    assert _accept(officer_api, _propose(scene, fourth, second)).status_code == 201


def test_the_adapter_fills_the_engine_inputs(scene, world):
    welder, cook = factories.trade("welder"), factories.trade("cook")
    person, other = scene.inmate(), scene.inmate()
    assess(person, "low", on=TODAY - timedelta(days=60))
    assess(person, "high", on=TODAY - timedelta(days=5))
    ban(person, welder, ends=TODAY + timedelta(days=1))
    ban(person, cook, ends=TODAY)  # ended today
    flag(person)
    job = scene.vacancy(max_risk_level="medium")
    free = scene.vacancy()
    factories.placement(person, job)
    problem = adapter.build_problem(world["institution"], TODAY,
                                    adapter.settings_for(TODAY.year))
    people = {p.id: p for p in problem.inmates}
    assert people[str(person.id)].risk_level == 2
    assert people[str(person.id)].flagged
    assert people[str(person.id)].banned_trades == frozenset({"welder"})
    assert people[str(other.id)].risk_level == UNASSESSED
    assert not people[str(other.id)].flagged
    jobs = {v.id: v for v in problem.vacancies}
    assert jobs[str(job.id)].max_risk_level == 1
    assert jobs[str(job.id)].flagged_placed == 1
    assert jobs[str(free.id)].max_risk_level == NO_RISK_LIMIT
    assert jobs[str(free.id)].flagged_placed == 0
    past = adapter.load_inmates([person.id], TODAY - timedelta(days=30))[0]
    assert past.risk_level == 0


def test_the_adapter_passes_the_institutions_own_cap(scene, world):
    settings = adapter.settings_for(TODAY.year)
    assert adapter.build_problem(world["institution"], TODAY, settings).settings \
        .scattered_cap == 2
    world["institution"].scattered_cap = 4
    db.session.commit()
    assert adapter.build_problem(world["institution"], TODAY, settings).settings \
        .scattered_cap == 4


def _found(rule: str, days: int = 30):
    period = Period(TODAY - timedelta(days=days - 1), TODAY)
    return [v for v in find_violations(period, sa.true(), [rule])]


def test_violations_of_r28_r29_r30_with_evidence(scene):
    welder = factories.trade("welder")
    risky = scene.inmate()
    assess(risky, "low", on=TODAY - timedelta(days=300))
    job = scene.vacancy(max_risk_level="medium", positions=10)
    factories.placement(risky, job, start_date=TODAY - timedelta(days=40))
    assess(risky, "high", on=TODAY - timedelta(days=3))  # reassessed while at work
    [r28] = _found("R28")
    assert r28.inmate_id == risky.id and r28.day == TODAY - timedelta(days=3)
    assert "high" in str(r28.detail) and "medium" in str(r28.detail)

    banned = scene.inmate()
    ban(banned, welder, starts=TODAY - timedelta(days=10), ends=TODAY + timedelta(days=100))
    factories.placement(banned, job, start_date=TODAY - timedelta(days=60))
    [r30] = _found("R30")
    assert r30.inmate_id == banned.id and r30.day == TODAY - timedelta(days=10)
    assert "2-1234/2025" in str(r30.detail)

    flagged = [scene.inmate() for _ in range(3)]
    for k, person in enumerate(flagged):
        flag(person)
        factories.placement(person, job, start_date=TODAY - timedelta(days=20 - k))
    [r29] = _found("R29")
    assert r29.inmate_id == flagged[2].id and r29.day == TODAY - timedelta(days=18)
    assert "3" in str(r29.detail) and "2" in str(r29.detail)


def test_no_violation_within_the_rules(scene):
    welder = factories.trade("welder")
    person = scene.inmate()
    assess(person, "medium")
    ban(person, welder, starts=TODAY - timedelta(days=400), ends=TODAY - timedelta(days=50))
    job = scene.vacancy(max_risk_level="medium", site=Site.INSIDE)
    factories.placement(person, job, start_date=TODAY - timedelta(days=40))
    for person in (scene.inmate(), scene.inmate()):
        flag(person)
        factories.placement(person, job)
    assert _found("R28") == _found("R29") == _found("R30") == []


def test_evidence_shows_the_records_and_the_flag_only_to_its_readers(
        scene, prosecutor_client, admin_client):
    job = scene.vacancy(max_risk_level="low", positions=10)
    person = scene.inmate()
    assess(person, "high", on=TODAY - timedelta(days=50))
    flag(person)
    placement = factories.placement(person, job)
    seen = prosecutor_client.get(f"/monitoring/placements/{placement.id}").text
    assert "Risk-and-needs assessment" in seen and "Scattered model flag" in seen
    assert "R28" in seen
    admin = admin_client.get(f"/monitoring/placements/{placement.id}").text
    assert "Risk-and-needs assessment" in admin and "Scattered model flag" not in admin


def test_kept_violations_are_forgotten_by_r28_r30_records(scene, world):
    """A kept period (app/placements/kept.py) is recomputed after a late assessment, a
    ban, a flag or a vacancy's new limit: the reader gets what the checks find now."""
    from app.monitoring.operations import violations_in_scope

    period = Period(TODAY - timedelta(days=29), TODAY)

    def rules_read():
        return sorted(v.rule for v in violations_in_scope(period, world["national_prosecutor"]))

    job = scene.vacancy(positions=10)
    person = scene.inmate()
    factories.placement(person, job)
    assert rules_read() == []
    assess(person, "high", on=TODAY - timedelta(days=5))
    job.max_risk_level = "low"
    db.session.commit()
    assert rules_read() == ["R28"]
    ban(person, factories.trade("welder"), starts=TODAY - timedelta(days=3))
    assert rules_read() == ["R28", "R30"]
    others = [scene.inmate() for _ in range(2)]
    for other in others:
        factories.placement(other, job)
    for other in [person, *others]:
        flag(other)
    assert rules_read() == ["R28", "R29", "R30"]


def test_r29_a_co_worker_flagged_later_in_the_period_is_seen_by_the_longer_period(
        scene, world):
    """R29's corner: the junior placement's person flagged all along, a senior co-worker
    (the same site and shift, another vacancy) flagged on day -10. With a cap of 1 the
    junior placement went over on day -10: a period starting before that day finds it too,
    as the period starting after it does."""
    world["institution"].scattered_cap = 1
    first, second = scene.vacancy(positions=5), scene.vacancy(positions=5)
    senior, junior = scene.inmate(), scene.inmate()
    flag(senior, on=TODAY - timedelta(days=10))
    flag(junior)
    factories.placement(senior, first, start_date=TODAY - timedelta(days=40))
    placed = factories.placement(junior, second, start_date=TODAY - timedelta(days=35))
    for days in (5, 30):
        [r29] = _found("R29", days)
        assert r29.placement_id == placed.id, days
    assert r29.day == TODAY - timedelta(days=10)
    # before the co-worker's flag nobody went over
    period = Period(TODAY - timedelta(days=30), TODAY - timedelta(days=11))
    assert find_violations(period, sa.true(), ["R29"]) == []
