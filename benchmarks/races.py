"""Benchmark: every money operation twice at the same moment (R24-R26, issue 21).

Seeds an EMPTY PostgreSQL database (the schema is dropped and recreated) with
one institution, an employer, two labour officers and a fresh worker per round
and operation. Each round sends the same request twice at once, from two
threads, each with its own test client, app context and database connection,
through the JSON API as an officer would:

- approve a correction of a paid month (the earlier version's pay is reversed);
- approve a downward correction after the pay was spent (an overpayment owed back);
- reverse a debit (a purchase booked by mistake);
- pay the whole balance out to the family (a debit of all there is);
- approve a month's submitted timesheets in bulk (COPY on PostgreSQL);
- release the person (on two different days);
- approve a month after the person's release (paid out as it is booked).

Exactly one of the two must win and the other answer 409 with a message (never
500, never both). Afterwards the ledger is checked in SQL (app/pay/ledger.py):
every entry reversed at most once, every payslip's pay credited once, one
approved version per month, every account at zero or above at the end of every
day, no reversal dated before its entry, no payout at release dated before the
release. It prints the answers, the time of each pair and the checks, and exits
with 1 if anything did not hold.

    .venv/bin/python benchmarks/races.py [--quick] [--rounds N] postgresql+psycopg://postgres@127.0.0.1:5432/bench_scratch
    (or set BENCH_DATABASE_URL; 50 rounds, --quick: 3)
"""

