"""The day's attendance and unlock list (HMPPS Activities' "unlock list"): who is due
at which workshop (vacancy, site) and shift on a day, and whether they came.

Due on day D: a paid placement active on D, not suspended on D (app/placements/
suspensions.py), whose shift falls on D (``policy.pay.due_at_work``: the working days
the month's pay counts). A mark fills the day of the placement's timesheet through the
timesheet operations (R24): present = the shift's hours (``policy.pay.shift_hours``),
absent = 0 with the reason; never a day after today (hours belong to days that have
come), never a month whose timesheet is approved or submitted (a correction, or a
return to draft, comes first). Who marks is who keeps timesheets: the institution's
officers, and an employer for its own workers, never with a health or disciplinary
reason (R16: they see and give "absent, excused").
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from app.core.auth import get_in_scope_or_404
from app.core.errors import Conflict, Refusals, RuleViolation
from app.core.models import utcnow
from app.core.vocabulary import Role
from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.pay import operations as ops
from app.pay.models import AttendanceMark, TimesheetStatus
from app.placements.models import Placement, placement_active_on, suspended_on
from app.vacancies.models import Vacancy
from policy import pay as law
from policy.clock import today_in_kazakhstan


@dataclass
class Due:
    """One line of the unlock list."""

    placement: Placement
    name: str
    vacancy: Vacancy
    hours: Decimal
    mark: AttendanceMark | None
    absence: str | None  # the mark's reason as the reader may see it (R16)


def reasons_for(user: Any) -> list[str]:
    """The absence reasons ``user`` marks with: an employer gives "excused" instead of a
    sickness or a disciplinary cell (R16)."""
    if user.role == Role.EMPLOYER:
        hidden = [r for r in law.ATTENDANCE_ABSENCES if r not in law.EMPLOYER_ABSENCE]
        return [*hidden[:-1], *dict.fromkeys(law.EMPLOYER_ABSENCE.values()), hidden[-1]]
    return list(law.ATTENDANCE_ABSENCES)


def institution_for(user: Any, institution_id: int | None) -> int | None:
    """The institution whose list ``user`` reads: an officer's own (another is 404); an
    employer's choice (None: every institution it works in); a prosecutor or an
    administrator names one within scope (422 without one)."""
    if user.role == Role.OFFICER:
        if institution_id not in (None, user.institution_id):
            abort(404)
        return user.institution_id
    if user.role == Role.EMPLOYER:
        return institution_id
    if institution_id is None:
        raise RuleViolation("institution_id", _("choose an institution"))
    return get_in_scope_or_404(Institution, institution_id).id


def _paid_and_active(day: date) -> sa.ColumnElement[bool]:
    """Paid placements running on ``day``: the unlock list's people, suspended or not."""
    return sa.and_(Placement.paid, placement_active_on(day))


def _of_institution(institution_id: int | None) -> sa.ColumnElement[bool]:
    """One institution's placements, or every one in scope (None)."""
    return sa.true() if institution_id is None else Placement.institution_id == institution_id


def due_query(day: date, institution_id: int | None, user: Any) -> sa.Select:
    """(placement, vacancy, last name, first name) due at work on ``day`` that ``user``
    sees: an officer their institution's, an employer its own vacancies' (any
    institution, or ``institution_id``), a prosecutor or administrator within scope."""
    query = (sa.select(Placement, Vacancy, Inmate.last_name, Inmate.first_name)
             .join(Vacancy, Vacancy.id == Placement.vacancy_id)
             .join(Inmate, Inmate.id == Placement.inmate_id)
             .where(_paid_and_active(day), ~suspended_on(day), ops.scope_of_keeper(user),
                    _of_institution(institution_id)))
    if not law.due_at_work(day):
        query = query.where(sa.false())
    return query.order_by(Vacancy.site, Vacancy.shift, Vacancy.title, Vacancy.id,
                          Inmate.last_name, Inmate.first_name, Placement.id)


def unlock_list(day: date, institution_id: int | None, user: Any) -> list[Due]:
    rows = db.session.execute(due_query(day, institution_id, user)).all()
    marks = {m.placement_id: m for m in db.session.scalars(sa.select(AttendanceMark).where(
        AttendanceMark.day == day,
        AttendanceMark.placement_id.in_([row[0].id for row in rows])))}
    return [Due(placement, f"{last} {first}", vacancy, law.shift_hours(placement.weekly_hours),
                marks.get(placement.id), shown_absence(marks.get(placement.id), user))
            for placement, vacancy, last, first in rows]


