"""Small builders for test data. Each commits, so requests made by the test
client (which use their own session) see the rows."""

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

import time_machine

from app.auth.operations import create_user, issue_token
from app.core.vocabulary import (
    Conditions,
    ConsentKind,
    EmployerKind,
    EmployerStatus,
    Fitness,
    InstitutionKind,
    LegalStatus,
    PartnerKind,
    Regime,
    Role,
    Sex,
    Site,
    VacancyStatus,
)
from app.extensions import db
from app.inmates.models import Consent, CustodyPeriod, Inmate, MedicalAssessment
from app.institutions.models import Institution, Region
from app.placements.models import Placement
from app.taxonomy.models import Trade
from app.training.models import Course
from app.vacancies.models import Employer, Vacancy
from policy.clock import KAZAKHSTAN, now_in_kazakhstan, today_in_kazakhstan

PASSWORD = "correct-horse-battery"
# The longest a test session runs (the whole suite on a busy machine).
LONGEST_SESSION = timedelta(hours=3)


def one_day_for_the_session() -> tuple[date, time_machine.travel | None]:
    """The session's "today". Modules keep it from their import (``TODAY``), and every
    rule turns on Kazakhstan's date (R32): a session that ran across Kazakhstan's
    midnight would see two days, and its tests compare the two. So a session that
    starts within ``LONGEST_SESSION`` of midnight starts just after it: the clock is
    moved forward (time-machine, still ticking; tests that travel further nest within
    it). Forward, never back: what the server dates (a cookie's expiry) stays ahead of
    the browser's own clock, as it would be."""
    now = now_in_kazakhstan()
    midnight = datetime.combine(now.date() + timedelta(days=1), time(), KAZAKHSTAN)
    if midnight - now >= LONGEST_SESSION:
        return today_in_kazakhstan(), None
    moved = time_machine.travel(midnight + timedelta(minutes=1), tick=True)
    moved.start()
    return today_in_kazakhstan(), moved


TODAY, _moved_clock = one_day_for_the_session()
_seq = itertools.count(1)


def _save(obj: Any) -> Any:
    db.session.add(obj)
    db.session.commit()
    return obj


def valid_bin(prefix: str | None = None) -> str:
    """A 12-digit BIN/IIN with a correct check digit (R15)."""
    from app.core.identifiers import check_digit

    n = next(_seq)
    while True:
        first = (prefix or "9901")[:4] + f"{n:07d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
        n += 1000


def region(name: str | None = None) -> Region:
    return _save(Region(name=name or f"Region {next(_seq)}"))


def institution(region_: Region | None = None, **fields: Any) -> Institution:
    values = dict(
        code=f"AK-{next(_seq)}", name="Test colony", region=region_ or region(),
        kind=InstitutionKind.COLONY, regime=Regime.MEDIUM,
    )
    values.update(fields)
    return _save(Institution(**values))


def trade(code: str | None = None, isco: str = "7212") -> Trade:
    code = code or f"trade_{next(_seq)}"
    existing = db.session.scalar(db.select(Trade).where(Trade.code == code))
    return existing or _save(Trade(code=code, name_en=code, name_ru=code, name_kk=code,
                                          isco_code=isco))


def inmate(institution_: Institution, **fields: Any) -> Inmate:
    values = dict(
        institution_id=institution_.id, file_number=f"F-{next(_seq)}",
        last_name="Testov", first_name="Ivan", birth_date=date(1990, 5, 1), sex=Sex.MALE,
        legal_status=LegalStatus.CONVICTED, convicted_on=TODAY - timedelta(days=400),
        regime=institution_.regime, conditions=Conditions.ORDINARY,
        admission_date=TODAY - timedelta(days=365), release_date=TODAY + timedelta(days=700),
        fitness=Fitness.FIT, fitness_review_date=TODAY + timedelta(days=180),
    )
    values.update(fields)
    created = _save(Inmate(**values))
    # The dated history that rates on a past day read (app/placements/status.py).
    db.session.add(CustodyPeriod(inmate_id=created.id, institution_id=created.institution_id,
                                 started_on=created.admission_date))
    db.session.add(MedicalAssessment(inmate_id=created.id, fitness=created.fitness,
                                     assessed_on=created.admission_date,
                                     review_date=created.fitness_review_date))
    db.session.commit()
    return created


