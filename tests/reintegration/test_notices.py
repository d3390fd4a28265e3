"""What release and reintegration tell people, in the inbox and by e-mail (a real SMTP
server in process): partners hear of referrals made to them, officers of the partners'
answers and questions, both of a withdrawn consent; the daily notices (a release
within 30 days with open plan parts, an outcome check due) are made once. No e-mail
names the person or says anything R21 keeps from a partner."""

from datetime import timedelta

import sqlalchemy as sa

from app.core.transactions import committing
from app.core.vocabulary import ConsentKind, MailChoice, Role
from app.extensions import db
from app.inmates.operations import release_inmate, withdraw_consent
from app.notifications.models import Notification
from app.reintegration import deadlines
from app.reintegration import operations as ops
from tests import factories
from tests.factories import ApiClient
from tests.reintegration.conftest import TODAY, refer
from tests.smtp import Mailbox

PERSONAL = ("Leavingov", "Arman", "SECRET-77", "theft", "feud", "welder", "CERT-1")


def _kinds(user) -> list[str]:
    return list(db.session.scalars(sa.select(Notification.kind).where(
        Notification.user_id == user.id).order_by(Notification.id)))


def _refer_by_api(app, scene) -> dict:
    officer = ApiClient(app, scene.world["officer"])
    response = officer.post(f"/api/release-plans/{scene.plan.id}/referrals", json={
        "partner_id": scene.centre.id, "part_ids": [scene.plan.parts[0].id],
        "note": "Arman needs a welder's job (theft)"})
    assert response.status_code == 201
    return response.get_json()


def test_a_referral_reaches_the_partner_by_mail_in_kazakh_without_personal_data(
        app, scene, smtp):
    scene.partner.language = "kk"
    db.session.commit()
    referral = _refer_by_api(app, scene)
    assert _kinds(scene.partner) == ["referral_new"]
    assert _kinds(scene.akimat_user) == [] and _kinds(scene.world["officer"]) == []
    recipients = [rcpt for rcpt, _message in smtp.received]
    assert recipients == [[scene.partner.email]]  # nobody else, not the acting officer
    message = smtp.to(scene.partner.email)[0]
    text = Mailbox.text(message)
    assert message["Content-Language"] == "kk"
    assert f"{scene.institution.name} мекемесінен жаңа жолдама" in message["Subject"]
    assert f"http://testserver.kz/partner/referrals/{referral['id']}" in text
    assert not [word for word in PERSONAL if word in text]
    assert scene.leaving.release_date.isoformat() not in text
    db.session.expire_all()
    assert db.session.scalar(sa.select(Notification.emailed_at)) is not None


def test_partner_answers_and_questions_reach_the_officers_and_back(app, scene, smtp):
    referral = refer(scene.plan, scene.centre, scene.world["officer"])
    partner = ApiClient(app, scene.partner)
    assert partner.post(f"/api/partner/referrals/{referral.id}/accept").status_code == 200
    assert partner.post(f"/api/partner/referrals/{referral.id}/questions",
                        json={"text": "Does Arman have documents?"}).status_code == 201
    officer = scene.world["officer"]
    assert _kinds(officer) == ["referral_accepted", "referral_question"]
    questions = [Mailbox.text(m) for m in smtp.to(officer.email)]
    assert len(questions) == 2 and "Question from Karaganda resocialisation centre" in questions[1]
    assert f"/release-plans/{scene.plan.id}" in questions[1]
    assert not [word for text in questions for word in PERSONAL if word in text]
    answer = ApiClient(app, officer).post(
        f"/api/release-plans/{scene.plan.id}/referrals/{referral.id}/messages",
        json={"text": "Yes, his passport"})
    assert answer.status_code == 201
    assert _kinds(scene.partner)[-1] == "referral_answered"
    assert "passport" not in Mailbox.text(smtp.to(scene.partner.email)[-1])


def test_a_declined_referral_is_told_to_the_officers(app, scene):
    referral = refer(scene.plan, scene.centre, scene.world["officer"])
    response = ApiClient(app, scene.partner).post(
        f"/api/partner/referrals/{referral.id}/decline", json={"reason": "No places"})
    assert response.status_code == 200
    assert _kinds(scene.world["officer"]) == ["referral_declined"]


