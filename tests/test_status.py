"""R1 on a date: held, able to work, employed, from dated history."""

from datetime import date, timedelta

from app.core.vocabulary import ConsentKind, Fitness, Sex
from app.extensions import db
from app.inmates.models import MedicalAssessment
from app.placements.status import institution_counts
from app.settings.operations import default_settings
from policy.dates import born_by, months_of
from tests import factories

DAY = date(2026, 6, 1)


def _held(institution, **fields):
    return factories.inmate(institution, convicted_on=date(2025, 1, 1),
                            admission_date=date(2025, 1, 1), **fields)


def _counts(day=DAY):
    rows = db.session.execute(institution_counts(day, default_settings(day.year).law)).all()
    return {row.institution_id: row for row in rows}


def test_born_by_handles_half_years_and_month_ends():
    assert born_by(date(2028, 8, 31), months_of("61.5")) == date(1967, 2, 28)
    assert born_by(date(2026, 6, 1), months_of("63")) == date(1963, 6, 1)


def test_rate_counts_able_and_employed(app):
    institution = factories.institution()
    employer = factories.employer()
    vacancy = factories.vacancy(employer, institution)
    worker = _held(institution)
    _held(institution)
    _held(institution, fitness=Fitness.UNFIT)
    factories.placement(worker, vacancy, start_date=date(2026, 1, 1))
    row = _counts()[institution.id]
    assert (row.held, row.able, row.employed) == (3, 2, 1)


def test_pension_age_man_needs_consent_from_his_birthday(app):
    institution = factories.institution()
    pensioner = _held(institution, birth_date=born_by(DAY, months_of("63")), sex=Sex.MALE)
    assert _counts()[institution.id].able == 0
    assert _counts(DAY - timedelta(days=1))[institution.id].able == 1
    factories.consent(pensioner, ConsentKind.VOLUNTARY_WORK, given_on=date(2026, 1, 1))
    assert _counts()[institution.id].able == 1


def test_past_day_ignores_later_history(app):
    institution = factories.institution()
    inmate = _held(institution)
    db.session.add(MedicalAssessment(inmate_id=inmate.id, fitness=Fitness.UNFIT,
                                     assessed_on=DAY + timedelta(days=5)))
    db.session.commit()
    assert _counts()[institution.id].able == 1
    assert _counts(DAY + timedelta(days=5))[institution.id].able == 0
