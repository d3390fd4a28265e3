import pytest

from app.core.vocabulary import ConsentKind
from app.extensions import db
from app.kiosk import operations as kiosk
from tests import factories


@pytest.fixture
def people(world):
    """Two people at a kiosk-running institution, each with work, a consent and a PIN,
    and one at an institution without kiosks."""
    home = world["institution"]
    home.runs_kiosks = True
    db.session.commit()
    vacancy = factories.vacancy(world["employer"], home, title="Sewing line")
    other_vacancy = factories.vacancy(world["employer"], home, title="Bakery shift")
    aidar = factories.inmate(home, first_name="Aidar", last_name="Seitkali", file_number="K-100")
    bolat = factories.inmate(home, first_name="Bolat", last_name="Omarov", file_number="K-200")
    away = factories.inmate(world["other_institution"], first_name="Dmitry",
                            last_name="Volkov", file_number="K-100")
    factories.placement(aidar, vacancy)
    factories.placement(bolat, other_vacancy)
    consents = {person.id: factories.consent(person, ConsentKind.PRIVATE_EMPLOYER)
                for person in (aidar, bolat)}
    pins = {person.id: kiosk.issue_pin(person, world["officer"].id)
            for person in (aidar, bolat, away)}
    db.session.commit()
    return {**world, "aidar": aidar, "bolat": bolat, "away": away, "pins": pins,
            "consents": consents}


def sign_in(client, people, who: str = "aidar", pin: str | None = None):
    person = people[who]
    return client.post("/kiosk/", data={
        "institution_id": person.institution_id, "file_number": person.file_number,
        "pin": pin if pin is not None else people["pins"][person.id]})


@pytest.fixture
def kiosk_client(app, people):
    client = app.test_client()
    assert sign_in(client, people).status_code == 302
    return client
