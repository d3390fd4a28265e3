"""Scans of the signed papers behind consents and medical assessments (issue 26): kept
in the database, checked as every scan is (app/core/scans.py: a PDF, JPEG or PNG by its
first bytes, at most 5 MB), attached on the officer's forms and through the API, and
read only within R16's scope: a consent's paper by whoever reads the consent, a medical
paper by the institution's officers and the prosecutors only; every read audited."""

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core import scans
from app.core.audit import AuditEvent
from app.core.vocabulary import ConsentKind
from app.extensions import db
from app.inmates.models import Consent, MedicalAssessment, PaperScan
from tests import factories
from tests.conftest import login
from tests.factories import ApiClient
from tests.inmates.helpers import TODAY

PDF = b"%PDF-1.7\n% a signed consent\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00 this program cannot be run in DOS mode"
TOO_LARGE = PDF + b"0" * scans.MAX_SCAN_BYTES


@pytest.fixture
def person(world):
    return factories.inmate(world["institution"])


@pytest.fixture
def consent(person):
    return factories.consent(person, ConsentKind.PRIVATE_EMPLOYER)


@pytest.fixture
def assessment(person):
    return db.session.scalar(sa.select(MedicalAssessment).where(
        MedicalAssessment.inmate_id == person.id))


def _client(app, user, language=None):
    if language is not None:  # the language the user chose (the pages speak it)
        user.language = language
        db.session.commit()
    client = app.test_client()
    login(client, user)
    return client


def _file(data: bytes, name: str) -> tuple[io.BytesIO, str]:
    return io.BytesIO(data), name


def _stored() -> list[PaperScan]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(PaperScan)))


def _attach(record, data=PDF, name="paper.pdf"):
    """A scan attached through the API by the institution's officer."""
    from app.inmates import papers

    papers.attach(record, scans.Scan(name, data))
    db.session.commit()


# --- one definition of a scan -------------------------------------------------------------

