"""Command line: ``python -m matching solve|explain|bench``.

Bad input exits with status 2 and one line on stderr naming the problem (no traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from .errors import InputError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, status 2
        sys.stderr.write(f"error: {message}\n")
        raise SystemExit(2)


def _read_json(path: str) -> Any:
    try:
        with open(path, "rb") as fh:  # one read and one decode, not a text stream
            return json.loads(fh.read().decode("utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as e:
        raise InputError(
            f"{path}: malformed JSON ({e.msg} at line {e.lineno} column {e.colno})"
        ) from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None


def _write(obj: Any, out: str | None) -> None:
    text = json.dumps(obj, ensure_ascii=False)
    if out is None:
        sys.stdout.write(text + "\n")
        return
    try:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    except OSError as e:
        raise InputError(f"{out}: cannot write ({e.strerror})") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="python -m matching", description="Prison labour matching engine")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p_solve = sub.add_parser("solve", help="exact optimum of a core instance file")
    p_solve.add_argument("instance")
    p_solve.add_argument("-o", "--output")
    p_explain = sub.add_parser("explain", help="proposals and explanations for a domain file")
    p_explain.add_argument("problem")
    p_explain.add_argument("-o", "--output")
    p_explain.add_argument("--no-training", action="store_true", help="skip course re-solves")
    p_bench = sub.add_parser("bench", help="benchmark against OR-Tools (dev dependency)")
    p_bench.add_argument("--quick", action="store_true", help="small sizes only")
    p_bench.add_argument("--no-ortools", action="store_true")
    p_bench.add_argument("--only", help="comma-separated case names")
    p_bench.add_argument("--big-m", action="store_true",
                         help="also time OR-Tools' weaker big-M formulation (labelled)")
    p_bench.add_argument("--process", action="store_true",
                         help="race whole `solve` processes against an OR-Tools peer process")
    args = parser.parse_args(argv)
    try:
        with _no_cycle_collection(args.command == "solve"):
            return _run(args)
    except InputError as e:
        sys.stderr.write(f"error: {e}\n")
        return 2
    except RecursionError:
        sys.stderr.write("error: input nested too deeply\n")
        return 2


@contextlib.contextmanager
def _no_cycle_collection(pause: bool) -> Iterator[None]:
    """Pause the cyclic garbage collector while ``solve`` runs over a decoded file.

    A national file decodes to a million small lists and strings without a cycle; the collector
    would rescan them over and over while they are read and used (a third of a national
    file's read time, and as much again while it is validated and the answer written)
    and find nothing to free.
    """
    was = gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    if args.command == "solve":
        from .instance import Instance
        from .solver import solve

        inst = Instance.from_json(_read_json(args.instance))
        _write(solve(inst).to_json(), args.output)
    elif args.command == "explain":
        from .explain import match
        from .jsonio import load_problem

        problem = load_problem(_read_json(args.problem))
        _write(match(problem, with_training=not args.no_training).to_dict(), args.output)
    else:
        from .bench import run

        return run(quick=args.quick, ortools=not args.no_ortools, only=args.only,
                   big_m=args.big_m, process=args.process)
    return 0
