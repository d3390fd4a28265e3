"""R31's "done when", end to end through the product's own doors: the officer records a
paper application through the API, the next match run (the real run operation of
app/placements) answers it, and the person's kiosk shows it with the answer in the
language they chose. And the run's proposals prefer the applicant when two people are
otherwise equal."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.applications.models import Application
from app.core.vocabulary import EmployerKind
from app.extensions import db
from app.kiosk import operations as kiosk
from app.placements.models import Proposal
from app.placements.operations import start_run
from tests import factories
from tests.factories import TODAY, ApiClient
from tests.kiosk.conftest import sign_in


@pytest.fixture
def twins(world):
    """Two people equal in everything the engine scores, at a kiosk-running institution
    with one free position; both have a PIN."""
    home = world["institution"]
    home.runs_kiosks = True
    employer = factories.employer(EmployerKind.STATE_ENTERPRISE)
    vacancy = factories.vacancy(employer, home, positions=1)
    people = [factories.inmate(home, first_name="Aidar", last_name=name, file_number=number)
              for name, number in (("Seitkali", "K-300"), ("Omarov", "K-400"))]
    pins = {person.id: kiosk.issue_pin(person, world["officer"].id) for person in people}
    db.session.commit()
    return {**world, "vacancy": vacancy, "people": people, "pins": pins}


def _record_paper(app, twins, person) -> int:
    response = ApiClient(app, twins["officer"]).post("/api/applications", json={
        "inmate_id": person.id, "kind": "vacancy", "target_id": twins["vacancy"].id,
        "received_on": (TODAY - timedelta(days=3)).isoformat()})
    assert response.status_code == 201, response.json
    return response.json["id"]


def _run(twins) -> list[Proposal]:
    run = start_run(twins["institution"], twins["officer"].id)
    db.session.commit()
    return list(db.session.scalars(sa.select(Proposal).where(Proposal.run_id == run.id)))


def test_the_kiosk_shows_the_paper_application_with_its_answer_in_kazakh(app, twins):
    person = twins["people"][1]
    person.language = "kk"
    db.session.commit()
    application_id = _record_paper(app, twins, person)
    client = app.test_client()
    assert sign_in(client, {**twins, "aidar": person}).status_code == 302
    before = client.get("/kiosk/me/applications").get_data(as_text=True)
    assert "Ұсынылды" not in before  # not answered before the run

    _run(twins)

    application = db.session.get(Application, application_id)
    assert application.answer_language == "kk" and application.answer_text
    page = client.get("/kiosk/me/applications").get_data(as_text=True)
    assert twins["vacancy"].title in page
    assert application.answer_text in page
    assert "Ұсынылды" in page  # "Offered" in Kazakh: the person's language, not the staff's
    assert "Offered:" not in page and "Предложено" not in page


@pytest.mark.parametrize("applicant", [0, 1])
def test_the_runs_proposals_prefer_the_applicant_among_equals(app, twins, applicant):
    """Whichever of the two equal people applies gets the one position: the application
    decides, not the order they were recorded in."""
    person = twins["people"][applicant]
    _record_paper(app, twins, person)
    proposals = _run(twins)
    assert [(p.inmate_id, p.vacancy_id) for p in proposals] == [
        (person.id, twins["vacancy"].id)]
