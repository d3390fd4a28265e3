"""R27-R31 in the engine: a national match run with risk levels, workplace security,
flagged persons under the scattered model's cap, court bans and applications, against the
same run without them (the same invented institutions), in one process.

    python benchmarks/bench_engine_rules.py [--quick] [--rounds N] [--dense]

Prints each side's time (the minimum over rounds, the two sides alternating), the ratio
(target: at most 1.2) and what the rules did (caps binding, applicants placed, answers
proven optimal).  ``--dense`` adds one institution of 2,000 inmates with 400 separated
pairs and 10% flagged (R14 and R29 together, dense). Figures: docs/benchmarks.md.
"""

import argparse
import dataclasses
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching import match  # noqa: E402
from matching.synthetic import problem, with_security_and_applications  # noqa: E402

NATIONAL = (90, 389, 30)  # institutions, inmates, vacancies: 35,000 people (bench.py)
FLAGGED = 0.06  # flagged share, four workshops a site: caps bind in some institutions


def _institutions(k: int, n: int, m: int) -> tuple[list, list]:
    plain = [dataclasses.replace(problem(n, m, 4, seed=s), institution=f"AK-{s}")
             for s in range(k)]
    return plain, [with_security_and_applications(p, seed=s, flagged_share=FLAGGED,
                                                   workshops=4)
                   for s, p in enumerate(plain)]


def _run(problems: list) -> tuple[float, float, list]:
    """Wall and CPU time (the engine is single-threaded: CPU time suffers less from a
    machine shared with other work)."""
    t0, c0 = time.perf_counter(), time.process_time()
    results = [match(p) for p in problems]
    return time.perf_counter() - t0, time.process_time() - c0, results


def _describe(results: list) -> str:
    methods = Counter(r.separation.method for r in results)
    proven = sum(r.summary.proven_optimal for r in results)
    placed = sum(r.summary.proposed for r in results)
    binding = sum(r.separation.caps_binding > 0 for r in results)
    applied = sum(r.applications.get("placed_as_applied", 0) for r in results)
    applicants = sum(r.applications.get("applicants", 0) for r in results)
    exact_days = all(r.applications.get("dates_exact", True) for r in results)
    return (f"placed {placed:,}; proven optimal {proven}/{len(results)}; methods "
            f"{dict(methods)}; caps binding in {binding}; applicants placed as applied "
            f"{applied:,} of {applicants:,}; application days exact: {exact_days}")


def national(quick: bool, rounds: int) -> None:
    k, n, m = (6, 389, 30) if quick else NATIONAL
    plain, rules = _institutions(k, n, m)
    match(plain[0])  # warm-up (imports, caches)
    match(rules[0])
    best = {"without": float("inf"), "with": float("inf")}
    cpu = dict(best)
    out: dict[str, list] = {}
    for _ in range(rounds):
        for name, probs in (("without", plain), ("with", rules)):
            took, used, out[name] = _run(probs)
            best[name] = min(best[name], took)
            cpu[name] = min(cpu[name], used)
    print(f"national match run: {k} institutions x {n} inmates / {m} vacancies "
          f"({k * n:,} people), minimum of {rounds} rounds, load {os.getloadavg()[0]:.1f}")
    for name in ("without", "with"):
        print(f"  {name:7s} R27-R31: {best[name] * 1000:8.0f} ms (CPU {cpu[name] * 1000:.0f} ms)"
              f"   {_describe(out[name])}")
    print(f"  ratio with / without: {best['with'] / best['without']:.2f} "
          f"(CPU {cpu['with'] / cpu['without']:.2f}; target <= 1.2), load at the end "
          f"{os.getloadavg()[0]:.1f}")


def dense() -> None:
    base = problem(2000, 150, 0, seed=0, separated_pairs=400)
    p = with_security_and_applications(base, seed=0, flagged_share=0.1)
    t0 = time.perf_counter()
    r = match(p, with_training=False)
    took = time.perf_counter() - t0
    sep = r.separation
    print(f"dense: 2,000 inmates, 150 vacancies, 400 separated pairs, 10% flagged: "
          f"{took:.2f} s, method {sep.method} (model first: {sep.milp_first or 'no'}), "
          f"proven {sep.exact}, placed {sep.placed} (bound {sep.upper_placed}; "
          f"{sep.placed_unconstrained} without R14/R29), caps binding {sep.caps_binding}, "
          f"model {sep.milp_seconds:.2f} s, load {os.getloadavg()[0]:.1f}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="6 institutions, one round")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--dense", action="store_true")
    a = ap.parse_args()
    national(a.quick, a.rounds or (1 if a.quick else 3))
    if a.dense:
        dense()
    return 0


if __name__ == "__main__":
    sys.exit(main())
