"""Demo rows that produce one violation of each kind the prosecutors' page checks
(R2, R3, R4, R5, R6, R8, R9, R10, R11, R14, R28, R29, R30), so the page is not empty.

Called by the demo seed (app/demo.py) for one institution. All people are
invented ("Demo" surnames, file numbers DEMO-V-...). Idempotent: a second call
finds the rows and adds nothing. ``seed_demo_findings`` adds the Karaganda prosecutor's
findings on two of them: an act of response answered by the institution, and a warning
whose answer is overdue.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from app.auth.models import User
from app.core.identifiers import check_digit
from app.core.vocabulary import (
    Conditions,
    EmployerKind,
    EmployerStatus,
    FindingKind,
    Fitness,
    LegalStatus,
    Regime,
    RiskReason,
    Sex,
    Shift,
    Site,
    VacancyStatus,
)
from app.extensions import db
from app.inmates.models import (
    CourtBan,
    CustodyPeriod,
    Inmate,
    MedicalAssessment,
    RiskAssessment,
    ScatteredFlag,
    SeparationLink,
)
from app.institutions.models import Institution
from app.monitoring.models import Finding
from app.placements.models import Placement
from app.taxonomy.models import Trade
from app.vacancies.models import Employer, Vacancy
from policy.clock import today_in_kazakhstan

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
        self.state = self._employer(EmployerKind.STATE_ENTERPRISE,
                                    "ГКП «Демо-мастерская» (вымышлено)")
        self.private = self._employer(EmployerKind.PRIVATE_COMPANY, "ТОО «Демо» (вымышлено)")

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
                      title=f"Демо: {title}", trade_id=self.trade.id, site=Site.INSIDE,
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
            institution_id=self.institution.id, file_number=PREFIX + tag, last_name="Демо",
            first_name=f"Вымышленный {tag}", birth_date=date(1988, 3, 1), sex=Sex.MALE,
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


def seed_demo_violations(institution: Institution, today: date | None = None,
                         underpaid_from: date | None = None) -> None:
    """Add invented inmates and placements breaking each checked rule once. They
    start 20 days ago, except the R10 one (a wage under the minimum), which starts
    on ``underpaid_from`` when given: the pay demo shows its first month's pay below
    the minimum three months back (app/pay/demo.py)."""
    exists = sa.select(Inmate.id).where(Inmate.institution_id == institution.id,
                                        Inmate.file_number.startswith(PREFIX))
    if db.session.scalar(exists.limit(1)) is not None:
        return
    b = _Builder(institution, today or today_in_kazakhstan())
    workshop = b.vacancy("подсобный рабочий цеха")
    b.place(b.inmate("R2", legal_status=LegalStatus.REMAND, convicted_on=None), workshop)
    b.place(b.inmate("R3", fitness=Fitness.UNFIT), workshop)
    b.place(b.inmate("R4", disability_group=2), workshop, weekly_hours=30, monthly_wage=70_000)
    b.place(b.inmate("R5"), b.vacancy("швейный заказ частной фирмы", b.private))
    juvenile = b.inmate("R6", birth_date=b.today - timedelta(days=16 * 365 + 60))
    b.place(juvenile, b.vacancy("грузчик", heavy_or_hazardous=True), weekly_hours=30,
            monthly_wage=70_000)
    b.place(b.inmate("R8", conditions=Conditions.STRICT),
            b.vacancy("полевые работы за периметром", site=Site.OUTSIDE))
    double = b.inmate("R9")
    b.place(double, workshop)
    b.place(double, b.vacancy("вечерняя уборка", shift=Shift.EVENING), weekly_hours=20,
            monthly_wage=45_000, start_date=b.start + timedelta(days=5))
    underpaid = min(underpaid_from or b.start, b.start)
    b.place(b.inmate("R10"), b.vacancy("упаковка", start_date=underpaid),
            monthly_wage=30_000, start_date=underpaid)
    single = b.vacancy("оператор котельной (одно место)", positions=1)
    b.place(b.inmate("R11a"), single)
    b.place(b.inmate("R11b"), single, start_date=b.start + timedelta(days=3))
    first, second = b.inmate("R14a"), b.inmate("R14b")
    db.session.flush()
    db.session.add(SeparationLink(inmate_a_id=min(first.id, second.id),
                                  inmate_b_id=max(first.id, second.id),
                                  reason="Демо: содержать раздельно", created_on=b.start))
    b.place(first, b.vacancy("пекарня", shift=Shift.NIGHT))
    b.place(second, b.vacancy("прачечная", shift=Shift.NIGHT))
    _security_violations(b)
    db.session.flush()


def _security_violations(b: _Builder) -> None:
    """R28: a person assessed high in work that takes medium at most; R29: three flagged
    persons at one workplace and shift (inside, night: app/placements/demo.py flags nobody
    else there), the third over the cap of 2; R30: work in a trade a court's ban covers."""
    risky = b.inmate("R28")
    db.session.flush()
    db.session.add(RiskAssessment(inmate_id=risky.id, assessed_on=risky.admission_date,
                                  level="high", needs=["attitudes_and_behaviour"],
                                  reason=RiskReason.ADMISSION,
                                  assessed_by="Сотрудник учреждения (вымышлено)"))
    b.place(risky, b.vacancy("инструментальная кладовая", max_risk_level="medium"))
    packing = b.vacancy("ночная упаковка", shift=Shift.NIGHT)
    for k in range(3):
        flagged = b.inmate(f"R29{'abc'[k]}")
        db.session.flush()
        db.session.add(ScatteredFlag(inmate_id=flagged.id, flagged_on=flagged.admission_date,
                                     document_ref="Демо-постановление (вымышлено)"))
        b.place(flagged, packing, start_date=b.start + timedelta(days=k))
    banned = b.inmate("R30")
    db.session.flush()
    ban = CourtBan(inmate_id=banned.id, starts_on=banned.admission_date,
                   decision_ref="Решение суда № 2-0001/2025 (вымышлено)")
    ban.trades = [b.trade]
    db.session.add(ban)
    b.place(banned, b.vacancy("сборка"))


