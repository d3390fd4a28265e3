"""R24 timesheets through the API: employers fill and submit their workers'
months, officers approve and lock them, a correction is a new audited version,
R16 hides health reasons from employers."""

import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.core.vocabulary import Role
from app.extensions import db
from app.pay.models import Timesheet, TimesheetStatus
from policy import pay as law
from tests import factories
from tests.factories import ApiClient
from tests.pay.conftest import LAST_MONTH, working_days

MONTH = LAST_MONTH.strftime("%Y-%m")


def _open(api, placement_id, month=MONTH):
    return api.post("/api/timesheets", json={"placement_id": placement_id, "month": month})


def test_employer_fills_submits_and_officer_approves(app, world, worker, confirmed):
    placement, inmate, _vacancy = worker
    employer, officer = ApiClient(app, world["employer_user"]), ApiClient(app, world["officer"])
    created = _open(employer, placement.id)
    assert created.status_code == 201, created.json
    sheet_id = created.json["id"]
    days = working_days()
    response = employer.put(f"/api/timesheets/{sheet_id}/days", json={"days": days})
    assert response.status_code == 200, response.json
    assert float(response.json["total_hours"]) == 8 * law.working_days(LAST_MONTH)
    assert employer.post(f"/api/timesheets/{sheet_id}/submit").json["status"] == "submitted"
    assert employer.post(f"/api/timesheets/{sheet_id}/approve").status_code == 403
    approved = officer.post(f"/api/timesheets/{sheet_id}/approve")
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "approved"
    # Locked: no edit in place.
    again = employer.put(f"/api/timesheets/{sheet_id}/days", json={"days": {}})
    assert again.status_code == 409
    # A full month at the full wage pays the wage.
    payslip = officer.get(f"/api/timesheets/{sheet_id}/payslip").json
    assert payslip["time_pay"] == 170_000
    account = officer.get(f"/api/inmates/{inmate.id}/account").json
    assert account["balance"] == payslip["net"] == 170_000 - payslip["deducted"]


def test_approval_waits_for_confirmed_pay_settings(app, world, worker):
    placement, _inmate, _vacancy = worker
    officer = ApiClient(app, world["officer"])
    sheet_id = _open(officer, placement.id).json["id"]
    officer.put(f"/api/timesheets/{sheet_id}/days", json={"days": working_days()})
    response = officer.post(f"/api/timesheets/{sheet_id}/approve")
    assert response.status_code == 409
    assert "R25" in response.json["message"]
    assert db.session.get(Timesheet, sheet_id).status == TimesheetStatus.DRAFT


def test_correction_is_a_new_audited_version(app, world, worker, confirmed):
    placement, inmate, _vacancy = worker
    officer = ApiClient(app, world["officer"])
    sheet_id = _open(officer, placement.id).json["id"]
    officer.put(f"/api/timesheets/{sheet_id}/days", json={"days": working_days()})
    officer.post(f"/api/timesheets/{sheet_id}/approve")
    first_balance = officer.get(f"/api/inmates/{inmate.id}/account").json["balance"]
    assert officer.post(f"/api/timesheets/{sheet_id}/corrections", json={}).status_code == 422
    fixed = officer.post(f"/api/timesheets/{sheet_id}/corrections",
                         json={"reason": "two days were rest days"})
    assert fixed.status_code == 201
    new_id = fixed.json["id"]
    assert fixed.json["version"] == 2 and fixed.json["status"] == "draft"
    first_two = sorted(working_days(), key=int)[:2]
    officer.put(f"/api/timesheets/{new_id}/days", json={
        "replace": False, "days": {n: {"hours": 0, "absence": "rest_day"} for n in first_two}})
    assert officer.post(f"/api/timesheets/{new_id}/approve").status_code == 200
    old = db.session.get(Timesheet, sheet_id)
    assert old.status == TimesheetStatus.SUPERSEDED
    assert old.total_hours == 8 * law.working_days(LAST_MONTH)  # never edited in place
    account = officer.get(f"/api/inmates/{inmate.id}/account").json
    kinds = [e["kind"] for e in account["entries"]]
    assert "reversal" in kinds
    new_net = officer.get(f"/api/timesheets/{new_id}/payslip").json["net"]
    assert account["balance"] == new_net < first_balance
    versions = officer.get(f"/api/timesheets/{new_id}/versions").json
    assert [v["version"] for v in versions] == [2, 1]
    audited = db.session.scalars(sa.select(AuditEvent.entity_id).where(
        AuditEvent.entity_type == "Timesheet")).all()
    assert {str(sheet_id), str(new_id)} <= set(audited)


