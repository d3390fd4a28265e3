"""The daily reconciliation of kept figures (app/placements/reconcile.py): a kept figure
changed behind the product's back (psql, a data migration) is found, repaired from
history, counted in the run's summary, on the schedule page and in /metrics."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.core.vocabulary import Sex
from app.extensions import db
from app.jobs import schedule
from app.jobs.models import ScheduleRun
from app.monitoring import rates
from app.monitoring.operations import kept_violations
from app.monitoring.violations import Period
from app.placements.models import KeptDay
from app.placements.reconcile import TASK
from policy.clock import today_in_kazakhstan
from tests import factories

TODAY = today_in_kazakhstan()


@pytest.fixture
def kept_today(world):
    """Three people held at one institution, one at work; today's R1 counts and the
    month's violations read, so kept."""
    institution = world["institution"]
    start = TODAY - timedelta(days=60)
    people = [factories.inmate(institution, admission_date=start, convicted_on=start,
                               birth_date=date(1990, 5, 1), sex=Sex.MALE) for _ in range(3)]
    vacancy = factories.vacancy(world["employer"], institution, positions=5, start_date=start)
    factories.placement(people[0], vacancy, start_date=start, paid=True)
    db.session.commit()
    rates.counts_on([TODAY], [institution.id])
    kept_violations(Period(TODAY.replace(day=1), TODAY), [institution.id])
    db.session.commit()
    return institution


def _kept(kind: str, institution) -> object:
    db.session.expire_all()
    return db.session.scalar(sa.select(KeptDay.figures).where(
        KeptDay.kind == kind, KeptDay.day == TODAY, KeptDay.institution_id == institution.id))


def _corrupt(kind: str, institution, figures) -> None:
    """A write the product does not see (as psql's): the session's listeners skip it."""
    with db.engine.begin() as connection:
        connection.execute(sa.update(KeptDay.__table__).where(
            KeptDay.kind == kind, KeptDay.institution_id == institution.id)
            .values(figures=figures))


def _run(day=TODAY) -> ScheduleRun:
    runs = schedule.run_due(day, only=TASK)
    assert len(runs) == 1 and runs[0].ok, runs
    return runs[0]


def test_a_corrupted_figure_is_repaired_counted_and_shown(app, kept_today, admin_client):
    true_counts, true_violations = _kept("r1", kept_today), _kept("violations", kept_today)
    assert true_counts[0] == 3  # held
    _corrupt("r1", kept_today, [99, 99, 99, 99])
    _corrupt("violations", kept_today, [["R9", 12345]])

    run = _run()

    assert run.summary["mismatches"] == 2
    assert run.summary["mismatches_by_kind"] == {"r1": 1, "violations": 1}
    assert run.summary["checked"] >= 2 and run.summary["unchecked_kinds"] == []
    assert _kept("r1", kept_today) == true_counts
    assert _kept("violations", kept_today) == true_violations
    assert rates.counts_on([TODAY], [kept_today.id])[TODAY, kept_today.id].held == 3
    page = admin_client.get("/admin/schedule/").get_data(as_text=True)
    assert TASK in page and '"mismatches": 2' in page
    metrics = app.test_client().get("/metrics").get_data(as_text=True)
    assert "labour_kept_figures_mismatches_total 2.0" in metrics, metrics


def test_true_figures_are_left_alone_and_the_count_adds_up_over_days(app, kept_today):
    assert _run().summary["mismatches"] == 0
    _corrupt("r1", kept_today, [1, 1, 1, 1])
    assert _run(TODAY + timedelta(days=1)).summary["mismatches"] == 1
    from app.placements.reconcile import mismatches_total

    assert mismatches_total() == 1
    assert _run(TODAY + timedelta(days=2)).summary["mismatches"] == 0
