"""The one-way stack of packages (README "Layout"): `make lint` runs the import
contracts of pyproject.toml; these tests keep the contracts complete (every
package has a layer) and the signals that carry actions up the stack received."""

import re
import tomllib
from pathlib import Path

import pytest
from blinker import ANY, Namespace

from app.core import signals

ROOT = Path(__file__).resolve().parents[2]


def _contract(contract_id):
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["id"] == contract_id)


def _receivers(signal):
    return {f"{r.__module__}.{r.__name__}" for r in signal.receivers_for(ANY)}


def test_every_package_and_module_of_the_app_has_its_layer():
    placed = {name.strip() for layer in _contract("stack")["layers"]
              for name in re.split(r"[|:]", layer)}
    app_dir = ROOT / "app"
    packages = {f"app.{path.name}" for path in app_dir.iterdir()
                if (path / "__init__.py").exists()}
    modules = {f"app.{path.stem}" for path in app_dir.glob("*.py") if path.stem != "__init__"}
    assert packages and modules
    assert packages | modules | {"employers"} <= placed


@pytest.mark.parametrize("contract_id", ["matching-is-a-library", "policy-is-pure"])
def test_the_engine_and_the_policy_import_nothing_of_the_app(contract_id):
    contract = _contract(contract_id)
    assert contract["type"] == "forbidden"
    assert {"app", "employers", "flask", "sqlalchemy"} <= set(contract["forbidden_modules"])


def test_every_signal_is_received_above_the_package_that_sends_it(app):
    assert _receivers(signals.inmate_leaving) == {
        "app.placements.receivers.end_placements_of_leaving_inmate",
        "app.training.receivers.drop_enrolments_of_leaving_inmate",
        "app.reintegration._on_release", "app.pay.receivers.pay_out_at_release",
        "app.applications.receivers.close_applications_of_leaving"}
    assert _receivers(signals.release_plan_panels) == {"app.pay.receivers.account_panel"}
    assert _receivers(signals.inmate_profile) == {
        "app.placements.receivers.placements_of", "app.training.receivers.enrolments_of",
        "app.applications.receivers.applications_of"}
    assert {name.rsplit(".", 1)[0] for name in _receivers(signals.fitness_recorded)} == {
        "app.placements.receivers"}
    assert {name.rsplit(".", 1)[0] for name in _receivers(signals.consent_withdrawn)} == {
        "app.placements.receivers", "app.reintegration.notices",  # the partners are told
        "app.kiosk.operations"}  # the person's request asked at the kiosk is answered
    for event in (signals.place_freed, signals.match_run_stored, signals.proposal_decided):
        assert {name.rsplit(".", 1)[0] for name in _receivers(event)} == {
            "app.applications.receivers"}, event.name  # R31, above placements and training
    for question in (signals.employed_clause, signals.latest_match_run,
                     signals.refused_inmate_changes, signals.open_applications):
        assert len(_receivers(question)) == 1, question.name


def test_a_question_nobody_answers_is_an_error_not_a_silent_none():
    with pytest.raises(RuntimeError, match="0 answers"):
        signals.answer(Namespace().signal("nobody-listens"), None)
