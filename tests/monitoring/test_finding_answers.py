"""Findings that get answered: the prosecutor sets the day the institution is to answer
by; the institution's officer answers with what was done and a scan of the signed reply
(PDF, JPEG or PNG, at most 5 MB, recognised by its content, read only within R16's
scope); findings not answered by their day are flagged and listed on both sides."""

import io
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.monitoring.models import Finding, FindingScan
from policy.clock import today_in_kazakhstan
from tests.conftest import login

TODAY = today_in_kazakhstan()
PDF = b"%PDF-1.4\n% a signed answer\n%%EOF\n"


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _finding(world, prosecutor_client, due_on) -> Finding:
    response = prosecutor_client.post("/monitoring/findings", data={
        "institution_id": world["institution"].id, "text": "Too few work places",
        "kind": "act_of_response", "due_on": due_on.isoformat()})
    assert response.status_code == 302
    db.session.expire_all()
    return db.session.scalars(sa.select(Finding).order_by(Finding.id.desc())).first()


def test_the_institution_answers_with_a_scan_read_only_in_scope(app, world, prosecutor_client):
    finding = _finding(world, prosecutor_client, TODAY + timedelta(days=30))
    assert finding.due_on == TODAY + timedelta(days=30)
    officer = _client(app, world["officer"])
    url = f"/monitoring/findings/{finding.id}/answer"

    refused = officer.post(url, data={"answer": "", "scan": (io.BytesIO(b"MZ\x90 exe"),
                                                             "answer.pdf")},
                           content_type="multipart/form-data", follow_redirects=True)
    page = refused.get_data(as_text=True)
    assert "PDF, JPEG or PNG" in page and "required" in page  # both at once
    db.session.expire_all()
    assert db.session.get(Finding, finding.id).answered_at is None

    done = officer.post(url, data={"answer": "Two workshops opened",
                                   "scan": (io.BytesIO(PDF), "answer.pdf")},
                        content_type="multipart/form-data")
    assert done.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Finding, finding.id)
    assert stored.answer == "Two workshops opened" and stored.answered_by_id == world[
        "officer"].id
    scan = db.session.scalar(sa.select(FindingScan))
    assert (scan.content_type, scan.size) == ("application/pdf", len(PDF))

    listed = prosecutor_client.get("/monitoring/findings").get_data(as_text=True)
    assert "Two workshops opened" in listed and f"/findings/{finding.id}/scan" in listed
    read = prosecutor_client.get(f"/monitoring/findings/{finding.id}/scan")
    assert read.status_code == 200 and read.data == PDF
    assert read.headers["Content-Type"] == "application/pdf"
    assert "no-store" in read.headers["Cache-Control"]
    for outsider in ("other_prosecutor", "other_officer"):
        client = _client(app, world[outsider])
        assert client.get(f"/monitoring/findings/{finding.id}/scan").status_code == 404
    assert _client(app, world["employer_user"]).get(
        f"/monitoring/findings/{finding.id}/scan").status_code == 403
    assert _client(app, world["other_officer"]).post(url, data={
        "answer": "x"}).status_code == 404


def test_a_scan_too_large_is_refused(app, world, prosecutor_client):
    finding = _finding(world, prosecutor_client, TODAY + timedelta(days=3))
    big = PDF + b"0" * (5 * 1024 * 1024)
    app.config["MAX_CONTENT_LENGTH"] = 20 * 1024 * 1024
    response = _client(app, world["officer"]).post(
        f"/monitoring/findings/{finding.id}/answer",
        data={"answer": "done", "scan": (io.BytesIO(big), "big.pdf")},
        content_type="multipart/form-data", follow_redirects=True)
    assert "at most 5 MB" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FindingScan)) == 0


def test_findings_not_answered_by_their_day_are_flagged_on_both_sides(
        app, world, prosecutor_client):
    late = _finding(world, prosecutor_client, TODAY)
    late.due_on = TODAY - timedelta(days=2)  # recorded earlier, its day now passed
    db.session.commit()
    _finding(world, prosecutor_client, TODAY + timedelta(days=10))
    for client in (prosecutor_client, _client(app, world["officer"])):
        page = client.get("/monitoring/findings").get_data(as_text=True)
        assert 'id="overdue"' in page and "1 findings not answered" in page
        only = client.get("/monitoring/findings?late=true").get_data(as_text=True)
        assert only.count('class="due overdue"') == 1
    api = prosecutor_client.get("/api/monitoring/findings?late=true")
    assert [f["id"] for f in api.json] == [late.id]


def test_a_due_day_that_has_passed_is_refused(world, prosecutor_client):
    response = prosecutor_client.post("/monitoring/findings", data={
        "institution_id": world["institution"].id, "text": "x", "kind": "warning",
        "due_on": (TODAY - timedelta(days=1)).isoformat()})
    assert response.status_code == 422 and "has passed" in response.get_data(as_text=True)
