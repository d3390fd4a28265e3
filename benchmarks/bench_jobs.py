"""Benchmark of imports and a pay month as jobs (app/jobs), through the web.

    python benchmarks/bench_jobs.py [URL] [--rows 200000 | --quick]
    python benchmarks/bench_jobs.py URL --pay [--quick]

``--pay``: a national pay month as a job instead: ``benchmarks/bench_pay.py``'s 35,000
workers with a submitted timesheet (3,500 with ``--quick``), booked by an administrator's
"Approve all submitted" on the timesheets page, which queues the job.

An officer uploads a CSV of ``--rows`` invented inmates on the import page (a test
client of the real app); the page queues a job; a worker in a separate process
(one turn of the embedded loop, as ``flask jobs-worker --burst``) runs it. Printed:
the upload's answer time, the worker's wall time (its start included), its peak
resident memory (target ≤ 200 MB), and the longest interval between two progress
writes as the worker made them (the page shows the last one; target ≤ 2 s).

URL is a scratch database, emptied and recreated (default: a SQLite file in a
temporary folder). ``--quick``: 5,000 rows. The app is imported only after the
environment names that database (its settings are read at import).
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

TARGET_MB = 200
TARGET_INTERVAL = 2.0
BATCH = 10_000


def write_csv(path: str, count: int) -> None:
    """The file written 10,000 rows at a time (this process stays small too)."""
    from bench_import import generate_rows

    from app.inmates.spreadsheets import INMATE_COLUMNS

    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(INMATE_COLUMNS))
        writer.writeheader()
        for start in range(0, count, BATCH):
            for row in generate_rows(min(BATCH, count - start)):
                row["file_number"] = f"B-{start + int(row['file_number'][2:]):07d}"
                writer.writerow(row)


def environment(url: str, folder: str) -> dict[str, str]:
    return os.environ | {"DATABASE_URL": url, "APP_ENV": "production", "REDIS_URL": "",
                         "JOBS_FOLDER": os.path.join(folder, "jobs"), "FLASK_APP": "wsgi",
                         "SECRET_KEY": "bench", "JOBS_EMBEDDED_WORKER": "0"}


def prepare(url: str) -> tuple:
    from app import create_app
    from app.auth.models import User
    from app.core.vocabulary import InstitutionKind, Regime, Role
    from app.extensions import db
    from app.institutions.models import Institution, Region

    app = create_app()
    with app.app_context():
        db.drop_all()
        db.create_all()
        region = Region(name="Bench region")
        db.session.add(region)
        db.session.flush()
        institution = Institution(code="BENCH-1", name="Bench colony", region_id=region.id,
                                  kind=InstitutionKind.COLONY, regime=Regime.MEDIUM)
        db.session.add(institution)
        db.session.flush()
        officer = User(email="bench.officer@demo.kz", full_name="Bench officer",
                       role=Role.OFFICER, institution_id=institution.id, password_hash="x")
        admin = User(email="bench.admin@demo.kz", full_name="Bench admin", role=Role.ADMIN,
                     password_hash="x")
        db.session.add_all([officer, admin])
        db.session.commit()
        return app, officer.get_id(), admin.get_id()


def upload(app, user_id: str, path: str) -> tuple[int, float]:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user_id, True
    app.config["WTF_CSRF_ENABLED"] = False
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # so that --quick's file is a job too
    started = time.perf_counter()
    with open(path, "rb") as handle:
        response = client.post("/inmates/import", data={
            "kind": "inmates", "action": "commit", "file": (handle, "bench.csv")},
            content_type="multipart/form-data")
    assert response.status_code == 302 and "/jobs/" in response.location, response.status
    return int(response.location.rstrip("/").rsplit("/", 1)[1]), time.perf_counter() - started


def watch(app, job_id: int, env: dict[str, str]) -> dict:
    """Run the worker process and take its figures."""
    worker = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker"], env=env, cwd=ROOT,
        stdout=subprocess.PIPE, text=True, check=True)
    wall, peak_kb, longest = worker.stdout.strip().splitlines()[-1].split()
    return {"wall": float(wall), "peak_mb": int(peak_kb) / 1024,
            "longest_interval": float(longest)}


def run_worker() -> None:
    """The worker process: one turn of the embedded loop; then its wall time, its peak
    memory (kB) and the longest interval between two progress writes, as written (the
    page reads the last one)."""
    import resource

    from app import create_app
    from app.jobs import progress
    from app.jobs.worker import work_once

    writes: list[float] = []
    write_job = progress.write_job

    def timed_write(job_id: int, **values) -> None:
        write_job(job_id, **values)
        writes.append(time.time())

    progress.write_job = timed_write
    started = time.perf_counter()
    app = create_app()
    with app.app_context():
        work_once(schedule=False)
    longest = max((b - a for a, b in zip(writes, writes[1:], strict=False)), default=0.0)
    print(f"{time.perf_counter() - started:.2f} "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} {longest:.3f}")


def prepare_pay(workers: int) -> tuple:
    import random

    import sqlalchemy as sa
    from bench_pay import MONTH, seed

    from app import create_app
    from app.auth.models import User
    from app.core.vocabulary import Role
    from app.extensions import db
    from app.pay import operations as ops

    app = create_app()
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed(workers, random.Random(2026))
        ops.confirm_pay_settings(MONTH.year, None)
        admin = User(email="bench.admin@demo.kz", full_name="Bench admin", role=Role.ADMIN,
                     password_hash="x")
        db.session.add(admin)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        return app, admin.get_id(), MONTH


def book_month(app, admin_id: str, month) -> tuple[int, float]:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = admin_id, True
    app.config["WTF_CSRF_ENABLED"] = False
    started = time.perf_counter()
    response = client.post("/pay/timesheets/approvals", data={"month": f"{month:%Y-%m}"})
    assert response.status_code == 302 and "/jobs/" in response.location, response.status
    return int(response.location.rstrip("/").rsplit("/", 1)[1]), time.perf_counter() - started


def job_outcome(app, job_id: int, counted: str) -> tuple[str, object, str | None]:
    """The job's status, the figure ``counted`` of its result, and its error."""
    with app.app_context():
        from app.extensions import db
        from app.jobs.models import Job

        job = db.session.get(Job, job_id)
        return job.status.value, (job.result or {}).get(counted), job.error


