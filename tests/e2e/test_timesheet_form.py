"""In the browser, in Russian: an entrepreneur types a month's timesheet as people
in Kazakhstan write numbers ("6,5", "250 000 ₸"); a mistake keeps every edit,
marks the row in error and is explained in Russian; the corrected form saves."""

import sqlalchemy as sa

from app.auth.models import User
from app.extensions import db
from app.pay.models import Timesheet
from tests import factories
from tests.e2e.conftest import log_in
from tests.e2e.test_pay_journey import _a_draft_and_its_employer


def test_a_timesheet_typed_as_people_write_it_keeps_every_edit_on_a_mistake(open_page):
    sheet, employer, _officer = _a_draft_and_its_employer()
    user = db.session.scalar(sa.select(User).where(User.email == employer))
    user.language = "ru"
    db.session.commit()
    days = sorted(sheet.days, key=int)[:3]
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, employer, factories.PASSWORD)
    page.goto(f"/pay/timesheets/{sheet.id}")
    page.fill(f"input[name=hours_{days[0]}]", "6,5")
    page.fill(f"input[name=hours_{days[1]}]", "7.25")
    page.fill(f"input[name=hours_{days[2]}]", "восемь")
    page.fill("input[name=bonus]", "250\u00a0000\u00a0₸")
    page.click("button[name=then][value=save]")
    page.wait_for_selector(".error-summary")
    summary = page.inner_text(".error-summary")
    assert "Не является числом" in summary and "Not a valid" not in summary
    assert page.input_value(f"input[name=hours_{days[0]}]") == "6,5"
    assert page.input_value(f"input[name=hours_{days[2]}]") == "восемь"
    assert page.input_value("input[name=bonus]") == "250\u00a0000\u00a0₸"
    assert page.get_attribute(f"#day-{days[2]}", "class").endswith("has-error")
    assert page.get_attribute(f"input[name=hours_{days[2]}]", "aria-invalid") == "true"
    page.screenshot(path="/tmp/e2e-timesheet-error-ru.png", full_page=True)
    page.fill(f"input[name=hours_{days[2]}]", "8")
    page.click("button[name=then][value=save]")
    page.wait_for_selector(".flash.success")
    db.session.expire_all()
    saved = db.session.get(Timesheet, sheet.id)
    assert [saved.days[d]["hours"] for d in days] == ["6.5", "7.25", "8"]
    assert saved.bonus == 250_000
