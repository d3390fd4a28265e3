"""R31's lifecycle: recording, the allowed steps, the audit of every change, and a
decline that never counts against the person."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.applications import operations as ops
from app.applications.models import Application, ApplicationState
from app.core.audit import AuditEvent
from app.core.errors import Conflict, RuleViolation
from app.extensions import db
from app.inmates.operations import release_inmate
from app.placements import adapter
from policy.law import APPLICATION_STATES
from tests.applications.conftest import apply_for
from tests.factories import TODAY, acting_as


def test_the_states_are_the_laws_list():
    assert tuple(s.value for s in ApplicationState) == APPLICATION_STATES


def test_a_written_application_is_received_on_the_day_on_the_paper(scene):
    application = apply_for(scene.people[0], scene.vacancy, days_ago=3)
    assert application.state == ApplicationState.RECEIVED
    assert application.received_on == TODAY - timedelta(days=3)
    assert application.institution_id == scene.institution.id
    assert application.key == f"vacancy:{scene.vacancy.id}"


def test_a_kiosk_application_is_received_today_whatever_date_is_given(scene):
    application = ops.apply(scene.people[0], kind="course", target_id=scene.course.id,
                            received_on=TODAY - timedelta(days=30), channel="kiosk")
    assert application.received_on == TODAY


@pytest.mark.parametrize("days_ago, field", [(-1, "received_on"), (400, "received_on")])
def test_implausible_days_are_refused_naming_the_field(scene, days_ago, field):
    with pytest.raises(RuleViolation) as refused:
        apply_for(scene.people[0], scene.vacancy, days_ago=days_ago)
    assert field in refused.value.errors


def test_another_institutions_vacancy_and_a_second_open_application_are_refused(scene):
    with pytest.raises(RuleViolation) as refused:
        apply_for(scene.people[0], scene.away_vacancy)
    assert "target_id" in refused.value.errors
    apply_for(scene.people[0], scene.vacancy)
    with pytest.raises(Conflict):
        apply_for(scene.people[0], scene.vacancy)


def test_only_the_allowed_steps(scene):
    application = apply_for(scene.people[0], scene.vacancy)
    with pytest.raises(Conflict):
        ops.decline(application, "I changed my mind")  # nothing offered yet
    with pytest.raises(Conflict):
        ops.accept_offer(application)
    ops.withdraw(application, "found another job")
    assert application.state == ApplicationState.WITHDRAWN
    assert application.reason == "found another job"
    with pytest.raises(Conflict):
        ops.withdraw(application)


def test_a_decline_needs_the_persons_words(scene):
    application = apply_for(scene.people[0], scene.vacancy)
    ops.move(application, ApplicationState.OFFERED)
    with pytest.raises(RuleViolation) as refused:
        ops.decline(application, "  ")
    assert "reason" in refused.value.errors
    ops.decline(application, "The shift clashes with my classes")
    assert application.state == ApplicationState.DECLINED
    assert application.reason == "The shift clashes with my classes"


def test_every_change_is_audited_with_who_made_it(scene):
    with acting_as(scene.officer):
        application = apply_for(scene.people[0], scene.vacancy)
        ops.move(application, ApplicationState.OFFERED)
        ops.decline(application, "too far from my unit")
        db.session.commit()
    events = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "Application",
        AuditEvent.entity_id == str(application.id)).order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["create", "update", "update"]
    assert [e.after.get("state") for e in events] == ["received", "offered", "declined"]
    assert {e.actor_id for e in events} == {scene.officer.id}
    assert all(e.institution_id == scene.institution.id for e in events)


def _engine_view(person):
    return adapter.load_inmates([person.id], TODAY)[0]


def test_a_decline_never_counts_against_the_person(scene):
    """The declined person's engine input is exactly that of one who never applied, and
    they may apply again at once; nothing else reads a decline."""
    declined, never = scene.people[0], scene.people[1]
    application = apply_for(declined, scene.vacancy)
    assert _engine_view(declined).applications == {
        f"vacancy:{scene.vacancy.id}": TODAY - timedelta(days=5)}
    ops.move(application, ApplicationState.OFFERED)
    ops.decline(application, "I prefer the course")
    db.session.commit()
    seen, other = _engine_view(declined), _engine_view(never)
    assert seen.applications == {}
    assert {k: v for k, v in vars(seen).items() if k not in ("id",)} == \
        {k: v for k, v in vars(other).items() if k not in ("id",)}
    again = apply_for(declined, scene.vacancy, days_ago=0)
    assert again.state == ApplicationState.RECEIVED


def test_release_closes_the_open_applications(scene):
    person = scene.people[0]
    open_one = apply_for(person, scene.vacancy)
    withdrawn = apply_for(person, scene.course)
    ops.withdraw(withdrawn)
    release_inmate(person, TODAY)
    db.session.commit()
    assert db.session.get(Application, open_one.id).state == ApplicationState.CLOSED
    assert db.session.get(Application, withdrawn.id).state == ApplicationState.WITHDRAWN
