"""A vacancy with workers: the positions its current placements take, and the
changes of an employer that concern them. Lowering the positions under the
occupied ones or closing the vacancy ends the surplus placements, latest first,
with reason ``vacancy_closed`` once confirmed (R11); an edit that would make a
staying worker's placement break a rule (R3, R6-R14) is refused, re-checked with
the accept-time check of app/placements/operations.py, so a rule lives once.

The vacancy's own rules and life cycle are app/vacancies/operations.py, below.
Operations add and flush; the caller commits.
"""

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from app.core.audit import record_change
from app.core.errors import Conflict, with_rule
from app.core.vocabulary import EndReason, VacancyStatus
from app.extensions import db
from app.notifications.operations import notify, officers_of, path_for
from app.placements.models import Placement, placement_open_on
from app.placements.operations import (
    RULE_FIELDS,
    end_placement,
    lock_for_update,
    placement_violations,
)
from app.vacancies.models import Vacancy
from app.vacancies.operations import (
    TRADE_LISTS,
    assign_fields,
    check_vacancy,
    refuse_if_closed,
    trade_codes,
    vacancy_values,
)
from policy.clock import today_in_kazakhstan

# The fields of a vacancy whose change can make a current worker break each rule,
# to name the field a refusal is about.
RULE_CAUSES = {
    "R3": ("heavy_or_hazardous",),
    "R6": ("heavy_or_hazardous", "weekly_hours"),
    "R7": ("women_barred",),
    "R8": ("site",),
    "R9": ("weekly_hours",),
    "R10": ("monthly_wage", "weekly_hours"),
    "R11": ("end_date",),
    "R12": ("required_certificate_ids", "required_skill_ids", "trainable_on_job"),
    "R13": ("start_date",),
    "R14": ("site", "shift"),
}

# What a confirmation may be: True (the API's ``confirm: true``), or the ids of the
# placements the confirmation page listed (the change goes ahead only if those, and
# no others, would end), or False / None (not confirmed).
Confirmation = bool | Collection[int] | None


class ConfirmationNeeded(Conflict):
    """The change would end placements and was not confirmed: nothing has been
    changed. The page shows the placements and asks; the API answers 409 with them."""

    def __init__(self, placements: list[Placement], on: date, *, changed: bool = False) -> None:
        message = _("%(n)s placement(s) will end with the reason vacancy_closed; confirm to "
                    "proceed.", n=len(placements))
        if changed:
            message = _("The placements that would end have changed since you were asked.") \
                + " " + message
        super().__init__("confirm", message)
        self.placements = placements
        self.ending_on = {p.id: _ending_day(p, on) for p in placements}

    @property
    def details(self) -> dict[str, Any]:
        """The consequences, for the API's 409 body (worker fields the employer may see)."""
        from app.vacancies.schemas import EndingPlacementSchema

        return {"ending": EndingPlacementSchema(many=True).dump([
            {"placement_id": p.id, "name": p.inmate.full_name, "start_date": p.start_date,
             "weekly_hours": p.weekly_hours, "end_date": self.ending_on[p.id]}
            for p in self.placements])}


