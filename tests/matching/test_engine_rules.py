"""R28-R31 in the engine: security and bans as eligibility, the scattered model's cap as an
exact constraint together with R14, applicants preferred exactly (brute force on small
problems: the answer is the lexicographic optimum, and proven so)."""

import dataclasses
import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import match, separation
from matching.applications import answers, waiting_list
from matching.explain import caps_of, prepare, separation_groups
from matching.problem import Course, Instance, Problem, Settings
from matching.rules import check_pair
from matching.scoring import earliness, preference
from matching.separation import Caps, conflicts, solve_separated
from matching.solver import check_feasible, solve
from tests.matching.test_domain import _brute_separated, sep_instances
from tests.matching.test_rules import AS_OF, inmate, vacancy
from tests.matching.test_separation import _cp_sat

S = Settings()
HIGH = len(S.risk_levels) - 1


def rules_failed(p, v, s=S):
    return {x.rule for x in check_pair(p, v, s, AS_OF)}


# --- R28 and R30 as eligibility ---------------------------------------------------------


def test_r28_risk_level_above_the_vacancy_is_refused():
    job = vacancy(max_risk_level=0)
    assert "R28" in rules_failed(inmate(risk_level=1), job)
    assert "R28" not in rules_failed(inmate(risk_level=0), job)
    assert "R28" not in rules_failed(inmate(risk_level=HIGH), vacancy())  # no limit set


def test_r28_unassessed_is_highest_outside_and_no_limit_inside():
    outside, inside = vacancy(site="outside", max_risk_level=1), vacancy(max_risk_level=0)
    nobody = inmate(regime="minimum")  # UNASSESSED by default
    assert "R28" in rules_failed(nobody, outside)
    assert "R28" not in rules_failed(nobody, inside)
    lenient = dataclasses.replace(S, unassessed_highest_outside=False)
    assert "R28" not in rules_failed(nobody, outside, lenient)


def test_r30_a_running_ban_bars_its_trade_only():
    banned = inmate(banned_trades=frozenset({"T01"}))
    assert "R30" in rules_failed(banned, vacancy(trade_code="T01"))
    assert "R30" not in rules_failed(banned, vacancy(trade_code="T02"))
    not_in_prison = dataclasses.replace(S, bans_run_in_prison=False)
    assert "R30" not in rules_failed(banned, vacancy(trade_code="T01"), not_in_prison)


def test_r28_and_r30_are_named_for_the_unplaced():
    p = Problem(AS_OF, "X", [inmate(id="a", risk_level=HIGH, banned_trades=frozenset({"T02"}))],
                [vacancy(id="v1", max_risk_level=0), vacancy(id="v2", trade_code="T02")])
    (u,) = match(p).unplaced
    assert u.reason == "no_eligible_vacancy"
    assert {b.rule for b in u.barred_by} == {"R28", "R30"}


# --- R29 and R14 together: exact against brute force ---------------------------------------



@st.composite
def capped_instances(draw):
    inst, groups, pairs = draw(sep_instances(n_min=3, n_max=7, max_pairs=4, dense=True))
    flagged = np.array(draw(st.lists(st.booleans(), min_size=inst.n_candidates,
                                     max_size=inst.n_candidates)), dtype=bool)
    room = np.array(draw(st.lists(st.integers(0, 2), min_size=2, max_size=2)), dtype=np.int64)
    return inst, groups, pairs, Caps(flagged, room)


def _feasible(sol, groups, pairs, caps):
    check_feasible(sol.instance, sol.chosen)
    assert conflicts(sol, groups, np.array(pairs, dtype=np.int64).reshape(-1, 2)) == []
    assert caps.over(sol, groups) == []


