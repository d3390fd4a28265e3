"""Each check, named after its rule, finds what broke the rule and nothing else."""

from datetime import date, timedelta

import sqlalchemy as sa

from app.core.vocabulary import (
    Conditions,
    ConsentKind,
    EmployerKind,
    EndReason,
    Fitness,
    InstitutionKind,
    LegalStatus,
    Regime,
    Shift,
    Site,
)
from app.extensions import db
from app.inmates.models import MedicalAssessment, SeparationLink
from app.monitoring import violations as checks
from app.monitoring.demo import seed_demo_violations
from app.monitoring.violations import CHECKS, Period, find_violations
from app.placements.models import Placement
from policy.dates import born_by, months_of
from tests import factories
from tests.factories import TODAY
from tests.monitoring.conftest import PERIOD


def test_clean_placement_breaks_no_rule(clean):
    clean()
    assert find_violations(PERIOD, sa.true()) == []


def test_r2_remand_without_request(clean):
    placement = clean(inmate={"legal_status": LegalStatus.REMAND, "convicted_on": None})
    found = checks.r2_remand_without_request(PERIOD)
    assert [(v.rule, v.placement_id) for v in found] == [("R2", placement.id)]
    factories.consent(placement.inmate, ConsentKind.REMAND_WORK_REQUEST,
                      given_on=TODAY - timedelta(days=60))
    assert checks.r2_remand_without_request(PERIOD) == []


def test_r2_convicted_later_counts_as_remand_before(clean):
    placement = clean(inmate={"convicted_on": TODAY - timedelta(days=5)})
    found = checks.r2_remand_without_request(PERIOD)
    assert [v.placement_id for v in found] == [placement.id]


def test_r3_unfit_expired_or_limited_in_heavy_work(clean):
    unfit = clean(inmate={"fitness": Fitness.UNFIT})
    expired = clean(inmate={"fitness_review_date": TODAY - timedelta(days=40)})
    limited_heavy = clean(inmate={"fitness": Fitness.LIMITED},
                          vacancy={"heavy_or_hazardous": True})
    clean(inmate={"fitness": Fitness.LIMITED})
    found = checks.r3_medical_fitness(PERIOD)
    assert sorted(v.placement_id for v in found) == sorted(
        [unfit.id, expired.id, limited_heavy.id])


def test_r3_assessment_during_placement_counts_from_its_day(clean):
    placement = clean()
    db.session.add(MedicalAssessment(inmate_id=placement.inmate_id, fitness=Fitness.UNFIT,
                                     assessed_on=TODAY - timedelta(days=3)))
    db.session.commit()
    # found on the day it was made: every day of the period is judged
    assert [v.day for v in checks.r3_medical_fitness(PERIOD)] == [TODAY - timedelta(days=3)]
    assert [v.day for v in checks.r3_medical_fitness(Period(PERIOD.start, TODAY - timedelta(
        days=3)))] == [TODAY - timedelta(days=3)]
    before = Period(PERIOD.start, TODAY - timedelta(days=4))
    assert checks.r3_medical_fitness(before) == []


def _assess(placement, fitness, on, review_date=None):
    db.session.add(MedicalAssessment(inmate_id=placement.inmate_id, fitness=fitness,
                                     assessed_on=on, review_date=review_date))
    db.session.commit()


def test_r3_an_assessment_on_the_first_day_counts_that_day(clean):
    placement = clean()
    start = placement.start_date
    _assess(placement, Fitness.UNFIT, start + timedelta(days=1))
    assert [v.day for v in checks.r3_medical_fitness(PERIOD)] == [start + timedelta(days=1)]
    _assess(placement, Fitness.UNFIT, start)
    assert [v.day for v in checks.r3_medical_fitness(PERIOD)] == [start]


def test_r3_of_two_assessments_on_one_day_the_later_recorded_counts(clean):
    placement = clean()
    start = placement.start_date
    _assess(placement, Fitness.UNFIT, start)
    _assess(placement, Fitness.FIT, start)
    assert checks.r3_medical_fitness(PERIOD) == []
    _assess(placement, Fitness.UNFIT, TODAY - timedelta(days=2))
    _assess(placement, Fitness.LIMITED, TODAY - timedelta(days=2))
    assert checks.r3_medical_fitness(PERIOD) == []  # limited, not heavy work
    _assess(placement, Fitness.UNFIT, start)
    [found] = checks.r3_medical_fitness(PERIOD)
    assert (found.day, str(found.detail)) == (start, "fitness unfit, review date —.")


