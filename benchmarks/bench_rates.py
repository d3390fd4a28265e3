"""Benchmark: the 24-month employment-rate trend (R1) for every institution.

Seeds invented history into an EMPTY PostgreSQL database (the schema is dropped
and recreated): 79 institutions in 17 regions, 30,000 inmates with custody
periods (some transferred), medical assessments, consents and placements over
24 months, using bulk inserts. Then times ``app.monitoring.rates.trends`` for a
national reader, computed (kept figures forgotten first) and read again as kept, and
prints the figures (target: at most 1 s computed).

    .venv/bin/python benchmarks/bench_rates.py [--quick] postgresql+psycopg://postgres@127.0.0.1:5432/helper_monitoring
    (or set BENCH_DATABASE_URL)
"""

import os
import random
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from app.config import TestingConfig  # noqa: E402
from app.core.vocabulary import Role  # noqa: E402
from app.extensions import db  # noqa: E402
from benchmarks._country import TODAY, Country, seed  # noqa: E402

NATIONAL = Country(inmates=30_000, institutions=79, regions=17)
QUICK = Country(inmates=2_000, institutions=8, regions=3)  # CI: the same steps, small


def main() -> None:
    argv = [arg for arg in sys.argv[1:] if arg != "--quick"]
    country = QUICK if "--quick" in sys.argv else NATIONAL
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
        seed(country, random.Random(2026))
        db.session.commit()
        db.session.execute(sa.text("ANALYZE")) if url.startswith("postgresql") else None
        db.session.commit()
        print(f"seeding took {time.perf_counter() - started:.1f} s")
        _time_trends()


def _time_trends() -> None:
    from app.monitoring.rates import trends
    from app.placements import kept

    reader = SimpleNamespace(role=Role.ADMIN, region_id=None, institution_id=None)
    timings, kept_timings = [], []
    for _ in range(3):
        kept.forget_everything(db.session)  # computed from history, not read as kept
        db.session.commit()  # (forgetting is done at the commit)
        started = time.perf_counter()
        result = trends(reader, TODAY)
        timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        trends(reader, TODAY)
        kept_timings.append(time.perf_counter() - started)
    last = result.total[-1]
    print(
        f"national rate on {last.day}: {last.rate:.1%} (held {last.held}, able {last.able}, "
        f"employed {last.employed})"
    )
    print(
        f"24-month rates for {len(result.institutions)} institutions, computed: "
        f"best {min(timings):.3f} s, worst {max(timings):.3f} s (target <= 1 s); "
        f"read again, kept: best {min(kept_timings):.3f} s"
    )
    _time_peer(result.days, min(timings))


def _time_peer(days, engine_best: float) -> None:
    """The peer: the plain one-day R1 query (app/placements/status.institution_counts),
    run once per month, and a check that both give the same counts."""
    from app.monitoring.rates import counts_on
    from app.placements.status import institution_counts
    from app.settings.operations import settings_for

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
