"""R27-R30 on the officers' pages: the profile's sections and forms, the flag shown to
officers and prosecutors only (each view audited), refusals as form messages."""

from datetime import timedelta

import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.extensions import db
from app.inmates.models import CourtBan, RiskAssessment, ScatteredFlag
from tests import factories
from tests.security.helpers import TODAY, assess, flag


def _views() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "view"))


def test_officer_records_risk_incident_ban_and_flag_on_the_profile(officer_client, world):
    person = factories.inmate(world["institution"])
    welder = factories.trade("welder")
    page = officer_client.get(f"/inmates/{person.id}")
    assert page.status_code == 200 and "Scattered model" in page.text
    base = f"/inmates/{person.id}"
    assert officer_client.post(f"{base}/risk-assessments", data={
        "level": "medium", "assessed_on": str(TODAY - timedelta(days=5)), "reason": "admission",
        "needs": ["education", "finance_and_debts"]}).status_code == 302
    assert officer_client.post(f"{base}/incidents", data={
        "occurred_on": str(TODAY), "summary": "Fight in the canteen"}).status_code == 302
    assert officer_client.post(f"{base}/bans", data={
        "trade_ids": [str(welder.id)], "starts_on": str(TODAY - timedelta(days=3)),
        "decision_ref": "2-55/2025"}).status_code == 302
    assert officer_client.post(f"{base}/flag", data={"flagged_on": str(TODAY)}).status_code \
        == 302
    assert db.session.scalar(sa.select(RiskAssessment.needs)) == ["education",
                                                                  "finance_and_debts"]
    assert db.session.scalar(sa.select(CourtBan.decision_ref)) == "2-55/2025"
    assert db.session.scalar(sa.select(ScatteredFlag.inmate_id)) == person.id
    page = officer_client.get(base)
    assert "2-55/2025" in page.text and "Fight in the canteen" in page.text
    assert "Assessment overdue" in page.text  # the incident came after the assessment


def test_a_bad_level_is_a_form_message(officer_client, world):
    person = factories.inmate(world["institution"])
    answer = officer_client.post(f"/inmates/{person.id}/risk-assessments", data={
        "level": "extreme", "assessed_on": str(TODAY), "reason": "admission"})
    assert answer.status_code == 422 and "must be one of" in answer.text


def test_flag_section_only_for_officers_and_prosecutors(officer_client, prosecutor_client,
                                                        admin_client, world):
    person = factories.inmate(world["institution"])
    flag(person)
    assess(person, "high")
    before = _views()
    for client in (officer_client, prosecutor_client):
        page = client.get(f"/inmates/{person.id}")
        assert 'id="scattered"' in page.text
    assert _views() == before + 2
    page = admin_client.get(f"/inmates/{person.id}")
    assert 'id="scattered"' not in page.text and _views() == before + 2


def test_overdue_assessments_on_the_officers_home_never_change_r1(officer_client, world):
    person = factories.inmate(world["institution"])
    vacancy = factories.vacancy(world["employer"], world["institution"])
    factories.placement(person, vacancy)
    home = officer_client.get("/officer")
    assert person.file_number in home.text.split('id="risk-overdue"')[1]
    rate = home.text.split('id="employed">')[1].split("<")[0]
    assess(person, "low", on=TODAY)
    home = officer_client.get("/officer")
    assert person.file_number not in home.text.split('id="risk-overdue"')[1]
    assert home.text.split('id="employed">')[1].split("<")[0] == rate


def test_workplace_security_page(officer_client, employer_client, world):
    job = factories.vacancy(world["employer"], world["institution"], title="Lathe operator")
    page = officer_client.get("/placements/workplaces")
    assert page.status_code == 200 and "Lathe operator" in page.text
    assert officer_client.post(f"/placements/vacancies/{job.id}/max-risk-level",
                               data={"max_risk_level": "low"}).status_code == 302
    assert officer_client.post("/placements/scattered-cap",
                               data={"scattered_cap": "1"}).status_code == 302
    db.session.expire_all()
    assert job.max_risk_level == "low" and world["institution"].scattered_cap == 1
    refused = officer_client.post("/placements/scattered-cap", data={"scattered_cap": "x"},
                                  follow_redirects=True)
    assert "whole number" in refused.text and world["institution"].scattered_cap == 1
    assert employer_client.get("/placements/workplaces").status_code == 403


def test_workplace_security_is_in_the_officers_menu(officer_client, employer_client):
    """On the wide navigation and in the phone's menu, translated; not an employer's."""
    link = '<a href="/placements/workplaces"'
    home = officer_client.get("/officer")
    main, menu = home.text.split('<details class="menu">')
    assert link in main.split('aria-label="Main"')[1] and link in menu.split("</details>")[0]
    officer_client.post("/language/ru")
    assert "Безопасность рабочих мест" in officer_client.get("/officer").text
    assert link not in employer_client.get("/employer/").text
