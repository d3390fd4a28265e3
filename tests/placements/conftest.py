"""Builders for the placements tests: proposals made directly (so a test can
propose what the engine never would, and check that accepting re-checks it)."""


import pytest

from app.core.vocabulary import ConsentKind, EmployerKind
from app.extensions import db
from app.placements.models import MatchRun, Proposal
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.factories import ApiClient

EMPTY_RESULT = {
    "proposals": [], "unplaced": [], "training_recommendations": [], "separation": {},
    "summary": {"held": 0, "able_to_work": 0, "employed": 0, "proposed": 0,
                "projected_rate": None, "target": 0.75, "shortfall": 0},
}


def make_run(institution, user=None) -> MatchRun:
    run = MatchRun(institution_id=institution.id, started_by_id=user.id if user else None,
                   as_of=today_in_kazakhstan(), input_snapshot={}, settings_snapshot={},
                   result=EMPTY_RESULT)
    db.session.add(run)
    db.session.commit()
    return run


def make_proposal(run, inmate, vacancy) -> Proposal:
    proposal = Proposal(run_id=run.id, inmate_id=inmate.id, vacancy_id=vacancy.id, score=50,
                        score_parts={"skill": 30, "wage": 20})
    db.session.add(proposal)
    db.session.commit()
    return proposal


class Scene:
    """An institution with a state enterprise's vacancy and a helper to propose."""

    def __init__(self, world):
        self.world = world
        self.institution = world["institution"]
        self.state_employer = factories.employer(EmployerKind.STATE_ENTERPRISE)
        self.private_employer = factories.employer(EmployerKind.PRIVATE_COMPANY)
        self.run = make_run(self.institution, world["officer"])

    def vacancy(self, private: bool = False, **fields):
        employer = self.private_employer if private else self.state_employer
        return factories.vacancy(employer, self.institution, **fields)

    def inmate(self, consent: bool = False, **fields):
        inmate = factories.inmate(self.institution, **fields)
        if consent:
            factories.consent(inmate, ConsentKind.PRIVATE_EMPLOYER)
        return inmate

    def propose(self, inmate=None, vacancy=None, **inmate_fields) -> Proposal:
        return make_proposal(self.run, inmate or self.inmate(**inmate_fields),
                             vacancy or self.vacancy())


@pytest.fixture
def scene(world):
    return Scene(world)


def accept_url(proposal) -> str:
    return f"/api/placements/proposals/{proposal.id}/accept"


@pytest.fixture
def api(app, world):
    """``api("officer").post(...)``: the API as one of the world's users."""
    return lambda who: ApiClient(app, world[who])


@pytest.fixture
def officer_api(api):
    return api("officer")
