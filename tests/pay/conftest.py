"""Work and pay fixtures: a worker placed with the world's employer since well
before last month, and the pay settings of the years in play confirmed."""

from datetime import date, timedelta

import pytest

from app.extensions import db
from app.pay import operations as ops
from policy import pay as law
from policy.clock import today_in_kazakhstan
from tests import factories

LAST_MONTH = law.previous_month(today_in_kazakhstan())


def confirm_years(*years: int) -> None:
    for year in years:
        ops.confirm_pay_settings(year, None)
    db.session.commit()


@pytest.fixture
def worker(world):
    """(placement, inmate, vacancy): 40 h a week at 170,000 tenge (twice the
    minimum), placed from 100 days before last month."""
    inmate = factories.inmate(world["institution"], admission_date=date(2024, 1, 1),
                              convicted_on=date(2023, 12, 1))
    vacancy = factories.vacancy(world["employer"], world["institution"], monthly_wage=170_000,
                                start_date=date(2024, 1, 1))
    placement = factories.placement(inmate, vacancy,
                                    start_date=LAST_MONTH - timedelta(days=100))
    return placement, inmate, vacancy


@pytest.fixture
def confirmed(app):
    confirm_years(LAST_MONTH.year, today_in_kazakhstan().year)


def working_days(month: date = LAST_MONTH, hours: str = "8") -> dict[str, dict[str, str]]:
    return {str(n): {"hours": hours} for n, day in enumerate(law.month_days(month), start=1)
            if day.weekday() < 5}
