"""Release and reintegration (R20-R23): release plans, partner organisations,
referrals with consent, outcomes after release, oversight.

Sits on top of the package stack: nothing below imports it; it hears the
inmates' release (``inmate_leaving``) and the officer's home (``officer_home``)
through app/core/signals.py."""

from datetime import date
from typing import Any

import click
from flask import Flask, g

from app.core.signals import consent_withdrawn, inmate_leaving, needs_recorded, officer_home
from policy.clock import today_in_kazakhstan


def init_app(app: Flask) -> None:
    """Listen to the signals, add the daily tasks and the CLI command."""
    from app.reintegration import daily  # noqa: F401  (registers the daily tasks)
    from app.reintegration.notices import on_consent_withdrawn

    inmate_leaving.connect(_on_release)
    officer_home.connect(_on_officer_home)
    consent_withdrawn.connect(on_consent_withdrawn)
    needs_recorded.connect(_on_needs)

    @app.cli.command("open-release-plans")
    @click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="Open the plans due on this day (default today).")
    def open_release_plans(day: Any) -> None:
        """Open a release plan for every convicted inmate due for one (R20); idempotent."""
        from app.core.transactions import committing
        from app.reintegration.operations import open_due_plans

        g.audit_actor = "open-release-plans"
        with committing():
            opened = open_due_plans(day.date() if day else today_in_kazakhstan())
        click.echo(f"Release plans opened: {opened}")


def _on_release(inmate: Any, on: date, reason: Any = None, **_: Any) -> None:
    """A release (not a transfer) keeps the plan's state of that day (R20)."""
    from app.core.vocabulary import EndReason
    from app.reintegration.operations import record_release

    if reason == EndReason.RELEASED:
        record_release(inmate, on)


def _on_needs(inmate: Any, on: date, needs: Any = (), **_: Any) -> None:
    """R27: a plan already open gains the parts the recorded needs call for."""
    from app.reintegration.operations import add_parts_for_needs, plan_of

    plan = plan_of(inmate.id)
    if plan is not None:
        add_parts_for_needs(plan, set(needs), on)


HOME_HORIZONS = (90, 180)


def _on_officer_home(_sender: Any, institution_id: int, day: date, **_: Any) -> dict:
    """List releases within 90 and 180 days with open parts (read only: the daily
    schedule opens the plans now due, app/reintegration/daily.py)."""
    from app.reintegration.operations import releases_with_open_parts

    rows = releases_with_open_parts(institution_id, day, max(HOME_HORIZONS))
    return {"template": "reintegration/_home_panel.html", "release_rows": rows,
            "within_90": sum(1 for inmate, _plan in rows
                             if (inmate.release_date - day).days <= 90),
            "horizons": HOME_HORIZONS}
