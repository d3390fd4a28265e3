"""The inmate registry: records, health, consents, separation, skills, release
and transfer. Functions add and flush; the caller commits once (one
transaction per request). History is kept (R19): nothing here deletes a
placement, a custody period, a consent or a medical assessment.

Placements and enrolments sit above this package: what a release, a transfer, a
new assessment or a withdrawn consent means for them, and what the registry shows
of them, the packages above say through the signals of app/core/signals.py."""

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from app.core import signals
from app.core.audit import record_change
from app.core.auth import scope_clause
from app.core.errors import Conflict, RuleViolation, check_all
from app.core.locks import lock_rows
from app.core.templating import format_day
from app.core.vocabulary import (
    ConsentKind,
    CustodyStatus,
    EndReason,
    Fitness,
    LegalStatus,
    SkillSource,
)
from app.extensions import db
from app.inmates.models import (
    Certificate,
    Consent,
    CustodyPeriod,
    Inmate,
    InmateSkill,
    MedicalAssessment,
    SeparationLink,
)
from app.inmates.rules import (
    check_not_in_future,
    check_r6_juvenile_institution,
    check_r15_file_number_free,
    check_review_after_assessment,
    inmate_problems,
    without_restricted,
)
from app.institutions.models import Institution
from app.notifications.messages import day_param
from app.notifications.operations import notify, officers_of, path_for
from app.taxonomy.models import Trade
from policy.clock import today_in_kazakhstan

# The columns an officer (or a spreadsheet) enters; the rest is kept by the operations.
RECORD_FIELDS = (
    "file_number", "last_name", "first_name", "middle_name", "birth_date", "sex",
    "legal_status", "convicted_on", "regime", "conditions", "admission_date", "release_date",
    "fitness", "fitness_review_date", "disability_group", "pregnant", "education", "notes",
)
PAGE_SIZE = 50


def child_or_404(children: Iterable[Any], child_id: int) -> Any:
    """The row of an inmate's ``children`` (skills, consents...) with ``child_id``, or 404."""
    child = next((c for c in children if c.id == child_id), None)
    if child is None:
        abort(404)
    return child


# --- records -----------------------------------------------------------------------------

