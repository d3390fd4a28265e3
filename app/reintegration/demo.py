"""Invented release and reintegration demo data (called by ``flask seed-demo``):
partner organisations in the Karaganda, Pavlodar and East Kazakhstan regions, plans
at every stage, referrals (some overdue, some declined), a year of people released
with their outcomes (some checks missing), and jobs waiting outside. Names, places
and notes in Russian, as the records hold them. No real person's data."""

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.auth.operations import create_user, find_user_by_email
from app.core.vocabulary import (
    OUTCOME_MONTHS,
    Conditions,
    ConsentKind,
    CustodyStatus,
    EmployerKind,
    EmployerStatus,
    Fitness,
    LegalStatus,
    PartnerKind,
    PartStatus,
    PlanPartKind,
    Regime,
    Role,
    Sex,
    Situation,
)
from app.extensions import db
from app.inmates.models import Consent, CustodyPeriod, Inmate, MedicalAssessment
from app.inmates.operations import add_months, release_inmate
from app.institutions.models import Institution, Region
from app.reintegration import operations as ops
from app.reintegration import outside_jobs
from app.reintegration.access import POSTING_KINDS
from app.reintegration.models import PartnerOrganisation, ReleasePlan
from app.taxonomy.models import Trade
from app.vacancies.models import Employer

INVENTED = "(вымышлено)"
# The regions as app/demo.py names them.
KARAGANDA, PAVLODAR, EAST = ("Карагандинская область", "Павлодарская область",
                             "Восточно-Казахстанская область")
PARTNERS = [
    # name, kind, region, locality, demo login
    ("Отдел занятости акимата района Абай", PartnerKind.AKIMAT_EMPLOYMENT, KARAGANDA,
     "Абай", None),
    ("Центр ресоциализации г. Шахтинск", PartnerKind.RESOCIALISATION_CENTRE, KARAGANDA,
     "Шахтинск", "partner.karaganda@demo.kz"),
    ("ОФ «Второй шаг»", PartnerKind.NGO, KARAGANDA, "Караганда", None),
    ("Центр ресоциализации г. Павлодар", PartnerKind.RESOCIALISATION_CENTRE, PAVLODAR,
     "Павлодар", "partner.pavlodar@demo.kz"),
    ("Центр занятости г. Усть-Каменогорск", PartnerKind.EMPLOYMENT_CENTRE, EAST,
     "Усть-Каменогорск", "centre.east@demo.kz"),
]
LOCALITIES = {KARAGANDA: ["Караганда", "Темиртау", "Шахтинск", "Абай", "Сарань"],
              PAVLODAR: ["Павлодар", "Экибастуз", "Аксу"],
              EAST: ["Усть-Каменогорск", "Семей", "Риддер"]}
REFERRED_KINDS = (PartnerKind.RESOCIALISATION_CENTRE, PartnerKind.EMPLOYMENT_CENTRE)


def _contact(number: int) -> dict[str, str]:
    """An invented contact person, phone and address for the officers to call."""
    person = ["Сауле Омарова", "Ерлан Беков", "Ольга Петрова", "Алия Жакупова",
              "Дмитрий Волков"][number % 5]
    return {"contact_person": person, "contact_phone": f"+7 700 100 {number:04d}",
            "address": f"ул. Абая, {number + 1} {INVENTED}"}


def seed_reintegration(today: date, password: str) -> list[tuple[str, str, str]]:
    """Partner organisations and their demo logins; the rest once, with them."""
    regions = {r.name: r for r in db.session.scalars(sa.select(Region))}
    if not all(region in regions for _, _, region, _, _ in PARTNERS):
        return []
    first_time = db.session.scalar(sa.select(sa.func.count(PartnerOrganisation.id))) == 0
    partners: dict[str, PartnerOrganisation] = {}
    logins = []
    for number, (name, kind, region, locality, login) in enumerate(PARTNERS):
        full_name = f"{name} {INVENTED}"
        partner = db.session.scalar(sa.select(PartnerOrganisation).where(
            PartnerOrganisation.name == full_name))
        if partner is None:
            partner = ops.save_partner(None, {
                "name": full_name, "kind": kind, "locality": locality,
                "region_ids": [regions[region].id], **_contact(number)})
        # Referrals go to the region's resocialisation or employment centre.
        if kind in REFERRED_KINDS or region not in partners:
            partners[region] = partner
        if login:
            if find_user_by_email(login) is None:
                create_user(email=login, full_name=f"Партнёр, {locality} (демо)",
                            password=password, role=Role.PARTNER, partner_id=partner.id)
            logins.append(("partner", login, password))
    if first_time:
        _Stages(random.Random(167), today, partners, regions).build()
    return logins


