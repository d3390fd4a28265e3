"""Pages, exports and the JSON API of the prosecutors' oversight."""

import csv
import io
from datetime import date, timedelta

import openpyxl

from app.core.charts import Point, line_chart
from app.core.tables import safe_cell
from app.core.vocabulary import Fitness
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.factories import TODAY


def _csv(response):
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_rates_page_ranks_institutions(world, clean, prosecutor_client):
    clean()
    response = prosecutor_client.get("/monitoring/")
    assert response.status_code == 200
    assert b"1. <a" in response.data and b"AK-159/20" in response.data
    assert b"Karaganda" in response.data and b"100.0%" in response.data


def test_rates_page_for_a_past_day_and_bad_day(world, prosecutor_client):
    assert prosecutor_client.get("/monitoring/?day=2025-01-31").status_code == 200
    assert prosecutor_client.get("/monitoring/?day=31.01.2025").status_code == 422


def test_trends_page_draws_svg_charts_without_scripts(world, clean, prosecutor_client):
    clean()
    response = prosecutor_client.get("/monitoring/trends")
    assert response.status_code == 200
    assert response.data.count(b"<svg") == 2  # the region's total and its one institution
    assert b'class="target"' in response.data
    # The charts need no script: the page has only the layout's static/js/app.js.
    assert response.data.count(b"<script") == 1
    assert b'<script src="/static/js/app.js"' in response.data
    assert b"http://" not in response.data.replace(b"http://www.w3.org/2000/svg", b"")


def test_line_chart_breaks_where_no_rate_and_escapes_title(app):
    points = [Point(date(2026, m, 1), rate, 0.55)
              for m, rate in ((1, 0.5), (2, None), (3, 0.6), (4, 0.7))]
    with app.test_request_context():
        svg = str(line_chart(points, "<AK>"))
    assert svg.count('class="rate"') == 2
    # Below the target is told by shape and words, not by colour alone.
    assert svg.count("<circle") == 2 and svg.count('class="below-target"') == 1
    assert "January 2026: 50.0%, below target" in svg
    assert "&lt;AK&gt;" in svg and "<AK>" not in svg


def test_violations_page_links_evidence(world, clean, prosecutor_client):
    placement = clean(inmate={"fitness": Fitness.UNFIT, "last_name": "Invented"})
    response = prosecutor_client.get("/monitoring/violations")
    assert response.status_code == 200
    assert f"/monitoring/placements/{placement.id}".encode() in response.data
    assert f"entity_id={placement.id}".encode() in response.data
    assert prosecutor_client.get("/monitoring/violations?rule=R5").data.count(b"Invented") == 0
    assert prosecutor_client.get("/monitoring/violations?start=2026-02-01&end=2026-01-01"
                                 ).status_code == 422


def test_evidence_page_shows_records_and_audit(world, clean, prosecutor_client):
    placement = clean(inmate={"fitness": Fitness.UNFIT})
    response = prosecutor_client.get(f"/monitoring/placements/{placement.id}")
    assert response.status_code == 200
    assert b"R3" in response.data and b"unfit" in response.data
    inmate = placement.inmate.full_name
    assert f"Placement: {inmate} · {placement.vacancy.title}" in response.get_data(as_text=True)
    assert f"Inmate: {inmate}" in response.get_data(as_text=True)  # its audit entries
    assert f"Inmate #{placement.inmate_id}".encode() not in response.data
    assert b"Record finding" in response.data


def test_institution_page(world, clean, prosecutor_client, admin_client):
    clean(inmate={"fitness": Fitness.UNFIT})
    url = f"/monitoring/institutions/{world['institution'].id}"
    response = prosecutor_client.get(url)
    assert response.status_code == 200 and b"<svg" in response.data and b"R3" in response.data
    assert admin_client.get(url).status_code == 200
    assert b"Record finding" not in admin_client.get(url).data  # admins do not record


def test_printable_report_for_a_region(world, clean, prosecutor_client):
    clean(inmate={"fitness": Fitness.UNFIT, "last_name": "Invented"})
    response = prosecutor_client.get(f"/monitoring/report?region_id={world['region'].id}")
    assert response.status_code == 200
    assert b"Karaganda" in response.data and b"Invented" in response.data
    assert b"data-print" in response.data  # static/js/app.js prints on click


def test_rates_export_csv_and_xlsx(world, clean, prosecutor_client):
    clean()
    rows = _csv(prosecutor_client.get("/monitoring/export/rates.csv"))
    assert rows[0][:4] == ["Day", "Level", "Name", "Rank"]
    assert [r[2] for r in rows[1:]] == ["Karaganda", "Karaganda", "AK-159/20"]
    assert {r[0] for r in rows[1:]} == {today_in_kazakhstan().isoformat()}
    response = prosecutor_client.get("/monitoring/export/rates.xlsx")
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[4]][1:5] == ["institution", "AK-159/20", 1, 1]
    # A past day's figures carry that day, in the file name and in the column.
    past = (today_in_kazakhstan() - timedelta(days=3)).isoformat()
    response = prosecutor_client.get(f"/monitoring/export/rates.csv?day={past}")
    assert f"rates-{past}.csv" in response.headers["Content-Disposition"]
    assert {r[0] for r in _csv(response)[1:]} == {past}


