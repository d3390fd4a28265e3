"""End-to-end tests: the real app served on 127.0.0.1 in a thread, driven by
headless Chromium (Debian's /usr/bin/chromium) through Playwright.

Skipped when Chromium or Playwright is missing; CI installs both.
"""

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.demo_snapshot import seeded_demo

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def screenshots(folder: str) -> Path:
    """Where the tests save their screenshots: a temporary folder, never the
    tracked docs/screenshots (``make screenshots`` sets ``SCREENSHOTS_DIR`` to
    docs/screenshots to refresh the documentation's pictures)."""
    root = os.environ.get("SCREENSHOTS_DIR") or Path(tempfile.gettempdir()) / "e2e-screenshots"
    target = Path(root) / folder
    target.mkdir(parents=True, exist_ok=True)
    return target
playwright_api = pytest.importorskip("playwright.sync_api")
if not shutil.which("chromium"):
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)


# In-memory SQLite is one connection for every thread: a test's own thread writing while
# the server answers (a job run by a worker thread of the test) would have its transaction
# committed or rolled back by the server's. Such a thread holds this lock while it uses
# the database, and the server holds it for each request.
LIVE_DATABASE = threading.RLock()


def _one_request_at_a_time(wsgi_app):
    def locked(environ, start_response):
        with LIVE_DATABASE:  # Flask has closed the request's session when this returns
            return wsgi_app(environ, start_response)
    return locked


@pytest.fixture
def server_url(app):
    """The app served on a fresh port for this test alone.

    In-memory SQLite is one connection shared by every thread, so the server answers one
    request at a time (two at once would commit or roll back each other's work), and each
    test has its own server: at the end it finishes the request under way and closes its
    socket, dropping any request a closed page had still queued, so nothing of this test
    runs while the tables are emptied or the next test seeds its demo. Single-threaded,
    werkzeug also speaks HTTP/1.0 and closes each connection, so the browser never waits
    on one.
    """
    server = make_server("127.0.0.1", 0, _one_request_at_a_time(app.wsgi_app), threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()  # returns once the request under way is answered
    server.server_close()
    thread.join()


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
    seeded_demo(total_inmates=240)
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
