"""R1 rates by institution, region and total; trends; R19 reproducibility."""

from datetime import date, timedelta
from decimal import Decimal

from app.core.vocabulary import ConsentKind, CustodyStatus, EndReason, Fitness, Role, Sex
from app.extensions import db
from app.inmates.models import Consent, CustodyPeriod, MedicalAssessment
from app.monitoring import rates
from app.monitoring.rates import Counts, Rate
from app.placements.models import Placement
from app.placements.status import institution_counts
from app.settings.operations import default_settings, settings_for
from policy.dates import born_by, months_of
from tests import factories

DAY = date(2026, 6, 1)


def _held(institution, **fields):
    values = dict(convicted_on=date(2025, 1, 1), admission_date=date(2025, 1, 1))
    values.update(fields)
    return factories.inmate(institution, **values)


def _staff(world, institution, able=4, employed=1, unable=0):
    employer = world["employer"]
    vacancy = factories.vacancy(employer, institution, positions=50, start_date=date(2025, 1, 1))
    people = [_held(institution) for _ in range(able)]
    people += [_held(institution, fitness=Fitness.UNFIT) for _ in range(unable)]
    for person in people[:employed]:
        factories.placement(person, vacancy, start_date=date(2026, 1, 1))
    return people


def test_rate_shortfall_and_rate_of_all_held():
    rate = Rate(1, "X", DAY, Decimal("0.750"), Counts(held=6, able=4, employed=2,
                                                      employed_able=1))
    # of all held, the same employed people as R1: never one not able to work
    assert (rate.rate, rate.rate_held, rate.shortfall) == (0.25, 1 / 6, 2)
    assert (rate.employed, rate.employed_all) == (1, 1)
    assert rate.below_target
    full = Rate(1, "X", DAY, Decimal("0.750"), Counts(held=4, able=4, employed=4,
                                                      employed_able=4))
    assert full.shortfall == 0 and not full.below_target
    assert Rate(1, "X", DAY, Decimal("0.75"), Counts()).rate is None


def test_employed_of_all_held_counts_the_same_people_as_r1(app, world):
    """Home page, rates API and page: "employed / all held" counts only those R1 counts
    (an unfit inmate at work is a violation, in neither share)."""
    from tests.factories import ApiClient

    _staff(world, world["institution"], able=4, employed=2)
    vacancy = factories.vacancy(world["employer"], world["institution"], positions=5,
                                start_date=date(2025, 1, 1))
    factories.placement(_held(world["institution"], fitness=Fitness.UNFIT), vacancy,
                        start_date=date(2026, 1, 1))
    home = ApiClient(app, world["officer"]).get("/api/home/officer").json["rate"]
    [line] = [r for r in ApiClient(app, world["prosecutor"]).get(
        "/api/monitoring/rates").json["institutions"] if r["id"] == world["institution"].id]
    for figures in (home, line):
        assert (figures["held"], figures["able"], figures["employed"]) == (5, 4, 2)
        assert (figures["employed_all"], figures["rate_held"]) == (2, 0.4)
    client = app.test_client()
    from tests.conftest import login

    login(client, world["officer"])
    assert "5 held (40.0% of all held)" in client.get("/officer").get_data(as_text=True)


def test_rates_by_institution_region_and_country(world):
    _staff(world, world["institution"], able=4, employed=3, unable=1)
    _staff(world, world["other_institution"], able=2, employed=0)
    report = rates.rates_on(DAY, world["national_prosecutor"])
    by_code = {r.label: r for r in report.institutions}
    home = by_code["AK-159/20"]
    assert (home.held, home.able, home.employed, home.rank) == (5, 4, 3, 1)
    assert home.rate == 0.75 and home.shortfall == 0
    away = by_code["AP-162/3"]
    assert (away.rate, away.shortfall, away.rank) == (0.0, 2, 2)
    assert {r.label: r.able for r in report.regions} == {"Karaganda": 4, "Pavlodar": 2}
    assert (report.total.held, report.total.able, report.total.employed) == (7, 6, 3)
    assert report.target == Decimal("0.750")


def test_regional_prosecutor_reads_only_their_region(world):
    _staff(world, world["institution"])
    _staff(world, world["other_institution"])
    report = rates.rates_on(DAY, world["other_prosecutor"])
    assert [r.label for r in report.institutions] == ["AP-162/3"]
    assert [r.label for r in report.regions] == ["Pavlodar"]
    assert report.total.label == "Pavlodar" and report.total.able == 4


def test_target_is_the_setting_of_that_year(world):
    settings = default_settings(2025)
    settings.target_rate = Decimal("0.600")
    db.session.add(settings)
    db.session.commit()
    assert rates.rates_on(date(2025, 6, 1), world["admin"]).target == Decimal("0.600")
    assert settings_for(2026).target_rate == Decimal("0.600")  # carried over


