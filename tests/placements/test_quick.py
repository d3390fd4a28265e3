from app.placements import adapter, operations
from app.settings.operations import settings_for
from tests import factories
from datetime import date
import matching

def test_quick(app, world):
    inst = world["institution"]
    emp = factories.employer()
    v = factories.vacancy(emp, inst, positions=2)
    for _ in range(3):
        factories.consent(factories.inmate(inst), "private_employer")
    factories.course(inst)
    p = adapter.build_problem(inst, date.today(), settings_for(date.today().year))
    snap = adapter.problem_snapshot(p)
    assert matching.load_problem(snap) == p
    run = operations.start_run(inst, world["officer"].id)
    print(run.result["summary"], run.duration_ms, len(run.proposals))
    pr = run.proposals[0]
    pl = operations.accept_proposal(pr, world["officer"].id)
    print(pl.id, pl.start_date)