@pytest.mark.parametrize(("data", "kind"), [
    (PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg"),
    (EXE, None), (b"GIF89a", None), (b"%PDF", None), (b"", None)])
def test_a_scan_is_recognised_by_its_first_bytes(data, kind):
    assert scans.content_type_of(data) == kind


def test_a_scan_over_the_limit_and_of_a_wrong_type_is_refused_by_name_with_both_problems(app):
    problems = scans.problems("consent_scan", scans.Scan("x.pdf", b"MZ" + b"0" * (
        scans.MAX_SCAN_BYTES + 1)))
    assert list(problems) == ["consent_scan"] and len(problems["consent_scan"]) == 2
    assert scans.problems("consent_scan", scans.Scan("photo.pdf", JPEG)) == {}
    assert scans.problems("consent_scan", None) == {}


# --- the officer's pages ------------------------------------------------------------------

def test_the_officer_records_a_consent_with_its_scan_and_reads_it_back(app, world, person):
    officer = _client(app, world["officer"])
    response = officer.post(f"/inmates/{person.id}/consents", data={
        "kind": "private_employer", "given_on": TODAY.isoformat(), "document_ref": "No 17",
        "consent_scan": _file(PDF, "consent №17.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    [stored] = _stored()
    consent = db.session.scalar(sa.select(Consent).where(Consent.inmate_id == person.id))
    assert (stored.consent_id, stored.assessment_id, stored.inmate_id) == (
        consent.id, None, person.id)
    assert (stored.content_type, stored.size, stored.data) == ("application/pdf", len(PDF),
                                                               PDF)
    assert stored.uploaded_by_id == world["officer"].id

    url = f"/inmates/{person.id}/consents/{consent.id}/scan"
    assert url in officer.get(f"/inmates/{person.id}").get_data(as_text=True)
    read = officer.get(url)
    assert read.status_code == 200 and read.data == PDF
    assert read.headers["Content-Type"] == "application/pdf"
    assert read.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''consent%20%E2%84%9617.pdf" in read.headers["Content-Disposition"]
    assert read.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in read.headers["Cache-Control"]


def test_a_medical_paper_is_recorded_with_its_assessment(app, world, person):
    officer = _client(app, world["officer"])
    response = officer.post(f"/inmates/{person.id}/assessments", data={
        "fitness": "limited", "assessed_on": TODAY.isoformat(),
        "review_date": (TODAY + timedelta(days=90)).isoformat(),
        "medical_scan": _file(JPEG, "conclusion.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    [stored] = _stored()
    assert stored.assessment_id is not None and stored.content_type == "image/jpeg"
    read = officer.get(f"/inmates/{person.id}/assessments/{stored.assessment_id}/scan")
    assert read.status_code == 200 and read.headers["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(("language", "wrong_type", "too_large"), [
    ("en", "must be a PDF, JPEG or PNG file", "must be at most 5 MB"),
    ("ru", "должен быть файлом PDF, JPEG или PNG", "должен быть не больше 5 МБ"),
    ("kk", "PDF, JPEG немесе PNG файлы болуы керек", "5 МБ-тан аспауы керек")])
def test_a_renamed_program_or_a_file_too_large_is_a_form_message_and_nothing_is_kept(
        app, world, person, language, wrong_type, too_large):
    app.config["MAX_CONTENT_LENGTH"] = 5 * 1024 * 1024  # as configured by default
    officer = _client(app, world["officer"], language)
    refused = officer.post(f"/inmates/{person.id}/consents", data={
        "kind": "", "given_on": TODAY.isoformat(),
        "consent_scan": _file(EXE, "consent.pdf")}, content_type="multipart/form-data")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert wrong_type in page and 'href="#consent_scan"' in page  # named in the summary
    assert 'id="kind-error"' in page  # the other field's problem in the same round
    large = officer.post(f"/inmates/{person.id}/assessments", data={
        "fitness": "fit", "assessed_on": TODAY.isoformat(),
        "medical_scan": _file(TOO_LARGE, "scan.pdf")}, content_type="multipart/form-data")
    assert large.status_code == 422 and too_large in large.get_data(as_text=True)
    assert 'href="#medical_scan"' in large.get_data(as_text=True)
    assert _stored() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consent)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MedicalAssessment).where(
        MedicalAssessment.inmate_id == person.id)) == 1  # only the admission's


def test_a_scan_is_attached_to_a_consent_recorded_with_its_reference_only(
        app, world, person, consent):
    officer = _client(app, world["officer"])
    url = f"/inmates/{person.id}/consents/{consent.id}/scan"
    refused = officer.post(url, data={"scan": _file(EXE, "consent.pdf")},
                           content_type="multipart/form-data")
    assert refused.status_code == 422
    assert f'id="consents-scan-{consent.id}-error"' in refused.get_data(as_text=True)
    empty = officer.post(url, data={"scan": _file(b"", "")}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "choose the file" in empty.get_data(as_text=True)
    assert _stored() == []
    assert officer.post(url, data={"scan": _file(PNG, "consent.png")},
                        content_type="multipart/form-data").status_code == 302
    assert officer.post(url, data={"scan": _file(PDF, "consent.pdf")},
                        content_type="multipart/form-data").status_code == 302
    [stored] = _stored()  # replaced, not added
    assert (stored.content_type, stored.filename) == ("application/pdf", "consent.pdf")
    changes = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "PaperScan", AuditEvent.action != "view")).all()
    assert [e.action for e in changes] == ["create", "update"]
    assert changes[0].after["data"] == "(hidden)" and changes[1].after["data"] == "(hidden)"
    assert changes[1].before["filename"] == "consent.png"


def test_a_scan_far_over_the_limit_is_refused_on_the_page_not_by_a_bare_error(
        app, world, person, consent):
    huge = PDF + b"0" * (scans.MAX_SCAN_REQUEST_BYTES + 1)
    response = _client(app, world["officer"]).post(
        f"/inmates/{person.id}/consents/{consent.id}/scan", data={"scan": _file(huge, "a.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "a scan may be at most 5 MB" in response.get_data(as_text=True)
    assert person.full_name in response.get_data(as_text=True)  # the person's page
    assert _stored() == []


# --- the API --------------------------------------------------------------------------------

def test_the_api_attaches_and_reads_a_consents_scan(app, world, person):
    officer = ApiClient(app, world["officer"])
    created = officer.post(f"/api/inmates/{person.id}/consents",
                           json={"kind": "private_employer", "document_ref": "No 3"})
    assert created.status_code == 201 and created.json["has_scan"] is False
    url = f"/api/inmates/{person.id}/consents/{created.json['id']}/scan"
    for data, name in ((EXE, "consent.pdf"), (TOO_LARGE, "consent.pdf"), (b"", "empty.pdf")):
        refused = officer.post(url, data={"scan": _file(data, name)},
                               content_type="multipart/form-data")
        assert refused.status_code == 422 and list(refused.json["errors"]) == ["scan"], name
    missing = officer.post(url, data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "scan" in missing.json["errors"]
    assert officer.get(url).status_code == 404  # nothing kept
    assert _stored() == []

    done = officer.post(url, data={"scan": _file(PNG, "consent.png")},
                        content_type="multipart/form-data")
    assert done.status_code == 200 and done.json["has_scan"] is True
    read = officer.get(url)
    assert read.status_code == 200 and read.data == PNG
    assert read.headers["Content-Type"] == "image/png"
    assert read.headers["Content-Disposition"].startswith("attachment;")
    assert read.headers["X-Content-Type-Options"] == "nosniff"
    detail = officer.get(f"/api/inmates/{person.id}").json
    assert [c["has_scan"] for c in detail["consents"]] == [True]


def test_the_api_attaches_a_medical_paper(app, world, person, assessment):
    officer = ApiClient(app, world["officer"])
    url = f"/api/inmates/{person.id}/assessments/{assessment.id}/scan"
    done = officer.post(url, data={"scan": _file(JPEG, "paper.jpg")},
                        content_type="multipart/form-data")
    assert done.status_code == 200 and done.json["has_scan"] is True
    assert officer.get(url).headers["Content-Type"] == "image/jpeg"


def test_a_request_far_over_the_limit_names_the_scan_in_the_api(app, world, person, consent):
    huge = PDF + b"0" * (scans.MAX_SCAN_REQUEST_BYTES + 1)
    response = ApiClient(app, world["officer"]).post(
        f"/api/inmates/{person.id}/consents/{consent.id}/scan",
        data={"scan": _file(huge, "a.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 413 and list(response.json["errors"]) == ["scan"]


def test_the_openapi_document_describes_the_scans(app, client):
    spec = client.get("/api/openapi.json").json
    attach = spec["paths"]["/api/inmates/{inmate_id}/consents/{consent_id}/scan"]["post"]
    assert "multipart/form-data" in attach["requestBody"]["content"]
    assert {"401", "403", "404", "422"} <= set(attach["responses"])
    read = spec["paths"]["/api/inmates/{inmate_id}/assessments/{assessment_id}/scan"]["get"]
    assert set(read["responses"]["200"]["content"]) == {"application/pdf", "image/jpeg",
                                                        "image/png"}


# --- who reads them (R16, R21) --------------------------------------------------------------

CONSENT_READERS = {"officer": 200, "prosecutor": 200, "national_prosecutor": 200,
                   "admin": 200, "other_officer": 404, "other_prosecutor": 404,
                   "employer_user": 403, "partner": 403}
MEDICAL_READERS = CONSENT_READERS | {"admin": 403}


@pytest.fixture
def referred_partner(world, person):
    """A partner organisation the person was referred to, with their consent to share in
    force (R21): it sees the referral's fields, never the papers."""
    from app.reintegration import operations as reintegration

    factories.consent(person, ConsentKind.SHARE_WITH_PARTNERS)
    partner = factories.partner_user(world["region"])
    with factories.acting_as(world["officer"]):
        plan = reintegration.open_plan(person, TODAY)
        plan.destination_region_id = world["region"].id
        reintegration.refer(plan, {"partner_id": partner.partner_id, "due_on": None,
                                   "part_ids": [plan.parts[0].id], "note": ""},
                            world["officer"], TODAY)
        db.session.commit()
    return partner


@pytest.mark.parametrize(("records", "readers"), [("consents", CONSENT_READERS),
                                                  ("assessments", MEDICAL_READERS)])
def test_only_those_r16_lets_read_the_paper_read_it_every_read_audited(
        app, world, person, consent, assessment, referred_partner, records, readers):
    record = consent if records == "consents" else assessment
    _attach(record)
    users = dict(world) | {"partner": referred_partner}
    for key, status in readers.items():
        for path in (f"/inmates/{person.id}/{records}/{record.id}/scan",
                     f"/api/inmates/{person.id}/{records}/{record.id}/scan"):
            client = (ApiClient(app, users[key]) if path.startswith("/api/")
                      else _client(app, users[key]))
            response = client.get(path)
            assert response.status_code == status, (key, path, response.status_code)
            if status == 200:
                assert response.data == PDF
    reads = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "PaperScan", AuditEvent.action == "view")).all()
    allowed = [users[key].id for key, status in readers.items() if status == 200]
    assert sorted(e.actor_id for e in reads) == sorted(allowed * 2)  # page and API
    assert {e.institution_id for e in reads} == {world["institution"].id}
    assert all(e.after["inmate_id"] == person.id for e in reads)


def test_only_the_institutions_officer_attaches(app, world, person, consent):
    url = f"/api/inmates/{person.id}/consents/{consent.id}/scan"
    for key, status in (("other_officer", 404), ("prosecutor", 403), ("admin", 403),
                        ("employer_user", 403)):
        response = ApiClient(app, world[key]).post(url, data={"scan": _file(PDF, "a.pdf")},
                                                   content_type="multipart/form-data")
        assert response.status_code == status, key
    assert _client(app, world["other_officer"]).post(
        f"/inmates/{person.id}/consents/{consent.id}/scan",
        data={"scan": _file(PDF, "a.pdf")},
        content_type="multipart/form-data").status_code == 404
    assert _stored() == []


def test_the_profile_links_a_paper_only_for_those_who_may_read_it(
        app, world, person, consent, assessment):
    _attach(consent)
    _attach(assessment, JPEG, "paper.jpg")
    consent_url = f"/inmates/{person.id}/consents/{consent.id}/scan"
    medical_url = f"/inmates/{person.id}/assessments/{assessment.id}/scan"
    for key, medical in (("officer", True), ("prosecutor", True), ("admin", False)):
        page = _client(app, world[key]).get(f"/inmates/{person.id}").get_data(as_text=True)
        assert f'href="{consent_url}"' in page, key
        assert (f'href="{medical_url}"' in page) is medical, key
    # Nobody read a paper by opening the page: only downloads are reads.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.entity_type == "PaperScan", AuditEvent.action == "view")) == 0
