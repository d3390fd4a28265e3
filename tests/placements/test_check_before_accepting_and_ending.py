"""Check your answers before what cannot be undone: accepting proposals in bulk and
ending a placement are shown first (who, where, from which day, what follows, whom the
rules refuse), nothing written; the page's button applies the same answers."""

from datetime import timedelta

import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.core.templating import format_day
from app.core.vocabulary import ProposalStatus
from app.extensions import db
from app.placements.models import Placement, Proposal
from policy.clock import today_in_kazakhstan
from tests import factories

TODAY = today_in_kazakhstan()


def _audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def test_bulk_accept_shows_who_starts_and_whom_the_rules_refuse_before_writing(
        officer_client, scene):
    good = scene.propose(last_name="Goodman")
    private = scene.propose(vacancy=scene.vacancy(private=True, title="Private sewing"),
                            last_name="Noconsent")
    db.session.commit()
    audit = _audit_count()
    form = {"proposal_ids": [good.id, private.id], "action": "accept"}
    asked = officer_client.post(f"/placements/runs/{scene.run.id}/decide", data=form)
    assert asked.status_code == 200
    page = asked.text
    assert "Check before accepting 2 proposals" in page and "Nothing has been changed" in page
    changes = page.split('id="changes"')[1].split("</table>")[0]
    assert "Goodman" in changes and "Noconsent" in changes
    assert "not accepted" in changes.split("Noconsent")[1]  # R5: no consent, named
    assert "Accept 1 proposals" in page
    assert 'name="confirmed" value="1"' in page
    assert page.count('name="proposal_ids"') == 2
    db.session.expire_all()
    assert {db.session.get(Proposal, p).status for p in (good.id, private.id)} == {
        ProposalStatus.PENDING}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Placement)) == 0
    assert _audit_count() == audit

    done = officer_client.post(f"/placements/runs/{scene.run.id}/decide",
                               data=form | {"confirmed": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Proposal, good.id).status == ProposalStatus.ACCEPTED
    assert db.session.get(Proposal, private.id).status == ProposalStatus.PENDING


def test_bulk_reject_is_not_asked(officer_client, scene):
    proposal = scene.propose()
    db.session.commit()
    response = officer_client.post(f"/placements/runs/{scene.run.id}/decide", data={
        "proposal_ids": [proposal.id], "action": "reject", "reason": "not now"})
    assert response.status_code == 302


def test_ending_a_placement_is_checked_first_and_a_refusal_comes_before_the_question(
        officer_client, scene):
    placement = factories.placement(scene.inmate(last_name="Leaving"),
                                    scene.vacancy(title="Bakery"),
                                    start_date=TODAY - timedelta(days=30))
    db.session.commit()
    url = f"/placements/{placement.id}/end"
    early = officer_client.post(url, data={
        "reason": "health", "end_date": (TODAY - timedelta(days=40)).isoformat()})
    assert early.status_code == 422 and "before the placement started" in early.text
    assert "Check before" not in early.text

    answers = {"reason": "health", "end_date": TODAY.isoformat(), "note": "doctor's advice"}
    asked = officer_client.post(url, data=answers)
    assert asked.status_code == 200
    page = asked.text
    assert "Check before ending the placement" in page
    assert "Leaving" in page and "Bakery" in page and "doctor&#39;s advice" in page
    last_day = format_day(TODAY - timedelta(days=1))
    assert f"{last_day} is the last working day" in page
    assert "R19" in page  # an officer reads the rule's number
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).end_date is None

    done = officer_client.post(url, data=answers | {"confirmed": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    ended = db.session.get(Placement, placement.id)
    assert (ended.end_date, ended.end_note) == (TODAY, "doctor's advice")