def shown_absence(found: AttendanceMark | None, user: Any) -> str | None:
    """A mark's reason as ``user`` may see it: an employer never a health or
    disciplinary one (R16)."""
    if found is None or found.absence is None:
        return None
    if user.role == Role.EMPLOYER:
        return law.EMPLOYER_ABSENCE.get(found.absence, found.absence)
    return found.absence


def suspended_count(day: date, institution_id: int | None, user: Any) -> int:
    """How many of the institution's placements active on ``day`` are suspended then."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Placement).join(
        Vacancy, Vacancy.id == Placement.vacancy_id).where(
        _paid_and_active(day), suspended_on(day), ops.scope_of_keeper(user),
        _of_institution(institution_id)))


def mark(placement: Placement, day: date, present: bool, absence: str | None, note: str,
         user: Any) -> AttendanceMark:
    """Mark ``placement`` present or absent on ``day`` and write that day of its
    timesheet. Every problem of the mark at once; a locked month is a conflict (409)."""
    note = (note or "").strip()
    problems: list[RuleViolation] = []
    if day > today_in_kazakhstan():
        problems.append(_to_come())
    elif not _due(placement, day):
        problems.append(RuleViolation("placement_id", _(
            "is not due at work on this day (not active, suspended or a rest day)")))
    if present and absence:
        problems.append(RuleViolation("absence", _("a person present has no absence reason")))
    if not present and absence not in reasons_for(user):
        problems.append(RuleViolation("absence", _("choose why the person is absent")))
    if not present and absence == "other" and not note:
        problems.append(RuleViolation("note", _("say why: the reason is \"other\"")))
    if problems:
        raise problems[0] if len(problems) == 1 else Refusals(problems)
    timesheet = ops.open_timesheet(placement, law.first_of_month(day), user.id)
    if timesheet.locked:
        raise Conflict("day", _(
            "the timesheet of %(month)s is approved: open a correction of that month's "
            "timesheet to change a day", month=day.strftime("%m.%Y")), rule="R24")
    if timesheet.status == TimesheetStatus.SUBMITTED:
        raise Conflict("day", _(
            "the timesheet of %(month)s is submitted for approval: return it to draft to "
            "change a day", month=day.strftime("%m.%Y")), rule="R24")
    stored = (timesheet.days.get(str(day.day)) or {}).get("absence")
    kept = None if present else ops.employer_absence(absence, stored)
    hours = law.shift_hours(placement.weekly_hours) if present else Decimal(0)
    try:
        ops.fill_timesheet(timesheet, {day.day: {"hours": hours, "absence": kept}},
                           replace=False)
    except ops.TimesheetRefused as refused:
        raise RuleViolation("day", "; ".join(m for ms in refused.errors.values() for m in ms),
                            rule="R24") from refused
    found = db.session.scalar(sa.select(AttendanceMark).where(
        AttendanceMark.placement_id == placement.id, AttendanceMark.day == day))
    if found is None:
        found = AttendanceMark(placement_id=placement.id, institution_id=placement.institution_id,
                               employer_id=timesheet.employer_id, day=day)
        db.session.add(found)
    found.present, found.absence, found.note = present, kept, note
    found.marked_by_id, found.marked_at = user.id, utcnow()
    db.session.flush()
    return found


def _to_come() -> RuleViolation:
    return RuleViolation("day", _(
        "this day has not come yet: attendance is marked on the day or after it"), rule="R24")


def _due(placement: Placement, day: date) -> bool:
    return law.due_at_work(day) and bool(db.session.scalar(sa.select(sa.literal(True)).where(
        Placement.id == placement.id, _paid_and_active(day), ~suspended_on(day))))


def mark_many(day: date, marks: list[dict[str, Any]], user: Any) -> list[AttendanceMark]:
    """Several marks of one day; every refusal at once, each named
    ``marks.<n>.<field>`` (nothing is kept when one is refused: the request rolls back)."""
    if day > today_in_kazakhstan():
        raise _to_come()
    done, problems = [], []
    for number, entry in enumerate(marks):
        placement = ops.placement_for(entry["placement_id"], user)
        try:
            with db.session.begin_nested():
                done.append(mark(placement, day, entry["present"], entry.get("absence"),
                                 entry.get("note", ""), user))
        except RuleViolation as error:
            for field, messages in error.errors.items():
                kind = Conflict if error.status_code == 409 else RuleViolation
                problems.extend(kind(f"marks.{number}.{field}", message) for message in messages)
    if problems:
        raise problems[0] if len(problems) == 1 else Refusals(problems)
    return done
