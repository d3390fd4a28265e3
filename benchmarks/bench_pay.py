"""Benchmark: a national month of pay (R24-R26) for 35,000 workers.

Seeds an EMPTY database (the schema is dropped and recreated) with 90
institutions in 17 regions, one employer and vacancy each, 35,000 inmates placed
all month, one submitted timesheet each (8 h every working day, some absences),
and writs for one inmate in ten. Then times, as a national administrator:

- booking the month: ``app.pay.operations.approve_where`` (approval, payslips,
  deductions, account entries, writs paid, audit), once;
- the month's violations and compliance by institution and region
  (``app.pay.violations.compliance``), best of three.

Target: at most 5 s for each on PostgreSQL. Each figure is wall time, with the
CPU seconds of this process and, when the database runs on this machine, of
its server process beside it: on a shared machine the wall time waits for the
other loads (the load average is printed), the CPU time does not.

    .venv/bin/python benchmarks/bench_pay.py postgresql+psycopg://postgres@127.0.0.1:5432/DB
    .venv/bin/python benchmarks/bench_pay.py --quick   (3,500 workers, SQLite in memory)
"""

import argparse
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
from app.core.vocabulary import Role  # noqa: E402
from app.extensions import db  # noqa: E402
from app.inmates.models import Inmate  # noqa: E402
from app.institutions.models import Institution, Region  # noqa: E402
from app.pay import operations as ops  # noqa: E402
from app.pay import violations  # noqa: E402
from app.pay.models import Claim, Timesheet, TimesheetStatus  # noqa: E402
from app.placements.models import Placement  # noqa: E402
from app.taxonomy.models import Trade  # noqa: E402
from app.vacancies.models import Employer, Vacancy  # noqa: E402
from policy import pay as law  # noqa: E402
from policy.clock import today_in_kazakhstan  # noqa: E402

REGIONS, INSTITUTIONS = 17, 90
CHUNK = 5_000
MONTH = law.previous_month(today_in_kazakhstan())
NOW = today_in_kazakhstan()


def _insert(model, rows: list[dict]) -> None:
    for i in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(model.__table__), rows[i: i + CHUNK])


def seed(workers: int, rng: random.Random) -> None:
    _insert(Region, [{"id": r, "name": f"Region {r}"} for r in range(1, REGIONS + 1)])
    _insert(Institution, [{"id": i, "code": f"BX-{i}", "name": f"Colony {i}",
                           "region_id": i % REGIONS + 1, "kind": "colony", "regime": "medium",
                           "address": ""} for i in range(1, INSTITUTIONS + 1)])
    _insert(Trade, [{"id": 1, "code": "bench", "name_en": "Bench", "name_ru": "Bench",
                     "isco_code": "9329", "active": True}])
    _insert(Employer, [{"id": i, "kind": "state_enterprise", "bin_iin": None,
                        "name": f"Enterprise {i}", "status": "approved", "address": "",
                        "contact_person": "", "phone": "", "email": "", "refusal_reason": "",
                        "created_at": NOW, "updated_at": NOW} for i in range(1, INSTITUTIONS + 1)])
    _insert(Vacancy, [{"id": i, "employer_id": i, "institution_id": i, "title": "Workshop",
                       "trade_id": 1, "description": "", "site": "inside", "positions": 1000,
                       "monthly_wage": 90_000 + 1000 * (i % 50), "weekly_hours": 40,
                       "shift": "day", "heavy_or_hazardous": False, "women_barred": False,
                       "trainable_on_job": False, "needs_long_stay": False,
                       "start_date": date(2024, 1, 1), "status": "published",
                       "created_at": NOW, "updated_at": NOW}
                      for i in range(1, INSTITUTIONS + 1)])
    inmates, placements, sheets, claims = [], [], [], []
    days_of_month = law.month_days(MONTH)
    for n in range(1, workers + 1):
        institution = rng.randrange(1, INSTITUTIONS + 1)
        inmates.append({
            "id": n, "institution_id": institution, "file_number": f"B-{n}",
            "last_name": "Invented", "first_name": f"Person {n}", "middle_name": "",
            "birth_date": date(1980, 1, 1), "sex": "male", "legal_status": "convicted",
            "convicted_on": date(2023, 1, 1), "regime": "medium", "conditions": "ordinary",
            "admission_date": date(2023, 1, 1), "release_date": date(2030, 1, 1),
            "status": "held", "left_on": None, "fitness": "fit", "fitness_review_date": None,
            "disability_group": None, "pregnant": False, "education": "", "notes": "",
            "created_at": NOW, "updated_at": NOW})
        placements.append({
            "id": n, "inmate_id": n, "vacancy_id": institution, "institution_id": institution,
            "start_date": date(2024, 1, 1), "end_date": None, "end_reason": None,
            "end_note": "", "weekly_hours": 40, "monthly_wage": 90_000 + 1000 * (institution % 50),
            "paid": True, "proposal_id": None, "created_by_id": None, "created_at": NOW})
        days = {}
        for number, day in enumerate(days_of_month, start=1):
            if day.weekday() < 5:
                days[str(number)] = ({"hours": "0", "absence": "sick"} if rng.random() < 0.03
                                     else {"hours": "8", "absence": None})
        sheets.append({
            "id": n, "placement_id": n, "institution_id": institution,
            "employer_id": institution, "inmate_id": n, "month": MONTH, "version": 1,
            "status": TimesheetStatus.SUBMITTED.value, "days": days,
            "total_hours": sum(int(d["hours"]) for d in days.values()),
            "piece_rate": rng.choice([0, 0, 0, 5_000]), "bonus": 0, "extras_note": "",
            "correction_reason": "", "created_at": NOW})
        if rng.random() < 0.1:
            claims.append({"inmate_id": n, "institution_id": institution,
                           "kind": rng.choice(["civil_claim", "alimony", "other_writ"]),
                           "creditor": "Invented creditor", "reference": "",
                           "received_on": date(2025, 1, 1) + timedelta(days=rng.randrange(300)),
                           "amount_due": rng.randrange(10_000, 2_000_000), "amount_paid": 0})
    for model, rows in ((Inmate, inmates), (Placement, placements), (Timesheet, sheets),
                        (Claim, claims)):
        _insert(model, rows)
    print(f"seeded {len(inmates)} workers with a submitted timesheet for "
          f"{MONTH:%Y-%m} and {len(claims)} writs")


