"""Odd input a hostile client sends gets a clear 400/422 naming the field, never a 500."""

import io
import json

import openpyxl
import pytest
import sqlalchemy as sa

from app.core.errors import handle_unexpected
from app.core.identifiers import bin_iin_problem
from app.vacancies.models import Employer
from tests import factories
from tests.factories import PASSWORD


def _registration(**changes):
    body = dict(kind="private_company", bin_iin=factories.valid_bin("0812"), name="Steel LLP",
                address="Karaganda", contact_person="Aigul Nur", phone="+7 701 000 0000",
                email="boss@steel.kz", password=PASSWORD)
    return body | changes


def _post_raw(client, path, text, **kwargs):
    return client.post(path, data=text.encode("utf-8"), content_type="application/json",
                       **kwargs)


def test_a_lone_surrogate_is_refused_naming_the_field(client, app):
    body = json.dumps(_registration(name="\ud800 Steel"))  # ASCII JSON with "\ud800"
    assert "\\ud800" in body
    response = _post_raw(client, "/api/employer/registrations", body)
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["name"]
    assert "surrogate" in response.json["errors"]["name"][0]


@pytest.mark.parametrize("escape", ["\\uD800", "\\udfff", "\\u0000"])
def test_an_escape_in_any_case_is_seen_in_a_long_body(client, app, escape):
    """The check reads the escape, not the parsed string: upper or lower case hex,
    deep inside a body otherwise unremarkable."""
    body = json.dumps(_registration(address="x" * 5_000)).replace('"Steel LLP"',
                                                                  f'"Steel{escape} LLP"')
    response = _post_raw(client, "/api/employer/registrations", body)
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["name"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32-le"])
def test_a_lone_surrogate_in_utf16_or_utf32_json_is_refused(client, app, encoding):
    """JSON may come in UTF-16 or UTF-32, where a lone surrogate needs no escape."""
    body = json.dumps(_registration(name="\ud800 Steel"), ensure_ascii=False)
    data = body.encode(encoding, "surrogatepass")
    response = client.post("/api/employer/registrations", data=data,
                           content_type="application/json")
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["name"]


def test_a_deeply_nested_array_is_refused(client, app):
    response = _post_raw(client, "/api/auth/tokens", "[" * 50_000 + "]" * 50_000)
    assert response.status_code == 400
    assert response.json["errors"] == {"_": ["is nested too deeply"]}


def test_a_nul_byte_in_json_or_a_form_is_refused(client, app):
    response = client.post("/api/employer/registrations", json=_registration(name="St\x00eel"))
    assert response.status_code == 422 and "name" in response.json["errors"]
    page = client.post("/login", data={"email": "a\x00@b.kz", "password": "x"})
    assert page.status_code == 422


def test_invalid_json_is_a_400(client, app):
    response = _post_raw(client, "/api/auth/tokens", '{"email": ')
    assert response.status_code == 400


@pytest.mark.parametrize("digits", ["⁰" * 12, "٠" * 12, "０" * 12, "000000000⁰00"])
def test_only_ascii_digits_make_a_bin(digits):
    assert bin_iin_problem(digits) == "must be exactly 12 digits"


def test_arabic_indic_digits_do_not_register_a_duplicate(client, app):
    first = client.post("/api/employer/registrations",
                        json=_registration(bin_iin="000000000000"))
    assert first.status_code == 201
    for digits in ("٠" * 12, "⁰" * 12):
        again = client.post("/api/employer/registrations", json=_registration(
            bin_iin=digits, email=f"x{len(digits)}{ord(digits[0])}@steel.kz"))
        assert again.status_code == 422
        assert "bin_iin" in again.json["errors"]
    assert len(app.extensions["sqlalchemy"].session.scalars(sa.select(Employer)).all()) == 1


def test_the_500_handler_answers_json(app):
    with app.test_request_context("/api/inmates"):
        response, status = handle_unexpected(RuntimeError("boom"))
    assert status == 500
    assert response.get_json() == {"code": 500, "status": "Internal Server Error",
                                   "message": "An unexpected error occurred."}


def test_the_national_rates_xlsx_export(world, national_prosecutor_client):
    from app.jobs.worker import work_once

    # the whole country's file is a job (app/monitoring/export_jobs.py)
    job_page = national_prosecutor_client.post("/monitoring/export/rates.xlsx").location
    work_once(schedule=False)
    job_id = int(job_page.rsplit("/", 1)[1])
    response = national_prosecutor_client.get(f"/monitoring/export/jobs/{job_id}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Day"  # the day the figures describe comes first
    assert rows[1][1] == "total" and rows[1][2] == "Kazakhstan"
