"""At 390 px every section of every role is one tap away behind a "Menu" button
(details/summary: no script), the header stays one line and nothing scrolls
sideways; at desktop width the sections are in the header as before."""

import pytest

from app.core.templating import NAVIGATION
from app.core.vocabulary import Role
from tests.e2e.conftest import log_in, screenshots

LOGINS = {Role.OFFICER: "officer.dolinka@demo.kz", Role.EMPLOYER: "employer@demo.kz",
          Role.PROSECUTOR: "prosecutor.karaganda@demo.kz", Role.ADMIN: "admin@demo.kz"}


@pytest.mark.parametrize("role", list(LOGINS))
def test_every_section_is_behind_the_phone_menu(open_page, app, role):
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, LOGINS[role])
    page.wait_for_selector("summary")
    page.wait_for_load_state()  # the stylesheet applied (it hides the wide menu on phones)
    assert not page.is_visible("header nav.wide")
    assert page.evaluate("document.querySelector('header').getBoundingClientRect().height") <= 90
    page.click("header summary")
    links = page.locator("header details nav a")
    expected = [e for e, _label in NAVIGATION[role] if e in app.view_functions]
    assert links.count() == len(expected)
    for index in range(links.count()):
        assert links.nth(index).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth"
                         " - document.documentElement.clientWidth") <= 1
    if role == Role.OFFICER:
        page.screenshot(path=str(screenshots("phone") / "officer-menu-open.png"))
    links.last.click()
    page.wait_for_load_state()
    assert page.url.endswith(page.locator("header details nav a[aria-current=page]")
                             .get_attribute("href"))
    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.is_visible("header nav.wide") and not page.is_visible("header details")


OVERLAPS = """() => {
  const items = [...document.querySelectorAll('header summary, header .account button,'
                                             + ' header .account a')]
    .filter(el => el.offsetParent !== null).map(el => {
      // where its visible text is (text may spill out of a box squeezed narrower than
      // it); text hidden for screen readers only (a 1 px box) is not shown
      const rects = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim() || node.parentElement.getBoundingClientRect().width <= 1)
          continue;
        const range = document.createRange(); range.selectNodeContents(node);
        rects.push(...[...range.getClientRects()].filter(r => r.width > 0));
      }
      return [el, {left: Math.min(...rects.map(r => r.left)),
                   right: Math.max(...rects.map(r => r.right)),
                   top: Math.min(...rects.map(r => r.top)),
                   bottom: Math.max(...rects.map(r => r.bottom))}];
    });
  const found = [];
  items.forEach(([a, r], i) => items.slice(i + 1).forEach(([b, s]) => {
    if (r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1
        && s.top < r.bottom - 1) found.push(a.textContent.trim() + ' / ' + b.textContent.trim());
  }));
  return found;
}"""


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_nothing_in_the_phone_header_runs_into_anything_else(open_page, language):
    """"☰ Меню" ran into "Қазақша" at 390 px: on a phone the languages read KK, RU, EN
    (their names stay for screen readers)."""
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, LOGINS[Role.OFFICER])
    page.click(f"header form[action$='/language/{language}'] button")
    page.wait_for_load_state()
    assert page.evaluate(OVERLAPS) == []
    assert page.locator("header .account button .language-code").first.is_visible()
    assert page.get_by_role("button", name="Қазақша").count() == 1  # its name, for readers


def test_tables_of_forms_become_stacked_rows_on_a_phone(open_page):
    """The course's enrolments (a completion form in every row) and a release plan's
    parts fit the 390 px screen instead of a 1,216 px or 1,612 px table."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.inmates.models import Inmate
    from app.institutions.models import Institution
    from app.reintegration.models import ReleasePlan
    from app.training.models import Course, Enrolment

    dolinka = db.session.scalar(sa.select(Institution.id).where(Institution.code == "AK-159/20"))
    course = db.session.scalar(sa.select(Course.id).join(Enrolment).where(
        Course.institution_id == dolinka).limit(1))
    plan = db.session.scalar(sa.select(ReleasePlan.id).join(Inmate).where(
        ReleasePlan.released_on.is_(None), Inmate.institution_id == dolinka).limit(1))
    page = open_page()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, LOGINS[Role.OFFICER])
    for path, table in ((f"/training/courses/{course}", "main table"),
                        (f"/release-plans/{plan}", "#parts")):
        page.goto(path)
        width = page.evaluate(f"document.querySelector('{table}').scrollWidth")
        assert width <= 390, (path, width)