class BreaksCurrentPlacements(Conflict):
    """The change would make current workers' placements break rules; every rule is
    named with how many workers it concerns."""

    def __init__(self, refusals: Sequence[tuple[str, str, str]]) -> None:
        self.refusals = list(refusals)  # (rule, field, message)
        rule, field, message = self.refusals[0]
        super().__init__(field, message, rule=rule)
        self.message = "; ".join(with_rule(rule, message) for rule, _field, message in refusals)

    @property
    def errors(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for rule, field, message in self.refusals:
            found.setdefault(field, []).append(with_rule(rule, message))
        return found


# --- changing a staffed vacancy ---------------------------------------------------


def update_vacancy(
    vacancy: Vacancy, changes: Mapping[str, Any], *, confirm: Confirmation = False,
    on: date | None = None,
) -> list[Placement]:
    """Change a vacancy's fields; returns the placements ended because positions went
    below the occupied ones. Those must be confirmed (see ``Confirmation``): until
    they are, ConfirmationNeeded is raised before anything is changed. A change that
    would make a staying worker's placement break a rule is refused (409)."""
    on = on or today_in_kazakhstan()
    refuse_if_closed(vacancy)
    check_vacancy({**vacancy_values(vacancy), **changes})
    lock_vacancy(vacancy)
    surplus = placements_to_end(vacancy, changes["positions"], on) if "positions" in changes \
        else []
    require_confirmation(surplus, confirm, on)
    staying = [p for p in occupied_placements(vacancy, on) if p not in surplus]
    broken_before = placement_violations(staying, on)
    trades_before = trade_codes(vacancy)
    assign_fields(vacancy, changes)
    db.session.flush()
    _refuse_newly_broken(staying, broken_before, changes, on)
    if TRADE_LISTS.keys() & changes.keys():
        record_change(vacancy, trades_before, trade_codes(vacancy))  # R18
    return _end_for_vacancy(vacancy, surplus, on)


def _refuse_newly_broken(placements: list[Placement], broken_before: dict[int, set[str]],
                         changes: Mapping[str, Any], on: date) -> None:
    """Refuse the change if a placement breaks a rule it did not break before it (a
    rule already broken is the officers' matter, not this edit's)."""
    workers: dict[str, int] = {}
    for placement_id, rules in placement_violations(placements, on).items():
        for rule in rules - broken_before[placement_id]:
            workers[rule] = workers.get(rule, 0) + 1
    if workers:
        raise BreaksCurrentPlacements([
            (rule, _cause(rule, changes), ngettext(
                "%(num)s current worker may not keep this job after the change (%(why)s); "
                "end the placement first or keep the current value",
                "%(num)s current workers may not keep this job after the change (%(why)s); "
                "end their placements first or keep the current value",
                count, why=RULE_FIELDS[rule][1]))
            for rule, count in sorted(workers.items(), key=lambda item: int(item[0][1:]))
        ])


def _cause(rule: str, changes: Mapping[str, Any]) -> str:
    """The changed field a refusal under ``rule`` is about."""
    return next((name for name in RULE_CAUSES.get(rule, ()) if name in changes), "vacancy")


def close_vacancy(vacancy: Vacancy, *, confirm: Confirmation = False,
                  on: date | None = None) -> list[Placement]:
    """Close a vacancy for good; its open placements end, once confirmed (until then
    ConfirmationNeeded is raised before anything is changed)."""
    on = on or today_in_kazakhstan()
    refuse_if_closed(vacancy)
    lock_vacancy(vacancy)
    open_ones = [p for p in occupied_placements(vacancy, on) if p.end_date is None]
    require_confirmation(open_ones, confirm, on)
    ended = _end_for_vacancy(vacancy, open_ones, on)
    vacancy.status = VacancyStatus.CLOSED
    db.session.flush()
    return ended


def lock_vacancy(vacancy: Vacancy) -> None:
    """Hold the vacancy until commit, so no placement starts meanwhile (R11)."""
    lock_for_update([vacancy.id])


# --- placements that occupy a vacancy ----------------------------------------------


def occupied_placements(vacancy: Vacancy, on: date) -> list[Placement]:
    """Placements holding a position on or after ``on``, the most recent first."""
    return list(db.session.scalars(
        sa.select(Placement)
        .where(Placement.vacancy_id == vacancy.id,
               placement_open_on(on))
        .order_by(Placement.start_date.desc(), Placement.id.desc())
    ))


def filled_count(vacancy_ids: Sequence[int], on: date) -> dict[int, int]:
    """Occupied positions per vacancy (placements not ended by ``on``)."""
    rows = db.session.execute(
        sa.select(Placement.vacancy_id, sa.func.count())
        .where(Placement.vacancy_id.in_(vacancy_ids),
               placement_open_on(on))
        .group_by(Placement.vacancy_id)
    )
    return {vacancy_id: count for vacancy_id, count in rows}


def placements_to_end(vacancy: Vacancy, positions: int, on: date) -> list[Placement]:
    """The open placements a vacancy with ``positions`` cannot keep, the most recent first."""
    occupied = occupied_placements(vacancy, on)
    surplus = len(occupied) - positions
    return [p for p in occupied if p.end_date is None][:max(surplus, 0)]


def require_confirmation(ending: list[Placement], confirm: Confirmation, on: date) -> None:
    """Raise ConfirmationNeeded unless the ``ending`` placements were confirmed: by
    ``True``, or by the ids of exactly these placements (what the page showed). Called
    before a change touches anything, so an unconfirmed change writes nothing."""
    if not ending or confirm is True:
        return
    if not confirm:
        raise ConfirmationNeeded(ending, on)
    if set(confirm) != {p.id for p in ending}:
        raise ConfirmationNeeded(ending, on, changed=True)


def _ending_day(placement: Placement, on: date) -> date:
    """The day a placement ended by the employer's change ends (not before it started)."""
    return max(on, placement.start_date)


def _end_for_vacancy(vacancy: Vacancy, placements: list[Placement],
                     on: date) -> list[Placement]:
    """End confirmed ``placements`` with ``vacancy_closed`` and tell the institution."""
    if not placements:
        return []
    for placement in placements:
        end_placement(placement, EndReason.VACANCY_CLOSED, _ending_day(placement, on),
                      note=_("Ended by the employer: positions reduced or vacancy closed."))
    _notify_institution(vacancy, placements)
    return placements


def _notify_institution(vacancy: Vacancy, ended: list[Placement]) -> None:
    """Tell the institution's officers how many placements the employer's change ended
    (the page of placements names them)."""
    notify(officers_of(vacancy.institution_id), "placements_ended_by_employer",
           {"title": vacancy.title, "employer": vacancy.employer.name, "count": len(ended)},
           link=path_for("placements.index"))
