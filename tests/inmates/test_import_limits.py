"""Imports bounded by work, not only bytes: hostile files get a short, clear answer
in bounded memory and time; big files go through `flask import-inmates`."""

import io
import re
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa

from app.core.bulk import GrowingTables
from app.extensions import db
from app.inmates import spreadsheets
from app.inmates.models import Inmate
from app.inmates.spreadsheets import IMPORT_MAX_ROWS, INMATE_COLUMNS, ReadLimits
from tests.inmates.test_spreadsheets import csv_file, rows, upload

MB = 1024 * 1024


def _inmates():
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(Inmate))


def _patched(book: openpyxl.Workbook, change) -> bytes:
    """``book`` saved, with ``change(xml)`` applied to its sheet's XML."""
    out = io.BytesIO()
    book.save(out)
    source, patched = zipfile.ZipFile(out), io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(item, data)
    return patched.getvalue()


def _far_cell_xlsx() -> bytes:
    """The template's header, one data row, and a lone cell at AZ1000000; the sheet
    declares the whole grid as its dimension."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(INMATE_COLUMNS))
    sheet.append([rows(1)[0].get(c) for c in INMATE_COLUMNS])
    sheet["AZ1000000"] = "x"
    return _patched(book, lambda xml: re.sub(rb'<dimension ref="[^"]*"',
                                             b'<dimension ref="A1:XFD1048576"', xml))


def _measured(step):
    """(result, peak Python memory in MB, seconds) of ``step()``."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = step()
        return result, tracemalloc.get_traced_memory()[1] / MB, time.perf_counter() - started
    finally:
        tracemalloc.stop()


def test_a_far_away_cell_costs_one_row_not_the_grid(officer_api, world):
    data = _far_cell_xlsx()
    assert len(data) < 10_000
    response, peak, seconds = _measured(
        lambda: upload(officer_api, data, name="far.xlsx", dry_run="true"))
    assert response.status_code == 200, response.json
    assert response.json["rows"] == 1 and response.json["to_create"] == 1
    assert peak < 50, f"{peak:.0f} MB"
    assert seconds < 20


def test_more_rows_than_the_limit_are_refused_at_once(officer_api, world):
    many = b"file_number,last_name,first_name,birth_date,sex,legal_status,regime," \
           b"admission_date,fitness\n" + b"1,a\n" * 500_000
    assert len(many) < 5 * MB
    response, peak, seconds = _measured(lambda: upload(officer_api, many, dry_run="false"))
    assert response.status_code == 422
    assert response.json["problem_count"] == 1
    [problem] = response.json["problems"]
    assert problem["row"] == IMPORT_MAX_ROWS + 2 and problem["column"] == "file"
    assert f"more than {IMPORT_MAX_ROWS} rows" in problem["problem"]
    assert "flask import-inmates" in problem["problem"]
    assert peak < 200, f"{peak:.0f} MB"
    assert _inmates() == 0


def test_problems_are_listed_first_100_with_the_total(officer_api, world):
    bad = rows(300, sex="robot", regime="none")
    response = upload(officer_api, csv_file(bad), dry_run="true")
    assert response.status_code == 422
    body = response.json
    assert body["problem_count"] == 600
    assert len(body["problems"]) == spreadsheets.MAX_PROBLEMS_SHOWN
    assert "600 problems found; the first 100 are listed" in body["message"]


def test_a_huge_header_cell_is_not_echoed(officer_api, world):
    header = "x" * 5_000_000 + ",last_name\n"
    response = upload(officer_api, header.encode(), dry_run="true")
    assert response.status_code == 422
    assert len(response.data) < 5_000
    book = openpyxl.Workbook()
    book.active.append(["PLACEHOLDER", "last_name"])
    big = _patched(book, lambda xml: xml.replace(b"PLACEHOLDER", b"y" * 5_000_000))
    response = upload(officer_api, big, name="big.xlsx", dry_run="true")
    assert response.status_code == 422
    assert len(response.data) < 5_000
    columns = [p["column"] for p in response.json["problems"]]
    assert max(len(c) for c in columns) <= spreadsheets.EXCERPT_CHARS


def test_a_long_cell_is_quoted_in_part(officer_api, world):
    data = rows(1, notes="n" * 3_000, last_name="L" * 500)
    response = upload(officer_api, csv_file(data), dry_run="true")
    assert response.status_code == 422
    problems = {p["column"]: p["problem"] for p in response.json["problems"]}
    assert "longer than 2000 characters" in problems["notes"]
    assert all(len(p) < 300 for p in problems.values())


def test_a_workbook_that_unpacks_too_far_is_refused(officer_api, world, monkeypatch):
    monkeypatch.setattr(spreadsheets, "WEB", ReadLimits(unpacked_limit=1 * MB))
    book = openpyxl.Workbook()
    book.active.append(["file_number"])
    book.active.append(["PLACEHOLDER"])
    bomb = _patched(book, lambda xml: xml.replace(b"PLACEHOLDER", b"z" * 2 * MB))
    assert len(bomb) < 100_000
    response = upload(officer_api, bomb, name="bomb.xlsx", dry_run="true")
    assert response.status_code == 422
    assert "unpacks to more than 1 MB" in response.json["problems"][0]["problem"]


