"""Placements: match runs, proposals an officer decides, starting and ending
placements. History is never deleted (R19).

Accepting a proposal re-checks every rule against the data of the moment with
the engine's own per-pair check (``matching.check_pair``), so a rule lives once;
a vacancy edit re-checks its current placements with the same check
(``rules_newly_broken``).

Capacity (R11) holds under concurrent accepts: ``lock_for_update`` locks what a
placement depends on before positions and hours are counted. On PostgreSQL that
is ``SELECT ... FOR UPDATE`` of the rows (inmates first, then vacancies, each in
id order, so two transactions never wait on each other in a cycle). SQLite has
no row locks and pysqlite opens a transaction only at the first write, so a
count read before it is read under no lock at all and two racing accepts both
see the last free position; there the function first takes the database's write
lock (a write that changes nothing), which the other writer waits for
(``make run`` serves SQLite with two gunicorn workers).
"""

import gc
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from types import SimpleNamespace

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import defer, selectinload

import matching
from app.core import signals
from app.core.audit import current_actor
from app.core.auth import scope_clause, scoped
from app.core.errors import Conflict, RuleViolation, with_rule
from app.core.locks import lock_rows
from app.core.models import utcnow
from app.core.plausible import refuse
from app.core.vocabulary import EndReason, OrderKind, ProposalStatus, Site, VacancyStatus
from app.extensions import db
from app.inmates.models import Inmate, SeparationLink
from app.institutions.models import Institution
from app.placements import adapter, orders, queries, suspensions
from app.placements.models import MatchRun, Placement, Proposal
from app.settings.models import YearSettings
from app.settings.operations import settings_for
from app.vacancies.models import Vacancy
from policy import Law, plausible, rules
from policy.clock import today_in_kazakhstan
from policy.ops import PYTHON

# Rules refused because of other stored placements answer 409, the others 422.
CONFLICT_RULES = frozenset({"R11", "R14", "R29"})

# The form field each rule is about, and the officer-facing wording of the refusal.
RULE_FIELDS = {
    "R2": ("legal_status", _l("a remand detainee is never placed from a proposal")),
    "R3": ("fitness", _l("medically unfit, fitness review expired, or limited fitness "
                         "for heavy or hazardous work")),
    "R4": ("consents", _l("voluntary-only group (pension age, disability group I or II, "
                          "pregnancy) without a consent in force")),
    "R5": ("consents", _l("a private employer needs the inmate's recorded consent")),
    "R6": ("birth_date", _l("under 18: juvenile institution only, no heavy work, "
                            "hours limited by age")),
    "R7": ("sex", _l("the vacancy is barred to women")),
    "R8": ("site", _l("the inmate's regime and conditions do not allow work outside "
                      "the perimeter")),
    "R9": ("weekly_hours", _l("weekly hours over the limit, or already in a paid placement")),
    "R10": ("monthly_wage", _l("the wage is under the minimum wage (pro rata)")),
    "R11": ("positions", _l("the vacancy has no free position or has ended")),
    "R12": ("qualification", _l("a required certificate is missing, or a required skill "
                                "is missing and the job is not trainable on the job")),
    "R13": ("release_date", _l("the placement would start after the inmate's release")),
    "R14": ("separation", _l("an inmate to be kept apart already works at this site "
                             "and shift")),
    "R28": ("max_risk_level", _l("the person's risk level is above the highest this "
                                 "vacancy may take")),
    "R29": ("workplace", _l("this workplace and shift already has as many persons of the "
                            "scattered model as the institution allows")),
    "R30": ("court_bans", _l("a court's ban covers the vacancy's trade")),
}


