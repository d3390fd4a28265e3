"""Spreadsheet import (preview, all or nothing, re-import updates, size limit),
templates and export, on pages and the API."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from app.core.vocabulary import Fitness
from app.extensions import db
from app.inmates.models import Inmate, InmateSkill, MedicalAssessment
from app.inmates.spreadsheets import INMATE_COLUMNS, SKILL_COLUMNS, column_heading
from tests import factories
from tests.conftest import login
from tests.inmates.helpers import TODAY, payload


def csv_file(rows, columns=INMATE_COLUMNS, delimiter=","):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), delimiter=delimiter)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in columns})
    return out.getvalue().encode("utf-8")


def xlsx_file(rows, columns=INMATE_COLUMNS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(k) for k in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(api, content, name="inmates.csv", kind="inmates", dry_run="false"):
    return api.post("/api/inmates/import", data={
        "kind": kind, "dry_run": dry_run, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data")


def _count(model=Inmate):
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def rows(n, **changes):
    return [payload(file_number=f"I-{i}", **changes) for i in range(1, n + 1)]


def test_dry_run_writes_nothing(officer_api, world):
    response = upload(officer_api, csv_file(rows(3)), dry_run="true")
    assert response.status_code == 200, response.json
    assert (response.json["to_create"], response.json["committed"]) == (3, False)
    assert _count() == 0


def test_commit_writes_inmates_with_history(officer_api, world):
    response = upload(officer_api, csv_file(rows(3)))
    assert response.status_code == 200, response.json
    assert response.json["committed"] is True
    assert _count() == 3 and _count(MedicalAssessment) == 3


def test_one_bad_row_writes_nothing_and_is_listed(officer_api, world):
    data = rows(4)
    data[2]["sex"] = "robot"
    data[3]["release_date"] = "1999-01-01"
    response = upload(officer_api, csv_file(data))
    assert response.status_code == 422
    problems = {(p["row"], p["column"]) for p in response.json["problems"]}
    assert problems == {(4, "sex"), (5, "release_date")}  # header is row 1
    assert "nothing was written" in response.json["message"]
    assert _count() == 0


def test_duplicate_file_number_in_file_is_a_problem(officer_api, world):
    data = rows(2) + [payload(file_number="I-1", last_name="Twin")]
    response = upload(officer_api, csv_file(data))
    assert response.status_code == 422
    assert response.json["problems"] == [{"row": 4, "column": "file_number", "problem":
                                          "R15: the personal file number appears again "
                                          "(first in row 2)"}]
    assert _count() == 0


def test_reimport_updates_by_file_number(officer_api, world):
    upload(officer_api, csv_file(rows(2)))
    changed = rows(2)
    changed[0]["last_name"] = "Updated"
    changed[1]["fitness"] = "limited"
    changed.append(payload(file_number="I-3"))
    response = upload(officer_api, csv_file(changed))
    assert (response.json["to_create"], response.json["to_update"]) == (1, 2)
    assert _count() == 3
    first = db.session.scalar(sa.select(Inmate).where(Inmate.file_number == "I-1"))
    assert first.last_name == "Updated"
    second = db.session.scalar(sa.select(Inmate).where(Inmate.file_number == "I-2"))
    assert second.fitness == Fitness.LIMITED and len(second.medical_assessments) == 2
    # the same file once more changes nothing
    assert upload(officer_api, csv_file(changed)).json["to_update"] == 0


def test_reimport_with_same_number_elsewhere_is_new(officer_api, world):
    factories.inmate(world["other_institution"], file_number="I-1")
    response = upload(officer_api, csv_file(rows(1)))
    assert response.json["to_create"] == 1
    assert _count() == 2


def test_xlsx_import_with_date_cells_and_semicolon_csv(officer_api, world):
    data = rows(2)
    data[0]["birth_date"] = TODAY.replace(year=1980)
    response = upload(officer_api, xlsx_file(data), name="in.xlsx")
    assert response.status_code == 200 and response.json["to_create"] == 2, response.json
    more = [payload(file_number="I-7", birth_date="01.02.1979")]
    response = upload(officer_api, csv_file(more, delimiter=";"), name="x.csv")
    assert response.status_code == 200, response.json
    assert _count() == 3


@pytest.mark.parametrize(("content", "name", "column"), [
    (b"not a workbook", "x.xlsx", "file"),
    (b"a,b", "x.txt", "file"),
    (b"file_number,last_name\nA,B\n", "x.csv", "first_name"),
    (b"file_number,colour\n", "x.csv", "colour"),
])
def test_unreadable_or_wrong_columns(officer_api, world, content, name, column):
    response = upload(officer_api, content, name=name)
    assert response.status_code == 422
    assert column in {p["column"] for p in response.json["problems"]}


def test_import_skills(officer_api, world, trades):
    home = world["institution"]
    factories.inmate(home, file_number="K-1")
    factories.inmate(home, file_number="K-2")
    good = [{"file_number": "K-1", "trade": "welder", "level": "2"},
            {"file_number": "K-2", "trade": "cook", "level": "1", "source": "assessed"}]
    response = upload(officer_api, csv_file(good, SKILL_COLUMNS), kind="skills")
    assert response.status_code == 200 and response.json["to_create"] == 2, response.json
    bad = [{"file_number": "K-1", "trade": "welder", "level": "3"},
           {"file_number": "K-404", "trade": "welder", "level": "1"},
           {"file_number": "K-2", "trade": "astronaut", "level": "1"},
           {"file_number": "K-2", "trade": "cook", "level": "5"}]
    response = upload(officer_api, csv_file(bad, SKILL_COLUMNS), kind="skills")
    assert response.status_code == 422
    assert {(p["row"], p["column"]) for p in response.json["problems"]} == {
        (3, "file_number"), (4, "trade"), (5, "level")}
    levels = db.session.scalars(sa.select(InmateSkill.level).order_by(InmateSkill.id)).all()
    assert levels == [2, 1]  # nothing of the bad file was written
    update = [{"file_number": "K-1", "trade": "welder", "level": "3"}]
    response = upload(officer_api, csv_file(update, SKILL_COLUMNS), kind="skills")
    assert response.json["to_update"] == 1 and _count(InmateSkill) == 2


def test_oversize_file_refused_with_message(app, officer_api, officer_client, world,
                                           monkeypatch):
    """The API takes MAX_UPLOAD_BYTES; the page, which makes a larger file a job
    (tests/jobs), takes JOB_UPLOAD_MAX_BYTES."""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    monkeypatch.setitem(app.config, "JOB_UPLOAD_MAX_BYTES", 2000)
    big = csv_file(rows(30))
    response = upload(officer_api, big)
    assert response.status_code == 413
    assert "too large" in response.json["message"]
    page = officer_client.post("/inmates/import", data={
        "kind": "inmates", "action": "check", "file": (io.BytesIO(big), "big.csv")},
        content_type="multipart/form-data")
    assert page.status_code == 413 and b"too large" in page.data
    assert _count() == 0


def test_page_preview_then_confirm(officer_client, world):
    page = officer_client.get("/inmates/import")
    assert page.status_code == 200
    preview = officer_client.post("/inmates/import", data={
        "kind": "inmates", "action": "check",
        "file": (io.BytesIO(csv_file(rows(2))), "in.csv")}, content_type="multipart/form-data")
    assert preview.status_code == 200 and b"2 to add" in preview.data
    assert _count() == 0
    stash = preview.data.decode().split('name="stash" value="')[1].split('"')[0]
    confirm = officer_client.post("/inmates/import", data={
        "kind": "inmates", "action": "commit", "stash": stash})
    assert confirm.status_code == 302
    assert _count() == 2
    replay = officer_client.post("/inmates/import", data={
        "kind": "inmates", "action": "commit", "stash": stash})
    assert replay.status_code == 422  # a stash is used once


def test_page_preview_lists_problems(officer_client, world):
    data = rows(2)
    data[1]["admission_date"] = "yesterday"
    response = officer_client.post("/inmates/import", data={
        "kind": "inmates", "action": "commit",
        "file": (io.BytesIO(csv_file(data)), "in.csv")}, content_type="multipart/form-data")
    assert response.status_code == 422
    text = response.data.decode()
    # the column named as people read it, with the file's own heading to find it
    assert ">Admission date (admission_date)</td>" in text and "Not a valid date" in text
    assert _count() == 0


def test_page_import_without_file(officer_client, world):
    response = officer_client.post("/inmates/import", data={"kind": "inmates"})
    assert response.status_code == 422


@pytest.mark.parametrize("kind", ["inmates", "skills"])
def test_templates_have_exact_columns(officer_api, officer_client, world, kind):
    columns = list(INMATE_COLUMNS if kind == "inmates" else SKILL_COLUMNS)
    response = officer_api.get(f"/api/inmates/template?kind={kind}&format=csv")
    assert response.status_code == 200
    assert next(csv.reader(io.StringIO(response.data.decode("utf-8-sig")))) == columns
    response = officer_client.get(f"/inmates/template.xlsx?kind={kind}")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows())] == [column_heading(c) for c in columns]
    assert officer_client.get("/inmates/template.pdf").status_code == 404


@pytest.mark.parametrize(("language", "heading", "help_heading"), [
    ("ru", "Дата рождения", "Обязательное"), ("kk", "Туған күні", "Міндетті")])
def test_the_page_template_is_headed_in_the_users_language_and_imports_back(
        app, world, language, heading, help_heading):
    """The officer's template speaks the officer's language (its columns and its help
    sheet), and a file headed so (or in another language of the app) is imported."""
    officer = world["officer"]
    officer.language = language
    db.session.commit()
    client = app.test_client()
    login(client, officer)
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get("/inmates/template.xlsx?kind=inmates").data))
    header = [c.value for c in next(workbook["data"].iter_rows())]
    assert heading in header and "birth_date" not in header
    help_rows = [[c.value for c in row] for row in workbook["help"].iter_rows()]
    assert help_rows[0][1] == help_heading
    assert any(row[0] == heading for row in help_rows)
    csv_header = next(csv.reader(io.StringIO(client.get(
        "/inmates/template.csv?kind=inmates").data.decode("utf-8-sig"))))
    assert csv_header == header

    record = payload(file_number="L-1")
    body = io.StringIO()
    writer = csv.writer(body)
    writer.writerow(header)
    writer.writerow([record.get(name, "") for name in INMATE_COLUMNS])
    preview = client.post("/inmates/import", data={
        "kind": "inmates", "action": "check",
        "file": (io.BytesIO(body.getvalue().encode()), "inmates.csv")},
        content_type="multipart/form-data")
    assert preview.status_code == 200 and 'name="stash"' in preview.text, preview.text
    stash = preview.text.split('name="stash" value="')[1].split('"')[0]
    assert client.post("/inmates/import", data={
        "kind": "inmates", "action": "commit", "stash": stash}).status_code == 302
    assert _count() == 1


def test_export_filtered_csv_and_xlsx_round_trip(officer_api, officer_client, world):
    home = world["institution"]
    factories.inmate(home, file_number="E-1", last_name="=cmd|' /C calc'!A0")
    factories.inmate(home, file_number="E-2", fitness=Fitness.LIMITED)
    factories.inmate(world["other_institution"], file_number="E-9")
    response = officer_api.get("/api/inmates/export?format=csv&fitness=fit")
    assert response.status_code == 200
    lines = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row["file_number"] for row in lines] == ["E-1"]
    assert lines[0]["last_name"].startswith("'=")  # no formula runs in a spreadsheet
    assert lines[0]["employed"] == "no"
    book = officer_client.get("/inmates/export.xlsx").data
    sheet = openpyxl.load_workbook(io.BytesIO(book)).worksheets[0]
    assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == ["E-1", "E-2"]
    # an export imports back without changes
    again = upload(officer_api, book, name="export.xlsx", dry_run="true")
    assert again.status_code == 200, again.json
    assert (again.json["to_create"], again.json["to_update"]) == (0, 0)


def test_import_refused_to_other_roles(prosecutor_api, employer_api, world):
    for api in (prosecutor_api, employer_api):
        assert upload(api, csv_file(rows(1))).status_code == 403
    assert _count() == 0


def test_release_date_in_past_allowed_on_import(officer_api, world):
    data = rows(1, release_date=(TODAY - timedelta(days=10)).isoformat())
    assert upload(officer_api, csv_file(data)).status_code == 200
