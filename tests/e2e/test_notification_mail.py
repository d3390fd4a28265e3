"""In the browser (demo data), with a real SMTP server in process: the Shakhtinsk
centre's user reads the site in Kazakh; the officer of AK-159/20 refers a release plan
to the centre; the centre receives an e-mail in Kazakh that names nobody, opens its
link and lands on the referral; the header counts the unread notification."""

import re

import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db
from app.notifications.models import Notification
from tests.e2e.conftest import log_in
from tests.e2e.test_reintegration_journey import CENTRE, _a_plan_to_refer
from tests.smtp import Mailbox

PARTNER = "partner.karaganda@demo.kz"


def test_a_partner_receives_a_referral_email_in_kazakh_and_opens_it(
        app, open_page, server_url, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", server_url)  # links to the live server
    plan = _a_plan_to_refer()
    inmate = plan.inmate

    partner = open_page()
    log_in(partner, PARTNER)
    partner.click("header button[lang=kk]")  # the choice is saved to the account
    assert partner.locator("html").get_attribute("lang") == "kk"

    officer = open_page()
    log_in(officer, "officer.dolinka@demo.kz")
    officer.goto(f"/release-plans/{plan.id}")
    officer.select_option("#refer select[name=partner_id]",
                          label=f"{CENTRE} (resocialisation centre)")
    officer.check(f"#refer input[name=part_ids][value='{plan.parts[0].id}']")
    officer.fill("#refer input[name=note]", "Work as a welder")
    officer.click("#refer button")
    assert "Referral sent." in officer.inner_text("main")

    message, = smtp.to(PARTNER)
    text = Mailbox.text(message)
    assert message["Content-Language"] == "kk"
    assert "жаңа жолдама" in message["Subject"] and "Бетті ашыңыз:" in text
    for personal in (inmate.last_name, inmate.first_name, inmate.file_number, "welder"):
        assert personal not in text
    link = re.search(rf"{re.escape(server_url)}(/partner/referrals/\d+)", text).group(1)

    partner.goto(server_url + link)
    assert partner.locator("html").get_attribute("lang") == "kk"
    main = partner.inner_text("main")
    assert inmate.last_name in main and "Work as a welder" in main  # the page, for R21's reader
    unread = int(partner.inner_text("header .inbox .count"))  # the demo's news and this
    partner.click("header .inbox")
    assert "жаңа жолдама" in partner.inner_text("main")
    partner.click("main form:has(button) >> nth=0 >> button")  # mark all read
    assert partner.locator("header .inbox .count").count() == 0 and unread >= 1

    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.email == PARTNER))
    note = db.session.scalar(sa.select(Notification).where(
        Notification.user_id == user.id, Notification.link == link))
    assert note.kind == "referral_new" and note.emailed_at and note.read_at
