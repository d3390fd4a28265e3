"""A small demo-like world for the contract tests: one user of each role whose scope
holds an inmate, a vacancy with a placement, a course with an enrolment and a finding."""

from datetime import date, timedelta

from app.core.vocabulary import Role
from app.extensions import db
from app.monitoring.models import Finding
from app.training.models import Enrolment
from tests import factories


def seed_contract_world() -> dict:
    region = factories.region("Karaganda")
    home = factories.institution(region, code="AK-159/20", name="Dolinka")
    business = factories.employer()
    worker = factories.inmate(home)
    factories.inmate(home, last_name="Seitkali")
    vacancy = factories.vacancy(business, home)
    placement = factories.placement(worker, vacancy)
    course = factories.course(home)
    db.session.add(Enrolment(course_id=course.id, inmate_id=worker.id,
                             enrolled_on=date.today() - timedelta(days=1)))
    users = {
        "admin": factories.user(Role.ADMIN),
        "officer": factories.user(Role.OFFICER, institution_id=home.id),
        "employer": factories.user(Role.EMPLOYER, employer_id=business.id),
        "prosecutor": factories.user(Role.PROSECUTOR, region_id=region.id),
    }
    db.session.add(Finding(institution_id=home.id, placement_id=placement.id, rule="R9",
                           text="Hours over the limit", author_id=users["prosecutor"].id))
    db.session.commit()
    return users
