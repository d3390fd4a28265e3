"""R13 when a course's end date moves: an inmate enrolled must still be released
after the course ends, as at enrolment."""

from datetime import timedelta

import sqlalchemy as sa

from app.core.vocabulary import EnrolmentStatus
from app.extensions import db
from app.training.models import Course, Enrolment
from policy.clock import today_in_kazakhstan
from tests import factories

TODAY = today_in_kazakhstan()


def _enrolled(course, release_date, status=EnrolmentStatus.ENROLLED):
    inmate = factories.inmate(course.institution, release_date=release_date)
    db.session.add(Enrolment(course_id=course.id, inmate_id=inmate.id, enrolled_on=TODAY,
                             status=status))
    db.session.commit()
    return inmate


def _end_date(course):
    db.session.expire_all()
    return db.session.scalar(sa.select(Course.end_date).where(Course.id == course.id))


def test_moving_the_end_past_an_enrolled_inmates_release_is_refused(officer_api, world):
    course = factories.course(world["institution"], end_date=TODAY + timedelta(days=60))
    release = TODAY + timedelta(days=90)
    for _ in range(2):
        _enrolled(course, release)
    _enrolled(course, TODAY + timedelta(days=400))
    url = f"/api/training/courses/{course.id}"
    on_the_day = officer_api.patch(url, json={"end_date": release.isoformat()})
    assert on_the_day.status_code == 409, on_the_day.json
    message = on_the_day.json["errors"]["end_date"][0]
    assert message.startswith("R13: 2 enrolled inmate(s) would be released")
    assert _end_date(course) == TODAY + timedelta(days=60)
    before_release = (release - timedelta(days=1)).isoformat()
    assert officer_api.patch(url, json={"end_date": before_release}).status_code == 200
    assert _end_date(course) == release - timedelta(days=1)


def test_inmates_no_longer_enrolled_do_not_hold_the_end_date(officer_api, world):
    course = factories.course(world["institution"], end_date=TODAY + timedelta(days=60))
    _enrolled(course, TODAY + timedelta(days=90), EnrolmentStatus.DROPPED)
    _enrolled(course, None)  # no release date recorded (life sentence)
    later = (TODAY + timedelta(days=120)).isoformat()
    response = officer_api.patch(f"/api/training/courses/{course.id}", json={"end_date": later})
    assert response.status_code == 200, response.json
    assert _end_date(course) == TODAY + timedelta(days=120)
