"""In the browser, in the three languages, the demo shows R27-R30 working: the officer's
home lists overdue assessments and links to workplace security; a flagged person's
profile shows the risk level, the court bans and the restricted section (with its
audit note); the prosecutor's violations list R28, R29 and R30 once each. Russian and
Kazakh pages show none of the interface words that used to leak in English."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.inmates.models import Inmate
from tests.e2e.conftest import log_in
from tests.e2e.test_languages import BROWSER_LOCALES, _leaks, _visible_text

LOCALES = {"en": "en-GB", **BROWSER_LOCALES}
SECTION = {"en": "Scattered model", "ru": "Модель рассредоточения",
           "kk": "Шашыраңқы орналастыру"}


def _id(file_number: str) -> int:
    return db.session.scalar(sa.select(Inmate.id).where(Inmate.file_number == file_number))


@pytest.mark.parametrize("language", list(LOCALES))
def test_r27_r30_in_the_browser(browser, server_url, demo, language):
    context = browser.new_context(base_url=server_url, locale=LOCALES[language])
    page = context.new_page()
    page.set_default_timeout(15_000)
    leaks = {}
    try:
        page.goto("/login")
        log_in(page, "officer.dolinka@demo.kz")
        page.goto("/officer")
        assert page.locator("#risk-overdue tbody tr").count() >= 1
        page.click("a[href='/placements/workplaces']")
        assert page.locator("select[name=max_risk_level]").count() >= 1
        leaks["workplaces"] = _leaks(_visible_text(page))
        page.goto(f"/inmates/{_id('DEMO-V-R29a')}")
        assert SECTION[language] in page.inner_text("#scattered")
        leaks["flagged"] = _leaks(_visible_text(page))
        page.goto(f"/inmates/{_id('DEMO-V-R30')}")
        assert "2-0001/2025" in page.inner_text("main")
        page.context.clear_cookies()  # the prosecutor, in the same browser
        log_in(page, "prosecutor.karaganda@demo.kz")
        page.goto("/monitoring/violations")
        text = page.inner_text("main")
        assert all(rule in text for rule in ("R28", "R29", "R30"))
        leaks["violations"] = _leaks(_visible_text(page))
    finally:
        context.close()
    if language != "en":
        assert {where: found for where, found in leaks.items() if found} == {}
