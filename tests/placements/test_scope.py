"""R16: officers act on their own institution only; other roles read or are refused."""

import pytest

from app.extensions import db
from app.placements.models import Proposal
from tests import factories


@pytest.fixture
def decided(scene):
    """A pending proposal and a placement at the officer's institution."""
    proposal = scene.propose()
    placement = factories.placement(scene.inmate(), scene.vacancy())
    return proposal, placement


def test_other_institutions_officer_gets_404(api, scene, decided):
    proposal, placement = decided
    other = api("other_officer")
    assert other.get(f"/api/placements/runs/{scene.run.id}").status_code == 404
    assert other.get(f"/api/placements/proposals/{proposal.id}").status_code == 404
    assert other.post(f"/api/placements/proposals/{proposal.id}/accept",
                      json={}).status_code == 404
    assert other.post(f"/api/placements/proposals/{proposal.id}/reject",
                      json={"reason": "x"}).status_code == 404
    assert other.post("/api/placements/proposals/accept",
                      json={"proposal_ids": [proposal.id]}).status_code == 404
    assert other.get(f"/api/placements/{placement.id}").status_code == 404
    assert other.post(f"/api/placements/{placement.id}/end",
                      json={"reason": "completed"}).status_code == 404
    assert other.get("/api/placements/runs").json == []
    assert other.get("/api/placements/").json == []
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status == "pending"


def test_other_institutions_officer_gets_404_on_pages(other_officer_client, scene, decided):
    proposal, placement = decided
    for url in (f"/placements/runs/{scene.run.id}", f"/placements/runs/{scene.run.id}/unplaced",
                f"/placements/proposals/{proposal.id}", f"/placements/{placement.id}/end"):
        assert other_officer_client.get(url).status_code == 404, url
    assert other_officer_client.post(
        f"/placements/proposals/{proposal.id}/accept").status_code == 404


@pytest.mark.parametrize("who", ["prosecutor", "employer_user", "admin"])
def test_non_officers_may_not_act(api, scene, decided, who):
    proposal, placement = decided
    client = api(who)
    assert client.post("/api/placements/runs", json={}).status_code == 403
    assert client.post(f"/api/placements/proposals/{proposal.id}/accept",
                       json={}).status_code == 403
    assert client.post(f"/api/placements/proposals/{proposal.id}/reject",
                       json={"reason": "x"}).status_code == 403
    assert client.post("/api/placements/proposals/accept",
                       json={"proposal_ids": [proposal.id]}).status_code == 403
    assert client.post(f"/api/placements/{placement.id}/end",
                       json={"reason": "completed"}).status_code == 403


def test_non_officers_may_not_act_on_pages(prosecutor_client, employer_client, scene, decided):
    proposal, placement = decided
    for client in (prosecutor_client, employer_client):
        assert client.post("/placements/runs").status_code == 403
        assert client.post(f"/placements/proposals/{proposal.id}/accept").status_code == 403
        assert client.post(f"/placements/runs/{scene.run.id}/decide").status_code == 403
        assert client.get(f"/placements/{placement.id}/end").status_code == 403


def test_employers_do_not_read_runs_or_placements(api, employer_client, scene):
    client = api("employer_user")
    assert client.get("/api/placements/runs").status_code == 403
    assert client.get("/api/placements/").status_code == 403
    assert employer_client.get("/placements/runs").status_code == 403
    assert employer_client.get("/placements/").status_code == 403


def test_prosecutor_reads_within_region_only(api, scene, decided):
    proposal, placement = decided
    assert api("prosecutor").get(f"/api/placements/runs/{scene.run.id}").status_code == 200
    assert api("prosecutor").get(f"/api/placements/{placement.id}").status_code == 200
    assert api("other_prosecutor").get(f"/api/placements/runs/{scene.run.id}").status_code == 404
    assert api("other_prosecutor").get("/api/placements/").json == []


def test_anonymous_api_gets_401(client, scene):
    assert client.get("/api/placements/runs").status_code == 401
    assert client.post("/api/placements/runs", json={}).status_code == 401
