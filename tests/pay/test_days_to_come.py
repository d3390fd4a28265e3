"""R24 with R32: hours belong to days that have come (Kazakhstan's day). A
timesheet refuses hours or an absence on a later day, naming it, through the
API, the page, the import and the workshop fill; a month is approved up to
today with the rest locked, and a version holding a later day is never paid."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.pay import operations as ops
from app.pay.models import Payslip, Timesheet, TimesheetStatus
from policy import pay as law
from policy.clock import KAZAKHSTAN
from tests import factories
from tests.conftest import login
from tests.factories import ApiClient
from tests.pay.conftest import confirm_years

DECEMBER = date(2026, 12, 1)
# 7 December 2026, 12:00 in Kazakhstan (UTC+5); 20:00 UTC is already the 8th there.
SEVENTH = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
EIGHTH_IN_KAZAKHSTAN = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)


@pytest.fixture
def december(app, world):
    """A worker placed since October 2026 and the pay settings of 2026 confirmed,
    on 7 December 2026."""
    with time_machine.travel(SEVENTH, tick=False):
        inmate = factories.inmate(world["institution"], admission_date=date(2024, 1, 1),
                                  convicted_on=date(2023, 12, 1))
        vacancy = factories.vacancy(world["employer"], world["institution"],
                                    monthly_wage=170_000, start_date=date(2024, 1, 1))
        placement = factories.placement(inmate, vacancy, start_date=date(2026, 10, 1))
        confirm_years(2026)
        yield placement


def _weekdays(until: int = 31) -> dict[str, dict[str, str]]:
    return {str(d.day): {"hours": "8"} for d in law.month_days(DECEMBER)
            if d.weekday() < 5 and d.day <= until}


def _open(api, placement) -> int:
    response = api.post("/api/timesheets", json={"placement_id": placement.id,
                                                 "month": "2026-12"})
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_the_api_refuses_hours_on_days_that_have_not_come(app, world, december):
    employer = ApiClient(app, world["employer_user"])
    sheet_id = _open(employer, december)
    whole_month = employer.put(f"/api/timesheets/{sheet_id}/days",
                               json={"days": _weekdays()})  # 184 h, as in the finding
    assert whole_month.status_code == 422
    refused = whole_month.json["errors"]
    assert "days.8" in refused and "days.31" in refused and "days.7" not in refused
    absence = employer.put(f"/api/timesheets/{sheet_id}/days",
                           json={"days": {"9": {"absence": "rest_day"}}})
    assert absence.status_code == 422 and "days.9" in absence.json["errors"]
    assert db.session.get(Timesheet, sheet_id).total_hours == 0  # nothing written
    up_to_today = employer.put(f"/api/timesheets/{sheet_id}/days",
                               json={"days": _weekdays(until=7)})
    assert up_to_today.status_code == 200 and float(up_to_today.json["total_hours"]) == 40


def test_the_day_is_kazakhstans(app, world, december):
    with time_machine.travel(EIGHTH_IN_KAZAKHSTAN, tick=False):
        employer = ApiClient(app, world["employer_user"])
        sheet_id = _open(employer, december)
        eighth = employer.put(f"/api/timesheets/{sheet_id}/days",
                              json={"days": {"8": {"hours": "8"}}})
        assert eighth.status_code == 200, eighth.json
        ninth = employer.put(f"/api/timesheets/{sheet_id}/days",
                             json={"days": {"9": {"hours": "8"}}})
        assert ninth.status_code == 422 and list(ninth.json["errors"]) == ["days.9"]


def test_a_month_is_approved_up_to_today_with_the_rest_locked(app, world, december):
    employer, officer = ApiClient(app, world["employer_user"]), ApiClient(app, world["officer"])
    sheet_id = _open(employer, december)
    employer.put(f"/api/timesheets/{sheet_id}/days", json={"days": _weekdays(until=7)})
    approved = officer.post(f"/api/timesheets/{sheet_id}/approve")
    assert approved.status_code == 200, approved.json
    payslip = officer.get(f"/api/timesheets/{sheet_id}/payslip").json
    assert payslip["hours"] == 40  # the days that have come, nothing more
    # The rest of the month stays locked in the correction too, until its days come.
    correction = employer.post(f"/api/timesheets/{sheet_id}/corrections",
                               json={"reason": "the second week"}).json
    later = employer.put(f"/api/timesheets/{correction['id']}/days",
                         json={"days": _weekdays(until=14), "replace": True})
    assert later.status_code == 422 and "days.8" in later.json["errors"]


def test_a_version_holding_a_later_day_is_never_paid(app, world, december):
    """Days written before this rule (or by hand) are refused at approval too, one
    version or the whole month at once: nothing is booked."""
    officer = ApiClient(app, world["officer"])
    sheet_id = _open(officer, december)
    sheet = db.session.get(Timesheet, sheet_id)
    sheet.days = {"3": {"hours": "8", "absence": None}, "15": {"hours": "8", "absence": None}}
    sheet.total_hours, sheet.status = 16, TimesheetStatus.SUBMITTED
    db.session.commit()
    refused = officer.post(f"/api/timesheets/{sheet_id}/approve")
    assert refused.status_code == 422 and "days.15" in refused.json["errors"]
    whole_month = officer.post("/api/timesheets/approvals", json={"month": "2026-12"})
    assert whole_month.status_code == 422 and "days.15" in whole_month.json["errors"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Payslip)) == 0


def test_the_page_locks_the_days_to_come_and_names_a_refused_one(app, world, december):
    officer = app.test_client()
    login(officer, world["officer"])
    sheet = ops.open_timesheet(december, DECEMBER, None)
    db.session.commit()
    page = officer.get(f"/pay/timesheets/{sheet.id}").get_data(as_text=True)
    seventh = page.split('name="hours_7"')[1].split(">")[0]
    eighth = page.split('name="hours_8"')[1].split(">")[0]
    assert "disabled" not in seventh and "disabled" in eighth
    refused = officer.post(f"/pay/timesheets/{sheet.id}", data={"hours_7": "8", "hours_8": "8"})
    assert refused.status_code == 422
    summary = refused.get_data(as_text=True).split('class="error-summary"')[1]
    eighth_day = app.jinja_env.filters["day"](date(2026, 12, 8))
    assert f'<a href="#hours_8">{eighth_day}: this day has not come yet' in summary


def test_the_import_and_the_workshop_fill_keep_to_days_that_have_come(app, world, december):
    employer = ApiClient(app, world["employer_user"])
    header = ["placement_id", *[str(n) for n in range(1, 32)]]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, restval="")
    writer.writeheader()
    writer.writerow({"placement_id": december.id, **{n: v["hours"] for n, v in
                                                      _weekdays().items()}})
    response = employer.post("/api/timesheets/import", data={
        "month": "2026-12", "dry_run": "false",
        "file": (io.BytesIO(out.getvalue().encode()), "sheet.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    columns = {p["column"] for p in response.json["problems"]}
    assert columns == {n for n in _weekdays() if int(n) > 7}
    filled = employer.post("/api/timesheets/bulk", json={
        "vacancy_id": december.vacancy_id, "month": "2026-12", "hours_per_day": "8"})
    assert filled.status_code == 200, filled.json
    assert [float(t["total_hours"]) for t in filled.json] == [40]


class _Discard(Exception):
    """Leaves a savepoint without keeping what an example wrote."""


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moment=st.datetimes(min_value=datetime(2026, 11, 30, 12), max_value=datetime(2027, 1, 2)),
       number=st.integers(1, 31), absence=st.booleans())
def test_any_moment_any_day_only_days_that_have_come_take_an_entry(
        app, world, december, moment, number, absence):
    """Property: at any moment, an entry on a day of December is refused, naming
    the day, exactly when that day is after today in Kazakhstan."""
    sheet = ops.open_timesheet(december, DECEMBER, None)
    entry = {"absence": "rest_day"} if absence else {"hours": "7.5"}
    with time_machine.travel(moment.replace(tzinfo=UTC), tick=False):
        kazakhstan_day = moment.replace(tzinfo=UTC).astimezone(KAZAKHSTAN).date()
        refused: set[str] = set()
        try:
            with db.session.begin_nested():
                ops.fill_timesheet(sheet, {number: entry})
                raise _Discard
        except ops.TimesheetRefused as error:
            refused = set(error.errors)
        except _Discard:
            pass
    assert refused == ({f"days.{number}"} if date(2026, 12, number) > kazakhstan_day
                       else set())