def file_number_taken(institution_id: int, file_number: str, exclude_id: int | None = None
                      ) -> bool:
    query = sa.select(Inmate.id).where(Inmate.institution_id == institution_id,
                                       Inmate.file_number == file_number)
    if exclude_id is not None:
        query = query.where(Inmate.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def stored_record_checks(institution: Institution, values: Mapping[str, Any], today: date,
                         inmate: Inmate | None = None) -> list[Callable[[], None]]:
    """The checks of a record (new, or ``inmate`` changed) against what is stored:
    its file number unused in the institution (R15), an under-18 held only in a
    juvenile institution (R6)."""
    checks: list[Callable[[], None]] = []
    number, birth = values.get("file_number"), values.get("birth_date")
    if number and (inmate is None or number != inmate.file_number):
        checks.append(lambda: check_r15_file_number_free(number, file_number_taken(
            institution.id, number, exclude_id=inmate.id if inmate else None)))
    if isinstance(birth, date) and (inmate is None or birth != inmate.birth_date):
        checks.append(lambda: check_r6_juvenile_institution(birth, institution.kind, today))
    return checks


def stored_record_problems(institution: Institution, values: Mapping[str, Any],
                           inmate: Inmate | None = None) -> dict[str, list[str]]:
    """What ``stored_record_checks`` refuse, by field: a page lists them with the
    record's other problems, in the same round."""
    try:
        check_all(*stored_record_checks(institution, values, today_in_kazakhstan(), inmate))
    except RuleViolation as refused:
        return refused.errors
    return {}


def new_inmate_values(institution_id: int, values: dict[str, Any]) -> dict[str, Any]:
    """The columns of a new inmate from validated values (the import inserts thousands)."""
    return {"institution_id": institution_id, "status": CustodyStatus.HELD, "left_on": None,
            **{name: values[name] for name in RECORD_FIELDS}}


def opening_history_values(inmate_id: int, institution_id: int, values: dict[str, Any]
                           ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The dated rows app/placements/status.py reads: custody from the admission
    date, and the first medical assessment (dated the admission unless given)."""
    custody = {"inmate_id": inmate_id, "institution_id": institution_id,
               "started_on": values["admission_date"]}
    assessment = {"inmate_id": inmate_id, "fitness": values["fitness"],
                  "assessed_on": values.get("fitness_assessed_on") or values["admission_date"],
                  "review_date": values.get("fitness_review_date"), "notes": ""}
    return custody, assessment


def opening_history(inmate: Inmate, values: dict[str, Any]) -> list[Any]:
    custody, assessment = opening_history_values(inmate.id, inmate.institution_id, values)
    return [CustodyPeriod(**custody), MedicalAssessment(**assessment)]


def create_inmate(institution: Institution, values: dict[str, Any],
                  today: date | None = None) -> Inmate:
    """A new inmate held from the admission date (values from ``InmateInSchema``)."""
    today = today or today_in_kazakhstan()
    check_all(*stored_record_checks(institution, values, today))
    inmate = Inmate(**new_inmate_values(institution.id, values))
    db.session.add(inmate)
    db.session.flush()
    db.session.add_all(opening_history(inmate, values))
    db.session.flush()
    return inmate


def prepare_update(inmate: Inmate, changes: dict[str, Any], today: date
                   ) -> tuple[dict[str, Any], date | None]:
    """The fields that really change and, when fitness changes, the date of the
    new medical assessment. Checks the merged record with every rule."""
    changed = {name: value for name, value in changes.items()
               if name in RECORD_FIELDS and getattr(inmate, name) != value}
    fitness_changed = bool({"fitness", "fitness_review_date"} & changed.keys())
    merged = {name: getattr(inmate, name) for name in RECORD_FIELDS} | changed
    assessed_on = (changes.get("fitness_assessed_on") or today) if fitness_changed else None
    merged["fitness_assessed_on"] = assessed_on
    if not fitness_changed:
        merged["fitness_review_date"] = None  # checked when it was recorded
    problems = inmate_problems(merged, today)
    if problems:
        raise ValidationError(problems)
    return changed, assessed_on


def update_inmate(inmate: Inmate, changes: dict[str, Any], today: date | None = None) -> Inmate:
    """Change an inmate's record; a change of fitness adds a medical assessment (R3)."""
    today = today or today_in_kazakhstan()
    changed, assessed_on = prepare_update(inmate, changes, today)
    check_all(*stored_record_checks(inmate.institution, changed, today, inmate))
    check_placements_kept([(inmate, changed)], today)
    apply_update(inmate, changed, assessed_on)
    db.session.flush()
    return inmate


def refused_changes(updates: list[tuple[Inmate, dict[str, Any]]], today: date
                    ) -> dict[int, tuple[str, str, str]]:
    """{inmate id: (field, rule, message)} for the changes that would make a
    placement the inmate holds illegal (app/placements/placement_check.py says)."""
    return signals.answer(signals.refused_inmate_changes, updates=updates, today=today)


def check_placements_kept(updates: list[tuple[Inmate, dict[str, Any]]], today: date) -> None:
    """Refuse (409) changes that would make a placement the inmate holds illegal."""
    for field, rule, message in refused_changes(updates, today).values():
        error = Conflict(field, message)
        error.rule = rule
        raise error


def apply_update(inmate: Inmate, changed: dict[str, Any], assessed_on: date | None) -> None:
    """Write checked changes (see ``prepare_update``)."""
    fitness = changed.pop("fitness", inmate.fitness)
    review_date = changed.pop("fitness_review_date", inmate.fitness_review_date)
    if "admission_date" in changed:
        _move_admission(inmate, changed["admission_date"])
    for name, value in changed.items():
        setattr(inmate, name, value)
    if assessed_on is not None:
        record_assessment(inmate, fitness, assessed_on, review_date)


def _move_admission(inmate: Inmate, admitted_on: date) -> None:
    """Keep the custody period that began with the admission in step with it
    (through the ORM, so the audit sees the change, R18)."""
    periods = db.session.scalars(sa.select(CustodyPeriod).where(
        CustodyPeriod.inmate_id == inmate.id,
        CustodyPeriod.institution_id == inmate.institution_id,
        CustodyPeriod.started_on == inmate.admission_date))
    for period in periods:
        period.started_on = admitted_on


# --- health (R3) -------------------------------------------------------------------------

def record_assessment(inmate: Inmate, fitness: Fitness, assessed_on: date,
                      review_date: date | None, notes: str = "",
                      today: date | None = None) -> MedicalAssessment:
    """Add a medical assessment; the latest one is the inmate's current fitness.
    Work it now forbids ends that day with reason ``health`` (R3)."""
    check_not_in_future("assessed_on", assessed_on, today or today_in_kazakhstan())
    check_review_after_assessment(assessed_on, review_date, field="review_date")
    latest = db.session.scalar(sa.select(sa.func.max(MedicalAssessment.assessed_on))
                               .where(MedicalAssessment.inmate_id == inmate.id))
    assessment = MedicalAssessment(inmate_id=inmate.id, fitness=fitness,
                                   assessed_on=assessed_on, review_date=review_date,
                                   notes=notes)
    db.session.add(assessment)
    if latest is None or assessed_on >= latest:
        inmate.fitness, inmate.fitness_review_date = fitness, review_date
        signals.fitness_recorded.send(inmate, fitness=fitness, on=assessed_on)
    db.session.flush()
    return assessment


# --- consents (R2, R4, R5) ---------------------------------------------------------------

def give_consent(inmate: Inmate, kind: ConsentKind, given_on: date, document_ref: str = "",
                 today: date | None = None) -> Consent:
    check_not_in_future("given_on", given_on, today or today_in_kazakhstan())
    if kind == ConsentKind.REMAND_WORK_REQUEST and inmate.legal_status != LegalStatus.REMAND:
        raise RuleViolation("kind", _("a work request is recorded for remand detainees only"),
                            rule="R2")
    if any(c.kind == kind and c.withdrawn_on is None for c in inmate.consents):
        raise Conflict("kind", _("a consent of this kind is already in force"))
    consent = Consent(inmate_id=inmate.id, kind=kind, given_on=given_on,
                      document_ref=document_ref)
    db.session.add(consent)
    db.session.flush()
    return consent


def withdraw_consent(consent: Consent, on: date, today: date | None = None) -> list[Any]:
    """Withdraw a consent on ``on``; the work it allowed ends that day with
    reason ``consent_withdrawn`` (R5 private employers, R4 voluntary-only groups):
    the placements ended are returned."""
    if consent.withdrawn_on is not None:
        raise Conflict("withdrawn_on", _("this consent has already been withdrawn"))
    if on < consent.given_on:
        raise RuleViolation("withdrawn_on", _("cannot be before the consent was given"))
    check_not_in_future("withdrawn_on", on, today or today_in_kazakhstan())
    consent.withdrawn_on = on
    last_of_kind = not any(c.kind == consent.kind and c.in_force_on(on)
                           for c in consent.inmate.consents)
    ended = [placement for placements in signals.answers(
        signals.consent_withdrawn, consent, on=on, last_of_kind=last_of_kind)
        for placement in placements]
    db.session.flush()
    _tell_officers_of_withdrawal(consent, on, len(ended))
    return ended


def _tell_officers_of_withdrawal(consent: Consent, on: date, ended: int) -> None:
    """The institution's other officers learn of it (the one who entered it knows)."""
    inmate = consent.inmate
    notify(officers_of(inmate.institution_id), "consent_withdrawn",
           {"consent": {"label": consent.kind.value}, "on": day_param(on), "ended": ended},
           link=path_for("inmates.profile", inmate_id=inmate.id))


# --- separation (R14) --------------------------------------------------------------------

def add_separation(inmate: Inmate, other_id: int, reason: str = "",
                   today: date | None = None) -> SeparationLink:
    other = db.session.scalar(sa.select(Inmate).where(
        Inmate.id == other_id, Inmate.institution_id == inmate.institution_id))
    if other is None:
        raise RuleViolation("other_inmate_id", _("no such inmate in this institution"),
                            rule="R14")
    if other.id == inmate.id:
        raise RuleViolation("other_inmate_id", _("an inmate cannot be kept apart from themself"),
                            rule="R14")
    low, high = sorted((inmate.id, other.id))
    exists = db.session.scalar(sa.select(SeparationLink.id).where(
        SeparationLink.inmate_a_id == low, SeparationLink.inmate_b_id == high))
    if exists is not None:
        raise Conflict("other_inmate_id", _("these inmates are already kept apart"), rule="R14")
    link = SeparationLink(inmate_a_id=low, inmate_b_id=high, reason=reason,
                          created_on=today or today_in_kazakhstan())
    db.session.add(link)
    db.session.flush()
    return link


def separation_links(inmate: Inmate) -> list[SeparationLink]:
    return list(db.session.scalars(sa.select(SeparationLink).where(
        sa.or_(SeparationLink.inmate_a_id == inmate.id,
               SeparationLink.inmate_b_id == inmate.id)).order_by(SeparationLink.id)))


def find_separation(inmate: Inmate, link_id: int) -> SeparationLink | None:
    return next((link for link in separation_links(inmate) if link.id == link_id), None)


def remove_separation(link: SeparationLink) -> None:
    db.session.delete(link)
    db.session.flush()


# --- skills, certificates, wishes --------------------------------------------------------

def active_trade(trade_id: int, field: str = "trade_id") -> Trade:
    trade = db.session.get(Trade, trade_id)
    if trade is None or not trade.active:
        raise RuleViolation(field, _("is not a known trade"))
    return trade


def set_skill(inmate: Inmate, trade_id: int, level: int, source: SkillSource,
              on: date | None = None, *, upgrade_only: bool = False) -> InmateSkill:
    """Record a skill, or change its level; ``upgrade_only`` never lowers it."""
    active_trade(trade_id)
    if not 1 <= level <= 3:
        raise RuleViolation("level", _("must be 1, 2 or 3"))
    skill = next((s for s in inmate.skills if s.trade_id == trade_id), None)
    if skill is None:
        skill = InmateSkill(trade_id=trade_id, level=level, source=source,
                            recorded_on=on or today_in_kazakhstan())
        inmate.skills.append(skill)
    elif not upgrade_only or level > skill.level:
        skill.level, skill.source, skill.recorded_on = level, source, on or today_in_kazakhstan()
    db.session.flush()
    return skill


def remove_skill(skill: InmateSkill) -> None:
    skill.inmate.skills.remove(skill)
    db.session.flush()


def add_certificate(inmate: Inmate, trade_id: int, issued_on: date, number: str = "",
                    issuer: str = "", course_id: int | None = None,
                    today: date | None = None) -> Certificate:
    active_trade(trade_id)
    check_not_in_future("issued_on", issued_on, today or today_in_kazakhstan())
    certificate = Certificate(trade_id=trade_id, issued_on=issued_on, number=number,
                              issuer=issuer, course_id=course_id)
    inmate.certificates.append(certificate)
    db.session.flush()
    return certificate


def remove_certificate(certificate: Certificate) -> None:
    certificate.inmate.certificates.remove(certificate)
    db.session.flush()


def wished_codes(inmate: Inmate) -> dict[str, list[str]]:
    """The inmate's trade wishes as the audit records them."""
    return {"trade_wishes": sorted(trade.code for trade in inmate.trade_wishes)}


def add_wish(inmate: Inmate, trade_id: int) -> None:
    trade = active_trade(trade_id)
    if trade in inmate.trade_wishes:
        raise Conflict("trade_id", _("this trade is already among the inmate's wishes"))
    before = wished_codes(inmate)
    inmate.trade_wishes.append(trade)
    db.session.flush()
    # A row of an association table: no audited column changes, so say it (R18).
    record_change(inmate, before, wished_codes(inmate))


def remove_wish(inmate: Inmate, trade_id: int) -> bool:
    trade = next((t for t in inmate.trade_wishes if t.id == trade_id), None)
    if trade is not None:
        before = wished_codes(inmate)
        inmate.trade_wishes.remove(trade)
        db.session.flush()
        record_change(inmate, before, wished_codes(inmate))
    return trade is not None


# --- leaving: release and transfer -------------------------------------------------------

def release_inmate(inmate: Inmate, on: date, today: date | None = None) -> None:
    """Release: custody ends, placements end with reason ``released`` (R19 keeps them)."""
    _check_can_leave(inmate, on, "released_on", today)
    _leave(inmate, on, CustodyStatus.RELEASED, EndReason.RELEASED)
    inmate.status, inmate.left_on = CustodyStatus.RELEASED, on
    db.session.flush()


def transfer_inmate(inmate: Inmate, institution_id: int, on: date, regime: Any = None,
                    today: date | None = None) -> None:
    """Move to another institution: a new custody period there, placements ended
    with reason ``transferred``; the file number must be free there (R15)."""
    target = db.session.get(Institution, institution_id)
    if target is None:
        raise RuleViolation("institution_id", _("is not a known institution"))
    if target.id == inmate.institution_id:
        raise RuleViolation("institution_id", _("the inmate is already held there"))
    _check_can_leave(inmate, on, "transferred_on", today)
    check_r15_file_number_free(inmate.file_number,
                               file_number_taken(target.id, inmate.file_number))
    check_r6_juvenile_institution(inmate.birth_date, target.kind, today or today_in_kazakhstan())
    _leave(inmate, on, CustodyStatus.TRANSFERRED, EndReason.TRANSFERRED)
    db.session.add(CustodyPeriod(inmate_id=inmate.id, institution_id=target.id, started_on=on))
    inmate.institution_id = target.id
    if regime is not None:
        inmate.regime = regime
    db.session.flush()


def _check_can_leave(inmate: Inmate, on: date, field: str, today: date | None) -> None:
    """Held, and the day possible. The inmate's row is locked first: of two
    releases (or transfers) at the same moment the second waits, then finds the
    person gone (409), so one custody ends once and its payout follows one day."""
    lock_rows(Inmate, [inmate.id])
    if inmate.status != CustodyStatus.HELD:
        raise Conflict("status", _("the inmate is not held any more"))
    check_not_in_future(field, on, today or today_in_kazakhstan())
    if on < inmate.admission_date:
        raise RuleViolation(field, _("cannot be before the admission date"))


def _leave(inmate: Inmate, on: date, custody_end: CustodyStatus, reason: EndReason) -> None:
    open_periods = db.session.scalars(sa.select(CustodyPeriod).where(
        CustodyPeriod.inmate_id == inmate.id, CustodyPeriod.ended_on.is_(None)))
    for period in open_periods:
        period.ended_on, period.end_reason = max(on, period.started_on), custody_end
    signals.inmate_leaving.send(inmate, on=on, reason=reason)  # placements, enrolments end


# --- reading -----------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    for last_day in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, last_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def employed(day: date) -> sa.ColumnElement[bool]:
    """The inmate (``Inmate.id``) holds an active placement on ``day`` (app/placements)."""
    return signals.answer(signals.employed_clause, day)


def search_clause(text: str) -> sa.ColumnElement[bool]:
    """Every word matches a name part or the file number."""
    clauses = []
    for word in text.split():
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        clauses.append(sa.or_(*(column.ilike(pattern) for column in (
            Inmate.last_name, Inmate.first_name, Inmate.middle_name, Inmate.file_number))))
    return sa.and_(sa.true(), *clauses)


def filtered_inmates(filters: dict[str, Any], today: date | None = None) -> sa.Select:
    """The registry's query: the user's scope, then the search and filters."""
    today = today or today_in_kazakhstan()
    query = sa.select(Inmate).where(scope_clause(Inmate))
    if filters.get("q"):
        query = query.where(search_clause(filters["q"]))
    for name in ("regime", "fitness"):
        if filters.get(name) is not None:
            query = query.where(getattr(Inmate, name) == filters[name])
    if filters.get("status", "held") != "any":
        query = query.where(Inmate.status == CustodyStatus(filters.get("status", "held")))
    if filters.get("employed") is not None:
        works = employed(today)
        query = query.where(works if filters["employed"] else sa.not_(works))
    if filters.get("release_within_months"):
        until = add_months(today, filters["release_within_months"])
        query = query.where(Inmate.release_date.between(today, until))
    if filters.get("trade_id") is not None:
        query = query.where(sa.exists().where(InmateSkill.inmate_id == Inmate.id,
                                              InmateSkill.trade_id == filters["trade_id"]))
    return query.order_by(Inmate.last_name, Inmate.first_name, Inmate.id)


def employed_ids(inmate_ids: list[int], day: date | None = None) -> set[int]:
    if not inmate_ids:
        return set()
    return set(db.session.scalars(sa.select(Inmate.id).where(
        Inmate.id.in_(inmate_ids), employed(day or today_in_kazakhstan()))))


def latest_match_run(institution_id: int) -> Any:
    """The institution's latest match run (app/placements), or None."""
    return signals.answer(signals.latest_match_run, institution_id)


UNPLACED_REASONS = {
    "no_eligible_vacancy": _l("No vacancy the inmate may take"),
    "outscored": _l("Other candidates fitted the vacancies better"),
    "not_able_to_work": _l("Not able to work"),
}


def why_not_employed(inmate: Inmate, is_employed: bool) -> dict[str, Any]:
    """What the latest match run of the institution said about this inmate."""
    if is_employed:
        return {"state": "employed", "text": _("Employed"), "barred_by": []}
    run = latest_match_run(inmate.institution_id)
    if run is None:
        return {"state": "no_run", "text": _("No match run yet"), "barred_by": []}
    result = run.result if isinstance(run.result, dict) else {}
    entry = next((u for u in result.get("unplaced") or []
                  if isinstance(u, dict) and str(u.get("inmate_id")) == str(inmate.id)), None)
    base = {"run_id": run.id, "run_as_of": run.as_of}
    if entry is None:
        proposed = any(isinstance(p, dict) and str(p.get("inmate_id")) == str(inmate.id)
                       for p in result.get("proposals") or [])
        if proposed:
            return base | {"state": "proposed", "barred_by": [],
                           "text": _("Proposed for a vacancy by the latest match run; the "
                                     "proposal is on the run's page, awaiting or past a "
                                     "decision")}
        if inmate.created_at and run.created_at and inmate.created_at > run.created_at:
            return base | {"state": "added_after_run", "barred_by": [],
                           "text": _("Added after the latest match run; the next run will "
                                     "consider this inmate")}
        return base | {"state": "not_listed", "barred_by": [],
                       "text": _("Not listed as unplaced in the latest match run")}
    reason = str(entry.get("reason", ""))
    barred = [b | {"explained": _the_one_reason(inmate, b, run.as_of)}
              for b in without_restricted(entry.get("barred_by") or []) if isinstance(b, dict)]
    if reason == "not_able_to_work" and {b.get("rule") for b in barred} == {"R4"}:
        text = _("Works only with their own consent, and none is recorded")
    else:
        text = str(UNPLACED_REASONS.get(reason, reason or _("Unplaced")))
    return base | {"state": "unplaced", "reason": reason, "barred_by": barred, "text": text,
                   "outscored_by": _outscored(entry, run)}


def _the_one_reason(inmate: Inmate, barred: dict[str, Any], day: date) -> str:
    """The reason of R3 or R4 that applies to this inmate (not the rule's list of
    alternatives) and what would help; "" for the others (their rule's reason)."""
    rule = barred.get("rule")
    if rule == "R3" and inmate.fitness == Fitness.UNFIT:
        return _("medically unfit by the latest assessment: never placed until a new "
                 "assessment finds the person fit")
    if rule == "R3" and inmate.fitness_review_date and inmate.fitness_review_date < day:
        return _("the fitness review was due on %(day)s and has not been made: a new medical "
                 "assessment would allow placements again", day=format_day(
                     inmate.fitness_review_date))
    if rule == "R3" and inmate.fitness == Fitness.LIMITED:
        return _("limited fitness: not for heavy or hazardous work")
    if rule == "R4":
        group = (_("pregnancy") if inmate.pregnant else _("disability group %(n)s",
                 n=inmate.disability_group) if inmate.disability_group in (1, 2)
                 else _("pension age"))
        return _("works only with their own consent (%(group)s), and no consent to work is "
                 "recorded: a consent on the profile would allow placements", group=group)
    return ""


def _outscored(entry: dict[str, Any], run: Any) -> list[dict[str, Any]]:
    """The vacancies that went to others: each named, with the score that won there
    (the lowest placed) and the inmate's own."""
    titles = {str(v.get("id")): v.get("title") for v in
              (run.input_snapshot or {}).get("vacancies", []) if isinstance(v, dict)}
    return [{"vacancy": titles.get(str(o.get("vacancy_id"))) or str(o.get("vacancy_id")),
             "own_score": o.get("own_score"), "winning_score": o.get("lowest_placed_score"),
             "positions": o.get("capacity")}
            for o in entry.get("outscored_by") or [] if isinstance(o, dict)]


def profile(inmate: Inmate, today: date | None = None) -> dict[str, Any]:
    """Everything the profile page and the API detail show."""
    is_employed = bool(employed_ids([inmate.id], today))
    sections: dict[str, Any] = {}  # placements and enrolments, from the packages above
    for section in signals.answers(signals.inmate_profile, inmate, today=today):
        sections |= section
    separations = [
        {"id": link.id, "reason": link.reason, "created_on": link.created_on,
         "other": other, "other_inmate_id": other.id, "other_name": str(other)}
        for link in separation_links(inmate)
        for other in [link.inmate_b if link.inmate_a_id == inmate.id else link.inmate_a]
    ]
    return {
        "inmate": inmate, "employed": is_employed, "skills": inmate.skills,
        "certificates": inmate.certificates, "trade_wishes": inmate.trade_wishes,
        "consents": inmate.consents, "medical_assessments": inmate.medical_assessments,
        "custody_periods": inmate.custody_periods, **sections, "separations": separations,
        "why_not_employed": why_not_employed(inmate, is_employed),
    }
