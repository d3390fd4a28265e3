"""What must always hold of the personal accounts (R26), read back in SQL.

The constraints of app/pay/models.py make the first three impossible to write
and the operations keep the others; this reading checks a whole database
afterwards (the race benchmark, benchmarks/races.py, and the tests) without
trusting either. Each figure is a count of what is wrong, so all must be 0.
"""

import sqlalchemy as sa

from app.extensions import db

CHECKS = {
    # An entry undone more than once took or gave its money twice.
    "entries_reversed_twice": """
        SELECT count(*) FROM (SELECT reverses_id FROM account_entries
                              WHERE reverses_id IS NOT NULL
                              GROUP BY reverses_id HAVING count(*) > 1) AS twice""",
    # A payslip's pay is credited exactly once.
    "payslips_not_booked_once": """
        SELECT count(*) FROM payslips WHERE (
            SELECT count(*) FROM account_entries
            WHERE account_entries.payslip_id = payslips.id AND kind = 'pay') <> 1""",
    # One approved version of a placement's month at a time.
    "months_approved_twice": """
        SELECT count(*) FROM (SELECT placement_id, month FROM timesheets
                              WHERE status = 'approved'
                              GROUP BY placement_id, month HAVING count(*) > 1) AS twice""",
    # The balance at the end of every day an account moved, by date.
    "days_below_zero": """
        SELECT count(*) FROM (
            SELECT sum(sum(amount)) OVER (PARTITION BY inmate_id ORDER BY booked_on) AS after
            FROM account_entries GROUP BY inmate_id, booked_on) AS days
        WHERE after < 0""",
    # A reversal dated before the entry it undoes.
    "reversals_before_their_entry": """
        SELECT count(*) FROM account_entries AS reversal
        JOIN account_entries AS undone ON undone.id = reversal.reverses_id
        WHERE reversal.booked_on < undone.booked_on""",
    # A payout at release dated before the release (the release day and the
    # payout day disagree; pay approved later is paid out later, as it is booked).
    "payouts_before_release": """
        SELECT count(*) FROM account_entries
        JOIN inmates ON inmates.id = account_entries.inmate_id
        WHERE account_entries.kind = 'release_payout' AND inmates.status = 'released'
          AND account_entries.booked_on < inmates.left_on""",
}


def ledger_problems() -> dict[str, int]:
    """Every check's count of violations (all 0 when the ledger holds)."""
    return {name: db.session.scalar(sa.text(sql)) for name, sql in CHECKS.items()}
