"""Benchmark: the 24-month employment-rate trend (R1) for every institution.

Seeds invented history into an EMPTY PostgreSQL database (the schema is dropped
and recreated): 79 institutions in 17 regions, 30,000 inmates with custody
periods (some transferred), medical assessments, consents and placements over
24 months, using bulk inserts. Then times ``app.monitoring.rates.trends`` for a
national reader and prints the figure (target: at most 1 s).

    .venv/bin/python benchmarks/bench_rates.py [--quick] postgresql+psycopg://postgres@127.0.0.1:5432/helper_monitoring
    (or set BENCH_DATABASE_URL)
"""

import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from app.config import TestingConfig  # noqa: E402
from app.core.vocabulary import (  # noqa: E402
    Conditions,
    ConsentKind,
    EmployerKind,
    EmployerStatus,
    EndReason,
    Fitness,
    InstitutionKind,
    LegalStatus,
    Regime,
    Role,
    Sex,
    Site,
    VacancyStatus,
)
from app.extensions import db  # noqa: E402
from app.inmates.models import Consent, CustodyPeriod, Inmate, MedicalAssessment  # noqa: E402
from app.institutions.models import Institution, Region  # noqa: E402
from app.placements.models import Placement  # noqa: E402
from app.taxonomy.models import Trade  # noqa: E402
from app.vacancies.models import Employer, Vacancy  # noqa: E402

INMATES = 30_000
INSTITUTIONS = 79
REGIONS = 17
VACANCIES_PER_INSTITUTION = 20
TODAY = date.today()
START = TODAY - timedelta(days=760)  # a little over 24 months of history
CHUNK = 5_000


def _insert(model, rows: list[dict]) -> None:
    table = model.__table__
    for i in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(table), rows[i : i + CHUNK])


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange(max(1, (last - first).days)))


def seed(rng: random.Random) -> None:
    _insert(Region, [{"id": r, "name": f"Region {r}"} for r in range(1, REGIONS + 1)])
    _insert(
        Institution,
        [
            {
                "id": i,
                "code": f"BX-{i}",
                "name": f"Colony {i}",
                "region_id": i % REGIONS + 1,
                "kind": InstitutionKind.COLONY.value,
                "regime": Regime.MEDIUM.value,
                "address": "",
            }
            for i in range(1, INSTITUTIONS + 1)
        ],
    )
    _insert(
        Trade,
        [
            {
                "id": 1,
                "code": "bench",
                "name_en": "Bench",
                "name_ru": "Bench",
                "isco_code": "9329",
                "active": True,
            }
        ],
    )
    _insert(
        Employer,
        [
            {
                "id": 1,
                "kind": EmployerKind.STATE_ENTERPRISE.value,
                "bin_iin": None,
                "name": "State enterprise",
                "status": EmployerStatus.APPROVED.value,
                "address": "",
                "contact_person": "",
                "phone": "",
                "email": "",
                "refusal_reason": "",
                "created_at": TODAY,
                "updated_at": TODAY,
            }
        ],
    )
    vacancies = [
        {
            "id": (i - 1) * VACANCIES_PER_INSTITUTION + v + 1,
            "employer_id": 1,
            "institution_id": i,
            "title": f"Job {v}",
            "trade_id": 1,
            "description": "",
            "site": Site.INSIDE.value,
            "positions": 50,
            "monthly_wage": 90_000,
            "weekly_hours": 40,
            "shift": "day",
            "heavy_or_hazardous": False,
            "women_barred": False,
            "trainable_on_job": False,
            "needs_long_stay": False,
            "start_date": START,
            "status": VacancyStatus.PUBLISHED.value,
            "created_at": TODAY,
            "updated_at": TODAY,
        }
        for i in range(1, INSTITUTIONS + 1)
        for v in range(VACANCIES_PER_INSTITUTION)
    ]
    _insert(Vacancy, vacancies)
    _seed_people(rng)


def _seed_people(rng: random.Random) -> None:
    inmates, periods, assessments, consents, placements = [], [], [], [], []
    for n in range(1, INMATES + 1):
        institution = rng.randrange(1, INSTITUTIONS + 1)
        admitted = _day(rng, START - timedelta(days=900), TODAY - timedelta(days=30))
        left = _day(rng, admitted + timedelta(days=30), TODAY + timedelta(days=400))
        left_on = left if left <= TODAY else None
        inmates.append(
            {
                "id": n,
                "institution_id": institution,
                "file_number": f"B-{n}",
                "last_name": "Invented",
                "first_name": f"Person {n}",
                "middle_name": "",
                "birth_date": date(1950 + rng.randrange(55), 1 + rng.randrange(12), 1),
                "sex": Sex.MALE.value if rng.random() < 0.93 else Sex.FEMALE.value,
                "legal_status": LegalStatus.CONVICTED.value,
                "convicted_on": admitted + timedelta(days=rng.randrange(0, 90)),
                "regime": Regime.MEDIUM.value,
                "conditions": Conditions.ORDINARY.value,
                "admission_date": admitted,
                "release_date": left,
                "status": "released" if left_on else "held",
                "left_on": left_on,
                "fitness": Fitness.FIT.value,
                "fitness_review_date": None,
                "disability_group": rng.choice([None] * 30 + [1, 2, 3]),
                "pregnant": False,
                "education": "",
                "notes": "",
                "created_at": TODAY,
                "updated_at": TODAY,
            }
        )
        periods += _custody(rng, n, institution, admitted, left_on)
        assessments += _assessments(rng, n, admitted)
        if rng.random() < 0.05:
            consents.append(
                {
                    "inmate_id": n,
                    "kind": ConsentKind.VOLUNTARY_WORK.value,
                    "given_on": admitted,
                    "document_ref": "",
                }
            )
        placements += _placements(rng, n, institution, admitted, left_on or TODAY)
    _insert(Inmate, inmates)
    _insert(CustodyPeriod, periods)
    _insert(MedicalAssessment, assessments)
    _insert(Consent, consents)
    _insert(Placement, placements)
    print(
        f"seeded {len(inmates)} inmates, {len(periods)} custody periods, "
        f"{len(assessments)} assessments, {len(placements)} placements"
    )


