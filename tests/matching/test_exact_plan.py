"""The exact shortfall plan: fewest workshops, then positions; never larger than the
greedy plan, equal to brute force over every set of trades on small institutions."""

import dataclasses
import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix

from matching import Problem, Settings
from matching.exact_plan import _undominated, exact_shortfall
from matching.planner import Workshop, close_shortfall
from matching.synthetic import TRADES, problem
from tests.matching.test_planner import _placed_with
from tests.matching.test_rules import AS_OF, inmate

TEMPLATE = Workshop("", 0)


def _six():
    """Skills AB, AB, AC, AC, B, C; no vacancy; a target of 100%."""
    skills = ["AB", "AB", "AC", "AC", "B", "C"]
    people = [inmate(id=f"p{k}", skills={t: 2 for t in s}) for k, s in enumerate(skills)]
    return Problem(AS_OF, "AK-1", people, [], settings=Settings(target_rate=1))


def test_smallest_case_greedy_opens_three_exact_two():
    prob = _six()
    greedy = close_shortfall(prob, "ABC", TEMPLATE)
    assert [(s.trade_code, s.positions) for s in greedy.steps] == [("A", 4), ("B", 1), ("C", 1)]
    exact = exact_shortfall(prob, "ABC", TEMPLATE)
    assert sorted((s.trade_code, s.positions) for s in exact.plan.steps) == [("B", 3), ("C", 3)]
    assert exact.proven_optimal and exact.workshops_lower_bound == 2
    assert exact.plan.shortfall_left == 0 and exact.plan.positions_total == 6
    d = exact.to_dict()
    assert d["workshops"] == 2 and d["proven_optimal"] is True and d["seconds"] >= 0


def _brute(prob, trades):
    """Fewest trades whose workshops (room for everyone) reach what all trades reach."""
    def reach(chosen):
        return _placed_with(prob, [dataclasses.replace(TEMPLATE, trade_code=t, positions=10_000)
                                   for t in chosen])
    plan = close_shortfall(prob, trades, TEMPLATE)
    goal = plan.placed_now + plan.positions_total  # the greedy reaches what all can
    assert reach(trades) == goal or plan.shortfall_left == 0
    for size in range(len(trades) + 1):
        for chosen in itertools.combinations(trades, size):
            if reach(chosen) >= goal:
                return size
    raise AssertionError("unreachable")


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(8, 40), st.integers(0, 3))
def test_equals_brute_force_on_small_institutions(seed, n, m):
    prob = problem(n, m, 0, seed=seed)
    prob = dataclasses.replace(prob, settings=dataclasses.replace(prob.settings, target_rate=1))
    trades = TRADES[:6]
    greedy = close_shortfall(prob, trades, TEMPLATE)
    exact = exact_shortfall(prob, trades, TEMPLATE)
    assert exact.proven_optimal
    assert len(exact.plan.steps) == _brute(prob, trades)
    assert len(exact.plan.steps) <= len({s.trade_code for s in greedy.steps})
    # the same people employed, with the same positions (fewest: exactly the shortfall)
    assert exact.plan.positions_total == greedy.positions_total
    assert exact.plan.shortfall_left == greedy.shortfall_left
    opened = [dataclasses.replace(TEMPLATE, trade_code=s.trade_code, positions=s.positions)
              for s in exact.plan.steps]
    assert _placed_with(prob, opened) == exact.plan.placed_now + exact.plan.positions_total


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10_000))
def test_never_larger_than_greedy_on_institutions(seed):
    """Proven or not (a time budget of 2 s), never more workshops than the greedy plan,
    the same positions, and the lower bound proven is below what is returned."""
    prob = problem(400, 30, 0, seed=seed)
    greedy = close_shortfall(prob, TRADES[:15], TEMPLATE)
    exact = exact_shortfall(prob, TRADES[:15], TEMPLATE, greedy=greedy, time_limit=2)
    assert len(exact.plan.steps) <= len({s.trade_code for s in greedy.steps})
    assert exact.plan.positions_total == greedy.positions_total
    assert exact.plan.shortfall_left == greedy.shortfall_left
    assert exact.workshops_lower_bound <= len(exact.plan.steps)
    assert exact.proven_optimal == (exact.workshops_lower_bound == len(exact.plan.steps))


def test_out_of_time_keeps_the_greedy_plan_and_says_so():
    prob = _six()
    exact = exact_shortfall(prob, "ABC", TEMPLATE, time_limit=0)
    assert not exact.proven_optimal
    assert len(exact.plan.steps) == 3 and exact.workshops_lower_bound == 1


def test_greedy_gains_reused_give_the_same_plan_as_measured_again():
    """Without a greedy plan given, the exact plan runs the greedy itself and reuses the
    gains of its first step (no max flow repeated): the same answer as measuring them."""
    prob = problem(300, 20, 0, seed=3)
    trades = TRADES[:12]
    greedy = close_shortfall(prob, trades, TEMPLATE)
    reused = exact_shortfall(prob, trades, TEMPLATE)
    measured = exact_shortfall(prob, trades, TEMPLATE, greedy=greedy)
    assert reused.greedy == greedy
    assert reused.proven_optimal and measured.proven_optimal
    assert len(reused.plan.steps) == len(measured.plan.steps)
    assert reused.plan.positions_total == measured.plan.positions_total


def test_a_trade_inside_another_is_left_out_of_the_model():
    """Rows: trades, columns: candidates. A's candidates lie inside B's, C and D have the
    same ones (the first is kept), E has none: only B and C can be needed."""
    sets = csr_matrix(np.array([[1, 1, 0, 0],
                                [1, 1, 1, 0],
                                [0, 0, 1, 1],
                                [0, 0, 1, 1],
                                [0, 0, 0, 0]], dtype=float))
    assert _undominated(sets).tolist() == [False, True, True, False, False]


def test_a_2000_inmate_institution_proven_where_coverage_decides():
    """Seed 4: no six trades cover enough of the candidates some maximum placement leaves
    out, so the greedy plan's seven workshops are minimal; the cut of those candidates
    proves it at once (the loop over the whole candidate set did not within 20 s)."""
    prob = problem(2000, 150, 0, seed=4)
    exact = exact_shortfall(prob, TRADES, Workshop("T00", 0), time_limit=30)
    assert exact.proven_optimal and len(exact.plan.steps) == 7
    assert exact.cuts == 0


def test_tight_vacancies_in_the_model_prove_many_small_workshops():
    """400 inmates, 30 vacancies, 35 trades, seed 0: the greedy plan's ten workshops are
    minimal. The master without the tight vacancies' placement kept proposing nine that
    emptied them (lower bound 9 after 10 s); with it, after the first (light) round's
    two cuts, the model is infeasible."""
    prob = problem(400, 30, 0, seed=0)
    exact = exact_shortfall(prob, TRADES, Workshop("T00", 0), time_limit=30)
    assert exact.proven_optimal and len(exact.plan.steps) == 10
    assert exact.cuts == 2
