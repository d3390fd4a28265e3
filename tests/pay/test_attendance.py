"""The day's attendance and unlock list (app/pay/attendance.py): who is due at which
workshop and shift, marked present or absent with a reason, each mark filling that
day of the month's timesheet; never a day to come, never an approved month; officers
of the institution and the employer for its own workers, nobody else."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine

from app.core.audit import AuditEvent
from app.core.vocabulary import Role, SuspensionReason
from app.extensions import db
from app.pay import operations as ops
from app.pay.models import AttendanceMark, Timesheet
from app.placements import suspensions
from policy import pay as law
from tests import factories
from tests.conftest import login
from tests.factories import ApiClient
from tests.pay.conftest import confirm_years

# Wednesday 9 December 2026, noon in Kazakhstan.
NOON = datetime(2026, 12, 9, 7, 0, tzinfo=UTC)
TODAY, YESTERDAY, TOMORROW = date(2026, 12, 9), date(2026, 12, 8), date(2026, 12, 10)
SATURDAY = date(2026, 12, 12)


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False):
        yield


def _worker(world, institution=None, last_name="Ахметов", vacancy=None, **fields):
    institution = institution or world["institution"]
    inmate = factories.inmate(institution, admission_date=date(2024, 1, 1),
                              convicted_on=date(2023, 12, 1), last_name=last_name)
    vacancy = vacancy or factories.vacancy(world["employer"], institution, title="Швейный цех",
                                           monthly_wage=170_000, start_date=date(2024, 1, 1),
                                           **fields)
    return factories.placement(inmate, vacancy, start_date=date(2026, 10, 1))


@pytest.fixture
def scene(app, world, clock):
    """Two workers at Dolinka (one suspended from yesterday), one at the other colony."""
    due = _worker(world)
    away = _worker(world, last_name="Бекова")
    suspensions.suspend(away, SuspensionReason.COURT_VISIT, YESTERDAY, None, "", None)
    other = _worker(world, world["other_institution"], last_name="Серов")
    confirm_years(2026)
    db.session.commit()
    return {"due": due, "away": away, "other": other}


def _sheet(placement, month=date(2026, 12, 1)):
    return db.session.scalar(sa.select(Timesheet).where(
        Timesheet.placement_id == placement.id, Timesheet.month == month))


def _mark(api, placement, day=None, **fields):
    mark = {"placement_id": placement.id, "present": True, **fields}
    return api.post("/api/attendance", json={**({"day": day} if day else {}), "marks": [mark]})


def test_the_unlock_list_shows_who_is_due_and_not_the_suspended(app, world, scene):
    listed = ApiClient(app, world["officer"]).get("/api/attendance")
    assert listed.status_code == 200, listed.json
    assert listed.json["day"] == TODAY.isoformat() and listed.json["due_at_work"] is True
    assert [p["placement_id"] for p in listed.json["people"]] == [scene["due"].id]
    line = listed.json["people"][0]
    assert (line["workshop"], line["shift"], line["site"], line["hours"]) == (
        "Швейный цех", "day", "inside", 8.0)
    assert line["mark"] is None and listed.json["suspended"] == 1
    # the day before the suspension both are due; a Saturday nobody
    before = ApiClient(app, world["officer"]).get("/api/attendance?day=2026-12-07").json
    assert len(before["people"]) == 2
    rest = ApiClient(app, world["officer"]).get(f"/api/attendance?day={SATURDAY}").json
    assert rest["people"] == [] and rest["due_at_work"] is False


def test_marks_fill_the_days_of_the_timesheet(app, world, scene):
    officer = ApiClient(app, world["officer"])
    present = _mark(officer, scene["due"])
    assert present.status_code == 200, present.json
    absent = _mark(officer, scene["due"], day=YESTERDAY.isoformat(), present=False,
                   absence="disciplinary")
    assert absent.status_code == 200, absent.json
    sheet = _sheet(scene["due"])
    assert sheet.days == {"9": {"hours": "8", "absence": None},
                          "8": {"hours": "0", "absence": "disciplinary"}}
    assert sheet.total_hours == 8
    # marking again changes the mark and the day, audited
    again = _mark(officer, scene["due"], present=False, absence="other", note="на свидании")
    assert again.status_code == 200, again.json
    db.session.expire_all()
    assert _sheet(scene["due"]).days["9"] == {"hours": "0", "absence": "other"}
    assert _sheet(scene["due"]).total_hours == 0
    mark = db.session.scalar(sa.select(AttendanceMark).where(AttendanceMark.day == TODAY))
    assert (mark.present, mark.absence, mark.note) == (False, "other", "на свидании")
    events = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "AttendanceMark")).all()
    assert {e.action for e in events} >= {"create", "update"}
    listed = officer.get("/api/attendance").json["people"][0]["mark"]
    assert listed["absence"] == "other" and listed["note"] == "на свидании"


def test_a_part_time_shift_writes_its_own_hours(app, world, clock):
    placement = _worker(world, weekly_hours=36)
    confirm_years(2026)
    response = _mark(ApiClient(app, world["officer"]), placement)
    assert response.status_code == 200, response.json
    assert _sheet(placement).days["9"]["hours"] == "7.25"
    assert law.shift_hours(36) == 7.25  # 36 / 5 = 7.2, to the nearest quarter
    assert law.shift_hours(20) == 4 and law.shift_hours(38) == 7.5


def test_a_day_to_come_is_refused(app, world, scene):
    response = _mark(ApiClient(app, world["officer"]), scene["due"], day=TOMORROW.isoformat())
    assert response.status_code == 422
    assert "day" in response.json["errors"]
    assert _sheet(scene["due"]) is None


def test_an_approved_month_is_refused_with_the_way_out(app, world, scene):
    november = date(2026, 11, 1)
    sheet = ops.open_timesheet(scene["due"], november, None)
    ops.fill_timesheet(sheet, {30: {"hours": "8"}})
    ops.approve_timesheet(sheet, world["officer"].id)
    db.session.commit()
    response = _mark(ApiClient(app, world["officer"]), scene["due"], day="2026-11-30",
                     present=False, absence="sick")
    assert response.status_code == 409
    message = response.json["errors"]["marks.0.day"][0]
    assert "approved" in message and "correction" in message
    db.session.expire_all()
    assert db.session.get(Timesheet, sheet.id).days == {"30": {"hours": "8", "absence": None}}


def test_a_submitted_month_is_refused(app, world, scene):
    sheet = ops.open_timesheet(scene["due"], date(2026, 12, 1), None)
    ops.submit_timesheet(sheet)
    db.session.commit()
    response = _mark(ApiClient(app, world["officer"]), scene["due"])
    assert response.status_code == 409
    assert "submitted" in response.json["errors"]["marks.0.day"][0]


@pytest.mark.parametrize(("mark", "field"), [
    ({"present": False}, "marks.0.absence"),
    ({"present": False, "absence": "holiday"}, "marks.0.absence"),
    ({"present": False, "absence": "other"}, "marks.0.note"),
    ({"present": True, "absence": "sick"}, "marks.0.absence"),
    ({"present": "maybe"}, "marks.0.present"),
    ({"present": True, "note": "x" * 301}, "marks.0.note"),
])
def test_bad_marks_are_refused_naming_the_field(app, world, scene, mark, field):
    response = ApiClient(app, world["officer"]).post("/api/attendance", json={
        "marks": [{"placement_id": scene["due"].id, **mark}]})
    assert response.status_code == 422, response.json
    assert field in _fields(response.json["errors"])
    assert _sheet(scene["due"]) is None


def test_bad_requests_name_the_field(app, world, scene):
    officer = ApiClient(app, world["officer"])
    assert "day" in officer.post("/api/attendance", json={
        "day": "9 декабря", "marks": [{"placement_id": scene["due"].id, "present": True}]}
    ).json["errors"]
    assert "marks" in officer.post("/api/attendance", json={"marks": []}).json["errors"]
    assert "day" in officer.get("/api/attendance?day=2026-13-40").json["errors"]
    suspended = _mark(officer, scene["away"])
    assert suspended.status_code == 422 and "marks.0.placement_id" in suspended.json["errors"]
    saturday = _mark(officer, scene["due"], day=SATURDAY.isoformat())
    assert saturday.status_code == 422
    # prosecutors and administrators name the institution
    admin = ApiClient(app, world["admin"]).get("/api/attendance")
    assert admin.status_code == 422 and "institution_id" in admin.json["errors"]


def _fields(errors, path=""):
    """The fields an answer's errors name, dotted ("marks.0.note"), whether nested as
    marshmallow gives them or already dotted as the rules do."""
    if not isinstance(errors, dict):
        return {path}
    return set().union(*(_fields(inner, f"{path}.{key}".strip(".")) for key, inner in
                         errors.items()))


def test_only_the_institution_and_the_employer_mark(app, world, scene):
    other_business = factories.employer()
    stranger = factories.user(Role.EMPLOYER, employer_id=other_business.id)
    for user, status in ((world["other_officer"], 404), (stranger, 404),
                         (world["prosecutor"], 403), (world["admin"], 403),
                         (factories.partner_user(world["region"]), 403)):
        response = _mark(ApiClient(app, user), scene["due"])
        assert response.status_code == status, (user.role, response.json)
    assert _sheet(scene["due"]) is None
    assert ApiClient(app, world["other_officer"]).get(
        f"/api/attendance?institution_id={world['institution'].id}").status_code == 404
    assert ApiClient(app, world["other_prosecutor"]).get(
        f"/api/attendance?institution_id={world['institution'].id}").status_code == 404
    # the other colony's officer sees only their own person
    theirs = ApiClient(app, world["other_officer"]).get("/api/attendance").json["people"]
    assert [p["placement_id"] for p in theirs] == [scene["other"].id]
    assert ApiClient(app, stranger).get("/api/attendance").json["people"] == []
    assert ApiClient(app, world["prosecutor"]).get(
        f"/api/attendance?institution_id={world['institution'].id}").status_code == 200


def test_the_employer_marks_its_workers_without_health_or_discipline(app, world, scene):
    employer, officer = ApiClient(app, world["employer_user"]), ApiClient(app, world["officer"])
    for reason in ("sick", "disciplinary"):
        refused = _mark(employer, scene["due"], present=False, absence=reason)
        assert refused.status_code == 422 and "marks.0.absence" in refused.json["errors"]
    assert _mark(officer, scene["due"], present=False, absence="sick").status_code == 200
    shown = employer.get("/api/attendance").json
    assert shown["people"][0]["mark"]["absence"] == "excused"
    assert "sick" not in str(shown)
    # "excused" keeps the institution's reason
    assert _mark(employer, scene["due"], present=False, absence="excused").status_code == 200
    db.session.expire_all()
    assert _sheet(scene["due"]).days["9"]["absence"] == "sick"
    # on a day without one it is kept as "other"
    assert _mark(employer, scene["due"], day=YESTERDAY.isoformat(), present=False,
                 absence="excused").status_code == 200
    db.session.expire_all()
    assert _sheet(scene["due"]).days["8"]["absence"] == "other"
    assert _mark(employer, scene["due"]).status_code == 200


# --- the page ----------------------------------------------------------------------------

def _form(placement, choice, **fields):
    return {"day": TODAY.isoformat(), "placement": [str(placement.id)],
            f"mark_{placement.id}": choice,
            **{f"{name}_{placement.id}": value for name, value in fields.items()}}


def test_the_page_marks_in_kazakh_and_keeps_what_was_typed(app, world, scene):
    client = app.test_client()
    login(client, world["officer"])
    client.set_cookie("lang", "kk")
    page = client.get("/pay/attendance?lang=kk")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Ахметов" in text and "Бекова" not in text and "Серов" not in text
    refused = client.post("/pay/attendance?lang=kk", data=_form(
        scene["due"], "absent", absence="other", note=""))
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert f'id="row-{scene["due"].id}" class="has-error"' in text
    assert 'value="absent" form="attendance-form" checked' in text
    assert _sheet(scene["due"]) is None
    saved = client.post("/pay/attendance", data=_form(scene["due"], "absent",
                                                      absence="court_or_visit"))
    assert saved.status_code == 302
    assert _sheet(scene["due"]).days["9"] == {"hours": "0", "absence": "court_or_visit"}
    nothing = client.post("/pay/attendance", data=_form(scene["due"], ""))
    assert nothing.status_code == 422


def test_the_page_for_each_role(app, world, scene):
    client = app.test_client()
    login(client, world["employer_user"])
    text = client.get("/pay/attendance").get_data(as_text=True)
    assert "Ахметов" in text and "Серов" in text  # its workers in both institutions
    login(client, world["prosecutor"])
    chooser = client.get("/pay/attendance")
    assert chooser.status_code == 200 and 'name="institution_id"' in chooser.get_data(
        as_text=True)
    listed = client.get(f"/pay/attendance?institution_id={world['institution'].id}")
    assert "Ахметов" in listed.get_data(as_text=True)
    assert 'name="mark_' not in listed.get_data(as_text=True)  # reads, never marks
    assert client.post("/pay/attendance", data=_form(scene["due"], "present")).status_code == 403
    assert client.get("/pay/attendance?day=notaday").status_code == 422
    login(client, factories.partner_user(world["region"]))
    assert client.get("/pay/attendance").status_code == 403
    login(client, world["other_officer"])
    assert client.post("/pay/attendance", data=_form(scene["due"], "present")).status_code == 404
