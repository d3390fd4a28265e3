"""Derived figures that stay true: a hypothesis state machine makes random writes
(placements started and ended, assessments, consents given and withdrawn, custody ended,
a birth date or disability group corrected, a skill learnt), each batch committed or
rolled back, and reads in between; every kept figure (app/placements/kept.py: R1 counts,
the labour pool, the violations of a period) then equals the one computed from history.

Reads come after a commit or a rollback, as a request's do: within a transaction that
wrote, the kept figures are by design those from before its writes (they are forgotten
when it commits). Each read is committed too, so that what it kept is read back later.
"""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from app.core.vocabulary import ConsentKind, EmployerKind, EndReason, Fitness, SkillSource
from app.extensions import db
from app.inmates.models import Consent, CustodyPeriod, Inmate, InmateSkill, MedicalAssessment
from app.monitoring import rates
from app.monitoring.operations import kept_violations
from app.monitoring.violations import Period, find_violations, violation_json
from app.placements import kept
from app.placements.models import Placement
from employers import pool
from policy.clock import today_in_kazakhstan
from tests import factories

TODAY = today_in_kazakhstan()
DAYS = [TODAY - timedelta(days=k) for k in (40, 20, 9, 3, 0)]
PERIODS = [Period(DAYS[0], DAYS[2]), Period(DAYS[1], TODAY), Period(DAYS[3], TODAY)]
# a write dated up to 45 days back (late, backdated), often on a day read, its boundary
offsets = st.one_of(st.sampled_from([(day - TODAY).days for day in DAYS]),
                    st.integers(-45, 0))
people = st.integers(0, 5)
then = st.sampled_from(["commit", "commit", "rollback", "more"])


def _empty_tables() -> None:
    db.session.rollback()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