def test_r3_the_last_day_of_an_ended_placement(clean):
    placement = clean(placement={"end_date": TODAY - timedelta(days=5),
                                 "end_reason": EndReason.COMPLETED})
    _assess(placement, Fitness.UNFIT, TODAY - timedelta(days=5))  # the day it ended
    assert checks.r3_medical_fitness(PERIOD) == []
    _assess(placement, Fitness.FIT, TODAY - timedelta(days=6), review_date=TODAY - timedelta(
        days=7))  # made on the last day, its review date already passed
    [found] = checks.r3_medical_fitness(PERIOD)
    assert found.day == TODAY - timedelta(days=6)
    assert str(found.detail) == f"fitness fit, review date {TODAY - timedelta(days=7)}."


def test_r3_before_any_assessment_the_inmates_own_record_counts(clean):
    placement = clean(inmate={"fitness": Fitness.UNFIT})
    db.session.execute(sa.delete(MedicalAssessment).where(
        MedicalAssessment.inmate_id == placement.inmate_id))
    db.session.commit()
    _assess(placement, Fitness.FIT, placement.start_date + timedelta(days=1))
    [found] = checks.r3_medical_fitness(PERIOD)
    own_review = placement.inmate.fitness_review_date
    assert (found.day, str(found.detail)) == (placement.start_date,
                                              f"fitness unfit, review date {own_review}.")
    later = Period(placement.start_date + timedelta(days=1), TODAY)
    assert checks.r3_medical_fitness(later) == []


def test_r4_voluntary_group_needs_consent(clean):
    disabled = clean(inmate={"disability_group": 2}, placement={"weekly_hours": 30,
                                                                "monthly_wage": 70_000})
    pensioner = clean(inmate={"birth_date": date(1950, 1, 1)})
    clean(inmate={"disability_group": 3})
    assert sorted(v.placement_id for v in checks.r4_voluntary_without_consent(PERIOD)) == \
        sorted([disabled.id, pensioner.id])
    for placement in (disabled, pensioner):
        factories.consent(placement.inmate, ConsentKind.VOLUNTARY_WORK,
                          given_on=TODAY - timedelta(days=60))
    assert checks.r4_voluntary_without_consent(PERIOD) == []


def test_r4_pension_age_reached_after_the_placement_ended(clean):
    birthday = TODAY - timedelta(days=5)  # reaches 63 five days ago
    placement = clean(inmate={"birth_date": born_by(birthday, months_of("63"))},
                      placement={"end_date": TODAY - timedelta(days=8),
                                 "end_reason": EndReason.COMPLETED,
                                 "start_date": TODAY - timedelta(days=20)})
    assert checks.r4_voluntary_without_consent(PERIOD) == []
    db.session.get(Placement, placement.id).end_date = None
    db.session.get(Placement, placement.id).end_reason = None
    db.session.commit()
    assert [v.placement_id for v in checks.r4_voluntary_without_consent(PERIOD)] == \
        [placement.id]


def test_r5_private_employer_needs_consent_in_force(world, clean):
    private = factories.employer(EmployerKind.PRIVATE_COMPANY)
    person = factories.inmate(world["institution"])
    placement = factories.placement(person, factories.vacancy(private, world["institution"]))
    clean()  # the state enterprise needs no consent
    assert [v.placement_id for v in checks.r5_private_employer_without_consent(PERIOD)] == \
        [placement.id]
    consent = factories.consent(person, ConsentKind.PRIVATE_EMPLOYER,
                                given_on=TODAY - timedelta(days=60))
    assert checks.r5_private_employer_without_consent(PERIOD) == []
    consent.withdrawn_on = TODAY - timedelta(days=2)  # withdrawn, yet the placement went on
    db.session.commit()
    assert len(checks.r5_private_employer_without_consent(PERIOD)) == 1


