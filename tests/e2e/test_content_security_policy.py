"""In the browser, under the Content-Security-Policy (no inline script or style): the
behaviour moved to static/js still works and the browser refuses nothing."""

from tests.e2e.conftest import log_in


def test_pages_work_under_the_policy(open_page, console_errors):
    page = open_page("/api/docs")
    # Swagger UI (vendored, started by static/js/swagger-init.js) lists the operations.
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    assert "/api/inmates/" in page.inner_text("#swagger-ui-container")

    log_in(page, "admin@demo.kz")
    page.goto("/admin/settings")
    page.fill("input[name=year]", "2031")
    page.click("form[data-year-path] button")
    page.wait_for_url("**/admin/settings/2031")

    page = open_page()
    log_in(page, "prosecutor.karaganda@demo.kz")
    page.goto("/monitoring/report")
    assert page.locator("button[data-print]").count() == 1

    # A page with a violation of the policy is seen: the listener works.
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = '1'; document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in error for error in console_errors)
    console_errors.clear()
