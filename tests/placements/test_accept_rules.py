"""Accepting a proposal re-checks every rule on the data of the moment (R2-R14)
and refuses with 409/422 naming the rule; nothing is written on a refusal."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.core.vocabulary import (
    Conditions,
    ConsentKind,
    CustodyStatus,
    Fitness,
    LegalStatus,
    ProposalStatus,
    Regime,
    Sex,
    Shift,
    Site,
    VacancyStatus,
)
from app.extensions import db
from app.inmates.models import Certificate, CustodyPeriod, SeparationLink
from app.placements.models import Placement, Proposal
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.placements.conftest import accept_url

TODAY = today_in_kazakhstan()


def _refused(client, proposal, status, rule, field=None, body=None):
    response = client.post(accept_url(proposal), json=body or {})
    assert response.status_code == status, response.json
    assert rule in response.json["message"]
    if field:
        assert any(rule in message for message in response.json["errors"][field])
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement).where(
        Placement.inmate_id == proposal.inmate_id, Placement.start_date >= TODAY)) == 0
    assert db.session.get(Proposal, proposal.id).status == ProposalStatus.PENDING
    return response.json


def test_accept_creates_placement_and_audit(officer_api, scene, world):
    vacancy = scene.vacancy(start_date=TODAY + timedelta(days=5))
    proposal = scene.propose(vacancy=vacancy)
    response = officer_api.post(accept_url(proposal), json={})
    assert response.status_code == 201, response.json
    assert response.json["start_date"] == (TODAY + timedelta(days=5)).isoformat()
    db.session.expire_all()
    placement = db.session.get(Placement, response.json["id"])
    assert (placement.inmate_id, placement.vacancy_id, placement.proposal_id) == (
        proposal.inmate_id, vacancy.id, proposal.id)
    assert placement.created_by_id == world["officer"].id
    assert placement.weekly_hours == vacancy.weekly_hours
    stored = db.session.get(Proposal, proposal.id)
    assert stored.status == ProposalStatus.ACCEPTED
    assert stored.decided_by_id == world["officer"].id
    audit = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "Placement")).one()
    assert audit.after["id"] == placement.id and audit.after["proposal_id"] == proposal.id
    assert audit.actor_id == world["officer"].id and audit.action == "create"


def test_officer_may_choose_a_later_start_date(officer_api, scene):
    proposal = scene.propose()
    start = TODAY + timedelta(days=14)
    response = officer_api.post(accept_url(proposal), json={"start_date": start.isoformat()})
    assert response.status_code == 201
    assert response.json["start_date"] == start.isoformat()


def test_r2_remand_detainee(officer_api, scene):
    proposal = scene.propose(legal_status=LegalStatus.REMAND, convicted_on=None)
    _refused(officer_api, proposal, 422, "R2", "legal_status")


@pytest.mark.parametrize("fields", [
    {"fitness": Fitness.UNFIT},
    {"fitness_review_date": TODAY - timedelta(days=1)},
])
def test_r3_unfit_or_expired_review(officer_api, scene, fields):
    _refused(officer_api, scene.propose(**fields), 422, "R3", "fitness")


def test_r3_limited_fitness_and_heavy_work(officer_api, scene):
    proposal = scene.propose(vacancy=scene.vacancy(heavy_or_hazardous=True),
                             fitness=Fitness.LIMITED)
    _refused(officer_api, proposal, 422, "R3")


def test_r4_pension_age_without_consent(officer_api, scene):
    pensioner = scene.inmate(birth_date=date(TODAY.year - 64, 1, 1), sex=Sex.MALE)
    proposal = scene.propose(inmate=pensioner)
    _refused(officer_api, proposal, 422, "R4", "consents")
    factories.consent(pensioner, ConsentKind.VOLUNTARY_WORK)
    assert officer_api.post(accept_url(proposal), json={}).status_code == 201


def test_r5_private_employer_without_consent(officer_api, scene):
    proposal = scene.propose(vacancy=scene.vacancy(private=True))
    _refused(officer_api, proposal, 422, "R5", "consents")


def test_r5_withdrawn_consent_counts_as_none(officer_api, scene):
    inmate = scene.inmate(consent=True)
    consent = inmate.consents[0]
    consent.withdrawn_on = TODAY
    db.session.commit()
    proposal = scene.propose(inmate=inmate, vacancy=scene.vacancy(private=True))
    _refused(officer_api, proposal, 422, "R5")


def test_r6_juvenile_outside_a_juvenile_institution(officer_api, scene):
    proposal = scene.propose(birth_date=TODAY.replace(year=TODAY.year - 16) - timedelta(days=30))
    _refused(officer_api, proposal, 422, "R6", "birth_date")


def test_r7_vacancy_barred_to_women(officer_api, scene):
    proposal = scene.propose(vacancy=scene.vacancy(women_barred=True), sex=Sex.FEMALE)
    _refused(officer_api, proposal, 422, "R7", "sex")


def test_r8_maximum_regime_outside_the_perimeter(officer_api, scene):
    proposal = scene.propose(vacancy=scene.vacancy(site=Site.OUTSIDE), regime=Regime.MAXIMUM)
    _refused(officer_api, proposal, 422, "R8", "site")


def test_r8_medium_facilitated_may_work_outside(officer_api, scene):
    proposal = scene.propose(vacancy=scene.vacancy(site=Site.OUTSIDE), regime=Regime.MEDIUM,
                             conditions=Conditions.FACILITATED)
    assert officer_api.post(accept_url(proposal), json={}).status_code == 201


def test_r9_already_in_a_paid_placement(officer_api, scene):
    inmate = scene.inmate()
    factories.placement(inmate, scene.vacancy(weekly_hours=20, monthly_wage=45_000))
    proposal = scene.propose(inmate=inmate, vacancy=scene.vacancy(weekly_hours=20,
                                                                  monthly_wage=45_000))
    _refused(officer_api, proposal, 422, "R9", "weekly_hours")


def test_r9_placement_ending_before_the_start_does_not_count(officer_api, scene):
    inmate = scene.inmate()
    factories.placement(inmate, scene.vacancy(), end_date=TODAY + timedelta(days=3),
                        end_reason="completed")
    proposal = scene.propose(inmate=inmate)
    _refused(officer_api, proposal, 422, "R9")
    start = (TODAY + timedelta(days=3)).isoformat()
    response = officer_api.post(accept_url(proposal), json={"start_date": start})
    assert response.status_code == 201


def test_r9_disability_group_hours(officer_api, scene):
    factories.consent(inmate := scene.inmate(disability_group=2), ConsentKind.VOLUNTARY_WORK)
    proposal = scene.propose(inmate=inmate, vacancy=scene.vacancy(weekly_hours=40))
    _refused(officer_api, proposal, 422, "R9")


def test_r10_wage_under_the_minimum(officer_api, scene):
    proposal = scene.propose(vacancy=scene.vacancy(monthly_wage=50_000))
    _refused(officer_api, proposal, 422, "R10", "monthly_wage")


def test_r11_vacancy_full(officer_api, scene):
    vacancy = scene.vacancy(positions=1)
    factories.placement(scene.inmate(), vacancy)
    proposal = scene.propose(vacancy=vacancy)
    _refused(officer_api, proposal, 409, "R11", "positions")


def test_r11_vacancy_ended(officer_api, scene):
    vacancy = scene.vacancy(start_date=TODAY - timedelta(days=30),
                            end_date=TODAY - timedelta(days=1))
    _refused(officer_api, scene.propose(vacancy=vacancy), 409, "R11")


def test_r12_missing_certificate(officer_api, scene):
    welding = factories.trade("welder")
    vacancy = scene.vacancy()
    vacancy.required_certificates.append(welding)
    db.session.commit()
    inmate = scene.inmate()
    proposal = scene.propose(inmate=inmate, vacancy=vacancy)
    _refused(officer_api, proposal, 422, "R12", "qualification")
    db.session.add(Certificate(inmate_id=inmate.id, trade_id=welding.id, issued_on=TODAY))
    db.session.commit()
    assert officer_api.post(accept_url(proposal), json={}).status_code == 201


def test_r13_release_before_the_start(officer_api, scene):
    vacancy = scene.vacancy(start_date=TODAY + timedelta(days=30))
    proposal = scene.propose(vacancy=vacancy, release_date=TODAY + timedelta(days=10))
    _refused(officer_api, proposal, 422, "R13", "release_date")


def test_r13_chosen_start_after_release(officer_api, scene):
    proposal = scene.propose(release_date=TODAY + timedelta(days=10))
    body = {"start_date": (TODAY + timedelta(days=20)).isoformat()}
    _refused(officer_api, proposal, 422, "R13", body=body)


def test_r14_partner_already_at_the_same_site_and_shift(officer_api, scene):
    partner, inmate = scene.inmate(), scene.inmate()
    db.session.add(SeparationLink(inmate_a_id=min(partner.id, inmate.id),
                                  inmate_b_id=max(partner.id, inmate.id), created_on=TODAY))
    db.session.commit()
    factories.placement(partner, scene.vacancy(shift=Shift.DAY))
    _refused(officer_api, scene.propose(inmate=inmate, vacancy=scene.vacancy(shift=Shift.DAY)),
             409, "R14", "separation")
    night = scene.propose(inmate=scene.inmate(), vacancy=scene.vacancy(shift=Shift.NIGHT))
    assert officer_api.post(accept_url(night), json={}).status_code == 201


def test_several_rules_are_all_named(officer_api, scene):
    proposal = scene.propose(vacancy=scene.vacancy(private=True, women_barred=True),
                             sex=Sex.FEMALE)
    body = _refused(officer_api, proposal, 422, "R5")
    assert "R7" in body["message"]
    assert set(body["errors"]) >= {"consents", "sex"}


def test_inmate_no_longer_held(officer_api, scene):
    inmate = scene.inmate()
    proposal = scene.propose(inmate=inmate)
    inmate.status = CustodyStatus.RELEASED
    period = db.session.scalars(sa.select(CustodyPeriod).where(
        CustodyPeriod.inmate_id == inmate.id)).one()
    period.ended_on, period.end_reason = TODAY, CustodyStatus.RELEASED
    db.session.commit()
    body = officer_api.post(accept_url(proposal), json={})
    assert body.status_code == 409 and "inmate" in body.json["errors"]


def test_vacancy_no_longer_published(officer_api, scene):
    vacancy = scene.vacancy()
    proposal = scene.propose(vacancy=vacancy)
    vacancy.status = VacancyStatus.CLOSED
    db.session.commit()
    response = officer_api.post(accept_url(proposal), json={})
    assert response.status_code == 409 and "vacancy" in response.json["errors"]


def test_start_date_rules(officer_api, scene):
    vacancy = scene.vacancy(start_date=TODAY + timedelta(days=10))
    proposal = scene.propose(vacancy=vacancy)
    early = {"start_date": (TODAY + timedelta(days=2)).isoformat()}
    response = officer_api.post(accept_url(proposal), json=early)
    assert response.status_code == 422 and "start_date" in response.json["errors"]
    past = {"start_date": (TODAY - timedelta(days=1)).isoformat()}
    response = officer_api.post(accept_url(proposal), json=past)
    assert response.status_code == 422 and "start_date" in response.json["errors"]


def test_a_decided_proposal_cannot_be_accepted_again(officer_api, scene):
    proposal = scene.propose()
    assert officer_api.post(accept_url(proposal), json={}).status_code == 201
    response = officer_api.post(accept_url(proposal), json={})
    assert response.status_code == 409 and "proposal" in response.json["errors"]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 1


def test_page_accept_refusal_shows_the_rule(officer_client, scene):
    proposal = scene.propose(vacancy=scene.vacancy(private=True))
    response = officer_client.post(f"/placements/proposals/{proposal.id}/accept", data={})
    assert response.status_code == 422
    assert "R5" in response.get_data(as_text=True)


def test_page_accept(officer_client, scene):
    proposal = scene.propose()
    response = officer_client.post(f"/placements/proposals/{proposal.id}/accept", data={})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status == ProposalStatus.ACCEPTED
