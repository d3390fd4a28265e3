"""A day's R1 counts are kept once computed, and forgotten from the first day a write
could change (app/placements/kept.py): what is read from kept days always equals
what history gives."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import current_app

from app.core.bulk import insert_rows
from app.core.locks import lock_rows
from app.core.vocabulary import ConsentKind, CustodyStatus, EndReason, Fitness, Regime, Sex
from app.extensions import db
from app.inmates.models import Consent, CustodyPeriod, Inmate, MedicalAssessment
from app.inmates.spreadsheets import INMATE_COLUMNS
from app.monitoring import rates
from app.placements import kept
from app.placements.models import KeptDay, KeptVersion, Placement
from app.settings.operations import settings_for
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.inmates.helpers import payload
from tests.inmates.test_spreadsheets import csv_file

TODAY = today_in_kazakhstan()
DAYS = rates.trend_days(TODAY)
PAST = [day for day in DAYS if day < TODAY]
CHANGED_ON = PAST[-6] - timedelta(days=10)  # a backdated write: changes the last 6 points


@pytest.fixture
def people(world):
    """Four people held at one institution for the whole trend; two at work."""
    institution = world["institution"]
    held = [factories.inmate(institution, admission_date=DAYS[0] - timedelta(days=30),
                             convicted_on=DAYS[0] - timedelta(days=30),
                             birth_date=date(1990, 5, 1), sex=Sex.MALE)
            for _ in range(4)]
    vacancy = factories.vacancy(world["employer"], institution, positions=10,
                                start_date=DAYS[0])
    for person in held[:2]:
        factories.placement(person, vacancy, start_date=DAYS[0], paid=True)
    return held


def _trend(user):
    """The trend's counts per (day, institution), nobody held left out."""
    result = rates.trends(user, TODAY)
    return {(rate.day, key): rate.counts for key, series in result.institutions.items()
            for rate in series if rate.counts != rates.Counts()}


def _from_history(user):
    ids = {institution.id for institution in rates.institutions_in_scope(user)}
    return rates.count_from_history(DAYS, ids)


def _kept_days(institution):
    """The days of ``institution`` whose R1 counts are kept."""
    db.session.expire_all()
    return set(db.session.scalars(sa.select(KeptDay.day).where(
        KeptDay.kind == "r1", KeptDay.institution_id == institution.id)))


def test_past_days_are_kept_and_read_back_without_computing(world, people, monkeypatch):
    first = _trend(world["national_prosecutor"])
    assert first == _from_history(world["national_prosecutor"])
    assert _kept_days(world["institution"]) == set(DAYS)

    def no_computing(*args, **kwargs):
        raise AssertionError("a kept day was computed again")

    monkeypatch.setattr(rates, "institution_counts_series", no_computing)
    monkeypatch.setattr(rates, "institution_counts", no_computing)
    assert _trend(world["national_prosecutor"]) == first


def test_a_regional_reader_gets_their_institutions_only_from_kept_days(world, people):
    factories.inmate(world["other_institution"], admission_date=DAYS[0])
    _trend(world["national_prosecutor"])  # keeps every institution
    regional = _trend(world["prosecutor"])
    assert regional == _from_history(world["prosecutor"])
    assert {institution for _, institution in regional} == {world["institution"].id}


def test_today_is_kept_until_a_write_of_the_day(world, people):
    institution = world["institution"].id
    before = rates.counts_on([TODAY], [institution])
    assert TODAY in _kept_days(world["institution"])
    vacancy = factories.vacancy(world["employer"], world["institution"])
    factories.placement(people[2], vacancy, start_date=TODAY, paid=True)
    assert TODAY not in _kept_days(world["institution"])
    after = rates.counts_on([TODAY], [institution])
    assert after == rates.count_from_history([TODAY], {institution})
    assert after[TODAY, institution].employed == before[TODAY, institution].employed + 1


def test_a_write_dated_tomorrow_forgets_nothing(world, people):
    rates.counts_on([TODAY], [world["institution"].id])
    vacancy = factories.vacancy(world["employer"], world["institution"])
    factories.placement(people[2], vacancy, start_date=TODAY + timedelta(days=1), paid=True)
    assert TODAY in _kept_days(world["institution"])


def _start_backdated_placement(world, people):
    vacancy = factories.vacancy(world["employer"], world["institution"], start_date=DAYS[0])
    factories.placement(people[2], vacancy, start_date=CHANGED_ON, paid=True)


def _end_placement_earlier(world, people):
    working = db.session.scalars(sa.select(Placement).filter_by(inmate_id=people[0].id)).one()
    working.end_date, working.end_reason = CHANGED_ON, EndReason.DISMISSED
    db.session.commit()