def server_cpu() -> tuple[int, float] | None:
    """(process id, CPU seconds) of this session's PostgreSQL server process, when
    it runs on this machine."""
    pid = db.session.scalar(sa.text("SELECT pg_backend_pid()"))
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(action, postgresql: bool) -> tuple[float, str]:
    """Run ``action``: its wall seconds, and its CPU seconds as a phrase (the
    database's only when the session kept its server process throughout)."""
    server = server_cpu() if postgresql else None
    cpu, started = time.process_time(), time.perf_counter()
    action()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = server_cpu() if server is not None else None
    same = after is not None and after[0] == server[0]
    return wall, (f"CPU {cpu:.2f} s here" + (f" + {after[1] - server[1]:.2f} s in the database"
                                             if same else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", default="sqlite://")
    parser.add_argument("--quick", action="store_true", help="3,500 workers")
    args = parser.parse_args()
    workers = 3_500 if args.quick else 35_000
    TestingConfig.SQLALCHEMY_DATABASE_URI = args.url
    app = create_app(TestingConfig)
    admin = SimpleNamespace(role=Role.ADMIN, id=None, region_id=None, institution_id=None)
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed(workers, random.Random(2026))
        ops.confirm_pay_settings(MONTH.year, None)
        db.session.commit()
        if args.url.startswith("postgresql"):
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        booked = []

        def book() -> None:
            booked.append(ops.approve_where(Timesheet.month == MONTH, None))
            db.session.commit()

        postgresql = args.url.startswith("postgresql")
        booking, cpu = timed(book, postgresql)
        gross, net, entries = db.session.execute(sa.text(
            "SELECT SUM(gross), SUM(net), (SELECT COUNT(*) FROM account_entries) "
            "FROM payslips")).one()
        print(f"booked {booked[0]} timesheets: gross {gross:,} tenge, net {net:,} tenge, "
              f"{entries:,} account entries in {booking:.2f} s ({cpu}; "
              "target <= 5 s for a national month on PostgreSQL)")
        if postgresql:
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        reports, timings = [], []
        for _ in range(3):
            timings.append(timed(lambda: reports.append(violations.compliance(
                MONTH, admin, today=law.next_month(MONTH))), postgresql))
        found = {name: sum(r["violations"][name] for r in reports[-1]["regions"])
                 for name in violations.CHECKS}
        best = min(timings)
        print(f"violations and compliance of the month: best {best[0]:.2f} s ({best[1]}), "
              f"worst {max(timings)[0]:.2f} s (target <= 5 s); found {found}")
        print("load average: " + " ".join(f"{n:.2f}" for n in os.getloadavg()))

if __name__ == "__main__":
    main()
