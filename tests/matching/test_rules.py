"""Every rule R1-R13, named after it, with its edge cases (one inmate x one vacancy)."""

import dataclasses
import datetime as dt

import numpy as np
import pytest

from matching.problem import Inmate, Settings, Vacancy
from matching.rules import (
    PAIR_RULES,
    build_frame,
    check_pair,
    evaluate,
    r1_able_to_work,
    r4_voluntary_consent,
)

AS_OF = dt.date(2025, 3, 1)
S = Settings()


def inmate(**kw):
    base = dict(
        id="i1",
        birth_date=dt.date(1990, 1, 1),
        sex="male",
        legal_status="convicted",
        regime="minimum",
        conditions="ordinary",
        release_date=dt.date(2030, 1, 1),
        fitness="fit",
        fitness_review_date=dt.date(2026, 1, 1),
        consents=frozenset({"private_employer", "voluntary_work"}),
    )
    base.update(kw)
    return Inmate(**base)


def vacancy(**kw):
    base = dict(
        id="v1",
        employer_kind="state_enterprise",
        trade_code="7212",
        site="inside",
        free_positions=2,
        weekly_hours=40,
        start_date=AS_OF,
        monthly_wage=85_000,
    )
    base.update(kw)
    return Vacancy(**base)


def rules_failed(i=None, v=None, settings=S, juvenile_inst=False):
    return {
        x.rule for x in check_pair(i or inmate(), v or vacancy(), settings, AS_OF, juvenile_inst)
    }


def test_baseline_pair_is_allowed():
    assert rules_failed() == set()


def test_r2_convicted_only():
    assert rules_failed(inmate(legal_status="remand")) == {"R2"}
    assert rules_failed(inmate(legal_status="remand", personal_request_for_work=True)) == {"R2"}


@pytest.mark.parametrize(
    "fitness, heavy, review, barred",
    [
        ("fit", True, dt.date(2026, 1, 1), False),
        ("limited", False, dt.date(2026, 1, 1), False),
        ("limited", True, dt.date(2026, 1, 1), True),
        ("unfit", False, dt.date(2026, 1, 1), True),
        ("fit", False, AS_OF, False),  # review date today: still valid
        ("fit", False, AS_OF - dt.timedelta(days=1), True),  # expired yesterday
        ("fit", False, None, False),  # no review date recorded: no expiry
    ],
)
def test_r3_medical_fitness(fitness, heavy, review, barred):
    got = rules_failed(
        inmate(fitness=fitness, fitness_review_date=review), vacancy(heavy_or_hazardous=heavy)
    )
    assert ("R3" in got) == barred


def _birth_for_age(years, as_of=AS_OF, days=0):
    return dt.date(as_of.year - years, as_of.month, as_of.day) + dt.timedelta(days=days)


@pytest.mark.parametrize(
    "sex, birth, barred",
    [
        ("male", _birth_for_age(63), True),  # 63rd birthday today: pension age
        ("male", _birth_for_age(63, days=1), False),  # tomorrow
        ("female", _birth_for_age(61), True),
        ("female", _birth_for_age(61, days=1), False),
    ],
)
def test_r4_voluntary_consent_pension_age_exact(sex, birth, barred):
    i = inmate(sex=sex, birth_date=birth, consents=frozenset({"private_employer"}))
    assert ("R4" in rules_failed(i)) == barred
    with_consent = dataclasses.replace(i, consents=frozenset({"voluntary_work"}))
    assert "R4" not in rules_failed(with_consent)


def test_r4_fractional_pension_age_setting():
    s = dataclasses.replace(S, pension_age_women=61.5)
    born = dt.date(1963, 9, 1)  # 61 years 6 months on 2025-03-01
    i = inmate(sex="female", birth_date=born, consents=frozenset())
    assert "R4" in rules_failed(i, settings=s)
    i2 = dataclasses.replace(i, birth_date=dt.date(1963, 9, 2))
    assert "R4" not in rules_failed(i2, settings=s)


@pytest.mark.parametrize("group, barred", [(None, False), (1, True), (2, True), (3, False)])
def test_r4_disability_groups(group, barred):
    i = inmate(disability_group=group, consents=frozenset())
    assert ("R4" in rules_failed(i, vacancy(weekly_hours=30))) == barred


def test_r4_pregnant():
    i = inmate(sex="female", pregnant=True, consents=frozenset())
    assert "R4" in rules_failed(i)
    assert "R4" not in rules_failed(dataclasses.replace(i, consents=frozenset({"voluntary_work"})))


@pytest.mark.parametrize(
    "kind, consent, barred",
    [
        ("private_company", False, True),
        ("sole_trader", False, True),
        ("private_company", True, False),
        ("state_enterprise", False, False),
        ("institution", False, False),
    ],
)
def test_r5_private_employer_consent(kind, consent, barred):
    i = inmate(consents=frozenset({"private_employer"} if consent else set()))
    assert ("R5" in rules_failed(i, vacancy(employer_kind=kind))) == barred


