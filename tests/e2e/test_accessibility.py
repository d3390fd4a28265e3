"""Every role's day in the browser, checked by axe-core (axe-playwright-python runs
its bundled axe.min.js in Debian's chromium; nothing is downloaded), in English, Russian
and Kazakh: no serious or critical violation at desktop width (1366 px) nor at phone
width (390 px); at 390 px no page wider than the screen and a header on one line. Each
role also acts (an employer submits a month's timesheet, the officer runs the matching,
refuses a bulk decision, approves the month; a partner accepts a referral, is refused an
arrangement, records an outcome) and every page on the way is checked. One browser page
per language; each check resizes it instead of loading the page again. The Kazakh phone
pages are saved as screenshots in ui/ of ``screenshots`` (a temporary folder;
``make screenshots``: docs/screenshots/ui/; ids in the address read "n", so a new run
overwrites them)."""

import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.core.vocabulary import EnrolmentStatus, ReferralStatus, Role
from app.extensions import db
from app.inmates.models import Inmate, InmateSkill
from app.institutions.models import Institution
from app.pay.models import Timesheet, TimesheetStatus
from app.placements.models import MatchRun, Placement, Proposal
from app.reintegration import operations as reintegration
from app.reintegration.models import (
    OutsideJob,
    PartnerOrganisation,
    PlanPart,
    Referral,
    ReleasePlan,
)
from app.training.models import Course, Enrolment
from app.vacancies.models import Vacancy
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.e2e.conftest import log_in, screenshots
from tests.e2e.layout import WIDTH, measure

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

DESKTOP, PHONE = (1366, 900), (WIDTH, 844)
BLOCKING = {"serious", "critical"}
AXE = axe_module.Axe()
DOLINKA = "AK-159/20"


def _first(query):
    return db.session.scalar(query.limit(1))


def _dolinka() -> int:
    return _first(sa.select(Institution.id).where(Institution.code == DOLINKA))


# --- checking the page in the browser -----------------------------------------------------

def _violations(page, label: str, width: str) -> list[str]:
    """axe's serious and critical violations on the page."""
    return [f"{label} @{width}: {violation['id']} ({violation['impact']}): "
            f"{violation['help']} -> "
            f"{[' '.join(map(str, node['target'])) for node in violation['nodes'][:3]]}"
            for violation in AXE.run(page).response["violations"]
            if violation["impact"] in BLOCKING]


def _phone_layout(page, label: str) -> list[str]:
    """Anything wider than the screen or cut off (layout.py), and a header taller than
    one line."""
    found = measure(page, f"{label} @phone")
    header = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
    if header > 90:  # one line of 44 px targets, plus the scroll strip of the menu
        found.append(f"{label} @phone: the header takes {header}px (more than one line)")
    return found


def _language(page) -> str:
    return page.locator("html").get_attribute("lang")


def check(page, label: str, role: str | None = None) -> list[str]:
    """The page as it stands at both widths (resized, not loaded again): axe at desktop,
    then at phone width the layout and axe again. The Kazakh phone page of a ``role`` is
    saved as a screenshot."""
    assert page.locator("main").count() == 1, label
    language = _language(page)
    found = _violations(page, label, "desktop")
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.evaluate("() => new Promise(done => requestAnimationFrame("
                  "() => requestAnimationFrame(done)))")  # the resize handlers ran
    found += _phone_layout(page, label) + _violations(page, label, "phone")
    if role and language == "kk":
        name = re.sub(r"(?<=-)\d+(?=-|$)", "n", label.split(" (")[0].strip("/").split("?")[0]
                      .replace("/", "-")) or "home"
        page.screenshot(path=str(screenshots("ui") / f"{role}-kk-{name}-phone.png"))
    page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})
    return found


def walk(page, paths: list[str], role: str | None = None) -> list[str]:
    found = []
    for path in paths:
        response = page.goto(path)
        if response.status == 404 or response.status >= 500:  # not the page meant
            found.append(f"{path}: {response.status}")
        found += check(page, path, role)
    return found


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


# --- each role: who logs in, what they do, which pages they read -----------------------------