def _custody(rng, inmate_id, institution, admitted, left_on) -> list[dict]:
    if rng.random() < 0.1 and left_on is None:  # transferred in from another institution
        moved = _day(rng, admitted, TODAY)
        return [
            {
                "inmate_id": inmate_id,
                "institution_id": rng.randrange(1, INSTITUTIONS + 1),
                "started_on": admitted,
                "ended_on": moved,
                "end_reason": "transferred",
            },
            {
                "inmate_id": inmate_id,
                "institution_id": institution,
                "started_on": moved,
                "ended_on": None,
                "end_reason": None,
            },
        ]
    return [
        {
            "inmate_id": inmate_id,
            "institution_id": institution,
            "started_on": admitted,
            "ended_on": left_on,
            "end_reason": "released" if left_on else None,
        }
    ]


def _assessments(rng, inmate_id, admitted) -> list[dict]:
    rows, day = [], admitted
    while day <= TODAY:
        fitness = rng.choices([Fitness.FIT, Fitness.LIMITED, Fitness.UNFIT], [80, 15, 5])[0]
        rows.append(
            {
                "inmate_id": inmate_id,
                "fitness": fitness.value,
                "assessed_on": day,
                "review_date": day + timedelta(days=365),
                "notes": "",
            }
        )
        day += timedelta(days=rng.randrange(200, 500))
    return rows


def _placements(rng, inmate_id, institution, admitted, until) -> list[dict]:
    rows, day = [], max(admitted, START)
    while day < until and rng.random() < 0.8:
        start = _day(rng, day, min(until, day + timedelta(days=120)))
        end = start + timedelta(days=rng.randrange(30, 400))
        open_ended = end >= until and until == TODAY
        rows.append(
            {
                "inmate_id": inmate_id,
                "institution_id": institution,
                "vacancy_id": (institution - 1) * VACANCIES_PER_INSTITUTION
                + rng.randrange(VACANCIES_PER_INSTITUTION)
                + 1,
                "start_date": start,
                "end_date": None if open_ended else min(end, until),
                "end_reason": None if open_ended else EndReason.COMPLETED.value,
                "end_note": "",
                "weekly_hours": 40,
                "monthly_wage": 90_000,
                "paid": True,
                "created_at": TODAY,
            }
        )
        day = min(end, until) + timedelta(days=rng.randrange(1, 60))
    return rows


def main() -> None:
    argv = [arg for arg in sys.argv[1:] if arg != "--quick"]
    if "--quick" in sys.argv:  # CI: the same steps on a small country
        globals().update(INMATES=2_000, INSTITUTIONS=8, REGIONS=3)
    url = (
        argv[0]
        if argv
        else os.environ.get("BENCH_DATABASE_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/helper_monitoring"
    )
    TestingConfig.SQLALCHEMY_DATABASE_URI = url
    app = create_app(TestingConfig)
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        seed(random.Random(2026))
        db.session.commit()
        db.session.execute(sa.text("ANALYZE")) if url.startswith("postgresql") else None
        db.session.commit()
        print(f"seeding took {time.perf_counter() - started:.1f} s")
        _time_trends()


def _time_trends() -> None:
    from app.monitoring.rates import trends

    reader = SimpleNamespace(role=Role.ADMIN, region_id=None, institution_id=None)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        result = trends(reader, TODAY)
        timings.append(time.perf_counter() - started)
    last = result.total[-1]
    print(
        f"national rate on {last.day}: {last.rate:.1%} (held {last.held}, able {last.able}, "
        f"employed {last.employed})"
    )
    print(
        f"24-month rates for {len(result.institutions)} institutions: "
        f"best {min(timings):.3f} s, worst {max(timings):.3f} s (target <= 1 s)"
    )
    _time_peer(result.days, min(timings))


def _time_peer(days, engine_best: float) -> None:
    """The peer: the plain one-day R1 query (app/placements/status.institution_counts),
    run once per month, and a check that both give the same counts."""
    from app.monitoring.rates import _without_jit, counts_on
    from app.placements.status import institution_counts
    from app.settings.operations import settings_for

    _without_jit()  # the same PostgreSQL setting for both, so the comparison is fair
    started = time.perf_counter()
    peer = {}
    for day in days:
        for row in db.session.execute(institution_counts(day, settings_for(day.year).law)):
            peer[(day, row.institution_id)] = (row.held, row.able, row.employed)
    peer_time = time.perf_counter() - started
    series = counts_on(days, {key[1] for key in peer})
    agree = all((c.held, c.able, c.employed) == peer.get(key, (0, 0, 0))
                for key, c in series.items())
    print(f"peer: one-day query x {len(days)} months: {peer_time:.3f} s; "
          f"ratio {engine_best / peer_time:.2f}; same counts: {'yes' if agree else 'NO'}")


if __name__ == "__main__":
    main()