def test_violations_and_findings_exports(world, clean, prosecutor_client):
    placement = clean(inmate={"fitness": Fitness.UNFIT})
    rows = _csv(prosecutor_client.get("/monitoring/export/violations.csv"))
    assert [(r[1], r[7]) for r in rows[1:]] == [("R3", str(placement.id))]
    prosecutor_client.post("/monitoring/findings", data={
        "institution_id": world["institution"].id, "text": "=HYPERLINK(\"x\")",
        "kind": "protest"})
    rows = _csv(prosecutor_client.get("/monitoring/export/findings.csv"))
    assert rows[1][5] == "'=HYPERLINK(\"x\")"  # never run as a formula
    sheet = openpyxl.load_workbook(io.BytesIO(prosecutor_client.get(
        "/monitoring/export/findings.xlsx").data)).active
    assert sheet.cell(2, 6).value.startswith("'=")


def test_unknown_export_is_404_and_officer_may_export_findings(world, officer_client,
                                                               prosecutor_client):
    assert prosecutor_client.get("/monitoring/export/users.csv").status_code == 404
    assert prosecutor_client.get("/monitoring/export/rates.pdf").status_code == 404
    assert officer_client.get("/monitoring/export/findings.csv").status_code == 200
    assert officer_client.get("/monitoring/export/rates.csv").status_code == 403


def test_safe_cell_values():
    assert [safe_cell(v) for v in ("-1+2", "@x", "plain", 5, None)] == ["'-1+2", "'@x", "plain",
                                                                     5, ""]


def test_api_rates_trends_violations(world, clean):
    placement = clean(inmate={"fitness": Fitness.UNFIT})
    clean()
    from flask import current_app

    client, headers = current_app.test_client(), factories.bearer(world["prosecutor"])
    report = client.get("/api/monitoring/rates", headers=headers).json
    assert report["total"]["able"] == 1 and report["total"]["held"] == 2
    assert report["institutions"][0]["shortfall"] == 0
    one = client.get(f"/api/monitoring/rates/institutions/{world['institution'].id}",
                     headers=headers).json
    assert one["employed"] == 1 and one["target"] == 0.75
    trends = client.get("/api/monitoring/trends", headers=headers).json
    assert len(trends["days"]) == 24
    assert {s["kind"] for s in trends["series"]} == {"total", "region", "institution"}
    start = (TODAY - timedelta(days=5)).isoformat()
    found = client.get(f"/api/monitoring/violations?start={start}", headers=headers).json
    assert [(v["rule"], v["placement_id"]) for v in found] == [("R3", placement.id)]
    assert client.get("/api/monitoring/violations?rule=R7", headers=headers).status_code == 422


def test_openapi_documents_the_monitoring_api(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert {"/api/monitoring/rates", "/api/monitoring/trends", "/api/monitoring/violations",
            "/api/monitoring/findings", "/api/monitoring/audit"} <= set(paths)


def test_violations_page_is_paged(world, clean, prosecutor_client, monkeypatch):
    """Two years of a region's violations run into thousands: 50 a page, the count of all."""
    from app.monitoring import views
    from app.monitoring.violations import Violation

    placement = clean(inmate={"fitness": Fitness.UNFIT})
    many = [Violation("R3", placement.id, placement.inmate_id, placement.vacancy_id,
                      placement.institution_id, date(2026, 1, 1) + timedelta(days=n), "unfit")
            for n in range(120)]
    monkeypatch.setattr(views, "_violations", lambda args: many)
    rows = '<span class="badge bad"'
    first = prosecutor_client.get("/monitoring/violations").get_data(as_text=True)
    assert "120 found." in first and "Page 1 of 3" in first and first.count(rows) == 50
    last = prosecutor_client.get("/monitoring/violations?page=3").get_data(as_text=True)
    assert "Page 3 of 3" in last and last.count(rows) == 20


def test_line_chart_month_labels_never_overlap(app):
    """Twelve months from December: the first and last are named, and no January
    or July label sits on top of another."""
    from app.core.charts import LABEL_GAP, _labelled, _x

    points = [Point(date(2025 + (11 + m) // 12, (11 + m) % 12 + 1, 1), 0.5, None)
              for m in range(12)]
    kept = _labelled(points)
    assert kept[0] == 0 and kept[-1] == 11
    assert all(_x(b, 12) - _x(a, 12) >= LABEL_GAP for a, b in zip(kept, kept[1:], strict=False))
    with app.test_request_context():
        svg = str(line_chart(points, "no target"))
    assert 'class="target"' not in svg and 'class="below-target"' not in svg
