"""Release and reintegration (R20-R23): release plans, partner organisations,
referrals with consent, outcomes after release, oversight.

Sits on top of the package stack: nothing below imports it; it hears the
inmates' release (``inmate_leaving``) and the officer's home (``officer_home``)
through app/core/signals.py."""

from datetime import date
from typing import Any

import click
from flask import Flask, g

from app.core.signals import inmate_leaving, officer_home


def init_app(app: Flask) -> None:
    """Listen to the signals and add the CLI command."""
    inmate_leaving.connect(_on_release)
    officer_home.connect(_on_officer_home)

    @app.cli.command("open-release-plans")
    @click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Open the plans due on this day (default today).")
    def open_release_plans(day: Any) -> None:
        """Open a release plan for every convicted inmate due for one (R20); idempotent."""
        from app.core.transactions import committing
        from app.reintegration.operations import open_due_plans

        g.audit_actor = "open-release-plans"
        with committing():
            opened = open_due_plans(day.date() if day else date.today())
        click.echo(f"Release plans opened: {opened}")


def _on_release(inmate: Any, on: date, reason: Any = None, **_: Any) -> None:
    """A release (not a transfer) keeps the plan's state of that day (R20)."""
    from app.core.vocabulary import EndReason
    from app.reintegration.operations import record_release

    if reason == EndReason.RELEASED:
        record_release(inmate, on)


HOME_HORIZONS = (90, 180)


def _on_officer_home(_sender: Any, institution_id: int, day: date, **_: Any) -> dict:
    """Open the plans now due, and list releases within 90 and 180 days with open parts."""
    from app.reintegration.operations import open_due_plans, releases_with_open_parts

    open_due_plans(day, institution_id)
    rows = releases_with_open_parts(institution_id, day, max(HOME_HORIZONS))
    return {"template": "reintegration/_home_panel.html", "release_rows": rows,
            "within_90": sum(1 for inmate, _plan in rows
                             if (inmate.release_date - day).days <= 90),
            "horizons": HOME_HORIZONS}
