"""The labour pool of a day is kept once computed and forgotten by any write that could
change it (app/placements/kept.py): what an employer reads always equals the pool
computed now."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.vocabulary import SkillSource
from app.extensions import db
from app.inmates.models import InmateSkill
from app.placements import kept
from app.placements.models import KeptDay
from app.taxonomy.models import Trade
from employers import pool
from tests import factories
from tests.employers.test_pool_and_privacy import _able

TODAY = factories.TODAY


def _read(world):
    """What the pool shows for the world's institution, as kept or computed and kept."""
    [found] = pool.labour_pool(TODAY, [world["institution"].id])
    return found


def _computed(world):
    """The same pool computed from history, nothing kept."""
    db.session.execute(sa.delete(KeptDay).where(KeptDay.kind == "pool"))
    return _read(world)


def _pool_days():
    db.session.expire_all()
    return set(db.session.scalars(sa.select(KeptDay.day).where(KeptDay.kind == "pool")))


@pytest.fixture
def able(world, trades):
    return _able(world["institution"], 7)


def test_the_pool_is_kept_and_read_back_without_computing(world, able, monkeypatch):
    first = _read(world)
    assert first.available.value == 7 and _pool_days() == {TODAY}

    def no_computing(*args, **kwargs):
        raise AssertionError("the kept pool was computed again")

    monkeypatch.setattr(pool, "_groups", no_computing)
    assert _read(world) == first


def _place_one_today(world, able):
    vacancy = factories.vacancy(world["employer"], world["institution"])
    factories.placement(able[0], vacancy, start_date=TODAY, paid=True)


def _add_a_skill(world, able):
    db.session.add(InmateSkill(inmate_id=able[1].id, trade_id=factories.trade("turner").id,
                               level=1, source=SkillSource.ASSESSED,
                               recorded_on=TODAY + timedelta(days=1)))  # dated tomorrow
    db.session.commit()


def _remove_a_skill(world, able):
    # three, so that the welders' count shown moves (7 to 4, hidden): a count shown is
    # rounded against the available 7 (R17), and one fewer would show the same 7
    for inmate in able[2:5]:
        skill = db.session.scalars(sa.select(InmateSkill).filter_by(inmate_id=inmate.id)).one()
        db.session.delete(skill)
    db.session.commit()


def _rename_a_trade(world, able):
    db.session.scalars(sa.select(Trade).filter_by(code="welder")).one().name_en = "Welders"
    db.session.commit()


def _turn_sixteen_year_olds_hours(world, able):
    able[3].birth_date = TODAY.replace(year=TODAY.year - 17) - timedelta(days=1)  # 36 h
    db.session.commit()


WRITES = [_place_one_today, _add_a_skill, _remove_a_skill, _rename_a_trade,
          _turn_sixteen_year_olds_hours]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.__name__[1:])
def test_a_write_that_changes_the_pool_forgets_it(world, able, write):
    before = _read(world)
    write(world, able)
    after = _read(world)
    assert after != before  # the write did change what the pool shows
    assert after == _computed(world)


def test_a_vacancy_or_a_name_forgets_no_pool(world, able):
    _read(world)
    factories.vacancy(world["employer"], world["institution"])
    able[4].first_name = "Renamed"
    db.session.commit()
    assert _pool_days() == {TODAY}


def test_pool_columns_are_those_its_query_reads():
    columns = kept.read_columns("pool")
    assert {("inmate_skills", "trade_id"), ("trades", "name_en"), ("inmates", "birth_date"),
            ("placements", "start_date"), ("custody_periods", "started_on")} <= columns
    assert ("inmate_skills", "level") not in columns
    assert ("vacancies", "title") not in columns
