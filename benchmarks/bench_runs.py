"""Benchmark: one match run, from rows to stored proposals, for a large institution.

Seeds invented data (no real person) into an EMPTY database (the schema is dropped
and recreated): one institution with 2,000 held inmates (skills, certificates,
wishes, consents, medical assessments, separation links, a quarter already at
work) and 150 published vacancies of 40 employers, plus 12 courses. Then times
``app.placements.operations.start_run`` (adapter + engine + storing the run and
its proposals, committed), its parts measured one by one (adapter, engine, the
result and input snapshot as JSON; "run total" adds the inserts and the commit),
and one accept.

    .venv/bin/python benchmarks/bench_runs.py [--quick]       # SQLite file in /tmp
    .venv/bin/python benchmarks/bench_runs.py postgresql+psycopg://postgres@127.0.0.1:5432/helper_runs
    (or set BENCH_DATABASE_URL)
"""

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

import matching  # noqa: E402
from app import create_app  # noqa: E402
from app.config import TestingConfig  # noqa: E402
from app.core.vocabulary import (  # noqa: E402
    Conditions,
    ConsentKind,
    EmployerKind,
    EmployerStatus,
    Fitness,
    InstitutionKind,
    LegalStatus,
    Regime,
    Sex,
    Shift,
    Site,
    SkillSource,
    VacancyStatus,
)
from app.extensions import db  # noqa: E402
from app.inmates.models import (  # noqa: E402
    Certificate,
    Consent,
    CustodyPeriod,
    Inmate,
    InmateSkill,
    MedicalAssessment,
    SeparationLink,
    inmate_trade_wishes,
)
from app.institutions.models import Institution, Region  # noqa: E402
from app.placements import adapter, operations  # noqa: E402
from app.placements.models import Placement, Proposal  # noqa: E402
from app.settings.operations import settings_for  # noqa: E402
from app.taxonomy.data import load_trades  # noqa: E402
from app.taxonomy.models import Trade  # noqa: E402
from app.training.models import Course  # noqa: E402
from app.vacancies.models import (  # noqa: E402
    Employer,
    Vacancy,
    vacancy_required_certificates,
    vacancy_required_skills,
)
from policy.clock import today_in_kazakhstan  # noqa: E402

INMATES = 2_000
VACANCIES = 150
EMPLOYERS = 40
COURSES = 12
REPEATS = 5
TODAY = today_in_kazakhstan()
rnd = random.Random(20261123)


def _insert(table, rows: list[dict]) -> None:
    if rows:
        db.session.execute(sa.insert(table), rows)


def _seed_institution() -> Institution:
    region = Region(name="Karaganda (invented)")
    institution = Institution(code="AK-159/20", name="Dolinka (invented)", region=region,
                              kind=InstitutionKind.COLONY, regime=Regime.MEDIUM)
    db.session.add(institution)
    load_trades()
    db.session.flush()
    return institution


def _seed_inmates(institution: Institution, trades: list[int]) -> list[int]:
    rows = []
    for n in range(INMATES):
        female = rnd.random() < 0.08
        rows.append(dict(
            institution_id=institution.id, file_number=f"B-{n:05d}", last_name=f"Invented{n}",
            first_name="Demo", middle_name="", birth_date=date(rnd.randint(1958, 2004),
                                                               rnd.randint(1, 12), 1),
            sex=Sex.FEMALE if female else Sex.MALE,
            legal_status=LegalStatus.REMAND if rnd.random() < 0.04 else LegalStatus.CONVICTED,
            convicted_on=TODAY - timedelta(days=rnd.randint(30, 2000)),
            regime=rnd.choice([Regime.MEDIUM] * 4 + [Regime.MINIMUM, Regime.MAXIMUM]),
            conditions=rnd.choice(list(Conditions)),
            admission_date=TODAY - timedelta(days=rnd.randint(30, 2000)),
            release_date=TODAY + timedelta(days=rnd.randint(20, 3000)),
            fitness=rnd.choice([Fitness.FIT] * 8 + [Fitness.LIMITED, Fitness.UNFIT]),
            fitness_review_date=TODAY + timedelta(days=rnd.randint(-20, 300)),
            disability_group=rnd.choice([None] * 30 + [1, 2, 3]),
            pregnant=female and rnd.random() < 0.05, education="", notes="",
            status="held", created_at=TODAY, updated_at=TODAY,
        ))
    _insert(Inmate.__table__, rows)
    ids = list(db.session.scalars(sa.select(Inmate.id).order_by(Inmate.id)))
    by_id = dict(zip(ids, rows, strict=True))
    _insert(CustodyPeriod.__table__, [
        dict(inmate_id=i, institution_id=institution.id, started_on=by_id[i]["admission_date"])
        for i in ids])
    _insert(MedicalAssessment.__table__, [
        dict(inmate_id=i, fitness=by_id[i]["fitness"], assessed_on=by_id[i]["admission_date"],
             review_date=by_id[i]["fitness_review_date"], notes="") for i in ids])
    _insert(Consent.__table__, [
        dict(inmate_id=i, kind=kind, given_on=TODAY - timedelta(days=10), document_ref="")
        for i in ids for kind, share in ((ConsentKind.PRIVATE_EMPLOYER, 0.6),
                                         (ConsentKind.VOLUNTARY_WORK, 0.3))
        if rnd.random() < share])
    skills, certificates, wishes = [], [], []
    for i in ids:
        for trade in rnd.sample(trades, rnd.randint(0, 3)):
            skills.append(dict(inmate_id=i, trade_id=trade, level=rnd.randint(1, 3),
                               source=SkillSource.DECLARED, recorded_on=TODAY))
            if rnd.random() < 0.4:
                certificates.append(dict(inmate_id=i, trade_id=trade, issued_on=TODAY,
                                         number="", issuer=""))
        wishes += [dict(inmate_id=i, trade_id=t) for t in rnd.sample(trades, rnd.randint(0, 2))]
    _insert(InmateSkill.__table__, skills)
    _insert(Certificate.__table__, certificates)
    _insert(inmate_trade_wishes, wishes)
    pairs = {tuple(sorted(rnd.sample(ids, 2))) for _ in range(60)}
    _insert(SeparationLink.__table__, [dict(inmate_a_id=a, inmate_b_id=b, reason="",
                                            created_on=TODAY) for a, b in pairs])
    return ids


