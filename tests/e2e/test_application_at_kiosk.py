"""In the browser (demo data), R31's "done when" in Kazakh: the officer records a person's
paper application on the person's applications page, the next match run answers it, and
the person, signed in at Dolinka's kiosk with a PIN, reads the application with its
answer in Kazakh. Screenshots go to kiosk/ of ``screenshots``."""

import sqlalchemy as sa

from app.applications.models import Application
from app.core.vocabulary import CustodyStatus, Fitness
from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.kiosk import operations as kiosk
from app.kiosk.demo import KIOSK_INSTITUTION
from app.kiosk.view import open_targets
from app.placements.models import Placement
from app.placements.operations import start_run
from policy.clock import today_in_kazakhstan
from tests.e2e.conftest import log_in, screenshots

PIN = "864213"


def _person_without_work(dolinka: Institution) -> Inmate:
    """A held, fit person at Dolinka with no placement, reading Kazakh, with a PIN."""
    working = sa.select(Placement.inmate_id).where(Placement.end_date.is_(None))
    person = db.session.scalar(sa.select(Inmate).where(
        Inmate.institution_id == dolinka.id, Inmate.status == CustodyStatus.HELD,
        Inmate.fitness == Fitness.FIT, Inmate.id.not_in(working)).order_by(Inmate.id))
    assert person is not None
    person.language = "kk"
    kiosk.set_pin(person, PIN, None)
    db.session.commit()
    return person


def test_a_paper_application_answered_in_kazakh_at_the_kiosk(open_page):
    dolinka = db.session.scalar(sa.select(Institution).where(
        Institution.code == KIOSK_INSTITUTION))
    person = _person_without_work(dolinka)
    vacancy_id, vacancy_name = open_targets(person, today_in_kazakhstan())["vacancy"][0]

    officer = open_page("/login")
    log_in(officer, "officer.dolinka@demo.kz")
    officer.goto(f"/applications/inmates/{person.id}")
    officer.select_option("select[name=target]", f"vacancy:{vacancy_id}")
    officer.fill("input[name=received_on]", today_in_kazakhstan().isoformat())
    officer.click("form[enctype='multipart/form-data'] button.primary")
    officer.wait_for_url(f"**/applications/inmates/{person.id}")
    application = db.session.scalar(sa.select(Application).where(
        Application.inmate_id == person.id, Application.vacancy_id == vacancy_id))
    assert application is not None and application.channel == "paper"

    start_run(dolinka, None)  # the next match run (the real run operation)
    db.session.commit()
    db.session.refresh(application)
    assert application.answer_language == "kk" and application.answer_text

    page = open_page(f"/kiosk/?institution={dolinka.id}")
    page.fill("input[name=file_number]", person.file_number)
    page.fill("input[name=pin]", PIN)
    page.click("button.primary")
    page.wait_for_url("**/kiosk/me")
    assert page.get_attribute("html", "lang") == "kk"
    page.goto("/kiosk/me/applications")
    shown = page.inner_text("#applications")
    assert vacancy_name.split(" (")[0] in shown
    assert application.answer_text in shown  # the answer, in Kazakh
    page.screenshot(path=str(screenshots("kiosk") / "paper-application-answered-kk.png"),
                    full_page=True)
