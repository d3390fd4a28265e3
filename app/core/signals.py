"""Named signals: how a package lets the packages above it act or answer without
importing them, so the stack of packages runs one way (README "Layout").

A lower package sends; an upper package connects its receivers in its
``receivers.py``, which ``create_app`` imports. Two kinds, as indico's signals:

- events, sent when something happened that upper packages must follow up in
  the same transaction (a release ends placements and enrolments);
- questions, asked by a lower package of the one package above that knows the
  answer (``answer``), or of all that contribute (``answers``).

A receiver gets the sender first and the keyword arguments; it adds and flushes
like any operation, and an error it raises refuses the whole change. Receivers
of one signal run in no set order, so none may depend on another.
"""

from typing import Any

from blinker import Namespace, Signal

_signals = Namespace()

# --- events ------------------------------------------------------------------------------

inmate_leaving = _signals.signal("inmate-leaving", doc="""
Sender: the inmate, released or transferred; ``on``: the day; ``reason``: the
EndReason (``released`` or ``transferred``). app/placements ends the inmate's
active placements, app/training drops the open enrolments, app/pay pays out the
personal account's balance at a release (R26).""")

fitness_recorded = _signals.signal("fitness-recorded", doc="""
Sender: the inmate whose latest medical assessment is now ``fitness`` from the
day ``on``. app/placements ends the work it forbids with reason ``health`` (R3).""")

needs_recorded = _signals.signal("needs-recorded", doc="""
Sender: the inmate whose risk-and-needs assessment of the day ``on`` records ``needs``
(domains of ``policy.law.NEEDS_DOMAINS``). app/reintegration adds the release plan's
parts for substance-use treatment and debts when those needs are recorded (R27).""")

consent_withdrawn = _signals.signal("consent-withdrawn", doc="""
Sender: the consent withdrawn on ``on``; ``last_of_kind``: no other consent of its
kind is left in force. app/placements then ends the work it allowed with reason
``consent_withdrawn`` (R4, R5) and returns the ended placements; app/reintegration
tells the partners holding a referral made under this very consent that their access
ended (R21), whatever other consent there is, and returns none.""")

rows_copied = _signals.signal("rows-copied", doc="""
Sender: the table PostgreSQL's COPY wrote ``rows`` (dicts of column values) into
(app/core/bulk.py), which no session event sees. app/placements/kept.py forgets
the kept figures those rows could change.""")

place_freed = _signals.signal("place-freed", doc="""
Sender: the vacancy whose position or the course whose seat was freed on ``on`` (a
placement ended, an enrolment dropped). app/applications hands it to the first
eligible person on its waiting list as a proposal (R31).""")

enrolled = _signals.signal("enrolled", doc="""
Sender: the enrolment just made (or renewed after a drop). app/applications marks the
person's offered application for that course accepted (R31: the officer's enrolment is
the person taking the seat offered).""")

match_run_stored = _signals.signal("match-run-stored", doc="""
Sender: the match run just stored; ``problem`` and ``outcome``: what the engine saw
and said. app/applications answers every open application of the institution (R31).""")

proposal_decided = _signals.signal("proposal-decided", doc="""
Sender: the proposal an officer accepted or rejected. app/applications marks the
application it offered accepted when the placement starts (R31).""")

# --- questions ---------------------------------------------------------------------------

open_applications = _signals.signal("open-applications", doc="""
Sender: the day; ``inmate_ids``: a subquery or list of inmate ids. app/applications
answers {inmate id: {key: day received}} of their open applications, the keys as
``matching.problem.Inmate.applications`` names them (R31).""")

employed_clause = _signals.signal("employed-clause", doc="""
Sender: the day. app/placements answers the SQL clause "this inmate (``Inmate.id``)
holds an active placement on the day".""")

latest_match_run = _signals.signal("latest-match-run", doc="""
Sender: an institution id. app/placements answers its latest match run, or None.""")

refused_inmate_changes = _signals.signal("refused-inmate-changes", doc="""
Sender: None; ``updates``: [(inmate, {field: new value})] not yet written;
``today``. app/placements answers {inmate id: (field, rule, message)} for the
changes that would make a placement the inmate holds break a rule.""")

inmate_profile = _signals.signal("inmate-profile", doc="""
Sender: the inmate; ``today``. Each package above the registry answers the
sections it adds to the inmate's profile as a dict (placements, enrolments).""")


officer_home = _signals.signal("officer-home", doc="""
Sender: the app; ``institution_id`` and ``day``. Each package above the home page
does its daily upkeep for the institution and answers a panel to show on the
officer's home, ``{"template": ..., **context}``, or None (app/reintegration:
opens the release plans now due and lists releases with open parts, R20).""")

release_plan_panels = _signals.signal("release-plan-panels", doc="""
Sender: the inmate whose release plan is shown (to a user who may read it).
Each sibling of app/reintegration that has something to say about the release
answers a panel, ``{"template": ..., **context}``, or None (app/pay: the
personal account's balance and the payout at release, R26).""")


def answers(signal: Signal, sender: Any = None, **kwargs: Any) -> list[Any]:
    """Every receiver's answer to a question (in no set order)."""
    return [value for _receiver, value in signal.send(sender, **kwargs)]


def answer(signal: Signal, sender: Any = None, **kwargs: Any) -> Any:
    """The one answer to a question that exactly one package above answers."""
    found = answers(signal, sender, **kwargs)
    if len(found) != 1:
        raise RuntimeError(f"signal {signal.name!r} has {len(found)} answers, expected one "
                           "(are the receivers connected by create_app?)")
    return found[0]