@settings(max_examples=250, deadline=None)
@given(capped_instances(), st.sampled_from([1, 3, 10_000]), st.sampled_from([None, 30]))
def test_caps_with_separation_equal_brute_force(case, budget, seconds):
    inst, groups, pairs, caps = case
    sol, info = solve_separated(inst, groups, pairs, budget, seconds, caps)
    _feasible(sol, groups, pairs, caps)
    best = _brute_separated(inst, groups, pairs, caps.flagged, caps.room)
    assert (sol.placed, sol.score) <= best
    assert (info.upper_placed, info.upper_score) >= best
    if info.exact:
        assert (sol.placed, sol.score) == best
    if seconds or budget == 10_000:
        assert info.exact  # the model (or enough nodes) always proves these


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(capped_instances())
def test_the_model_first_on_dense_clashes_equals_brute_force(monkeypatch_first, case):
    # the fixture only lowers a module constant for the whole test: nothing to reset
    inst, groups, pairs, caps = case
    sol, info = solve_separated(inst, groups, pairs, 200, 30, caps)
    _feasible(sol, groups, pairs, caps)
    assert info.exact
    assert (sol.placed, sol.score) == _brute_separated(inst, groups, pairs, caps.flagged, caps.room)
    if info.method != "unconstrained":
        assert info.milp_first == "dense"


@pytest.fixture
def monkeypatch_first():
    old = separation.MILP_FIRST_CLASHES, separation.MILP_FIRST_CLASHES_CAPS
    separation.MILP_FIRST_CLASHES = separation.MILP_FIRST_CLASHES_CAPS = 0
    yield
    separation.MILP_FIRST_CLASHES, separation.MILP_FIRST_CLASHES_CAPS = old


@settings(max_examples=250, deadline=None)
@given(capped_instances(), st.randoms(use_true_random=False))
def test_a_branch_re_optimised_from_its_parent_equals_a_whole_solve(case, rnd):
    """The branch-and-bound's child (its parent's optimum less the forbidden edges,
    cycles cancelled) has the optimum a whole solve of the child's edges has."""
    inst, groups, _, _ = case
    parent = solve(inst)
    edge_group = groups[inst.edge_pos]
    mask = np.ones(inst.n_edges, dtype=bool)
    for e in parent.chosen.tolist():
        if rnd.random() < 0.5:  # forbid this candidate the group where it is placed
            mask &= ~((inst.edge_cand == inst.edge_cand[e]) & (edge_group == edge_group[e]))
    kid = separation._child(inst, mask, parent)
    check_feasible(inst, kid.chosen)
    assert mask[kid.chosen].all()
    whole = solve(inst.with_edges(mask))
    assert (kid.placed, kid.score) == (whole.placed, whole.score)
    assert kid.score == int(inst.edge_score[kid.chosen].sum())


def test_the_branch_and_bound_never_solves_the_same_subproblem_twice(monkeypatch):
    """Four flagged persons in a workshop with room for one: forbidding the third then the
    fourth and the fourth then the third is one subproblem, solved once; the optimum
    equals brute force."""
    inst = Instance.from_arrays(
        ["f0", "f1", "f2", "f3"], ["x", "y"], [4, 4],
        [0, 1, 2, 3, 0, 1, 2, 3], [0, 0, 0, 0, 1, 1, 1, 1], [10, 9, 8, 7, 1, 1, 1, 1])
    groups = np.array([0, 1])
    caps = Caps(np.ones(4, dtype=bool), np.array([1, 4]))
    solved = []
    child = separation._child

    def counted(inst, mask, parent):
        solved.append(mask.tobytes())
        return child(inst, mask, parent)

    monkeypatch.setattr(separation, "_child", counted)
    sol, info = solve_separated(inst, groups, [], 10_000, None, caps)
    assert info.exact and (sol.placed, sol.score) == _brute_separated(
        inst, groups, [], caps.flagged, caps.room) == (4, 13)
    assert len(solved) > 3 and len(set(solved)) == len(solved)


def test_caps_that_do_not_bind_keep_the_fast_path():
    inst = Instance.from_arrays(["a", "b"], ["x"], [2], [0, 1], [0, 0], [5, 3])
    caps = Caps(np.array([True, True]), np.array([2]))
    sol, info = solve_separated(inst, np.array([0]), [], caps=caps)
    assert info.method == "unconstrained" and info.exact and sol.placed == 2
    assert info.flagged_placed == 2 and info.caps_binding == 0


