"""R22 jobs waiting outside, in the browser: a business or an employment centre
posts a job with a form loaded by the API's schema; it sees the people proposed
as short profiles, only with consent; it answers (an offer or a no after a
confirmation page); officers and administrators see the engine's proposals with
the reasons. Refusals: other partners, other businesses, other institutions."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from app.core.audit import AuditEvent
from app.core.vocabulary import PartnerKind, PartStatus, PlanPartKind, Role
from app.extensions import db
from app.inmates.operations import withdraw_consent
from app.reintegration import operations as ops
from app.reintegration import outside_jobs
from app.reintegration.models import JobAnswer, OutsideJob
from tests import factories
from tests.conftest import login
from tests.reintegration.conftest import TODAY, partner_org, person_agrees

FORBIDDEN = ("SECRET-77", "theft", "feud", "Neverreferred")  # file number, offence, separation


def _form(scene, **changes):
    return {"title": "Welder", "trade_id": str(scene.trade.id), "locality": "Temirtau",
            "region_id": str(scene.world["region"].id), "positions": "1",
            "monthly_wage": "250000",
            "start_date": (TODAY + timedelta(days=90)).isoformat()} | changes


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


@pytest.fixture
def centre_user(scene):
    centre = partner_org("Temirtau employment centre", scene.world["region"],
                         kind=PartnerKind.EMPLOYMENT_CENTRE)
    return factories.user(Role.PARTNER, partner_id=centre.id)


def _post(client, scene, **changes):
    response = client.post("/outside-jobs/new", data=_form(scene, **changes))
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_a_refused_form_lists_every_problem_and_writes_nothing(app, scene, employer_client):
    page = employer_client.get("/outside-jobs/new")
    assert page.status_code == 200 and 'name="monthly_wage"' in page.get_data(as_text=True)
    refused = employer_client.post("/outside-jobs/new", data=_form(
        scene, title="", positions="0", start_date=(TODAY - timedelta(days=1)).isoformat(),
        region_id="999999"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "There is a problem" in html and 'href="#title"' in html and 'href="#positions"' in html
    assert 'value="Temirtau"' in html  # what was typed is kept
    assert db.session.query(OutsideJob).count() == 0


def test_employer_posts_sees_profiles_and_offers_after_confirming(app, scene, employer_client):
    job_id = _post(employer_client, scene)
    assert "Welder" in employer_client.get("/outside-jobs/").get_data(as_text=True)
    html = employer_client.get(f"/outside-jobs/{job_id}").get_data(as_text=True)
    assert "Leavingov" in html and "welder" in html
    assert TODAY.replace(day=1) <= scene.leaving.release_date
    # the release month in the user's language, not as ISO text
    assert format_date(scene.leaving.release_date, "LLLL yyyy", locale="en") in html
    assert f"{scene.leaving.release_date:%Y-%m}" not in html
    assert not any(word in html for word in FORBIDDEN)
    url = f"/outside-jobs/{job_id}/candidates/{scene.plan.id}/answer"
    # a link (GET) records no interview: answers are posted with their CSRF token
    assert employer_client.get(url, query_string={"answer": "interview"}).status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobAnswer)) == 0
    # an offer first shows what follows, and changes nothing
    confirm = employer_client.get(url, query_string={"answer": "offer"})
    assert confirm.status_code == 200 and "Nothing has been changed yet" in confirm.get_data(
        as_text=True)
    # the person has not agreed yet: the page says the part waits for their answer
    assert "is marked arranged once the institution records the person" in confirm.get_data(
        as_text=True)
    assert employer_client.post(url, data={"answer": "offer"}).status_code == 200  # unconfirmed
    db.session.expire_all()
    job_part = next(p for p in ops.plan_of(scene.leaving.id).parts
                    if p.kind == PlanPartKind.JOB)
    assert job_part.status == PartStatus.NEEDED
    done = employer_client.post(url, data={"answer": "offer", "confirmed": "y"})
    assert done.status_code == 302
    db.session.expire_all()
    job_part = next(p for p in ops.plan_of(scene.leaving.id).parts
                    if p.kind == PlanPartKind.JOB)
    # offered, the person not asked yet: in progress, not arranged
    assert job_part.status == PartStatus.IN_PROGRESS and "Welder" in job_part.note
    # answered: a second answer is refused with a message, nothing written
    again = employer_client.post(url, data={"answer": "no", "confirmed": "y"},
                                 follow_redirects=True)
    assert "already answered" in again.get_data(as_text=True)
    assert "job offered" in employer_client.get(f"/outside-jobs/{job_id}").get_data(as_text=True)


def test_interview_then_no(app, scene, employer_client):
    job_id = _post(employer_client, scene)
    url = f"/outside-jobs/{job_id}/candidates/{scene.plan.id}/answer"
    assert employer_client.post(url, data={"answer": "interview"}).status_code == 302
    assert "invited to an interview" in employer_client.get(
        f"/outside-jobs/{job_id}").get_data(as_text=True)
    no = employer_client.post(url, data={"answer": "no", "confirmed": "y"})
    assert no.status_code == 422 and "say why not" in no.get_data(as_text=True)  # asked again
    assert employer_client.post(url, data={"answer": "no", "confirmed": "y",
                                           "reason": "the workshop closed"}).status_code == 302
    assert "Leavingov" not in employer_client.get(f"/outside-jobs/{job_id}").get_data(
        as_text=True)
    assert employer_client.get(url, query_string={"answer": "maybe"}).status_code == 404
    officer = app.test_client()
    login(officer, scene.world["officer"])
    answers = officer.get("/release-plans/outside-jobs").get_data(as_text=True)
    assert "not this time: the workshop closed" in answers  # the institution reads why


def test_profile_only_with_consent(app, scene, employer_client):
    job_id = _post(employer_client, scene)
    with factories.acting_as(scene.world["officer"]):
        withdraw_consent(scene.consent, TODAY)
        db.session.commit()
    html = employer_client.get(f"/outside-jobs/{job_id}").get_data(as_text=True)
    assert "Leavingov" not in html
    url = f"/outside-jobs/{job_id}/candidates/{scene.plan.id}/answer"
    assert employer_client.get(url, query_string={"answer": "offer"}).status_code == 404


def test_employment_centre_posts_and_answers(app, scene, centre_user):
    client = _client(app, centre_user)
    assert "/outside-jobs/" in client.get("/partner/").get_data(as_text=True)
    job_id = _post(client, scene)
    assert db.session.get(OutsideJob, job_id).partner_id == centre_user.partner_id
    assert "Leavingov" in client.get(f"/outside-jobs/{job_id}").get_data(as_text=True)
    url = f"/outside-jobs/{job_id}/candidates/{scene.plan.id}/answer"
    assert client.post(url, data={"answer": "interview"}).status_code == 302


def test_refusals(app, scene, employer_client, centre_user):
    job_id = _post(employer_client, scene)
    # a resocialisation centre's users post nothing and see no job
    resocialisation = _client(app, scene.partner)
    assert "/outside-jobs/" not in resocialisation.get("/partner/").get_data(as_text=True)
    for url in ("/outside-jobs/", "/outside-jobs/new", f"/outside-jobs/{job_id}"):
        assert resocialisation.get(url).status_code == 403
    # another business and an employment centre do not see this business's job
    stranger = _client(app, factories.user(Role.EMPLOYER, employer_id=factories.employer().id))
    centre = _client(app, centre_user)
    for client in (stranger, centre):
        assert client.get(f"/outside-jobs/{job_id}").status_code == 404
        assert client.get(f"/outside-jobs/{job_id}/candidates/{scene.plan.id}/answer",
                          query_string={"answer": "offer"}).status_code == 404
        assert "Welder" not in client.get("/outside-jobs/").get_data(as_text=True)
    # officers and prosecutors do not use the posters' pages; administrators read them
    for user in (scene.world["officer"], scene.world["prosecutor"]):
        assert _client(app, user).get(f"/outside-jobs/{job_id}").status_code == 403
    admin = _client(app, scene.world["admin"])
    assert admin.get(f"/outside-jobs/{job_id}").status_code == 200
    assert admin.post(f"/outside-jobs/{job_id}/candidates/{scene.plan.id}/answer",
                      data={"answer": "interview"}).status_code == 403


def test_officers_see_proposals_with_reasons_of_their_people_only(app, scene, employer_client):
    _post(employer_client, scene, positions="5")
    officer = _client(app, scene.world["officer"])
    before = officer.get("/release-plans/outside-jobs").get_data(as_text=True)
    assert "Welder" in before and "Leavingov" not in before  # not run yet
    html = officer.get("/release-plans/outside-jobs", query_string={"run": "1"}).get_data(
        as_text=True)
    assert "Leavingov" in html and "Neverreferred" in html
    assert "holds the trade&#39;s certificate" in html or "holds the trade's certificate" in html
    assert "goes to the job&#39;s region after release" in html \
        or "goes to the job's region after release" in html
    other = _client(app, scene.world["other_officer"])
    html = other.get("/release-plans/outside-jobs", query_string={"run": "1"}).get_data(
        as_text=True)
    assert "Leavingov" not in html and "Nobody of yours is proposed" in html
    admin = _client(app, scene.world["admin"])
    assert "Leavingov" in admin.get("/release-plans/outside-jobs",
                                    query_string={"run": "1"}).get_data(as_text=True)
    for user in (scene.world["prosecutor"], scene.partner, scene.world["employer_user"]):
        assert _client(app, user).get("/release-plans/outside-jobs").status_code == 403


def test_api_lets_employment_centres_post_and_refuses_other_partners(app, scene, centre_user):
    from tests.factories import ApiClient

    values = _form(scene) | {"trade_id": scene.trade.id, "region_id": scene.world["region"].id,
                             "positions": 2, "monthly_wage": 250_000}
    created = ApiClient(app, centre_user).post("/api/outside-jobs", json=values)
    assert created.status_code == 201, created.json
    assert ApiClient(app, centre_user).get("/api/outside-jobs").json[0]["id"] == created.json["id"]
    assert ApiClient(app, scene.partner).post("/api/outside-jobs", json=values).status_code == 403
    assert ApiClient(app, scene.partner).get("/api/outside-jobs").status_code == 403
    assert ApiClient(app, scene.partner).get(
        f"/api/outside-jobs/{created.json['id']}/candidates").status_code == 403


def test_release_month_in_the_users_language(app, scene, employer_client):
    job_id = _post(employer_client, scene)
    scene.world["employer_user"].language = "kk"
    db.session.commit()
    html = employer_client.get(f"/outside-jobs/{job_id}").get_data(as_text=True)
    assert format_date(scene.leaving.release_date, "LLLL yyyy", locale="kk") in html


# --- changing and closing a job -------------------------------------------------------------

def test_poster_changes_the_job_with_the_posting_schema(app, scene, employer_client):
    job_id = _post(employer_client, scene)
    form = employer_client.get(f"/outside-jobs/{job_id}/edit").get_data(as_text=True)
    assert 'value="Welder"' in form and 'value="250000"' in form and "Change “Welder”" in form
    refused = employer_client.post(f"/outside-jobs/{job_id}/edit", data=_form(
        scene, title="", positions="0", monthly_wage="1000000000"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "There is a problem" in html
    assert 'href="#title"' in html and 'href="#positions"' in html
    assert 'href="#monthly_wage"' in html
    db.session.expire_all()
    assert db.session.get(OutsideJob, job_id).title == "Welder"
    saved = employer_client.post(f"/outside-jobs/{job_id}/edit",
                                 data=_form(scene, title="Senior welder", positions="4"))
    assert saved.status_code == 302
    db.session.expire_all()
    job = db.session.get(OutsideJob, job_id)
    assert (job.title, job.positions) == ("Senior welder", 4)
    change = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "OutsideJob", AuditEvent.entity_id == str(job_id),
        AuditEvent.action == "update")).one()
    assert change.before["title"] == "Welder" and change.after["title"] == "Senior welder"
    assert change.actor_id == scene.world["employer_user"].id


def test_positions_never_below_the_offers_made(app, scene, employer_client):
    job_id = _post(employer_client, scene, positions="2")
    offered = employer_client.post(f"/outside-jobs/{job_id}/candidates/{scene.plan.id}/answer",
                                   data={"answer": "offer", "confirmed": "y"})
    assert offered.status_code == 302
    # a start date already past stays on a change; a new one in the past is refused
    fewer = employer_client.post(f"/outside-jobs/{job_id}/edit",
                                 data=_form(scene, positions="0"))
    assert fewer.status_code == 422
    db.session.get(OutsideJob, job_id).start_date = TODAY - timedelta(days=1)
    db.session.commit()
    kept = employer_client.post(f"/outside-jobs/{job_id}/edit", data=_form(
        scene, positions="1", start_date=(TODAY - timedelta(days=1)).isoformat()))
    assert kept.status_code == 302
    moved = employer_client.post(f"/outside-jobs/{job_id}/edit", data=_form(
        scene, positions="1", start_date=(TODAY - timedelta(days=2)).isoformat()))
    assert moved.status_code == 422 and "cannot be before today" in moved.get_data(as_text=True)


def test_closing_asks_first_then_stops_proposals_and_answers(app, scene, employer_client):
    job_id = _post(employer_client, scene, positions="2")
    person_agrees(scene.plan, scene.world["officer"])
    answer = f"/outside-jobs/{job_id}/candidates/{{}}/answer"
    employer_client.post(answer.format(scene.plan.id), data={"answer": "offer", "confirmed": "y"})
    employer_client.post(answer.format(scene.other_plan.id), data={"answer": "interview"})
    confirm = employer_client.get(f"/outside-jobs/{job_id}/close")
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Nothing has been changed yet" in html
    assert f'action="/outside-jobs/{job_id}/close"' in html and "<button" in html
    assert "Neverreferred" in html.split("get no answer")[1].split("</p>")[0]
    assert "Leavingov" in html.split("keep the job part")[1].split("</p>")[0]
    assert db.session.get(OutsideJob, job_id).open
    assert employer_client.post(f"/outside-jobs/{job_id}/close").status_code == 302
    db.session.expire_all()
    assert not db.session.get(OutsideJob, job_id).open
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.entity_type == "OutsideJob", AuditEvent.entity_id == str(job_id),
        AuditEvent.action == "update")) == 1
    # the offered person keeps the plan's job part
    job_part = next(p for p in ops.plan_of(scene.leaving.id).parts
                    if p.kind == PlanPartKind.JOB)
    assert job_part.status == PartStatus.ARRANGED
    # no more proposals, answers, changes or closing
    html = employer_client.get(f"/outside-jobs/{job_id}").get_data(as_text=True)
    assert "closed" in html and f"/outside-jobs/{job_id}/edit" not in html
    assert "Invite to an interview" not in html and "Offer the job" not in html
    assert job_id not in outside_jobs.proposals(TODAY)
    refusals = [employer_client.post(answer.format(scene.other_plan.id),
                                     data={"answer": "offer", "confirmed": "y"}),
                employer_client.get(f"/outside-jobs/{job_id}/edit"),
                employer_client.post(f"/outside-jobs/{job_id}/edit", data=_form(scene)),
                employer_client.get(f"/outside-jobs/{job_id}/close"),
                employer_client.post(f"/outside-jobs/{job_id}/close")]
    assert [r.status_code for r in refusals] == [409] * 5
    # officers no longer see the job among the open ones; its answers stay, marked closed
    officer = _client(app, scene.world["officer"])
    html = officer.get("/release-plans/outside-jobs", query_string={"run": "1"}).get_data(
        as_text=True)
    assert f'id="job-{job_id}"' not in html and "Welder · Business" in html
    assert "(closed)" in html.split('id="job-answers"')[1]


def test_only_the_poster_changes_or_closes(app, scene, employer_client, centre_user):
    job_id = _post(employer_client, scene)
    stranger = _client(app, factories.user(Role.EMPLOYER, employer_id=factories.employer().id))
    centre = _client(app, centre_user)
    akimat = _client(app, scene.akimat_user)  # may post jobs, not this one
    for client in (stranger, centre, akimat):
        for url in (f"/outside-jobs/{job_id}/edit", f"/outside-jobs/{job_id}/close"):
            assert client.get(url).status_code == 404
        assert client.post(f"/outside-jobs/{job_id}/edit", data=_form(scene)).status_code == 404
        assert client.post(f"/outside-jobs/{job_id}/close").status_code == 404
    others = (scene.partner, scene.world["officer"], scene.world["prosecutor"],
              scene.world["admin"])
    for user in others:
        client = _client(app, user)
        assert client.get(f"/outside-jobs/{job_id}/close").status_code == 403
        assert client.post(f"/outside-jobs/{job_id}/close").status_code == 403
        assert client.post(f"/outside-jobs/{job_id}/edit", data=_form(scene)).status_code == 403
    admin = _client(app, scene.world["admin"]).get(f"/outside-jobs/{job_id}")
    assert f"/outside-jobs/{job_id}/close" not in admin.get_data(as_text=True)
    db.session.expire_all()
    job = db.session.get(OutsideJob, job_id)
    assert job.open and job.title == "Welder"


def test_an_employment_centre_changes_and_closes_its_own_job(app, scene, centre_user):
    client = _client(app, centre_user)
    job_id = _post(client, scene)
    assert client.post(f"/outside-jobs/{job_id}/edit",
                       data=_form(scene, locality="Saran")).status_code == 302
    assert client.post(f"/outside-jobs/{job_id}/close").status_code == 302
    db.session.expire_all()
    job = db.session.get(OutsideJob, job_id)
    assert job.locality == "Saran" and not job.open
