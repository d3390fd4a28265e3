"""R29's group of a workplace, one reading on every side: the engine, the entry check and
the prosecutors' SQL check count the flagged persons of a site and shift together, also
where the engine is told of a finer workplace (a workshop) beside a vacancy without one,
which counts as the whole site (``policy.rules.same_workplace``, the safe reading).
Vacancies in the app record no workshop, so the entry check and the SQL group by
institution, site and shift: exactly the engine's groups once a vacancy of the site and
shift has no workplace."""

import dataclasses
from datetime import timedelta

import sqlalchemy as sa

from app.core.vocabulary import Shift, Site
from app.monitoring.violations import Period, find_violations
from app.placements import adapter
from matching.explain import caps_of, prepare, separation_groups
from tests import factories
from tests.placements.conftest import accept_url, make_proposal, make_run
from tests.security.helpers import TODAY, flag


def _engine(world, workplaces: dict[int, str]):
    """The engine's problem of the day, with ``workplaces`` {vacancy id: workshop} given
    to it: (its group of each vacancy, the room each group has for flagged persons)."""
    problem = adapter.build_problem(world["institution"], TODAY,
                                    adapter.settings_for(TODAY.year))
    problem = dataclasses.replace(problem, vacancies=[
        dataclasses.replace(v, workplace=workplaces.get(int(v.id), ""))
        for v in problem.vacancies])
    group = separation_groups(problem)
    caps = caps_of(prepare(problem))
    index = {int(v.id): k for k, v in enumerate(problem.vacancies)}
    return ({job: int(group[k]) for job, k in index.items()},
            {job: int(caps.room[group[k]]) for job, k in index.items()} if caps else {})


def _accept(client, scene, person, job) -> int:
    proposal = make_proposal(make_run(scene.institution), person, job)
    return client.post(accept_url(proposal), json={}).status_code


def test_a_vacancy_without_a_workplace_groups_its_site_and_shift(officer_api, scene, world):
    world["institution"].scattered_cap = 1
    whole = scene.vacancy(positions=5, site=Site.INSIDE, shift=Shift.DAY)
    workshop = scene.vacancy(positions=5, site=Site.INSIDE, shift=Shift.DAY)
    night = scene.vacancy(positions=5, site=Site.INSIDE, shift=Shift.NIGHT)
    placed, candidate = scene.inmate(), scene.inmate()
    flag(placed)
    flag(candidate)
    factories.placement(placed, whole, start_date=TODAY - timedelta(days=10))

    # the engine: the workshop's vacancy counts with the whole site's (no room left)
    group, room = _engine(world, {workshop.id: "W1"})
    assert group[whole.id] == group[workshop.id] != group[night.id]
    assert room[workshop.id] == room[whole.id] == 0 and room[night.id] == 1
    # (two workshops and no whole-site vacancy would be two groups)
    group, _ = _engine(world, {whole.id: "W2", workshop.id: "W1"})
    assert group[whole.id] != group[workshop.id]

    # the entry check: the same site and shift is full, the night shift is not
    assert _accept(officer_api, scene, candidate, workshop) == 409
    assert _accept(officer_api, scene, candidate, night) == 201

    # the SQL check: the flagged person placed at the other vacancy of the site and shift
    # went over the cap; nobody did at night
    over = factories.placement(candidate, workshop, start_date=TODAY - timedelta(days=5))
    found = find_violations(Period(TODAY - timedelta(days=5), TODAY), sa.true(), ["R29"])
    assert [(v.placement_id, v.day) for v in found] == [(over.id, TODAY - timedelta(days=5))]