# The prosecutor's findings of the demo: (days ago recorded, days ago due, kind, rule and
# the person's tag, text, days ago answered and the answer; None: not answered).
FINDINGS = (
    (45, 15, FindingKind.ACT_OF_RESPONSE, "R10",
     "Представление: заработная плата по вакансии «упаковка» ниже минимальной "
     "(вымышлено). Пересчитать и выплатить разницу, сообщить о принятых мерах.",
     20, "Заработная плата пересчитана до минимальной с первого месяца работы, разница "
         "выплачена; ответственный сотрудник предупреждён (вымышлено)."),
    (30, 5, FindingKind.WARNING, "R9",
     "Предостережение: осуждённый занят на двух работах сверх допустимой недельной "
     "нормы часов (вымышлено). Устранить нарушение.", None, ""),
)


def seed_demo_findings(institution: Institution, prosecutor: User, officer: User,
                       today: date | None = None) -> None:
    """The prosecutor's findings on the institution's deliberate violations, each with
    its kind and the day it is to be answered by: one answered in time, one overdue.
    Written directly (operations refuse a due day in the past); nothing when the
    prosecutor has recorded a finding already."""
    if db.session.scalar(sa.select(Finding.id).where(
            Finding.author_id == prosecutor.id).limit(1)) is not None:
        return
    today = today or today_in_kazakhstan()

    def moment(days_ago: int) -> datetime:  # 07:00 UTC (stored so): noon in Kazakhstan
        return datetime.combine(today - timedelta(days=days_ago), time(7))

    for recorded, due, kind, rule, text, answered, answer in FINDINGS:
        placement_id = db.session.scalar(
            sa.select(Placement.id).join(Inmate, Inmate.id == Placement.inmate_id)
            .where(Inmate.institution_id == institution.id,
                   Inmate.file_number == PREFIX + rule).order_by(Placement.id).limit(1))
        if placement_id is None:
            continue
        db.session.add(Finding(
            institution_id=institution.id, author_id=prosecutor.id, rule=rule, kind=kind,
            placement_id=placement_id, text=text, due_on=today - timedelta(days=due),
            created_at=moment(recorded), updated_at=moment(answered or recorded),
            answer=answer, answered_at=moment(answered) if answered else None,
            answered_by_id=officer.id if answered else None))
    db.session.flush()