def _seed_vacancies(institution: Institution, trades: list[int]) -> list[int]:
    kinds = [EmployerKind.PRIVATE_COMPANY, EmployerKind.SOLE_TRADER,
             EmployerKind.STATE_ENTERPRISE, EmployerKind.INSTITUTION]
    _insert(Employer.__table__, [
        dict(kind=kinds[n % 4], bin_iin=None, name=f"Invented employer {n}",
             status=EmployerStatus.APPROVED, address="", contact_person="", phone="", email="",
             refusal_reason="", created_at=TODAY, updated_at=TODAY) for n in range(EMPLOYERS)])
    employers = list(db.session.scalars(sa.select(Employer.id)))
    rows = []
    for n in range(VACANCIES):
        hours = rnd.choice([40, 40, 40, 36, 20])
        rows.append(dict(
            employer_id=rnd.choice(employers), institution_id=institution.id,
            title=f"Invented job {n}", trade_id=rnd.choice(trades), description="",
            site=Site.OUTSIDE if rnd.random() < 0.15 else Site.INSIDE,
            positions=rnd.randint(2, 16), monthly_wage=rnd.randint(2200, 3200) * hours,
            weekly_hours=hours, shift=rnd.choice(list(Shift)),
            heavy_or_hazardous=rnd.random() < 0.2, women_barred=rnd.random() < 0.1,
            trainable_on_job=rnd.random() < 0.6, needs_long_stay=rnd.random() < 0.3,
            start_date=TODAY - timedelta(days=rnd.randint(0, 300)), end_date=None,
            status=VacancyStatus.PUBLISHED, created_at=TODAY, updated_at=TODAY,
        ))
    _insert(Vacancy.__table__, rows)
    ids = list(db.session.scalars(sa.select(Vacancy.id).order_by(Vacancy.id)))
    _insert(vacancy_required_skills, [dict(vacancy_id=v, trade_id=t) for v in ids
                                      for t in rnd.sample(trades, rnd.randint(0, 1))])
    _insert(vacancy_required_certificates, [dict(vacancy_id=v, trade_id=rnd.choice(trades))
                                            for v in ids if rnd.random() < 0.1])
    return ids


