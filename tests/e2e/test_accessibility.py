"""Every role's day in the browser, checked by axe-core (axe-playwright-python runs
its bundled axe.min.js in Debian's chromium; nothing is downloaded) at desktop
(1366 px) and phone (390 px) width, in English, Russian and Kazakh (an employment
centre's pages: English at desktop, Kazakh at phone width): no serious or critical
violation, and at 390 px no page wider than the screen. The Kazakh phone
pages are saved as screenshots in docs/screenshots/ui/."""

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.core.vocabulary import EnrolmentStatus
from app.extensions import db
from app.inmates.models import Inmate, InmateSkill
from app.institutions.models import Institution
from app.placements.models import MatchRun, Placement
from app.reintegration.models import OutsideJob
from app.training.models import Course, Enrolment
from app.vacancies.models import Vacancy
from tests.e2e.conftest import log_in

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
BLOCKING = {"serious", "critical"}
SCREENSHOTS = "docs/screenshots/ui"
AXE = axe_module.Axe()


def _first(query):
    return db.session.scalar(query.limit(1))


def officer_pages() -> list[str]:
    dolinka = _first(sa.select(Institution.id).where(Institution.code == "AK-159/20"))
    inmate = _first(sa.select(Inmate.id).join(InmateSkill).where(
        Inmate.institution_id == dolinka).order_by(Inmate.id))
    skill = _first(sa.select(InmateSkill.id).where(InmateSkill.inmate_id == inmate))
    course = _first(sa.select(Course.id).join(Enrolment).where(
        Course.institution_id == dolinka).order_by(Course.id))
    enrolment = _first(sa.select(Enrolment.id).where(Enrolment.course_id == course,
                                                     Enrolment.status == EnrolmentStatus.ENROLLED))
    run = _first(sa.select(MatchRun.id).where(MatchRun.institution_id == dolinka)
                 .order_by(MatchRun.id.desc()))
    placement = _first(sa.select(Placement.id).join(Inmate).where(
        Inmate.institution_id == dolinka, Placement.end_date.is_(None)))
    pages = ["/officer", "/inmates/", f"/inmates/{inmate}",
             f"/inmates/{inmate}/skills/{skill}/remove", f"/inmates/{inmate}/edit",
             "/inmates/import", "/training/", f"/training/courses/{course}",
             "/placements/runs", "/placements/", "/monitoring/findings",
             "/monitoring/audit", "/monitoring/violations?date_from=2030-01-01&date_to=2020-01-01"]
    if enrolment:
        pages.append(f"/training/courses/{course}/enrolments/{enrolment}/drop")
    if run:
        pages += [f"/placements/runs/{run}", f"/placements/runs/{run}/unplaced",
                  f"/planner/runs/{run}"]
    if placement:
        pages.append(f"/placements/{placement}/end")
    return pages + ["/release-plans/outside-jobs?run=1"]


def employer_pages() -> list[str]:
    vacancy = _first(sa.select(Vacancy.id).join(User, User.employer_id == Vacancy.employer_id)
                     .where(User.email == "employer@demo.kz").order_by(Vacancy.id))
    job = _first(sa.select(OutsideJob.id).join(User, User.employer_id == OutsideJob.employer_id)
                 .where(User.email == "employer@demo.kz").order_by(OutsideJob.id))
    pages = ["/employer/", "/employer/vacancies", "/employer/vacancies/new",
             "/employer/labour-pool", "/employer/workers", "/employer/users", "/tokens",
             "/outside-jobs/", "/outside-jobs/new"]
    return pages + ([f"/employer/vacancies/{vacancy}"] if vacancy else []) + (
        [f"/outside-jobs/{job}"] if job else [])


def prosecutor_pages() -> list[str]:
    placement = _first(sa.select(Placement.id).order_by(Placement.id))
    return ["/monitoring/", "/monitoring/trends", "/monitoring/violations",
            "/monitoring/findings", "/monitoring/audit", "/monitoring/report",
            f"/monitoring/placements/{placement}", "/monitoring/?date=abc",
            "/monitoring/reintegration/", "/monitoring/reintegration/trends"]


