"""Demo rows that produce one violation of each kind the prosecutors' page checks
(R2, R3, R4, R5, R6, R8, R9, R10, R11, R14), so the page is not empty.

Called by the demo seed (app/demo.py) for one institution. All people are
invented ("Demo" surnames, file numbers DEMO-V-...). Idempotent: a second call
finds the rows and adds nothing.
"""

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from app.core.identifiers import check_digit
from app.core.vocabulary import (
    Conditions,
    EmployerKind,
    EmployerStatus,
    Fitness,
    LegalStatus,
    Regime,
    Sex,
    Shift,
    Site,
    VacancyStatus,
)
from app.extensions import db
from app.inmates.models import CustodyPeriod, Inmate, MedicalAssessment, SeparationLink
from app.institutions.models import Institution
from app.placements.models import Placement
from app.taxonomy.models import Trade
from app.vacancies.models import Employer, Vacancy

PREFIX = "DEMO-V-"


def _demo_bin(seed: int) -> str:
    """A valid, clearly invented BIN (R15) starting 99."""
    n = seed
    while True:
        first = f"99{n:09d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
        n += 1


def _trade() -> Trade:
    trade = db.session.scalar(sa.select(Trade).order_by(Trade.id).limit(1))
    if trade is None:
        trade = Trade(code="general_worker", name_en="General worker",
                      name_ru="Подсобный рабочий", isco_code="9329")
        db.session.add(trade)
    return trade


class _Builder:
    def __init__(self, institution: Institution, today: date) -> None:
        self.institution, self.today = institution, today
        self.start = today - timedelta(days=20)
        self.trade = _trade()
        self.state = self._employer(EmployerKind.STATE_ENTERPRISE, "Demo Invented state enterprise")
        self.private = self._employer(EmployerKind.PRIVATE_COMPANY, "Demo Invented LLP")

    def _employer(self, kind: EmployerKind, name: str) -> Employer:
        bin_iin = _demo_bin(self.institution.id * 10 + len(name))
        existing = db.session.scalar(sa.select(Employer).where(Employer.bin_iin == bin_iin))
        if existing:
            return existing
        employer = Employer(kind=kind, bin_iin=bin_iin, name=f"{name} ({self.institution.code})",
                            status=EmployerStatus.APPROVED, email="demo@example.kz")
        db.session.add(employer)
        return employer

    def vacancy(self, title: str, employer: Employer | None = None, **fields: Any) -> Vacancy:
        values = dict(employer=employer or self.state, institution_id=self.institution.id,
                      title=f"Demo: {title}", trade_id=self.trade.id, site=Site.INSIDE,
                      positions=5, monthly_wage=90_000, weekly_hours=40, shift=Shift.DAY,
                      start_date=self.start - timedelta(days=30),
                      status=VacancyStatus.PUBLISHED)
        values.update(fields)
        vacancy = Vacancy(**values)
        db.session.add(vacancy)
        return vacancy

    def inmate(self, tag: str, fitness: Fitness = Fitness.FIT, **fields: Any) -> Inmate:
        admitted = self.today - timedelta(days=400)
        values = dict(
            institution_id=self.institution.id, file_number=PREFIX + tag, last_name="Demo",
            first_name=f"Invented {tag}", birth_date=date(1988, 3, 1), sex=Sex.MALE,
            legal_status=LegalStatus.CONVICTED, convicted_on=admitted, regime=Regime.MEDIUM,
            conditions=Conditions.ORDINARY, admission_date=admitted,
            release_date=self.today + timedelta(days=900), fitness=fitness,
            fitness_review_date=self.today + timedelta(days=180),
        )
        values.update(fields)
        inmate = Inmate(**values)
        db.session.add(inmate)
        db.session.flush()
        db.session.add(CustodyPeriod(inmate_id=inmate.id, institution_id=self.institution.id,
                                     started_on=admitted))
        db.session.add(MedicalAssessment(inmate_id=inmate.id, fitness=fitness,
                                         assessed_on=admitted,
                                         review_date=inmate.fitness_review_date))
        return inmate

    def place(self, inmate: Inmate, vacancy: Vacancy, **fields: Any) -> Placement:
        values = dict(inmate_id=inmate.id, vacancy=vacancy, institution_id=self.institution.id,
                      start_date=self.start, weekly_hours=40, monthly_wage=90_000)
        values.update(fields)
        placement = Placement(**values)
        db.session.add(placement)
        return placement


def seed_demo_violations(institution: Institution, today: date | None = None) -> None:
    """Add invented inmates and placements breaking each checked rule once."""
    exists = sa.select(Inmate.id).where(Inmate.institution_id == institution.id,
                                        Inmate.file_number.startswith(PREFIX))
    if db.session.scalar(exists.limit(1)) is not None:
        return
    b = _Builder(institution, today or date.today())
    workshop = b.vacancy("Workshop hand")
    b.place(b.inmate("R2", legal_status=LegalStatus.REMAND, convicted_on=None), workshop)
    b.place(b.inmate("R3", fitness=Fitness.UNFIT), workshop)
    b.place(b.inmate("R4", disability_group=2), workshop, weekly_hours=30, monthly_wage=70_000)
    b.place(b.inmate("R5"), b.vacancy("Sewing for a private firm", b.private))
    juvenile = b.inmate("R6", birth_date=b.today - timedelta(days=16 * 365 + 60))
    b.place(juvenile, b.vacancy("Loader", heavy_or_hazardous=True), weekly_hours=30,
            monthly_wage=70_000)
    b.place(b.inmate("R8", conditions=Conditions.STRICT),
            b.vacancy("Field work outside", site=Site.OUTSIDE))
    double = b.inmate("R9")
    b.place(double, workshop)
    b.place(double, b.vacancy("Evening cleaning", shift=Shift.EVENING), weekly_hours=20,
            monthly_wage=45_000, start_date=b.start + timedelta(days=5))
    b.place(b.inmate("R10"), workshop, monthly_wage=30_000)
    single = b.vacancy("Boiler operator (one position)", positions=1)
    b.place(b.inmate("R11a"), single)
    b.place(b.inmate("R11b"), single, start_date=b.start + timedelta(days=3))
    first, second = b.inmate("R14a"), b.inmate("R14b")
    db.session.flush()
    db.session.add(SeparationLink(inmate_a_id=min(first.id, second.id),
                                  inmate_b_id=max(first.id, second.id),
                                  reason="Demo: keep apart", created_on=b.start))
    b.place(first, b.vacancy("Bakery", shift=Shift.NIGHT))
    b.place(second, b.vacancy("Laundry", shift=Shift.NIGHT))
    db.session.flush()
