"""Invented applications for the demo (called by ``flask seed-demo``, once): at
AK-159/20 Долинка, applications in every state of R31 (one received long ago and never
answered, for the prosecutors' late answers), a waiting list for a popular course, and
some people who read their answers in Kazakh. No real person's data."""

import random
from datetime import date, timedelta

import sqlalchemy as sa

from app.applications import operations as ops
from app.applications import waiting
from app.applications.answers import give_answer
from app.applications.models import AnswerKind, Application
from app.core.vocabulary import CustodyStatus, EnrolmentStatus, VacancyStatus
from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.placements.models import Placement
from app.training.models import Course, Enrolment
from app.vacancies.models import Vacancy

INSTITUTION = "AK-159/20"
WAITING = 8  # people on the popular course's waiting list


def seed_applications(today: date, rng: random.Random | None = None) -> int:
    """Create the demo's applications unless there are some; how many were created."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Application)):
        return 0
    institution = db.session.scalar(sa.select(Institution).where(
        Institution.code == INSTITUTION))
    if institution is None:
        return 0
    rng = rng or random.Random(31)
    people = _people(institution.id, today)
    rng.shuffle(people)
    for person in people[::3]:
        person.language = "kk"
    vacancies = list(db.session.scalars(sa.select(Vacancy).where(
        Vacancy.institution_id == institution.id, Vacancy.status == VacancyStatus.PUBLISHED)
        .order_by(Vacancy.id).limit(3)))
    if len(vacancies) < 2 or len(people) < WAITING + 10:
        return 0
    course = _popular_course(institution.id, today) or _new_course(vacancies[0], today)
    # the course's list from people not at work (those at work are no candidates for
    # a course, R9), the other states from the rest
    working = set(db.session.scalars(sa.select(Placement.inmate_id).where(
        Placement.end_date.is_(None))))
    free = [p for p in people if p.id not in working][:WAITING]
    created = _course_list(course, free, today)
    created += _every_state(vacancies, [p for p in people if p not in free], today)
    db.session.flush()
    return created


def _people(institution_id: int, today: date) -> list[Inmate]:
    return list(db.session.scalars(sa.select(Inmate).where(
        Inmate.institution_id == institution_id, Inmate.status == CustodyStatus.HELD,
        Inmate.admission_date < today - timedelta(days=60),
        Inmate.release_date > today + timedelta(days=200)).order_by(Inmate.id).limit(200)))


def _popular_course(institution_id: int, today: date) -> Course | None:
    """The upcoming course with the fewest seats left: its list is the longest."""
    booked = (sa.select(sa.func.count()).where(Enrolment.course_id == Course.id,
                                               Enrolment.status != EnrolmentStatus.DROPPED)
              .scalar_subquery())
    return db.session.scalar(sa.select(Course).where(
        Course.institution_id == institution_id, Course.end_date > today)
        .order_by(Course.seats - booked, Course.id).limit(1))


def _new_course(vacancy: Vacancy, today: date) -> Course:
    """A small upcoming course in the trade of a vacancy, when the demo has none."""
    course = Course(institution_id=vacancy.institution_id, trade_id=vacancy.trade_id,
                    title=f"Курс «{vacancy.trade.name_ru}» (вымышлено)", seats=4,
                    provider="Колледж (вымышлено)", start_date=today + timedelta(days=14),
                    end_date=today + timedelta(days=104), hours=240)
    db.session.add(course)
    db.session.flush()
    return course


def _course_list(course: Course, people: list[Inmate], today: date) -> int:
    """Applications for the course over the last weeks, then answered with their place
    on its waiting list (the engine's order)."""
    for n, person in enumerate(people):
        ops.apply(person, kind="course", target_id=course.id,
                  received_on=today - timedelta(days=3 + 2 * n), channel="paper")
    for place in waiting.waiting_list(course, today):
        if place.application is None:
            continue
        if place.eligible:
            give_answer(place.application, AnswerKind.WAITING,
                        {"position": place.position, "of": place.of}, today=today)
        else:
            give_answer(place.application, AnswerKind.NOT_ELIGIBLE,
                        {"rules": list(place.reasons)}, today=today)
    return len(people)


def _every_state(vacancies: list[Vacancy], people: list[Inmate], today: date) -> int:
    """One application in each state of R31, for vacancies of the institution."""
    first, second = vacancies[0], vacancies[1]
    def applied(person: Inmate, vacancy: Vacancy, days_ago: int, channel: str = "paper"):
        return ops.apply(person, kind="vacancy", target_id=vacancy.id,
                         received_on=today - timedelta(days=days_ago), channel=channel)

    applied(people[0], first, 2)  # received, waiting for the next run
    applied(people[1], second, 0, "kiosk")  # received today at a kiosk
    applied(people[2], first, 25)  # never answered: late (R31's oversight)
    offered = applied(people[3], first, 12)
    give_answer(offered, AnswerKind.OFFERED, {}, today=today - timedelta(days=4))
    accepted = applied(people[4], second, 20)
    give_answer(accepted, AnswerKind.OFFERED, {}, today=today - timedelta(days=14))
    ops.accept_offer(accepted, today - timedelta(days=12))
    declined = applied(people[5], second, 18)
    give_answer(declined, AnswerKind.OFFERED, {}, today=today - timedelta(days=10))
    ops.decline(declined, "Хочу сначала закончить курс сварщика",
                today - timedelta(days=9))
    withdrawn = applied(people[6], first, 15)
    ops.withdraw(withdrawn, "Семья просит, чтобы я пошёл работать в пекарню",
                 today - timedelta(days=13))
    refused = applied(people[7], second, 9)
    give_answer(refused, AnswerKind.NOT_ELIGIBLE, {"rules": ["R12"]},
                today=today - timedelta(days=3))
    outscored = applied(people[8], first, 8)
    give_answer(outscored, AnswerKind.OUTSCORED, {"score_gap": 7},
                today=today - timedelta(days=2))
    closed = applied(people[9], second, 30)
    ops.close(closed, "вакансия закрыта", today - timedelta(days=5))
    return 10
