"""Training gains by local re-solves == gains from two full solves."""

import dataclasses

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.explain import instance_of, prepare
from matching.problem import Instance
from matching.rules import evaluate
from matching.solver import Solution, brute_force, solve
from matching.synthetic import problem
from matching.training import (
    Context,
    Residual,
    gain_and_users,
    newly_allowed,
    recommend,
    take_inmates,
)


@st.composite
def grown(draw, max_n=6, max_m=4, max_cap=3):
    """An instance and extra edges (pairs not in it) for some of its candidates."""
    n = draw(st.integers(1, max_n))
    m = draw(st.integers(1, max_m))
    caps = draw(st.lists(st.integers(0, max_cap), min_size=m, max_size=m))
    cells = [(i, j) for i in range(n) for j in range(m)]
    kind = draw(st.lists(st.sampled_from("..on"), min_size=len(cells), max_size=len(cells)))
    old = [c for c, k in zip(cells, kind, strict=True) if k == "o"]
    new = [c for c, k in zip(cells, kind, strict=True) if k == "n"]
    scores = draw(st.lists(st.integers(0, 9), min_size=len(old), max_size=len(old)))
    inst = Instance.from_arrays(
        [f"c{i}" for i in range(n)],
        [f"p{j}" for j in range(m)],
        caps,
        [c for c, _ in old],
        [p for _, p in old],
        scores,
    )
    return inst, np.array([c for c, _ in new], np.int64), np.array([p for _, p in new], np.int64)


def _two_full_solves(inst, new_c, new_p):
    """(gain, fewest users) the slow way: exhaustive solves of the old and grown graphs,
    the grown one scored 1 per old pair and 0 per new pair."""
    grown_inst = Instance.from_arrays(
        inst.candidates,
        inst.positions,
        inst.capacity,
        np.concatenate((inst.edge_cand, new_c)),
        np.concatenate((inst.edge_pos, new_p)),
        np.concatenate((np.ones(inst.n_edges, np.int64), np.zeros(new_c.size, np.int64))),
    )
    placed_old, _ = brute_force(inst)
    placed_new, old_pairs = brute_force(grown_inst)
    return placed_new - placed_old, placed_new - old_pairs


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grown())
def test_gain_and_fewest_users_equal_two_full_solves(case):
    inst, new_c, new_p = case
    res = Residual.of(inst)
    gain, uc, up = gain_and_users(res, new_c, new_p)
    assert (gain, uc.size) == _two_full_solves(inst, new_c, new_p)
    # users are candidates with a new edge to their position, each once
    pairs = set(zip(new_c.tolist(), new_p.tolist(), strict=True))
    assert all((c, p) in pairs for c, p in zip(uc.tolist(), up.tolist(), strict=True))
    assert np.unique(uc).size == uc.size
    assert res.augmentable(new_c, new_p) == (gain > 0)


@settings(max_examples=100, deadline=None)
@given(grown())
def test_residual_from_a_non_maximum_solution(case):
    """A base answer that lost placements (as R14 or R29 can) is replaced by an exact
    optimum (re-optimised from it)."""
    inst, new_c, new_p = case
    best = solve(inst)
    worse = Solution(inst, best.chosen[1:], max(best.placed - 1, 0), 0)
    res = Residual.of(inst, worse)
    assert int((res.mate >= 0).sum()) == best.placed
    assert gain_and_users(res, new_c, new_p)[0] == _two_full_solves(inst, new_c, new_p)[0]


def _reference_new(prep, course):
    """The newly allowed pairs by re-running every rule on the trained inmates."""
    f = prep.frame
    ben, _ = newly_allowed(prep, course)
    if ben.size == 0:
        return ben, np.zeros((0, f.shape[1]), bool)
    sub = take_inmates(f, ben)
    level, cert = sub.skill_level.copy(), sub.has_cert.copy()
    if course.grants_skill:
        k = f.skill_vocab.index(course.grants_skill)
        level[:, k] = np.maximum(level[:, k], 1)
    if course.grants_certificate:
        cert[:, f.cert_vocab.index(course.grants_certificate)] = True
    allowed2, _ = evaluate(dataclasses.replace(sub, skill_level=level, has_cert=cert))
    end = course.end_date.toordinal()
    open_after = (f.end[None, :] >= end) & (
        np.maximum(f.start, end)[None, :] <= sub.release[:, None]
    )
    return ben, allowed2 & ~prep.allowed[ben] & open_after


def test_updated_r12_equals_all_rules_rerun_and_gains_equal_full_solves():
    for seed in range(4):
        prob = problem(300, 25, n_courses=10, seed=seed)
        prep = prepare(prob)
        inst = instance_of(prep)
        sol = solve(inst)
        ctx = Context.of(prep)
        res = Residual.of(inst, sol)
        for course in prob.courses:
            ben, new = newly_allowed(prep, course, ctx)
            ben_ref, new_ref = _reference_new(prep, course)
            assert np.array_equal(ben, ben_ref)
            assert np.array_equal(new, new_ref)
            bi, bj = np.nonzero(new)
            gain, uc, _ = gain_and_users(res, ben[bi], bj.astype(np.int64))
            # full re-solves with the weighted solver (no brute force at this size)
            grown_inst = Instance.from_arrays(
                inst.candidates,
                inst.positions,
                inst.capacity,
                np.concatenate((inst.edge_cand, ben[bi])),
                np.concatenate((inst.edge_pos, bj)),
                np.concatenate((np.ones(inst.n_edges, np.int64), np.zeros(bi.size, np.int64))),
            )
            full = solve(grown_inst)
            assert gain == full.placed - sol.placed
            assert uc.size == full.placed - full.score
        recs = recommend(prep, inst, sol)
        for r in recs:
            assert 0 < r.extra_placements <= r.upper_bound <= r.seats
            assert len(r.inmate_ids) <= r.seats
            assert r.exact == (r.extra_placements == r.upper_bound)


def test_seats_short_gain_is_a_true_lower_bound():
    """With 1-2 seats: the reported gain is what training exactly the listed inmates
    gives (a full re-solve), and never above the unlimited gain or the seats."""
    for seed in range(3):
        prob = problem(300, 25, n_courses=10, seed=seed)
        prob = dataclasses.replace(
            prob,
            courses=[dataclasses.replace(c, seats=1 + k % 2) for k, c in enumerate(prob.courses)],
        )
        prep = prepare(prob)
        inst = instance_of(prep)
        sol = solve(inst)
        by_id = {c.id: c for c in prob.courses}
        idx = {x: i for i, x in enumerate(prep.frame.inmate_ids)}
        for r in recommend(prep, inst, sol):
            ben, new = newly_allowed(prep, by_id[r.course_id])
            rows = np.isin(ben, [idx[x] for x in r.inmate_ids])
            bi, bj = np.nonzero(new & rows[:, None])
            grown_inst = Instance.from_arrays(
                inst.candidates,
                inst.positions,
                inst.capacity,
                np.concatenate((inst.edge_cand, ben[bi])),
                np.concatenate((inst.edge_pos, bj)),
                np.concatenate((inst.edge_score, np.zeros(bi.size, np.int64))),
            )
            assert solve(grown_inst).placed - sol.placed == r.extra_placements
            assert r.extra_placements <= r.upper_bound <= r.seats