class KeptFiguresStayTrue(RuleBasedStateMachine):
    @initialize()
    def world(self):
        _empty_tables()
        region = factories.region()
        self.homes = [factories.institution(region) for _ in range(2)]
        self.jobs = [factories.vacancy(factories.employer(kind), home, positions=2,
                                       start_date=TODAY - timedelta(days=90))
                     for home in self.homes
                     for kind in (EmployerKind.STATE_ENTERPRISE, EmployerKind.PRIVATE_COMPANY)]
        self.people = [factories.inmate(self.homes[k % 2],
                                        admission_date=TODAY - timedelta(days=100))
                       for k in range(6)]
        self.ids = [i.id for i in self.homes]
        self.person_ids = [p.id for p in self.people]
        self.job_ids = [(j.id, j.institution_id) for j in self.jobs]
        self.trade_id = factories.trade("welder").id
        self.dirty = False

    def _person(self, k: int) -> Inmate:
        return db.session.get(Inmate, self.person_ids[k])

    def _wrote(self, then: str) -> None:
        """After a write: write more in the same transaction, commit or roll back."""
        db.session.flush()
        self.dirty = True
        if then != "more":
            self.end_the_transaction(then == "commit")

    # --- writes ------------------------------------------------------------------
    @rule(then=then, k=people, job=st.integers(0, 3), on=offsets, paid=st.booleans())
    def start_placement(self, k, job, on, paid, then):
        person = self._person(k)
        vacancy_id, institution_id = self.job_ids[job]
        if institution_id != person.institution_id:
            vacancy_id, institution_id = self.job_ids[job ^ 2]
        db.session.add(Placement(inmate_id=person.id, vacancy_id=vacancy_id,
                                 institution_id=institution_id,
                                 start_date=TODAY + timedelta(days=on), weekly_hours=40,
                                 monthly_wage=90_000, paid=paid))
        self._wrote(then)

    @rule(then=then, k=people, days=st.integers(1, 30))
    def end_placement(self, k, days, then):
        placement = db.session.scalar(sa.select(Placement).where(
            Placement.inmate_id == self.person_ids[k], Placement.end_date.is_(None))
            .order_by(Placement.id).limit(1))
        if placement is not None:
            placement.end_date = min(TODAY, placement.start_date + timedelta(days=days))
            placement.end_reason = EndReason.COMPLETED
            self._wrote(then)

    @rule(then=then, k=people, on=offsets, fitness=st.sampled_from(list(Fitness)))
    def assess(self, k, on, fitness, then):
        db.session.add(MedicalAssessment(inmate_id=self.person_ids[k], fitness=fitness,
                                         assessed_on=TODAY + timedelta(days=on)))
        self._wrote(then)

    @rule(then=then, k=people, on=offsets, kind=st.sampled_from(list(ConsentKind)),
          days=st.one_of(st.none(), st.integers(1, 30)))
    def consent(self, k, on, kind, days, then):
        given = TODAY + timedelta(days=on)
        db.session.add(Consent(inmate_id=self.person_ids[k], kind=kind, given_on=given,
                               withdrawn_on=None if days is None
                               else given + timedelta(days=days)))
        self._wrote(then)

    @rule(then=then, k=people, on=offsets)
    def custody_ends(self, k, on, then):
        period = db.session.scalar(sa.select(CustodyPeriod).where(
            CustodyPeriod.inmate_id == self.person_ids[k], CustodyPeriod.ended_on.is_(None)))
        if period is not None:
            period.ended_on = max(period.started_on + timedelta(days=1),
                                  TODAY + timedelta(days=on))
            self._wrote(then)

    @rule(then=then, k=people, born=st.sampled_from([date(1990, 5, 1), date(1962, 1, 15),
                                                     date(2009, 1, 1)]),
          group=st.sampled_from([None, 1, 3]), skill=st.booleans())
    def correct_an_undated_fact(self, k, born, group, skill, then):
        """A birth date, a disability group or a skill: facts without dates, whose
        change forgets every day (one rule, so that dated writes stay the usual ones)."""
        person = self._person(k)
        if not skill:
            person.birth_date, person.disability_group = born, group
        elif not db.session.scalar(sa.select(InmateSkill.id).where(
                InmateSkill.inmate_id == person.id, InmateSkill.trade_id == self.trade_id)):
            db.session.add(InmateSkill(inmate_id=person.id, trade_id=self.trade_id, level=2,
                                       source=SkillSource.DECLARED, recorded_on=TODAY))
        self._wrote(then)

    @rule(keep=st.booleans())
    def end_the_transaction(self, keep):
        if keep:
            db.session.commit()
        else:
            db.session.rollback()
        self.dirty = False

    # --- reads: kept equals computed ------------------------------------------------
    @precondition(lambda self: not self.dirty)
    @rule()
    def r1_counts(self):
        read = rates.counts_on(DAYS, self.ids)
        computed = rates.count_from_history(DAYS, set(self.ids))
        db.session.commit()
        assert read == {cell: counts for cell, counts in computed.items() if counts.held}

    @precondition(lambda self: not self.dirty)
    @rule(day=st.sampled_from(DAYS))
    def labour_pool(self, day):
        read = kept.figures_of("pool", [day], self.ids, pool._count_groups)
        computed = pool._count_groups([day], self.ids)
        db.session.commit()
        assert read == computed

    @precondition(lambda self: not self.dirty)
    @rule(period=st.sampled_from(PERIODS))
    def violations(self, period):
        # whole violations, day and why included, as kept figures hold them
        read = [violation_json(v) for v in kept_violations(period, self.ids)]
        computed = [violation_json(v) for v in
                    find_violations(period, Placement.institution_id.in_(self.ids))]
        db.session.commit()
        assert read == computed

    def teardown(self):
        _empty_tables()


@pytest.mark.usefixtures("trades")
def test_every_kept_figure_equals_the_computed_one(app):
    state = KeptFiguresStayTrue.TestCase
    state.settings = settings(max_examples=40, stateful_step_count=30, deadline=None,
                              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                     HealthCheck.too_slow])
    state().runTest()

