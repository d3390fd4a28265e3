"""Builders for the monitoring tests: a clean placement breaks no rule, so each
test changes one thing and expects one violation."""

from datetime import timedelta

import pytest

from app.core.vocabulary import EmployerKind
from app.monitoring.violations import Period
from tests import factories
from tests.factories import TODAY

PERIOD = Period(TODAY - timedelta(days=30), TODAY)


@pytest.fixture
def state_employer(app):
    return factories.employer(EmployerKind.STATE_ENTERPRISE)


@pytest.fixture
def clean(world, state_employer):
    """make(inmate_fields, vacancy_fields, placement_fields) → a placement that breaks
    no rule unless the fields say so, at the Karaganda institution."""

    def make(inmate=None, vacancy=None, placement=None, institution=None):
        home = institution or world["institution"]
        person = factories.inmate(home, **(inmate or {}))
        job = factories.vacancy(state_employer, home, **(vacancy or {}))
        return factories.placement(person, job, **(placement or {}))

    return make