def test_a_cap_keeps_the_third_flagged_person_out_and_says_r29():
    people = [inmate(id=f"f{k}", flagged=True) for k in range(3)] + [inmate(id="n")]
    p = Problem(AS_OF, "X", people, [vacancy(id="w", free_positions=4, workplace="A")])
    r = match(p)
    assert r.summary.proposed == 3 and r.summary.proven_optimal
    placed = {x.inmate_id for x in r.proposals}
    assert "n" in placed and len(placed & {"f0", "f1", "f2"}) == 2
    (u,) = r.unplaced
    assert [b.rule for b in u.barred_by] == ["R29"]
    assert r.separation.caps_binding == 1 and r.separation.flagged_placed == 2


def test_flagged_already_working_count_against_the_cap():
    people = [inmate(id=f"f{k}", flagged=True) for k in range(2)]
    jobs = [vacancy(id="w", free_positions=2, workplace="A", flagged_placed=1),
            vacancy(id="z", free_positions=1, workplace="B")]
    r = match(Problem(AS_OF, "X", people, jobs))
    assert sorted(x.vacancy_id for x in r.proposals) == ["w", "z"]


def test_a_vacancy_without_workplace_joins_its_site_and_shift_group():
    jobs = [vacancy(id="a", workplace="A"), vacancy(id="b", workplace="B"),
            vacancy(id="c", workplace="C", shift="night"), vacancy(id="s")]
    g = separation_groups(Problem(AS_OF, "X", [], jobs)).tolist()
    assert g[0] == g[1] == g[3] != g[2]


def test_the_cap_is_the_institutions_setting():
    people = [inmate(id=f"f{k}", flagged=True) for k in range(3)]
    s1 = dataclasses.replace(S, scattered_cap=1)
    p = Problem(AS_OF, "X", people, [vacancy(id="w", free_positions=3, workplace="A")], (), s1)
    assert caps_of(prepare(p)).room.tolist() == [1]
    assert match(p).summary.proposed == 1


# --- R31: applicants first, then earlier applications, then the score ------------------------

DAY = AS_OF - dt.timedelta(days=40)


def _applied(k):
    return DAY + dt.timedelta(days=k)


@st.composite
def application_problems(draw):
    n, m = draw(st.integers(2, 6)), draw(st.integers(1, 3))
    jobs = [vacancy(id=f"v{j}", trade_code=f"T0{draw(st.integers(1, 2))}",
                    free_positions=draw(st.integers(1, 2)),
                    workplace=draw(st.sampled_from(["A", "B"])),
                    monthly_wage=draw(st.integers(85_000, 120_000))) for j in range(m)]
    people = []
    for i in range(n):
        apps = {}
        for j in range(m):
            if draw(st.booleans()):
                apps[f"vacancy:v{j}"] = _applied(draw(st.integers(0, 5)))
        if draw(st.booleans()):
            apps[f"trade:T0{draw(st.integers(1, 2))}"] = _applied(draw(st.integers(0, 5)))
        skills = {"T01": draw(st.integers(0, 3)), "T02": draw(st.integers(0, 3))}
        people.append(inmate(id=f"i{i}", applications=apps, skills=skills,
                             flagged=draw(st.booleans()), trade_wishes=frozenset(
                                 draw(st.sets(st.sampled_from(["T01", "T02"]))))))
    sep = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2))
    for a, b in sep:
        if a != b:
            people[a] = dataclasses.replace(people[a], separated_from=frozenset({f"i{b}"}))
    cap = draw(st.integers(0, 2))
    nodes = draw(st.sampled_from([1, 200]))
    s = dataclasses.replace(S, scattered_cap=cap, separation_max_nodes=nodes)
    return Problem(AS_OF, "X", people, jobs, (), s)