class PlacementRefused(RuleViolation):
    """One or more rules refuse a placement; every broken rule is named."""

    def __init__(self, violations: Sequence[tuple[str, str]]) -> None:
        self.violations = list(violations)  # (rule, message)
        first_rule = self.violations[0][0]
        super().__init__(RULE_FIELDS[first_rule][0], "", rule=first_rule)
        self.message = "; ".join(with_rule(rule, message) for rule, message in self.violations)
        if any(rule in CONFLICT_RULES for rule, _message in self.violations):
            self.status_code = 409

    @property
    def errors(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for rule, message in self.violations:
            found.setdefault(RULE_FIELDS[rule][0], []).append(with_rule(rule, message))
        return found


# ---------------------------------------------------------------- match runs


def start_run(institution: Institution, started_by_id: int | None,
              day: date | None = None) -> MatchRun:
    """Run the engine for ``institution`` on ``day`` and store what it saw and said."""
    day = day or today_in_kazakhstan()
    began = time.perf_counter()
    with collector_paused():
        settings = settings_for(day.year)
        problem = adapter.build_problem(institution, day, settings)
        outcome = matching.match(problem)
        run = store_run(institution.id, started_by_id, problem, outcome, settings)
        signals.match_run_stored.send(run, problem=problem, outcome=outcome)
    run.duration_ms = round((time.perf_counter() - began) * 1000)
    return run


def store_run(institution_id: int, started_by_id: int | None, problem: matching.Problem,
              outcome: matching.MatchResult, settings: YearSettings,
              handover_for: str = "") -> MatchRun:
    """Store what the engine saw and said, and its proposals for the officer."""
    run = MatchRun(institution_id=institution_id, started_by_id=started_by_id,
                   as_of=problem.as_of, input_snapshot=adapter.problem_snapshot(problem),
                   settings_snapshot=adapter.settings_snapshot(settings),
                   result=outcome.to_dict(), handover_for=handover_for)
    db.session.add(run)
    db.session.flush()
    _store_proposals(run.id, outcome.proposals)
    return run


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a run builds its objects.
    A run creates some hundred thousand small objects that all stay alive until it
    ends, so the collector's passes over them (and over the whole application heap)
    find nothing to free (0.1-0.3 s of a 2,000-inmate run, measured with
    benchmarks/bench_runs.py). Memory is still freed by reference counting; the
    collector catches up when it resumes. The previous state is restored, so a
    caller that had paused it keeps it paused."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _store_proposals(run_id: int, proposals: Sequence[matching.Proposal]) -> None:
    """All the run's proposals in one statement (executemany), not one per row."""
    if proposals:
        db.session.execute(sa.insert(Proposal), [
            {"run_id": run_id, "inmate_id": int(p.inmate_id), "vacancy_id": int(p.vacancy_id),
             "score": p.score, "score_parts": p.score_parts, "status": ProposalStatus.PENDING}
            for p in proposals
        ])


def runs_query() -> sa.Select:
    """The user's runs, newest first, without the (large) input snapshots."""
    return (scoped(MatchRun).options(defer(MatchRun.input_snapshot),
                                     defer(MatchRun.settings_snapshot))
            .order_by(MatchRun.id.desc()))


def run_in_scope_or_404(run_id: int, with_proposals: bool = False) -> MatchRun:
    query = runs_query().where(MatchRun.id == run_id)
    if with_proposals:  # names of inmates and vacancies in a few queries, not one per row
        proposals = selectinload(MatchRun.proposals)
        query = query.options(proposals.selectinload(Proposal.inmate),
                              proposals.selectinload(Proposal.vacancy))
    run = db.session.scalar(query)
    if run is None:
        abort(404)
    return run


def proposal_counts(run_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{run_id: {status: count}} for the runs listed."""
    counts: dict[int, dict[str, int]] = {}
    rows = db.session.execute(
        sa.select(Proposal.run_id, Proposal.status, sa.func.count())
        .where(Proposal.run_id.in_(list(run_ids))).group_by(Proposal.run_id, Proposal.status)
    )
    for run_id, status, count in rows:
        counts.setdefault(run_id, {})[status.value] = count
    return counts


# ---------------------------------------------------------------- lookups in scope (R16)


def proposals_in_scope_or_404(proposal_ids: Sequence[int]) -> list[Proposal]:
    """The proposals, in the order asked, if all are the user's to see; else 404."""
    wanted = list(dict.fromkeys(proposal_ids))
    found = {p.id: p for p in db.session.scalars(
        sa.select(Proposal).join(MatchRun, MatchRun.id == Proposal.run_id)
        .where(Proposal.id.in_(wanted), scope_clause(MatchRun)))}
    if len(found) != len(wanted):
        abort(404)
    return [found[proposal_id] for proposal_id in wanted]


# ---------------------------------------------------------------- locking


def _partners(inmate_ids: Iterable[int]) -> set[int]:
    """Inmates to be kept apart from ``inmate_ids`` (R14)."""
    ids = list(inmate_ids)
    rows = db.session.execute(sa.select(SeparationLink.inmate_a_id, SeparationLink.inmate_b_id)
                              .where(sa.or_(SeparationLink.inmate_a_id.in_(ids),
                                            SeparationLink.inmate_b_id.in_(ids))))
    return {other for pair in rows for other in pair} - set(ids)


def lock_for_update(vacancy_ids: Iterable[int], inmate_ids: Iterable[int] = ()) -> None:
    """Lock what a placement's counts depend on until commit: the inmates and their
    separation partners (hours R9, R14), then the vacancies (positions, R11), each in
    id order. Call it before counting (app/core/locks.py says how, on both databases)."""
    vacancies = set(vacancy_ids)
    if db.session.get_bind().dialect.name == "sqlite":
        lock_rows(Vacancy, vacancies)  # the single writer lock first, as PostgreSQL's order
    inmates = set(inmate_ids)
    if inmates:
        inmates |= _partners(inmates)
    lock_rows(Inmate, inmates)
    lock_rows(Vacancy, vacancies)


def _locked_proposal(proposal_id: int) -> Proposal:
    """The proposal as stored now: another officer may have decided it meanwhile."""
    return db.session.scalars(
        sa.select(Proposal).where(Proposal.id == proposal_id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()


# ---------------------------------------------------------------- starting a placement


def start_placement(inmate_id: int, vacancy_id: int, *, institution_id: int,
                    created_by_id: int | None, start_date: date | None = None,
                    today: date | None = None, proposal_id: int | None = None) -> Placement:
    """Place an inmate in a vacancy after re-checking every rule on current data."""
    today = today or today_in_kazakhstan()
    lock_for_update([vacancy_id], [inmate_id])
    vacancy = db.session.get(Vacancy, vacancy_id)
    start = start_date or max(today, vacancy.start_date)
    _check_state(inmate_id, vacancy, institution_id, start, today)
    _check_rules(inmate_id, vacancy, start)
    placement = Placement(
        inmate_id=inmate_id, vacancy_id=vacancy_id, institution_id=institution_id,
        start_date=start, weekly_hours=vacancy.weekly_hours, monthly_wage=vacancy.monthly_wage,
        paid=True, proposal_id=proposal_id, created_by_id=created_by_id,
    )
    db.session.add(placement)
    db.session.flush()
    orders.issue(placement, OrderKind.PLACEMENT, issued_by_id=created_by_id, on=today)
    return placement


def _check_state(inmate_id: int, vacancy: Vacancy, institution_id: int, start: date,
                 today: date) -> None:
    """What is not a rule of the engine: the dates (first, so that a bad date is named as
    such), custody and the vacancy's status."""
    refuse("start_date", plausible.event_day(start, today))
    if start < today:
        raise RuleViolation("start_date", _("is in the past"))
    if start < vacancy.start_date:
        raise RuleViolation("start_date", _("is before the vacancy starts"))
    if not (queries.is_held(inmate_id, institution_id, today)
            and queries.is_held(inmate_id, institution_id, start)):
        raise Conflict("inmate", _("is no longer held at the institution"))
    if vacancy.institution_id != institution_id or vacancy.status != VacancyStatus.PUBLISHED:
        raise Conflict("vacancy", _("is not published at the institution any more"))


def _check_rules(inmate_id: int, vacancy: Vacancy, start: date) -> None:
    """R2-R13 with the engine's per-pair check on the data of ``start``, R14, R28, R30,
    and R29's cap of the workplace and shift."""
    inmate = adapter.load_inmates([inmate_id], start)[0]
    offer = adapter.load_vacancies([vacancy.id], start)[0]
    found = _pair_rules(inmate, offer, vacancy, start)
    if inmate.flagged and offer.flagged_placed >= adapter.scattered_cap(
            vacancy.institution, settings_for(start.year).law):
        found.append("R29")
    if found:
        raise PlacementRefused([(rule, str(RULE_FIELDS[rule][1])) for rule in found])


def _pair_rules(inmate: matching.Inmate, offer: matching.Vacancy, vacancy: Vacancy,
                day: date) -> list[str]:
    """The rules the pair breaks on ``day``: the engine's R2-R13, then R14."""
    settings = adapter.engine_settings(settings_for(day.year))
    found = [v.rule for v in matching.check_pair(
        inmate, offer, settings, day, vacancy.institution.is_juvenile)]
    if _separation_clash(inmate, vacancy, day):
        found.append("R14")
    found += [rule for rule in security_rules(inmate, offer, settings) if rule not in found]
    return found


def security_rules(inmate: matching.Inmate, offer: matching.Vacancy, law: Law) -> list[str]:
    """R28 and R30 at entry, by ``policy.rules`` in plain Python on the adapter's values
    (the bans it loads are those running on the day, ``r30_ban_runs``)."""
    person = SimpleNamespace(risk=inmate.risk_level)
    job = SimpleNamespace(outside=offer.site == Site.OUTSIDE, max_risk=offer.max_risk_level)
    found = []
    if not rules.r28_security_allows(PYTHON, law, person, job):
        found.append("R28")
    if offer.trade_code in inmate.banned_trades:
        found.append("R30")
    return found


def placement_violations(placements: Sequence[Placement], day: date) -> dict[int, set[str]]:
    """{placement id: the rules its inmate and vacancy break on ``day``, as stored
    now}, by the accept-time check as if the placement were being accepted again:
    its own hours and position are not counted against it. Positions are left to
    the confirmation of the caller that reduces them (R11 only catches an end date)."""
    if not placements:
        return {}
    inmates = {int(i.id): i for i in adapter.load_inmates({p.inmate_id for p in placements},
                                                          day)}
    offers = {int(v.id): v for v in adapter.load_vacancies({p.vacancy_id for p in placements},
                                                           day)}
    paid_elsewhere = _paid_elsewhere(placements, day)
    found = {}
    for placement in placements:
        inmate = replace(inmates[placement.inmate_id],
                         current_weekly_hours=inmates[placement.inmate_id].current_weekly_hours
                         - placement.weekly_hours,
                         employed=placement.id in paid_elsewhere)
        offer = replace(offers[placement.vacancy_id], free_positions=1)
        found[placement.id] = set(_pair_rules(inmate, offer, placement.vacancy, day))
    return found


def _paid_elsewhere(placements: Sequence[Placement], day: date) -> set[int]:
    """Ids of the ``placements`` whose inmate holds another paid placement not ended
    by ``day`` (R9: one paid placement)."""
    own = {p.id: p.inmate_id for p in placements}
    others = set(db.session.scalars(
        sa.select(Placement.inmate_id).where(
            Placement.inmate_id.in_(set(own.values())), Placement.id.not_in(list(own)),
            Placement.paid.is_(True), queries.open_placements(day))))
    return {placement_id for placement_id, inmate_id in own.items() if inmate_id in others}


def _separation_clash(inmate: matching.Inmate, vacancy: Vacancy, start: date) -> bool:
    """R14: a partner holds a placement at the same site and shift of the institution."""
    partners = [int(other) for other in inmate.separated_from]
    if not partners:
        return False
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Placement)
        .join(Vacancy, Vacancy.id == Placement.vacancy_id)
        .where(Placement.inmate_id.in_(partners), queries.open_placements(start),
               Vacancy.institution_id == vacancy.institution_id,
               Vacancy.site == vacancy.site, Vacancy.shift == vacancy.shift)
    ) > 0


# ---------------------------------------------------------------- deciding proposals


def _decided(proposal: Proposal, status: ProposalStatus, user_id: int | None) -> None:
    proposal.status = status
    proposal.decided_by_id = user_id
    proposal.decided_at = utcnow()


def _pending(proposal_id: int) -> Proposal:
    proposal = _locked_proposal(proposal_id)
    if proposal.status != ProposalStatus.PENDING:
        raise Conflict("proposal", _("has already been decided (%(status)s)",
                                      status=proposal.status.value))
    return proposal


def accept_proposal(proposal: Proposal, user_id: int | None, start_date: date | None = None,
                    today: date | None = None) -> Placement:
    """Turn a proposal into a placement, or refuse naming the rule."""
    lock_for_update([proposal.vacancy_id], [proposal.inmate_id])
    proposal = _pending(proposal.id)
    placement = start_placement(
        proposal.inmate_id, proposal.vacancy_id, institution_id=proposal.run.institution_id,
        created_by_id=user_id, start_date=start_date, today=today, proposal_id=proposal.id,
    )
    _decided(proposal, ProposalStatus.ACCEPTED, user_id)
    signals.proposal_decided.send(proposal)
    return placement


def reject_proposal(proposal: Proposal, user_id: int | None, reason: str) -> None:
    if not reason.strip():
        raise RuleViolation("reason", _("Give a reason for the rejection."))
    proposal = _pending(proposal.id)
    _decided(proposal, ProposalStatus.REJECTED, user_id)
    proposal.rejection_reason = reason.strip()
    signals.proposal_decided.send(proposal)


@dataclass
class Outcome:
    """What became of one proposal of a bulk decision."""

    proposal_id: int
    status: str  # accepted | rejected | refused
    placement_id: int | None = None
    message: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)


def accept_proposals(proposals: Sequence[Proposal], user_id: int | None,
                     start_date: date | None = None,
                     today: date | None = None) -> list[Outcome]:
    """Accept each proposal that passes the rules; refuse the others, naming the rule.
    A refusal is decided before anything is written, so the accepted ones stand."""
    lock_for_update([p.vacancy_id for p in proposals], [p.inmate_id for p in proposals])
    outcomes = []
    for proposal in proposals:
        try:
            placement = accept_proposal(proposal, user_id, start_date, today)
        except RuleViolation as refusal:
            outcomes.append(Outcome(proposal.id, "refused", None, refusal.message,
                                    refusal.errors))
        else:
            outcomes.append(Outcome(proposal.id, "accepted", placement.id))
    return outcomes


def reject_proposals(proposals: Sequence[Proposal], user_id: int | None,
                     reason: str) -> list[Outcome]:
    outcomes = []
    for proposal in proposals:
        try:
            reject_proposal(proposal, user_id, reason)
        except RuleViolation as refusal:
            outcomes.append(Outcome(proposal.id, "refused", None, refusal.message,
                                    refusal.errors))
        else:
            outcomes.append(Outcome(proposal.id, "rejected"))
    return outcomes


# ---------------------------------------------------------------- placements


def placements_query(query: sa.Select, state: str = "current", today: date | None = None,
                     inmate_id: int | None = None, vacancy_id: int | None = None,
                     search: str = "") -> sa.Select:
    """Filter a (scoped) ``select(Placement)``: current = not ended (active or
    starting later), past = ended."""
    today = today or today_in_kazakhstan()
    if state == "current":
        query = query.where(queries.open_placements(today))
    elif state == "past":
        query = query.where(sa.not_(queries.open_placements(today)))
    if inmate_id:
        query = query.where(Placement.inmate_id == inmate_id)
    if vacancy_id:
        query = query.where(Placement.vacancy_id == vacancy_id)
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.join(Inmate, Inmate.id == Placement.inmate_id).where(sa.or_(
            sa.func.lower(Inmate.last_name).like(pattern),
            sa.func.lower(Inmate.first_name).like(pattern),
            sa.func.lower(Inmate.file_number).like(pattern)))
    return query.order_by(Placement.start_date.desc(), Placement.id.desc())


def end_placement(placement: Placement, reason: EndReason, on: date, note: str = "") -> None:
    """End ``placement`` on ``on`` (the first day not worked) with ``reason``, end its
    suspension still open then (app/placements/suspensions.py) and issue its removal
    order (app/placements/orders.py). Every ending goes through here: an officer's, a
    release or transfer, a health assessment, a withdrawn consent, a closed vacancy."""
    if placement.end_date is not None:
        raise RuleViolation("placement", _("has already ended"))
    if on < placement.start_date:
        raise RuleViolation("end_date", _("is before the placement started"))
    refuse("end_date", plausible.event_day(on, today_in_kazakhstan()))
    placement.end_date = on
    placement.end_reason = reason
    placement.end_note = note
    suspensions.end_with_placement(placement, on)
    orders.issue(placement, OrderKind.REMOVAL, issued_by_id=current_actor()[0])
    signals.place_freed.send(placement.vacancy, on=on)


def end_active_placements(
    *, reason: EndReason, on: date, inmate_id: int | None = None,
    vacancy_id: int | None = None, note: str = "",
) -> list[Placement]:
    """End every placement of an inmate or a vacancy still open on ``on``."""
    query = sa.select(Placement).where(Placement.end_date.is_(None))
    if inmate_id is not None:
        query = query.where(Placement.inmate_id == inmate_id)
    if vacancy_id is not None:
        query = query.where(Placement.vacancy_id == vacancy_id)
    ended = list(db.session.scalars(query))
    for placement in ended:
        end_placement(placement, reason, max(on, placement.start_date), note)
    return ended

