"""Domain pipeline: proposals respect every rule and R14, explanations, summary, training."""

import dataclasses
import datetime as dt
import json
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import Course, Problem, Settings, check_pair, match
from matching.explain import instance_of, prepare
from matching.problem import Instance
from matching.separation import conflicts, solve_separated
from matching.solver import brute_force, solve
from matching.synthetic import problem
from tests.matching.test_rules import AS_OF, inmate, vacancy


def test_proposals_obey_rules_capacity_and_separation():
    p = problem(300, 30, n_courses=4, seed=11, separated_pairs=40)
    r = match(p)
    inm = {x.id: x for x in p.inmates}
    vac = {v.id: v for v in p.vacancies}
    used = {}
    for pr in r.proposals:
        assert check_pair(inm[pr.inmate_id], vac[pr.vacancy_id], p.settings, p.as_of) == []
        assert not inm[pr.inmate_id].employed
        used[pr.vacancy_id] = used.get(pr.vacancy_id, 0) + 1
        assert pr.score == sum(pr.score_parts.values())
    assert all(used[v] <= vac[v].free_positions for v in used)
    assert len({pr.inmate_id for pr in r.proposals}) == len(r.proposals)
    where = {pr.inmate_id: vac[pr.vacancy_id] for pr in r.proposals}
    for a in where:
        for b in inm[a].separated_from:
            if b in where:
                va, vb = where[a], where[b]
                assert (va.site, va.workplace, va.shift) != (vb.site, vb.workplace, vb.shift)
    json.dumps(r.to_dict())  # JSON-serialisable


def test_optimum_matches_core_solve_without_separation():
    p = problem(200, 20, n_courses=0, seed=3, separated_pairs=0)
    r = match(p)
    inst = instance_of(prepare(p))
    sol = solve(inst)
    assert r.summary.proposed == sol.placed
    assert sum(x.score for x in r.proposals) == sol.score


def test_unplaced_reasons_and_summary():
    people = [
        inmate(id="a", regime="maximum", skills={"7212": 3}),  # barred outside only
        inmate(id="b", skills={"7212": 3}, trade_wishes=frozenset({"7212"})),
        inmate(id="c", skills={"7212": 1}),
        inmate(id="d", legal_status="remand"),
        inmate(id="e", employed=True),
    ]
    vacs = [
        vacancy(id="out1", site="outside", free_positions=5),
        vacancy(id="out2", site="outside", free_positions=5, start_date=dt.date(2031, 1, 1)),
        vacancy(id="in1", site="inside", free_positions=1, women_barred=False),
    ]
    vacs[0] = dataclasses.replace(vacs[0], free_positions=0)
    vacs[1] = dataclasses.replace(vacs[1], free_positions=0)
    prob = Problem(AS_OF, "AK-1", people, vacs)
    r = match(prob)
    assert [(x.inmate_id, x.vacancy_id) for x in r.proposals] == [("b", "in1")]
    un = {u.inmate_id: u for u in r.unplaced}
    # a: maximum regime may not work outside; the inside vacancy is taken
    assert un["a"].reason == "outscored"
    assert un["a"].outscored_by[0].vacancy_id == "in1"
    assert un["a"].outscored_by[0].taken == 1
    assert un["c"].reason == "outscored"
    assert un["c"].outscored_by[0].lowest_placed_score >= un["c"].outscored_by[0].own_score
    assert un["d"].reason == "not_able_to_work"
    assert un["d"].barred_by[0].rule == "R2"
    assert "e" not in un
    s = r.summary
    assert (s.held, s.able_to_work, s.employed, s.proposed) == (5, 4, 1, 1)
    assert s.projected_rate == 0.5
    assert s.shortfall == math.ceil(0.75 * 4) - 2


def test_an_employed_inmate_not_able_to_work_does_not_count_towards_the_rate():
    people = [inmate(id="fit", employed=True),
              inmate(id="unfit", employed=True, fitness="unfit"),
              inmate(id="idle")]
    s = match(Problem(AS_OF, "AK-1", people, [])).summary
    assert (s.held, s.able_to_work, s.employed) == (3, 2, 1)
    assert s.projected_rate == 0.5  # never above 100%
    # employed among all held counts the same employed people as R1
    assert s.projected_rate_all_held == round(1 / 3, 6)


