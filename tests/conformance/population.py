"""A seeded population full of the law's edge cases, stored in the database.

Every threshold of R1-R14 is met on, just before and just after the days of the
run: ages at each legal age (pension ages by sex and year, 18, 16, 14, born on the
29th-31st), reviews lapsing, consents given and withdrawn, custody ending,
convictions on the day, several placements at once, outside work, private employers,
wages either side of the minimum and hours either side of each limit.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from app.core.vocabulary import (
    Conditions,
    ConsentKind,
    CustodyStatus,
    EmployerKind,
    EmployerStatus,
    EndReason,
    Fitness,
    InstitutionKind,
    LegalStatus,
    Regime,
    Sex,
    Site,
    VacancyStatus,
)
from app.extensions import db
from app.inmates.models import Consent, CustodyPeriod, Inmate, MedicalAssessment
from app.institutions.models import Institution
from app.placements.models import Placement
from app.vacancies.models import Vacancy
from policy import Law, rules
from policy.dates import born_by, months_of
from tests import factories


@dataclass(frozen=True)
class Population:
    days: list[date]
    institutions: list[Institution]


def build(seed: int, first_day: date, n_days: int = 5, n_inmates: int = 90) -> Population:
    rng = random.Random(seed)
    days = [first_day + timedelta(days=k) for k in range(n_days)]
    region = factories.region()
    colony = factories.institution(region, kind=InstitutionKind.COLONY, regime=Regime.MEDIUM)
    juvenile = factories.institution(region, kind=InstitutionKind.JUVENILE_COLONY,
                                     regime=Regime.JUVENILE)
    vacancies = _vacancies(rng, [colony, juvenile], days)
    for _ in range(n_inmates):
        home = juvenile if rng.random() < 0.25 else colony
        _inmate(rng, home, days, vacancies[home.id])
    db.session.commit()
    return Population(days, [colony, juvenile])


def _around(rng: random.Random, days: list[date], spread: int = 1) -> date:
    return rng.choice(days) + timedelta(days=rng.randint(-spread, spread))


def _birth(rng: random.Random, days: list[date], sex: Sex) -> date:
    law = Law.for_year(days[0].year)
    ages = [months_of(law.pension_age(sex == Sex.FEMALE, days[0].year)), 18 * 12, 16 * 12,
            14 * 12]
    roll = rng.random()
    if roll < 0.6:  # on, a day before or a day after a threshold, on a day of the run
        return born_by(rng.choice(days), rng.choice(ages)) + timedelta(days=rng.randint(-1, 1))
    if roll < 0.7:  # born on the 29th-31st of a month
        year = days[0].year - rng.choice([14, 16, 18, 61, 62, 63])
        month = rng.choice([1, 3, 5, 7, 8, 10, 12])
        return date(year - rng.choice([0, 1]), month, rng.choice([29, 30, 31]))
    return days[0] - timedelta(days=rng.randint(20 * 365, 60 * 365))


def _vacancies(rng: random.Random, institutions: list[Institution],
               days: list[date]) -> dict[int, list[Vacancy]]:
    employers = [factories.employer(kind) for kind in EmployerKind]
    law = Law.for_year(days[0].year)
    found: dict[int, list[Vacancy]] = {}
    for home in institutions:
        found[home.id] = []
        for _ in range(8):
            heavy = rng.random() < 0.3
            hours = rng.choice([10, 20, 24, 30, 36, 40])
            vacancy = Vacancy(
                employer_id=rng.choice(employers).id, institution_id=home.id, title="Job",
                trade_id=factories.trade("welder").id,
                site=Site.OUTSIDE if rng.random() < 0.3 else Site.INSIDE, positions=50,
                monthly_wage=law.min_monthly_wage, weekly_hours=hours,
                heavy_or_hazardous=heavy, women_barred=heavy and rng.random() < 0.5,
                start_date=days[0] - timedelta(days=60), status=VacancyStatus.PUBLISHED)
            db.session.add(vacancy)
            found[home.id].append(vacancy)
    db.session.flush()
    assert all(e.status == EmployerStatus.APPROVED for e in employers)
    return found


def _inmate(rng: random.Random, home: Institution, days: list[date],
            vacancies: list[Vacancy]) -> None:
    sex = rng.choice(list(Sex))
    admitted = days[0] - timedelta(days=300)
    convicted = rng.random() < 0.85
    person = Inmate(
        institution_id=home.id, file_number=f"C-{rng.random():.12f}", last_name="Conform",
        first_name="Case", birth_date=_birth(rng, days, sex), sex=sex,
        legal_status=LegalStatus.CONVICTED if convicted else LegalStatus.REMAND,
        convicted_on=(_around(rng, days) if rng.random() < 0.3 else admitted)
        if convicted else None,
        regime=rng.choice(list(Regime)), conditions=rng.choice(list(Conditions)),
        admission_date=admitted, release_date=days[-1] + timedelta(days=400),
        fitness=rng.choice(list(Fitness)), fitness_review_date=None,
        disability_group=rng.choice([None, None, None, 1, 2, 3]),
        pregnant=sex == Sex.FEMALE and rng.random() < 0.15)
    db.session.add(person)
    db.session.flush()
    released = _around(rng, days) if rng.random() < 0.1 else None
    if released:
        person.status, person.left_on = CustodyStatus.RELEASED, released
    db.session.add(CustodyPeriod(inmate_id=person.id, institution_id=home.id,
                                 started_on=admitted, ended_on=released))
    for k in range(rng.choice([0, 1, 1, 2])):
        on = admitted if k == 0 else _around(rng, days)
        review = _around(rng, days) if rng.random() < 0.5 else None
        db.session.add(MedicalAssessment(inmate_id=person.id, fitness=rng.choice(list(Fitness)),
                                         assessed_on=on, review_date=review))
    for kind in ConsentKind:
        if rng.random() < 0.5:
            given = admitted if rng.random() < 0.5 else _around(rng, days)
            withdrawn = _around(rng, days) if rng.random() < 0.3 else None
            if withdrawn is not None and withdrawn <= given:
                withdrawn = given + timedelta(days=1)
            db.session.add(Consent(inmate_id=person.id, kind=kind, given_on=given,
                                   withdrawn_on=withdrawn))
    law = Law.for_year(days[0].year)
    for _ in range(rng.choice([0, 1, 1, 1, 2, 2, 3])):
        job = rng.choice(vacancies)
        hours = rng.choice([job.weekly_hours, 10, 16, 20, 24, 25, 36, 37, 40])
        minimum = rules.minimum_wage(law, hours)
        start = _around(rng, days, 2) if rng.random() < 0.6 else admitted
        end = _around(rng, days, 2) if rng.random() < 0.3 else None
        if end is not None and end <= start:
            end = start + timedelta(days=1)
        db.session.add(Placement(
            inmate_id=person.id, vacancy_id=job.id, institution_id=home.id, start_date=start,
            end_date=end, end_reason=EndReason.COMPLETED if end else None,
            weekly_hours=hours, paid=rng.random() < 0.9,
            monthly_wage=minimum + rng.choice([-1, 0, 0, 1, 5000])))
