"""At 390 px, pages fit the screen (tests/e2e/layout.py says what that means). The axe
walk (test_accessibility.py) measures every page of every role it checks, in English,
Russian and Kazakh (the printed orders included); here, the page it does not visit
(the employer's timesheet of a month), and tables stacked into rows named by their
columns."""

import pytest

from tests.e2e.conftest import log_in
from tests.e2e.layout import WIDTH, measure
from tests.e2e.test_accessibility import ROLES, _sheet_to_submit, choose_language


def _timesheet() -> list[str]:
    """The employer's timesheet of a month (a form in every row; reached by acting)."""
    return [f"/pay/timesheets/{_sheet_to_submit().id}"]


EXTRA = {"employer": _timesheet}


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_pages_outside_the_axe_walk_fit_a_phone(open_page, language):
    page = open_page("/login")
    page.set_viewport_size({"width": WIDTH, "height": 844})
    found = []
    for role, pages in EXTRA.items():
        page.context.clear_cookies()
        log_in(page, *ROLES[role][0]())
        choose_language(page, language)
        for path in pages():
            page.goto(path)
            found += measure(page, f"{role} {language} {path}")
    assert found == [], "\n".join(found)


def test_a_table_is_stacked_rows_named_by_column_on_a_phone_and_columns_at_desktop(open_page):
    """At 390 px each row of the officer's inmates is a block of its cells, each after
    its column's heading in the user's language; at 1366 px the same table has its
    columns and its head, as before."""
    page = open_page("/login")
    log_in(page, "officer.dolinka@demo.kz")
    choose_language(page, "kk")
    page.goto("/inmates/")
    heads = page.eval_on_selector_all("main table thead th",
                                      "ths => ths.map(th => th.textContent.trim())")
    cells = page.locator("main table tbody tr").first.locator("td")
    style = "(el, key) => getComputedStyle(el)[key]"
    assert cells.first.evaluate(style, "display") == "table-cell"
    assert page.locator("main table thead").bounding_box()["height"] > 20
    page.set_viewport_size({"width": WIDTH, "height": 844})
    assert cells.first.evaluate(style, "display") == "block"
    assert page.locator("main table thead").bounding_box()["height"] <= 1  # screen readers'
    labels = [cells.nth(n).get_attribute("data-label") for n in range(cells.count())]
    assert labels == heads[:len(labels)] and "Толық аты-жөні" in labels, labels
    assert cells.first.evaluate("el => getComputedStyle(el, '::before').fontWeight") == "600"