def test_no_eligible_vacancy_groups_rules():
    people = [inmate(id="a", regime="maximum", release_date=dt.date(2025, 4, 1))]
    vacs = [
        vacancy(id=f"o{k}", site="outside", start_date=dt.date(2025, 3, 1)) for k in range(3)
    ] + [vacancy(id="late", start_date=dt.date(2025, 5, 1))]
    r = match(Problem(AS_OF, "AK-1", people, vacs))
    (u,) = r.unplaced
    assert u.reason == "no_eligible_vacancy"
    assert {(b.rule, b.vacancies) for b in u.barred_by} == {("R8", 3), ("R13", 1)}
    assert u.barred_by[0].reason == "regime may not work outside the perimeter"


def test_separation_exact_small():
    """Two separated inmates, one group with two slots and another with one: the exact
    answer moves one of them; compared with brute force over the conflict constraint."""
    people = [
        inmate(id="a", separated_from=frozenset({"b"}), skills={"7212": 3}),
        inmate(id="b", separated_from=frozenset({"a"}), skills={"7212": 3}),
        inmate(id="c"),
    ]
    vacs = [
        vacancy(id="day", free_positions=2, shift="day"),
        vacancy(id="night", free_positions=1, shift="night", monthly_wage=85_000),
    ]
    r = match(Problem(AS_OF, "AK-1", people, vacs))
    assert r.summary.proposed == 3
    where = {x.inmate_id: x.vacancy_id for x in r.proposals}
    assert where["a"] != where["b"]
    assert r.separation.exact


@st.composite
def sep_instances(draw, n_min=2, n_max=6, min_pairs=0, max_pairs=3, dense=False):
    """(instance, group per position, separated pairs); ``dense``: every candidate has
    at least one edge on average and pairs are distinct."""
    n = draw(st.integers(n_min, n_max))
    m = draw(st.integers(1, 4))
    caps = draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
    groups = draw(st.lists(st.integers(0, 1), min_size=m, max_size=m))
    edges = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, m - 1), st.integers(0, 9)),
            min_size=n if dense else 0, max_size=n * m,
        )
    )
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                          min_size=min_pairs, max_size=max_pairs))
    pairs = [(a, b) for a, b in pairs if a != b]
    if dense:
        pairs = sorted({(min(a, b), max(a, b)) for a, b in pairs})
    inst = Instance.from_arrays(
        [str(i) for i in range(n)],
        [str(j) for j in range(m)],
        caps,
        [e[0] for e in edges],
        [e[1] for e in edges],
        [e[2] for e in edges],
    )
    return inst, np.array(groups, dtype=np.int64), pairs


def _brute_separated(inst, groups, pairs, flagged=None, room=None):
    """The best (placed, score) of every plan keeping R14 and, with ``flagged`` and
    ``room``, R29's caps (at most ``room[g]`` flagged candidates in group ``g``)."""
    n = inst.n_candidates
    opts = [[] for _ in range(n)]
    for k in range(inst.n_edges):
        opts[inst.edge_cand[k]].append((int(inst.edge_pos[k]), int(inst.edge_score[k])))
    cap = inst.capacity.tolist()
    where = [-1] * n
    best = (0, 0)

    def ok():
        if any(where[a] >= 0 and where[b] >= 0 and groups[where[a]] == groups[where[b]]
               for a, b in pairs):
            return False
        if flagged is None:
            return True
        count = np.zeros(len(room), dtype=int)
        for c in range(n):
            if flagged[c] and where[c] >= 0:
                count[groups[where[c]]] += 1
        return bool((count <= room).all())

    def rec(i, placed, score):
        nonlocal best
        if i == n:
            if ok() and (placed, score) > best:
                best = (placed, score)
            return
        rec(i + 1, placed, score)
        for p, s in opts[i]:
            if cap[p] > 0:
                cap[p] -= 1
                where[i] = p
                rec(i + 1, placed + 1, score + s)
                where[i] = -1
                cap[p] += 1

    rec(0, 0, 0)
    return best


