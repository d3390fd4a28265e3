"""In the browser, in Kazakh, on a 390 px phone: the officer of AK-159/20 opens a
release plan, a task list of its parts, each with its state and the count of parts
done; opens the job part on its own page, is refused marking it arranged before the
person's agreement is recorded (the summary names the field, in Kazakh, and the form
keeps what was typed), records the agreement and Saves once: back on the list, the
job part is done and the count went up. The destination is a task of its own page.
Nothing on the pages is wider than the phone and axe finds nothing serious."""

import re

from app.core.vocabulary import PlanPartKind
from app.extensions import db
from app.reintegration.models import PlanPart, ReleasePlan
from tests.e2e.conftest import log_in, screenshots
from tests.e2e.test_accessibility import check, choose_language
from tests.e2e.test_reintegration_journey import _a_plan_to_refer

WIDTH = 390


def _fits(page, label: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    tasks = page.evaluate("document.querySelector('main').scrollWidth")
    wide = page.evaluate("""(w) => [...document.querySelectorAll('main *')]
      .filter(e => e.getBoundingClientRect().right > w + 1
               && !(e.parentElement && e.parentElement.getBoundingClientRect().right > w + 1))
      .slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className + ' '
                       + Math.round(e.getBoundingClientRect().right))""", WIDTH)
    assert width <= WIDTH and tasks <= WIDTH, (label, width, tasks, wide)


def _done(page) -> int:
    """Parts done, from "N бөліктің M орындалды." (total first in Kazakh)."""
    total, done = map(int, re.findall(r"\d+", page.inner_text("#tasks-progress")))
    return done


def test_the_release_plan_task_list_in_kazakh_on_a_phone(open_page):
    plan = _a_plan_to_refer()
    plan_id = plan.id
    job = next(p for p in plan.parts if p.kind == PlanPartKind.JOB)
    job.status, job.agreement = job.status.NEEDED, ""
    db.session.commit()
    job_id, total = job.id, len(plan.parts)

    page = open_page()
    page.set_viewport_size({"width": WIDTH, "height": 844})
    log_in(page, "officer.dolinka@demo.kz")
    choose_language(page, "kk")
    page.goto(f"/release-plans/{plan_id}")
    assert page.locator("#parts li.task").count() == total
    assert "бөліктің" in page.inner_text("#tasks-progress")  # "N бөліктің M орындалды."
    assert page.locator("main button:has-text('Сақтау')").count() == 0  # no Save on the list
    before = _done(page)
    _fits(page, "task list")
    page.screenshot(path=str(screenshots("reintegration") / "task-list-kk-phone.png"),
                    full_page=True)

    page.click("#parts li[data-part=job] a")
    assert page.url.endswith(f"/release-plans/{plan_id}/parts/{job_id}")
    assert page.locator("main button.primary").count() == 1  # one Save
    page.select_option("#part-status", "arranged")
    page.fill("#part-note", "Дәнекерлеуші, Теміртау")
    page.click("#part-form button.primary")
    summary = page.inner_text(".error-summary")
    assert "Адамның келісімі" in summary, summary  # the field, named in Kazakh
    assert page.input_value("#part-note") == "Дәнекерлеуші, Теміртау"  # kept as typed
    _fits(page, "part refused")
    page.check("#part-agreement input[value=agreed]")
    page.click("#part-form button.primary")
    assert page.url.endswith(f"/release-plans/{plan_id}")  # Save returns to the list
    row = page.inner_text("#parts li[data-part=job]")
    assert "Орындалды" in row and "Дәнекерлеуші, Теміртау" in row
    assert _done(page) == before + 1
    _fits(page, "task list after saving")

    page.click("#destination-task a")
    assert page.url.endswith(f"/release-plans/{plan_id}/destination")
    _fits(page, "destination")

    page.set_viewport_size({"width": 1366, "height": 900})
    found = []
    for path in (f"/release-plans/{plan_id}", f"/release-plans/{plan_id}/parts/{job_id}"):
        page.goto(path)
        found += check(page, path)
    assert found == [], "\n".join(found)
    db.session.expire_all()
    stored = db.session.get(PlanPart, job_id)
    assert (stored.status.value, stored.agreement) == ("arranged", "agreed")
    assert db.session.get(ReleasePlan, plan_id).released_on is None
