"""Work and pay (R24-R26): timesheets, pay, deductions, personal accounts, payrolls.

Sits above app/placements in the package stack; nothing below imports it. The
arithmetic of the law is in policy/pay.py (pure)."""
