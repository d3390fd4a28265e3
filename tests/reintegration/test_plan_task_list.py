"""The release plan as GOV.UK's task list: each part a task with its state (not
started, in progress, completed; the referral "cannot start yet" with why and where
to fix it), edited on a page of its own whose one Save returns to the list, which
counts the parts complete. The person's own agreement before a job part is marked
arranged (a decline with the reason), on the page, in the API and for partners."""

from datetime import timedelta

import pytest

from app.core.vocabulary import PartStatus, PlanPartKind
from app.extensions import db
from app.reintegration import operations as ops
from app.reintegration.models import PlanPart
from tests import factories
from tests.conftest import login
from tests.factories import ApiClient
from tests.reintegration.conftest import TODAY, refer


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _part(scene, kind: PlanPartKind) -> PlanPart:
    return next(p for p in scene.plan.parts if p.kind == kind)


def _task_list(html: str) -> str:
    return html.split('id="parts"')[1].split("</ul>")[0]


def _row(html: str, part: PlanPart) -> str:
    return _task_list(html).split(f'data-part="{part.kind.value}"')[1].split("</li>")[0]


def _summary(html: str) -> str:
    return html.split('class="error-summary"')[1].split("</div>")[0]


def test_the_plan_is_a_list_of_its_parts_each_on_a_page_of_its_own(app, scene):
    officer = _client(app, scene.world["officer"])
    plan = scene.plan
    total = len(plan.parts)
    html = officer.get(f"/release-plans/{plan.id}").text
    tasks = _task_list(html)
    # every part a link to its own page, with its state; no form or Save on the list
    for part in plan.parts:
        assert f'href="/release-plans/{plan.id}/parts/{part.id}"' in tasks
    assert tasks.count("tag-not_started") == total and "<form" not in tasks
    assert f"0 of {total} parts complete." in html
    assert ">Save<" not in html  # the ten Save buttons are gone
    assert f'href="/release-plans/{plan.id}/destination"' in html

    clothing = _part(scene, PlanPartKind.CLOTHING)
    page = officer.get(f"/release-plans/{plan.id}/parts/{clothing.id}")
    assert page.status_code == 200 and page.text.count(">Save<") == 1
    assert f'action="/release-plans/{plan.id}/parts/{clothing.id}"' in page.text
    saved = officer.post(f"/release-plans/{plan.id}/parts/{clothing.id}",
                         data={"status": "not_needed", "note": "", "reason": "",
                               "owner_partner_id": "", "due_on": ""})
    assert saved.status_code == 302 and saved.location.endswith(f"/release-plans/{plan.id}")
    html = officer.get(f"/release-plans/{plan.id}").text
    assert f"1 of {total} parts complete." in html
    assert "tag-completed" in _row(html, clothing)

    documents = _part(scene, PlanPartKind.DOCUMENTS)
    officer.post(f"/release-plans/{plan.id}/parts/{documents.id}",
                 data={"status": "needed", "note": "passport applied for"})
    row = _row(officer.get(f"/release-plans/{plan.id}").text, documents)
    assert "tag-in_progress" in row and "passport applied for" in row


def test_a_refused_part_is_shown_again_on_its_page_as_typed(app, scene):
    officer = _client(app, scene.world["officer"])
    part = _part(scene, PlanPartKind.MEDICAL)
    url = f"/release-plans/{scene.plan.id}/parts/{part.id}"
    refused = officer.post(url, data={"status": "not_arranged", "reason": "",
                                      "note": "clinic in Temirtau", "due_on": "31.02.2027"})
    assert refused.status_code == 422
    summary = _summary(refused.text)
    assert 'href="#part-due"' in summary  # every problem the form has, linked to its field
    assert 'value="clinic in Temirtau"' in refused.text and 'value="31.02.2027"' in refused.text
    assert '<option value="not_arranged" selected>' in refused.text
    refused = officer.post(url, data={"status": "not_arranged", "reason": ""})
    assert refused.status_code == 422 and 'href="#part-reason"' in _summary(refused.text)
    db.session.expire_all()
    assert db.session.get(PlanPart, part.id).status == PartStatus.NEEDED