def _sheet_to_submit() -> Timesheet:
    """This month's draft of a paid worker at Dolinka (the demo has one per placement)."""
    return _first(sa.select(Timesheet).join(Institution).where(
        Institution.code == DOLINKA, Timesheet.status == TimesheetStatus.DRAFT,
        Timesheet.month == today_in_kazakhstan().replace(day=1), Timesheet.total_hours > 0)
        .order_by(Timesheet.id))


def employer_login() -> tuple[str, str]:
    """A user of the business whose workers at Dolinka have timesheets (the demo's
    entrepreneur has no vacancy yet: its pages would be empty)."""
    user = factories.user(Role.EMPLOYER, employer_id=_sheet_to_submit().employer_id)
    return user.email, factories.PASSWORD


def employer_acts(page) -> list[str]:
    """Fills a day of this month's timesheet, refused (25 h), then submits it."""
    sheet = _sheet_to_submit()
    page.goto(f"/pay/timesheets/{sheet.id}")
    found = check(page, "/pay/timesheets/n (draft)", role="employer")
    day = next(iter(sheet.days))
    page.fill(f"input[name=hours_{day}]", "25")
    _submit(page, "button[name=then][value=submit]")
    found += check(page, "/pay/timesheets/n (refused)")
    page.fill(f"input[name=hours_{day}]", "7.5")
    _submit(page, "button[name=then][value=submit]")
    return found + check(page, "/pay/timesheets/n (submitted)")


def employer_pages() -> list[str]:
    # The business employer_login logged in as (the newest employer user): once its
    # month is submitted, _sheet_to_submit() may find another business's draft.
    employer = _first(sa.select(User.employer_id).where(User.role == Role.EMPLOYER)
                      .order_by(User.id.desc()))
    vacancy = _first(sa.select(Vacancy.id).where(Vacancy.employer_id == employer)
                     .order_by(Vacancy.id))
    return ["/employer/", "/employer/vacancies", f"/employer/vacancies/{vacancy}",
            "/employer/vacancies/new", "/employer/labour-pool", "/employer/workers",
            "/employer/users", "/tokens", "/pay/timesheets", "/pay/payroll", "/pay/attendance",
            "/notifications/", "/account"]


def officer_acts(page) -> list[str]:
    """Runs the matching, asks to reject nothing without a reason (refused, every problem
    listed), then approves the month the employer submitted and reads the account."""
    page.goto("/placements/runs")
    found = check(page, "/placements/runs", role="officer")
    _submit(page, "main form[action$='/placements/runs'] button")
    found += check(page, "/placements/runs/n", role="officer")
    page.select_option("select[name=action]", "reject")
    _submit(page, "main button.primary")
    assert page.locator(".error-summary li").count() == 2  # nothing chosen, no reason
    found += check(page, "/placements/runs/n/decide (refused)")
    submitted = _first(sa.select(Timesheet.id).join(Institution).where(
        Institution.code == DOLINKA, Timesheet.status == TimesheetStatus.SUBMITTED))
    page.goto(f"/pay/timesheets/{submitted}")
    found += check(page, "/pay/timesheets/n (to approve)")
    _submit(page, f"main a[href$='/pay/timesheets/{submitted}/approve']")
    found += check(page, "/pay/timesheets/n/approve (check before approving)", role="officer")
    _submit(page, f"form[action$='/pay/timesheets/{submitted}/approve'] button")
    found += check(page, "/pay/timesheets/n (approved)")
    _submit(page, "main a[href*='/account']")
    return found + check(page, "/pay/inmates/n/account", role="officer")


