"""Benchmark of the matching engine against OR-Tools (dev dependency).

    python benchmarks/bench_matching.py [--quick] [--process] [--no-ortools] [--big-m] [--only NAME]

Same as ``python -m matching bench``; see matching/README.md for the figures.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matching.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["bench", *sys.argv[1:]]))
