"""In the browser: the Karaganda prosecutor records a finding on AK-159/20 with the day
it is to be answered by; the institution's officer, reading Kazakh, answers it with a
scan of the signed reply (refused first: a file that is not a PDF or an image); the
prosecutor reads the answer and opens the scan."""

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.institutions.models import Institution
from policy.clock import today_in_kazakhstan
from tests.e2e.conftest import log_in, screenshots

PDF = b"%PDF-1.4\n% signed reply\n%%EOF\n"


def test_a_finding_is_answered_with_a_scan(open_page):
    due = today_in_kazakhstan() + timedelta(days=30)
    prosecutor = open_page()
    log_in(prosecutor, "prosecutor.karaganda@demo.kz")
    prosecutor.goto("/monitoring/findings")
    dolinka = db.session.scalar(sa.select(Institution.id).where(Institution.code == "AK-159/20"))
    prosecutor.select_option("main form[method=post] select[name=institution_id]",
                             str(dolinka))
    prosecutor.select_option("main form[method=post] select[name=kind]", "act_of_response")
    prosecutor.fill("textarea[name=text]", "Too few work places in the sewing workshop")
    prosecutor.fill("input[name=due_on]", due.isoformat())
    prosecutor.click("main button.primary:has-text('Record finding')")
    assert "Finding recorded." in prosecutor.inner_text("main")

    officer = open_page()
    log_in(officer, "officer.dolinka@demo.kz")
    officer.click("header form[action$='/language/kk'] button")
    officer.wait_for_load_state()
    officer.goto("/monitoring/findings")
    row = officer.locator("main tr", has_text="Too few work places in the sewing workshop")
    row.locator("textarea[name=answer]").fill("Екі жаңа цех ашылды")
    row.locator("input[name=scan]").set_input_files(files=[
        {"name": "reply.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"}])
    row.locator("button:has-text('Жауапты жіберу')").click()
    assert "PDF, JPEG немесе PNG" in officer.inner_text("main")
    row = officer.locator("main tr", has_text="Too few work places in the sewing workshop")
    row.locator("textarea[name=answer]").fill("Екі жаңа цех ашылды")
    row.locator("input[name=scan]").set_input_files(files=[
        {"name": "reply.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    row.locator("button:has-text('Жауапты жіберу')").click()
    assert "Жауап жазылды." in officer.inner_text("main")
    officer.screenshot(path=str(screenshots("findings") / "officer-answer-kk.png"),
                       full_page=True)

    prosecutor.goto("/monitoring/findings")
    row = prosecutor.locator("main tr", has_text="Too few work places in the sewing workshop")
    assert "Екі жаңа цех ашылды" in row.inner_text()
    href = row.locator("a:has-text('Scan of the signed answer')").get_attribute("href")
    response = prosecutor.request.get(href)
    assert response.status == 200 and response.body() == PDF
