"""A job's progress page in the browser: with script (static/js/job-progress.js, under
the Content-Security-Policy) the figures move and the result opens when the job ends;
without script the page reloads itself until it shows the result."""

import threading
import time

import pytest
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.extensions import db
from app.jobs import queue
from tests.e2e.conftest import LIVE_DATABASE

STEPS = 12


def _counting(job, progress):
    for done in range(1, STEPS + 1):
        LIVE_DATABASE.release()  # the pages are answered while the job works
        time.sleep(0.4)
        LIVE_DATABASE.acquire()
        progress.step(done, STEPS)
    return {"counted": STEPS}


queue.register_kind("test.e2e", _l("Counting"), _counting, "jobs/result.html")


@pytest.fixture
def running_job(app, demo, tmp_path, monkeypatch):
    """A job of the demo officer, run by a worker thread once the page is open."""
    monkeypatch.setitem(app.config, "JOBS_FOLDER", str(tmp_path))
    officer = db.session.scalar(db.select(User).where(User.email == "officer.dolinka@demo.kz"))
    job_id = queue.submit("test.e2e", officer, {"locale": "en"}).id
    db.session.commit()

    def start():
        def run():
            with LIVE_DATABASE, app.app_context():  # the database between its steps
                queue.run_job(job_id)
                db.session.remove()
        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        return worker

    return job_id, start


def test_the_script_moves_the_figures_then_opens_the_result(open_page, running_job):
    from tests.e2e.conftest import log_in

    job_id, start = running_job
    page = open_page()
    log_in(page, "officer.dolinka@demo.kz")
    page.goto(f"/jobs/{job_id}")
    assert page.inner_text("[data-field=label]") == "Waiting"
    worker = start()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-field=done]').textContent) > 0")
    assert page.inner_text("[data-field=total]") == str(STEPS)
    page.wait_for_selector("text=counted", timeout=20_000)  # the result page, opened by script
    worker.join(5)


def test_without_script_the_page_reloads_itself(browser, server_url, demo, running_job):
    job_id, start = running_job
    context = browser.new_context(base_url=server_url, locale="en-GB",
                                  java_script_enabled=False)
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=email]", "officer.dolinka@demo.kz")
    page.fill("input[name=password]", "demo-password-1")
    page.click("button.primary")
    page.goto(f"/jobs/{job_id}")
    worker = start()
    page.wait_for_selector("text=counted", timeout=25_000)  # reached by <meta refresh>
    worker.join(5)
    context.close()