@settings(max_examples=200, deadline=None)
@given(sep_instances())
def test_separation_branch_and_bound_is_exact(case):
    inst, groups, pairs = case
    sol, info = solve_separated(inst, groups, pairs)
    assert info.exact
    assert conflicts(sol, groups, np.array(pairs, dtype=np.int64).reshape(-1, 2)) == []
    assert (sol.placed, sol.score) == _brute_separated(inst, groups, pairs)
    assert (info.placed_unconstrained, info.score_unconstrained) == brute_force(inst)


def test_training_recommendation_gain_is_exact_and_respects_release():
    # three inmates lack the certificate; the vacancy has 2 free positions
    people = [
        inmate(id="a"),
        inmate(id="b"),
        inmate(id="c", release_date=dt.date(2025, 4, 1)),  # released before the course ends
    ]
    vacs = [vacancy(id="v", required_certificates=frozenset({"weld"}), free_positions=2)]
    course = Course(
        "c1", "7212", None, "weld", seats=5, start_date=AS_OF, end_date=dt.date(2025, 5, 1)
    )
    small = dataclasses.replace(course, id="c2", seats=1)
    ended = dataclasses.replace(course, id="old", end_date=dt.date(2025, 1, 1))
    r = match(Problem(AS_OF, "AK-1", people, vacs, courses=[small, course, ended]))
    assert r.summary.proposed == 0
    recs = {x.course_id: x for x in r.training_recommendations}
    assert set(recs) == {"c1", "c2"}
    assert recs["c1"].extra_placements == 2 and recs["c1"].exact
    assert recs["c1"].inmate_ids == ["a", "b"]
    assert recs["c2"].extra_placements == 1 and recs["c2"].exact
    assert len(recs["c2"].inmate_ids) == 1
    assert [x.course_id for x in r.training_recommendations] == ["c1", "c2"]


def test_training_vacancy_ending_before_course_end_gains_nothing():
    people = [inmate(id="a")]
    vacs = [
        vacancy(id="v", required_certificates=frozenset({"weld"}), end_date=dt.date(2025, 4, 1))
    ]
    course = Course("c1", "7212", None, "weld", 5, AS_OF, dt.date(2025, 5, 1))
    r = match(Problem(AS_OF, "AK-1", people, vacs, courses=[course]))
    assert r.training_recommendations == []


def test_settings_weights_change_scores():
    p = problem(100, 10, n_courses=0, seed=2)
    heavy = dataclasses.replace(
        p,
        settings=dataclasses.replace(
            Settings(),
            weights=dataclasses.replace(
                Settings().weights,
                wage=0,
                skill=0,
                certificate=0,
                wish=0,
                recent_training=0,
                release_time=0,
            ),
        ),
    )
    r = match(heavy)
    assert all(x.score == 0 for x in r.proposals)
    assert r.summary.proposed == match(p).summary.proposed


def _asdict_reference(result):
    """What ``MatchResult.to_dict`` returned when built with ``dataclasses.asdict``."""
    d = dataclasses.asdict(result)
    d["separation"] = result.separation.to_dict()
    return d


def test_to_dict_is_asdict_without_the_cost():
    for n, m, seed in ((250, 25, 1), (300, 30, 2), (400, 20, 4)):
        r = match(problem(n, m, n_courses=8, seed=seed, separated_pairs=30))
        assert r.unplaced and r.proposals and r.training_recommendations
        assert r.summary.shortfall
        # same keys, same order, same values
        assert json.dumps(r.to_dict()) == json.dumps(_asdict_reference(r))
    empty = match(Problem(as_of=AS_OF, institution="X", inmates=[], vacancies=[]))
    assert json.dumps(empty.to_dict()) == json.dumps(_asdict_reference(empty))


