"""Match runs: the engine's proposals stored with the input and settings snapshots;
bulk decisions; the run pages."""

from datetime import timedelta

import sqlalchemy as sa

import matching
from app.core.vocabulary import ConsentKind, Fitness, LegalStatus, ProposalStatus
from app.extensions import db
from app.placements.models import MatchRun, Placement, Proposal
from policy.clock import today_in_kazakhstan
from tests import factories

TODAY = today_in_kazakhstan()


def _institution_with_work(scene, workers=3, positions=2):
    vacancy = scene.vacancy(positions=positions)
    inmates = [scene.inmate() for _ in range(workers)]
    return vacancy, inmates


def test_start_run_stores_snapshots_result_and_proposals(officer_api, scene, world):
    vacancy, _ = _institution_with_work(scene)
    scene.inmate(fitness=Fitness.UNFIT)
    scene.inmate(legal_status=LegalStatus.REMAND, convicted_on=None)
    response = officer_api.post("/api/placements/runs", json={})
    assert response.status_code == 201, response.json
    body = response.json
    assert len(body["proposals"]) == 2
    assert {p["vacancy_id"] for p in body["proposals"]} == {vacancy.id}
    assert all(p["status"] == "pending" and p["score_parts"] for p in body["proposals"])
    assert body["summary"]["held"] == 5 and body["summary"]["able_to_work"] == 3
    reasons = {u["reason"] for u in body["unplaced"]}
    assert reasons == {"outscored", "not_able_to_work"}
    barred = {b["rule"] for u in body["unplaced"] for b in u["barred_by"]}
    assert {"R2", "R3"} <= barred
    db.session.expire_all()
    run = db.session.get(MatchRun, body["id"])
    assert run.started_by_id == world["officer"].id and run.institution_id == scene.institution.id
    assert run.settings_snapshot["target_rate"] == "0.750"
    replayed = matching.match(matching.load_problem(run.input_snapshot)).to_dict()
    assert replayed["proposals"] == run.result["proposals"]  # reproducible (R19)


def test_run_sees_only_its_institution(officer_api, scene, world):
    scene.vacancy()
    factories.inmate(world["other_institution"])
    body = officer_api.post("/api/placements/runs", json={}).json
    assert body["summary"]["held"] == 0 and body["proposals"] == []


def test_run_recommends_a_course(officer_api, scene):
    welding = factories.trade("welder")
    vacancy = scene.vacancy(positions=2)
    vacancy.required_certificates.append(welding)
    db.session.commit()
    scene.inmate()
    factories.course(scene.institution, trade_id=welding.id)
    body = officer_api.post("/api/placements/runs", json={}).json
    assert body["proposals"] == []
    recommendation = body["training_recommendations"][0]
    assert recommendation["extra_placements"] == 1


def test_run_as_of_in_the_past_is_refused(officer_api, scene):
    response = officer_api.post("/api/placements/runs",
                                json={"as_of": (TODAY - timedelta(days=1)).isoformat()})
    assert response.status_code == 422 and "as_of" in response.json["errors"]


def test_list_and_get_runs(officer_api, scene):
    _institution_with_work(scene)
    run_id = officer_api.post("/api/placements/runs", json={}).json["id"]
    listed = officer_api.get("/api/placements/runs")
    assert listed.status_code == 200
    assert run_id in [r["id"] for r in listed.json]
    detail = officer_api.get(f"/api/placements/runs/{run_id}").json
    assert len(detail["proposals"]) == 2 and "unplaced" in detail


def test_bulk_accept_accepts_the_good_and_names_the_rule_of_the_others(officer_api, scene):
    good = scene.propose()
    private = scene.propose(vacancy=scene.vacancy(private=True))
    response = officer_api.post("/api/placements/proposals/accept",
                                json={"proposal_ids": [good.id, private.id]})
    assert response.status_code == 200, response.json
    assert (response.json["accepted"], response.json["refused"]) == (1, 1)
    refused = [r for r in response.json["results"] if r["status"] == "refused"][0]
    assert refused["proposal_id"] == private.id and "R5" in refused["message"]
    db.session.expire_all()
    assert db.session.get(Proposal, good.id).status == ProposalStatus.ACCEPTED
    assert db.session.get(Proposal, private.id).status == ProposalStatus.PENDING


def test_bulk_accept_never_exceeds_positions(officer_api, scene):
    vacancy = scene.vacancy(positions=2)
    proposals = [scene.propose(vacancy=vacancy) for _ in range(3)]
    response = officer_api.post("/api/placements/proposals/accept",
                                json={"proposal_ids": [p.id for p in proposals]})
    assert (response.json["accepted"], response.json["refused"]) == (2, 1)
    assert "R11" in response.json["results"][2]["message"]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 2


