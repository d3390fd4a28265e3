"""End-to-end tests: the real app served on 127.0.0.1 in a thread, driven by
headless Chromium (Debian's /usr/bin/chromium) through Playwright.

Skipped when Chromium or Playwright is missing; CI installs both.
"""

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from app.demo import seed
from app.extensions import db

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright_api = pytest.importorskip("playwright.sync_api")
if not shutil.which("chromium"):
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


@pytest.fixture(scope="session")
def server_url(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(app):
    """A small invented demo (CSRF on, as in production)."""
    app.config["WTF_CSRF_ENABLED"] = True
    seed(total_inmates=240)
    db.session.commit()
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def console_errors():
    """What the browser refused or failed on (Content-Security-Policy violations, script
    errors) in every page of the test; each e2e test ends by asserting there were none."""
    return []


@pytest.fixture
def open_page(browser, server_url, demo, console_errors):
    """A fresh browser page (its own cookies) on the live server."""
    contexts = []

    def open_(path: str = "/"):
        context = browser.new_context(base_url=server_url, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda message: message.type == "error"
                and "Content Security Policy" in message.text
                and console_errors.append(message.text))
        page.on("pageerror", lambda error: console_errors.append(str(error)))
        page.goto(path)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert console_errors == []


def log_in(page, email: str, password: str = "demo-password-1") -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button.primary")
