"""Invented demo data: regions, institutions, inmates, employers, vacancies,
courses, placement history and one login per role.

Every person and business here is invented; the institutions' codes and
names follow the real pilot (AK-159/18 Карабас, AK-159/20 Долинка) so the
demo reads like the programme. Names, titles and addresses are in Russian, as
Kazakhstan's records hold them (only trades have names in each language: a
vacancy's or course's title is one text, written as an officer would). ``seed()``
is idempotent: a second run finds the demo institutions and only makes sure the
logins exist.
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from app.auth.models import User
from app.auth.operations import create_user
from app.core.identifiers import check_digit
from app.core.vocabulary import (
    Conditions,
    ConsentKind,
    EmployerKind,
    EmployerStatus,
    EndReason,
    EnrolmentStatus,
    Fitness,
    InstitutionKind,
    LegalStatus,
    Regime,
    Role,
    Sex,
    Shift,
    Site,
    SkillSource,
    VacancyStatus,
)
from app.extensions import db
from app.inmates.law_columns import person
from app.inmates.models import (
    Certificate,
    Consent,
    CustodyPeriod,
    Inmate,
    InmateSkill,
    MedicalAssessment,
    SeparationLink,
)
from app.institutions.models import Institution, Region
from app.notifications.operations import never_email_pending
from app.placements.demo import seed_risk_and_security
from app.placements.models import Placement
from app.placements.orders import issue_missing
from app.settings.models import YearSettings
from app.settings.operations import default_settings, settings_for
from app.taxonomy.data import load_trades
from app.taxonomy.models import Trade
from app.training.models import Course, Enrolment
from app.vacancies.models import Employer, Vacancy
from policy import rules
from policy.clock import today_in_kazakhstan
from policy.dates import age_reached_on, months_of
from policy.law import ADULT_AGE, JUVENILE_AGE_HOURS_STEP, MIN_WORKING_AGE
from policy.ops import PYTHON

DEMO_PASSWORD = "demo-password-1"
INVENTED = "(вымышлено)"  # marks every invented name and address


@dataclass(frozen=True)
class DemoInstitution:
    code: str
    name: str
    region: str
    kind: InstitutionKind
    regime: Regime
    share: float  # of all demo inmates
    women: bool = False


# The regions' official names, as the institutions' records and the prosecutors' offices
# write them.
KARAGANDA, PAVLODAR, EAST = ("Карагандинская область", "Павлодарская область",
                             "Восточно-Казахстанская область")
INSTITUTIONS = [
    DemoInstitution("AK-159/18", "Карабас", KARAGANDA, InstitutionKind.COLONY,
                    Regime.MEDIUM, 0.16),
    DemoInstitution("AK-159/20", "Долинка", KARAGANDA, InstitutionKind.COLONY,
                    Regime.MEDIUM, 0.16),
    DemoInstitution("AK-159/1", "Жезказганская колония-поселение", KARAGANDA,
                    InstitutionKind.COLONY_SETTLEMENT, Regime.MINIMUM, 0.08),
    DemoInstitution("AK-159/4", "Карагандинская воспитательная колония", KARAGANDA,
                    InstitutionKind.JUVENILE_COLONY, Regime.JUVENILE, 0.04),
    DemoInstitution("AK-159/11", "Шахтинская женская колония", KARAGANDA,
                    InstitutionKind.COLONY, Regime.MEDIUM, 0.08, women=True),
    DemoInstitution("AP-162/3", "Павлодарская колония", PAVLODAR, InstitutionKind.COLONY,
                    Regime.MAXIMUM, 0.14),
    DemoInstitution("AP-162/6", "Экибастузская колония-поселение", PAVLODAR,
                    InstitutionKind.COLONY_SETTLEMENT, Regime.MINIMUM, 0.08),
    DemoInstitution("UK-161/2", "Усть-Каменогорская колония", EAST,
                    InstitutionKind.COLONY, Regime.MEDIUM, 0.14),
    DemoInstitution("UK-161/7", "Семейская тюрьма", EAST, InstitutionKind.PRISON,
                    Regime.EXTRAORDINARY, 0.12),
]

# People's names as Kazakhstan's records hold them, in Cyrillic (a Latin transliteration
# read wrong on the Russian and Kazakh pages). Same lengths as before: the same draws.
MEN = ["Айдар", "Ерлан", "Нурлан", "Данияр", "Арман", "Сергей", "Дмитрий", "Алексей",
       "Марат", "Тимур", "Аскар", "Иван", "Руслан", "Болат", "Кайрат", "Владимир", "Азамат"]
WOMEN = ["Айгерим", "Дана", "Елена", "Гульнара", "Алия", "Ольга", "Мадина", "Светлана",
         "Сауле", "Наталья", "Зарина", "Ирина"]
SURNAMES = ["Ахметов", "Беков", "Иванов", "Нурпеисов", "Петров", "Сейткали", "Ким",
            "Омаров", "Смирнов", "Тулегенов", "Абенов", "Кузнецов", "Жакупов", "Ли",
            "Садыков", "Волков", "Искаков", "Попов", "Джаксыбеков", "Морозов"]
PATRONYMICS = ["Серикович", "Иванович", "Болатович", "Петрович", "Маратович", ""]


def feminine(surname: str, patronymic: str) -> tuple[str, str]:
    """A woman's forms: Ахметов → Ахметова (Ким, Сейткали unchanged), Серикович →
    Сериковна."""
    if surname.endswith(("ов", "ев", "ин")):
        surname += "а"
    return surname, patronymic.removesuffix("вич") + ("вна" if patronymic else "")


# Trades that demo employers offer, by kind of production.
PRODUCTION_TRADES = ["sewing_operator", "tailor", "carpenter", "cabinet_maker", "welder",
                     "metal_structure_fitter", "turner", "locksmith", "bricklayer",
                     "concrete_products_operator", "baker", "cook", "kitchen_helper",
                     "laundry_worker", "shoemaker", "packer", "manufacturing_labourer",
                     "crop_grower", "livestock_labourer", "car_mechanic", "electrician",
                     "plumber", "painter", "woodworking_machinist", "plastics_operator",
                     "food_machine_operator", "storekeeper", "cleaner", "upholsterer"]
BUSINESS_WORDS = ["Дала", "Сарыарка", "Нура", "Алтын", "Темир", "Казах", "Иртыш", "Улытау",
                  "Балхаш", "Каркаралы", "Тобол", "Ишим"]
BUSINESS_KINDS = ["Текстиль", "Деревообработка", "Металл", "Пекарня", "Стройматериалы",
                  "Агро", "Сервис", "Мебель", "Упаковка", "Швейный цех"]
EDUCATION = ["среднее", "среднее профессиональное", "неполное среднее", "высшее"]


def course_title(trade: Trade) -> str:
    """A demo course's title, as the institution's college writes it."""
    return f"Курс «{trade.name_ru}»"


def seed(total_inmates: int = 3000, today: date | None = None) -> list[tuple[str, str, str]]:
    """Create the demo data once; return the logins as (role, e-mail, password)."""
    today = today or today_in_kazakhstan()
    load_trades()
    if db.session.scalar(sa.select(Institution).where(Institution.code == "AK-159/20")) is None:
        _DemoBuilder(random.Random(2026), today).build(total_inmates)
    # The demo writes its placements directly: their placement and removal orders, as
    # operations would have issued them on their days (numbered in date order), in
    # Russian as the demo's records are written (officers print them in any language).
    issue_missing(today, language="ru")
    from app.applications.demo import seed_applications
    from app.kiosk.demo import seed_kiosk
    from app.reintegration.demo import seed_reintegration

    logins = _ensure_logins() + seed_reintegration(today, DEMO_PASSWORD)
    _demo_findings(today)  # once the prosecutor's and the officer's logins exist
    seed_applications(today)  # R31: every state, a course's waiting list
    logins += seed_kiosk()  # after the applications: the kiosk shows theirs
    never_email_pending()  # invented news, to invented addresses
    return logins


def _ensure_logins() -> list[tuple[str, str, str]]:
    def institution(code: str) -> int:
        return db.session.scalar(sa.select(Institution.id).where(Institution.code == code))

    karaganda = db.session.scalar(sa.select(Region.id).where(Region.name == KARAGANDA))
    employer = db.session.scalar(
        sa.select(Employer.id).where(Employer.kind == EmployerKind.PRIVATE_COMPANY,
                                     Employer.status == EmployerStatus.APPROVED)
        .order_by(Employer.id).limit(1))
    wanted = [
        ("admin", "admin@demo.kz", "Администратор (демо)", {}),
        ("officer", "officer.dolinka@demo.kz", "Сотрудник учреждения, Долинка (демо)",
         {"institution_id": institution("AK-159/20")}),
        ("officer", "officer.karabas@demo.kz", "Сотрудник учреждения, Карабас (демо)",
         {"institution_id": institution("AK-159/18")}),
        ("employer", "employer@demo.kz", "Предприниматель (демо)", {"employer_id": employer}),
        ("prosecutor", "prosecutor.karaganda@demo.kz", "Прокурор, Карагандинская область (демо)",
         {"region_id": karaganda}),
        ("prosecutor", "prosecutor@demo.kz", "Прокурор, республика (демо)", {}),
    ]
    for role, email, name, scope in wanted:
        if db.session.scalar(sa.select(User.id).where(User.email == email)) is None:
            create_user(email=email, full_name=name, password=DEMO_PASSWORD, role=Role(role),
                        **scope)
    return [(role, email, DEMO_PASSWORD) for role, email, _, _ in wanted]


def _demo_findings(today: date) -> None:
    """The Karaganda prosecutor's findings on Dolinka's deliberate violations: an act of
    response answered, a warning overdue (app/monitoring/demo.py)."""
    try:
        from app.monitoring.demo import seed_demo_findings
    except ImportError:
        return
    dolinka = db.session.scalar(sa.select(Institution).where(Institution.code == "AK-159/20"))
    prosecutor, officer = (db.session.scalar(sa.select(User).where(User.email == email)) for
                           email in ("prosecutor.karaganda@demo.kz", "officer.dolinka@demo.kz"))
    seed_demo_findings(dolinka, prosecutor, officer, today)


class _DemoBuilder:
    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.trades = {t.code: t for t in db.session.scalars(sa.select(Trade))}
        self.settings = settings_for(today.year)
        self.serial = 0
        self.private_consent: set[int] = set()
        self.voluntary_consent: set[int] = set()
        self.workers: set[int] = set()
        self.skills_of: defaultdict[int, set[str]] = defaultdict(set)
        self.free: dict[int, int] = {}  # free positions of the published vacancies
        self.private_employers: set[int] = set()
        self.institution_of: dict[int, Institution] = {}

    def build(self, total_inmates: int) -> None:
        for year in range(self.today.year - 2, self.today.year + 1):
            if db.session.get(YearSettings, year) is None:
                db.session.add(default_settings(year))
        regions = {name: Region(name=name) for name in {d.region for d in INSTITUTIONS}}
        db.session.add_all(regions.values())
        employers = self._employers()
        for spec in INSTITUTIONS:
            institution = Institution(code=spec.code, name=spec.name, region=regions[spec.region],
                                      kind=spec.kind, regime=spec.regime,
                                      address=f"{spec.name}, {spec.region} {INVENTED}")
            db.session.add(institution)
            db.session.flush()
            self.institution_of[institution.id] = institution
            inmates = self._inmates(institution, spec, max(20, int(total_inmates * spec.share)))
            vacancies = self._vacancies(institution, spec, employers, len(inmates))
            self._placements(inmates, vacancies)
            self._courses(institution, inmates, vacancies)
            self._separations(inmates)
        seed_risk_and_security(self.today)  # R27-R30 (app/placements/demo.py)
        self._demo_violations()
        self._pay()

    # -- employers -------------------------------------------------------------

    def _identifier(self) -> str:
        while True:
            self.serial += 1
            first = f"{self.rng.randint(10, 99)}0{self.rng.randint(1, 12):02d}4{self.serial:05d}"
            digit = check_digit(first)
            if digit is not None:
                return first + str(digit)

    def _employers(self) -> list[Employer]:
        kinds = ([EmployerKind.STATE_ENTERPRISE] * 4 + [EmployerKind.PRIVATE_COMPANY] * 22
                 + [EmployerKind.SOLE_TRADER] * 10 + [EmployerKind.INSTITUTION] * 4)
        employers = []
        for number, kind in enumerate(kinds):
            word = BUSINESS_WORDS[number % len(BUSINESS_WORDS)]
            trade = BUSINESS_KINDS[number % len(BUSINESS_KINDS)]
            name = {
                EmployerKind.STATE_ENTERPRISE: f"РГП «Еңбек-{word}» {INVENTED}",
                EmployerKind.PRIVATE_COMPANY: f"ТОО «{word} {trade}» {INVENTED}",
                EmployerKind.SOLE_TRADER: f"ИП {self.rng.choice(SURNAMES)} «{trade}» {INVENTED}",
                EmployerKind.INSTITUTION: f"Хозяйственная служба учреждения № {number} "
                                          f"{INVENTED}",
            }[kind]
            status = EmployerStatus.PENDING if number in (30, 31) else EmployerStatus.APPROVED
            employers.append(Employer(
                kind=kind, name=name, status=status,
                bin_iin=None if kind == EmployerKind.INSTITUTION else self._identifier(),
                address=f"ул. {word}, {number + 1} {INVENTED}",
                contact_person=f"{self.rng.choice(MEN)} {self.rng.choice(SURNAMES)}",
                phone=f"+7 700 000 {number:04d}", email=f"business{number}@demo.kz"))
        db.session.add_all(employers)
        db.session.flush()
        self.private_employers = {e.id for e in employers if e.is_private}
        return employers

    # -- inmates ---------------------------------------------------------------

    def _inmates(self, institution: Institution, spec: DemoInstitution, count: int) -> list:
        inmates = [self._inmate(institution, spec, n) for n in range(count)]
        db.session.add_all(inmates)
        db.session.flush()
        for inmate in inmates:
            self._history(inmate)
        return inmates

    def _inmate(self, institution: Institution, spec: DemoInstitution, n: int) -> Inmate:
        rng, today = self.rng, self.today
        sex = Sex.FEMALE if spec.women else Sex.MALE
        if spec.regime == Regime.JUVENILE:
            age_days = rng.randint(14 * 365 + 30, 18 * 365 - 30)
        else:
            age_days = int(365.25 * min(72, max(18.2, rng.gauss(36, 10))))
        admission = today - timedelta(days=rng.randint(20, 6 * 365))
        remand = spec.kind == InstitutionKind.PRISON and rng.random() < 0.15
        fitness = rng.choices(list(Fitness), weights=[80, 15, 5])[0]
        review = today + timedelta(days=rng.randint(30, 400))
        first = rng.choice(WOMEN if sex == Sex.FEMALE else MEN)
        last, middle = rng.choice(SURNAMES), rng.choice(PATRONYMICS)
        if sex == Sex.FEMALE:
            last, middle = feminine(last, middle)
        return Inmate(
            institution_id=institution.id, file_number=f"{spec.code.split('-')[1]}-{n + 1:05d}",
            last_name=last, first_name=first,
            middle_name=middle, birth_date=today - timedelta(days=age_days),
            sex=sex, legal_status=LegalStatus.REMAND if remand else LegalStatus.CONVICTED,
            convicted_on=None if remand else admission,
            regime=spec.regime,
            conditions=rng.choices(list(Conditions), weights=[10, 60, 20, 10])[0],
            admission_date=admission,
            release_date=today + timedelta(days=rng.randint(10, 8 * 365)),
            fitness=fitness, fitness_review_date=review,
            disability_group=rng.choices([None, 1, 2, 3], weights=[94, 1, 2, 3])[0],
            pregnant=sex == Sex.FEMALE and rng.random() < 0.03,
            education=rng.choice(EDUCATION),
            notes=INVENTED,
            trade_wishes=[self.trades[c] for c in rng.sample(PRODUCTION_TRADES, 2)],
        )

    def _history(self, inmate: Inmate) -> None:
        rng = self.rng
        db.session.add(CustodyPeriod(inmate_id=inmate.id, institution_id=inmate.institution_id,
                                     started_on=inmate.admission_date))
        db.session.add(MedicalAssessment(inmate_id=inmate.id, fitness=inmate.fitness,
                                         assessed_on=inmate.admission_date,
                                         review_date=inmate.fitness_review_date))
        for code in rng.sample(PRODUCTION_TRADES, rng.choice([0, 1, 1, 2, 3])):
            self.skills_of[inmate.id].add(code)
            db.session.add(InmateSkill(inmate_id=inmate.id, trade_id=self.trades[code].id,
                                       level=rng.choice([1, 1, 2, 3]), source=SkillSource.DECLARED,
                                       recorded_on=inmate.admission_date))
            if rng.random() < 0.25:
                db.session.add(Certificate(inmate_id=inmate.id, trade_id=self.trades[code].id,
                                           number=f"C-{inmate.id}-{code[:4]}",
                                           issued_on=inmate.admission_date,
                                           issuer=f"Профессиональный лицей {INVENTED}"))
        if rng.random() < 0.85:
            self.private_consent.add(inmate.id)
            db.session.add(Consent(inmate_id=inmate.id, kind=ConsentKind.PRIVATE_EMPLOYER,
                                   given_on=inmate.admission_date, document_ref="demo"))
        if self._voluntary_only(inmate) and rng.random() < 0.7:
            self.voluntary_consent.add(inmate.id)
            db.session.add(Consent(inmate_id=inmate.id, kind=ConsentKind.VOLUNTARY_WORK,
                                   given_on=inmate.admission_date, document_ref="demo"))

    def _voluntary_only(self, inmate: Inmate) -> bool:
        """R4 groups: pension age, disability groups I and II, pregnancy."""
        return rules.in_voluntary_group(PYTHON, self.settings.law, person(inmate), self.today)

    def _separations(self, inmates: list[Inmate]) -> None:
        idle = [i for i in inmates if i.id not in self.workers]
        for _ in range(max(1, len(inmates) // 100)):
            # One of the two never works, so the demo breaks R14 only on purpose.
            a, b = sorted([self.rng.choice(idle), self.rng.choice(inmates)], key=lambda i: i.id)
            if a.id == b.id:
                continue
            db.session.add(SeparationLink(inmate_a_id=a.id, inmate_b_id=b.id,
                                          reason="оперативное решение", created_on=self.today))
        db.session.flush()

    # -- vacancies, courses, placements -----------------------------------------

    def _vacancies(self, institution, spec, employers, inmate_count) -> list[Vacancy]:
        rng = self.rng
        local = [e for e in employers if e.kind != EmployerKind.INSTITUTION]
        vacancies = []
        positions_wanted = int(inmate_count * 0.72)
        while sum(v.positions for v in vacancies) < positions_wanted:
            employer = rng.choice(local if rng.random() < 0.85 else employers)
            code = rng.choice(PRODUCTION_TRADES)
            juvenile = spec.regime == Regime.JUVENILE  # R6: at most 24 h from 14 to 16
            hours = rng.choice([20, 24] if juvenile else [40, 40, 40, 36, 30, 20])
            outside = spec.regime == Regime.MINIMUM or (
                spec.regime == Regime.MEDIUM and rng.random() < 0.1)
            heavy = not juvenile and code in ("welder", "bricklayer", "metal_structure_fitter",
                                              "concrete_products_operator") and rng.random() < 0.6
            vacancies.append(Vacancy(
                employer_id=employer.id, institution_id=institution.id,
                title=self.trades[code].name_ru, trade_id=self.trades[code].id,
                description=f"Производственный участок {INVENTED}",
                site=Site.OUTSIDE if outside else Site.INSIDE,
                positions=rng.randint(2, 18), weekly_hours=hours,
                monthly_wage=rules.minimum_wage(self.settings.law, hours)
                + rng.randint(0, 12) * 5000,
                shift=rng.choices(list(Shift), weights=[70, 20, 10])[0],
                heavy_or_hazardous=heavy, women_barred=heavy and spec.women is False,
                trainable_on_job=rng.random() < 0.5,
                start_date=self.today - timedelta(days=rng.randint(30, 2000)),
                status=rng.choices([VacancyStatus.PUBLISHED, VacancyStatus.PAUSED,
                                    VacancyStatus.DRAFT], weights=[88, 6, 6])[0],
            ))
            if rng.random() < 0.4:
                vacancies[-1].required_skills = [self.trades[code]]
            if heavy and rng.random() < 0.5:
                vacancies[-1].required_certificates = [self.trades[code]]
        db.session.add_all(vacancies)
        db.session.flush()
        return vacancies

    def _courses(self, institution: Institution, inmates: list[Inmate],
                 vacancies: list[Vacancy]) -> None:
        """Upcoming courses in the skills vacancies require and do not teach on the job
        (so the engine has training to recommend), and one finished course."""
        rng = self.rng
        open_places: Counter[str] = Counter()
        for vacancy in vacancies:
            if not vacancy.trainable_on_job and self.free.get(vacancy.id, 0) > 0:
                for trade in [*vacancy.required_skills, *vacancy.required_certificates]:
                    open_places[trade.code] += self.free[vacancy.id]
        upcoming = [code for code, _ in open_places.most_common(3)]
        finished = rng.sample([c for c in PRODUCTION_TRADES if c not in upcoming], 1)
        for code in upcoming + finished:
            offset = rng.randint(-20, 45) if code in upcoming else -rng.randint(150, 300)
            start = self.today + timedelta(days=offset)
            course = Course(institution_id=institution.id, trade_id=self.trades[code].id,
                            title=course_title(self.trades[code]), seats=rng.randint(8, 20),
                            provider=f"Колледж {INVENTED}", start_date=start,
                            end_date=start + timedelta(days=rng.randint(60, 120)),
                            hours=rng.choice([120, 240, 360]))
            db.session.add(course)
            db.session.flush()
            self._enrol(course, code, inmates)

    def _enrol(self, course: Course, code: str, inmates: list[Inmate]) -> None:
        rng = self.rng
        done = course.end_date < self.today
        held = [i for i in inmates if i.release_date and i.release_date > course.end_date]
        for inmate in rng.sample(held, min(len(held), course.seats - rng.randint(2, 6))):
            db.session.add(Enrolment(
                course_id=course.id, inmate_id=inmate.id, enrolled_on=course.start_date,
                status=EnrolmentStatus.COMPLETED if done else EnrolmentStatus.ENROLLED,
                completed_on=course.end_date if done else None))
            if done:  # completion grants the certificate and the skill, as in the app
                db.session.add(Certificate(inmate_id=inmate.id, trade_id=course.trade_id,
                                           number=f"K-{course.id}-{inmate.id}",
                                           issued_on=course.end_date, issuer=course.provider,
                                           course_id=course.id))
                if code not in self.skills_of[inmate.id]:
                    self.skills_of[inmate.id].add(code)
                    db.session.add(InmateSkill(inmate_id=inmate.id, trade_id=course.trade_id,
                                               level=course.grants_level,
                                               source=SkillSource.COURSE,
                                               recorded_on=course.end_date))

    def _placements(self, inmates: list[Inmate], vacancies: list[Vacancy]) -> None:
        """Placement history: each worker holds one vacancy in spells of months with short
        gaps since admission, so past rates look like a running programme."""
        rng = self.rng
        open_vacancies = [v for v in vacancies if v.status == VacancyStatus.PUBLISHED]
        free = self.free = {v.id: v.positions for v in open_vacancies}
        for inmate in inmates:
            if (inmate.legal_status == LegalStatus.REMAND or inmate.fitness == Fitness.UNFIT
                    or rng.random() > 0.8):
                continue
            choices = [v for v in open_vacancies if free[v.id] > 0 and self._may_take(inmate, v)]
            if choices:
                vacancy = rng.choice(choices)
                free[vacancy.id] -= 1  # spells never overlap, so R11 holds on every day
                self._spells(inmate, vacancy)
                self.workers.add(inmate.id)
        db.session.flush()

    def _spells(self, inmate: Inmate, vacancy: Vacancy) -> None:
        rng = self.rng
        begin = max(inmate.admission_date, vacancy.start_date) + timedelta(days=rng.randint(0, 60))
        begin = self._old_enough(inmate, vacancy, begin)
        while begin < self.today:
            end = begin + timedelta(days=rng.randint(120, 540))
            still_working = end >= self.today
            db.session.add(Placement(
                inmate_id=inmate.id, vacancy_id=vacancy.id, institution_id=inmate.institution_id,
                start_date=begin, end_date=None if still_working else end,
                end_reason=None if still_working else EndReason.COMPLETED,
                weekly_hours=vacancy.weekly_hours, monthly_wage=vacancy.monthly_wage))
            begin = end + timedelta(days=rng.randint(1, 45))

    def _person(self, inmate: Inmate) -> SimpleNamespace:
        consents = {kind for kind, given in ((ConsentKind.VOLUNTARY_WORK, self.voluntary_consent),
                                             (ConsentKind.PRIVATE_EMPLOYER, self.private_consent))
                    if inmate.id in given}
        return person(inmate, frozenset(consents))

    def _job(self, vacancy: Vacancy) -> SimpleNamespace:
        return SimpleNamespace(
            private=vacancy.employer_id in self.private_employers,
            outside=vacancy.site == Site.OUTSIDE, heavy=vacancy.heavy_or_hazardous,
            women_barred=vacancy.women_barred, hours=vacancy.weekly_hours,
            wage=vacancy.monthly_wage)

    def _may_take(self, inmate: Inmate, vacancy: Vacancy) -> bool:
        """The demo's own placements respect the rules (``policy.rules``, as the engine
        and the prosecutors' checks read them) today; ``_old_enough`` keeps R6 on the
        days of the history."""
        law, p, v = self.settings.law, self._person(inmate), self._job(vacancy)
        return (rules.r3_fitness_allows(PYTHON, p, v) and rules.r5_consent_allows(PYTHON, p, v)
                and rules.r7_sex_allows(PYTHON, p, v)
                and rules.r8_outside_allows(PYTHON, law, p, v)
                and rules.r9_hours_allow(PYTHON, law, p, v.hours)
                and not rules.voluntary_consent_missing(PYTHON, law, p, self.today)
                and rules.r10_wage_allows(PYTHON, law, v.wage, v.hours)
                and not vacancy.required_certificates)

    def _old_enough(self, inmate: Inmate, vacancy: Vacancy, day: date) -> date:
        """The first day from ``day`` on when R6 allows this work (the person may have
        been too young for it, or for an adult institution, when the history began).
        Hours really worked take the week's limit on its Monday (R9, app/pay), so
        work allowed only from a birthday in the week starts the next Monday."""
        law, p, v = self.settings.law, self._person(inmate), self._job(vacancy)
        juvenile_institution = self.institution_of[inmate.institution_id].is_juvenile
        birthdays = sorted(age_reached_on(inmate.birth_date, months_of(age))
                           for age in (MIN_WORKING_AGE, JUVENILE_AGE_HOURS_STEP, ADULT_AGE))

        def allowed(on: date) -> bool:
            return rules.r6_juvenile_allows(PYTHON, law, p, v, on, juvenile_institution,
                                            v.hours)

        for candidate in [day, *(b for b in birthdays if b > day)]:
            if allowed(candidate):
                monday = candidate - timedelta(days=candidate.weekday())
                return candidate if allowed(monday) else monday + timedelta(days=7)
        return self.today  # never: no spell

    def _pay(self) -> None:
        """A year of timesheets, pay, writs and accounts (app/pay/demo.py)."""
        from app.pay.demo import seed_pay_demo

        seed_pay_demo(self.today, self.rng)

    def _demo_violations(self) -> None:
        """A few deliberate violations, so the prosecutors' page is not empty."""
        try:
            from app.monitoring.demo import seed_demo_violations
        except ImportError:
            return
        from app.pay.demo import violation_month

        dolinka = db.session.scalar(sa.select(Institution).where(Institution.code == "AK-159/20"))
        seed_demo_violations(dolinka, self.today, underpaid_from=violation_month(self.today))