def test_the_destination_has_its_own_page_and_save_returns_to_the_list(app, scene):
    officer = _client(app, scene.world["officer"])
    plan = scene.plan
    page = officer.get(f"/release-plans/{plan.id}/destination")
    assert page.status_code == 200 and page.text.count(">Save<") == 1
    refused = officer.post(f"/release-plans/{plan.id}", data={
        "destination_locality": "Temirtau", "destination_region_id": "999999"})
    assert refused.status_code == 422
    assert 'href="#destination-region"' in _summary(refused.text)
    assert 'value="Temirtau"' in refused.text
    saved = officer.post(f"/release-plans/{plan.id}", data={
        "destination_locality": "Temirtau",
        "destination_region_id": str(scene.world["region"].id)})
    assert saved.status_code == 302 and saved.location.endswith(f"/release-plans/{plan.id}")
    html = officer.get(f"/release-plans/{plan.id}").text
    task = html.split('id="destination-task"')[1].split("</ul>")[0]
    assert "Temirtau" in task and "tag-completed" in task


def test_a_referral_that_cannot_start_yet_says_why_and_links_to_the_fix(app, scene):
    officer = _client(app, scene.world["officer"])
    plan = scene.plan
    allowed = officer.get(f"/release-plans/{plan.id}").text
    task = allowed.split('id="refer-task"')[1].split("</ul>")[0]
    assert "tag-not_started" in task and 'href="#refer"' in task and 'id="refer"' in allowed
    scene.consent.withdrawn_on = TODAY - timedelta(days=1)
    db.session.commit()
    refused = officer.get(f"/release-plans/{plan.id}").text
    task = refused.split('id="refer-task"')[1].split("</ul>")[0]
    assert "Cannot start yet" in task and "consent to share" in task
    assert f'href="/inmates/{scene.leaving.id}#consents"' in task
    assert 'id="refer"' not in refused
    scene.consent.withdrawn_on = None
    plan.destination_region_id = None
    db.session.commit()
    no_region = officer.get(f"/release-plans/{plan.id}").text
    task = no_region.split('id="refer-task"')[1].split("</ul>")[0]
    assert "Cannot start yet" in task and f'href="/release-plans/{plan.id}/destination"' in task


def test_who_may_read_and_who_may_change_the_parts(app, scene):
    plan, part = scene.plan, scene.plan.parts[0]
    url = f"/release-plans/{plan.id}/parts/{part.id}"
    prosecutor = _client(app, scene.world["prosecutor"])
    read = prosecutor.get(url)
    assert read.status_code == 200 and "<form" not in read.text.split("<main")[1]
    assert prosecutor.post(url, data={"status": "not_needed"}).status_code == 403
    assert prosecutor.get(f"/release-plans/{plan.id}/destination").status_code == 403
    other = _client(app, scene.world["other_officer"])
    assert other.get(url).status_code == 404
    assert other.post(url, data={"status": "not_needed"}).status_code == 404
    assert other.get(f"/release-plans/{plan.id}/destination").status_code == 404
    for user in (scene.partner, scene.world["employer_user"]):
        client = _client(app, user)
        assert client.get(url).status_code == 403
        assert client.get(f"/release-plans/{plan.id}/destination").status_code == 403
    officer = _client(app, scene.world["officer"])
    assert officer.get(f"/release-plans/{plan.id}/parts/{scene.other_plan.parts[0].id}"
                       ).status_code == 404  # a part of another plan
    db.session.expire_all()
    assert db.session.get(PlanPart, part.id).status == PartStatus.NEEDED


# --- the person's own agreement before a job part is arranged -----------------------------

def test_a_job_part_is_arranged_only_with_the_persons_agreement_on_the_page(app, scene):
    officer = _client(app, scene.world["officer"])
    job = _part(scene, PlanPartKind.JOB)
    url = f"/release-plans/{scene.plan.id}/parts/{job.id}"
    page = officer.get(url).text
    assert 'name="agreement" value="agreed"' in page and 'id="part-agreement-reason"' in page
    refused = officer.post(url, data={"status": "arranged", "note": "welder, Temirtau",
                                      "agreement": ""})
    assert refused.status_code == 422
    summary = _summary(refused.text)
    assert '<a href="#part-agreement">The person&#39;s agreement:' in summary
    assert 'value="welder, Temirtau"' in refused.text  # kept as typed
    declined = officer.post(url, data={"status": "in_progress", "agreement": "declined",
                                       "agreement_reason": ""})
    assert declined.status_code == 422
    assert 'href="#part-agreement-reason"' in _summary(declined.text)
    assert "Why the person declined" in _summary(declined.text)
    db.session.expire_all()
    stored = db.session.get(PlanPart, job.id)
    assert (stored.status, stored.agreement) == (PartStatus.NEEDED, "")
    said_no = officer.post(url, data={"status": "in_progress", "agreement": "declined",
                                      "agreement_reason": "I go back to my brother's farm"})
    assert said_no.status_code == 302
    html = officer.get(f"/release-plans/{scene.plan.id}").text
    assert "I go back to my brother&#39;s farm" in _row(html, job)
    agreed = officer.post(url, data={"status": "arranged", "note": "welder, Temirtau",
                                     "agreement": "agreed"})
    assert agreed.status_code == 302
    db.session.expire_all()
    stored = db.session.get(PlanPart, job.id)
    assert (stored.status, stored.agreement, stored.agreement_reason) == (
        PartStatus.ARRANGED, "agreed", "")
    assert "tag-completed" in _row(officer.get(f"/release-plans/{scene.plan.id}").text, job)


