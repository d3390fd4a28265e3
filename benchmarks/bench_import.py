"""Benchmark of the inmate spreadsheet import: 10,000 rows, dry run then commit,
then a re-import of the same rows (updates), on SQLite and, when
TEST_DATABASE_URL or DATABASE_URL names a PostgreSQL database, there too.
The target is 10 s for each step; a page import takes at most 20,000 rows
(``IMPORT_MAX_ROWS``), so ``--rows 20000`` is the largest request.

    python benchmarks/bench_import.py [--rows 10000 | --quick] [--format csv|xlsx] [--memory]

``--memory`` runs each step under tracemalloc and prints its peak Python memory
(steps then take about twice as long); the process's peak resident size is printed
at the end either way. The target is under 200 MB for a request.

The PostgreSQL database given is emptied and recreated: use a scratch database.
"""

import argparse
import csv
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.config import TestingConfig  # noqa: E402
from app.core.tables import write_xlsx  # noqa: E402
from app.core.vocabulary import InstitutionKind, Regime  # noqa: E402
from app.extensions import db  # noqa: E402
from app.inmates.spreadsheets import INMATE_COLUMNS, import_inmates  # noqa: E402
from app.institutions.models import Institution, Region  # noqa: E402
from policy.clock import today_in_kazakhstan  # noqa: E402

TARGET_SECONDS = 10.0
MEMORY = {"trace": False}


def generate_rows(count: int) -> list[dict[str, str]]:
    """Invented inmates (no real person's data), every field filled."""
    today = today_in_kazakhstan()
    rows = []
    for n in range(count):
        female = n % 7 == 0
        admitted = today - timedelta(days=30 + n % 900)
        rows.append({
            "file_number": f"B-{n:06d}", "last_name": f"Testov{n}", "first_name": "Invented",
            "middle_name": "",
            "birth_date": date(1960 + n % 40, 1 + n % 12, 1 + n % 28).isoformat(),
            "sex": "female" if female else "male", "legal_status": "convicted",
            "convicted_on": (admitted - timedelta(days=20)).isoformat(),
            "regime": "medium", "conditions": "ordinary", "admission_date": admitted.isoformat(),
            "release_date": (today + timedelta(days=100 + n % 2000)).isoformat(),
            "fitness": ("fit", "limited", "unfit")[n % 3],
            "fitness_review_date": (today + timedelta(days=180)).isoformat(),
            "fitness_assessed_on": "", "disability_group": str(n % 4) if n % 4 else "",
            "pregnant": "true" if female and n % 3 == 0 else "false",
            "education": "secondary", "notes": "",
        })
    return rows


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(INMATE_COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def to_xlsx(rows: list[dict[str, str]]) -> bytes:
    return write_xlsx(INMATE_COLUMNS, ([row[c] for c in INMATE_COLUMNS] for row in rows))


def timed(label: str, step) -> float:
    if MEMORY["trace"]:
        tracemalloc.start()
    started = time.perf_counter()
    report = step()
    seconds = time.perf_counter() - started
    peak = ""
    if MEMORY["trace"]:
        peak = f"  peak {tracemalloc.get_traced_memory()[1] / 2**20:6.1f} MB"
        tracemalloc.stop()
    verdict = "ok" if seconds <= TARGET_SECONDS else "OVER TARGET"
    print(f"  {label:<26} {seconds:6.2f} s  created={report.to_create:<6} "
          f"updated={report.to_update:<6} problems={report.problem_count}{peak}  {verdict}")
    return seconds


def run(url: str, data: bytes, changed: bytes, filename: str, label: str) -> None:
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(Config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        region = Region(name="Bench region")
        institution = Institution(code="BENCH-1", name="Bench colony", region=region,
                                  kind=InstitutionKind.COLONY, regime=Regime.MEDIUM)
        db.session.add(institution)
        db.session.commit()
        print(f"{label}:")

        def step(dry_run: bool, content: bytes = data):
            def go():
                report = import_inmates(institution, filename, content, dry_run=dry_run)
                db.session.commit() if not dry_run else db.session.rollback()
                return report
            return go

        timed("dry run (new rows)", step(True))
        timed("commit (inserts)", step(False))
        timed("re-import (no change)", step(False))
        timed("re-import (all renamed)", step(False, changed))
        db.session.remove()
        db.drop_all()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--quick", action="store_true", help="1,000 rows (CI)")
    parser.add_argument("--memory", action="store_true",
                        help="peak Python memory of each step (tracemalloc)")
    args = parser.parse_args()
    MEMORY["trace"] = args.memory
    if args.quick:
        args.rows = 1_000
    rows = generate_rows(args.rows)
    encode = to_csv if args.format == "csv" else to_xlsx
    data = encode(rows)
    changed = encode([row | {"last_name": row["last_name"] + "-b"} for row in rows])
    filename = f"bench.{args.format}"
    print(f"{args.rows} rows, {args.format}, {len(data) / 1024:.0f} KiB")
    with tempfile.TemporaryDirectory() as scratch:
        run(f"sqlite:///{scratch}/bench.db", data, changed, filename, "SQLite")
    pg_url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if pg_url and pg_url.startswith("postgresql"):
        run(pg_url, data, changed, filename, "PostgreSQL")
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident size of the whole run: {peak_rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