def test_r6_juveniles_institution_and_adult_threshold():
    seventeen = inmate(birth_date=_birth_for_age(18, days=1))  # 18 tomorrow
    eighteen = inmate(birth_date=_birth_for_age(18))  # 18 today: adult
    v = vacancy(weekly_hours=30)
    assert "R6" in rules_failed(seventeen, v, juvenile_inst=False)
    assert "R6" not in rules_failed(seventeen, v, juvenile_inst=True)
    assert "R6" not in rules_failed(eighteen, v, juvenile_inst=False)


def test_r6_juveniles_heavy_and_hours():
    j16 = inmate(birth_date=_birth_for_age(16))  # 16 today
    j15 = inmate(birth_date=_birth_for_age(16, days=1))  # 16 tomorrow
    j13 = inmate(birth_date=_birth_for_age(14, days=1))
    assert "R6" in rules_failed(
        j16, vacancy(weekly_hours=20, heavy_or_hazardous=True), juvenile_inst=True
    )
    assert "R6" not in rules_failed(j16, vacancy(weekly_hours=36), juvenile_inst=True)
    assert "R6" in rules_failed(j16, vacancy(weekly_hours=37), juvenile_inst=True)
    assert "R6" not in rules_failed(j15, vacancy(weekly_hours=24), juvenile_inst=True)
    assert "R6" in rules_failed(j15, vacancy(weekly_hours=25), juvenile_inst=True)
    assert "R6" in rules_failed(j13, vacancy(weekly_hours=4), juvenile_inst=True)
    # hours already worked count
    assert "R6" in rules_failed(
        dataclasses.replace(j16, current_weekly_hours=20),
        vacancy(weekly_hours=20),
        juvenile_inst=True,
    )


def test_r7_sex_restriction():
    assert "R7" in rules_failed(inmate(sex="female"), vacancy(women_barred=True))
    assert "R7" not in rules_failed(inmate(sex="male"), vacancy(women_barred=True))
    assert "R7" not in rules_failed(inmate(sex="female"), vacancy(women_barred=False))


@pytest.mark.parametrize(
    "regime, conditions, barred",
    [
        ("minimum", "strict", False),
        ("minimum", "ordinary", False),
        ("medium", "facilitated", False),
        ("medium", "preferential", False),
        ("medium", "ordinary", True),
        ("medium", "strict", True),
        ("maximum", "preferential", True),
        ("extraordinary", "facilitated", True),
    ],
)
def test_r8_outside_perimeter(regime, conditions, barred):
    i = inmate(regime=regime, conditions=conditions)
    assert ("R8" in rules_failed(i, vacancy(site="outside"))) == barred
    assert "R8" not in rules_failed(i, vacancy(site="inside"))


def test_r8_maximum_never_outside_even_if_configured():
    every = frozenset({"strict", "ordinary", "facilitated", "preferential"})
    s = dataclasses.replace(S, outside_medium_conditions=every)
    assert "R8" not in rules_failed(inmate(regime="medium", conditions="strict"),
                                    vacancy(site="outside"), settings=s)
    for regime in ("maximum", "extraordinary"):
        for conditions in every:
            assert "R8" in rules_failed(inmate(regime=regime, conditions=conditions),
                                        vacancy(site="outside"), settings=s)


def test_r9_hours():
    assert "R9" not in rules_failed(inmate(current_weekly_hours=0), vacancy(weekly_hours=40))
    assert "R9" in rules_failed(inmate(current_weekly_hours=1), vacancy(weekly_hours=40))
    assert "R9" not in rules_failed(inmate(current_weekly_hours=10), vacancy(weekly_hours=30))
    disabled = inmate(disability_group=2)
    assert "R9" not in rules_failed(disabled, vacancy(weekly_hours=36))
    assert "R9" in rules_failed(disabled, vacancy(weekly_hours=37))
    assert "R9" not in rules_failed(inmate(disability_group=3), vacancy(weekly_hours=40))
    assert "R9" in rules_failed(inmate(employed=True), vacancy(weekly_hours=10))
    s = dataclasses.replace(S, one_paid_placement=False)
    assert "R9" not in rules_failed(inmate(employed=True), vacancy(weekly_hours=0), settings=s)


def test_r10_minimum_wage_pro_rata():
    assert "R10" not in rules_failed(v=vacancy(monthly_wage=85_000, weekly_hours=40))
    assert "R10" in rules_failed(v=vacancy(monthly_wage=84_999, weekly_hours=40))
    assert "R10" not in rules_failed(v=vacancy(monthly_wage=42_500, weekly_hours=20))
    assert "R10" in rules_failed(v=vacancy(monthly_wage=42_499, weekly_hours=20))