def test_the_api_refuses_an_arranged_job_without_agreement_naming_the_field(app, scene):
    officer = ApiClient(app, scene.world["officer"])
    job = _part(scene, PlanPartKind.JOB)
    url = f"/api/release-plans/{scene.plan.id}/parts/{job.id}"
    refused = officer.patch(url, json={"status": "arranged"})
    assert refused.status_code == 422 and set(refused.json["errors"]) == {"agreement"}
    both = officer.patch(url, json={"status": "not_arranged", "agreement": "declined"})
    assert both.status_code == 422
    assert set(both.json["errors"]) == {"reason", "agreement_reason"}  # all at once
    odd = officer.patch(url, json={"agreement": "maybe"})
    assert odd.status_code == 422 and set(odd.json["errors"]) == {"agreement"}
    done = officer.patch(url, json={"status": "arranged", "agreement": "agreed"})
    assert done.status_code == 200
    assert (done.json["status"], done.json["agreement"]) == ("arranged", "agreed")
    assert officer.get(f"/api/release-plans/{scene.plan.id}").json["parts"][0][
        "agreement"] == "agreed"
    # other parts need no agreement to be arranged
    housing = _part(scene, PlanPartKind.ACCOMMODATION)
    assert officer.patch(f"/api/release-plans/{scene.plan.id}/parts/{housing.id}",
                         json={"status": "arranged"}).status_code == 200
    # the agreement is the institution's to record: a prosecutor is refused
    prosecutor = ApiClient(app, scene.world["prosecutor"])
    assert prosecutor.patch(url, json={"agreement": "declined",
                                       "agreement_reason": "x"}).status_code == 403


def test_a_partner_cannot_arrange_the_job_before_the_person_agrees(app, scene, partner_client):
    referral = refer(scene.plan, scene.centre, scene.world["officer"])
    job = _part(scene, PlanPartKind.JOB)
    partner_client.post(f"/partner/referrals/{referral.id}/accept")
    url = f"/partner/referrals/{referral.id}/arranged"
    refused = partner_client.post(url, data={f"status_{job.id}": "arranged",
                                             f"note_{job.id}": "Welder at KazMet"})
    assert refused.status_code == 422
    summary = _summary(refused.text)
    assert "job after release" in summary and "agreement is not recorded" in summary
    assert 'value="Welder at KazMet"' in refused.text
    db.session.expire_all()
    assert db.session.get(PlanPart, job.id).status == PartStatus.IN_PROGRESS
    with factories.acting_as(scene.world["officer"]):
        ops.update_part(db.session.get(PlanPart, job.id), {"agreement": "agreed"}, TODAY)
        db.session.commit()
    assert partner_client.post(url, data={f"status_{job.id}": "arranged",
                                          f"note_{job.id}": "Welder at KazMet"}
                               ).status_code == 302
    db.session.expire_all()
    assert db.session.get(PlanPart, job.id).status == PartStatus.ARRANGED


@pytest.mark.parametrize(("language", "words"), [
    ("ru", ("Не начато", "из", "Согласие человека")),
    ("kk", ("Басталмаған", "бөліктің", "Адамның келісімі")),
])
def test_the_task_list_and_the_agreement_speak_russian_and_kazakh(app, scene, language, words):
    officer = scene.world["officer"]
    officer.language = language
    db.session.commit()
    client = _client(app, officer)
    html = client.get(f"/release-plans/{scene.plan.id}").text
    not_started, progress, agreement = words
    assert not_started in _task_list(html)
    assert progress in html.split('id="tasks-progress"')[1].split("</p>")[0]
    job = _part(scene, PlanPartKind.JOB)
    refused = client.post(f"/release-plans/{scene.plan.id}/parts/{job.id}",
                          data={"status": "arranged"})
    assert refused.status_code == 422 and agreement in _summary(refused.text)