def test_days_are_checked(app, world, worker, confirmed):
    placement, _inmate, _vacancy = worker
    employer = ApiClient(app, world["employer_user"])
    sheet_id = _open(employer, placement.id).json["id"]
    response = employer.put(f"/api/timesheets/{sheet_id}/days", json={"days": {
        "3": {"hours": 8}, "4": {"hours": "7.1"}, "5": {"hours": 4, "absence": "refused"}}})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"days.4", "days.5"}
    assert db.session.get(Timesheet, sheet_id).days == {}  # nothing written
    too_long = employer.put(f"/api/timesheets/{sheet_id}/days",
                            json={"days": {"3": {"hours": 25}}})
    assert too_long.status_code == 422 and "days" in too_long.json["errors"]
    bad_day = employer.put(f"/api/timesheets/{sheet_id}/days",
                           json={"days": {str(len(law.month_days(LAST_MONTH)) + 1): {"hours": 1}}})
    assert bad_day.status_code == 422


def test_employer_never_sees_or_records_sickness(app, world, worker, confirmed):
    placement, _inmate, _vacancy = worker
    officer, employer = ApiClient(app, world["officer"]), ApiClient(app, world["employer_user"])
    sheet_id = _open(officer, placement.id).json["id"]
    officer.put(f"/api/timesheets/{sheet_id}/days", json={"days": {"2": {"absence": "sick"}}})
    seen = employer.get(f"/api/timesheets/{sheet_id}")
    assert seen.json["days"]["2"]["absence"] == "excused"
    assert "sick" not in seen.get_data(as_text=True)
    assert "sick" not in employer.get(f"/api/timesheets?month={MONTH}").get_data(as_text=True)
    # The employer saving the month keeps the institution's reason.
    response = employer.put(f"/api/timesheets/{sheet_id}/days", json={
        "days": {"2": {"absence": "excused"}, "3": {"hours": 8}}})
    assert response.status_code == 200
    assert db.session.get(Timesheet, sheet_id).days["2"]["absence"] == "sick"
    refused = employer.put(f"/api/timesheets/{sheet_id}/days",
                           json={"days": {"4": {"absence": "sick"}}})
    assert refused.status_code == 422


def test_scope(app, world, worker, confirmed):
    placement, _inmate, _vacancy = worker
    other_employer = ApiClient(app, factories.user(Role.EMPLOYER,
                                                   employer_id=factories.employer().id))
    assert _open(other_employer, placement.id).status_code == 404
    sheet_id = _open(ApiClient(app, world["officer"]), placement.id).json["id"]
    assert other_employer.get(f"/api/timesheets/{sheet_id}").status_code == 404
    assert ApiClient(app, world["other_officer"]).get(
        f"/api/timesheets/{sheet_id}").status_code == 404
    prosecutor = ApiClient(app, world["prosecutor"])
    assert prosecutor.get(f"/api/timesheets/{sheet_id}").status_code == 200
    assert prosecutor.post(f"/api/timesheets/{sheet_id}/approve").status_code == 403


def test_future_month_and_inactive_placement_refused(app, world, worker, confirmed):
    placement, _inmate, _vacancy = worker
    officer = ApiClient(app, world["officer"])
    future = law.next_month(law.next_month(LAST_MONTH)).strftime("%Y-%m")
    assert _open(officer, placement.id, future).status_code == 422
    assert _open(officer, placement.id, "2019-01").status_code == 422


def test_bulk_fill_for_a_workshop(app, world, worker, confirmed):
    placement, _inmate, vacancy = worker
    second = factories.placement(factories.inmate(world["institution"]), vacancy,
                                 start_date=placement.start_date)
    employer = ApiClient(app, world["employer_user"])
    response = employer.post("/api/timesheets/bulk", json={
        "vacancy_id": vacancy.id, "month": MONTH, "hours_per_day": "7.5"})
    assert response.status_code == 200, response.json
    assert {t["placement_id"] for t in response.json} == {placement.id, second.id}
    expected = 7.5 * law.working_days(LAST_MONTH)
    assert all(float(t["total_hours"]) == expected for t in response.json)


def test_a_month_approved_at_once(app, world, worker, confirmed):
    placement, inmate, vacancy = worker
    second = factories.placement(factories.inmate(world["institution"]), vacancy,
                                 start_date=placement.start_date)
    employer, officer = ApiClient(app, world["employer_user"]), ApiClient(app, world["officer"])
    employer.post("/api/timesheets/bulk", json={"vacancy_id": vacancy.id, "month": MONTH,
                                                 "hours_per_day": 8})
    sheets = employer.get(f"/api/timesheets?month={MONTH}").json
    employer.post(f"/api/timesheets/{sheets[0]['id']}/submit")  # the other stays a draft
    response = officer.post("/api/timesheets/approvals", json={"month": MONTH})
    assert response.status_code == 200 and response.json["approved"] == 1
    statuses = {t["placement_id"]: t["status"]
                for t in officer.get(f"/api/timesheets?month={MONTH}").json}
    assert sorted(statuses.values()) == ["approved", "draft"]
    assert {placement.id, second.id} == set(statuses)
    audited = db.session.scalars(sa.select(AuditEvent.after).where(
        AuditEvent.entity_type == "Timesheet", AuditEvent.entity_id == str(sheets[0]["id"]),
        AuditEvent.action == "update")).all()
    assert any(after.get("status") == "approved" for after in audited)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.entity_type == "Payslip")) == 0  # pay is derived from the audited month