def consent(inmate_: Inmate, kind: ConsentKind, given_on: date | None = None) -> Consent:
    return _save(Consent(inmate_id=inmate_.id, kind=kind,
                         given_on=given_on or TODAY - timedelta(days=30)))


def employer(kind: EmployerKind = EmployerKind.PRIVATE_COMPANY, **fields: Any) -> Employer:
    values = dict(kind=kind, bin_iin=valid_bin(), name=f"Business {next(_seq)}",
                  status=EmployerStatus.APPROVED, email="owner@example.kz")
    values.update(fields)
    return _save(Employer(**values))


def vacancy(employer_: Employer, institution_: Institution, **fields: Any) -> Vacancy:
    values = dict(
        employer_id=employer_.id, institution_id=institution_.id, title="Welder",
        trade_id=fields.pop("trade_id", None) or trade("welder").id, site=Site.INSIDE,
        positions=3, monthly_wage=90_000, weekly_hours=40, start_date=TODAY,
        status=VacancyStatus.PUBLISHED,
    )
    values.update(fields)
    return _save(Vacancy(**values))


def placement(inmate_: Inmate, vacancy_: Vacancy, **fields: Any) -> Placement:
    values = dict(inmate_id=inmate_.id, vacancy_id=vacancy_.id,
                  institution_id=inmate_.institution_id, start_date=TODAY - timedelta(days=10),
                  weekly_hours=vacancy_.weekly_hours, monthly_wage=vacancy_.monthly_wage)
    values.update(fields)
    return _save(Placement(**values))


def partner_centre(region_: Region) -> Any:
    """An NGO partner organisation serving ``region_`` (not committed)."""
    from app.reintegration import operations as reintegration

    return reintegration.save_partner(None, {"name": "Centre", "kind": PartnerKind.NGO,
                                             "region_ids": [region_.id]})


def partner_user(region_: Region) -> Any:
    """A user of a new partner organisation serving ``region_``."""
    centre = partner_centre(region_)
    db.session.commit()
    return user(Role.PARTNER, partner_id=centre.id)


def course(institution_: Institution, **fields: Any) -> Course:
    values = dict(institution_id=institution_.id, trade_id=trade("welder").id,
                  title="Welding basics", seats=10, start_date=TODAY + timedelta(days=7),
                  end_date=TODAY + timedelta(days=97))
    values.update(fields)
    return _save(Course(**values))


def user(role: Role, **scope: Any) -> Any:
    created = create_user(email=f"{role.value}{next(_seq)}@example.kz",
                          full_name=f"Test {role.value}", password=PASSWORD, role=role, **scope)
    db.session.commit()
    return created


def bearer(user_: Any) -> dict[str, str]:
    _, token = issue_token(user_, "test")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def acting_as(user_: Any) -> Iterator[None]:
    """Make changes as ``user_`` would through a request, so the audit names them."""
    from flask import current_app
    from flask_login import login_user

    with current_app.test_request_context():
        login_user(user_)
        yield


class ApiClient:
    """A test client calling the JSON API with ``user_``'s bearer token:
    ``ApiClient(app, user).post(url, json=...)``, and so for every method."""

    def __init__(self, app: Any, user_: Any) -> None:
        self.client, self.headers = app.test_client(), bearer(user_)

    def __getattr__(self, method: str) -> Any:
        def call(url: str, **kwargs: Any) -> Any:
            return getattr(self.client, method)(url, headers=self.headers, **kwargs)

        return call
