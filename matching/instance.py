"""The core input of the matching engine: :class:`Instance` (candidates, positions with
capacities, scored edges), what ``python -m matching solve`` reads and ``solver.solve``
solves (and :class:`InputError`, from ``errors.py``, re-exported).

Apart from the domain classes (``problem.py``) so that ``solve`` loads neither them nor
the law (``policy``): numpy only.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import InputError

__all__ = ["InputError", "Instance", "IntArray"]

IntArray = npt.NDArray[np.int64]




@dataclass(frozen=True, eq=False)
class Instance:
    """A b-matching instance: candidates (capacity 1), positions (capacity c), scored edges.

    Edges are stored as parallel integer arrays (indices into ``candidates`` and
    ``positions``); they are unique per (candidate, position) pair.  Build instances
    with :meth:`build` (ids) or :meth:`from_json` (the file contract), which validate.
    """

    candidates: tuple[str, ...]
    positions: tuple[str, ...]
    capacity: IntArray
    edge_cand: IntArray
    edge_pos: IntArray
    edge_score: IntArray

    @property
    def n_candidates(self) -> int:
        return len(self.candidates)

    @property
    def n_positions(self) -> int:
        return len(self.positions)

    @property
    def n_edges(self) -> int:
        return int(self.edge_cand.shape[0])

    @classmethod
    def from_arrays(
        cls,
        candidates: Sequence[str],
        positions: Sequence[str],
        capacity: npt.ArrayLike,
        edge_cand: npt.ArrayLike,
        edge_pos: npt.ArrayLike,
        edge_score: npt.ArrayLike,
    ) -> Instance:
        """Build from index arrays; duplicate (candidate, position) edges keep the highest score."""
        cap = np.asarray(capacity, dtype=np.int64).reshape(-1)
        ec = np.asarray(edge_cand, dtype=np.int64).reshape(-1)
        ep = np.asarray(edge_pos, dtype=np.int64).reshape(-1)
        es = np.asarray(edge_score, dtype=np.int64).reshape(-1)
        n, m = len(candidates), len(positions)
        if cap.shape[0] != m:
            raise InputError("capacity array length differs from the number of positions")
        if not (ec.shape == ep.shape == es.shape):
            raise InputError("edge arrays have different lengths")
        if (cap < 0).any():
            raise InputError("negative capacity")
        if (es < 0).any():
            raise InputError("negative score")
        if ec.size and (ec.min() < 0 or ec.max() >= n or ep.min() < 0 or ep.max() >= m):
            raise InputError("edge index out of range")
        key = ec * max(m, 1) + ep
        # sorted by (candidate, position) without a duplicate (as every file this class
        # writes): the sort below would return the same arrays
        if ec.size > 1 and not (key[1:] > key[:-1]).all():
            order = np.lexsort((-es, key))
            key = key[order]
            keep = np.empty(key.shape[0], dtype=bool)
            keep[0] = True
            np.not_equal(key[1:], key[:-1], out=keep[1:])
            idx = order[keep]
            ec, ep, es = ec[idx], ep[idx], es[idx]
        return cls(tuple(candidates), tuple(positions), cap, ec, ep, es)

    @classmethod
    def build(
        cls,
        candidates: Iterable[str],
        positions: Iterable[tuple[str, int]],
        edges: Iterable[tuple[str, str, int]],
    ) -> Instance:
        """Build from ids, validating everything the file contract requires.

        Vectorised: ids become indices through one dict, looked up by ``map`` (in C), and
        the checks run over whole arrays.  Only when one fails are the edges walked one by
        one, so that the message names the first bad edge.
        """
        cands = list(candidates)
        cidx = _index(cands)
        pos = list(positions)
        pidx: dict[str, int] = {}
        caps: list[int] = []
        for j, (p, cap) in enumerate(pos):
            if not isinstance(p, str):
                raise InputError(f"position id must be a string: {p!r}")
            if p in pidx:
                raise InputError(f"duplicate position id: {p!r}")
            if not _is_int(cap) or cap < 0:
                raise InputError(f"position {p!r}: capacity must be an integer >= 0, got {cap!r}")
            pidx[p] = j
            caps.append(int(cap))
        edge_list = edges if isinstance(edges, list) else list(edges)
        arrays = _edge_arrays(edge_list, cidx, pidx)
        if arrays is None:
            arrays = _edge_arrays_walked(edge_list, cidx, pidx)
        return cls.from_arrays(
            cands, [p for p, _ in pos], np.array(caps, dtype=np.int64), *arrays
        )

    @classmethod
    def from_json(cls, data: Any) -> Instance:
        """Validate and build from the decoded JSON of the file contract."""
        if not isinstance(data, dict):
            raise InputError("top level must be an object with candidates, positions, edges")
        for key in ("candidates", "positions", "edges"):
            if key not in data:
                raise InputError(f"missing key {key!r}")
            if not isinstance(data[key], list):
                raise InputError(f"{key!r} must be a list")
        positions: list[tuple[str, int]] = []
        for k, p in enumerate(data["positions"]):
            if not isinstance(p, dict) or "id" not in p or "capacity" not in p:
                raise InputError(f"position {k}: must be an object with 'id' and 'capacity'")
            positions.append((p["id"], p["capacity"]))
        edges = data["edges"]
        try:
            return cls.build(data["candidates"], positions, edges)
        except (InputError, TypeError, ValueError):
            # a malformed edge is named first, as if the shapes had been checked before
            # (a good file, the usual case, is not walked edge by edge for this)
            _check_edge_shapes(edges)
            raise

    def to_json(self) -> dict[str, Any]:
        return {
            "candidates": list(self.candidates),
            "positions": [
                {"id": p, "capacity": int(c)}
                for p, c in zip(self.positions, self.capacity, strict=False)
            ],
            "edges": [
                [self.candidates[c], self.positions[p], int(s)]
                for c, p, s in zip(
                    self.edge_cand.tolist(),
                    self.edge_pos.tolist(),
                    self.edge_score.tolist(),
                    strict=False,
                )
            ],
        }

    def with_edges(self, mask: npt.NDArray[np.bool_]) -> Instance:
        """The same candidates and positions keeping only the edges where ``mask`` is true."""
        return Instance(
            self.candidates,
            self.positions,
            self.capacity,
            self.edge_cand[mask],
            self.edge_pos[mask],
            self.edge_score[mask],
        )


def _is_int(x: object) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


_MAX_SCORE = 2**40
_SCORE_TOO_LARGE = "score too large (maximum is 2**40)"


def _check_edge_shapes(edges: list[Any]) -> None:
    for k, e in enumerate(edges):
        if not isinstance(e, list) or len(e) != 3:
            raise InputError(f"edge {k}: must be a list [candidate, position, score]")
        if not isinstance(e[0], str) or not isinstance(e[1], str):
            raise InputError(f"edge {k}: candidate and position ids must be strings")


def _index(ids: list[Any]) -> dict[str, int]:
    """Candidate id -> index; every id a string, none twice."""
    if set(map(type, ids)) <= {str}:
        index = dict(zip(ids, range(len(ids)), strict=True))
        if len(index) == len(ids):
            return index
    index = {}
    for i, c in enumerate(ids):
        if not isinstance(c, str):
            raise InputError(f"candidate id must be a string: {c!r}")
        if c in index:
            raise InputError(f"duplicate candidate id: {c!r}")
        index[c] = i
    return index


def _edge_arrays(
    edges: list[Any], cidx: dict[str, int], pidx: dict[str, int]
) -> tuple[IntArray, IntArray, IntArray] | None:
    """(candidate, position, score) index arrays, or None when some edge is bad."""
    k = len(edges)
    if k == 0:
        return _empty(), _empty(), _empty()
    try:
        if set(map(len, edges)) != {3}:
            return None
        # columns by ``itemgetter`` (``zip(*edges)`` is ten times slower on 250,000 edges)
        cs, ps, ss = (list(map(operator.itemgetter(i), edges)) for i in range(3))
        # an unknown id maps to -1; a wrong type fails the lookup or the conversion
        ec = np.fromiter(map(cidx.get, cs, itertools.repeat(-1, k)), np.int64, count=k)
        ep = np.fromiter(map(pidx.get, ps, itertools.repeat(-1, k)), np.int64, count=k)
        if not all(t is int or issubclass(t, np.integer) for t in set(map(type, ss))):
            return None  # a bool, a float, a string...: the walk names the edge
        es = np.fromiter(ss, np.int64, count=k)
    except (TypeError, ValueError, OverflowError, LookupError):
        return None
    if (ec < 0).any() or (ep < 0).any() or (es < 0).any():
        return None
    if int(es.max()) > _MAX_SCORE:
        raise InputError(_SCORE_TOO_LARGE)
    return ec, ep, es


def _edge_arrays_walked(
    edges: list[Any], cidx: dict[str, int], pidx: dict[str, int]
) -> tuple[IntArray, IntArray, IntArray]:
    """The same arrays edge by edge; raises naming the first bad edge."""
    ec: list[int] = []
    ep: list[int] = []
    es: list[int] = []
    for k, e in enumerate(edges):
        c, p, s = e
        if c not in cidx:
            raise InputError(f"edge {k}: unknown candidate id {c!r}")
        if p not in pidx:
            raise InputError(f"edge {k}: unknown position id {p!r}")
        if not _is_int(s) or s < 0:
            raise InputError(f"edge {k}: score must be an integer >= 0, got {s!r}")
        ec.append(cidx[c])
        ep.append(pidx[p])
        es.append(int(s))
    if max(es, default=0) > _MAX_SCORE:
        raise InputError(_SCORE_TOO_LARGE)
    return (np.array(ec, dtype=np.int64), np.array(ep, dtype=np.int64),
            np.array(es, dtype=np.int64))


def _empty() -> IntArray:
    return np.zeros(0, dtype=np.int64)
