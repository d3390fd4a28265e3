"""An invented country for the benchmarks: regions, institutions, inmates with custody
periods (some transferred), medical assessments, consents, skills and placements over
about 24 months, written with bulk inserts (tens of thousands of rows in seconds).

Like the demo, the placements mostly keep the rules the app checks when one is
accepted (``policy.rules``: convicted first, R2; fit with a review in force and never
found unfit, R3; a voluntary-work consent for the voluntary-only groups, R4; hours
within the person's limit, R9), so the prosecutors' checks find what a real register
would hold, a few violations, not one placement in three.

``seed`` adds the country after whatever the database holds (ids continue from the
largest), so the load benchmark can put a national-size population next to the demo
and its logins; ``benchmarks/bench_rates.py`` seeds it into an empty database.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from app.core.vocabulary import (
    Conditions,
    ConsentKind,
    EmployerKind,
    EmployerStatus,
    EndReason,
    Fitness,
    InstitutionKind,
    LegalStatus,
    Regime,
    Sex,
    Site,
    SkillSource,
    VacancyStatus,
)
from app.extensions import db
from app.inmates.law_columns import person
from app.inmates.models import (
    Consent,
    CustodyPeriod,
    Inmate,
    InmateSkill,
    MedicalAssessment,
)
from app.institutions.models import Institution, Region
from app.placements.models import Placement
from app.settings.operations import settings_for
from app.taxonomy.models import Trade
from app.vacancies.models import Employer, Vacancy
from policy import rules
from policy.clock import today_in_kazakhstan
from policy.ops import PYTHON

TODAY = today_in_kazakhstan()
START = TODAY - timedelta(days=760)  # a little over 24 months of history
CHUNK = 5_000
MAX_GAP = timedelta(days=500)  # between two medical assessments
NUMBERED = (Region, Institution, Employer, Vacancy, Inmate)  # ids continue from the largest


@dataclass(frozen=True)
class Country:
    inmates: int
    institutions: int
    regions: int
    vacancies_per_institution: int = 20


def _insert(model, rows: list[dict]) -> None:
    table = model.__table__
    for i in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(table), rows[i : i + CHUNK])


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange(max(1, (last - first).days)))


def seed(country: Country, rng: random.Random) -> None:
    """Add the country to the database (not committed); sequences follow on PostgreSQL."""
    base = {model: db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(model.id), 0)))
            for model in NUMBERED}
    _Seeder(country, rng, base).seed()
    if db.session.get_bind().dialect.name == "postgresql":
        for model in (*NUMBERED, CustodyPeriod, MedicalAssessment, Consent, InmateSkill,
                      Placement, Trade):
            table = model.__tablename__
            db.session.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))


class _Seeder:
    def __init__(self, country: Country, rng: random.Random, base: dict) -> None:
        self.country, self.rng = country, rng
        self.region = base[Region]
        self.institution = base[Institution]
        self.employer = base[Employer] + 1
        self.vacancy = base[Vacancy]
        self.inmate = base[Inmate]
        self.trades: list[int] = []
        self.law = settings_for(TODAY.year).law

    def seed(self) -> None:
        c = self.country
        _insert(Region, [{"id": self.region + r, "name": f"Region {self.region + r}"}
                         for r in range(1, c.regions + 1)])
        _insert(Institution, [{
            "id": self.institution + i, "code": f"BX-{self.institution + i}",
            "name": f"Colony {self.institution + i}", "region_id": self.region + i % c.regions + 1,
            "kind": InstitutionKind.COLONY.value, "regime": Regime.MEDIUM.value, "address": "",
        } for i in range(1, c.institutions + 1)])
        self.trades = list(db.session.scalars(sa.select(Trade.id).limit(12)))
        if not self.trades:
            _insert(Trade, [{"id": 1, "code": "bench", "name_en": "Bench", "name_ru": "Bench",
                             "isco_code": "9329", "active": True}])
            self.trades = [1]
        _insert(Employer, [{
            "id": self.employer, "kind": EmployerKind.STATE_ENTERPRISE.value, "bin_iin": None,
            "name": f"State enterprise {self.employer}", "status": EmployerStatus.APPROVED.value,
            "address": "", "contact_person": "", "phone": "", "email": "", "refusal_reason": "",
            "created_at": TODAY, "updated_at": TODAY,
        }])
        _insert(Vacancy, [self._vacancy(i, v) for i in range(1, c.institutions + 1)
                          for v in range(c.vacancies_per_institution)])
        self._people()

    def _vacancy_id(self, institution: int, v: int) -> int:
        return self.vacancy + (institution - 1) * self.country.vacancies_per_institution + v + 1

    def _vacancy(self, i: int, v: int) -> dict:
        return {
            "id": self._vacancy_id(i, v), "employer_id": self.employer,
            "institution_id": self.institution + i, "title": f"Job {v}",
            "trade_id": self.trades[v % len(self.trades)], "description": "",
            "site": Site.INSIDE.value, "positions": 50, "monthly_wage": 90_000,
            "weekly_hours": 40, "shift": "day", "heavy_or_hazardous": False,
            "women_barred": False, "trainable_on_job": False, "needs_long_stay": False,
            "start_date": START, "status": VacancyStatus.PUBLISHED.value,
            "created_at": TODAY, "updated_at": TODAY,
        }

    def _people(self) -> None:
        rng = self.rng
        inmates, periods, assessments, consents, skills, placements = [], [], [], [], [], []
        for n in range(self.inmate + 1, self.inmate + self.country.inmates + 1):
            institution = rng.randrange(1, self.country.institutions + 1)
            admitted = _day(rng, START - timedelta(days=900), TODAY - timedelta(days=30))
            left = _day(rng, admitted + timedelta(days=30), TODAY + timedelta(days=400))
            left_on = left if left <= TODAY else None
            inmate = self._inmate(n, institution, admitted, left, left_on)
            inmates.append(inmate)
            periods += self._custody(n, institution, admitted, left_on)
            history = self._assessments(n, admitted)
            assessments += history
            p = person(SimpleNamespace(**inmate))
            # the groups only grow with age: a consent from admission covers the history
            if rules.in_voluntary_group(PYTHON, self.law, p, TODAY) or rng.random() < 0.05:
                consents.append({"inmate_id": n, "kind": ConsentKind.VOLUNTARY_WORK.value,
                                 "given_on": admitted, "document_ref": ""})
            skills += [{"inmate_id": n, "trade_id": trade, "level": 1 + rng.randrange(3),
                        "source": SkillSource.DECLARED.value, "recorded_on": admitted}
                       for trade in rng.sample(self.trades, min(len(self.trades),
                                                                rng.randrange(3)))]
            if all(a["fitness"] != Fitness.UNFIT.value for a in history):
                hours = min(40, rules.hours_limit(PYTHON, self.law, p))
                placements += self._placements(n, institution, inmate["convicted_on"],
                                               left_on or TODAY, hours)
        for model, rows in ((Inmate, inmates), (CustodyPeriod, periods),
                            (MedicalAssessment, assessments), (Consent, consents),
                            (InmateSkill, skills), (Placement, placements)):
            _insert(model, rows)
        print(f"seeded {len(inmates)} inmates in {self.country.institutions} institutions, "
              f"{len(periods)} custody periods, {len(assessments)} assessments, "
              f"{len(placements)} placements")

    def _inmate(self, n: int, institution: int, admitted: date, left: date,
                left_on: date | None) -> dict:
        rng = self.rng
        return {
            "id": n, "institution_id": self.institution + institution, "file_number": f"B-{n}",
            "last_name": "Invented", "first_name": f"Person {n}", "middle_name": "",
            "birth_date": date(1950 + rng.randrange(55), 1 + rng.randrange(12), 1),
            "sex": Sex.MALE.value if rng.random() < 0.93 else Sex.FEMALE.value,
            "legal_status": LegalStatus.CONVICTED.value,
            "convicted_on": admitted + timedelta(days=rng.randrange(0, 90)),
            "regime": Regime.MEDIUM.value, "conditions": Conditions.ORDINARY.value,
            "admission_date": admitted, "release_date": left,
            "status": "released" if left_on else "held", "left_on": left_on,
            "fitness": Fitness.FIT.value, "fitness_review_date": None,
            "disability_group": rng.choice([None] * 30 + [1, 2, 3]), "pregnant": False,
            "education": "", "notes": "", "created_at": TODAY, "updated_at": TODAY,
        }

    def _custody(self, inmate_id: int, institution: int, admitted: date,
                 left_on: date | None) -> list[dict]:
        rng, at = self.rng, self.institution + institution
        if rng.random() < 0.1 and left_on is None:  # transferred in from another institution
            moved = _day(rng, admitted, TODAY)
            before = self.institution + rng.randrange(1, self.country.institutions + 1)
            return [
                {"inmate_id": inmate_id, "institution_id": before, "started_on": admitted,
                 "ended_on": moved, "end_reason": "transferred"},
                {"inmate_id": inmate_id, "institution_id": at, "started_on": moved,
                 "ended_on": None, "end_reason": None},
            ]
        return [{"inmate_id": inmate_id, "institution_id": at, "started_on": admitted,
                 "ended_on": left_on, "end_reason": "released" if left_on else None}]

    def _assessments(self, inmate_id: int, admitted: date) -> list[dict]:
        rows, day = [], admitted
        while day <= TODAY:
            fitness = self.rng.choices([Fitness.FIT, Fitness.LIMITED, Fitness.UNFIT],
                                       [80, 15, 5])[0]
            gap = timedelta(days=self.rng.randrange(200, 500))
            rows.append({"inmate_id": inmate_id, "fitness": fitness.value, "assessed_on": day,
                         "review_date": day + MAX_GAP, "notes": ""})  # valid till the next
            day += gap
        return rows

    def _placements(self, inmate_id: int, institution: int, convicted: date,
                    until: date, hours: int) -> list[dict]:
        rng = self.rng
        rows, day = [], max(convicted, START)
        while day < until and rng.random() < 0.8:
            start = _day(rng, day, min(until, day + timedelta(days=120)))
            end = start + timedelta(days=rng.randrange(30, 400))
            open_ended = end >= until and until == TODAY
            rows.append({
                "inmate_id": inmate_id, "institution_id": self.institution + institution,
                "vacancy_id": self._vacancy_id(
                    institution, rng.randrange(self.country.vacancies_per_institution)),
                "start_date": start, "end_date": None if open_ended else min(end, until),
                "end_reason": None if open_ended else EndReason.COMPLETED.value,
                "end_note": "", "weekly_hours": hours, "monthly_wage": 90_000, "paid": True,
                "created_at": TODAY,
            })
            day = min(end, until) + timedelta(days=rng.randrange(1, 60))
        return rows