@pytest.mark.parametrize("dry_run", ["true", "false"])
def test_a_nul_byte_is_refused_with_its_row_and_column(officer_api, world, dry_run):
    data = rows(3)
    data[1]["last_name"] = "Seit\x00kali"
    response = upload(officer_api, csv_file(data), dry_run=dry_run)
    assert response.status_code == 422
    assert response.json["problems"] == [
        {"row": 3, "column": "last_name", "problem": "contains a NUL character"}]
    assert _inmates() == 0


# --- the command line for files over the web limit -----------------------------------------

def test_cli_imports_a_file_over_the_web_limit_in_chunks(app, world, tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheets, "IMPORT_MAX_ROWS", 50)
    monkeypatch.setattr(spreadsheets, "WEB", ReadLimits(max_rows=50))
    monkeypatch.setattr(spreadsheets, "CHUNK_ROWS", 40)
    path = tmp_path / "big.csv"
    path.write_bytes(csv_file(rows(120)))
    result = app.test_cli_runner().invoke(args=[
        "import-inmates", str(path), "--institution", world["institution"].code])
    assert result.exit_code == 0, result.output
    assert "40 rows checked" in result.output and "120 rows checked" in result.output
    assert "Imported: 120 added, 0 updated." in result.output
    assert _inmates() == 120


def test_cli_writes_nothing_when_a_row_is_bad(app, world, tmp_path, monkeypatch):
    monkeypatch.setattr(spreadsheets, "CHUNK_ROWS", 40)
    data = rows(100)
    data[97]["sex"] = "robot"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file(data))
    result = app.test_cli_runner().invoke(args=[
        "import-inmates", str(path), "--institution", world["institution"].code])
    assert result.exit_code == 1
    assert "row 99, sex" in result.output
    assert _inmates() == 0


def test_cli_dry_run_and_unknown_institution(app, world, tmp_path):
    path = tmp_path / "ok.csv"
    path.write_bytes(csv_file(rows(3)))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-inmates", str(path), "--institution",
                                 world["institution"].code, "--dry-run"])
    assert result.exit_code == 0 and "3 to add" in result.output
    assert _inmates() == 0
    result = runner.invoke(args=["import-inmates", str(path), "--institution", "NOPE"])
    assert result.exit_code != 0 and "NOPE" in result.output


def test_a_re_import_changing_every_row_stays_small(officer_api, world):
    """Changed inmates are written and audited a chunk at a time, without the ORM
    caching per-column state on each of them: 5,000 changes peaked at 57 MB when
    they were flushed at once (226 MB for the 20,000 a page may send), 29 MB now."""
    assert upload(officer_api, csv_file(rows(5_000))).status_code == 200
    renamed = csv_file(rows(5_000, last_name="Renamed"))
    response, peak, _seconds = _measured(lambda: upload(officer_api, renamed))
    assert response.status_code == 200, response.json
    assert response.json["to_update"] == 5_000
    assert peak < 45, f"{peak:.0f} MB"
    db.session.expire_all()
    assert set(db.session.scalars(sa.select(Inmate.last_name))) == {"Renamed"}


class _CountedAnalyzes(GrowingTables):
    """The import's statistics keeper, from 50 rows written, counting its ANALYZEs."""

    analyzed: list[int] = []

    def __init__(self, *tables):
        super().__init__(*tables, first=50)
        type(self).analyzed = []

    def wrote(self, rows):
        threshold = self.next_analyze
        super().wrote(rows)
        if self.next_analyze != threshold:
            type(self).analyzed.append(self.written)


def _planner_rows(table: str) -> float:
    return db.session.scalar(sa.text("SELECT reltuples FROM pg_class WHERE relname = :t"),
                             {"t": table})


def test_a_chunked_import_keeps_the_planners_statistics_true(app, world, monkeypatch):
    """The rows one import writes are counted in the planner's statistics as they are
    written (thresholds that double), so each chunk's lookup by file number keeps a
    plan for the table's true size: without them the 200,000-row import on
    PostgreSQL became quadratic (10 s a chunk at 140,000 rows)."""
    monkeypatch.setattr(spreadsheets, "GrowingTables", _CountedAnalyzes)
    limits = ReadLimits(max_rows=None, chunk_rows=40)
    report = spreadsheets.import_inmates(world["institution"], "big.csv",
                                         io.BytesIO(csv_file(rows(200))), dry_run=False,
                                         limits=limits)
    assert report.committed and _CountedAnalyzes.analyzed == [80, 160]
    if db.engine.dialect.name == "postgresql":  # SQLite's planner needs no statistics
        assert _planner_rows("inmates") == 160  # the rows at the second ANALYZE
        assert _planner_rows("custody_periods") == 160


def test_a_dry_run_or_refused_import_analyzes_nothing(app, world, monkeypatch):
    monkeypatch.setattr(spreadsheets, "GrowingTables", _CountedAnalyzes)
    limits = ReadLimits(max_rows=None, chunk_rows=40)
    spreadsheets.import_inmates(world["institution"], "big.csv",
                                io.BytesIO(csv_file(rows(200))), dry_run=True, limits=limits)
    assert _CountedAnalyzes.analyzed == []