def _brute_r31(prep):
    """Every plan keeping every rule, R14 and R29: the best (placed, applicants placed
    where they applied, earliness, score), earliness by its definition: for a placed
    applicant, the distinct application days (of allowed applied pairs) later than theirs."""
    allowed, score = prep.allowed, prep.score
    n, m = allowed.shape
    days = prep.applied_on
    applied = allowed & (days < 10**7)
    distinct = sorted(set(days[applied].tolist()))
    group = prep.group
    caps = caps_of(prep)
    cap_left = prep.frame.free_positions.tolist()
    pairs = prep.pairs.tolist()
    where = [-1] * n
    best = (0, 0, 0, 0)

    def ok():
        if any(where[a] >= 0 and where[b] >= 0 and group[where[a]] == group[where[b]]
               for a, b in pairs):
            return False
        if caps is None:
            return True
        count = np.zeros(caps.room.size, dtype=int)
        for c in range(n):
            if caps.flagged[c] and where[c] >= 0:
                count[group[where[c]]] += 1
        return bool((count <= caps.room).all())

    def rec(i, val):
        nonlocal best
        if i == n:
            if val > best and ok():
                best = val
            return
        rec(i + 1, val)
        for j in range(m):
            if allowed[i, j] and cap_left[j] > 0:
                cap_left[j] -= 1
                where[i] = j
                a = bool(applied[i, j])
                e = sum(d > days[i, j] for d in distinct) if a else 0
                rec(i + 1, (val[0] + 1, val[1] + a, val[2] + e, val[3] + int(score[i, j])))
                where[i] = -1
                cap_left[j] += 1

    rec(0, (0, 0, 0, 0))
    return best


def _value(prep, r):
    col = {v: j for j, v in enumerate(prep.frame.vacancy_ids)}
    row = {p: i for i, p in enumerate(prep.frame.inmate_ids)}
    applied = prep.allowed & (prep.applied_on < 10**7)
    early = earliness(prep.applied_on, applied)
    val = [0, 0, 0, 0]
    for x in r.proposals:
        i, j = row[x.inmate_id], col[x.vacancy_id]
        val = [val[0] + 1, val[1] + int(applied[i, j]), val[2] + int(early[i, j]),
               val[3] + x.score]
        assert (x.applied is not None) == bool(applied[i, j])
    return tuple(val)


@settings(max_examples=200, deadline=None)
@given(application_problems())
def test_applicants_earlier_then_score_equal_brute_force(p):
    prep = prepare(p)
    assert prep.preference.dates_exact and prep.preference.applicants_exact
    r = match(p, with_training=False)
    assert r.summary.proven_optimal
    assert _value(prep, r) == _brute_r31(prep)


def test_one_seat_goes_to_the_earliest_applicant_whatever_the_score():
    good = inmate(id="late", skills={"T01": 3}, applications={"vacancy:v": _applied(9)})
    early = inmate(id="early", applications={"vacancy:v": _applied(1)})
    other = inmate(id="none", skills={"T01": 3}, trade_wishes=frozenset({"T01"}))
    one_seat = vacancy(id="v", trade_code="T01", free_positions=1)
    r = match(Problem(AS_OF, "X", [good, early, other], [one_seat]))
    assert [(x.inmate_id, x.applied) for x in r.proposals] == [("early", _applied(1).isoformat())]
    assert r.applications["placed_as_applied"] == 1


def test_a_trade_application_counts_like_the_vacancys():
    a = inmate(id="a", applications={"trade:T01": _applied(1)})
    b = inmate(id="b", skills={"T01": 3})
    r = match(Problem(AS_OF, "X", [a, b], [vacancy(id="v", trade_code="T01",
                                                    free_positions=1)]))
    assert [x.inmate_id for x in r.proposals] == ["a"]


def test_most_placed_still_comes_first():
    # one seat each: b may take only v (w is barred to women); a applied for v but may
    # also take w: placing both beats placing the applicant where they applied
    a = inmate(id="a", applications={"vacancy:v": _applied(1)})
    b = inmate(id="b", sex="female")
    jobs = [vacancy(id="v", free_positions=1), vacancy(id="w", women_barred=True,
                                                       free_positions=1)]
    r = match(Problem(AS_OF, "X", [a, b], jobs))
    assert sorted((x.inmate_id, x.vacancy_id) for x in r.proposals) == [("a", "w"), ("b", "v")]


