"""Demo R27-R30 (called by app/demo.py once the demo's people, vacancies and placements
exist): risk-and-needs assessments with a plausible spread, a highest risk level on the
vacancies with tools or outside the perimeter, a few persons flagged under the scattered
model spread over Dolinka's workplaces and shifts, and one court ban. All lawful: the
one violation of each rule is app/monitoring/demo.py's.

Its own random generator, so the rest of the demo draws what it drew before."""

import random
from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa

from app.core.vocabulary import CustodyStatus, LegalStatus, RiskReason, Shift, Site
from app.extensions import db
from app.inmates.models import CourtBan, Inmate, RiskAssessment, ScatteredFlag
from app.institutions.models import Institution
from app.placements.models import Placement
from app.taxonomy.models import Trade
from app.vacancies.models import Vacancy
from policy.law import NEEDS_DOMAINS

LIMITED = "medium"  # the highest level of work with tools or outside the perimeter
# R29's demo violation (app/monitoring/demo.py) is at this workplace and shift: nobody of
# the main demo is flagged there, so it is broken exactly once.
VIOLATION_WORKPLACE = (Site.INSIDE, Shift.NIGHT)
FLAGGED_AT_DOLINKA = 6
SEED = 24
BANNED_TRADES = ("car_driver", "car_mechanic")


def seed_risk_and_security(today: date) -> None:
    rng = random.Random(SEED)
    limited = _limit_vacancies()
    workplaces = _workplaces()
    for inmate in db.session.scalars(sa.select(Inmate).where(
            Inmate.legal_status == LegalStatus.CONVICTED).order_by(Inmate.id)):
        _assess(rng, inmate, today, at_work_limited=inmate.id in limited)
    _flag_at_dolinka(rng, workplaces)
    _one_ban(rng, today)
    db.session.flush()


def _limit_vacancies() -> set[int]:
    """Work with tools (heavy or hazardous) or outside takes ``LIMITED`` at most; the ids
    of the persons who ever worked there (their levels stay within it)."""
    vacancies = list(db.session.scalars(sa.select(Vacancy).where(sa.or_(
        Vacancy.site == Site.OUTSIDE, Vacancy.heavy_or_hazardous.is_(True)))))
    for vacancy in vacancies:
        vacancy.max_risk_level = LIMITED
    return set(db.session.scalars(sa.select(Placement.inmate_id).where(
        Placement.vacancy_id.in_([v.id for v in vacancies]))))


def _assess(rng: random.Random, inmate: Inmate, today: date, at_work_limited: bool) -> None:
    """Most are assessed soon after admission and reviewed yearly; some not yet (the
    officers' home lists them). Levels: about 55% low, 35% medium, 10% high; those who
    worked where the level is limited are assessed on admission and stay within it."""
    if not at_work_limited and rng.random() < 0.12:
        return
    levels = ["low", "medium"] if at_work_limited else ["low", "medium", "high"]
    weights = [60, 40] if at_work_limited else [55, 35, 10]
    day = inmate.admission_date + timedelta(days=0 if at_work_limited else rng.randint(3, 28))
    reason = RiskReason.ADMISSION
    while day <= today:
        needs = rng.sample(NEEDS_DOMAINS, rng.choice([0, 1, 1, 2, 2, 3]))
        db.session.add(RiskAssessment(inmate_id=inmate.id, assessed_on=day,
                                      level=rng.choices(levels, weights)[0], needs=needs,
                                      reason=reason,
                                      assessed_by="Сотрудник учреждения (вымышлено)"))
        day, reason = day + timedelta(days=rng.randint(300, 370)), RiskReason.REVIEW


def _workplaces() -> dict[int, tuple]:
    """{inmate id: (institution id, site, shift)} of the persons with a placement not
    ended, each in the one vacancy the demo gives a worker."""
    rows = db.session.execute(
        sa.select(Placement.inmate_id, Vacancy.institution_id, Vacancy.site, Vacancy.shift)
        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
        .where(Placement.end_date.is_(None)).order_by(Placement.inmate_id))
    return {inmate_id: (institution_id, site, shift)
            for inmate_id, institution_id, site, shift in rows}


def _dolinka() -> Institution:
    return db.session.scalar(sa.select(Institution).where(Institution.code == "AK-159/20"))


def _flag_at_dolinka(rng: random.Random, workplaces: dict[int, tuple]) -> None:
    """A few persons at work in Dolinka, at most one per workplace and shift (so no cap
    is ever reached: a demo worker holds one vacancy all along), none at the workplace
    of R29's demo violation; and one who does not work."""
    dolinka = _dolinka()
    if dolinka is None:
        return
    by_place: defaultdict[tuple, list[int]] = defaultdict(list)
    for inmate_id, place in workplaces.items():
        if place[0] == dolinka.id and place[1:] != VIOLATION_WORKPLACE:
            by_place[place].append(inmate_id)
    chosen = [rng.choice(ids) for _place, ids in sorted(by_place.items())][:FLAGGED_AT_DOLINKA]
    idle = db.session.scalar(sa.select(Inmate.id).where(
        Inmate.institution_id == dolinka.id, Inmate.status == CustodyStatus.HELD,
        Inmate.legal_status == LegalStatus.CONVICTED,
        Inmate.id.not_in(sa.select(Placement.inmate_id))).order_by(Inmate.id).limit(1))
    for inmate_id in [*chosen, *([idle] if idle else [])]:
        admitted = db.session.get(Inmate, inmate_id).admission_date
        db.session.add(ScatteredFlag(inmate_id=inmate_id, flagged_on=admitted,
                                     document_ref="Демо-постановление (вымышлено)"))


def _one_ban(rng: random.Random, today: date) -> None:
    """A Dolinka person a court barred from driving and vehicle repair, trades the person
    never worked in: while it runs, the engine never proposes them for those."""
    dolinka = _dolinka()
    trades = list(db.session.scalars(sa.select(Trade).where(Trade.code.in_(BANNED_TRADES))))
    if dolinka is None or not trades:
        return
    worked = sa.select(Placement.inmate_id).join(Vacancy, Vacancy.id == Placement.vacancy_id) \
        .where(Vacancy.trade_id.in_([t.id for t in trades]))
    person = db.session.scalar(sa.select(Inmate).where(
        Inmate.institution_id == dolinka.id, Inmate.status == CustodyStatus.HELD,
        Inmate.legal_status == LegalStatus.CONVICTED, Inmate.id.not_in(worked))
        .order_by(Inmate.id).offset(rng.randint(0, 20)).limit(1))
    if person is None:
        return
    ban = CourtBan(inmate_id=person.id, starts_on=person.admission_date,
                   ends_on=max(today, person.admission_date) + timedelta(days=3 * 365),
                   decision_ref="Решение суда № 2-0000/2024 (вымышлено)",
                   notes="ст. 50 УК РК (вымышлено)")
    ban.trades = trades
    db.session.add(ban)