def main_pay(url: str, quick: bool, env: dict[str, str]) -> None:
    workers = 3_500 if quick else 35_000
    app, admin_id, month = prepare_pay(workers)
    job_id, answer = book_month(app, admin_id, month)
    figures = watch(app, job_id, env)
    outcome = job_outcome(app, job_id, "approved")
    print(f"national pay month of {workers:,} workers as a job on {url.split(':')[0]}: page "
          f"answered in {answer:.2f} s; job {outcome[0]} ({outcome[1]} timesheets approved"
          f"{'; ' + outcome[2] if outcome[2] else ''}) in {figures['wall']:.1f} s including "
          f"the worker process' start; worker peak {figures['peak_mb']:.0f} MB; longest "
          f"progress interval {figures['longest_interval']:.2f} s; load average "
          f"{os.getloadavg()[0]:.1f}")
    if outcome[0] != "finished":
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", nargs="?", default=None)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pay", action="store_true", help="a national pay month instead")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker()
        return
    rows = 5_000 if args.quick else args.rows
    folder = tempfile.mkdtemp(prefix="bench-jobs-")
    url = args.url or f"sqlite:///{folder}/bench.db"
    env = environment(url, folder)
    os.environ.update(env)
    if args.pay:
        main_pay(url, args.quick, env)
        return
    path = os.path.join(folder, "inmates.csv")
    write_csv(path, rows)
    size_mb = os.path.getsize(path) / 1024 / 1024
    app, officer_id, _admin_id = prepare(url)
    job_id, answer = upload(app, officer_id, path)
    figures = watch(app, job_id, env)
    outcome = job_outcome(app, job_id, "to_create")
    print(f"import of {rows:,} rows ({size_mb:.1f} MB CSV) as a job on "
          f"{url.split(':')[0]}: page answered in {answer:.2f} s; job {outcome[0]} "
          f"({outcome[1]} added{'; ' + outcome[2] if outcome[2] else ''}) in "
          f"{figures['wall']:.1f} s; worker peak {figures['peak_mb']:.0f} MB "
          f"(target ≤ {TARGET_MB}); longest progress interval "
          f"{figures['longest_interval']:.2f} s (target ≤ {TARGET_INTERVAL}); "
          f"load average {os.getloadavg()[0]:.1f}")
    if outcome[0] != "finished":
        sys.exit(1)


if __name__ == "__main__":
    main()
