"""Findings: the one thing a prosecutor records; officers read their institution's."""

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.core.vocabulary import FindingStatus, Fitness
from app.extensions import db
from app.monitoring import operations
from app.monitoring.models import Finding
from tests import factories
from tests.conftest import login


@pytest.fixture
def violation(clean):
    return clean(inmate={"fitness": Fitness.UNFIT})


def _findings():
    db.session.expire_all()
    return db.session.scalars(sa.select(Finding).order_by(Finding.id)).all()


def test_prosecutor_records_a_finding_on_a_violation(violation, world, prosecutor_client):
    response = prosecutor_client.post("/monitoring/findings", data={
        "placement_id": violation.id, "rule": "R3", "text": "Unfit inmate at work",
        "kind": "act_of_response",
        "institution_id": world["institution"].id,
        "next": f"/monitoring/placements/{violation.id}"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/monitoring/placements/{violation.id}")
    [finding] = _findings()
    assert (finding.rule, finding.placement_id, finding.institution_id, finding.author_id,
            finding.status) == ("R3", violation.id, world["institution"].id,
                                world["prosecutor"].id, FindingStatus.OPEN)
    audit = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "Finding")).one()
    assert audit.actor_id == world["prosecutor"].id and audit.action == "create"
    page = prosecutor_client.get(f"/monitoring/placements/{violation.id}")
    assert b"Unfit inmate at work" in page.data


def test_finding_on_an_institution(world, prosecutor_client):
    response = prosecutor_client.post("/monitoring/findings", data={
        "institution_id": world["institution"].id, "text": "Too few work places",
        "kind": "warning"})
    assert response.status_code == 302
    assert [(f.institution_id, f.rule, f.placement_id) for f in _findings()] == [
        (world["institution"].id, None, None)]


@pytest.mark.parametrize("data, field", [
    ({"text": ""}, b"This field is required"),
    ({"text": "x", "rule": "R99"}, b"Not a valid choice"),
])
def test_invalid_finding_is_refused_with_422(world, prosecutor_client, data, field):
    data = {"institution_id": world["institution"].id, "kind": "other", **data}
    response = prosecutor_client.post("/monitoring/findings", data=data)
    assert response.status_code == 422 and field in response.data
    assert _findings() == []


def test_finding_on_placement_needs_a_rule(violation, world):
    with pytest.raises(operations.RuleViolation) as refused:
        operations.record_finding(world["prosecutor"], text="x", placement_id=violation.id,
                                  kind="warning")
    assert refused.value.field == "rule"


def test_finding_outside_the_region_is_404(violation, world, other_prosecutor_client):
    for data in ({"institution_id": world["institution"].id, "text": "x", "kind": "other"},
                 {"placement_id": violation.id, "rule": "R3", "text": "x", "kind": "other"}):
        response = other_prosecutor_client.post("/api/monitoring/findings", json=data,
                                                headers=factories.bearer(
                                                    world["other_prosecutor"]))
        assert response.status_code == 404
    assert _findings() == []


def test_officers_and_employers_may_not_record_or_resolve(world, officer_client,
                                                         employer_client):
    finding = operations.record_finding(world["prosecutor"], text="x", kind="other",
                                        institution_id=world["institution"].id)
    db.session.commit()
    for client in (officer_client, employer_client):
        assert client.post("/monitoring/findings", data={
            "institution_id": world["institution"].id, "text": "y"}).status_code == 403
        assert client.post(f"/monitoring/findings/{finding.id}/resolve").status_code == 403
    assert len(_findings()) == 1 and _findings()[0].status == FindingStatus.OPEN


def test_officer_reads_own_institutions_findings_only(world, officer_client):
    for institution, text in ((world["institution"], "Dolinka finding"),
                              (world["other_institution"], "Pavlodar finding")):
        author = world["prosecutor"] if institution == world["institution"] else world[
            "other_prosecutor"]
        operations.record_finding(author, text=text, institution_id=institution.id,
                                  kind="warning")
    db.session.commit()
    page = officer_client.get("/monitoring/findings")
    assert page.status_code == 200
    assert b"Dolinka finding" in page.data and b"Pavlodar finding" not in page.data
    assert b"Resolve" not in page.data and b"Record finding" not in page.data
    api = officer_client.get("/api/monitoring/findings")
    assert [f["text"] for f in api.json] == ["Dolinka finding"]


def test_prosecutor_resolves_own_finding_only(app, world, prosecutor_client):
    finding = operations.record_finding(world["prosecutor"], text="x", kind="other",
                                        institution_id=world["institution"].id)
    db.session.commit()
    colleague = app.test_client()
    login(colleague, world["national_prosecutor"])
    assert colleague.post(f"/monitoring/findings/{finding.id}/resolve").status_code == 403
    assert prosecutor_client.post(
        f"/monitoring/findings/{finding.id}/resolve").status_code == 302
    [resolved] = _findings()
    assert resolved.status == FindingStatus.RESOLVED and resolved.resolved_at is not None
    again = prosecutor_client.post(f"/api/monitoring/findings/{finding.id}/resolve",
                                   headers=factories.bearer(world["prosecutor"]))
    assert again.status_code == 409


def test_api_records_and_validates_findings(violation, world):
    headers = factories.bearer(world["prosecutor"])
    from flask import current_app

    client = current_app.test_client()
    created = client.post("/api/monitoring/findings", headers=headers, json={
        "placement_id": violation.id, "rule": "R3", "text": "Unfit", "kind": "protest"})
    assert created.status_code == 201
    assert created.json["institution_id"] == world["institution"].id
    assert created.json["status"] == "open"
    refused = client.post("/api/monitoring/findings", headers=headers, json={"rule": "R3"})
    assert refused.status_code == 422 and "text" in refused.json["errors"]
    no_target = client.post("/api/monitoring/findings", headers=headers,
                            json={"text": "x", "kind": "other"})
    assert no_target.status_code == 422 and "institution_id" in no_target.json["errors"]
    officer = client.post("/api/monitoring/findings", headers=factories.bearer(
        world["officer"]), json={"institution_id": world["institution"].id, "text": "x"})
    assert officer.status_code == 403


def test_officer_navigation_leads_to_findings(officer_client):
    page = officer_client.get("/monitoring/findings")
    assert b'href="/monitoring/findings"' in page.data