def officer_pages() -> list[str]:
    dolinka = _dolinka()
    inmate = _first(sa.select(Inmate.id).join(InmateSkill).where(
        Inmate.institution_id == dolinka).order_by(Inmate.id))
    skill = _first(sa.select(InmateSkill.id).where(InmateSkill.inmate_id == inmate))
    course = _first(sa.select(Course.id).join(Enrolment).where(
        Course.institution_id == dolinka).order_by(Course.id))
    enrolment = _first(sa.select(Enrolment.id).where(Enrolment.course_id == course,
                                                     Enrolment.status == EnrolmentStatus.ENROLLED))
    run = _first(sa.select(MatchRun.id).where(MatchRun.institution_id == dolinka)
                 .order_by(MatchRun.id.desc()))
    proposal = _first(sa.select(Proposal.id).where(Proposal.run_id == run).order_by(Proposal.id))
    placement = _first(sa.select(Placement.id).join(Inmate).where(
        Inmate.institution_id == dolinka, Placement.end_date.is_(None)))
    plan = _first(sa.select(ReleasePlan.id).join(Inmate, Inmate.id == ReleasePlan.inmate_id)
                  .where(Inmate.institution_id == dolinka).order_by(ReleasePlan.id))
    pages = ["/officer", "/inmates/", f"/inmates/{inmate}",
             f"/inmates/{inmate}/skills/{skill}/remove", f"/inmates/{inmate}/edit",
             "/inmates/import", "/training/", f"/training/courses/{course}",
             f"/placements/runs/{run}/unplaced", "/placements/", f"/placements/{placement}/end",
             "/pay/timesheets", "/release-plans/", f"/release-plans/{plan}",
             "/monitoring/findings", "/monitoring/audit",
             "/monitoring/violations?date_from=2030-01-01&date_to=2020-01-01"]
    if enrolment:
        pages.append(f"/training/courses/{course}/enrolments/{enrolment}/drop")
    # a part of the release plan's task list, on its own page
    part = _first(sa.select(PlanPart.id).where(PlanPart.plan_id == plan)
                  .order_by(PlanPart.position))
    pages.append(f"/release-plans/{plan}/parts/{part}")
    vacancy = _first(sa.select(Placement.vacancy_id).where(Placement.id == placement))
    ended = _first(sa.select(Placement.id).join(Inmate).where(
        Inmate.institution_id == dolinka, Placement.end_date.is_not(None))
        .order_by(Placement.id))
    pages += [f"/planner/runs/{run}", "/release-plans/outside-jobs?run=1", "/pay/attendance",
              f"/placements/{placement}/suspensions",
              f"/placements/vacancies/{vacancy}/history",
              # the orders as printed (on screen; test_placement_order.py prints them)
              f"/placements/{placement}/order", f"/placements/{ended}/suspensions",
              f"/placements/{ended}/removal-order", f"/placements/{ended}/order?lang=kk"]
    return pages + ([f"/placements/proposals/{proposal}"] if proposal else [])


def entrepreneur_pages() -> list[str]:
    """The demo's entrepreneur: jobs waiting outside, which it posts."""
    job = _first(sa.select(OutsideJob.id).join(User, User.employer_id == OutsideJob.employer_id)
                 .where(User.email == "employer@demo.kz").order_by(OutsideJob.id))
    return ["/outside-jobs/", "/outside-jobs/new"] + ([f"/outside-jobs/{job}"] if job else [])


def prosecutor_pages() -> list[str]:
    placement = _first(sa.select(Placement.id).order_by(Placement.id))
    return ["/monitoring/", "/monitoring/trends", "/monitoring/violations",
            "/monitoring/findings", "/monitoring/audit", "/monitoring/report",
            f"/monitoring/placements/{placement}", "/monitoring/?date=abc",
            "/monitoring/reintegration/", "/monitoring/reintegration/trends",
            "/pay/compliance"]


def admin_pages() -> list[str]:
    user = _first(sa.select(User.id).where(User.email == "officer.karabas@demo.kz"))
    return ["/admin/", "/admin/institutions", "/admin/users", "/admin/users/new",
            f"/admin/users/{user}/active", "/admin/employers", "/admin/settings",
            "/admin/trades", "/admin/trades/new", "/admin/partners/",
            "/pay/settings", f"/pay/settings/{today_in_kazakhstan().year}",
            "/release-plans/outside-jobs?run=1"]


def _partner_referrals(status: ReferralStatus) -> list[Referral]:
    centre = _first(sa.select(PartnerOrganisation.id).join(
        User, User.partner_id == PartnerOrganisation.id)
        .where(User.email == "partner.karaganda@demo.kz"))
    return list(db.session.scalars(sa.select(Referral).where(
        Referral.partner_id == centre, Referral.status == status,
        reintegration.partner_access(today_in_kazakhstan())).order_by(Referral.id)))


