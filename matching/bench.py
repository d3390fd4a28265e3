"""Benchmark: ``python -m matching bench`` (or ``python benchmarks/bench_matching.py``).

For each reproducible instance: the engine's solve time, OR-Tools
``SimpleMinCostFlow.solve_max_flow_with_min_cost()`` with unit cost -score (its strongest
formulation of this objective) on the same instance in the same process (development-only
dependency), their ratio, whether both optima agree (placed and score), with ``--big-m``
also the weaker big-M formulation (labelled as such), and peak memory (resident set,
measured in a fresh child process per case, reset just before the solve).
With OR-Tools the two race alternately in the same process and each time is the minimum
of its runs (other load on the machine weighs on both alike); without, the engine's time
is the median of its runs. Not a test: it prints a table.

``--process`` (and ``--quick``, on one institution) races whole processes instead: the
instance is written to a file in the documented input format, then
``python -m matching solve FILE -o OUT`` and its OR-Tools peer
(``benchmarks/ortools_solve_peer.py``: the same file, read alike, solved by
``solve_max_flow_with_min_cost``, the same output written) run as subprocesses,
alternately; each side's time is the minimum wall time of its runs (start-up, imports,
reading, validating, solving, writing), with the children's CPU time beside it.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import multiprocessing as mp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .problem import Instance

MB = 1024 * 1024


def _ortools_network(inst: Instance, costs_e: np.ndarray, bypass: bool) -> tuple[Any, Any, int]:
    from ortools.graph.python import min_cost_flow

    n, m = inst.n_candidates, inst.n_positions
    src, snk = n + m, n + m + 1
    extra = [src] if bypass else []
    tails = np.concatenate((np.full(n, src), inst.edge_cand, n + np.arange(m), extra))
    heads = np.concatenate((np.arange(n), n + inst.edge_pos, np.full(m, snk), [snk] * bypass))
    caps = np.concatenate(
        (np.ones(n + inst.n_edges, dtype=np.int64), inst.capacity, [n] * bypass)
    ).astype(np.int64)
    costs = np.concatenate(
        (np.zeros(n, dtype=np.int64), costs_e, np.zeros(m + bypass, dtype=np.int64))
    ).astype(np.int64)
    mcf = min_cost_flow.SimpleMinCostFlow()
    arcs = mcf.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps, costs
    )
    supply = np.zeros(n + m + 2, dtype=np.int64)
    supply[src], supply[snk] = n, -n
    mcf.set_nodes_supplies(np.arange(n + m + 2, dtype=np.int32), supply)
    return mcf, arcs, n


def ortools_solve(inst: Instance) -> tuple[int, int, float]:
    """(placed, score, seconds): the strongest OR-Tools formulation of this objective,
    ``SimpleMinCostFlow.solve_max_flow_with_min_cost()`` with unit cost -score per
    placement (no big constant): a maximum flow (most placed), of least cost among
    maximum flows (best score) - the lexicographic objective exactly.  Time includes
    building the arcs (vectorised)."""
    t0 = time.perf_counter()
    mcf, arcs, n = _ortools_network(inst, -inst.edge_score, bypass=False)
    status = mcf.solve_max_flow_with_min_cost()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"OR-Tools status {status}")
    flows = mcf.flows(arcs[n : n + inst.n_edges])
    return int(flows.sum()), int((flows * inst.edge_score).sum()), time.perf_counter() - t0


def ortools_big_m(inst: Instance) -> tuple[int, int, float]:
    """(placed, score, seconds) by OR-Tools ``solve()`` with a big-M cost -(B + score)
    and a bypass arc: the weaker formulation the first benchmark used (labelled big-M)."""
    t0 = time.perf_counter()
    n = inst.n_candidates
    max_s = int(inst.edge_score.max()) if inst.n_edges else 0
    big = max_s * max(n, 1) + 1
    mcf, arcs, n = _ortools_network(inst, -(inst.edge_score + big), bypass=True)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"OR-Tools status {status}")
    flows = mcf.flows(arcs[n : n + inst.n_edges])
    return int(flows.sum()), int((flows * inst.edge_score).sum()), time.perf_counter() - t0


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


def _status_kb(key: str) -> int:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def _measure(fn: Callable[[], Any], repeat: int) -> tuple[Any, float, float, float]:
    """(result, median seconds, peak RSS MB during the calls, RSS MB before)."""
    before = _status_kb("VmRSS:") / 1024
    _reset_peak()
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    peak = _status_kb("VmHWM:") / 1024
    return out, statistics.median(times), peak, before


CASES: dict[str, dict[str, Any]] = {
    # name: core_instance arguments (institutions, inmates per, vacancies per, degree, cap),
    # runs for the median alone, rounds of the race against OR-Tools (alternating)
    "institution 2,000 / 150": {
        "args": (1, 2000, 150, 15, 10), "repeat": 5, "race": 15, "quick": True},
    "institution dense 2,000 / 150": {
        "args": (1, 2000, 150, 30, 10), "repeat": 5, "race": 15, "quick": True},
    "institution sparse 2,000 / 150": {
        "args": (1, 2000, 150, 4.5, 10), "repeat": 5, "race": 15, "quick": True},
    # sewing and woodworking workshops: vacancies of 20-60 positions (about 75% placeable)
    "institution big workshops 2,000 / 38": {
        "args": (1, 2000, 38, 45, 40), "kw": {"capacity_range": (20, 60)},
        "repeat": 5, "race": 15, "quick": True},
    "national 35,000 / 90 inst.": {
        "args": (90, 389, 30, 9.5, 8), "repeat": 3, "race": 5, "quick": False},
    "150,000 inmates / 385 inst.": {
        "args": (385, 390, 30, 9.5, 8), "repeat": 1, "race": 3, "quick": False},
}


def _run_core(name: str, with_ortools: bool, big_m: bool = False) -> dict[str, Any]:
    from .solver import solve
    from .synthetic import core_instance

    spec = CASES[name]
    inst = core_instance(*spec["args"], seed=42, **spec.get("kw", {}))
    solve(core_instance(1, 50, 5, 3, 3, seed=1))  # warm-up (imports)
    sol, secs, peak, before = _measure(lambda: solve(inst), spec["repeat"])
    cap = inst.capacity
    row: dict[str, Any] = {
        "case": name,
        "edges": inst.n_edges,
        "shape": f"{cap.mean():.0f} ({cap.min()}-{cap.max()})",
        "flagged": 0,
        "pruned": sol.stats["pruned"],
        "positions": int(inst.capacity.sum()),
        "placed": sol.placed,
        "score": sol.score,
        "engine_s": secs,
        "engine_peak_mb": peak,
        "engine_delta_mb": peak - before,
    }
    if with_ortools:
        # the race: engine and OR-Tools alternately, the minimum of each, so that other
        # load on the machine weighs on both alike (memory was measured above, alone)
        # wall and CPU time: on a loaded machine a run that takes longer than the
        # scheduler's time slice is cut more often, so the CPU-time ratio is the fairer
        # the whole staircase (no pruning) runs in the same rounds: before and after
        engine_t, ortools_t, engine_c, ortools_c, res = [], [], [], [], (0, 0, 0.0)
        whole_c: list[float] = []
        for _ in range(spec["race"]):
            t0, c0 = time.perf_counter(), time.process_time()
            solve(inst)
            engine_c.append(time.process_time() - c0)
            engine_t.append(time.perf_counter() - t0)
            c0 = time.process_time()
            solve(inst, prune=False)
            whole_c.append(time.process_time() - c0)
            c0 = time.process_time()
            res = ortools_solve(inst)
            ortools_c.append(time.process_time() - c0)
            ortools_t.append(res[2])
        row.update(
            engine_s=min(engine_t),
            ortools_s=min(ortools_t),
            ratio=min(engine_t) / min(ortools_t),
            cpu_ratio=min(engine_c) / min(ortools_c),
            engine_cpu_s=min(engine_c),
            ortools_cpu_s=min(ortools_c),
            whole_cpu_s=min(whole_c),
            agree=(res[0], res[1]) == (sol.placed, sol.score),
        )
        if big_m:
            _, bsecs, _, _ = _measure(lambda: ortools_big_m(inst), spec["repeat"])
            row["big_m_s"] = bsecs
    return row


def _run_domain(with_ortools: bool) -> dict[str, Any]:
    from .explain import match
    from .synthetic import problem

    prob = problem(2000, 150, n_courses=8, seed=7)
    match(problem(50, 5, 1, seed=1))  # warm-up
    res, secs, peak, before = _measure(lambda: match(prob), 3)
    _, secs_nt, _, _ = _measure(lambda: match(prob, with_training=False), 3)
    return {
        "case": "domain end to end, 2,000 inmates / 150 vac.",
        "engine_s": secs,
        "no_training_s": secs_nt,
        "engine_peak_mb": peak,
        "engine_delta_mb": peak - before,
        "placed": res.summary.proposed,
        "timings": res.timings,
        "separation": res.separation.to_dict(),
    }


def _run_planner(quick: bool) -> dict[str, Any]:
    """National ranking for one trade: a 20-position workshop, every institution."""
    import dataclasses

    from .planner import Workshop, rank_institutions
    from .synthetic import problem

    k = 10 if quick else 90
    probs = [dataclasses.replace(problem(389, 30, 0, seed=s), institution=f"AK-{s}")
             for s in range(k)]
    shop = Workshop("T05", 20)
    rank_institutions(probs[:2], shop)  # warm-up
    res, secs, peak, before = _measure(lambda: rank_institutions(probs, shop), 3)
    return {
        "case": f"planner: national ranking, one trade, {k} institutions",
        "engine_s": secs,
        "engine_peak_mb": peak,
        "engine_delta_mb": peak - before,
        "placed": sum(r.extra_employed for r in res),
    }


def _run_plan() -> dict[str, Any]:
    """The workshops that would close one institution's shortfall (a run's plan)."""
    from .planner import Workshop, close_shortfall
    from .synthetic import TRADES, problem

    prob = problem(2000, 150, 0, seed=7)
    close_shortfall(problem(50, 5, 0, seed=1), TRADES, Workshop("T00", 0))  # warm-up
    res, secs, peak, before = _measure(lambda: close_shortfall(prob, TRADES, Workshop("T00", 0)), 3)
    return {
        "case": f"planner: shortfall plan, 2,000 inmates, {len(TRADES)} trades, "
                f"{len(res.steps)} workshops",
        "engine_s": secs,
        "engine_peak_mb": peak,
        "engine_delta_mb": peak - before,
        "placed": res.positions_total,
    }


def _run_separation() -> dict[str, Any]:
    """Dense separation: 400 flagged pairs (800 of 2,000 inmates linked), where the
    branch-and-bound alone ran out of its budget; the answer must be proven."""
    from .explain import match, separation_pairs
    from .synthetic import problem

    prob = problem(2000, 150, 0, seed=0, separated_pairs=400)
    match(problem(50, 5, 0, seed=1), with_training=False)  # warm-up
    res, secs, peak, before = _measure(lambda: match(prob, with_training=False), 1)
    sep = res.separation
    return {
        "case": "dense separation, 2,000 / 150, 400 flagged pairs",
        "engine_s": secs,
        "engine_peak_mb": peak,
        "engine_delta_mb": peak - before,
        "placed": f"{sep.placed} ({sep.method}, {'proven' if sep.exact else 'NOT proven'}; "
                  f"{sep.nodes} solver calls, model {sep.milp_seconds:.1f} s; "
                  f"without R14 {sep.placed_unconstrained})",
        "flagged": len(separation_pairs(prob)),
    }


def _run_exact_plan(seed: int) -> dict[str, Any]:
    """The exact shortfall plan of one 2,000-inmate institution, with the greedy plan it
    starts from (one call computes both: the time is the whole)."""
    from .exact_plan import exact_shortfall
    from .planner import Workshop
    from .synthetic import TRADES, problem

    template = Workshop("T00", 0)
    prob = problem(2000, 150, 0, seed=seed)
    exact_shortfall(problem(50, 5, 0, seed=1), TRADES, template)  # warm-up
    cpu = time.process_time()
    res, secs, peak, before = _measure(lambda: exact_shortfall(prob, TRADES, template), 1)
    cpu = time.process_time() - cpu
    greedy = len({s.trade_code for s in res.greedy.steps})
    return {
        "case": f"planner: exact shortfall plan with the greedy one, 2,000 inmates, "
                f"{len(TRADES)} trades, seed {seed}",
        "engine_s": secs,
        "engine_peak_mb": peak,
        "engine_delta_mb": peak - before,
        "placed": f"{res.plan.positions_total} in {len(res.plan.steps)} workshops "
                  f"(greedy {greedy}; "
                  f"{'proven' if res.proven_optimal else 'NOT proven, at least'} "
                  f"{res.workshops_lower_bound}; {cpu * 1000:,.0f} ms CPU, {res.cuts} cuts, "
                  f"{res.flows} max flows of the search)",
    }


def _child(kind: str, name: str, with_ortools: bool, big_m: bool) -> dict[str, Any]:
    if kind == "domain":
        return _run_domain(with_ortools)
    if kind == "separation":
        return _run_separation()
    if kind == "exact_plan":
        return _run_exact_plan(int(name))
    if kind == "planner":
        return _run_planner(quick=name == "quick")
    if kind == "plan":
        return _run_plan()
    return _run_core(name, with_ortools, big_m)


ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT / "benchmarks" / "ortools_solve_peer.py"
# process race: case name -> alternating rounds
PROCESS_CASES = {
    "institution 2,000 / 150": 5,
    "national 35,000 / 90 inst.": 5,
    "150,000 inmates / 385 inst.": 3,
}


def _timed_process(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one child process; a failure stops the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _race_processes(name: str, rounds: int) -> dict[str, Any]:
    from .synthetic import core_instance

    inst = core_instance(*CASES[name]["args"], seed=42)
    with tempfile.TemporaryDirectory() as tmp:
        src, out_e, out_o = (os.path.join(tmp, f) for f in ("in.json", "e.json", "o.json"))
        with open(src, "w", encoding="utf-8") as fh:
            json.dump(inst.to_json(), fh)
        engine = [sys.executable, "-m", "matching", "solve", src, "-o", out_e]
        peer = [sys.executable, str(PEER), src, "-o", out_o]
        runs: dict[str, list[tuple[float, float]]] = {"engine": [], "peer": []}
        for _ in range(rounds):
            runs["engine"].append(_timed_process(engine))
            runs["peer"].append(_timed_process(peer))
        answers = []
        for path in (out_e, out_o):
            with open(path, encoding="utf-8") as fh:
                got = json.load(fh)
            answers.append((got["placed"], got["score"]))
        size = os.path.getsize(src)
    e_wall, o_wall = (min(w for w, _ in runs[k]) for k in ("engine", "peer"))
    e_cpu, o_cpu = (min(c for _, c in runs[k]) for k in ("engine", "peer"))
    return {
        "case": name,
        "edges": inst.n_edges,
        "mb": size / MB,
        "placed": answers[0][0],
        "engine_s": e_wall,
        "ortools_s": o_wall,
        "ratio": e_wall / o_wall,
        "cpu_ratio": e_cpu / o_cpu,
        "agree": answers[0] == answers[1],
    }


def run_processes(quick: bool) -> int:
    """The whole-process race; prints its table with the load average before and after."""
    if not PEER.exists():
        print(f"{PEER} not found (a source checkout is needed): no process race")
        return 0
    names = [n for n in PROCESS_CASES if CASES[n]["quick"] == quick]
    load = os.getloadavg()[0]
    rows = []
    for name in names:
        rows.append(_race_processes(name, PROCESS_CASES[name]))
        _print_row(rows[-1])
    print()
    print(f"Whole processes, load average {load:.2f} before, {os.getloadavg()[0]:.2f} after")
    print("| case | pairs | file | `python -m matching solve` | OR-Tools peer process "
          "| ratio (wall) | ratio (CPU time) | optima agree |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['case']} | {r['edges']:,} | {r['mb']:.1f} MB | {r['engine_s'] * 1000:,.0f} ms "
              f"| {r['ortools_s'] * 1000:,.0f} ms | {r['ratio']:.2f} | {r['cpu_ratio']:.2f} "
              f"| {'yes' if r['agree'] else 'NO'} |")
    return 0


def run(
    quick: bool = False,
    ortools: bool = True,
    only: str | None = None,
    big_m: bool = False,
    process: bool = False,
) -> int:
    if ortools:
        try:
            import ortools as _  # noqa: F401
        except ImportError:
            print("OR-Tools not installed (dev dependency): comparing nothing")
            ortools = False
    if process:
        if not ortools:
            print("the process race needs its OR-Tools peer: nothing to race")
            return 0
        return run_processes(quick)
    wanted = None if only is None else {s.strip() for s in only.split(",")}
    jobs: list[tuple[str, str]] = [
        ("core", name)
        for name, spec in CASES.items()
        if (not quick or spec["quick"]) and (wanted is None or any(w in name for w in wanted))
    ]
    if wanted is None or any("domain" in w for w in wanted):
        jobs.append(("domain", "domain"))
    if not quick and (wanted is None or any("separation" in w for w in wanted)):
        jobs.append(("separation", "separation"))
    if wanted is None or any("planner" in w for w in wanted):
        jobs.append(("planner", "quick" if quick else "full"))
        jobs.append(("plan", "plan"))
        # the six institutions (seeds 0-5; the quick run: the first) and seed 7
        jobs += [("exact_plan", str(seed)) for seed in ([0, 7] if quick else [*range(6), 7])]
    rows = []
    load = os.getloadavg()
    ctx = mp.get_context("spawn")
    for kind, name in jobs:
        # a fresh process per case: peak memory is the case's own
        with cf.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as ex:
            rows.append(ex.submit(_child, kind, name, ortools, big_m).result())
        _print_row(rows[-1])
    print()
    print(f"load average {load[0]:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(_table(rows))
    if ortools and quick and only is None:  # CI: the process race too, small
        print()
        return run_processes(quick)
    return 0


def _print_row(r: dict[str, Any]) -> None:
    print(f"done: {r['case']}", flush=True)


def _table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| case | positions per vacancy | pairs | flagged pairs | positions | placed | engine "
        "| OR-Tools max-flow-min-cost | ratio | CPU time: engine / OR-Tools (ratio) "
        "| whole staircase (CPU) | optima agree | OR-Tools big-M | peak RSS (delta) |"
    )
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"]
    for r in rows:
        if "timings" not in r and "edges" not in r:
            flagged = r.get("flagged", "")
            lines.append(
                f"| {r['case']} | | | {flagged} | | {r['placed']} "
                f"| {r['engine_s'] * 1000:,.0f} ms "
                f"| - | - | - | - | - | - | {r['engine_peak_mb']:.0f} MB "
                f"({r['engine_delta_mb']:+.0f} MB) |"
            )
            continue
        if "edges" not in r:
            t = r["timings"]
            lines.append(
                f"| {r['case']} | | | | | {r['placed']} | {r['engine_s'] * 1000:.0f} ms "
                f"(without training {r['no_training_s'] * 1000:.0f} ms; rules+scores "
                f"{t['rules_and_scores'] * 1000:.0f}, solve {t['solve'] * 1000:.0f}, "
                f"explain {t['explain'] * 1000:.0f}, training {t['training'] * 1000:.0f}) "
                f"| - | - | - | - | - | - | {r['engine_peak_mb']:.0f} MB "
                f"({r['engine_delta_mb']:+.0f} MB) |"
            )
            continue
        ort = f"{r['ortools_s'] * 1000:.0f} ms" if "ortools_s" in r else "-"
        ratio = f"{r['ratio']:.2f}" if "ratio" in r else "-"
        cpu = (f"{r['engine_cpu_s'] * 1000:.1f} / {r['ortools_cpu_s'] * 1000:.1f} ms "
               f"({r['cpu_ratio']:.2f})" if "cpu_ratio" in r else "-")
        whole = f"{r['whole_cpu_s'] * 1000:.1f} ms" if "whole_cpu_s" in r else "-"
        agree = ("yes" if r["agree"] else "NO") if "agree" in r else "-"
        big = f"{r['big_m_s'] * 1000:.0f} ms" if "big_m_s" in r else "-"
        lines.append(
            f"| {r['case']} | {r['shape']} | {r['edges']:,} | {r['flagged']} "
            f"| {r['positions']:,} | {r['placed']:,} "
            f"| {r['engine_s'] * 1000:.0f} ms | {ort} | {ratio} | {cpu} | {whole} | {agree} "
            f"| {big} "
            f"| {r['engine_peak_mb']:.0f} MB ({r['engine_delta_mb']:+.0f} MB) |"
        )
    return "\n".join(lines)
