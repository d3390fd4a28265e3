"""In the browser: an entrepreneur with workers at AK-159/20 (demo data; its user
is added here) fills and submits this month's timesheet of one of its workers;
the institution's officer approves it; the pay and the personal account follow."""


import sqlalchemy as sa

from app.core.vocabulary import Role
from app.extensions import db
from app.institutions.models import Institution
from app.pay.models import Payslip, Timesheet, TimesheetStatus
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.e2e.conftest import log_in

OFFICERS = {"AK-159/20": "officer.dolinka@demo.kz", "AK-159/18": "officer.karabas@demo.kz"}


def _a_draft_and_its_employer() -> tuple[Timesheet, str, str]:
    sheet = db.session.scalar(
        sa.select(Timesheet).join(Institution)
        .where(Institution.code == "AK-159/20", Timesheet.status == TimesheetStatus.DRAFT,
               Timesheet.month == today_in_kazakhstan().replace(day=1), Timesheet.total_hours > 0)
        .order_by(Timesheet.id).limit(1))
    user = factories.user(Role.EMPLOYER, employer_id=sheet.employer_id)
    return sheet, user.email, OFFICERS["AK-159/20"]


def test_employer_submits_a_month_and_the_officer_approves(open_page):
    sheet, employer, officer = _a_draft_and_its_employer()
    day = next(iter(sheet.days))
    page = open_page()
    log_in(page, employer, factories.PASSWORD)
    page.goto(f"/pay/timesheets?month={sheet.month:%Y-%m}")
    page.click(f"tr[data-placement='{sheet.placement_id}'] a:has-text('Open')")
    assert "sick" not in page.inner_html("main").lower()  # R16
    page.fill(f"input[name=hours_{day}]", "25")
    page.click("button:has-text('Save and submit')")
    page.wait_for_selector(".error-summary")
    assert "24" in page.inner_text(".error-summary")  # refused, nothing written
    page.fill(f"input[name=hours_{day}]", "7.5")
    page.click("button:has-text('Save and submit')")
    page.wait_for_selector("text=Submitted for approval")
    page.screenshot(path="/tmp/e2e-pay-submitted.png", full_page=True)

    reviewer = open_page()
    log_in(reviewer, officer)
    reviewer.goto(f"/pay/timesheets/{sheet.id}")
    reviewer.click("a:has-text('Approve the month')")  # check your answers first
    reviewer.wait_for_selector("text=The month is locked")
    reviewer.click("button:has-text('Approve the month')")
    reviewer.wait_for_selector("text=Approved: the month is locked")
    assert "Time pay" in reviewer.content()
    reviewer.click("a:has-text('Personal account')")
    reviewer.wait_for_selector("text=pay credited")

    db.session.expire_all()
    stored = db.session.get(Timesheet, sheet.id)
    assert stored.status == TimesheetStatus.APPROVED
    assert stored.days[day]["hours"] == "7.5"
    assert db.session.scalar(sa.select(Payslip.gross).where(Payslip.timesheet_id == sheet.id))