def _make_placement_unpaid(world, people):
    working = db.session.scalars(sa.select(Placement).filter_by(inmate_id=people[0].id)).one()
    working.paid = False
    db.session.commit()


def _assess_unfit_in_the_past(world, people):
    db.session.add(MedicalAssessment(inmate_id=people[1].id, fitness=Fitness.UNFIT,
                                     assessed_on=CHANGED_ON))
    db.session.commit()


def _release_in_the_past(world, people):
    period = db.session.scalars(sa.select(CustodyPeriod).filter_by(inmate_id=people[3].id)).one()
    period.ended_on, period.end_reason = CHANGED_ON, CustodyStatus.RELEASED
    db.session.commit()


def _correct_birth_date_to_pension_age(world, people):
    people[2].birth_date = date(1940, 1, 1)  # pension age: voluntary only, no consent
    db.session.commit()


def _withdraw_consent_in_the_past(world, people):
    people[3].disability_group = 2  # voluntary only (R4)
    db.session.add(Consent(inmate_id=people[3].id, kind=ConsentKind.VOLUNTARY_WORK,
                           given_on=DAYS[0] - timedelta(days=40)))
    db.session.commit()
    _trend(world["national_prosecutor"])  # kept again with the consent in force
    consent = db.session.scalars(sa.select(Consent).filter_by(inmate_id=people[3].id)).one()
    consent.withdrawn_on = CHANGED_ON
    db.session.commit()


def _lower_the_pension_age_of_a_past_year(world, people):
    people[2].birth_date = date(1966, 6, 1)  # 60 in June 2026
    db.session.commit()
    _trend(world["national_prosecutor"])
    settings = settings_for(PAST[-6].year)
    db.session.add(settings)
    settings.pension_age_men = Decimal("55.0")
    db.session.commit()


def _import_people_admitted_in_the_past(world, people):
    client = current_app.test_client()
    data = csv_file([payload(file_number=f"K-{n}", admission_date=CHANGED_ON.isoformat(),
                             convicted_on=CHANGED_ON.isoformat()) for n in range(3)],
                    INMATE_COLUMNS)
    response = client.post("/api/inmates/import", data={
        "kind": "inmates", "dry_run": "false", "file": (io.BytesIO(data), "inmates.csv")},
        content_type="multipart/form-data", headers=factories.bearer(world["officer"]))
    assert response.status_code == 200, response.json


BACKDATED_WRITES = [_start_backdated_placement, _end_placement_earlier, _make_placement_unpaid,
                    _assess_unfit_in_the_past, _release_in_the_past,
                    _correct_birth_date_to_pension_age, _withdraw_consent_in_the_past,
                    _lower_the_pension_age_of_a_past_year, _import_people_admitted_in_the_past]


@pytest.mark.parametrize("write", BACKDATED_WRITES, ids=lambda write: write.__name__[1:])
def test_a_backdated_write_forgets_the_days_it_changes(world, people, write):
    reader = world["national_prosecutor"]
    before = _trend(reader)
    write(world, people)
    after = _trend(reader)
    assert after == _from_history(reader)
    assert after != before  # the write did change a kept day's figures


def test_a_write_dated_today_keeps_the_past_days(world, people):
    _trend(world["national_prosecutor"])
    vacancy = factories.vacancy(world["employer"], world["institution"])
    factories.placement(people[2], vacancy, start_date=TODAY, paid=True)
    working = db.session.scalars(sa.select(Placement).filter_by(inmate_id=people[0].id)).one()
    working.end_date, working.end_reason = TODAY, EndReason.DISMISSED
    db.session.add(MedicalAssessment(inmate_id=people[1].id, fitness=Fitness.FIT,
                                     assessed_on=TODAY))
    db.session.commit()
    assert _kept_days(world["institution"]) == set(PAST)


def test_a_change_r1_does_not_read_forgets_nothing(world, people):
    _trend(world["national_prosecutor"])
    people[1].first_name = "Renamed"
    people[1].regime = Regime.MINIMUM  # read by the violation checks, not by R1
    db.session.commit()
    assert _kept_days(world["institution"]) == set(DAYS)


def test_a_write_forgets_only_from_its_day_and_at_its_institution(world, people):
    _trend(world["national_prosecutor"])
    _start_backdated_placement(world, people)
    assert _kept_days(world["institution"]) == {day for day in PAST if day < CHANGED_ON}
    assert _kept_days(world["other_institution"]) == set(DAYS)


def test_a_lock_changes_nothing_and_forgets_nothing(world, people):
    _trend(world["national_prosecutor"])
    lock_rows(Inmate, [person.id for person in people])
    db.session.commit()
    assert _kept_days(world["institution"]) == set(DAYS)


