"""R20 release plans: opened automatically (daily schedule, CLI; idempotent) and by hand,
parts with status, owner and due date, release recorded with the plan's state;
R21 referrals to partners of the destination region; R23 outcomes."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.core.vocabulary import LegalStatus, PartStatus, PlanPartKind, ReferralStatus, Role
from app.extensions import db
from app.inmates.operations import release_inmate
from app.reintegration import operations as ops
from app.reintegration.models import OutcomeCheck, PartnerOrganisation, ReleasePlan
from tests import factories
from tests.factories import ApiClient
from tests.reintegration.conftest import TODAY, refer


def _plans() -> list[ReleasePlan]:
    return list(db.session.scalars(sa.select(ReleasePlan).order_by(ReleasePlan.id)))


def test_plans_open_within_the_set_months_once(app, world):
    soon = factories.inmate(world["institution"], release_date=TODAY + timedelta(days=150))
    factories.inmate(world["institution"], release_date=TODAY + timedelta(days=400))
    factories.inmate(world["institution"], legal_status=LegalStatus.REMAND, convicted_on=None,
                     release_date=TODAY + timedelta(days=30))
    assert ops.open_due_plans(TODAY) == 1
    assert ops.open_due_plans(TODAY) == 0  # idempotent
    plan = ops.plan_of(soon.id)
    assert plan.opened_automatically and plan.opened_on == TODAY
    assert [p.kind for p in plan.parts] == [k for k in PlanPartKind if k not in ops.NEED_PARTS]
    assert all(p.status == PartStatus.NEEDED for p in plan.parts)
    assert plan.destination_region_id == world["region"].id
    # the months are a setting per year (R20)
    ops.save_settings(TODAY.year, {"plan_months_before_release": 18,
                                   "partner_access_months": 12})
    assert ops.open_due_plans(TODAY) == 1
    assert len(_plans()) == 2


def test_cli_opens_due_plans(app, world):
    factories.inmate(world["institution"], release_date=TODAY + timedelta(days=20))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["open-release-plans"])
    assert "Release plans opened: 1" in result.output
    assert "Release plans opened: 0" in runner.invoke(args=["open-release-plans"]).output
    events = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "ReleasePlan")).all()
    assert [e.actor for e in events] == ["open-release-plans"]


def test_officer_home_lists_open_parts_and_writes_nothing(officer_client, world):
    near = factories.inmate(world["institution"], last_name="Nearov",
                            release_date=TODAY + timedelta(days=45))
    factories.inmate(world["institution"], last_name="Laterov",
                     release_date=TODAY + timedelta(days=150))
    factories.inmate(world["institution"], last_name="Farov",
                     release_date=TODAY + timedelta(days=300))
    html = officer_client.get("/officer").get_data(as_text=True)
    panel = html.split('id="release-plans"')[1].split("</table>")[0]
    assert "Nearov" in panel and "Laterov" in panel and "Farov" not in panel
    assert "(1 within 90 days)" in html
    # A GET writes nothing: the daily schedule opens the plans (app/reintegration/daily.py).
    assert ops.plan_of(near.id) is None and _plans() == []
    from app.jobs.schedule import run_due

    run_due(TODAY, only="open-release-plans")
    assert ops.plan_of(near.id) is not None
    assert "Nearov" in officer_client.get("/officer").get_data(as_text=True)


def test_open_by_hand_earlier_and_refusals(app, world):
    officer = ApiClient(app, world["officer"])
    later = factories.inmate(world["institution"], release_date=TODAY + timedelta(days=600))
    opened = officer.post("/api/release-plans", json={"inmate_id": later.id})
    assert opened.status_code == 201 and not opened.json["opened_automatically"]
    assert officer.post("/api/release-plans", json={"inmate_id": later.id}).status_code == 409
    remand = factories.inmate(world["institution"], legal_status=LegalStatus.REMAND,
                              convicted_on=None)
    refused = officer.post("/api/release-plans", json={"inmate_id": remand.id})
    assert refused.status_code == 422 and refused.json["message"].startswith("R20")
    away = factories.inmate(world["other_institution"])
    assert officer.post("/api/release-plans", json={"inmate_id": away.id}).status_code == 422
    assert ApiClient(app, world["prosecutor"]).post(
        "/api/release-plans", json={"inmate_id": later.id}).status_code == 403


def test_parts_status_owner_due_and_audit(app, scene):
    officer = ApiClient(app, scene.world["officer"])
    plan = scene.plan
    job = plan.parts[0]
    url = f"/api/release-plans/{plan.id}/parts/{job.id}"
    refused = officer.patch(url, json={"status": "not_arranged"})
    assert refused.status_code == 422 and "reason" in refused.json["errors"]
    done = officer.patch(url, json={"status": "not_arranged", "reason": "No jobs in the village",
                                    "due_on": (TODAY + timedelta(days=10)).isoformat()})
    assert done.status_code == 200 and done.json["reason"] == "No jobs in the village"
    # an owner must be an organisation the part is referred to
    assert officer.patch(url, json={"owner_partner_id": scene.centre.id}).status_code == 422
    events = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "PlanPart", AuditEvent.action == "update")).all()
    assert events and events[-1].actor == scene.world["officer"].email
    # officers of another institution and prosecutors cannot change it
    assert ApiClient(app, scene.world["other_officer"]).patch(
        url, json={"status": "arranged"}).status_code == 404
    assert ApiClient(app, scene.world["prosecutor"]).get(
        f"/api/release-plans/{plan.id}").status_code == 200
    assert ApiClient(app, scene.world["other_prosecutor"]).get(
        f"/api/release-plans/{plan.id}").status_code == 404


def test_referral_only_to_a_partner_of_the_destination_region(app, scene):
    officer = ApiClient(app, scene.world["officer"])
    url = f"/api/release-plans/{scene.plan.id}/referrals"
    parts = [scene.plan.parts[0].id]
    wrong = officer.post(url, json={"partner_id": scene.faraway.id, "part_ids": parts})
    assert wrong.status_code == 422 and wrong.json["message"].startswith("R21")
    # moving the destination to Pavlodar makes the Pavlodar centre the right one
    moved = officer.patch(f"/api/release-plans/{scene.plan.id}",
                          json={"destination_locality": "Pavlodar",
                                "destination_region_id": scene.world["other_region"].id})
    assert moved.status_code == 200
    sent = officer.post(url, json={"partner_id": scene.faraway.id, "part_ids": parts})
    assert sent.status_code == 201 and sent.json["status"] == "sent"
    assert sent.json["parts"] == ["job"]


def test_referral_page_flow_and_overdue_on_both_sides(app, scene, officer_client,
                                                      partner_client):
    plan = scene.plan
    response = officer_client.post(f"/release-plans/{plan.id}/referrals", data={
        "partner_id": scene.centre.id, "part_ids": [plan.parts[0].id, plan.parts[1].id],
        "due_on": TODAY.isoformat(), "note": "Job and bed"})
    assert response.status_code == 302
    referral = ops.referrals_of(plan)[0]
    page = partner_client.get(f"/partner/referrals/{referral.id}")
    assert page.status_code == 200 and "Job and bed" in page.get_data(as_text=True)
    assert partner_client.post(f"/partner/referrals/{referral.id}/accept").status_code == 302
    assert partner_client.post(f"/partner/referrals/{referral.id}/questions",
                               data={"text": "Which town exactly?"}).status_code == 302
    recorded = partner_client.post(f"/partner/referrals/{referral.id}/arranged", data={
        f"status_{plan.parts[1].id}": "arranged", f"note_{plan.parts[1].id}": "Bed at centre",
        f"status_{plan.parts[0].id}": "not_arranged", f"reason_{plan.parts[0].id}": "",
        "arranged": "Bed"})
    assert recorded.status_code == 422  # a reason is needed; nothing written
    db.session.expire_all()
    assert ops.plan_of(scene.leaving.id).parts[1].status == PartStatus.IN_PROGRESS
    recorded = partner_client.post(f"/partner/referrals/{referral.id}/arranged", data={
        f"status_{plan.parts[1].id}": "arranged", f"note_{plan.parts[1].id}": "Bed at centre",
        "arranged": "Bed"})
    assert recorded.status_code == 302
    db.session.expire_all()
    stored = ops.plan_of(scene.leaving.id)
    assert stored.parts[1].status == PartStatus.ARRANGED
    assert stored.parts[1].owner_partner_id == scene.centre.id
    # due today, so overdue from tomorrow: read for a later day
    assert not ops.is_overdue(ops.referrals_of(stored)[0], TODAY)
    assert ops.is_overdue(ops.referrals_of(stored)[0], TODAY + timedelta(days=1))
    referral_row = ops.referrals_of(stored)[0]
    referral_row.due_on = TODAY - timedelta(days=1)
    db.session.commit()
    assert "overdue" in partner_client.get("/partner/").get_data(as_text=True)
    officer_page = officer_client.get(f"/release-plans/{plan.id}").get_data(as_text=True)
    assert "overdue" in officer_page and "Which town exactly?" in officer_page
    assert officer_client.post(f"/release-plans/{plan.id}/referrals/{referral.id}/messages",
                               data={"text": "Temirtau"}).status_code == 302
    assert "Temirtau" in partner_client.get(
        f"/partner/referrals/{referral.id}").get_data(as_text=True)


def test_release_records_the_plan_state_and_outcomes(app, scene, partner_api):
    referral = refer(scene.plan, scene.centre, scene.world["officer"])
    partner_api.post(f"/api/partner/referrals/{referral.id}/accept")
    early = partner_api.post(f"/api/partner/referrals/{referral.id}/outcomes",
                             json={"months": 1, "situations": ["housed"]})
    assert early.status_code == 422  # in plain words for a partner: no rule number
    assert early.json["message"] == "the person has not been released yet"
    with factories.acting_as(scene.world["officer"]):
        release_inmate(scene.leaving, TODAY)
        db.session.commit()
    db.session.expire_all()
    plan = ops.plan_of(scene.leaving.id)
    assert plan.released_on == TODAY and plan.complete_at_release is False
    assert "job" in plan.open_parts_at_release and plan.job_at_release is False
    view = partner_api.get(f"/api/partner/referrals/{referral.id}").json
    assert view["released"] and [o["state"] for o in view["outcomes"]] == ["not_due"] * 4
    # an outcome is recorded when known, never required; the check date not in the future
    future = partner_api.post(f"/api/partner/referrals/{referral.id}/outcomes", json={
        "months": 1, "situations": ["housed"],
        "checked_on": (TODAY + timedelta(days=1)).isoformat()})
    assert future.status_code == 422
    ok = partner_api.post(f"/api/partner/referrals/{referral.id}/outcomes",
                          json={"months": 1, "situations": ["housed", "employed"]})
    assert ok.status_code == 201
    assert ok.json["outcomes"][0]["situations"] == ["housed", "employed"]
    again = partner_api.post(f"/api/partner/referrals/{referral.id}/outcomes",
                             json={"months": 1, "situations": ["lost_contact"]})
    assert again.status_code == 409
    check = db.session.scalar(sa.select(OutcomeCheck))
    assert check.recorded_by_partner_id == scene.centre.id and check.housed and check.employed
    # the plan is kept as it was at release
    officer = ApiClient(app, scene.world["officer"])
    assert officer.patch(f"/api/release-plans/{plan.id}/parts/{plan.parts[0].id}",
                         json={"status": "arranged"}).status_code == 409


def test_missing_outcomes_are_shown_as_missing(app, scene):
    with factories.acting_as(scene.world["officer"]):
        release_inmate(scene.leaving, TODAY)
        db.session.commit()
    plan = ops.plan_of(scene.leaving.id)
    plan.released_on = TODAY - timedelta(days=100)  # released over three months ago
    db.session.commit()
    grid = ops.outcome_grid(plan, TODAY)
    assert [row["state"] for row in grid] == ["missing", "missing", "not_due", "not_due"]
    assert not db.session.scalars(sa.select(OutcomeCheck)).all()  # nothing invented
    html = ApiClient(app, scene.world["officer"]).get(
        f"/api/release-plans/{plan.id}/outcomes").json
    assert [row["state"] for row in html] == ["missing", "missing", "not_due", "not_due"]


def test_release_without_a_plan_is_recorded(app, world):
    inmate = factories.inmate(world["institution"], release_date=TODAY + timedelta(days=900))
    with factories.acting_as(world["officer"]):
        release_inmate(inmate, TODAY)
        db.session.commit()
    plan = ops.plan_of(inmate.id)
    assert plan.released_on == TODAY and plan.complete_at_release is False
    remand = factories.inmate(world["institution"], legal_status=LegalStatus.REMAND,
                              convicted_on=None)
    with factories.acting_as(world["officer"]):
        release_inmate(remand, TODAY)
        db.session.commit()
    assert ops.plan_of(remand.id) is None


@pytest.mark.parametrize("page", ["/release-plans/", "/release-plans/?show=released"])
def test_plans_list_is_scoped(app, scene, page, other_officer_client, officer_client):
    assert "Leavingov" in officer_client.get(page.replace("released", "all")).get_data(
        as_text=True)
    assert "Leavingov" not in other_officer_client.get(page).get_data(as_text=True)


def test_admin_registers_partner_organisations_and_users(admin_client, world, officer_client):
    created = admin_client.post("/admin/partners/", data={
        "name": "Temirtau NGO (invented)", "kind": "ngo",
        "region_ids": [world["region"].id]})
    assert created.status_code == 302
    org = db.session.scalar(sa.select(PartnerOrganisation))
    assert [r.name for r in org.regions] == ["Karaganda"]
    no_region = admin_client.post("/admin/partners/", data={"name": "X", "kind": "ngo"})
    assert no_region.status_code == 422
    user = admin_client.post(f"/admin/partners/{org.id}/users", data={
        "email": "ngo@example.kz", "full_name": "NGO worker", "password": "long-enough-1"})
    assert user.status_code == 302
    from app.auth.operations import find_user_by_email

    created_user = find_user_by_email("ngo@example.kz")
    assert created_user.role == Role.PARTNER and created_user.partner_id == org.id
    settings = admin_client.post(f"/admin/partners/settings/{TODAY.year}", data={
        "plan_months_before_release": "8", "partner_access_months": "6"})
    assert settings.status_code == 302
    assert ops.settings_of(TODAY.year).plan_months_before_release == 8
    assert ops.settings_of(TODAY.year + 1).partner_access_months == 6  # carried over
    assert officer_client.get("/admin/partners/").status_code == 403


def test_referred_status_flow_refusals(app, scene, partner_api):
    referral = refer(scene.plan, scene.centre, scene.world["officer"])
    url = f"/api/partner/referrals/{referral.id}"
    not_yet = partner_api.post(f"{url}/arranged", json={"arranged": "x"})
    assert not_yet.status_code == 409
    assert partner_api.post(f"{url}/accept").status_code == 200
    assert partner_api.post(f"{url}/accept").status_code == 409
    db.session.expire_all()
    assert ops.referrals_of(scene.plan)[0].status == ReferralStatus.ACCEPTED
