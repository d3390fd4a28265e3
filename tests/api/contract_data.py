"""A small demo-like world for the contract tests: one user of each role whose scope
holds an inmate, a vacancy with a placement, a course with an enrolment and a finding;
a person leaving soon with a release plan referred to a resocialisation centre (its
partner user), and a job waiting outside posted by an employment centre (its user)."""

from datetime import timedelta

from app.core.vocabulary import ConsentKind, PartnerKind, Role
from app.extensions import db
from app.monitoring.models import Finding
from app.reintegration import operations as reintegration
from app.reintegration import outside_jobs
from app.training.models import Enrolment
from policy.clock import today_in_kazakhstan
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
                             enrolled_on=today_in_kazakhstan() - timedelta(days=1)))
    users = {
        "admin": factories.user(Role.ADMIN),
        "officer": factories.user(Role.OFFICER, institution_id=home.id),
        "employer": factories.user(Role.EMPLOYER, employer_id=business.id),
        "prosecutor": factories.user(Role.PROSECUTOR, region_id=region.id),
    }
    db.session.add(Finding(institution_id=home.id, placement_id=placement.id, rule="R9",
                           text="Hours over the limit", author_id=users["prosecutor"].id))
    users |= _partners(region, home, users["officer"])
    db.session.commit()
    return users


def _partners(region, home, officer) -> dict:
    """A referral to a resocialisation centre and an employment centre's job outside,
    each organisation with its user."""
    today = today_in_kazakhstan()
    leaving = factories.inmate(home, last_name="Leavingov",
                               release_date=today + timedelta(days=60))
    factories.consent(leaving, ConsentKind.SHARE_WITH_PARTNERS)
    centre = reintegration.save_partner(None, {
        "name": "Shakhtinsk resocialisation centre",
        "kind": PartnerKind.RESOCIALISATION_CENTRE, "region_ids": [region.id]})
    employment = reintegration.save_partner(None, {
        "name": "Temirtau employment centre", "kind": PartnerKind.EMPLOYMENT_CENTRE,
        "region_ids": [region.id]})
    with factories.acting_as(officer):
        reintegration.open_due_plans(today)
        plan = reintegration.plan_of(leaving.id)
        reintegration.refer(plan, {"partner_id": centre.id, "due_on": None,
                                   "note": "Please find a job and a bed",
                                   "part_ids": [part.id for part in plan.parts]}, officer, today)
    outside_jobs.post_job({
        "title": "Welder", "trade_id": factories.trade("welder").id, "locality": "Temirtau",
        "region_id": region.id, "positions": 2, "monthly_wage": 250_000,
        "start_date": today + timedelta(days=90)}, today, partner_id=employment.id)
    return {"partner": factories.user(Role.PARTNER, partner_id=centre.id),
            "centre": factories.user(Role.PARTNER, partner_id=employment.id)}