def test_past_rate_is_unchanged_by_later_changes(world):
    """R19: data changed after a day leaves that day's rate as it was."""
    people = _staff(world, world["institution"], able=4, employed=2)
    before = rates.rates_on(DAY, world["prosecutor"]).institutions[0]
    later = DAY + timedelta(days=10)
    working = db.session.query(Placement).filter_by(inmate_id=people[0].id).one()
    working.end_date, working.end_reason = later, EndReason.DISMISSED  # ends later
    factories.placement(people[2], factories.vacancy(world["employer"], world["institution"]),
                        start_date=later)
    db.session.add(MedicalAssessment(inmate_id=people[1].id, fitness=Fitness.UNFIT,
                                     assessed_on=later))
    period = db.session.query(CustodyPeriod).filter_by(inmate_id=people[3].id).one()
    period.ended_on, period.end_reason = later, CustodyStatus.RELEASED
    db.session.add(Consent(inmate_id=people[3].id, kind=ConsentKind.VOLUNTARY_WORK,
                           given_on=later))
    _held(world["institution"], admission_date=later, convicted_on=later)
    db.session.commit()
    after = rates.rates_on(DAY, world["prosecutor"]).institutions[0]
    assert (after.held, after.able, after.employed, after.rate) == (
        before.held, before.able, before.employed, before.rate) == (4, 4, 2, 0.5)
    assert rates.rates_on(later, world["prosecutor"]).institutions[0].counts != before.counts


def test_past_rate_page_is_unchanged_by_later_changes(world, prosecutor_client):
    people = _staff(world, world["institution"], able=2, employed=1)
    url = f"/api/monitoring/rates?day={DAY.isoformat()}"
    before = prosecutor_client.get(url).json
    factories.placement(people[1], factories.vacancy(world["employer"], world["institution"]),
                        start_date=DAY + timedelta(days=1))
    assert prosecutor_client.get(url).json == before
    assert before["institutions"][0]["rate"] == 0.5


def test_trend_days_are_the_first_of_24_months():
    days = rates.trend_days(date(2026, 3, 15))
    assert len(days) == 24
    assert (days[0], days[-1]) == (date(2024, 4, 1), date(2026, 3, 1))
    assert all(d.day == 1 for d in days)


def test_trends_per_institution_region_and_total(world):
    _staff(world, world["institution"], able=2, employed=1)
    result = rates.trends(world["national_prosecutor"], DAY)
    assert len(result.total) == 24
    home = result.institutions[world["institution"].id]
    assert [r.rate for r in home][-1] == 0.5  # 2026-06-01
    assert home[0].rate is None  # 2024-07-01: nobody held yet
    assert result.regions[world["region"].id][-1].able == 2
    assert set(result.institutions) == {world["institution"].id, world["other_institution"].id}


def test_series_agrees_with_institution_counts(world):
    """The set-based trend query must give institution_counts' figures on every day."""
    home, away = world["institution"], world["other_institution"]
    vacancy = factories.vacancy(world["employer"], home, positions=50)
    start = date(2024, 9, 1)
    pensioner = _held(home, birth_date=born_by(date(2025, 8, 15), months_of("63")),
                      sex=Sex.MALE, admission_date=start, convicted_on=start)
    db.session.add(Consent(inmate_id=pensioner.id, kind=ConsentKind.VOLUNTARY_WORK,
                           given_on=date(2025, 10, 1), withdrawn_on=date(2026, 2, 1)))
    woman = _held(home, sex=Sex.FEMALE, birth_date=date(1963, 3, 1), admission_date=start)
    _held(home, disability_group=1, admission_date=start)
    _held(home, convicted_on=None, admission_date=start)  # remand
    late = _held(home, convicted_on=date(2025, 5, 5), admission_date=start)
    moved = _held(home, admission_date=start)
    period = db.session.query(CustodyPeriod).filter_by(inmate_id=moved.id).one()
    period.ended_on = date(2025, 3, 10)
    db.session.add(CustodyPeriod(inmate_id=moved.id, institution_id=away.id,
                                 started_on=date(2025, 3, 10)))
    for when, fitness in ((date(2025, 4, 1), Fitness.UNFIT), (date(2025, 9, 1), Fitness.LIMITED),
                          (date(2025, 9, 1), Fitness.FIT)):
        db.session.add(MedicalAssessment(inmate_id=late.id, fitness=fitness, assessed_on=when))
    for person, begin, end in ((pensioner, date(2025, 1, 1), date(2025, 12, 1)),
                               (woman, date(2024, 10, 1), None), (late, date(2024, 11, 1), None),
                               (moved, date(2024, 10, 10), date(2025, 3, 10))):
        factories.placement(person, vacancy, start_date=begin, end_date=end,
                            end_reason=EndReason.TRANSFERRED if end else None)
    db.session.commit()
    days = rates.trend_days(date(2026, 6, 1))
    series = rates.counts_on(days, [home.id, away.id])
    for day in days:
        rows = db.session.execute(institution_counts(day, settings_for(day.year).law)).all()
        expected = {(day, r.institution_id): Counts(r.held, r.able, r.employed, r.employed_able)
                    for r in rows}
        assert {k: v for k, v in series.items() if k[0] == day} == expected, day


def test_officer_has_no_rates_of_other_institutions(world):
    officer = world["officer"]
    assert officer.role == Role.OFFICER
    report = rates.rates_on(DAY, officer)
    assert [r.label for r in report.institutions] == ["AK-159/20"]