def test_r6_juveniles_heavy_work_and_hours(clean, world):
    colony = factories.institution(world["institution"].region,
                                   kind=InstitutionKind.JUVENILE_COLONY)
    sixteen = born_by(TODAY - timedelta(days=60), months_of("16"))
    fifteen = born_by(TODAY - timedelta(days=60), months_of("15"))

    def young(birth, **fields):
        return clean(inmate={"birth_date": birth}, institution=colony, **fields)

    heavy = young(sixteen, vacancy={"heavy_or_hazardous": True},
                  placement={"weekly_hours": 30, "monthly_wage": 70_000})
    young_long = young(fifteen, placement={"weekly_hours": 30, "monthly_wage": 70_000})
    young(sixteen, placement={"weekly_hours": 36, "monthly_wage": 80_000})
    adult_colony = clean(inmate={"birth_date": sixteen},
                         placement={"weekly_hours": 20, "monthly_wage": 50_000})
    found = checks.r6_juvenile_work(PERIOD)
    assert sorted(v.placement_id for v in found) == sorted(
        [heavy.id, young_long.id, adult_colony.id])


def test_r6_counts_the_hours_of_every_placement(clean, world):
    """Two part-time jobs of a 15-year-old add up over the 24-hour limit."""
    colony = factories.institution(world["institution"].region,
                                   kind=InstitutionKind.JUVENILE_COLONY)
    fifteen = born_by(TODAY - timedelta(days=60), months_of("15"))
    first = clean(inmate={"birth_date": fifteen}, institution=colony,
                  placement={"weekly_hours": 20, "monthly_wage": 50_000, "paid": False})
    job = factories.vacancy(first.vacancy.employer, colony)
    second = factories.placement(first.inmate, job, weekly_hours=10, monthly_wage=30_000)
    found = checks.r6_juvenile_work(PERIOD)
    assert [v.placement_id for v in found] and {v.placement_id for v in found} <= {
        first.id, second.id}
    assert all("30 h" in str(v.detail) for v in found)


def test_r8_outside_only_minimum_or_eased_medium(clean):
    outside = {"site": Site.OUTSIDE}
    ordinary = clean(inmate={"regime": Regime.MEDIUM, "conditions": Conditions.ORDINARY},
                     vacancy=outside)
    maximum = clean(inmate={"regime": Regime.MAXIMUM}, vacancy=outside)
    clean(inmate={"regime": Regime.MEDIUM, "conditions": Conditions.FACILITATED},
          vacancy=outside)
    clean(inmate={"regime": Regime.MINIMUM}, vacancy=outside)
    clean(inmate={"regime": Regime.MAXIMUM})  # inside the perimeter
    assert sorted(v.placement_id for v in checks.r8_outside_perimeter(PERIOD)) == \
        sorted([ordinary.id, maximum.id])


def test_r9_hours_over_the_limit_flag_the_placement_that_went_over(world, clean,
                                                                   state_employer):
    first = clean()
    second = factories.placement(
        first.inmate, factories.vacancy(state_employer, world["institution"]),
        weekly_hours=10, monthly_wage=30_000, start_date=TODAY - timedelta(days=5))
    disabled = clean(inmate={"disability_group": 1},
                     placement={"weekly_hours": 38, "monthly_wage": 85_000})
    for group in (3, None):  # the adults' limit
        clean(inmate={"disability_group": group},
              placement={"weekly_hours": 38, "monthly_wage": 85_000})
    found = checks.r9_hours_over_limit(PERIOD)
    assert sorted(v.placement_id for v in found) == sorted([second.id, disabled.id])
    assert {v.day for v in found if v.placement_id == second.id} == {second.start_date}


def test_r9_consecutive_placements_do_not_add_up(world, clean, state_employer):
    first = clean(placement={"start_date": TODAY - timedelta(days=20),
                             "end_date": TODAY - timedelta(days=10),
                             "end_reason": EndReason.COMPLETED})
    factories.placement(first.inmate, factories.vacancy(state_employer, world["institution"]),
                        start_date=TODAY - timedelta(days=10))
    assert checks.r9_hours_over_limit(PERIOD) == []