def _missing_outcome() -> tuple[Referral, int]:
    """A referral of someone released whose check for some month is due and missing."""
    for referral in _partner_referrals(ReferralStatus.ACCEPTED):
        if referral.plan.released_on:
            for row in reintegration.outcome_grid(referral.plan, today_in_kazakhstan()):
                if row["state"] == "missing":
                    return referral, row["months"]
    raise AssertionError("the demo has a missing outcome check for the centre")


def partner_acts(page) -> list[str]:
    """Accepts a waiting referral, is refused an arrangement without its reason, and
    records an outcome after release."""
    waiting = next(r for r in _partner_referrals(ReferralStatus.SENT)
                   if r.plan.released_on is None)
    page.goto(f"/partner/referrals/{waiting.id}")
    found = check(page, "/partner/referrals/n (sent)")
    _submit(page, "#accept")
    found += check(page, "/partner/referrals/n (accepted)",
                   role="partner")
    part = waiting.parts[0]
    page.select_option(f"select[name=status_{part.id}]", "not_arranged")
    _submit(page, "#arranged button.primary")
    assert page.locator(".error-summary").count() == 1
    found += check(page, "/partner/referrals/n (refused)")
    released, months = _missing_outcome()
    page.goto(f"/partner/referrals/{released.id}")
    page.select_option("#outcome select[name=months]", str(months))
    page.check("#outcome input[name=situations][value=housed]")
    _submit(page, "#outcome button")
    found += check(page, "/partner/referrals/n/outcomes (check your answers)")
    _submit(page, "main form button.danger")
    return found + check(page, "/partner/referrals/n (outcome)")


def partner_pages() -> list[str]:
    return ["/partner/"]


def centre_pages() -> list[str]:
    """An employment centre's day: its worklist, its job waiting outside with the
    people proposed, changing the job and the page before closing it."""
    job = _first(sa.select(OutsideJob.id).join(User, User.partner_id == OutsideJob.partner_id)
                 .where(User.email == "centre.east@demo.kz").order_by(OutsideJob.id))
    return ["/partner/", "/outside-jobs/"] + ([f"/outside-jobs/{job}", f"/outside-jobs/{job}/edit",
                                               f"/outside-jobs/{job}/close"] if job else [])


Login = Callable[[], tuple[str, str]]
# Order matters: the employer submits the month the officer then approves.
ROLES: dict[str, tuple[Login, Callable[[], list[str]], Callable | None]] = {
    "employer": (employer_login, employer_pages, employer_acts),
    "entrepreneur": (lambda: ("employer@demo.kz", "demo-password-1"), entrepreneur_pages, None),
    "officer": (lambda: ("officer.dolinka@demo.kz", "demo-password-1"), officer_pages,
                officer_acts),
    "prosecutor": (lambda: ("prosecutor.karaganda@demo.kz", "demo-password-1"),
                   prosecutor_pages, None),
    "admin": (lambda: ("admin@demo.kz", "demo-password-1"), admin_pages, None),
    "partner": (lambda: ("partner.karaganda@demo.kz", "demo-password-1"), partner_pages,
                partner_acts),
    "centre": (lambda: ("centre.east@demo.kz", "demo-password-1"), centre_pages, None),
}


def choose_language(page, code: str) -> None:
    page.click(f"header form[action$='/language/{code}'] button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == code


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_every_role_day_passes_axe_at_desktop_and_phone(open_page, language):
    found = []
    page = open_page("/login")
    choose_language(page, language)
    # Before logging in: the login page, and registration refused with every problem.
    found += walk(page, ["/login", "/employer/register"])
    page.click("main button.primary")
    assert page.locator(".error-summary li").count() >= 6  # every empty field at once
    assert page.locator("[aria-invalid=true]").count() >= 6
    found += check(page, "/employer/register (refused)")
    for role, (login, pages, acts) in ROLES.items():
        page.context.clear_cookies()
        log_in(page, *login())
        choose_language(page, language)
        if acts:
            found += acts(page)
        found += walk(page, pages(), role)
    assert found == [], "\n".join(found)
