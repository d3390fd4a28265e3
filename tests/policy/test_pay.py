"""policy/pay.py without the app: pay from hours, R10 on the real month, and the
deductions' invariants under hypothesis (caps never exceeded, the protected share
always left, writs never overpaid, the ledger always balances)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from policy import pay as law

KINDS = ("alimony", "civil_claim", "other_writ")


def test_working_days_and_months():
    assert law.working_days(date(2026, 2, 1)) == 20
    assert law.working_days(date(2026, 11, 1)) == 21
    assert law.next_month(date(2026, 12, 1)) == date(2027, 1, 1)
    assert law.previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
    assert law.timesheet_due(date(2026, 10, 1)) == date(2026, 11, 10)


def test_full_month_pays_the_wage_and_pro_rata_below():
    month = date(2026, 2, 1)  # 20 working days
    assert law.time_pay(170_000, 40, Decimal(160), month) == 170_000
    assert law.time_pay(170_000, 40, Decimal(80), month) == 85_000
    assert law.time_pay(90_000, 20, Decimal(80), month) == 90_000  # half time, full schedule
    assert law.time_pay(100_000, 40, Decimal("0.25"), month) == 157  # rounded up


def test_r10_minimum_for_hours_worked():
    month = date(2026, 2, 1)
    assert law.minimum_for_hours(85_000, 40, Decimal(160), month) == 85_000
    assert law.minimum_for_hours(85_000, 40, Decimal(80), month) == 42_500
    assert law.minimum_for_hours(85_000, 40, Decimal(0), month) == 0


def test_r10_minimum_never_counts_hours_above_full_time():
    """R10: hours are never counted above full time, so the minimum for a month of
    more hours than full time is the full-time minimum itself."""
    september = date(2026, 9, 1)  # 22 working days: 176 h full time
    assert law.full_time_hours(40, september) == 176
    assert law.minimum_for_hours(85_000, 40, Decimal("183.5"), september) == 85_000
    assert law.minimum_for_hours(85_000, 40, Decimal(176), september) == 85_000
    assert law.minimum_for_hours(85_000, 40, Decimal("175.75"), september) == 84_880
    assert law.full_time_hours(36, september) == Decimal("158.4")


@given(wage=st.integers(1, 10_000_000), weekly=st.integers(1, 40),
       quarters=st.integers(0, 4 * 300), month=st.sampled_from(
           [date(2026, m, 1) for m in range(1, 13)]))
def test_a_wage_legal_pro_rata_is_legal_on_the_real_month(wage, weekly, quarters, month):
    """R10 once: a wage at least the minimum pro rata for its weekly hours is
    never under the minimum for the hours really worked."""
    minimum_wage = 85_000
    wage = max(wage, -(-minimum_wage * weekly // 40))
    hours = Decimal(quarters) / 4
    assert law.time_pay(wage, weekly, hours, month) >= law.minimum_for_hours(
        minimum_wage, 40, hours, month)


@given(weekly=st.integers(1, 40), quarters=st.integers(0, 4 * 400), more=st.integers(0, 400),
       month=st.sampled_from([date(2026, m, 1) for m in range(1, 13)]))
def test_r10_minimum_counts_hours_only_up_to_full_time(weekly, quarters, more, month):
    """R10 once: the minimum grows with the hours up to full time and stays the
    full-time minimum above it, never more."""
    hours, full_time = Decimal(quarters) / 4, law.full_time_hours(weekly, month)
    minimum = law.minimum_for_hours(85_000, weekly, hours, month)
    assert minimum <= 85_000
    assert law.minimum_for_hours(85_000, weekly, hours + Decimal(more) / 4, month) >= minimum
    assert (minimum == 85_000) == (hours >= full_time)
    assert minimum == law.minimum_for_hours(85_000, weekly, min(hours, full_time), month)


@given(month=st.sampled_from([date(y, m, 1) for y in (2026, 2027, 2028) for m in range(1, 13)]),
       offset=st.integers(-40, 40))
def test_days_come_are_the_days_up_to_today(month, offset):
    today = month + timedelta(days=offset)
    come = law.days_come(month, today)
    assert [day for day in law.month_days(month) if day <= today] == \
        law.month_days(month)[:come]


def test_day_problems():
    assert law.day_problem(Decimal(8), None) is None
    assert law.day_problem(Decimal(0), "sick") is None
    assert law.day_problem(Decimal(25), None) == "hours"
    assert law.day_problem(Decimal("7.1"), None) == "step"
    assert law.day_problem(Decimal(4), "refused") == "both"
    assert law.day_problem(Decimal(0), "holiday") == "absence"


def test_weeks_over_limit_across_months():
    days = {date(2026, 3, 30) + timedelta(days=n): Decimal(9)
            for n in range(5)}  # Mon 30 March to Fri 3 April: 45 h in one week
    assert law.weeks_over_limit(days, 40) == [(date(2026, 3, 30), Decimal(45))]
    assert law.weeks_over_limit(days, 45) == []


LAW = law.PayLaw((law.DeductionRule("income_tax", law.RATE, 1000),
                  law.DeductionRule("alimony", law.CLAIMS, 5000),
                  law.DeductionRule("civil_claim", law.CLAIMS, 5000)), 2500)


def test_deductions_in_order_until_the_protected_share():
    debts = [law.Debt(1, "civil_claim", 1_000_000), law.Debt(2, "alimony", 1_000_000)]
    taken = law.deductions(100_000, LAW, debts)
    assert [(d.kind, d.amount, d.claim_id) for d in taken] == [
        ("income_tax", 10_000, None), ("alimony", 50_000, 2), ("civil_claim", 15_000, 1)]
    assert law.deduction_problems(100_000, LAW, taken) == []


def test_a_writ_is_never_overpaid_and_the_next_one_takes_the_rest():
    debts = [law.Debt(1, "civil_claim", 3_000), law.Debt(2, "civil_claim", 100_000)]
    taken = law.deductions(100_000, LAW, debts)
    assert [(d.claim_id, d.amount) for d in taken if d.claim_id] == [(1, 3_000), (2, 47_000)]


def test_problems_of_stored_deductions():
    lines = [law.Deduction("income_tax", 10_000), law.Deduction("alimony", 60_000)]
    assert law.deduction_problems(100_000, LAW, lines) == ["above_cap:alimony"]
    lines = [law.Deduction("income_tax", 10_000), law.Deduction("alimony", 50_000),
             law.Deduction("civil_claim", 20_000)]
    assert law.deduction_problems(100_000, LAW, lines) == ["below_protected"]


rules = st.lists(st.tuples(st.sampled_from(("income_tax", *KINDS)), st.integers(0, 10_000)),
                 max_size=4, unique_by=lambda r: r[0])
debts = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 2_000_000)), max_size=6)


@settings(max_examples=300)
@given(gross=st.integers(0, 5_000_000), rule_list=rules, debt_list=debts,
       protected=st.integers(0, 10_000))
def test_deductions_never_exceed_caps_and_always_leave_the_protected_share(
        gross, rule_list, debt_list, protected):
    pay_law = law.PayLaw(tuple(law.DeductionRule(kind, law.RATE if kind == "income_tax"
                                                 else law.CLAIMS, bp)
                               for kind, bp in rule_list), protected)
    owed = [law.Debt(n, kind, amount) for n, (kind, amount) in enumerate(debt_list, start=1)]
    taken = law.deductions(gross, pay_law, owed)
    assert law.deduction_problems(gross, pay_law, taken) == []
    assert all(d.amount > 0 for d in taken)
    net = gross - sum(d.amount for d in taken)
    assert net >= law.protected_amount(gross, protected)
    for debt in owed:
        assert sum(d.amount for d in taken if d.claim_id == debt.claim_id) <= debt.outstanding
    # The ledger of the month balances: the gross credited less the deductions is the net.
    assert law.running_balances([gross, *(-d.amount for d in taken)])[-1] == net


@given(st.lists(st.integers(-1_000_000, 1_000_000), max_size=50))
def test_running_balance_is_the_sum(amounts):
    balances = law.running_balances(amounts)
    assert balances == [sum(amounts[:n + 1]) for n in range(len(amounts))]


def _end_of_day_balances(entries, since):
    days = sorted({day for day, _amount in entries} | {since})
    return [sum(amount for day, amount in entries if day <= end) for end in days if end >= since]


@settings(max_examples=300)
@given(entries=st.lists(st.tuples(st.integers(0, 30), st.integers(-50_000, 100_000)),
                        max_size=12),
       on=st.integers(0, 30))
def test_what_is_spendable_leaves_no_day_below_zero_and_not_a_tenge_more(entries, on):
    """R26 by date: the most a debit dated ``on`` may take keeps every end of day
    from then on at zero or above, and one tenge more would not."""
    start = date(2026, 11, 1)
    dated = [(start + timedelta(days=day), amount) for day, amount in entries]
    day = start + timedelta(days=on)
    spendable = law.spendable_on(dated, day)
    assert spendable == min(_end_of_day_balances(dated, day))
    if spendable >= 0:
        assert min(_end_of_day_balances([*dated, (day, -spendable)], day)) == 0
        assert min(_end_of_day_balances([*dated, (day, -spendable - 1)], day)) < 0
