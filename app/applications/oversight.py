"""Applications by institution and month for the prosecutors (R31): received, answered
within the year's answer days, offered, declined. Counted by the month received."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from app.applications.models import AnswerKind, Application, ApplicationState
from app.core.auth import scope_clause
from app.extensions import db
from app.institutions.models import Institution
from app.settings.operations import settings_for

OFFERED_STATES = (ApplicationState.OFFERED, ApplicationState.ACCEPTED,
                  ApplicationState.DECLINED)


@dataclass
class MonthRow:
    institution_id: int
    institution: str
    month: int
    received: int = 0
    answered_in_time: int = 0
    offered: int = 0
    declined: int = 0


def by_institution_and_month(year: int, user: Any) -> list[MonthRow]:
    days = settings_for(year).application_answer_days
    rows = db.session.execute(
        sa.select(Application.institution_id, Institution.code, Application.received_on,
                  Application.answered_on, Application.state, Application.answer_kind)
        .join(Institution, Institution.id == Application.institution_id)
        .where(scope_clause(Application, user),
               Application.received_on.between(date(year, 1, 1), date(year, 12, 31))))
    found: dict[tuple[int, int], MonthRow] = {}
    for institution_id, code, received_on, answered_on, state, answer_kind in rows:
        key = (institution_id, received_on.month)
        row = found.setdefault(key, MonthRow(institution_id, code, received_on.month))
        row.received += 1
        row.answered_in_time += answered_on is not None and \
            answered_on <= received_on + timedelta(days=days)
        row.offered += state in OFFERED_STATES or answer_kind == AnswerKind.OFFERED
        row.declined += state == ApplicationState.DECLINED
    return sorted(found.values(), key=lambda r: (r.institution, r.month))
