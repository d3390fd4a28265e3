"""In the browser (demo data): a person signs in at Dolinka's kiosk with the demo's PIN,
reads their work, pay, applications and plan in large type, applies for work, asks to
withdraw a consent, and finds no way out of the kiosk (a staff page typed in goes back
to the kiosk's home; the staff API answers 403). The officer prints the person's
statement, which fits one A4 page in Kazakh and in Russian. Screenshots and PDFs go to
kiosk/ of ``screenshots`` (``make screenshots``: docs/screenshots/kiosk/)."""

import re

import sqlalchemy as sa

from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.kiosk import operations as kiosk
from app.kiosk.demo import DEMO_PINS, KIOSK_INSTITUTION
from app.kiosk.view import open_targets
from app.reintegration.models import ReleasePlan
from policy.clock import today_in_kazakhstan
from tests.e2e.conftest import log_in, screenshots


def shot(page, name: str) -> None:
    page.screenshot(path=str(screenshots("kiosk") / f"{name}.png"), full_page=True)


def _demo_people() -> tuple[Institution, list[Inmate]]:
    dolinka = db.session.scalar(sa.select(Institution).where(
        Institution.code == KIOSK_INSTITUTION))
    from app.kiosk.demo import _demo_people

    return dolinka, [person for person, _language in _demo_people(dolinka.id)]


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_a_person_at_the_kiosk(open_page):
    dolinka, (person, _planned) = _demo_people()
    page = open_page(f"/kiosk/?institution={dolinka.id}")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("input[name=file_number]", person.file_number)
    page.fill("input[name=pin]", DEMO_PINS[0])
    shot(page, "sign-in")
    page.click("button.primary")
    page.wait_for_url("**/kiosk/me")
    assert person.file_number in page.inner_text(".kiosk-who")
    assert page.get_attribute("html", "lang") == "kk"  # the person chose Kazakh
    # Large text and touch targets.
    assert float(page.eval_on_selector("body", "b => getComputedStyle(b).fontSize")[:-2]) >= 24
    heights = page.eval_on_selector_all(".kiosk-button, .kiosk-tile",
                                        "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 64
    shot(page, "home-kk")
    page.click("form[action='/kiosk/me/language/ru'] button")
    page.wait_for_url("**/kiosk/me")
    assert page.get_attribute("html", "lang") == "ru"
    for section in ("work", "money", "plan"):
        page.goto(f"/kiosk/me/{section}")
        shot(page, f"{section}-ru")
    page.goto("/kiosk/me/applications")
    first = page.locator("#apply-vacancy li form button").first
    if first.count():
        first.click()
        page.wait_for_url("**/kiosk/me/applications")
        assert page.locator("#applications tbody tr form").count() >= 1  # withdrawable
    shot(page, "applications-ru")
    # No way out: links stay in the kiosk; a staff page typed in goes back home.
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert all(href.startswith("/kiosk/") for href in hrefs), hrefs
    for staff_page in ("/officer", "/inmates", f"/inmates/{person.id}", "/login", "/admin"):
        page.goto(staff_page)
        assert page.url.endswith("/kiosk/me"), staff_page
    answer = page.request.get("/api/inmates")
    assert answer.status == 403
    page.click("#sign-out")
    page.wait_for_url("**/kiosk/")


def test_the_statement_prints_on_one_a4_page_in_kazakh_and_russian(open_page):
    """The fullest demo statement: the person with a release plan (all its parts), at
    work with payslips, with more applications than the statement prints, printed by
    their officer."""
    dolinka, (_paid, person) = _demo_people()
    plan = db.session.scalar(sa.select(ReleasePlan).where(ReleasePlan.inmate_id == person.id))
    assert plan is not None and len(plan.parts) >= 8
    for kind in ("vacancy", "course"):  # more than the statement prints
        for target_id, _name in open_targets(person, today_in_kazakhstan())[kind][:6]:
            kiosk.apply_at_kiosk(person, kind, target_id)
    db.session.commit()
    page = open_page("/login")
    log_in(page, "officer.dolinka@demo.kz")
    page.goto(f"/inmates/{person.id}")
    page.click("#print-statement")
    page.wait_for_selector("article.statement")
    for language in ("kk", "ru"):
        page.goto(f"/inmates/{person.id}/statement?language={language}")
        assert page.get_attribute("article.statement", "lang") == language
        page.emulate_media(media="print")
        # A4's printable area at 12 mm margins, in CSS pixels (96 per inch): 186 × 273 mm.
        page.set_viewport_size({"width": 703, "height": 1032})
        used = page.eval_on_selector("article.statement", "a => a.getBoundingClientRect().bottom")
        print(f"statement-{language}: {used:.0f} of 1032 px of the A4 page's height")
        clipped = page.eval_on_selector_all(
            "article.statement, article.statement table",
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.id || e.tagName)")
        assert clipped == [], clipped  # nothing cut off at the right edge of the paper
        shot(page, f"statement-{language}")
        pdf = page.pdf(format="A4", print_background=True,
                       path=str(screenshots("kiosk") / f"statement-{language}.pdf"))
        page.emulate_media(media="screen")
        assert _pdf_pages(pdf) == 1, language
