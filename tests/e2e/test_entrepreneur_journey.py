"""In the browser: a business registers, is approved, posts a vacancy at
AK-159/20, sees the labour pool and, later, the workers an officer placed."""


from app.extensions import db
from app.vacancies.models import Vacancy
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.e2e.conftest import log_in

GOOD_BIN = "900401500010"


def _register(page):
    page.goto("/employer/register")
    page.select_option("select[name=kind]", "private_company")
    page.fill("input[name=bin_iin]", "900401500011")  # wrong check digit first
    page.fill("input[name=name]", "Dolinka Furniture LLP")
    page.fill("input[name=address]", "Karaganda, 1 Industrial street")
    page.fill("input[name=contact_person]", "Aigerim Seitkali")
    page.fill("input[name=phone]", "+7 700 123 4567")
    page.fill("input[name=email]", "owner@furniture.example.kz")
    page.fill("input[name=password]", "furniture-2026")
    page.fill("input[name=password_again]", "furniture-2026")
    page.click("button.primary")
    assert "wrong check digit" in page.inner_text("body")
    page.fill("input[name=bin_iin]", GOOD_BIN)
    page.fill("input[name=password]", "furniture-2026")
    page.fill("input[name=password_again]", "furniture-2026")
    page.click("button.primary")


def _approve(page):
    log_in(page, "admin@demo.kz")
    page.goto("/admin/employers")
    page.click("text=Dolinka Furniture LLP")
    with page.expect_navigation():
        page.click("button:has-text('Approve')")
    assert "Decision recorded" in page.inner_text("body")


def _post_vacancy(page):
    log_in(page, "owner@furniture.example.kz", "furniture-2026")
    page.goto("/employer/vacancies/new")
    # static/js/app.js puts a text filter above the long lists (no inline script: CSP).
    trade_filter = page.locator("select[name=trade_id]").locator(
        "xpath=preceding-sibling::input[@type='search'][1]")
    trade_filter.fill("carpent")
    assert page.locator("select[name=trade_id] option:not([hidden])").count() < 5
    trade_filter.fill("")
    page.get_by_label("AK-159/20 Долинка", exact=True).check()  # a checkbox list
    page.fill("input[name=title]", "Furniture assembler")
    page.select_option("select[name=trade_id]", label="Carpenter and joiner")
    page.fill("input[name=positions]", "4")
    page.fill("input[name=monthly_wage]", "60000")  # under the minimum wage
    page.fill("input[name=weekly_hours]", "40")
    page.fill("input[name=start_date]", today_in_kazakhstan().isoformat())
    page.click("button.primary")
    page.wait_for_selector(".error-summary")
    assert "minimum" in page.inner_text(".error-summary")
    assert "R10" not in page.inner_text(".error-summary")  # an entrepreneur reads words
    page.fill("input[name=monthly_wage]", "95000")
    with page.expect_navigation():  # saved: redirected to the list (wait, do not race it)
        page.click("button.primary")
    assert "Furniture assembler" in page.inner_text("body")
    page.click("a:has-text('Furniture assembler')")
    page.click("button:has-text('Publish')")


def test_entrepreneur_registers_posts_and_sees_workers(open_page):
    page = open_page()
    _register(page)
    log_in(page, "owner@furniture.example.kz", "furniture-2026")
    assert "approv" in page.inner_text("body").lower()  # not yet: waits for approval
    _approve(open_page())
    _post_vacancy(page)
    vacancy = db.session.scalar(db.select(Vacancy).where(Vacancy.title == "Furniture assembler"))
    assert (vacancy.institution.code, vacancy.positions, vacancy.status.value) == (
        "AK-159/20", 4, "published")

    page.goto("/employer/labour-pool")
    assert "AK-159/20" in page.inner_text("body")

    worker = factories.inmate(vacancy.institution, last_name="Zhakupov", first_name="Arman")
    factories.placement(worker, vacancy, start_date=today_in_kazakhstan())
    page.goto("/employer/workers")
    text = page.inner_text("main")
    assert "Zhakupov" in text and "Furniture assembler" in text
    assert worker.file_number not in text and "1990" not in text
