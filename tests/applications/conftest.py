"""An institution with a vacancy, a course and people who apply (R31)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from app.applications import operations as ops
from app.core.vocabulary import EmployerKind, Role
from app.extensions import db
from tests import factories
from tests.factories import TODAY, ApiClient


@pytest.fixture
def scene(world):
    institution = world["institution"]
    employer = factories.employer(EmployerKind.STATE_ENTERPRISE)
    vacancy = factories.vacancy(employer, institution, positions=1)
    course = factories.course(institution, seats=1)
    away_vacancy = factories.vacancy(employer, world["other_institution"])
    people = [factories.inmate(institution, last_name=f"Person{n}") for n in range(3)]
    return SimpleNamespace(world=world, institution=institution, employer=employer,
                           vacancy=vacancy, course=course, away_vacancy=away_vacancy,
                           people=people, officer=world["officer"])


def apply_for(person, target, days_ago=5, **kwargs):
    """``person`` applies on paper for ``target`` (a vacancy or course), received
    ``days_ago`` days before today."""
    kind = "vacancy" if target.__class__.__name__ == "Vacancy" else "course"
    application = ops.apply(person, kind=kind, target_id=target.id,
                            received_on=TODAY - timedelta(days=days_ago), **kwargs)
    db.session.commit()
    return application


@pytest.fixture
def api(app, world):
    return lambda who: ApiClient(app, world[who])


@pytest.fixture
def partner_user(world):
    from app.core.vocabulary import PartnerKind
    from app.reintegration.models import PartnerOrganisation

    org = PartnerOrganisation(name="Centre", kind=PartnerKind.NGO)
    db.session.add(org)
    db.session.commit()
    return factories.user(Role.PARTNER, partner_id=org.id)
