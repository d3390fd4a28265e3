"""Load benchmark: fifty busy users against gunicorn, PostgreSQL and Redis.

    createdb -h 127.0.0.1 -U postgres load_bench
    .venv/bin/python benchmarks/load.py [--quick] [--national] [--database-url URL]

Migrates and seeds the demo into the database if it is empty (``--national``: adds an
invented country, benchmarks/_country.py, up to 35,000 inmates in 90 institutions; use a
database of its own), analyses it, starts gunicorn with the README's workers on 127.0.0.1
(Redis on 127.0.0.1:6379 keeps the throttling counters), times the heavy read pages and
API calls one request at a time (the single-client figures: median of 5), starts one
match run per demo officer's institution so officers have proposals, then runs locust
headless (benchmarks/_load_users.py): 50 users, about a second between requests, for 60 s
(``--quick``: 10 users for 10 s). Prints per-endpoint p50/p95/p99 in ms, throughput, errors
and the load average, then checks in SQL that no vacancy or course is over capacity and
that every placement and enrolment made during the run has its audit event. Exits 1 on
an error or a failed check. Only loopback addresses are used.
"""

import argparse
import csv
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the app and benchmarks/_country.py, for --national
from policy.clock import today_in_kazakhstan  # noqa: E402

BIN = Path(sys.executable).parent
WORKERS = 2 * os.cpu_count()  # as gunicorn.conf.py, which the README's command uses
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/load_bench"
OFFICERS = ("officer.dolinka@demo.kz", "officer.karabas@demo.kz")
NATIONAL_INMATES, NATIONAL_INSTITUTIONS, NATIONAL_REGIONS = 35_000, 90, 17
TWO_YEARS_AGO = (today_in_kazakhstan() - timedelta(days=729)).isoformat()
# (name, path, who): the reads that are heaviest on the database, timed one at a time
SINGLE = (
    ("labour pool page", "/employer/labour-pool", "employer@demo.kz"),
    ("labour pool API", "/api/employer/labour-pool", "employer@demo.kz"),
    ("violations page, 30 days", "/monitoring/violations", "prosecutor@demo.kz"),
    ("violations page, two years", f"/monitoring/violations?start={TWO_YEARS_AGO}",
     "prosecutor@demo.kz"),
    ("violations API, 30 days", "/api/monitoring/violations", "prosecutor@demo.kz"),
    ("trends page", "/monitoring/trends", "prosecutor@demo.kz"),
    ("trends API", "/api/monitoring/trends", "prosecutor@demo.kz"),
    ("printable report", "/monitoring/report", "prosecutor@demo.kz"),
    ("rates API", "/api/monitoring/rates", "prosecutor@demo.kz"),
)

OVER_CAPACITY = {
    "vacancies": """
        SELECT v.id FROM vacancies v JOIN placements p ON p.vacancy_id = v.id
        WHERE p.end_date IS NULL GROUP BY v.id, v.positions HAVING count(*) > v.positions""",
    "courses": """
        SELECT c.id FROM courses c JOIN enrolments e ON e.course_id = c.id
        WHERE e.status IN ('enrolled', 'completed')
        GROUP BY c.id, c.seats HAVING count(*) > c.seats""",
}
WITHOUT_AUDIT = """
    SELECT t.id FROM {table} t WHERE t.id > :after AND NOT EXISTS (
        SELECT 1 FROM audit_events a WHERE a.entity_type = :entity
        AND a.entity_id = CAST(t.id AS VARCHAR) AND a.action = 'create')"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flask(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), *args], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    import requests

    for _ in range(120):
        if server.poll() is not None:
            sys.exit("gunicorn stopped")
        try:
            if requests.get(f"{url}/healthz", timeout=10).ok:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.5)
    sys.exit("gunicorn did not answer")


def prepare(env: dict, engine: sa.Engine, national: bool) -> None:
    """Migrate, seed the demo if the database is empty (and the country for
    ``national``), then VACUUM ANALYZE, as autovacuum would have done on a production
    server: PostgreSQL plans bulk-loaded tables it has no statistics of as if they were
    nearly empty, and the seed's updates leave dead rows (100,000 in the audit log, plan
    parts and timesheets of the national seed) that every scan reads past until a vacuum
    clears them. This machine's PostgreSQL runs with autovacuum off: without the vacuum
    the national p95 was 270-280 ms, with it 190 ms (docs/benchmarks.md)."""
    flask(env, "db", "upgrade")
    with engine.connect() as connection:
        if not connection.scalar(sa.text("SELECT count(*) FROM inmates")):
            print("seeding the demo data (about a minute)...")
            flask(env, "seed-demo")
        institutions, inmates = connection.execute(sa.text(
            "SELECT (SELECT count(*) FROM institutions), (SELECT count(*) FROM inmates)")).one()
    if national and institutions < NATIONAL_INSTITUTIONS:
        seed_country(env["DATABASE_URL"], NATIONAL_INMATES - inmates,
                     NATIONAL_INSTITUTIONS - institutions)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM ANALYZE"))


def seed_country(database_url: str, inmates: int, institutions: int) -> None:
    import random

    from app import create_app
    from app.config import TestingConfig
    from app.extensions import db
    from benchmarks._country import Country, seed

    TestingConfig.SQLALCHEMY_DATABASE_URI = database_url
    with create_app(TestingConfig).app_context():
        demo_regions = db.session.scalar(sa.text("SELECT count(*) FROM regions"))
        seed(Country(inmates, institutions, NATIONAL_REGIONS - demo_regions),
             random.Random(2026))
        db.session.commit()


def token(url: str, email: str) -> dict[str, str]:
    import requests

    response = requests.post(f"{url}/api/auth/tokens", json={
        "email": email, "password": "demo-password-1", "name": "load"}, timeout=30)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def single_client(url: str, engine: sa.Engine, repeat: int) -> None:
    """Each heavy read alone, the median of ``repeat`` after a warm-up: computed (the
    kept figures of app/placements/kept.py forgotten before each), and read as kept."""
    import requests

    headers = {email: token(url, email) for _, _, email in SINGLE}

    def timed(path: str, email: str, forget: bool) -> float:
        if forget:
            with engine.begin() as connection:
                connection.execute(sa.text("DELETE FROM kept_days"))
        started = time.perf_counter()
        requests.get(f"{url}{path}", headers=headers[email], timeout=120).raise_for_status()
        return (time.perf_counter() - started) * 1000

    print(f"\n{'single client, median of ' + str(repeat) + ', ms':<44} {'computed':>9} "
          f"{'kept':>9}")
    for name, path, email in SINGLE:
        timed(path, email, forget=True)  # a warm-up
        computed = statistics.median(timed(path, email, True) for _ in range(repeat))
        kept = statistics.median(timed(path, email, False) for _ in range(repeat))
        print(f"{name:<44} {computed:>9.0f} {kept:>9.0f}")


def start_runs(url: str) -> None:
    """One match run per officer's institution, so that there are proposals to accept."""
    import requests

    for email in OFFICERS:
        requests.post(f"{url}/api/placements/runs", json={}, timeout=120,
                      headers=token(url, email)).raise_for_status()


