"""What work and pay does when something happens below it, and what it adds to
the pages above: receivers of the signals of app/core/signals.py, connected when
``create_app`` imports this module.

A release (app/inmates) transfers the personal account's balance (R26); the
release plan (app/reintegration, a sibling that may not import pay) shows the
balance and the payout through the ``release_plan_panels`` question."""

from datetime import date
from typing import Any

from app.core import signals
from app.core.audit import current_actor
from app.core.vocabulary import EndReason
from app.pay import operations as ops


@signals.inmate_leaving.connect
def pay_out_at_release(inmate: Any, on: date, reason: Any = None, **_: Any) -> None:
    """R26: the balance is paid out at release (a transfer keeps the account)."""
    if reason == EndReason.RELEASED:
        ops.pay_out_at_release(inmate, on, current_actor()[0])


@signals.release_plan_panels.connect
def account_panel(inmate: Any, **_: Any) -> dict[str, Any]:
    """The account's balance and the payout at release, on the release plan."""
    return {"template": "pay/_release_panel.html", "inmate_id": inmate.id,
            "balance": ops.balance(inmate.id), "payout": ops.release_payout(inmate.id)}