def test_r11_capacity():
    assert "R11" in rules_failed(v=vacancy(free_positions=0))
    assert "R11" not in rules_failed(v=vacancy(free_positions=1))
    assert "R11" in rules_failed(v=vacancy(end_date=AS_OF - dt.timedelta(days=1)))
    assert "R11" not in rules_failed(v=vacancy(end_date=AS_OF))


def test_r12_qualification():
    v = vacancy(required_skills=frozenset({"weld"}), required_certificates=frozenset({"c1"}))
    assert "R12" in rules_failed(inmate(skills={"weld": 1}), v)  # certificate missing
    assert "R12" not in rules_failed(inmate(skills={"weld": 1}, certificates=frozenset({"c1"})), v)
    no_skill = inmate(certificates=frozenset({"c1"}))
    assert "R12" in rules_failed(no_skill, v)
    assert "R12" not in rules_failed(no_skill, dataclasses.replace(v, trainable_on_job=True))
    # trainable on the job never waives a certificate
    assert "R12" in rules_failed(
        inmate(), vacancy(required_certificates=frozenset({"c1"}), trainable_on_job=True)
    )


def test_r13_release_date():
    v = vacancy(start_date=dt.date(2025, 6, 1))
    assert "R13" not in rules_failed(inmate(release_date=dt.date(2025, 6, 1)), v)  # equal
    assert "R13" in rules_failed(inmate(release_date=dt.date(2025, 5, 31)), v)
    assert "R13" not in rules_failed(inmate(release_date=None), v)
    # a vacancy that started in the past starts today for this inmate
    past = vacancy(start_date=dt.date(2024, 1, 1))
    assert "R13" not in rules_failed(inmate(release_date=AS_OF), past)
    assert "R13" in rules_failed(inmate(release_date=AS_OF - dt.timedelta(days=1)), past)


def test_r1_able_to_work():
    people = [
        inmate(id="a"),
        inmate(id="b", legal_status="remand"),
        inmate(id="c", fitness="unfit"),
        inmate(id="d", fitness="limited"),
        inmate(id="e", fitness_review_date=AS_OF - dt.timedelta(days=1)),
        inmate(id="f", disability_group=1, consents=frozenset()),
        inmate(id="g", disability_group=1, consents=frozenset({"voluntary_work"})),
    ]
    f = build_frame(people, [vacancy()], S, AS_OF)
    # a lapsed review (e) still counts: R3 bars new placements, R1 does not drop anyone
    assert r1_able_to_work(f).tolist() == [True, False, False, True, True, False, True]


def test_vectorised_matrix_equals_pair_checks():
    """The (n x m) matrices agree with check_pair on every pair of a varied population."""
    from matching.synthetic import problem

    p = problem(60, 25, n_courses=0, seed=5)
    f = build_frame(p.inmates, p.vacancies, p.settings, p.as_of)
    allowed, results = evaluate(f)
    assert len(results) == len(PAIR_RULES) == 14
    for i, inm in enumerate(p.inmates):
        for j, vac in enumerate(p.vacancies):
            got = {v.rule for v in check_pair(inm, vac, p.settings, p.as_of)}
            want = {r.rule for r in results if not r.allowed[i, j]}
            assert got == want
            assert bool(allowed[i, j]) == (not got)
    assert allowed.dtype == np.bool_ and allowed.shape == (60, 25)


@pytest.mark.parametrize(
    ("as_of", "barred"),
    [
        (dt.date(2028, 5, 31), False),  # 60 years 11 months
        (dt.date(2028, 6, 1), False),  # 61 years: under 2028's age of 61.5
        (dt.date(2028, 12, 1), True),  # 61.5 years: reached
        (dt.date(2029, 6, 1), True),  # 62 years: 2029's age
        (dt.date(2028, 11, 30), False),  # 61 years 5 months
    ],
)
def test_r4_default_women_pension_age_follows_the_year(as_of, barred):
    """Without settings the engine uses the Social Code's schedule of the day's year."""
    woman = inmate(sex="female", birth_date=dt.date(1967, 6, 1), consents=frozenset())
    f = build_frame([woman], [vacancy()], Settings(), as_of)
    assert bool(r4_voluntary_consent(f).allowed[0, 0]) is not barred


def test_r4_age_reached_on_the_last_day_of_a_shorter_month():
    """Born on 29 February: 63 years are reached on 28 February of a common year."""
    man = inmate(sex="male", birth_date=dt.date(1964, 2, 29), consents=frozenset())
    on = build_frame([man], [vacancy()], Settings(), dt.date(2027, 2, 28))
    before = build_frame([man], [vacancy()], Settings(), dt.date(2027, 2, 27))
    assert not bool(r4_voluntary_consent(on).allowed[0, 0])
    assert bool(r4_voluntary_consent(before).allowed[0, 0])
