"""In the browser, in Kazakh, on a phone (390 px): the officer opens the day's unlock
list, marks one person present and another absent, is told in Kazakh that an absence
needs its reason (every choice kept), then saves; the month's timesheet has the shift's
hours and the absence. The list prints without its controls."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.pay.models import Timesheet
from policy import pay as law
from policy.clock import today_in_kazakhstan
from tests.e2e.conftest import log_in, screenshots
from tests.e2e.test_accessibility import choose_language


def _working_day():
    """The latest working day of this month that has come (the demo keeps this month's
    timesheets in draft; earlier months are approved, where marks are refused)."""
    day = today_in_kazakhstan()
    while not law.due_at_work(day):
        day -= timedelta(days=1)
    if day.month != today_in_kazakhstan().month:
        pytest.skip("no working day of this month has come yet")
    return day


def _sheet_day(placement_id: int, day):
    db.session.expire_all()
    sheet = db.session.scalar(sa.select(Timesheet).where(
        Timesheet.placement_id == placement_id, Timesheet.month == day.replace(day=1)
    ).order_by(Timesheet.version.desc()).limit(1))
    return sheet.days.get(str(day.day))


def test_marking_attendance_in_kazakh_on_a_phone(open_page):
    day = _working_day()
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "officer.dolinka@demo.kz")
    choose_language(page, "kk")
    page.goto(f"/pay/attendance?day={day.isoformat()}")
    assert page.locator("h1").inner_text() == "Жұмысқа шығару тізімі және қатысу"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first, second = page.eval_on_selector_all(
        "input[name=placement]", "inputs => inputs.slice(0, 2).map(i => i.value)")
    page.check(f"input[name=mark_{first}][value=present]")
    page.check(f"input[name=mark_{second}][value=absent]")
    page.fill(f"input[name=note_{second}]", "адвокатпен кездесу")
    page.click("button.primary[form=attendance-form]")
    page.wait_for_selector(".error-summary")
    assert "келмеу себебін таңдаңыз" in page.inner_text(".error-summary")
    assert page.get_attribute(f"#row-{second}", "class") == "has-error"
    assert page.is_checked(f"input[name=mark_{first}][value=present]")
    assert page.input_value(f"input[name=note_{second}]") == "адвокатпен кездесу"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots("attendance") / "refused-kk-390.png"))
    page.select_option(f"select[name=absence_{second}]", "court_or_visit")
    page.click("button.primary[form=attendance-form]")
    page.wait_for_selector(".flash.success")
    assert page.is_checked(f"input[name=mark_{second}][value=absent]")
    present, absent = _sheet_day(int(first), day), _sheet_day(int(second), day)
    assert float(present["hours"]) > 0 and present["absence"] is None
    assert absent == {"hours": "0", "absence": "court_or_visit"}
    page.screenshot(path=str(screenshots("attendance") / "saved-kk-390.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.is_visible(f"input[name=mark_{first}][value=present]")
    assert page.is_visible(f"#row-{first}")
