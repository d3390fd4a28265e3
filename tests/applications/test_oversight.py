"""Oversight (R31): applications by institution and month, and an application not
answered within the year's answer days as a violation with evidence."""

from datetime import date, timedelta

import pytest

from app.applications import operations as ops
from app.applications.answers import give_answer
from app.applications.models import Application, ApplicationState
from app.applications.oversight import by_institution_and_month
from app.extensions import db
from app.monitoring.violations import Period, r31_late_answers
from app.settings.models import YearSettings
from app.settings.operations import settings_for
from tests.applications.conftest import apply_for
from tests.factories import TODAY

DAYS = 10  # the default answer days (policy.law.Law.application_answer_days)


def _late(period, scope=None):
    return r31_late_answers(period) if scope is None else r31_late_answers(period, scope)


def test_unanswered_past_the_deadline_is_a_violation_from_the_next_day(scene):
    application = apply_for(scene.people[0], scene.vacancy, days_ago=DAYS + 3)
    due = application.received_on + timedelta(days=DAYS)
    assert _late(Period(due - timedelta(days=5), due)) == []  # in time up to the due day
    found = _late(Period(due - timedelta(days=5), TODAY))
    assert [(v.application_id, v.day, v.answered_on, v.days_late) for v in found] == [
        (application.id, due + timedelta(days=1), None, 3)]


def test_an_answer_in_time_is_no_violation_and_a_late_one_counts_its_days(scene):
    in_time = apply_for(scene.people[0], scene.vacancy, days_ago=30)
    late = apply_for(scene.people[1], scene.vacancy, days_ago=30)
    give_answer(in_time, "waiting", {"position": 1, "of": 2},
                today=in_time.received_on + timedelta(days=DAYS))
    give_answer(late, "waiting", {"position": 2, "of": 2},
                today=late.received_on + timedelta(days=DAYS + 4))
    db.session.commit()
    found = _late(Period(TODAY - timedelta(days=60), TODAY))
    assert [(v.application_id, v.days_late) for v in found] == [(late.id, 4)]


def test_a_withdrawal_before_the_deadline_owes_no_answer(scene):
    application = apply_for(scene.people[0], scene.vacancy, days_ago=30)
    ops.withdraw(application, today=application.received_on + timedelta(days=2))
    db.session.commit()
    assert _late(Period(TODAY - timedelta(days=60), TODAY)) == []


@pytest.mark.parametrize("cut", [3, 8, 15])
def test_a_longer_period_finds_what_a_shorter_one_inside_it_finds(scene, cut):
    for n, days_ago in enumerate((40, 25, 14)):
        apply_for(scene.people[n], scene.vacancy, days_ago=days_ago)
    whole = Period(TODAY - timedelta(days=45), TODAY)
    inner = Period(TODAY - timedelta(days=cut + 5), TODAY - timedelta(days=cut))
    assert {v.application_id for v in _late(inner)} <= {v.application_id for v in _late(whole)}


def test_the_answer_days_are_a_setting(scene):
    row = settings_for(TODAY.year)
    row.application_answer_days = 20
    db.session.add(row)
    db.session.commit()
    assert isinstance(db.session.get(YearSettings, TODAY.year), YearSettings)
    apply_for(scene.people[0], scene.vacancy, days_ago=15)
    assert _late(Period(TODAY - timedelta(days=30), TODAY)) == []


def test_by_institution_and_month(scene):
    year = TODAY.year
    received = date(year, 1, 10) if date(year, 1, 31) <= TODAY else TODAY
    answered, declined, waiting = (
        apply_for(p, scene.vacancy, days_ago=(TODAY - received).days) for p in scene.people)
    give_answer(answered, "waiting", {"position": 1, "of": 1}, today=received)
    ops.move(declined, ApplicationState.OFFERED)
    ops.decline(declined, "not now")
    db.session.commit()
    rows = by_institution_and_month(year, scene.world["prosecutor"])
    assert [(r.institution_id, r.month, r.received, r.answered_in_time, r.offered, r.declined)
            for r in rows] == [(scene.institution.id, received.month, 3, 1, 1, 1)]
    assert by_institution_and_month(year, scene.world["other_prosecutor"]) == []
    assert waiting.state == ApplicationState.RECEIVED
    assert db.session.query(Application).count() == 3