def admin_pages() -> list[str]:
    user = _first(sa.select(User.id).where(User.email == "officer.karabas@demo.kz"))
    return ["/admin/", "/admin/institutions", "/admin/users", "/admin/users/new",
            f"/admin/users/{user}/active", "/admin/employers", "/admin/settings",
            "/admin/trades", "/admin/trades/new", "/release-plans/outside-jobs?run=1",
            "/pay/settings"]


def centre_pages() -> list[str]:
    """An employment centre's day: its worklist, its job waiting outside with the
    people proposed, changing the job and the page before closing it."""
    job = _first(sa.select(OutsideJob.id).join(User, User.partner_id == OutsideJob.partner_id)
                 .where(User.email == "centre.east@demo.kz").order_by(OutsideJob.id))
    return ["/partner/", "/outside-jobs/"] + ([f"/outside-jobs/{job}", f"/outside-jobs/{job}/edit",
                                               f"/outside-jobs/{job}/close"] if job else [])


ALL_WIDTHS = {"en": tuple(WIDTHS), "ru": tuple(WIDTHS), "kk": tuple(WIDTHS)}
# The employment centre's pages share their templates with other roles': English at
# desktop and Kazakh at phone width keep the added walk short.
ONE_WIDTH = {"en": ("desktop",), "kk": ("phone",)}
ROLES = {
    "officer": ("officer.dolinka@demo.kz", officer_pages, ALL_WIDTHS),
    "employer": ("employer@demo.kz", employer_pages, ALL_WIDTHS),
    "prosecutor": ("prosecutor.karaganda@demo.kz", prosecutor_pages, ALL_WIDTHS),
    "admin": ("admin@demo.kz", admin_pages, ALL_WIDTHS),
    "centre": ("centre.east@demo.kz", centre_pages, ONE_WIDTH),
}


def _problems(page, path: str, width: str) -> list[str]:
    """axe's serious and critical violations on the page, and sideways scrolling."""
    found = []
    results = AXE.run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            found.append(f"{path} @{width}: {violation['id']} ({violation['impact']}): "
                         f"{violation['help']} -> {targets}")
    if width == "phone":
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 1:
            found.append(f"{path} @phone: the page scrolls sideways by {overflow}px")
    return found


def walk(page, paths: list[str], shots: str | None = None,
         widths: tuple[str, ...] = tuple(WIDTHS)) -> list[str]:
    found = []
    for path in paths:
        for index, width in enumerate(widths):
            size = WIDTHS[width]
            page.set_viewport_size({"width": size[0], "height": size[1]})
            page.evaluate("() => new Promise(done => requestAnimationFrame("
                          "() => requestAnimationFrame(done)))")  # the resize handlers ran
            if index == 0:
                page.goto(path)
                assert page.locator("main").count() == 1, path
            found += _problems(page, path, width)
            if shots and width == "phone":
                name = path.strip("/").replace("/", "-").split("?")[0] or "home"
                page.screenshot(path=f"{SCREENSHOTS}/{shots}-{name}-phone.png")
    return found


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
    page.goto("/employer/register")
    page.click("main button.primary")
    assert page.locator(".error-summary li").count() >= 6  # every empty field at once
    assert page.locator("[aria-invalid=true]").count() >= 6
    found += _problems(page, "/employer/register (refused)", "desktop")
    found += walk(page, ["/login", "/employer/register"])
    for role, (email, pages, widths) in ROLES.items():
        if language not in widths:
            continue
        page.context.clear_cookies()
        log_in(page, email)
        choose_language(page, language)
        found += walk(page, pages(), shots=f"{role}-{language}" if language == "kk" else None,
                      widths=widths[language])
    assert found == [], "\n".join(found)
