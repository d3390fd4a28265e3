"""The course page's "Complete" form in every enrolment's row: a refusal lands on
the row it came from, the summary at the top links to that row's fields, and the
address stays the course's own page."""

import re
from datetime import timedelta

from app.extensions import db
from app.training import operations as ops
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.conftest import login

TODAY = today_in_kazakhstan()


def test_a_refused_completion_lands_on_its_own_row(app, world):
    home = world["institution"]
    course = factories.course(home, start_date=TODAY - timedelta(days=20),
                              end_date=TODAY + timedelta(days=10))
    enrolments = [ops.enrol(course, factories.inmate(home), TODAY - timedelta(days=20))
                  for _ in range(3)]
    db.session.commit()
    client = app.test_client()
    login(client, world["officer"])
    page = client.get(f"/training/courses/{course.id}").get_data(as_text=True)
    target = enrolments[1].id
    assert page.count(f'action="/training/courses/{course.id}"') == 3  # the page's own address
    refused = client.post(f"/training/courses/{course.id}", data={
        "enrolment_id": str(target), "completed_on": (TODAY - timedelta(days=40)).isoformat(),
        "result": "good"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    summary_at = html.index('class="error-summary"')
    assert summary_at < html.index("<table")  # at the top, before the rows
    assert re.search(rf'<a href="#completed_on-{target}">', html)
    assert html.count('class="error"') == 1  # under one row's date, not under all three
    row = html.split(f'value="{target}"')[1].split("</form>")[0]
    assert 'aria-invalid="true"' in row and 'value="good"' in row


def test_a_course_completed_sooner_than_its_hours_allow_needs_a_reason(app, world):
    from tests.factories import ApiClient

    home = world["institution"]
    course = factories.course(home, hours=360, start_date=TODAY - timedelta(days=21),
                              end_date=TODAY + timedelta(days=60))
    enrolment = ops.enrol(course, factories.inmate(home), TODAY - timedelta(days=21))
    db.session.commit()
    url = f"/api/training/courses/{course.id}/enrolments/{enrolment.id}/complete"
    officer = ApiClient(app, world["officer"])
    asked = officer.post(url, json={"completed_on": TODAY.isoformat()})
    assert asked.status_code == 409 and list(asked.json["errors"]) == ["early_reason"]
    assert "360" in asked.json["errors"]["early_reason"][0]
    page = app.test_client()
    login(page, world["officer"])
    shown = page.post(f"/training/courses/{course.id}", data={
        "enrolment_id": str(enrolment.id), "completed_on": TODAY.isoformat()})
    assert shown.status_code == 422 and f'id="early_reason-{enrolment.id}"' in shown.get_data(
        as_text=True)
    done = officer.post(url, json={"completed_on": TODAY.isoformat(),
                                   "early_reason": "intensive evening classes, 18 h a day"})
    assert done.status_code == 200, done.json
    db.session.expire_all()
    assert db.session.get(type(enrolment), enrolment.id).early_reason.startswith("intensive")


def test_a_course_completed_at_its_pace_needs_no_reason(app, world):
    from tests.factories import ApiClient

    home = world["institution"]
    course = factories.course(home, hours=360, start_date=TODAY - timedelta(days=63),
                              end_date=TODAY + timedelta(days=60))
    enrolment = ops.enrol(course, factories.inmate(home), TODAY - timedelta(days=63))
    db.session.commit()
    done = ApiClient(app, world["officer"]).post(
        f"/api/training/courses/{course.id}/enrolments/{enrolment.id}/complete",
        json={"completed_on": TODAY.isoformat()})
    assert done.status_code == 200, done.json