import argparse
import itertools
import logging
import os
import statistics
import sys
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.operations import create_user, issue_token  # noqa: E402
from app.config import TestingConfig  # noqa: E402
from app.core.vocabulary import (  # noqa: E402
    Conditions,
    EmployerKind,
    EmployerStatus,
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
from app.inmates.models import CustodyPeriod, Inmate, MedicalAssessment  # noqa: E402
from app.inmates.operations import release_inmate  # noqa: E402
from app.institutions.models import Institution, Region  # noqa: E402
from app.pay import operations as ops  # noqa: E402
from app.pay.ledger import ledger_problems  # noqa: E402
from app.pay.models import EntryKind  # noqa: E402
from app.placements.models import Placement  # noqa: E402
from app.taxonomy.models import Trade  # noqa: E402
from app.vacancies.models import Employer, Vacancy  # noqa: E402
from policy import pay as law  # noqa: E402
from policy.clock import today_in_kazakhstan  # noqa: E402

TODAY = today_in_kazakhstan()
LAST_MONTH = law.previous_month(TODAY)
MONTH_BEFORE = law.previous_month(LAST_MONTH)
_numbers = itertools.count(1)


class World:
    """The institution, employer and two officers' API clients every round uses."""

    def __init__(self, app: Any) -> None:
        region = Region(name="Karaganda")
        self.institution = Institution(code="AK-159/20", name="Dolinka", region=region,
                                       kind=InstitutionKind.COLONY, regime=Regime.MEDIUM)
        self.employer = Employer(kind=EmployerKind.STATE_ENTERPRISE, bin_iin=None,
                                 name="Invented enterprise", status=EmployerStatus.APPROVED,
                                 email="works@example.kz")
        self.trade = Trade(code="bench", name_en="Bench", name_ru="Bench", name_kk="Bench",
                           isco_code="9329")
        db.session.add_all([region, self.institution, self.employer, self.trade])
        db.session.flush()
        for year in {MONTH_BEFORE.year, TODAY.year}:
            ops.confirm_pay_settings(year, None)
        self.clients = [self._client(app, n) for n in (1, 2)]
        db.session.commit()

    def _client(self, app: Any, n: int) -> tuple[Any, dict[str, str]]:
        officer = create_user(email=f"officer{n}@example.kz", full_name=f"Officer {n}",
                              password="bench-password-1", role=Role.OFFICER,
                              institution_id=self.institution.id)
        _record, token = issue_token(officer, "races")
        return app.test_client(), {"Authorization": f"Bearer {token}"}

    def worker(self) -> Placement:
        """A new inmate placed all of the last two months at 170,000 tenge."""
        n = next(_numbers)
        inmate = Inmate(institution_id=self.institution.id, file_number=f"R-{n}",
                        last_name="Invented", first_name=f"Person {n}",
                        birth_date=date(1990, 5, 1), sex=Sex.MALE,
                        legal_status=LegalStatus.CONVICTED, convicted_on=date(2024, 1, 1),
                        regime=Regime.MEDIUM, conditions=Conditions.ORDINARY,
                        admission_date=date(2024, 2, 1), release_date=TODAY + timedelta(700),
                        fitness=Fitness.FIT, fitness_review_date=TODAY + timedelta(180))
        vacancy = Vacancy(employer_id=self.employer.id, institution_id=self.institution.id,
                          title="Workshop", trade_id=self.trade.id, site=Site.INSIDE,
                          positions=1, monthly_wage=170_000, weekly_hours=40,
                          start_date=date(2024, 3, 1), status=VacancyStatus.PUBLISHED)
        db.session.add_all([inmate, vacancy])
        db.session.flush()
        db.session.add_all([
            CustodyPeriod(inmate_id=inmate.id, institution_id=inmate.institution_id,
                          started_on=inmate.admission_date),
            MedicalAssessment(inmate_id=inmate.id, fitness=inmate.fitness,
                              assessed_on=inmate.admission_date,
                              review_date=inmate.fitness_review_date)])
        placement = Placement(inmate_id=inmate.id, vacancy_id=vacancy.id,
                              institution_id=inmate.institution_id, start_date=date(2024, 3, 1),
                              weekly_hours=40, monthly_wage=170_000)
        db.session.add(placement)
        db.session.flush()
        return placement


def _filled(placement: Placement, month: date, hours: str = "8") -> Any:
    sheet = ops.open_timesheet(placement, month, None)
    days = {n: {"hours": hours} for n, day in enumerate(law.month_days(month), start=1)
            if day.weekday() < law.WORKING_DAYS_A_WEEK}
    return ops.fill_timesheet(sheet, days)


def _paid(placement: Placement, month: date = LAST_MONTH) -> Any:
    sheet = _filled(placement, month)
    ops.approve_timesheet(sheet, None)
    return sheet


def _correction(sheet: Any, hours: str) -> Any:
    correction = ops.correct_timesheet(sheet, "hours were wrong", None)
    ops.fill_timesheet(correction, {int(n): {"hours": hours} for n in correction.days})
    return ops.submit_timesheet(correction)


# Each operation prepares a fresh case and answers the request both threads send:
# (method, url, JSON body or a body per thread).

def correction_approved(world: World) -> tuple[str, str, Any]:
    correction = _correction(_paid(world.worker()), "6")
    return "post", f"/api/timesheets/{correction.id}/approve", None


def correction_after_spending(world: World) -> tuple[str, str, Any]:
    placement = world.worker()
    sheet = _paid(placement)
    inmate = db.session.get(Inmate, placement.inmate_id)
    ops.book_debit(inmate, EntryKind.FAMILY_TRANSFER, ops.balance(inmate.id), TODAY, "family",
                   None)
    correction = _correction(sheet, "4")
    return "post", f"/api/timesheets/{correction.id}/approve", None


def debit_reversed(world: World) -> tuple[str, str, Any]:
    placement = world.worker()
    _paid(placement)
    inmate = db.session.get(Inmate, placement.inmate_id)
    purchase = ops.book_debit(inmate, EntryKind.PURCHASE, 10_000, TODAY, "shop", None)
    return ("post", f"/api/inmates/{inmate.id}/account/entries/{purchase.id}/reversal",
            {"note": "booked on the wrong person"})


def balance_paid_out(world: World) -> tuple[str, str, Any]:
    placement = world.worker()
    _paid(placement)
    return ("post", f"/api/inmates/{placement.inmate_id}/account/entries",
            {"kind": "family_transfer", "amount": ops.balance(placement.inmate_id)})


def month_approved(world: World) -> tuple[str, str, Any]:
    for _worker in range(3):
        ops.submit_timesheet(_filled(world.worker(), MONTH_BEFORE))
    return "post", "/api/timesheets/approvals", {"month": f"{MONTH_BEFORE:%Y-%m}"}


def released(world: World) -> tuple[str, str, Any]:
    placement = world.worker()
    _paid(placement)
    days = [{"released_on": day.isoformat()} for day in (TODAY, TODAY - timedelta(days=1))]
    return "post", f"/api/inmates/{placement.inmate_id}/release", days


def approved_after_release(world: World) -> tuple[str, str, Any]:
    placement = world.worker()
    _paid(placement, MONTH_BEFORE)
    sheet = ops.submit_timesheet(_filled(placement, LAST_MONTH))
    release_inmate(db.session.get(Inmate, placement.inmate_id), TODAY)
    return "post", f"/api/timesheets/{sheet.id}/approve", None


OPERATIONS = (correction_approved, correction_after_spending, debit_reversed,
              balance_paid_out, month_approved, released, approved_after_release)


def twice_at_once(app: Any, world: World, method: str, url: str, body: Any
                  ) -> tuple[list[str], float]:
    """The request from both officers at the same moment: what each got ("201",
    "409", "409 without a message", "200, 0 approved" for a month found already
    done, "500" for an error no handler answered) and the wall time of the pair."""
    bodies = body if isinstance(body, list) else [body, body]
    barrier, answers = threading.Barrier(2), ["", ""]

    def send(index: int) -> None:
        client, headers = world.clients[index]
        with app.app_context():
            barrier.wait()
            try:
                answers[index] = _answer(getattr(client, method)(url, headers=headers,
                                                                 json=bodies[index]))
            except Exception:  # noqa: BLE001  (what a client would get: 500)
                answers[index] = "500"

    threads = [threading.Thread(target=send, args=(i,)) for i in (0, 1)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(answers), time.perf_counter() - started


def _answer(response: Any) -> str:
    body = response.json or {}
    if response.status_code == 409 and not body.get("message"):
        return "409 without a message"
    if "approved" in body:  # the month's approvals: how many this request booked
        return f"{response.status_code}, {body['approved']} approved"
    return str(response.status_code)


def _held(answers: list[str]) -> bool:
    """One request did the work; the other lost (409 with a message) or, for a
    month's approvals arriving after the first was committed, found nothing left."""
    won = [a for a in answers if a[0] == "2" and not a.endswith(" 0 approved")]
    lost = [a for a in answers if a == "409" or a.endswith(" 0 approved")]
    return len(won) == 1 and len(lost) == 1


def run(app: Any, rounds: int) -> bool:
    world = World(app)
    answers: dict[str, Counter] = {op.__name__: Counter() for op in OPERATIONS}
    times: dict[str, list[float]] = {op.__name__: [] for op in OPERATIONS}
    for _round in range(rounds):
        for operation in OPERATIONS:
            request = operation(world)
            db.session.commit()
            pair, seconds = twice_at_once(app, world, *request)
            db.session.expire_all()
            answers[operation.__name__][" / ".join(pair)] += 1
            times[operation.__name__].append(seconds)
    held = True
    print(f"{rounds} rounds, each operation twice at once (two connections), PostgreSQL:")
    for name, counted in answers.items():
        outcome = "; ".join(f"{pair}: {n}" for pair, n in sorted(counted.items()))
        print(f"  {name:26} {outcome} | pair median "
              f"{statistics.median(times[name]) * 1000:.0f} ms, worst "
              f"{max(times[name]) * 1000:.0f} ms")
        held &= all(_held(pair.split(" / ")) for pair in counted)
    problems = ledger_problems()
    print("ledger afterwards (SQL, app/pay/ledger.py), violations:")
    for name, count in problems.items():
        print(f"  {name:30} {count}")
    entries = db.session.scalar(sa.text("SELECT count(*) FROM account_entries"))
    accounts = db.session.scalar(sa.text("SELECT count(DISTINCT inmate_id) FROM account_entries"))
    owed = db.session.scalar(sa.text("SELECT count(*) FROM claims WHERE kind = 'overpayment'"))
    print(f"{entries} entries on {accounts} accounts checked, {owed} overpayments owed back; "
          f"{'everything held' if held and not any(problems.values()) else 'NOT HELD'}")
    return held and not any(problems.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", nargs="?", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench_scratch"))
    parser.add_argument("--quick", action="store_true", help="3 rounds (CI)")
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    if not args.url.startswith("postgresql"):
        sys.exit("races.py needs PostgreSQL: two connections racing on one database")
    TestingConfig.SQLALCHEMY_DATABASE_URI = args.url
    app = create_app(TestingConfig)
    # Each lost COPY race logs its refusal as a warning; the figures below count them.
    logging.getLogger("app.core.errors").setLevel(logging.ERROR)
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        held = run(app, args.rounds or (3 if args.quick else 50))
        print(f"took {time.perf_counter() - started:.1f} s; load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    sys.exit(0 if held else 1)


if __name__ == "__main__":
    main()