def test_weights_stay_in_the_solvers_exact_range_by_merging_late_days():
    score = np.full((3000, 2), 110, dtype=np.int64)
    applied = np.ones((3000, 2), dtype=bool)
    days = np.arange(6000).reshape(3000, 2)
    pref = preference(score, applied, earliness(days, applied), 3000)
    assert not pref.dates_exact and pref.applicants_exact and pref.levels >= 1
    assert int(pref.weight.max()) * 3001 ** 2 < 2**52


def test_staged_model_with_tiers_equals_brute_force():
    rng = np.random.default_rng(3)
    for _ in range(40):
        n, m = 6, 3
        ec = np.repeat(np.arange(n), 2)
        ep = rng.integers(0, m, ec.size)
        w = rng.integers(0, 3, ec.size) * 1000 + rng.integers(0, 4, ec.size) * 100 + \
            rng.integers(0, 50, ec.size)
        inst = Instance.from_arrays([str(i) for i in range(n)], [str(j) for j in range(m)],
                                    rng.integers(1, 3, m), ec, ep, w)
        groups = np.array([0, 0, 1])
        pairs = [(0, 1), (2, 3), (1, 4)]
        caps = Caps(rng.random(n) < 0.5, np.array([1, 1]))
        sol, info = solve_separated(inst, groups, pairs, 1, 30, caps, (1000, 100))
        assert info.exact
        best = _brute_separated(inst, groups, pairs, caps.flagged, caps.room)
        assert (sol.placed, sol.score) == best


# --- applications: waiting lists and answers ------------------------------------------------


def _course_problem():
    c = Course("c1", "T01", "T01", None, 1, AS_OF, AS_OF + dt.timedelta(days=30))
    people = [
        inmate(id="late", applications={"course:c1": _applied(5)}),
        inmate(id="first", applications={"course:c1": _applied(1)}),
        inmate(id="skilled", skills={"T01": 2}, applications={"course:c1": _applied(0)}),
        inmate(id="leaving", release_date=AS_OF + dt.timedelta(days=10),
               applications={"course:c1": _applied(0)}),
    ]
    job = vacancy(id="v", trade_code="T01", required_skills=frozenset({"T01"}),
                  free_positions=1)
    return Problem(AS_OF, "X", people, [job], [c])


def test_course_waiting_list_orders_by_day_and_lists_the_ineligible_after():
    got = waiting_list(_course_problem(), "course:c1")
    assert [(w.inmate_id, w.position) for w in got] == [
        ("first", 1), ("late", 2), ("leaving", None), ("skilled", None)]
    assert got[2].reasons == ("R13",) and got[3].reasons == ("qualified",)


def test_vacancy_waiting_list_breaks_a_tie_of_days_by_score():
    a = inmate(id="a", applications={"vacancy:v": _applied(2)})
    b = inmate(id="b", skills={"T01": 3}, applications={"trade:T01": _applied(2)})
    c = inmate(id="c", legal_status="remand", applications={"vacancy:v": _applied(0)})
    p = Problem(AS_OF, "X", [a, b, c], [vacancy(id="v", trade_code="T01")])
    got = waiting_list(p, "vacancy:v")
    assert [(w.inmate_id, w.position) for w in got] == [("b", 1), ("a", 2), ("c", None)]
    assert got[2].reasons == ("R1",)


def test_answers_name_what_happened():
    c = Course("c1", "T01", "T01", None, 5, AS_OF, AS_OF + dt.timedelta(days=30))
    people = [
        inmate(id="won", skills={"T01": 3}, applications={"vacancy:v": _applied(1)}),
        inmate(id="lost", skills={"T01": 1}, applications={"vacancy:v": _applied(3)}),
        inmate(id="untrained", applications={"vacancy:v": _applied(0)}),
        inmate(id="gone", applications={"vacancy:nope": _applied(0), "course:c1": _applied(0)}),
    ]
    job = vacancy(id="v", trade_code="T01", required_skills=frozenset({"T01"}),
                  free_positions=1)
    p = Problem(AS_OF, "X", people, [job], [c])
    got = answers(p, match(p))
    assert got[("won", "vacancy:v")].kind == "offered"
    lost = got[("lost", "vacancy:v")]
    assert lost.kind == "outscored" and lost.position == 2 and lost.of == 2
    assert lost.score_gap is not None and lost.score_gap >= 0
    untrained = got[("untrained", "vacancy:v")]
    assert untrained.kind == "not_eligible" and untrained.rules == ("R12",)
    assert untrained.helping_course_id == "c1"
    assert got[("gone", "vacancy:nope")].kind == "closed"
    assert got[("gone", "course:c1")].kind in ("offered", "waiting")