class _Stages:
    def __init__(self, rng: random.Random, today: date, partners: dict[str, PartnerOrganisation],
                 regions: dict[str, Region]) -> None:
        self.rng, self.today, self.partners, self.regions = rng, today, partners, regions
        self.referred_now: set[int] = set()  # centres with a referral of people still held

    def build(self) -> None:
        self._released_last_year()
        self._plans_now()
        self._outside_jobs()

    def _outside_jobs(self) -> None:
        """Jobs in towns open to people leaving prison, posted by invented businesses
        (by the employment centre where the region has one)."""
        employers = db.session.scalars(sa.select(Employer).where(
            Employer.kind == EmployerKind.PRIVATE_COMPANY,
            Employer.status == EmployerStatus.APPROVED).order_by(Employer.id).limit(4)).all()
        trades = {t.code: t for t in db.session.scalars(sa.select(Trade))}
        jobs = [("welder", KARAGANDA, "Темиртау"), ("carpenter", KARAGANDA, "Шахтинск"),
                ("baker", PAVLODAR, "Павлодар"), ("sewing_operator", EAST, "Усть-Каменогорск")]
        for employer, (trade, region, locality) in zip(employers, jobs, strict=False):
            if trade not in trades or region not in self.regions:
                continue
            centre = self.partners.get(region)
            poster = ({"partner_id": centre.id} if centre and centre.kind in POSTING_KINDS
                      else {"employer_id": employer.id})
            outside_jobs.post_job({
                "title": f"{trades[trade].name_ru} {INVENTED}", "trade_id": trades[trade].id,
                "locality": locality, "region_id": self.regions[region].id,
                "positions": 3, "monthly_wage": 180_000,
                "start_date": self.today + timedelta(days=120)}, self.today, **poster)

    def _region_of(self, inmate: Inmate) -> str:
        return inmate.institution.region.name

    def _destination(self, plan: ReleasePlan, region: str) -> None:
        if self.rng.random() < 0.9:
            plan.destination_locality = self.rng.choice(LOCALITIES.get(region, [region]))

    def _work_on(self, plan: ReleasePlan, first: date, last: date, share_decided: float,
                 settled: bool = False) -> None:
        span = max((last - first).days, 0)
        choices = [PartStatus.ARRANGED, PartStatus.ARRANGED, PartStatus.NOT_NEEDED,
                   PartStatus.NOT_ARRANGED] + ([] if settled else [PartStatus.IN_PROGRESS])
        for part in plan.parts:
            if self.rng.random() > share_decided:
                continue
            status = self.rng.choice(choices)
            values = {"status": status, "reason": f"Мест нет {INVENTED}"}
            if status == PartStatus.ARRANGED and part.kind == PlanPartKind.JOB:
                values["agreement"] = "agreed"  # the person said yes (their own agreement)
            ops.update_part(part, values, first + timedelta(days=self.rng.randint(0, span)))

    def _refer(self, plan: ReleasePlan, region: str, on: date, *, now: bool = False) -> None:
        """A referral at some stage; with ``now``, each centre's first one of people still
        held stays waiting, so every centre has one to answer whatever the draws."""
        partner = self.partners.get(region)
        if partner is None:
            return
        parts = [p.id for p in plan.parts[:2] if p.status not in (PartStatus.ARRANGED,)]
        if not parts:
            return
        referral = ops.refer(plan, {"partner_id": partner.id, "part_ids": parts,
                                    "due_on": on + timedelta(days=30),
                                    "note": f"Нужны работа и койко-место {INVENTED}"}, None, on)
        roll = self.rng.random()
        first_of_now = now and partner.id not in self.referred_now
        if now:
            self.referred_now.add(partner.id)
        if roll < 0.2 or first_of_now:
            return  # still waiting; overdue when sent over 30 days ago
        if roll < 0.3:
            ops.decline(referral, f"В этом месяце мест нет {INVENTED}", on + timedelta(days=3))
            return
        ops.accept(referral, min(on + timedelta(days=2), self.today))
        if roll < 0.6:
            day = min(on + timedelta(days=10), self.today)
            for part in plan.parts:  # the person agreed to the job before it is arranged
                if part.id in parts and part.kind == PlanPartKind.JOB:
                    ops.update_part(part, {"agreement": "agreed"}, day)
            ops.record_arranged(referral, {"arranged": f"Койко-место и собеседование {INVENTED}",
                                           "parts": [{"part_id": p, "status": "arranged"}
                                                     for p in parts],
                                           "close": True},
                                min(on + timedelta(days=10), self.today))

    def _consent(self, inmate: Inmate, on: date) -> bool:
        if self.rng.random() < 0.25:
            return False
        db.session.add(Consent(inmate_id=inmate.id, kind=ConsentKind.SHARE_WITH_PARTNERS,
                               given_on=on, document_ref=f"демо {INVENTED}"))
        db.session.flush()
        return True

    def _plans_now(self) -> None:
        """Everyone due within the set months gets a plan, a month old, at some stage."""
        opened_on = self.today - timedelta(days=30)
        ops.open_due_plans(opened_on)
        plans = db.session.scalars(sa.select(ReleasePlan).where(
            ReleasePlan.released_on.is_(None)).order_by(ReleasePlan.id)).all()
        for plan in plans:
            region = self._region_of(plan.inmate)
            self._destination(plan, region)
            self._work_on(plan, opened_on, self.today, self.rng.choice([0.0, 0.3, 0.7, 1.0]))
            consented = self._consent(plan.inmate, opened_on)
            if consented and self.rng.random() < 0.5:
                self._refer(plan, region, opened_on + timedelta(days=self.rng.randint(0, 25)),
                            now=True)

    def _released_last_year(self) -> None:
        """Invented people released over the last 14 months, with outcomes."""
        institutions = db.session.scalars(sa.select(Institution).order_by(Institution.code)).all()
        serial = 0
        for institution in institutions:
            if institution.regime == Regime.JUVENILE:
                continue
            for _ in range(6):
                serial += 1
                released_on = self.today - timedelta(days=self.rng.randint(5, 420))
                inmate = self._released_person(institution, serial, released_on)
                self._plan_and_release(inmate, released_on)

    def _released_person(self, institution: Institution, serial: int, released_on: date
                         ) -> Inmate:
        admitted = released_on - timedelta(days=900)
        women = _holds_women(institution)
        inmate = Inmate(institution_id=institution.id, file_number=f"REL-{serial:04d}",
                        # Cyrillic, as the records hold them (and as the pages read)
                        last_name=self.rng.choice(["Абенов", "Кузнецов", "Темиров", "Султанов"])
                        + ("а" if women else ""),
                        first_name=self.rng.choice(
                            ["Айгерим", "Ольга", "Дана", "Елена"] if women
                            else ["Нурлан", "Сергей", "Ерлан", "Олег"]),
                        birth_date=date(1985 + serial % 15, 1 + serial % 12, 1 + serial % 27),
                        sex=Sex.FEMALE if women else Sex.MALE,
                        legal_status=LegalStatus.CONVICTED, convicted_on=admitted,
                        regime=institution.regime, conditions=Conditions.ORDINARY,
                        admission_date=admitted, release_date=released_on,
                        fitness=Fitness.FIT, notes=f"освобождён {INVENTED}",
                        status=CustodyStatus.HELD)
        db.session.add(inmate)
        db.session.flush()
        db.session.add_all([
            CustodyPeriod(inmate_id=inmate.id, institution_id=institution.id,
                          started_on=admitted),
            MedicalAssessment(inmate_id=inmate.id, fitness=Fitness.FIT, assessed_on=admitted)])
        db.session.flush()
        return inmate

    def _plan_and_release(self, inmate: Inmate, released_on: date) -> None:
        opened_on = add_months(released_on, -6)
        region = self._region_of(inmate)
        plan = ops.open_plan(inmate, opened_on, automatically=True)
        self._destination(plan, region)
        self._work_on(plan, opened_on, released_on - timedelta(days=1),
                      self.rng.choice([0.5, 0.9, 1.0, 1.0]), settled=True)
        if self._consent(inmate, opened_on) and self.rng.random() < 0.7:
            self._refer(plan, region, opened_on + timedelta(days=7))
        release_inmate(inmate, released_on, today=self.today)
        # invented history: each event entered on its own day, as it would have been
        plan.release_recorded_at = _noon(released_on)
        partner = self.partners.get(region)
        for months in OUTCOME_MONTHS:
            due = add_months(released_on, months)
            if due > self.today or self.rng.random() < 0.25:
                continue  # not yet due, or missing (shown as missing)
            situations = [s for s, p in ((Situation.HOUSED, 0.65), (Situation.EMPLOYED, 0.45),
                                         (Situation.BENEFITS, 0.2),
                                         (Situation.RETURNED_TO_CUSTODY, 0.05))
                          if self.rng.random() < p] or [Situation.LOST_CONTACT]
            if Situation.RETURNED_TO_CUSTODY in situations:  # goes alone (ops.ALONE)
                situations = [Situation.RETURNED_TO_CUSTODY]
            check = ops.record_outcome(plan, {"months": months, "situations": situations,
                                              "checked_on": due, "note": INVENTED},
                                       partner.id if partner else None, self.today)
            check.recorded_at = _noon(due)


def _holds_women(institution: Institution) -> bool:
    """Whether the demo's people there are women (a women's colony)."""
    return db.session.scalar(sa.select(Inmate.sex).where(
        Inmate.institution_id == institution.id).order_by(Inmate.id).limit(1)) == Sex.FEMALE


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12))
