"""The officer's home page: today's rate (R1) against the target, open positions,
releases without a course or job, the last run, findings, employers' changes."""

from datetime import timedelta
from decimal import Decimal

from app.core.audit import AuditEvent
from app.core.vocabulary import EndReason, EnrolmentStatus, FindingStatus, Fitness
from app.extensions import db
from app.home.operations import officer_dashboard
from app.monitoring.models import Finding
from app.training.models import Enrolment
from policy.clock import today_in_kazakhstan
from tests import factories

TODAY = today_in_kazakhstan()


def _seed(scene, world):
    vacancy = scene.vacancy(positions=3, title="Seamstress")
    worker = scene.inmate()
    factories.placement(worker, vacancy)
    factories.placement(scene.inmate(), vacancy, start_date=TODAY - timedelta(days=60),
                        end_date=TODAY - timedelta(days=5), end_reason=EndReason.COMPLETED)
    scene.inmate(fitness=Fitness.UNFIT)
    leaving = scene.inmate(last_name="Leaving", release_date=TODAY + timedelta(days=30))
    trained = scene.inmate(last_name="Trained", release_date=TODAY + timedelta(days=40))
    course = factories.course(scene.institution)
    db.session.add(Enrolment(course_id=course.id, inmate_id=trained.id, enrolled_on=TODAY,
                             status=EnrolmentStatus.ENROLLED))
    scene.inmate(last_name="Later", release_date=TODAY + timedelta(days=200))
    db.session.add_all([
        Finding(institution_id=scene.institution.id, author_id=world["prosecutor"].id,
                rule="R5", text="Consent missing for two workers"),
        Finding(institution_id=scene.institution.id, author_id=world["prosecutor"].id,
                text="Old finding", status=FindingStatus.RESOLVED),
        AuditEvent(actor_id=world["employer_user"].id, actor=world["employer_user"].email,
                   institution_id=scene.institution.id, entity_type="Vacancy",
                   entity_id=str(vacancy.id), action="update",
                   before={"positions": 2}, after={"positions": 3}),
        AuditEvent(actor_id=world["officer"].id, actor=world["officer"].email,
                   institution_id=scene.institution.id, entity_type="Vacancy",
                   entity_id=str(vacancy.id), action="update",
                   before={"title": "A"}, after={"title": "By the officer"}),
    ])
    db.session.commit()
    return leaving


def test_dashboard_figures(scene, world):
    leaving = _seed(scene, world)
    board = officer_dashboard(scene.institution.id)
    # held 6 (one worker, one former worker, unfit, leaving, trained, later); able 5
    assert (board.r1.held, board.r1.able, board.r1.employed) == (6, 5, 1)
    assert board.r1.rate == 1 / 5
    assert board.r1.target == Decimal("0.75")
    assert board.r1.shortfall == 3  # ceil(0.75 * 5) = 4 employed needed
    assert board.open_positions == 2
    assert [i.id for i in board.releases_unprepared] == [leaving.id]
    assert [f.text for f in board.findings] == ["Consent missing for two workers"]
    assert [e.actor for e in board.employer_changes] == [world["employer_user"].email]
    assert board.last_run.id == scene.run.id
    assert board.last_run_pending == 0
    scene.propose()
    assert officer_dashboard(scene.institution.id).last_run_pending == 1


def test_home_page_shows_the_figures(officer_client, scene, world):
    _seed(scene, world)
    response = officer_client.get("/officer")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "20.0%" in html and "75.0%" in html
    assert 'id="shortfall">3<' in html and 'id="open-positions">2<' in html
    releases = html.split('id="releases"')[1].split("</table>")[0]
    assert "Leaving" in releases and "Trained" not in releases and "Later" not in releases
    assert "Consent missing for two workers" in html and "Old finding" not in html
    assert world["employer_user"].email in html and "By the officer" not in html


def test_home_page_is_for_officers(prosecutor_client, employer_client):
    assert prosecutor_client.get("/officer").status_code == 403
    assert employer_client.get("/officer").status_code == 403


def test_empty_institution(officer_client):
    response = officer_client.get("/officer")
    assert response.status_code == 200
    assert "No match run yet" in response.get_data(as_text=True)


def test_home_figures_in_the_api(client, scene, world):
    leaving = _seed(scene, world)
    response = client.get("/api/home/officer", headers=factories.bearer(world["officer"]))
    assert response.status_code == 200
    body = response.json
    assert (body["rate"]["able"], body["rate"]["employed"], body["rate"]["shortfall"]) == (5, 1, 3)
    assert body["rate"]["target"] == "0.75" or Decimal(body["rate"]["target"]) == Decimal("0.75")
    assert [i["id"] for i in body["releases_unprepared"]] == [leaving.id]
    assert body["open_positions"] == 2
    assert [f["text"] for f in body["findings"]] == ["Consent missing for two workers"]


def test_home_api_is_for_officers(client, world):
    for role in ("prosecutor", "employer_user", "admin"):
        response = client.get("/api/home/officer", headers=factories.bearer(world[role]))
        assert response.status_code == 403