def largest_ids(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {table: connection.scalar(sa.text(f"SELECT coalesce(max(id), 0) FROM {table}"))
                for table in ("placements", "enrolments")}


def report(prefix: str, seconds: float) -> int:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    print(f"\n{'endpoint':<52} {'requests':>8} {'errors':>6} {'p50':>6} {'p95':>6} {'p99':>6}")
    errors = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        if row["Name"] != "Aggregated":
            errors += int(row["Failure Count"])
        print(f"{name[:52]:<52} {row['Request Count']:>8} {row['Failure Count']:>6} "
              f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}")
    total = next(row for row in rows if row["Name"] == "Aggregated")
    print(f"\nthroughput {int(total['Request Count']) / seconds:.1f} requests/s over "
          f"{seconds:.0f} s; errors {errors}; times in ms")
    failures = Path(f"{prefix}_failures.csv")
    if errors and failures.exists():
        print(failures.read_text()[:2000])
    return errors


def over_capacity(engine: sa.Engine) -> dict[str, set[int]]:
    """Vacancies and courses over capacity (the demo breaks R11 once on purpose)."""
    with engine.connect() as connection:
        return {table: set(connection.scalars(sa.text(query)))
                for table, query in OVER_CAPACITY.items()}


def check_database(engine: sa.Engine, before: dict[str, int],
                   over_before: dict[str, set[int]]) -> list[str]:
    problems = []
    for table, over in over_capacity(engine).items():
        if over - over_before[table]:
            problems.append(f"{table} over capacity: {sorted(over - over_before[table])}")
    with engine.connect() as connection:
        for table, entity in (("placements", "Placement"), ("enrolments", "Enrolment")):
            missing = connection.scalars(sa.text(WITHOUT_AUDIT.format(table=table)),
                                         {"after": before[table], "entity": entity}).all()
            if missing:
                problems.append(f"{table} without audit event: {missing}")
        made = {table: connection.scalar(sa.text(
            f"SELECT count(*) FROM {table} WHERE id > :after"), {"after": before[table]})
            for table in before}
    print(f"made during the run: {made['placements']} placements, "
          f"{made['enrolments']} enrolments; capacity and audit checks: "
          f"{'; '.join(problems) or 'all hold'}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL",
                                                                 DEFAULT_URL))
    parser.add_argument("--redis", default="redis://127.0.0.1:6379")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10,
                        help="users started a second: 50 arrive over 5 s (--spawn-rate 50: "
                             "all log in within the same second)")
    parser.add_argument("--workers", type=int, default=WORKERS)
    parser.add_argument("--quick", action="store_true", help="10 users for 10 s (CI)")
    parser.add_argument("--national", action="store_true",
                        help="add an invented country: 35,000 inmates in 90 institutions")
    args = parser.parse_args()
    if args.quick:
        args.users, args.seconds = 10, 10

    env = os.environ | {
        "DATABASE_URL": args.database_url, "APP_ENV": "production", "FLASK_APP": "wsgi",
        "RATELIMIT_STORAGE_URI": args.redis, "SECRET_KEY": "load-benchmark",
        # Every simulated user logs in from 127.0.0.1: throttling would refuse them.
        "LOGIN_RATE_LIMIT": "100000 per minute",
    }
    engine = sa.create_engine(args.database_url)
    prepare(env, engine, args.national)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "wsgi:app"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(url, server)
        single_client(url, engine, 2 if args.quick else 5)
        start_runs(url)
        before, over_before = largest_ids(engine), over_capacity(engine)
        prefix = os.path.join(tempfile.mkdtemp(), "load")
        started = time.monotonic()
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "benchmarks" / "_load_users.py"),
             "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
             "--run-time", f"{args.seconds}s", "--host", url, "--csv", prefix,
             "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.monotonic() - started
        load = os.getloadavg()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"gunicorn {args.workers} workers, {args.users} users, PostgreSQL, Redis; "
          f"{os.cpu_count()} cores")
    errors = report(prefix, seconds)
    print(f"load average (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    problems = check_database(engine, before, over_before)
    return 1 if errors or problems else 0


if __name__ == "__main__":
    sys.exit(main())