def test_reject_needs_a_reason_and_records_it(officer_api, scene, world):
    proposal = scene.propose()
    url = f"/api/placements/proposals/{proposal.id}/reject"
    response = officer_api.post(url, json={})
    assert response.status_code == 422 and "reason" in response.json["errors"]
    response = officer_api.post(url, json={"reason": "works in the kitchen already"})
    assert response.status_code == 200 and response.json["status"] == "rejected"
    db.session.expire_all()
    stored = db.session.get(Proposal, proposal.id)
    assert stored.rejection_reason == "works in the kitchen already"
    assert stored.decided_by_id == world["officer"].id
    assert officer_api.post(url, json={"reason": "again"}).status_code == 409
    assert officer_api.post(f"/api/placements/proposals/{proposal.id}/accept",
                            json={}).status_code == 409


def test_bulk_reject(officer_api, scene):
    proposals = [scene.propose(), scene.propose()]
    response = officer_api.post("/api/placements/proposals/reject",
                                json={"proposal_ids": [p.id for p in proposals],
                                      "reason": "security review"})
    assert response.json["rejected"] == 2


def test_pages_start_a_run_and_show_it(officer_client, scene):
    _institution_with_work(scene)
    response = officer_client.post("/placements/runs")
    assert response.status_code == 302
    db.session.expire_all()
    run = db.session.scalars(sa.select(MatchRun).order_by(MatchRun.id.desc())).first()
    assert response.headers["Location"].endswith(f"/placements/runs/{run.id}")
    page = officer_client.get(f"/placements/runs/{run.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Testov" in html and "Welder" in html
    unplaced = officer_client.get(f"/placements/runs/{run.id}/unplaced")
    assert unplaced.status_code == 200 and "Outscored" in unplaced.get_data(as_text=True)
    listing = officer_client.get("/placements/runs")
    assert listing.status_code == 200 and f"#{run.id}" in listing.get_data(as_text=True)


def test_page_bulk_decisions(officer_client, scene):
    good, private = scene.propose(), scene.propose(vacancy=scene.vacancy(private=True))
    response = officer_client.post(f"/placements/runs/{scene.run.id}/decide", data={
        "proposal_ids": [good.id, private.id], "action": "accept", "confirmed": "1"},
        follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "R5" in html
    db.session.expire_all()
    assert db.session.get(Proposal, good.id).status == ProposalStatus.ACCEPTED
    response = officer_client.post(f"/placements/runs/{scene.run.id}/decide", data={
        "proposal_ids": [private.id], "action": "reject", "reason": "no consent"})
    db.session.expire_all()
    assert db.session.get(Proposal, private.id).status == ProposalStatus.REJECTED


def test_page_reject_without_reason_is_refused(officer_client, scene):
    proposal = scene.propose()
    response = officer_client.post(f"/placements/proposals/{proposal.id}/reject", data={})
    assert response.status_code == 422
    page = officer_client.get(f"/placements/proposals/{proposal.id}")
    assert page.status_code == 200


def test_consented_private_work_is_proposed(officer_api, scene):
    inmate = scene.inmate()
    factories.consent(inmate, ConsentKind.PRIVATE_EMPLOYER)
    scene.inmate()
    vacancy = scene.vacancy(private=True)
    body = officer_api.post("/api/placements/runs", json={}).json
    assert [(p["inmate_id"], p["vacancy_id"]) for p in body["proposals"]] == [
        (inmate.id, vacancy.id)]


def test_run_not_proven_optimal_says_so_on_page_and_json(officer_client, officer_api, scene):
    _institution_with_work(scene)
    body = officer_api.post("/api/placements/runs", json={}).json
    assert body["summary"]["proven_optimal"] is True
    page = officer_client.get(f"/placements/runs/{body['id']}").get_data(as_text=True)
    assert "Not proven optimal" not in page
    run = db.session.get(MatchRun, body["id"])
    result = dict(run.result)
    result["summary"] = {**result["summary"], "proven_optimal": False}
    run.result = result
    db.session.commit()
    page = officer_client.get(f"/placements/runs/{run.id}").get_data(as_text=True)
    assert "Not proven optimal" in page
    detail = officer_api.get(f"/api/placements/runs/{run.id}").json
    assert detail["summary"]["proven_optimal"] is False
    result["separation"] = {**result["separation"], "upper_placed": 7}
    run.result = dict(result)
    db.session.commit()
    page = officer_client.get(f"/placements/runs/{run.id}").get_data(as_text=True)
    assert "Proven: no answer proposes more than 7." in page


def test_page_bulk_decision_lists_every_problem_at_once(officer_client, scene):
    scene.propose()
    response = officer_client.post(f"/placements/runs/{scene.run.id}/decide", data={
        "action": "reject", "reason": " ", "start_date": "2026-02-30"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert summary.count("<li>") == 3
    for anchor in ("#proposal_ids", "#reason", "#start_date"):
        assert f'href="{anchor}"' in summary
    assert "Select at least one proposal." in summary
    assert "Give a reason for the rejection." in summary


def test_page_bulk_decision_refused_keeps_the_ticks_and_decides_nothing(officer_client, scene):
    proposal = scene.propose()
    response = officer_client.post(f"/placements/runs/{scene.run.id}/decide", data={
        "proposal_ids": [proposal.id], "action": "reject", "reason": ""})
    assert response.status_code == 422
    assert f'value="{proposal.id}" id="proposal-{proposal.id}" checked' in response.get_data(
        as_text=True)
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status == ProposalStatus.PENDING
