"""Declining support (R20, R31): a part of the release plan the person declines is
recorded as declined in their own words, decided and not missing."""

from app.extensions import db
from app.reintegration import operations as ops
from tests.conftest import login
from tests.factories import TODAY, ApiClient


def test_a_declined_part_keeps_the_persons_words_and_is_not_missing(app, scene):
    officer = ApiClient(app, scene.world["officer"])
    plan = scene.plan
    job = plan.parts[0]
    url = f"/api/release-plans/{plan.id}/parts/{job.id}"
    refused = officer.patch(url, json={"status": "declined"})
    assert refused.status_code == 422 and "reason" in refused.json["errors"]
    words = "I will work on my brother's farm"
    done = officer.patch(url, json={"status": "declined", "reason": words})
    assert done.status_code == 200, done.json
    assert done.json["status"] == "declined" and done.json["reason"] == words
    db.session.expire_all()
    plan = ops.plan_of(scene.leaving.id)
    assert job.id not in {p.id for p in plan.open_parts}
    for part in plan.parts:
        if part.id != job.id:
            ops.update_part(part, {"status": "not_needed"}, TODAY)
    assert plan.complete


def test_the_plan_page_shows_the_decline_in_the_persons_words(app, scene):
    part = scene.plan.parts[0]
    ops.update_part(part, {"status": "declined", "reason": "No, thank you"}, TODAY)
    db.session.commit()
    client = app.test_client()
    login(client, scene.world["prosecutor"])
    page = client.get(f"/release-plans/{scene.plan.id}")
    assert page.status_code == 200 and "No, thank you" in page.get_data(as_text=True)
