"""The audit browser (R18): scoped by institution, filtered, paged, exported."""

import csv
import io
from datetime import UTC, datetime, timedelta

import openpyxl
import sqlalchemy as sa
import time_machine

from app.core.audit import AuditEvent
from app.extensions import db
from policy.clock import today_in_kazakhstan
from tests import factories


def _entries(world):
    """Audit entries from the factories: inmates at both institutions."""
    home = factories.inmate(world["institution"], last_name="Home")
    away = factories.inmate(world["other_institution"], last_name="Away")
    return home, away


def _ids(response):
    return {(e["entity_type"], e["entity_id"]) for e in response.json["items"]}


def test_officer_sees_own_institution_prosecutor_region_admin_all(world, officer_client,
                                                                  other_prosecutor_client,
                                                                  admin_client):
    home, away = _entries(world)
    officer = officer_client.get("/api/monitoring/audit?entity_type=Inmate")
    assert _ids(officer) == {("Inmate", str(home.id))}
    prosecutor = other_prosecutor_client.get("/api/monitoring/audit?entity_type=Inmate")
    assert _ids(prosecutor) == {("Inmate", str(away.id))}
    admin = admin_client.get("/api/monitoring/audit?entity_type=Inmate")
    assert _ids(admin) == {("Inmate", str(home.id)), ("Inmate", str(away.id))}
    page = officer_client.get("/monitoring/audit")
    assert page.status_code == 200 and f"Inmate: {home.full_name}" in page.get_data(as_text=True)
    assert away.full_name not in page.get_data(as_text=True)


def test_filters_by_institution_actor_entity_and_dates(world, admin_client):
    home, _ = _entries(world)
    db.session.execute(sa.update(AuditEvent).where(AuditEvent.entity_id == str(home.id))
                       .values(actor="clerk@example.kz"))
    db.session.commit()
    by_institution = admin_client.get(
        f"/api/monitoring/audit?institution_id={world['other_institution'].id}")
    assert all(e["institution_id"] == world["other_institution"].id
               for e in by_institution.json["items"]) and by_institution.json["total"] > 0
    by_actor = admin_client.get("/api/monitoring/audit?actor=CLERK")
    assert {e["entity_id"] for e in by_actor.json["items"]} == {str(home.id)}
    by_entity = admin_client.get(f"/api/monitoring/audit?entity_type=Inmate&entity_id={home.id}")
    assert by_entity.json["total"] == 1
    today = today_in_kazakhstan()
    assert admin_client.get(f"/api/monitoring/audit?start={today}&end={today}").json["total"] > 0
    yesterday = today - timedelta(days=1)
    assert admin_client.get(f"/api/monitoring/audit?end={yesterday}").json["total"] == 0


def test_paging(world, admin_client):
    for _ in range(3):
        factories.inmate(world["institution"])
    first = admin_client.get("/api/monitoring/audit?entity_type=Inmate&per_page=2").json
    second = admin_client.get("/api/monitoring/audit?entity_type=Inmate&per_page=2&page=2").json
    assert (first["total"], first["pages"], len(first["items"]), len(second["items"])) == (
        3, 2, 2, 1)
    page = admin_client.get("/monitoring/audit?entity_type=Inmate&per_page=2")
    assert b"Page 1 of 2" in page.data


def test_export_csv_and_xlsx_keep_scope_and_filters(world, officer_client):
    home, away = _entries(world)
    response = officer_client.get("/monitoring/export/audit.csv?entity_type=Inmate")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [r[4] for r in rows[1:]] == [str(home.id)]
    xlsx = officer_client.get("/monitoring/export/audit.xlsx?entity_type=Inmate")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    assert [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)] == [str(home.id)]


def test_invalid_filter_is_422(officer_client, world):
    assert officer_client.get("/api/monitoring/audit?start=yesterday").status_code == 422
    assert officer_client.get("/monitoring/audit?page=0").status_code == 422


def test_employers_have_no_audit(employer_client):
    assert employer_client.get("/monitoring/audit").status_code == 403
    assert employer_client.get("/api/monitoring/audit").status_code == 403


def test_dates_filter_kazakhstans_days_not_utcs(world, admin_client):
    """An entry made at 01:30 on 8 December in Kazakhstan (20:30 UTC on the 7th) is one of
    the 8th's, as its time is shown."""
    with time_machine.travel(datetime(2026, 12, 7, 20, 30, tzinfo=UTC), tick=False):
        factories.inmate(world["institution"], last_name="Late")
    late = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.entity_type == "Inmate")
                             .order_by(AuditEvent.id.desc()).limit(1))

    def found(start, end):
        answer = admin_client.get(f"/api/monitoring/audit?entity_type=Inmate"
                                  f"&entity_id={late.entity_id}&start={start}&end={end}")
        return answer.json["total"]

    assert found("2026-12-08", "2026-12-08") == 1
    assert found("2026-12-07", "2026-12-07") == 0
