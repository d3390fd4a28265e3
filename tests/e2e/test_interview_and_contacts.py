"""In the browser: the Shakhtinsk centre's user, reading Kazakh, records the interview
it arranged for a person referred by AK-159/20 (refused first without a place, every
problem at once and what was typed kept); the officer, reading Russian, sees the
centre's contact person, phone and address and the interview on the release plan."""

from datetime import timedelta

import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db
from app.reintegration import operations as ops
from app.reintegration.models import PartnerOrganisation
from policy.clock import today_in_kazakhstan
from tests.e2e.conftest import log_in, screenshots
from tests.e2e.test_reintegration_journey import CENTRE, _a_plan_to_refer
from tests.factories import acting_as


def _accepted_referral():
    plan = _a_plan_to_refer()
    centre = db.session.scalar(sa.select(PartnerOrganisation).where(
        PartnerOrganisation.name == CENTRE))
    officer = db.session.scalar(sa.select(User).where(User.email == "officer.dolinka@demo.kz"))
    today = today_in_kazakhstan()
    with acting_as(officer):
        referral = ops.refer(plan, {"partner_id": centre.id, "due_on": None, "note": "",
                                    "part_ids": [p.id for p in plan.parts[:2]]}, officer, today)
        ops.accept(referral, today)
        db.session.commit()
    return referral, plan, centre


def _language(page, code: str) -> None:
    page.click(f"header form[action$='/language/{code}'] button")
    page.wait_for_load_state()


def test_the_partner_records_an_interview_the_officer_sees_it_with_the_contacts(open_page):
    referral, plan, centre = _accepted_referral()
    referral_id, plan_id = referral.id, plan.id
    contact = (centre.contact_person, centre.contact_phone, centre.address)
    when = today_in_kazakhstan() + timedelta(days=7)

    partner = open_page()
    log_in(partner, "partner.karaganda@demo.kz")
    _language(partner, "kk")
    partner.goto(f"/partner/referrals/{referral_id}")
    partner.fill("#interview-on", f"{when.isoformat()}T10:30")
    partner.fill("#interview-with", "Сауле Омарова")
    partner.click("#interview-form button")
    summary = partner.inner_text(".error-summary")
    assert "Орны" in summary  # the place, named in Kazakh
    assert partner.input_value("#interview-with") == "Сауле Омарова"
    partner.fill("#interview-place", "Шахтинск, орталық")
    partner.fill("#interview-escort", "Капитан Ахметов")  # still in custody that day
    partner.click("#interview-form button")
    assert "Әңгімелесу жазылды." in partner.inner_text("main")
    assert "10:30" in partner.inner_text("#interview-arranged")
    assert "Капитан Ахметов" in partner.inner_text("#interview-arranged")
    partner.screenshot(path=str(screenshots("reintegration") / "partner-interview-kk.png"),
                       full_page=True)

    officer = open_page()
    log_in(officer, "officer.dolinka@demo.kz")
    _language(officer, "ru")
    officer.goto(f"/release-plans/{plan_id}")
    row = officer.inner_text("#referrals")
    assert all(value and value in row for value in contact), (contact, row)
    assert "Собеседование" in row and "10:30" in row and "Шахтинск, орталық" in row
    assert "Капитан Ахметов" in row  # who accompanies the person