def test_r10_pay_under_the_pro_rata_minimum(clean):
    under = clean(placement={"monthly_wage": 84_999})
    clean(placement={"weekly_hours": 20, "monthly_wage": 42_500})  # exactly pro rata
    under_part_time = clean(placement={"weekly_hours": 20, "monthly_wage": 42_499})
    assert sorted(v.placement_id for v in checks.r10_pay_under_minimum(PERIOD)) == \
        sorted([under.id, under_part_time.id])


def test_r10_uses_each_years_minimum(clean):
    from app.settings.operations import default_settings

    settings = default_settings(TODAY.year)
    settings.min_monthly_wage = 100_000
    db.session.add(settings)
    db.session.commit()
    placement = clean(placement={"start_date": date(TODAY.year - 1, 12, 1)})
    last_year = Period(date(TODAY.year - 1, 12, 1), date(TODAY.year - 1, 12, 31))
    assert checks.r10_pay_under_minimum(last_year) == []
    this_year = Period(date(TODAY.year, 1, 1), TODAY)
    assert [v.placement_id for v in checks.r10_pay_under_minimum(this_year)] == [placement.id]


def test_r11_more_active_placements_than_positions(world, clean):
    first = clean(vacancy={"positions": 1})
    second = factories.placement(factories.inmate(world["institution"]), first.vacancy,
                                 start_date=TODAY - timedelta(days=4))
    found = checks.r11_positions_exceeded(PERIOD)
    assert [(v.placement_id, v.day) for v in found] == [(second.id, second.start_date)]


def test_r11_a_replacement_after_the_end_is_fine(world, clean):
    first = clean(vacancy={"positions": 1},
                  placement={"end_date": TODAY - timedelta(days=5),
                             "end_reason": EndReason.DISMISSED})
    factories.placement(factories.inmate(world["institution"]), first.vacancy,
                        start_date=TODAY - timedelta(days=5))
    assert checks.r11_positions_exceeded(PERIOD) == []


def _separate(a, b, created_on=TODAY - timedelta(days=100)):
    low, high = sorted([a.inmate_id, b.inmate_id])
    db.session.add(SeparationLink(inmate_a_id=low, inmate_b_id=high, created_on=created_on))
    db.session.commit()


def test_r14_separated_inmates_same_site_and_shift(clean):
    a, b = clean(), clean()
    c = clean(vacancy={"shift": Shift.NIGHT})
    _separate(a, b)
    _separate(a, c)
    found = checks.r14_separation_broken(PERIOD)
    assert len(found) == 1
    assert {found[0].placement_id, found[0].other_placement_id} == {a.id, b.id}


def test_r14_not_before_the_link_nor_without_overlap(clean):
    a = clean(placement={"end_date": TODAY - timedelta(days=15),
                         "end_reason": EndReason.COMPLETED,
                         "start_date": TODAY - timedelta(days=25)})
    b = clean(placement={"start_date": TODAY - timedelta(days=15)})
    _separate(a, b)
    assert checks.r14_separation_broken(PERIOD) == []
    c = clean()
    _separate(b, c, created_on=TODAY)
    assert [v.day for v in checks.r14_separation_broken(PERIOD)] == [TODAY]


def test_placements_outside_the_period_are_ignored(clean):
    clean(inmate={"fitness": Fitness.UNFIT},
          placement={"start_date": TODAY - timedelta(days=90),
                     "end_date": TODAY - timedelta(days=60), "end_reason": EndReason.HEALTH})
    assert find_violations(PERIOD, sa.true()) == []


def test_demo_rows_show_one_violation_of_each_kind(world):
    seed_demo_violations(world["institution"])
    seed_demo_violations(world["institution"])  # idempotent
    db.session.commit()
    found = find_violations(PERIOD, sa.true())
    assert sorted((v.rule for v in found), key=lambda r: int(r[1:])) == list(CHECKS)


def test_demo_violations_page_lists_every_rule(world, prosecutor_client):
    seed_demo_violations(world["institution"])
    db.session.commit()
    page = prosecutor_client.get("/monitoring/violations")
    assert page.status_code == 200
    for rule in CHECKS:
        assert f">{rule}</span>".encode() in page.data, rule
    assert b"heavy or hazardous work" in page.data  # R6's detail, translated when shown
