"""R14 when the branch-and-bound runs out of its node budget: the answer stays feasible
(a true lower bound, maximal), says it is not proven optimal, and the explanation never
blames R14 where no partner is placed."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import Problem, Settings, match, separation
from matching.explain import instance_of, prepare
from matching.problem import Instance
from matching.separation import conflicts, partners_by_group, solve_milp, solve_separated
from matching.solver import check_feasible
from matching.synthetic import problem
from tests.matching.test_domain import _brute_separated, sep_instances
from tests.matching.test_rules import AS_OF, inmate, vacancy


def dense_instances():
    return sep_instances(n_min=3, n_max=8, min_pairs=2, max_pairs=10, dense=True)


def _maximal(sol, groups, pairs):
    """No unplaced candidate has an edge to a position with room in a group free of its
    placed partners."""
    inst = sol.instance
    pos = sol.position_of()
    room = inst.capacity - np.bincount(inst.edge_pos[sol.chosen], minlength=inst.n_positions)
    near = partners_by_group(pos, groups, pairs)
    for c, p in zip(inst.edge_cand.tolist(), inst.edge_pos.tolist(), strict=True):
        if pos[c] < 0 and room[p] > 0 and groups[p] not in near.get(c, set()):
            return False
    return True


@settings(max_examples=300, deadline=None)
@given(dense_instances(), st.integers(1, 6))
def test_out_of_budget_answer_is_feasible_maximal_and_flagged(case, budget):
    inst, groups, pairs = case
    pr = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    sol, info = solve_separated(inst, groups, pairs, max_nodes=budget, seconds=None)
    check_feasible(inst, sol.chosen)
    assert conflicts(sol, groups, pr) == []
    assert (sol.placed, sol.score) == (info.placed, info.score)
    assert sol.score == int(inst.edge_score[sol.chosen].sum())
    best = _brute_separated(inst, groups, pairs)
    assert (sol.placed, sol.score) <= best
    if info.exact:
        assert (sol.placed, sol.score) == best
    assert _maximal(sol, groups, pr)
    assert info.nodes <= max(budget, 1)
    assert (info.upper_placed, info.upper_score) >= best  # the bound proven is true


@settings(max_examples=150, deadline=None)
@given(dense_instances())
def test_enough_budget_is_exact_on_dense_links(case):
    inst, groups, pairs = case
    sol, info = solve_separated(inst, groups, pairs, max_nodes=10_000)
    assert info.exact
    assert (sol.placed, sol.score) == _brute_separated(inst, groups, pairs)


@settings(max_examples=150, deadline=None)
@given(dense_instances(), st.integers(1, 3))
def test_the_mixed_integer_model_proves_every_small_dense_case(case, budget):
    """Out of branch-and-bound budget, the model takes over: always proven optimal."""
    inst, groups, pairs = case
    sol, info = solve_separated(inst, groups, pairs, max_nodes=budget, seconds=30)
    check_feasible(inst, sol.chosen)
    assert conflicts(sol, groups, np.array(pairs, dtype=np.int64).reshape(-1, 2)) == []
    assert info.exact
    assert (sol.placed, sol.score) == _brute_separated(inst, groups, pairs)
    assert (info.upper_placed, info.upper_score) == (sol.placed, sol.score)


def _adversarial(seed, n=36, m=8, pairs=60):
    """Dense workplaces (two groups for eight vacancies), many flagged pairs, everyone
    eligible for half the vacancies: where the branch-and-bound struggles."""
    rng = np.random.default_rng(seed)
    ec = np.repeat(np.arange(n), m // 2)
    ep = np.concatenate([rng.choice(m, m // 2, replace=False) for _ in range(n)])
    inst = Instance.from_arrays([str(i) for i in range(n)], [str(j) for j in range(m)],
                                rng.integers(1, 5, m), ec, ep, rng.integers(0, 111, ec.size))
    a, b = rng.integers(0, n, pairs), rng.integers(0, n, pairs)
    flagged = sorted({(min(x, y), max(x, y)) for x, y in zip(a, b, strict=True) if x != y})
    return inst, rng.integers(0, 2, m), flagged


def _cp_sat(inst, groups, pairs, caps=None):
    """An independent exact solver: OR-Tools CP-SAT on its own model of R14 and, with
    ``caps``, R29 (dev dependency)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = [model.NewBoolVar(f"x{e}") for e in range(inst.n_edges)]
    ec, ep, w = (a.tolist() for a in (inst.edge_cand, inst.edge_pos, inst.edge_score))
    for i in range(inst.n_candidates):
        model.AddAtMostOne(x[e] for e in range(inst.n_edges) if ec[e] == i)
    for j in range(inst.n_positions):
        model.Add(sum(x[e] for e in range(inst.n_edges) if ep[e] == j) <= int(inst.capacity[j]))
    for g in set(groups.tolist()):
        for a, b in pairs:
            model.AddAtMostOne(x[e] for e in range(inst.n_edges)
                               if ec[e] in (a, b) and groups[ep[e]] == g)
        if caps is not None:
            model.Add(sum(x[e] for e in range(inst.n_edges)
                          if caps.flagged[ec[e]] and groups[ep[e]] == g) <= int(caps.room[g]))
    big = 111 * inst.n_candidates
    model.Maximize(sum((big + w[e]) * x[e] for e in range(inst.n_edges)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.Solve(model) == cp_model.OPTIMAL
    chosen = [e for e in range(inst.n_edges) if solver.Value(x[e])]
    return len(chosen), sum(w[e] for e in chosen)


@pytest.mark.parametrize("seed", range(8))
def test_model_equals_an_independent_exact_solver_on_medium_adversarial_cases(seed):
    """Dense workplaces, many pairs (where the branch-and-bound runs out): the answer
    after the budget is proven optimal and equals CP-SAT's."""
    pytest.importorskip("ortools")
    inst, groups, pairs = _adversarial(seed)
    sol, info = solve_separated(inst, groups, pairs, max_nodes=20)
    assert info.exact and info.method in ("milp", "branch_and_bound", "unconstrained")
    assert conflicts(sol, groups, np.array(pairs, dtype=np.int64)) == []
    check_feasible(inst, sol.chosen)
    assert (sol.placed, sol.score) == _cp_sat(inst, groups, pairs)
    found, bound = solve_milp(inst, groups, np.array(pairs, dtype=np.int64), 60)
    assert bound is None and (found.placed, found.score) == (sol.placed, sol.score)


def test_a_model_too_large_is_said_before_solving(monkeypatch):
    monkeypatch.setattr(separation, "MILP_MAX_PAIRS", 0)
    inst, groups, pairs = _adversarial(1)
    sol, info = solve_separated(inst, groups, pairs, max_nodes=1)
    best, _ = solve_separated(inst, groups, pairs, max_nodes=20)
    assert info.method == "too_large" and not info.exact
    assert (sol.placed, sol.score) <= (best.placed, best.score)
    assert (info.upper_placed, info.upper_score) >= (best.placed, best.score)
    assert info.to_dict()["method"] == "too_large"


def _dense_problem():
    """Six interchangeable inmates, all separated from each other, two groups of three
    positions: only one per group can work."""
    ids = [f"p{k}" for k in range(6)]
    people = [inmate(id=i, separated_from=frozenset(set(ids) - {i})) for i in ids]
    vacs = [vacancy(id="day", free_positions=3, shift="day"),
            vacancy(id="night", free_positions=3, shift="night")]
    return people, vacs


def test_budget_out_is_flagged_and_r14_reasons_are_true():
    people, vacs = _dense_problem()
    for budget in (1, 2, 200):
        r = match(Problem(AS_OF, "AK-1", people, vacs,
                          settings=Settings(separation_max_nodes=budget)))
        assert r.summary.proposed == 2  # one per group is the optimum, and always reached
        where = {p.inmate_id: p.vacancy_id for p in r.proposals}
        assert len(set(where.values())) == 2
        d = r.to_dict()
        assert d["summary"]["proven_optimal"] is r.separation.exact
        assert d["separation"]["exact"] is r.separation.exact
        for u in r.unplaced:
            assert [b.rule for b in u.barred_by] == ["R14"]
            assert u.barred_by[0].vacancies == 2  # a partner is placed in both groups
    r = match(Problem(AS_OF, "AK-1", people, vacs,
                      settings=Settings(separation_max_nodes=1, separation_seconds=0)))
    assert not r.separation.exact and r.summary.proven_optimal is False
    assert r.separation.method == "branch_and_bound"
    r = match(Problem(AS_OF, "AK-1", people, vacs, settings=Settings(separation_max_nodes=1)))
    assert r.separation.exact and r.summary.proven_optimal is True
    assert r.separation.method == "milp" and r.summary.proposed == 2


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 4))
def test_r14_reasons_on_synthetic_institutions_with_dense_links(seed, budget):
    """Every R14 reason counts vacancies with room whose group holds a placed partner;
    an outscored inmate with a free allowed vacancy always has such a reason."""
    prob = problem(60, 8, 0, seed=seed, separated_pairs=40)
    prob = Problem(prob.as_of, prob.institution, prob.inmates, prob.vacancies,
                   settings=Settings(separation_max_nodes=budget))
    r = match(prob, with_training=False)
    prep = prepare(prob)
    inst = instance_of(prep)
    f = prep.frame
    row = {x: i for i, x in enumerate(f.inmate_ids)}
    col = {x: j for j, x in enumerate(f.vacancy_ids)}
    pos = np.full(f.shape[0], -1)
    for p in r.proposals:
        pos[row[p.inmate_id]] = col[p.vacancy_id]
    assert conflicts_of(pos, prep) == []
    taken = np.bincount(pos[pos >= 0], minlength=f.shape[1])
    near = partners_by_group(pos, prep.group, prep.pairs)
    for u in r.unplaced:
        if u.reason != "outscored":
            continue
        i = row[u.inmate_id]
        free = prep.allowed[i] & (taken < f.free_positions)
        blamed = free & np.isin(prep.group, list(near.get(i, set())))
        assert blamed.sum() == free.sum()  # maximal: every free vacancy is R14's doing
        r14 = [b.vacancies for b in u.barred_by if b.rule == "R14"]
        assert r14 == ([int(blamed.sum())] if blamed.any() else [])
    assert r.summary.proposed <= solve_separated(inst, prep.group, prep.pairs, 10_000)[0].placed


def conflicts_of(pos, prep):
    return [(a, b) for a, b in prep.pairs.tolist()
            if pos[a] >= 0 and pos[b] >= 0 and prep.group[pos[a]] == prep.group[pos[b]]]


def test_seven_clashes_go_to_the_model_first_with_the_same_optimum(monkeypatch):
    """A 2,000-inmate institution whose unconstrained optimum clashes in 7 places (400
    flagged pairs, seed 7): the model goes first (one solver call, not the 41 of the
    branch-and-bound first, which cost more CPU) and proves the same optimum."""
    prob = problem(2000, 150, 0, seed=7, separated_pairs=400)
    first = match(prob, with_training=False).separation
    assert first.conflicts_unconstrained == 7
    assert first.milp_first == "dense" and first.method == "milp" and first.exact
    assert first.nodes == 1
    monkeypatch.setattr(separation, "MILP_FIRST_CLASHES", 12)
    tree = match(prob, with_training=False).separation
    assert tree.milp_first == "" and tree.method == "branch_and_bound" and tree.exact
    assert (first.placed, first.score) == (tree.placed, tree.score)