def test_a_bulk_update_of_a_table_r1_reads_forgets_every_day(world, people):
    _trend(world["national_prosecutor"])
    db.session.execute(sa.update(Inmate).where(Inmate.id == people[0].id)
                       .values(disability_group=1))
    db.session.commit()
    assert _kept_days(world["institution"]) == set()


def test_days_computed_while_a_write_forgot_them_are_not_kept(world, people):
    """A reader whose figures may predate a writer's forgetting takes them back."""

    def compute_while_written(days, institution_ids):
        counted = rates.count_cells(days, institution_ids)
        db.session.execute(sa.update(KeptVersion).values(version=KeptVersion.version + 1))
        return counted  # as if a writer had forgotten and committed meanwhile

    db.session.merge(KeptVersion(id=1, version=0))
    kept.figures_of("r1", DAYS, [world["institution"].id], compute_while_written)
    assert _kept_days(world["institution"]) == set()
    kept.figures_of("r1", DAYS, [world["institution"].id], rates.count_cells)
    assert _kept_days(world["institution"]) == set(DAYS)


def test_a_writer_forgets_when_it_commits(world, people):
    _trend(world["national_prosecutor"])
    _start_backdated_placement(world, people)  # committed: forgotten
    assert _kept_days(world["institution"]) == {day for day in PAST if day < CHANGED_ON}
    _trend(world["national_prosecutor"])
    db.session.add(MedicalAssessment(inmate_id=people[1].id, fitness=Fitness.UNFIT,
                                     assessed_on=CHANGED_ON))
    db.session.flush()
    assert _kept_days(world["institution"]) == set(DAYS)  # not yet: at the commit
    db.session.commit()
    assert _kept_days(world["institution"]) == {day for day in PAST if day < CHANGED_ON}


def test_an_update_of_an_object_not_loaded_forgets_everything(world, people):
    """After a commit an object's old values are unknown until read: setting one then
    forgets every day of every institution rather than guess."""
    _trend(world["national_prosecutor"])
    working = db.session.scalars(sa.select(Placement).filter_by(inmate_id=people[0].id)).one()
    db.session.commit()  # expires it: its old start date is no longer known
    working.start_date = TODAY - timedelta(days=3)
    db.session.commit()
    assert _kept_days(world["institution"]) == set()
    assert _kept_days(world["other_institution"]) == set()


def test_r1_columns_are_those_the_queries_read():
    columns = kept.read_columns("r1")
    assert {("placements", "start_date"), ("placements", "paid"), ("inmates", "birth_date"),
            ("custody_periods", "institution_id"), ("consents", "withdrawn_on"),
            ("medical_assessments", "fitness")} <= columns
    assert ("inmates", "first_name") not in columns
    assert ("vacancies", "title") not in columns


def test_rows_written_in_bulk_forget_from_their_first_day(world, people):
    """``insert_rows`` (COPY on PostgreSQL, unseen by the session) into a table R1 reads."""
    _trend(world["national_prosecutor"])
    newcomer = factories.inmate(world["institution"], admission_date=TODAY)
    db.session.execute(sa.delete(CustodyPeriod).where(CustodyPeriod.inmate_id == newcomer.id))
    db.session.commit()
    _trend(world["national_prosecutor"])  # kept again after that statement forgot them all
    insert_rows(CustodyPeriod.__table__, [{"inmate_id": newcomer.id,
                                           "institution_id": world["institution"].id,
                                           "started_on": CHANGED_ON}])
    db.session.commit()
    assert _kept_days(world["institution"]) == {day for day in PAST if day < CHANGED_ON}
    assert _trend(world["national_prosecutor"]) == _from_history(world["national_prosecutor"])


def test_the_command_forgets_every_kept_figure(app, world, people):
    _trend(world["national_prosecutor"])
    result = app.test_cli_runner().invoke(args=["forget-kept-figures"])
    assert result.exit_code == 0, result.output
    assert _kept_days(world["institution"]) == set()
    assert _trend(world["national_prosecutor"]) == _from_history(world["national_prosecutor"])


def test_readers_missing_the_same_figures_compute_one_at_a_time(world, people):
    """PostgreSQL: the reader computing a kind holds a lock until it commits, so another
    reader missing the same figures waits for them to be kept instead of computing."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    rates.counts_on([TODAY], [world["institution"].id])  # computed: the lock is held
    lock = sa.func.hashtext("kept:r1")
    with db.engine.connect() as other:
        assert other.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(lock))) is False
        db.session.commit()
        assert other.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(lock))) is True


def test_a_write_about_a_person_forgets_where_they_were_held(world, people):
    _trend(world["national_prosecutor"])
    _assess_unfit_in_the_past(world, people)
    assert _kept_days(world["institution"]) == {day for day in PAST if day < CHANGED_ON}
    assert _kept_days(world["other_institution"]) == set(DAYS)