def _seed_work_and_courses(institution: Institution, inmates: list[int],
                           vacancies: list[int], trades: list[int]) -> None:
    wage = dict(db.session.execute(sa.select(Vacancy.id, Vacancy.monthly_wage)).tuples().all())
    hours = dict(db.session.execute(sa.select(Vacancy.id, Vacancy.weekly_hours)).tuples().all())
    positions = dict(db.session.execute(sa.select(Vacancy.id, Vacancy.positions)).tuples().all())
    placements = []
    for inmate in rnd.sample(inmates, INMATES // 4):
        vacancy = rnd.choice(vacancies)
        if positions[vacancy] > 1:  # leave room for the run
            positions[vacancy] -= 1
            placements.append(dict(
                inmate_id=inmate, vacancy_id=vacancy, institution_id=institution.id,
                start_date=TODAY - timedelta(days=rnd.randint(1, 200)), end_note="",
                weekly_hours=hours[vacancy], monthly_wage=wage[vacancy], paid=True,
                created_at=TODAY))
    _insert(Placement.__table__, placements)
    _insert(Course.__table__, [
        dict(institution_id=institution.id, trade_id=rnd.choice(trades),
             title=f"Invented course {n}", provider="", seats=rnd.randint(10, 25),
             start_date=TODAY + timedelta(days=10), end_date=TODAY + timedelta(days=100),
             hours=240, grants_certificate=True, grants_level=1, created_at=TODAY,
             updated_at=TODAY) for n in range(COURSES)])


def seed() -> Institution:
    db.drop_all()
    db.create_all()
    institution = _seed_institution()
    trades = list(db.session.scalars(sa.select(Trade.id).order_by(Trade.id)))[:35]
    inmates = _seed_inmates(institution, trades)
    vacancies = _seed_vacancies(institution, trades)
    _seed_work_and_courses(institution, inmates, vacancies, trades)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # planner statistics, as autovacuum keeps them on a live database: without
        # them PostgreSQL plans the freshly filled tables as empty (nested loops)
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return institution


def _timed(action) -> tuple[float, object]:
    began = time.perf_counter()
    value = action()
    return (time.perf_counter() - began) * 1000, value


def _parts(institution: Institution, settings) -> tuple[dict[str, float], object]:
    """The steps of ``start_run`` one by one, under the same paused collector."""
    db.session.expire_all()
    with operations.collector_paused():
        adapter_ms, problem = _timed(lambda: adapter.build_problem(institution, TODAY, settings))
        engine_ms, outcome = _timed(lambda: matching.match(problem))
        json_ms, _ = _timed(lambda: (outcome.to_dict(), adapter.problem_snapshot(problem)))
    db.session.rollback()
    return {"adapter": adapter_ms, "engine": engine_ms, "to_dict+snapshot": json_ms}, problem


def _json_kb(value) -> int:
    return len(json.dumps(value)) // 1024


def bench(institution: Institution) -> None:
    settings = settings_for(TODAY.year)
    parts: dict[str, list[float]] = {"adapter": [], "engine": [], "to_dict+snapshot": [],
                                     "run total": []}
    for _ in range(REPEATS):
        measured, problem = _parts(institution, settings)
        for name, ms in measured.items():
            parts[name].append(ms)
        db.session.expire_all()
        ms, run = _timed(lambda: (operations.start_run(institution, None), db.session.commit()))
        parts["run total"].append(ms)
    run = run[0]
    summary = run.result["summary"]
    proposals = db.session.scalar(sa.select(sa.func.count()).where(Proposal.run_id == run.id))
    print(f"database        {db.engine.dialect.name}")
    print(f"inmates held    {summary['held']}  able {summary['able_to_work']}  "
          f"employed {summary['employed']}  vacancies {len(problem.vacancies)}  "
          f"free positions {sum(v.free_positions for v in problem.vacancies)}")
    print(f"proposals       {proposals}  unplaced {len(run.result['unplaced'])}  "
          f"projected rate {summary['projected_rate']:.3f}  shortfall {summary['shortfall']}")
    for name, values in parts.items():
        print(f"{name:<17} median {statistics.median(values):6.0f} ms   "
              f"min {min(values):6.0f} ms   ({REPEATS} runs)")
    print(f"engine timings  {run.result['timings']}")
    print(f"stored run      duration_ms={run.duration_ms}  input snapshot "
          f"{_json_kb(run.input_snapshot)} kB  result {_json_kb(run.result)} kB  "
          f"settings {_json_kb(run.settings_snapshot)} kB")
    proposal = db.session.scalars(sa.select(Proposal).where(Proposal.run_id == run.id)).first()
    ms, _ = _timed(lambda: (operations.accept_proposal(proposal, None), db.session.commit()))
    print(f"one accept      {ms:7.0f} ms (re-check of every rule, locks, insert)")


def main() -> None:
    argv = [arg for arg in sys.argv[1:] if arg != "--quick"]
    if "--quick" in sys.argv:  # CI: the same steps on a small institution
        globals().update(INMATES=200, VACANCIES=20, EMPLOYERS=5, COURSES=3, REPEATS=1)
    url = (argv[0] if argv else os.environ.get("BENCH_DATABASE_URL")
           or f"sqlite:///{Path(tempfile.gettempdir()) / 'bench_runs.db'}")

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(BenchConfig)
    with app.app_context():
        began = time.perf_counter()
        institution = seed()
        print(f"seeded in {time.perf_counter() - began:.1f} s")
        bench(institution)
        db.session.remove()


if __name__ == "__main__":
    main()
