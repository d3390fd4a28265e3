"""Core solver: exact against brute force, decomposition, OR-Tools cross-check, contract."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import solver as solver_module
from matching.problem import InputError, Instance
from matching.solver import (
    brute_force,
    check_feasible,
    is_optimal,
    max_placed,
    reoptimize,
    solve,
)
from matching.synthetic import core_instance


@st.composite
def instances(draw, max_n=7, max_m=4, max_cap=3, max_score=20):
    n = draw(st.integers(0, max_n))
    m = draw(st.integers(0, max_m))
    caps = draw(st.lists(st.integers(0, max_cap), min_size=m, max_size=m))
    edges = []
    if n and m:
        edges = draw(
            st.lists(
                st.tuples(st.integers(0, n - 1), st.integers(0, m - 1), st.integers(0, max_score)),
                max_size=n * m + 3,
            )
        )
    ec = [e[0] for e in edges]
    ep = [e[1] for e in edges]
    es = [e[2] for e in edges]
    return Instance.from_arrays(
        [f"c{i}" for i in range(n)], [f"p{j}" for j in range(m)], caps, ec, ep, es
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_same_count_and_score_as_brute_force(inst):
    sol = solve(inst)
    check_feasible(inst, sol.chosen)
    assert (sol.placed, sol.score) == brute_force(inst)
    assert sol.placed == max_placed(inst)
    assert sol.score == int(inst.edge_score[sol.chosen].sum())


@settings(max_examples=200, deadline=None)
@given(instances(max_n=7, max_m=4, max_score=1))
def test_zero_one_scores_and_ties(inst):
    sol = solve(inst)
    assert (sol.placed, sol.score) == brute_force(inst)


@settings(max_examples=150, deadline=None)
@given(st.lists(instances(max_n=5, max_m=3), min_size=1, max_size=4))
def test_decomposition_gives_the_same_optimum(parts):
    """Disjoint blocks: one solve of the union == the sum of the blocks' optima, whatever
    the batching of components."""
    cands, poss, caps, ec, ep, es = [], [], [], [], [], []
    placed = score = 0
    for k, inst in enumerate(parts):
        nc, npos = len(cands), len(poss)
        cands += [f"{k}/{c}" for c in inst.candidates]
        poss += [f"{k}/{p}" for p in inst.positions]
        caps += inst.capacity.tolist()
        ec += (inst.edge_cand + nc).tolist()
        ep += (inst.edge_pos + npos).tolist()
        es += inst.edge_score.tolist()
        s = solve(inst)
        placed += s.placed
        score += s.score
    union = Instance.from_arrays(cands, poss, caps, ec, ep, es)
    for batch in (1, 50, 10**9):
        sol = solve(union, batch_edges=batch)
        check_feasible(union, sol.chosen)
        assert (sol.placed, sol.score) == (placed, score)


def test_every_row_solver_path():
    """Rows = candidates (many positions) and rows = copies (many candidates) agree."""
    rng = np.random.default_rng(3)
    for n, m, capmax in [(40, 30, 4), (60, 3, 3), (30, 5, 30)]:
        k = n * 4
        inst = Instance.from_arrays(
            [str(i) for i in range(n)],
            [str(j) for j in range(m)],
            rng.integers(0, capmax, m),
            rng.integers(0, n, k),
            rng.integers(0, m, k),
            rng.integers(0, 100, k),
        )
        a = solve(inst)
        b = solve(inst, batch_edges=1)
        assert (a.placed, a.score) == (b.placed, b.score)
        check_feasible(inst, a.chosen)


def test_against_ortools_min_cost_flow():
    ortools = pytest.importorskip("ortools")
    del ortools
    from matching.bench import ortools_solve
    from matching.synthetic import core_instance

    for seed in range(4):
        inst = core_instance(3, 120, 12, 5, 6, seed=seed)
        sol = solve(inst)
        placed, score, _ = ortools_solve(inst)
        assert (sol.placed, sol.score) == (placed, score)


def test_duplicate_edge_keeps_highest_score():
    inst = Instance.build(["a"], [("p", 1)], [("a", "p", 3), ("a", "p", 9), ("a", "p", 5)])
    assert inst.n_edges == 1
    sol = solve(inst)
    assert (sol.placed, sol.score) == (1, 9)


def test_cardinality_before_score():
    # a alone could score 100 at p; placing both (a at q, b at p) is preferred
    inst = Instance.build(
        ["a", "b"], [("p", 1), ("q", 1)], [("a", "p", 100), ("a", "q", 0), ("b", "p", 0)]
    )
    sol = solve(inst)
    assert (sol.placed, sol.score) == (2, 0)
    assert sorted(sol.assignments()) == [("a", "q"), ("b", "p")]


def test_empty_and_zero_capacity():
    assert solve(Instance.build([], [], [])).placed == 0
    inst = Instance.build(["a"], [("p", 0)], [("a", "p", 5)])
    assert solve(inst).to_json() == {"assignments": [], "placed": 0, "score": 0}


def test_large_scores_are_exact():
    inst = Instance.build(
        ["a", "b", "c"],
        [("p", 2)],
        [("a", "p", 2**40), ("b", "p", 2**40 - 1), ("c", "p", 2**40 - 2)],
    )
    sol = solve(inst)
    assert sol.score == 2**41 - 1


@pytest.mark.parametrize(
    "data, fragment",
    [
        ({"candidates": ["a", "a"], "positions": [], "edges": []}, "duplicate candidate"),
        (
            {"candidates": ["a"], "positions": [{"id": "p", "capacity": -1}], "edges": []},
            "capacity",
        ),
        (
            {"candidates": ["a"], "positions": [{"id": "p", "capacity": 1.5}], "edges": []},
            "capacity",
        ),
        (
            {"candidates": ["a"], "positions": [{"id": "p", "capacity": True}], "edges": []},
            "capacity",
        ),
        (
            {
                "candidates": ["a"],
                "positions": [{"id": "p", "capacity": 1}],
                "edges": [["x", "p", 1]],
            },
            "unknown candidate",
        ),
        (
            {
                "candidates": ["a"],
                "positions": [{"id": "p", "capacity": 1}],
                "edges": [["a", "q", 1]],
            },
            "unknown position",
        ),
        (
            {
                "candidates": ["a"],
                "positions": [{"id": "p", "capacity": 1}],
                "edges": [["a", "p", -2]],
            },
            "score",
        ),
        (
            {
                "candidates": ["a"],
                "positions": [{"id": "p", "capacity": 1}],
                "edges": [["a", "p", 2.5]],
            },
            "score",
        ),
        ({"candidates": [1], "positions": [], "edges": []}, "string"),
        (
            {
                "candidates": ["a"],
                "positions": [{"id": "p", "capacity": 1}, {"id": "p", "capacity": 2}],
                "edges": [],
            },
            "duplicate position",
        ),
        ({"candidates": [], "positions": []}, "missing key"),
        ([], "top level"),
    ],
)
def test_bad_instances_raise_one_line(data, fragment):
    with pytest.raises(InputError) as e:
        Instance.from_json(data)
    assert fragment in str(e.value)
    assert "\n" not in str(e.value)


def test_staircase_is_a_concentrator():
    """Any <= c of the d candidates of a position can take distinct copies."""
    import itertools

    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    for d in range(1, 8):
        for c in range(1, d + 1):
            rows, cols = [], []
            for j in range(d):
                for k in range(max(0, j - (d - c)), min(c - 1, j) + 1):
                    rows.append(j)
                    cols.append(k)
            assert len(rows) == c * (d - c + 1)
            full = np.zeros((d, c), dtype=bool)
            full[rows, cols] = True
            for t in range(1, c + 1):
                for subset in itertools.combinations(range(d), t):
                    g = csr_matrix(full[list(subset)].astype(np.int8))
                    match = maximum_bipartite_matching(g, perm_type="column")
                    assert (match >= 0).sum() == t


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_n=8, max_m=3, max_cap=2))
def test_saturated_and_dummy_paths_equal_brute_force(inst):
    """Few copies, many candidates: mostly the no-dummy (every row matched) path; the
    others take the dummy path.  Both exact."""
    sol = solve(inst, batch_edges=1)
    check_feasible(inst, sol.chosen)
    assert (sol.placed, sol.score) == brute_force(inst)


# Instance.build checks whole arrays at once and walks the edges only when a check fails,
# so that the message still names the first bad edge, shape problems before the rest.
_AP = {"candidates": ["a", "b"], "positions": [{"id": "p", "capacity": 1}]}


@pytest.mark.parametrize(
    "edges, message",
    [
        ([["a", "p", 1], ["z", "p", 1], ["a", "q", 1]], "edge 1: unknown candidate id 'z'"),
        ([["a", "p", 1], ["b", "q", 1], ["z", "p", 1]], "edge 1: unknown position id 'q'"),
        ([["a", "p", 1], ["b", "p", True]], "edge 1: score must be an integer >= 0, got True"),
        ([["a", "p", 1], ["b", "p", 1.0]], "edge 1: score must be an integer >= 0, got 1.0"),
        ([["a", "p", -1], ["z", "p", 1]], "edge 0: score must be an integer >= 0, got -1"),
        # a malformed edge is named before any unknown id or bad score of an earlier one
        ([["z", "p", -1], ["a", "p"]], "edge 1: must be a list [candidate, position, score]"),
        ([["z", "p", 1], ["a", "p", 1, 2]], "edge 1: must be a list"),
        ([["z", "p", 1], "abc"], "edge 1: must be a list"),
        ([["a", "p", 1], [["a"], "p", 1]], "edge 1: candidate and position ids must be strings"),
        ([["z", "p", 1], ["a", 7, 1]], "edge 1: candidate and position ids must be strings"),
        ([["a", "p", 2**40 + 1]], "score too large"),
        ([["a", "p", 2**70]], "score too large"),
    ],
)
def test_bad_edges_are_named_as_one_by_one(edges, message):
    with pytest.raises(InputError) as e:
        Instance.from_json({**_AP, "edges": edges})
    assert str(e.value).startswith(message)


def test_build_agrees_with_index_arrays():
    """The vectorised build gives the arrays of ``from_arrays`` (duplicates: highest
    score), with edges in any order and numpy integer scores."""
    rng = np.random.default_rng(3)
    n, m, k = 40, 7, 300
    ec, ep, es = rng.integers(0, n, k), rng.integers(0, m, k), rng.integers(0, 50, k)
    cands, pos = [f"c{i}" for i in range(n)], [f"p{j}" for j in range(m)]
    caps = rng.integers(0, 4, m)
    built = Instance.build(
        cands,
        [(p, int(c)) for p, c in zip(pos, caps, strict=True)],
        [(cands[a], pos[b], s) for a, b, s in zip(ec, ep, es, strict=True)],
    )
    ref = Instance.from_arrays(cands, pos, caps, ec, ep, es)
    for name in ("capacity", "edge_cand", "edge_pos", "edge_score"):
        assert np.array_equal(getattr(built, name), getattr(ref, name)), name
    assert solve(built).score == solve(ref).score


def _local_arrays(inst):
    return inst.edge_cand, inst.edge_pos, inst.edge_score, inst.capacity


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_n=7, max_m=4, max_cap=3), st.randoms(use_true_random=False))
def test_optimality_check_agrees_with_brute_force(inst, rnd):
    """``is_optimal`` (no improving cycle in the contracted residual network) says yes
    exactly for the placements brute force finds optimal: the optimum itself and random
    feasible placements, some of them optimal by chance."""
    r, c, w, cap = _local_arrays(inst)
    best = brute_force(inst)
    opt = np.zeros(inst.n_edges, dtype=bool)
    opt[solve(inst).chosen] = True
    assert is_optimal(r, c, w, cap, opt)
    for _ in range(5):
        chosen = np.zeros(inst.n_edges, dtype=bool)
        room, taken = cap.copy(), set()
        for e in rnd.sample(range(inst.n_edges), inst.n_edges):
            if r[e] not in taken and room[c[e]] > 0 and rnd.random() < 0.7:
                chosen[e] = True
                taken.add(r[e])
                room[c[e]] -= 1
        value = (int(chosen.sum()), int(w[chosen].sum()))
        assert is_optimal(r, c, w, cap, chosen) == (value == best)


def _random_placement(inst, rnd, share=0.7):
    """A random feasible placement (edge indices), optimal only by chance."""
    room, taken, chosen = inst.capacity.copy(), set(), []
    for e in rnd.sample(range(inst.n_edges), inst.n_edges):
        c, p = int(inst.edge_cand[e]), int(inst.edge_pos[e])
        if c not in taken and room[p] > 0 and rnd.random() < share:
            chosen.append(e)
            taken.add(c)
            room[p] -= 1
    return np.array(sorted(chosen), dtype=np.int64)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_n=7, max_m=4, max_cap=3), st.randoms(use_true_random=False),
       st.sampled_from([0.0, 0.5, 1.0]))
def test_reoptimize_reaches_the_optimum_from_any_feasible_placement(inst, rnd, share):
    """Cancelling positive cycles from any feasible placement (empty, random, greedy)
    ends at the brute-force optimum, feasible, with its score recomputed."""
    sol = reoptimize(inst, _random_placement(inst, rnd, share))
    assert sol is not None
    check_feasible(inst, sol.chosen)
    assert (sol.placed, sol.score) == brute_force(inst)
    assert sol.score == int(inst.edge_score[sol.chosen].sum())


def test_reoptimize_from_an_optimum_without_one_candidate_is_a_few_cycles():
    """The separation's use: an institution's optimum, one placed candidate's edges
    removed, re-optimised from what is left equals a whole solve of the smaller instance."""
    inst = core_instance(1, 400, 30, 10, 8, seed=3)
    sol = solve(inst)
    for who in inst.edge_cand[sol.chosen][:20].tolist():
        keep = inst.edge_cand != who
        sub = inst.with_edges(keep)
        start = (np.cumsum(keep) - 1)[sol.chosen[keep[sol.chosen]]]
        again = reoptimize(sub, start, max_cycles=4)
        assert again is not None  # one or two cycles, never many
        assert (again.placed, again.score) == (solve(sub).placed, solve(sub).score)


def test_reoptimize_declines_weights_beyond_its_exact_range():
    """Weights whose cycle sums could leave int64: None (the caller solves afresh)."""
    inst = Instance.from_arrays(["a", "b"], [f"p{j}" for j in range(40)], [1] * 40,
                                [0, 1], [0, 0], [2**40, 3])
    assert reoptimize(inst, np.zeros(0, dtype=np.int64)) is None


@pytest.fixture
def prune_hard(monkeypatch):
    """Positions keep only their one or two best candidates first: pruning happens on
    small instances too, and is often not optimal (the whole staircase follows)."""
    monkeypatch.setattr(solver_module, "PRUNE_STEPS", ((0, 0), (1, 1)))
    monkeypatch.setattr(solver_module, "PRUNE_SLACK", 1)


@settings(max_examples=300, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(instances(max_n=8, max_m=3, max_cap=3))
def test_pruned_positions_still_give_the_optimum(prune_hard, inst):
    sol = solve(inst)
    check_feasible(inst, sol.chosen)
    assert (sol.placed, sol.score) == brute_force(inst)


def test_more_positions_than_inmates_are_pruned_with_each_inmates_best_edges(monkeypatch):
    """Everyone placeable: positions' best candidates alone leave some inmates without an
    edge (the check fails); with each inmate's two best edges kept too it passes."""
    inst = core_instance(1, 2000, 50, 45, 40, seed=42, capacity_range=(20, 60))
    assert int(inst.capacity.sum()) > inst.n_candidates
    whole = solve(inst, prune=False)
    sol = solve(inst)
    assert sol.stats["pruned"] == 1 and (sol.placed, sol.score) == (whole.placed, whole.score)
    monkeypatch.setattr(solver_module, "PRUNE_STEPS", ((5, 0),))
    alone = solve(inst)
    assert alone.stats["pruned"] == 0 and (alone.placed, alone.score) == (whole.placed,
                                                                          whole.score)


def test_big_workshops_are_pruned_and_exact():
    """Vacancies of 20-60 positions (the benchmark's big-workshop shape, smaller): the
    pruned solve is checked optimal, and equals OR-Tools' and a solve of the whole
    staircase."""
    inst = core_instance(1, 600, 12, 30, 40, seed=5, capacity_range=(20, 60))
    assert int(np.bincount(inst.edge_pos).max()) > 5 * int(inst.capacity.max())
    whole = solve(inst, prune=False)
    sol = solve(inst)
    check_feasible(inst, sol.chosen)
    assert (sol.placed, sol.score) == (whole.placed, whole.score)
    assert sol.stats["pruned"] >= 1
    chosen = np.zeros(inst.n_edges, dtype=bool)
    chosen[sol.chosen] = True
    assert is_optimal(*_local_arrays(inst), chosen)
    ortools = pytest.importorskip("ortools")
    assert ortools
    from matching.bench import ortools_solve

    assert ortools_solve(inst)[:2] == (sol.placed, sol.score)