# --- the planner, the training recommendations and the file format follow -------------------


def test_the_planner_never_counts_a_banned_or_too_risky_person():
    from matching.planner import Workshop, impact

    people = [inmate(id="ok", skills={"T01": 1}),
              inmate(id="banned", skills={"T01": 1}, banned_trades=frozenset({"T01"}))]
    got = impact(Problem(AS_OF, "X", people, []), Workshop("T01", 2, employer_kind="institution"))
    assert (got.eligible, got.extra_employed) == (1, 1)


def test_a_course_is_not_recommended_for_work_a_ban_bars():
    c = Course("c1", "T01", "T01", None, 5, AS_OF, AS_OF + dt.timedelta(days=30))
    job = vacancy(id="v", trade_code="T01", required_skills=frozenset({"T01"}))
    banned = inmate(id="b", banned_trades=frozenset({"T01"}))
    assert match(Problem(AS_OF, "X", [banned], [job], [c])).training_recommendations == []
    free = inmate(id="f")
    (rec,) = match(Problem(AS_OF, "X", [free], [job], [c])).training_recommendations
    assert rec.inmate_ids == ["f"]


def test_the_file_format_reads_the_new_fields():
    from matching.jsonio import load_problem

    p = load_problem({
        "as_of": "2025-03-01", "institution": "X",
        "settings": {"risk_levels": ["low", "high"], "scattered_cap": 1},
        "inmates": [{"id": "a", "birth_date": "1990-01-01", "sex": "male", "risk_level": 1,
                     "flagged": True, "banned_trades": ["T1"],
                     "applications": {"vacancy:v": "2025-02-01"}}],
        "vacancies": [{"id": "v", "employer_kind": "institution", "trade_code": "T1",
                       "max_risk_level": 0, "flagged_placed": 1}]})
    assert p.settings.risk_levels == ("low", "high")
    assert p.inmates[0].applications == {"vacancy:v": dt.date(2025, 2, 1)}
    assert (p.vacancies[0].max_risk_level, p.vacancies[0].flagged_placed) == (0, 1)


# --- medium adversarial cases: an independent exact solver ------------------------------------



@pytest.mark.parametrize("seed", range(6))
def test_caps_with_dense_separation_equal_cp_sat(seed):
    """36 inmates, two groups for eight vacancies, about 60 separated pairs, a third
    flagged with room for 2 and 3: proven optimal and equal to CP-SAT's optimum."""
    pytest.importorskip("ortools")
    from tests.matching.test_separation import _adversarial

    inst, groups, pairs = _adversarial(seed)
    rng = np.random.default_rng(seed)
    caps = Caps(rng.random(inst.n_candidates) < 0.33, np.array([2, 3]))
    sol, info = solve_separated(inst, groups, pairs, 20, 60, caps)
    _feasible(sol, groups, pairs, caps)
    assert info.exact
    assert (sol.placed, sol.score) == _cp_sat(inst, groups, pairs, caps)


def test_an_applicant_kept_out_by_the_cap_is_waiting_with_r29():
    people = [inmate(id=f"f{k}", flagged=True, applications={"vacancy:w": _applied(k)})
              for k in range(3)]
    p = Problem(AS_OF, "X", people, [vacancy(id="w", free_positions=4, workplace="A")])
    got = answers(p, match(p))
    assert [got[(f"f{k}", "vacancy:w")].kind for k in range(3)] == [
        "offered", "offered", "waiting"]
    last = got[("f2", "vacancy:w")]
    assert last.rules == ("R29",) and (last.position, last.of) == (3, 3)
    assert last.to_dict()["rules"] == ["R29"]
