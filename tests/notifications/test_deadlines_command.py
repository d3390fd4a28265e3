"""``flask notify-deadlines``: every deadline notice of a day in one command."""

from tests import factories


def test_the_command_runs_every_deadline_notice(app, world):
    result = app.test_cli_runner().invoke(
        args=["notify-deadlines", "--day", factories.TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    for name in ("releases within 30 days: 0", "outcome checks due: 0", "timesheet deadline: 0"):
        assert name in result.output
