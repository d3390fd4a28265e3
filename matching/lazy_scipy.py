"""The scipy functions the engine calls, each imported on its first call.

The app imports the engine's modules when it starts (its pages, operations and receivers
name them), so a process that never solves, such as a job worker importing a spreadsheet
or booking a pay month, would load scipy's sparse graphs and HiGHS for nothing: 52 MB of
such a worker's memory (docs/benchmarks.md). Each name here stands for the scipy function
of the same name and imports it the first time it is called.
"""

import importlib
from collections.abc import Callable
from typing import Any


def _on_first_call(module: str, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"``{module}.{name}``, imported on the first call."
    return call


coo_matrix = _on_first_call("scipy.sparse", "coo_matrix")
csr_matrix = _on_first_call("scipy.sparse", "csr_matrix")
hstack = _on_first_call("scipy.sparse", "hstack")
vstack = _on_first_call("scipy.sparse", "vstack")
breadth_first_order = _on_first_call("scipy.sparse.csgraph", "breadth_first_order")
connected_components = _on_first_call("scipy.sparse.csgraph", "connected_components")
maximum_bipartite_matching = _on_first_call("scipy.sparse.csgraph",
                                            "maximum_bipartite_matching")
maximum_flow = _on_first_call("scipy.sparse.csgraph", "maximum_flow")
min_weight_full_bipartite_matching = _on_first_call("scipy.sparse.csgraph",
                                                    "min_weight_full_bipartite_matching")
Bounds = _on_first_call("scipy.optimize", "Bounds")
LinearConstraint = _on_first_call("scipy.optimize", "LinearConstraint")
milp = _on_first_call("scipy.optimize", "milp")
