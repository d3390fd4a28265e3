"""Timesheets from a spreadsheet (row/column problems, all or nothing) and the
pages of work and pay (thin views over the same operations)."""

import csv
import io

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.pay.models import Timesheet, TimesheetStatus
from policy import pay as law
from tests.conftest import login
from tests.factories import ApiClient
from tests.pay.conftest import LAST_MONTH, working_days

MONTH = LAST_MONTH.strftime("%Y-%m")


def _sheet(rows, month=LAST_MONTH) -> bytes:
    header = ["placement_id", "worker", *[str(n) for n in range(1, len(law.month_days(month))
                                                                + 1)], "bonus"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _upload(client, data, dry_run):
    return client.post("/api/timesheets/import", data={
        "month": MONTH, "dry_run": "true" if dry_run else "false",
        "file": (io.BytesIO(data), "sheet.csv")}, content_type="multipart/form-data")


def test_import_reports_rows_and_columns_and_writes_all_or_nothing(app, world, worker,
                                                                   confirmed):
    placement, _inmate, _vacancy = worker
    employer = ApiClient(app, world["employer_user"])
    good = {"placement_id": placement.id, **{n: "8" for n in working_days()}, "bonus": "500"}
    bad = dict(good, **{"2": "lots"}, bonus="-1")
    response = _upload(employer, _sheet([bad, {"placement_id": 999999, "1": "8"}]), False)
    assert response.status_code == 422
    problems = {(p["row"], p["column"]) for p in response.json["problems"]}
    assert problems == {(2, "2"), (2, "bonus"), (3, "placement_id")}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Timesheet)) == 0

    checked = _upload(employer, _sheet([good]), True)
    assert checked.status_code == 200 and checked.json["committed"] is False
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Timesheet)) == 0
    done = _upload(employer, _sheet([good]), False)
    assert done.status_code == 200 and done.json["committed"] is True
    sheet = db.session.scalar(sa.select(Timesheet))
    assert sheet.total_hours == 8 * law.working_days(LAST_MONTH) and sheet.bonus == 500


@pytest.mark.parametrize("cell", ["NaN", "sNaN", "-nan", "Infinity", "-inf", "1e999999999"])
def test_a_cell_that_is_no_finite_number_is_refused_by_its_cell(app, world, worker, confirmed,
                                                                 cell):
    """Decimal reads these as numbers; they are no day's hours (they answered 500)."""
    placement, _inmate, _vacancy = worker
    employer = ApiClient(app, world["employer_user"])
    row = {"placement_id": placement.id, **{n: "8" for n in working_days()}, "3": cell}
    response = _upload(employer, _sheet([row]), True)
    assert response.status_code == 422
    assert [(p["row"], p["column"]) for p in response.json["problems"]] == [(2, "3")]


def test_template_lists_the_workers_of_the_month(app, world, worker):
    placement, inmate, _vacancy = worker
    employer = ApiClient(app, world["employer_user"])
    response = employer.get(f"/api/timesheets/template?month={MONTH}&format=csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["placement_id", "worker", "vacancy", "1"]
    assert rows[1][:2] == [str(placement.id), f"{inmate.last_name} {inmate.first_name}"]


def test_pages_employer_fills_and_officer_approves(app, world, worker, confirmed):
    placement, inmate, _vacancy = worker
    employer = app.test_client()
    login(employer, world["employer_user"])
    page = employer.get(f"/pay/timesheets?month={MONTH}")
    assert page.status_code == 200 and inmate.last_name in page.get_data(as_text=True)
    opened = employer.post("/pay/timesheets/open", data={"placement_id": placement.id,
                                                         "month": MONTH})
    assert opened.status_code == 302
    sheet_id = db.session.scalar(sa.select(Timesheet.id))
    form = {f"hours_{n}": "8" for n in working_days()}
    refused = employer.post(f"/pay/timesheets/{sheet_id}",
                            data={**form, "hours_3": "30", "hours_5": "-1"})
    assert refused.status_code == 422
    summary = refused.get_data(as_text=True).split('class="error-summary"')[1].split("</div>")[0]
    third, fifth = (app.jinja_env.filters["day"](LAST_MONTH.replace(day=n)) for n in (3, 5))
    assert f'<a href="#hours_3">{third}: Must be greater than or equal to 0' in summary
    assert f'<a href="#hours_5">{fifth}: Must be greater than or equal to 0' in summary
    quarter = employer.post(f"/pay/timesheets/{sheet_id}", data={**form, "hours_5": "8.1"})
    assert quarter.status_code == 422
    assert (f'<a href="#hours_5">{fifth}: hours are counted in quarters of an hour</a>'
            in quarter.get_data(as_text=True))
    saved = employer.post(f"/pay/timesheets/{sheet_id}", data={**form, "then": "submit"})
    assert saved.status_code == 302
    assert db.session.get(Timesheet, sheet_id).status == TimesheetStatus.SUBMITTED
    assert employer.post(f"/pay/timesheets/{sheet_id}/approve").status_code == 403

    officer = app.test_client()
    login(officer, world["officer"])
    assert officer.post(f"/pay/timesheets/{sheet_id}/approve").status_code == 302
    db.session.expire_all()
    assert db.session.get(Timesheet, sheet_id).status == TimesheetStatus.APPROVED
    shown = officer.get(f"/pay/timesheets/{sheet_id}").get_data(as_text=True)
    assert "170" in shown  # the payslip
    statement = officer.get(f"/pay/inmates/{inmate.id}/account")
    assert statement.status_code == 200 and "pay credited" in statement.get_data(as_text=True)
    payroll = employer.get(f"/pay/payroll?month={MONTH}")
    assert payroll.status_code == 200 and inmate.last_name in payroll.get_data(as_text=True)
    assert employer.post("/pay/payroll", data={"month": MONTH}).status_code == 302
    assert "confirmed" in employer.get(f"/pay/payroll?month={MONTH}").get_data(as_text=True)


def test_page_refusals_roll_back(app, world, worker):
    placement, inmate, _vacancy = worker
    officer = app.test_client()
    login(officer, world["officer"])
    officer.post("/pay/timesheets/open", data={"placement_id": placement.id, "month": MONTH})
    sheet_id = db.session.scalar(sa.select(Timesheet.id))
    # Pay settings not confirmed: the approval is refused and nothing changes.
    response = officer.post(f"/pay/timesheets/{sheet_id}/approve")
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Timesheet, sheet_id).status == TimesheetStatus.DRAFT
    assert officer.post(f"/pay/inmates/{inmate.id}/account/debit",
                        data={"kind": "purchase", "amount": "5"}).status_code == 409