def test_a_withdrawn_consent_is_told_to_the_partner_and_the_other_officers(app, scene, smtp):
    officer = scene.world["officer"]
    colleague = factories.user(Role.OFFICER, institution_id=scene.institution.id)
    refer(scene.plan, scene.centre, officer)
    with factories.acting_as(officer), committing():
        withdraw_consent(scene.consent, TODAY)
    assert _kinds(scene.partner)[-1] == "referral_access_ended"
    assert _kinds(colleague) == ["consent_withdrawn"] and _kinds(officer) == []
    partner_mail = Mailbox.text(smtp.to(scene.partner.email)[-1])
    assert "http://testserver.kz/partner/" in partner_mail  # the worklist: the referral is gone
    assert not [word for word in PERSONAL if word in partner_mail]
    officer_mail = Mailbox.text(smtp.to(colleague.email)[0])
    assert f"/inmates/{scene.leaving.id}" in officer_mail
    assert "sharing with partner organisations (R21)" in officer_mail


def test_a_release_within_30_days_with_open_parts_is_told_once(app, scene):
    officer = scene.world["officer"]
    release = scene.leaving.release_date  # 60 days away: not yet
    with committing():
        assert deadlines.notify_releases_soon(TODAY) == 0
    day = release - timedelta(days=30)
    for _ in range(2):  # a second run the same day, or the next day, tells nobody again
        with committing():
            deadlines.notify_releases_soon(day)
    with committing():
        assert deadlines.notify_releases_soon(day + timedelta(days=1)) == 0
    assert _kinds(officer) == ["release_soon"]
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == officer.id))
    assert note.link == f"/release-plans/{scene.plan.id}"
    assert note.params["release_on"] == {"day": release.isoformat()}
    assert _kinds(scene.partner) == []


def test_a_complete_plan_gives_no_release_notice(app, scene):
    for part in scene.plan.parts:
        ops.update_part(part, {"status": "not_needed"}, TODAY)
    db.session.commit()
    with committing():
        deadlines.notify_releases_soon(scene.leaving.release_date)
    links = db.session.scalars(sa.select(Notification.link)).all()
    assert links and f"/release-plans/{scene.plan.id}" not in links  # the other one's only


def _released_with_referral(scene):
    referral = refer(scene.plan, scene.centre, scene.world["officer"])
    ops.accept(referral, TODAY)
    with factories.acting_as(scene.world["officer"]), committing():
        release_inmate(scene.leaving, TODAY)
    return referral


def test_an_outcome_check_due_is_told_to_the_partner_once(app, scene, smtp):
    referral = _released_with_referral(scene)
    month_later = ops.add_months(TODAY, 1)
    with committing():
        assert deadlines.notify_outcome_checks_due(month_later - timedelta(days=1)) == 0
    with committing():
        assert deadlines.notify_outcome_checks_due(month_later) == 1
    with committing():
        assert deadlines.notify_outcome_checks_due(month_later + timedelta(days=3)) == 0
    assert _kinds(scene.partner)[-1] == "outcome_check_due"
    assert _kinds(scene.akimat_user) == []
    text = Mailbox.text(smtp.to(scene.partner.email)[-1])
    assert f"/partner/referrals/{referral.id}" in text
    assert not [word for word in PERSONAL if word in text]


def test_a_recorded_check_is_not_announced(app, scene):
    _released_with_referral(scene)
    month_later = ops.add_months(TODAY, 1)
    ops.record_outcome(scene.plan, {"months": 1, "situations": ["housed"]}, scene.centre.id,
                       TODAY)
    db.session.commit()
    with committing():
        assert deadlines.notify_outcome_checks_due(month_later) == 0


def test_a_partner_who_wants_no_email_gets_the_inbox_only(app, scene, smtp):
    scene.partner.mail_choice = MailChoice.NO_EMAIL
    db.session.commit()
    _refer_by_api(app, scene)
    assert _kinds(scene.partner) == ["referral_new"] and smtp.received == []


def test_withdrawing_the_referrals_consent_is_told_even_with_another_in_force(app, scene):
    """Access follows the consent the referral was made under (R21), so its partner is
    told even when a newer consent to share is in force (that one allows new referrals)."""
    refer(scene.plan, scene.centre, scene.world["officer"])
    factories.consent(scene.leaving, ConsentKind.SHARE_WITH_PARTNERS, given_on=TODAY)
    with committing():
        assert withdraw_consent(scene.consent, TODAY) == []
    assert _kinds(scene.partner)[-1] == "referral_access_ended"


def test_the_daily_schedule_tells_of_a_release_soon(app, scene):
    """The notices are made by the schedule itself (app/jobs/schedule.py), not only by
    the command: the task of the day 30 days before the release tells the officer."""
    from app.jobs import schedule

    day = scene.leaving.release_date - timedelta(days=30)
    [run] = schedule.run_due(day, only="releases-soon")
    assert run.ok and run.summary == {"told": 1}
    assert _kinds(scene.world["officer"]) == ["release_soon"]
    assert set(schedule.TASKS) >= {"releases-soon", "outcome-checks-due", "timesheets-late",
                                   "e-mail-digests"}
