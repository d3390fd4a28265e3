"""Builders of R27-R30 records for the tests."""

from datetime import date, timedelta

from app.core.vocabulary import RiskReason
from app.extensions import db
from app.inmates.models import CourtBan, RiskAssessment, ScatteredFlag
from app.taxonomy.models import Trade
from policy.clock import today_in_kazakhstan

TODAY = today_in_kazakhstan()


def assess(inmate, level: str, on: date | None = None, needs=(), reason=RiskReason.ADMISSION):
    row = RiskAssessment(inmate_id=inmate.id, assessed_on=on or TODAY - timedelta(days=30),
                         level=level, needs=list(needs), reason=reason)
    db.session.add(row)
    db.session.commit()
    return row


def flag(inmate, on: date | None = None, lifted: date | None = None):
    row = ScatteredFlag(inmate_id=inmate.id, flagged_on=on or TODAY - timedelta(days=100),
                        lifted_on=lifted)
    db.session.add(row)
    db.session.commit()
    return row


def ban(inmate, *trades: Trade, starts: date | None = None, ends: date | None = None):
    row = CourtBan(inmate_id=inmate.id, starts_on=starts or TODAY - timedelta(days=400),
                   ends_on=ends, decision_ref="2-1234/2025")
    row.trades = list(trades)
    db.session.add(row)
    db.session.commit()
    return row
