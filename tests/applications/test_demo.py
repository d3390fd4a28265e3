"""The demo's applications: every state of R31, a course's waiting list with its places,
an application answered late for the prosecutors; seeding twice adds nothing."""

from datetime import timedelta

import sqlalchemy as sa

from app.applications.models import AnswerKind, Application, ApplicationState
from app.demo import seed
from app.extensions import db
from app.monitoring.violations import Period, r31_late_answers
from policy.clock import today_in_kazakhstan


def test_the_demo_has_every_state_and_a_waiting_list(app):
    seed(total_inmates=150)
    db.session.commit()
    applications = db.session.scalars(sa.select(Application)).all()
    assert {a.state for a in applications} == set(ApplicationState)
    listed = [a for a in applications if a.course_id and a.answer_kind == AnswerKind.WAITING]
    assert len(listed) >= 2
    assert sorted(a.position for a in listed) == list(range(1, len(listed) + 1))
    assert {a.waiting_of for a in listed} == {len(listed)}
    assert {a.answer_language for a in applications if a.answer_kind} == {"kk", "ru"}
    today = today_in_kazakhstan()
    assert r31_late_answers(Period(today - timedelta(days=60), today))  # never answered
    count = len(applications)
    seed(total_inmates=150)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == count
