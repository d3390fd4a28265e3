"""The law, written once: pure, typed rules with the year's settings as input.

``law.Law`` holds one year's thresholds (with the legal defaults of each year),
``dates`` the day conventions (ages, active on a day), ``rules`` the predicates of
R1-R14 written against an abstract column backend (``ops.Ops``), so the engine's
numpy masks, the app's SQL and the entry checks are all generated from the same
definitions. ``plausible`` holds the bounds every entry point checks.

Nothing here imports Flask, SQLAlchemy, numpy, the app or the engine.
"""

from policy.law import Law, LawProblem

__all__ = ["Law", "LawProblem"]
