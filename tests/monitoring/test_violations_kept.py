"""The country's violations of a period are kept (app/placements/kept.py) and forgotten
by any write the checks could see: a reader gets exactly what the checks find now, in
their scope, with each violation's day and why."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.core.vocabulary import ConsentKind, EmployerKind, Fitness
from app.extensions import db
from app.inmates.models import MedicalAssessment, SeparationLink
from app.monitoring import operations
from app.monitoring.demo import seed_demo_violations
from app.monitoring.violations import Period, find_violations
from app.placements.models import KeptDay, Placement
from app.settings.operations import settings_for
from tests import factories
from tests.factories import TODAY
from tests.monitoring.conftest import PERIOD


def _shown(found):
    return [(v.rule, v.placement_id, v.day, str(v.detail), v.other_placement_id) for v in found]


def _read(user, period=PERIOD, **filters):
    return _shown(operations.violations_in_scope(period, user, **filters))


def _checked(period=PERIOD, scope=sa.true(), rules=None):
    return _shown(find_violations(period, scope, rules))


def _kept_periods():
    db.session.expire_all()
    return set(db.session.execute(sa.select(KeptDay.day, KeptDay.key)
                                  .where(KeptDay.kind == "violations")).all())


@pytest.fixture
def demo(world):
    seed_demo_violations(world["institution"])
    seed_demo_violations(world["other_institution"])
    db.session.commit()


def test_every_reader_gets_what_the_checks_find_in_their_scope(world, demo):
    home, away = world["institution"], world["other_institution"]
    in_home = Placement.institution_id == home.id
    assert _read(world["national_prosecutor"]) == _checked()
    assert _read(world["prosecutor"]) == _checked(scope=in_home)
    assert _read(world["other_prosecutor"]) == _checked(
        scope=Placement.institution_id == away.id)
    assert _read(world["national_prosecutor"], institution_id=home.id) == _checked(
        scope=in_home)
    assert _read(world["national_prosecutor"], region_id=world["region"].id) == _checked(
        scope=in_home)
    assert _read(world["prosecutor"], rule="R14") == _checked(scope=in_home, rules=["R14"])
    assert len({rule for rule, *_ in _read(world["prosecutor"])}) == 13
    two_years = Period(TODAY - timedelta(days=729), TODAY)
    assert _read(world["national_prosecutor"], two_years) == _checked(two_years)
    assert _kept_periods() == {(TODAY, PERIOD.start.isoformat()),
                               (TODAY, two_years.start.isoformat())}


def test_a_kept_period_is_read_whole_without_a_check(world, demo, monkeypatch):
    """Kept violations hold each one's day and why: reading them again runs no check,
    in any language."""
    first = _read(world["national_prosecutor"])
    assert first
    monkeypatch.setattr(operations, "find_violations", None)  # would fail if called
    assert _read(world["national_prosecutor"]) == first
    assert _read(world["prosecutor"], rule="R10") == [v for v in first if v[0] == "R10"
                                                     and v[1] in _ids_of(world["institution"])]
    with force_locale("ru"):
        in_russian = _read(world["national_prosecutor"])
    assert [v[3] for v in in_russian] != [v[3] for v in first]  # the why, translated
    assert [v[:3] for v in in_russian] == [v[:3] for v in first]


def _ids_of(institution):
    return set(db.session.scalars(sa.select(Placement.id).where(
        Placement.institution_id == institution.id)))


def test_nothing_flagged_runs_no_check(world, monkeypatch):
    assert _read(world["national_prosecutor"]) == []
    monkeypatch.setattr(operations, "find_violations", None)  # would fail if called
    assert _read(world["national_prosecutor"]) == []


def _unfit_from_three_days_ago(world, clean):
    placement = clean()
    yield
    db.session.add(MedicalAssessment(inmate_id=placement.inmate_id, fitness=Fitness.UNFIT,
                                     assessed_on=TODAY - timedelta(days=3)))
    db.session.commit()


def _vacancy_turns_heavy(world, clean):
    placement = clean(inmate={"fitness": Fitness.LIMITED})
    yield
    placement.vacancy.heavy_or_hazardous = True  # a fact without a date: every period
    db.session.commit()


def _separation_recorded(world, clean):
    a, b = clean(), clean()
    yield
    low, high = sorted([a.inmate_id, b.inmate_id])
    db.session.add(SeparationLink(inmate_a_id=low, inmate_b_id=high,
                                  created_on=TODAY - timedelta(days=100)))
    db.session.commit()


def _minimum_wage_raised(world, clean):
    clean(placement={"monthly_wage": 90_000})
    yield
    settings = settings_for(TODAY.year)
    db.session.add(settings)
    settings.min_monthly_wage = 95_000
    db.session.commit()


def _consent_withdrawn_two_days_ago(world, clean):
    private = factories.employer(EmployerKind.PRIVATE_COMPANY)
    person = factories.inmate(world["institution"])
    factories.placement(person, factories.vacancy(private, world["institution"]))
    consent = factories.consent(person, ConsentKind.PRIVATE_EMPLOYER,
                                given_on=TODAY - timedelta(days=60))
    yield
    consent.withdrawn_on = TODAY - timedelta(days=2)
    db.session.commit()


def _second_worker_today_on_one_position(world, clean):
    placement = clean(vacancy={"positions": 1})
    yield
    factories.placement(factories.inmate(world["institution"]), placement.vacancy,
                        start_date=TODAY)


WRITES = [_unfit_from_three_days_ago, _vacancy_turns_heavy, _separation_recorded,
          _minimum_wage_raised, _consent_withdrawn_two_days_ago,
          _second_worker_today_on_one_position]


@pytest.mark.parametrize("scenario", WRITES, ids=lambda scenario: scenario.__name__[1:])
def test_a_write_the_checks_see_forgets_the_kept_periods(world, clean, scenario):
    steps = scenario(world, clean)
    next(steps)  # the data before the write
    before = _read(world["national_prosecutor"])
    next(steps, None)  # the write
    after = _read(world["national_prosecutor"])
    assert after != before  # the write did add a violation
    assert after == _checked()


def test_a_write_after_the_period_keeps_it(world, clean, state_employer):
    clean(inmate={"fitness": Fitness.UNFIT})
    newcomer = factories.inmate(world["institution"])
    earlier = Period(TODAY - timedelta(days=40), TODAY - timedelta(days=10))
    _read(world["national_prosecutor"], earlier)
    job = factories.vacancy(state_employer, world["institution"])  # new: counts through
    factories.placement(newcomer, job, start_date=TODAY)  # its placements, after the period
    assert _kept_periods() == {(earlier.end, earlier.start.isoformat())}
    assert PERIOD.end == TODAY and _read(world["national_prosecutor"]) == _checked()


def test_a_write_at_one_institution_keeps_the_others(world, demo, clean):
    _read(world["national_prosecutor"])
    clean(inmate={"fitness": Fitness.UNFIT})  # at the home institution
    db.session.expire_all()
    kept_at = set(db.session.scalars(sa.select(KeptDay.institution_id)
                                     .where(KeptDay.kind == "violations")))
    assert kept_at == {world["other_institution"].id}
    assert _read(world["national_prosecutor"]) == _checked()
