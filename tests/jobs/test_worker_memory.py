"""A process that never solves loads none of scipy: the engine's modules call scipy through
``matching.lazy_scipy``, which imports each function on its first call (a job worker
importing a spreadsheet stays 50 MB smaller; benchmarks/bench_jobs.py)."""

import subprocess
import sys

from matching import lazy_scipy

SOLVERS = ("scipy.sparse", "scipy.optimize")
LOADED = ("import sys; from app import create_app; create_app(); "
          f"print(sorted(m for m in sys.modules if m.startswith({SOLVERS!r})))")


def test_the_app_starts_without_scipys_solvers():
    started = subprocess.run([sys.executable, "-c", LOADED], capture_output=True, text=True,
                             check=True)
    assert started.stdout.strip() == "[]"


def test_each_lazy_name_is_scipys_function_of_that_name():
    import scipy.optimize
    import scipy.sparse
    import scipy.sparse.csgraph

    for name in ("coo_matrix", "csr_matrix", "hstack", "vstack", "Bounds", "LinearConstraint",
                 "milp", "breadth_first_order", "connected_components",
                 "maximum_bipartite_matching", "maximum_flow",
                 "min_weight_full_bipartite_matching"):
        module = next(m for m in (scipy.sparse, scipy.sparse.csgraph, scipy.optimize)
                      if hasattr(m, name))
        assert getattr(lazy_scipy, name).__doc__.startswith(f"``{module.__name__}.{name}``")
    assert lazy_scipy.csr_matrix([[1, 0], [0, 2]]).nnz == 2
