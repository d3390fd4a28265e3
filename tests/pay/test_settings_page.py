"""The administrator's page of a year's pay settings (R24, R25): loaded by the
API's schema, refusals listed in an error summary with nothing written, the
late-timesheet window a setting of the year, and the confirmation the first
payroll of the year waits for."""

from datetime import datetime, time

import pytest

from app.extensions import db
from app.pay import operations as ops
from app.pay import violations
from app.pay.models import PaySettings
from policy import pay as law
from policy.clock import today_in_kazakhstan
from tests.conftest import login
from tests.factories import ApiClient
from tests.pay.conftest import LAST_MONTH, working_days

YEAR = today_in_kazakhstan().year + 1


def _form(rules, protected="25", due="10"):
    data = {"rows": str(len(rules)), "protected": protected, "timesheet_due_days": due}
    for row, (order, kind, mode, percent) in enumerate(rules):
        data.update({f"rules-{row}-order": order, f"rules-{row}-kind": kind,
                     f"rules-{row}-mode": mode, f"rules-{row}-percent": percent})
    return data


@pytest.fixture
def admin(app, world):
    client = app.test_client()
    login(client, world["admin"])
    return client


def test_the_page_saves_in_the_given_order_and_asks_for_confirmation(app, world, admin):
    ops.confirm_pay_settings(YEAR, None)
    db.session.commit()
    saved = admin.post(f"/pay/settings/{YEAR}", data=_form([
        ("2", "income_tax", "rate", "10"), ("1", "alimony", "claims", "33.5"),
        ("3", "", "rate", "")], protected="30", due="15"))
    assert saved.status_code == 302
    db.session.expire_all()
    stored = db.session.get(PaySettings, YEAR)
    assert stored.rules == [{"kind": "alimony", "mode": "claims", "percent_bp": 3350},
                            {"kind": "income_tax", "mode": "rate", "percent_bp": 1000}]
    assert (stored.protected_bp, stored.timesheet_due_days, stored.confirmed) == (
        3000, 15, False)
    page = admin.get(f"/pay/settings/{YEAR}").get_data(as_text=True)
    assert 'id="confirmation"' in page and "33.5" in page
    assert admin.post(f"/pay/settings/{YEAR}/confirmation").status_code == 302
    db.session.expire_all()
    assert db.session.get(PaySettings, YEAR).confirmed
    assert 'id="confirmation"' not in admin.get(f"/pay/settings/{YEAR}").get_data(as_text=True)
    # The API reads what the page wrote (one schema).
    assert ApiClient(app, world["admin"]).get(
        f"/api/pay/settings/{YEAR}").json["timesheet_due_days"] == 15


@pytest.mark.parametrize(("rules", "protected", "due", "field"), [
    ([("1", "alimony", "rate", "10")], "25", "10", "rules"),  # the wrong mode (R25)
    ([("1", "income_tax", "rate", "ten")], "25", "10", "rules-0-percent"),
    ([("1", "income_tax", "rate", "101")], "25", "10", "rules-0-percent"),
    ([("1", "income_tax", "rate", "80")], "25", "10", "protected"),  # over 100% in all
    ([("1", "income_tax", "rate", "10")], "25", "0", "timesheet_due_days"),
    ([("1", "income_tax", "rate", "10")], "25", str(law.MAX_TIMESHEET_DUE_DAYS + 1),
     "timesheet_due_days"),
])
def test_refusals_are_summarised_and_nothing_is_written(app, admin, rules, protected, due,
                                                        field):
    refused = admin.post(f"/pay/settings/{YEAR}", data=_form(rules, protected, due))
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert "<li>" in summary
    if field != "rules":
        assert f'href="#{field}"' in summary and f'id="{field}-error"' in page
    db.session.expire_all()
    assert db.session.get(PaySettings, YEAR) is None


def test_a_forged_form_is_read_or_refused_never_a_crash(app, admin):
    huge = admin.post(f"/pay/settings/{YEAR}", data=_form(
        [("first", "income_tax", "rate", "1e400")]))
    assert huge.status_code == 422 and 'href="#rules-0-percent"' in huge.get_data(as_text=True)
    for rows in ("many", "-1"):  # no row is read: a year without deductions
        forged = admin.post(f"/pay/settings/{YEAR}", data={
            **_form([("1", "income_tax", "rate", "10")]), "rows": rows})
        assert forged.status_code == 302
        db.session.expire_all()
        assert db.session.get(PaySettings, YEAR).rules == []


def test_this_years_settings_from_the_admin_card(app, admin):
    assert 'href="/pay/settings"' in admin.get("/admin/").get_data(as_text=True)
    this_year = today_in_kazakhstan().year
    assert admin.get("/pay/settings").location.endswith(f"/pay/settings/{this_year}")


def test_only_administrators_change_the_settings(app, world):
    for role in ("officer", "prosecutor", "employer_user"):
        client = app.test_client()
        login(client, world[role])
        assert client.get(f"/pay/settings/{YEAR}").status_code == 403
        assert client.get("/pay/settings").status_code == 403
        assert client.post(f"/pay/settings/{YEAR}", data=_form(
            [("1", "income_tax", "rate", "10")])).status_code == 403
        assert client.post(f"/pay/settings/{YEAR}/confirmation").status_code == 403
    assert db.session.get(PaySettings, YEAR) is None


def test_late_timesheet_window_is_the_years_setting(app, world, worker, confirmed):
    placement, _inmate, _vacancy = worker
    sheet = ops.open_timesheet(placement, LAST_MONTH, None)
    ops.fill_timesheet(sheet, {int(n): v for n, v in working_days().items()})
    ops.approve_timesheet(sheet, None)
    # Approved on the 12th day after the month: late under the default 10 days.
    sheet.approved_at = datetime.combine(law.next_month(LAST_MONTH).replace(day=12), time(9))
    db.session.commit()
    later = law.next_month(law.next_month(LAST_MONTH))
    assert [v.placement_id for v in violations.timesheet_late(LAST_MONTH, today=later)] == [
        placement.id]
    settings = ops.pay_settings_for(LAST_MONTH.year)
    ops.save_pay_settings(LAST_MONTH.year, settings.rules, settings.protected_bp, 12)
    db.session.commit()
    assert ops.timesheet_due(LAST_MONTH) == law.next_month(LAST_MONTH).replace(day=12)
    assert violations.timesheet_late(LAST_MONTH, today=later) == []


def test_the_api_takes_the_window_with_the_same_bounds(app, world):
    admin = ApiClient(app, world["admin"])
    rules = [{"kind": "income_tax", "mode": "rate", "percent_bp": 1000}]
    refused = admin.put(f"/api/pay/settings/{YEAR}", json={
        "rules": rules, "protected_bp": 2500, "timesheet_due_days": 0})
    assert refused.status_code == 422 and "timesheet_due_days" in str(refused.json)
    saved = admin.put(f"/api/pay/settings/{YEAR}", json={"rules": rules, "protected_bp": 2500})
    assert saved.status_code == 200
    assert saved.json["timesheet_due_days"] == law.DEFAULT_TIMESHEET_DUE_DAYS
