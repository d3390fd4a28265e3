"""Signals by which a lower package lets upper ones act (the stack runs one way).

- ``inmate_released``: sent by app/inmates when an inmate is released, with
  ``inmate`` and ``on``; the release plan records its state at release (R20).
- ``officer_home``: sent by the officer's home page with ``institution_id`` and
  ``day``; a receiver may do its daily upkeep and return a panel to show,
  ``{"template": ..., **context}``.
"""

from blinker import Namespace

signals = Namespace()

inmate_released = signals.signal("inmate-released")
officer_home = signals.signal("officer-home")
