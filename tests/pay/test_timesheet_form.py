"""The timesheet page as people fill it: numbers as they write them ("6,5",
"250 000 ₸"), what was typed kept on any refusal with the rows in error marked,
and every message in the user's language."""

import io
import re
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.pay.models import Timesheet
from tests.conftest import login
from tests.pay.conftest import LAST_MONTH

MONTH = LAST_MONTH.strftime("%Y-%m")
NBSP = "\u00a0"


def _open(app, user, placement):
    client = app.test_client()
    login(client, user)
    client.post("/pay/timesheets/open", data={"placement_id": placement.id, "month": MONTH})
    return client, db.session.scalar(sa.select(Timesheet.id))


def _value(html: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert found, name
    value = re.search(r'value="([^"]*)"', found.group(0))
    return value.group(1) if value else ""


def test_hours_and_amounts_as_people_write_them_are_saved(app, world, worker):
    placement, _inmate, _vacancy = worker
    client, sheet_id = _open(app, world["employer_user"], placement)
    saved = client.post(f"/pay/timesheets/{sheet_id}", data={
        "hours_3": "6,5", "hours_4": "7.25", "piece_rate": f"250{NBSP}000{NBSP}₸",
        "bonus": "12 500"})
    assert saved.status_code == 302
    db.session.expire_all()
    sheet = db.session.get(Timesheet, sheet_id)
    assert sheet.days["3"]["hours"] == "6.5" and sheet.days["4"]["hours"] == "7.25"
    assert (sheet.piece_rate, sheet.bonus) == (250_000, 12_500)


def test_a_refusal_keeps_every_edit_marks_the_rows_and_speaks_russian(app, world, worker):
    placement, _inmate, _vacancy = worker
    user = world["employer_user"]
    user.language = "ru"
    db.session.commit()
    client, sheet_id = _open(app, user, placement)
    client.post(f"/pay/timesheets/{sheet_id}", data={"hours_2": "8", "hours_3": "8"})
    typed = {"hours_2": "6,5", "hours_3": "", "hours_4": "7", "hours_5": "abc",
             "hours_6": "30", "absence_7": "refused", "bonus": "12 500 ₸", "extras_note": "план"}
    refused = client.post(f"/pay/timesheets/{sheet_id}", data=typed)
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    for name in ("hours_2", "hours_4", "hours_5", "hours_6", "bonus", "extras_note"):
        assert _value(html, name) == typed[name], name
    assert _value(html, "hours_3") == ""  # cleared, not the saved 8
    assert re.search(r'<option value="refused"\s+selected', html)
    rows_in_error = re.findall(r'<tr id="day-(\d+)" class="[^"]*has-error', html)
    assert rows_in_error == ["5", "6"]
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*name="hours_5"[^>]*>', html).group(0)
    assert "Not a valid number" not in html and "Не является числом." in html
    assert "Must be" not in html
    db.session.expire_all()
    assert db.session.get(Timesheet, sheet_id).days["2"]["hours"] == "8"  # nothing written


def test_the_import_reads_numbers_as_the_form_does(app, world, worker):
    placement, _inmate, _vacancy = worker
    header = ["placement_id", "worker", "3", "4", "5", "bonus"]
    sheet = ";".join(header) + "\n" + ";".join(
        [str(placement.id), "x", "6,5", "7.25", "", f"12{NBSP}500 ₸"]) + "\n"
    client = app.test_client()
    login(client, world["employer_user"])
    done = client.post("/api/timesheets/import", data={
        "month": MONTH, "dry_run": "false",
        "file": (io.BytesIO(sheet.encode()), "sheet.csv")}, content_type="multipart/form-data")
    assert done.status_code == 200, done.json
    stored = db.session.scalar(sa.select(Timesheet))
    assert stored.days["3"]["hours"] == "6.5" and stored.days["4"]["hours"] == "7.25"
    assert stored.bonus == 12_500


def test_the_api_reads_hours_sent_as_text_like_the_page(app, world, worker):
    placement, _inmate, _vacancy = worker
    client, sheet_id = _open(app, world["employer_user"], placement)
    sent = client.put(f"/api/timesheets/{sheet_id}/days", json={
        "days": {"3": {"hours": "6,5"}, "4": {"hours": 7}}, "bonus": "12 500"})
    assert sent.status_code == 200, sent.json
    assert sent.json["days"]["3"]["hours"] == "6.5" and sent.json["bonus"] == 12_500


def test_the_payroll_moves_between_months_and_names_each_workers_institution(
        app, world, worker):
    client = app.test_client()
    login(client, world["employer_user"])
    html = client.get(f"/pay/payroll?month={MONTH}").get_data(as_text=True)
    before = LAST_MONTH.replace(day=1) - timedelta(days=1)
    assert f'href="/pay/payroll?month={before:%Y-%m}" rel="prev"' in html
    assert 'type="month"' in html and "<th>Institution</th>" in html


def test_approving_a_month_and_confirming_a_payment_are_checked_first(app, world, worker,
                                                                      confirmed):
    placement, inmate, _vacancy = worker
    employer, sheet_id = _open(app, world["employer_user"], placement)
    employer.post(f"/pay/timesheets/{sheet_id}", data={"hours_3": "8", "hours_4": "6,5",
                                                        "then": "submit"})
    officer = app.test_client()
    login(officer, world["officer"])
    sheet_page = officer.get(f"/pay/timesheets/{sheet_id}").get_data(as_text=True)
    assert f'href="/pay/timesheets/{sheet_id}/approve"' in sheet_page  # a link, not the act
    check = officer.get(f"/pay/timesheets/{sheet_id}/approve").get_data(as_text=True)
    assert inmate.full_name in check and "14.5 hours on 2 days" in check
    assert "The month is locked" in check and "Nothing has been changed yet" in check
    assert db.session.get(Timesheet, sheet_id).status.value == "submitted"
    assert officer.post(f"/pay/timesheets/{sheet_id}/approve").status_code == 302
    payroll = employer.get(f"/pay/payroll?month={MONTH}").get_data(as_text=True)
    assert f'href="/pay/payroll/confirmation?month={MONTH}"' in payroll
    asked = employer.get(f"/pay/payroll/confirmation?month={MONTH}").get_data(as_text=True)
    assert "cannot be withdrawn" in asked and f'value="{MONTH}"' in asked
    assert employer.post("/pay/payroll", data={"month": MONTH}).status_code == 302
    assert employer.get(f"/pay/payroll/confirmation?month={MONTH}").status_code == 302
