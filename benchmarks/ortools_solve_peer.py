"""The OR-Tools peer of ``python -m matching solve FILE``, for the process race of
``python -m matching bench --process`` (not part of the product).

    python benchmarks/ortools_solve_peer.py FILE [-o OUT]

Reads the same core-instance file the way the engine does (the file in one read, ``json``,
the cyclic garbage collector paused for the whole run and the objects frozen before the
interpreter exits, as ``python -m matching solve`` does), maps ids to indices as fast as
Python allows (one dict, ``map`` in C, no per-edge validation), builds the network with
the vectorised ``add_arcs_with_capacity_and_unit_cost``, solves with
``SimpleMinCostFlow.solve_max_flow_with_min_cost()`` (unit cost -score: most placed, then
best score, OR-Tools' strongest formulation of this objective) and writes the engine's
output: ``{"assignments": [[candidate, position], ...], "placed": n, "score": s}``.
"""

import gc
import json
import operator
import sys


def main(argv):
    # imported here, with the collector already paused, as python -m matching imports
    # numpy and scipy inside its command
    import numpy as np
    from ortools.graph.python import min_cost_flow

    path = argv[0]
    out = argv[argv.index("-o") + 1] if "-o" in argv else None
    with open(path, "rb") as fh:
        data = json.loads(fh.read().decode("utf-8"))
    cands = data["candidates"]
    pos_ids = [p["id"] for p in data["positions"]]
    n, m = len(cands), len(pos_ids)
    cidx = dict(zip(cands, range(n), strict=True))
    pidx = dict(zip(pos_ids, range(m), strict=True))
    # columns by itemgetter: ten times faster than zip(*edges) on 250,000 edges
    cs, ps, ss = (list(map(operator.itemgetter(i), data["edges"])) for i in range(3))
    k = len(cs)
    ec = np.fromiter(map(cidx.__getitem__, cs), np.int32, count=k)
    ep = np.fromiter(map(pidx.__getitem__, ps), np.int32, count=k)
    es = np.fromiter(ss, np.int64, count=k)
    cap = np.fromiter((p["capacity"] for p in data["positions"]), np.int64, count=m)

    src, snk = n + m, n + m + 1
    tails = np.concatenate((np.full(n, src, np.int32), ec, np.arange(n, n + m, dtype=np.int32)))
    heads = np.concatenate((np.arange(n, dtype=np.int32), n + ep, np.full(m, snk, np.int32)))
    caps = np.concatenate((np.ones(n + k, np.int64), cap))
    costs = np.concatenate((np.zeros(n, np.int64), -es, np.zeros(m, np.int64)))
    mcf = min_cost_flow.SimpleMinCostFlow()
    arcs = mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supply = np.zeros(n + m + 2, np.int64)
    supply[src], supply[snk] = n, -n
    mcf.set_nodes_supplies(np.arange(n + m + 2, dtype=np.int32), supply)
    if mcf.solve_max_flow_with_min_cost() != mcf.OPTIMAL:
        sys.stderr.write("error: OR-Tools found no optimum\n")
        return 1
    chosen = np.flatnonzero(mcf.flows(arcs[n : n + k]))
    result = {
        "assignments": [[cands[a], pos_ids[b]]
                        for a, b in zip(ec[chosen].tolist(), ep[chosen].tolist(), strict=True)],
        "placed": int(chosen.size),
        "score": int(es[chosen].sum()),
    }
    text = json.dumps(result, ensure_ascii=False) + "\n"
    if out is None:
        sys.stdout.write(text)
    else:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    return 0


if __name__ == "__main__":
    gc.disable()
    code = main(sys.argv[1:])
    gc.freeze()  # as python -m matching: no final collection over the imported modules
    sys.exit(code)