def test_explanations_list_the_best_vacancies_and_the_barring_rules():
    p = problem(250, 25, n_courses=0, seed=5, separated_pairs=30)
    prep = prepare(p)
    r = match(p, with_training=False)
    row = {x: i for i, x in enumerate(prep.frame.inmate_ids)}
    col = {x: j for j, x in enumerate(prep.frame.vacancy_ids)}
    kinds = set()
    for u in r.unplaced:
        i = row[u.inmate_id]
        kinds.add(u.reason)
        if u.reason == "outscored":
            allowed = np.flatnonzero(prep.allowed[i])
            best = allowed[np.argsort(-prep.score[i, allowed], kind="stable")][:5]
            assert [col[o.vacancy_id] for o in u.outscored_by] == best.tolist()
            assert [o.own_score for o in u.outscored_by] == prep.score[i, best].tolist()
        elif u.reason == "no_eligible_vacancy":
            counts = {rule.rule: int((~rule.allowed[i]).sum()) for rule in prep.rules}
            assert {b.rule: b.vacancies for b in u.barred_by} == {
                rule: c for rule, c in counts.items() if c > 0}
            assert [b.vacancies for b in u.barred_by] == sorted(
                (b.vacancies for b in u.barred_by), reverse=True)
    assert kinds == {"outscored", "no_eligible_vacancy", "not_able_to_work"}


def test_no_vacancy_at_all_leaves_everybody_without_one():
    r = match(Problem(as_of=AS_OF, institution="X", inmates=[inmate(id="a")], vacancies=[]))
    assert [(u.inmate_id, u.reason) for u in r.unplaced] == [("a", "no_eligible_vacancy")]
    assert r.proposals == [] and r.summary.shortfall == 1


def test_several_paid_placements_when_the_setting_allows_them():
    """R9: with one_paid_placement off, an employed inmate with hours left is proposed a
    second placement, which employs nobody new; with it on (the default), never."""
    worker = inmate(id="w", employed=True, current_weekly_hours=20)
    part_time = vacancy(id="v", weekly_hours=20, monthly_wage=42_500)
    several = dataclasses.replace(Settings(), one_paid_placement=False)
    allowed = match(Problem(AS_OF, "X", [worker], [part_time], settings=several))
    assert [(p.inmate_id, p.vacancy_id) for p in allowed.proposals] == [("w", "v")]
    assert allowed.summary.employed == 1 and allowed.summary.projected_rate == 1.0
    assert not allowed.unplaced
    default = match(Problem(AS_OF, "X", [worker], [part_time]))
    assert default.proposals == [] and not default.unplaced


def _committed_case(upcoming: bool) -> Problem:
    """Four people able to work: one at work, one whose accepted placement starts later
    (or, before the officer accepted it, free to propose), two free; one position."""
    people = [inmate(id="works", employed=True), inmate(id="starts", upcoming_paid=upcoming),
              inmate(id="c"), inmate(id="d")]
    return Problem(AS_OF, "AK-1", people, [vacancy(id="v", free_positions=1 + (not upcoming))])


def test_an_accepted_placement_that_starts_later_counts_as_placed():
    """Accepting a proposal that starts in a fortnight must not lower the projection:
    the person is committed (placed in every projection), not employed today (R1)."""
    before = match(_committed_case(upcoming=False)).summary
    after = match(_committed_case(upcoming=True)).summary
    assert before.proposed == 2 and after.proposed == 1
    assert "starts" not in {p.inmate_id for p in match(_committed_case(True)).proposals}
    assert (after.employed, after.committed) == (1, 1)
    assert after.projected_rate == before.projected_rate == 0.75
    assert after.projected_rate_all_held == before.projected_rate_all_held == 0.75
    assert after.shortfall == before.shortfall == 0


def test_a_committed_person_not_able_to_work_is_not_counted():
    people = [inmate(id="unfit", upcoming_paid=True, fitness="unfit"), inmate(id="idle")]
    s = match(Problem(AS_OF, "AK-1", people, [])).summary
    assert (s.able_to_work, s.employed, s.committed) == (1, 0, 0)
    assert (s.projected_rate, s.projected_rate_all_held) == (0.0, 0.0)
