"""Fixtures of the employers' tests: a business with a vacancy and placed workers."""

from datetime import timedelta

import pytest

from tests import factories


@pytest.fixture
def vacancy(world, trades):
    return factories.vacancy(world["employer"], world["institution"], positions=3)


@pytest.fixture
def placed(vacancy, world):
    """Three workers in ``vacancy``, started 30, 20 and 10 days ago (oldest first)."""
    return [
        factories.placement(factories.inmate(world["institution"], last_name=f"Worker{n}"),
                            vacancy, start_date=factories.TODAY - timedelta(days=days))
        for n, days in enumerate((30, 20, 10))
    ]


def vacancy_body(institution_ids, **changes):
    """A valid API body for a new vacancy."""
    from app.extensions import db
    from app.taxonomy.models import Trade

    trade_id = db.session.scalar(db.select(Trade.id).where(Trade.code == "welder"))
    body = dict(institution_ids=institution_ids, title="Welder", trade_id=trade_id,
                site="inside", positions=2, monthly_wage=90_000, weekly_hours=40,
                start_date=factories.TODAY.isoformat())
    body.update(changes)
    return body


@pytest.fixture
def employer_api(world):
    """Headers of the business's user for the JSON API (bearer token)."""
    return factories.bearer(world["employer_user"])
