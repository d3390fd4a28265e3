"""R31's late answers as the prosecutors read them: each application of their scope
unanswered past its deadline in a year, with its evidence (received, the last day for
an answer, the answer if it came, and the application's audit trail). The finding
itself is ``violations.r31_late_answers``; this adds who, where and the evidence links
for the page and the API alike."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import url_for

from app.applications.models import Application
from app.core.auth import scope_clause
from app.extensions import db
from app.institutions.models import Institution
from app.monitoring.violations import LateAnswer, Period, r31_late_answers
from policy.clock import today_in_kazakhstan


@dataclass(frozen=True)
class LateAnswerRow:
    """A late answer with what a prosecutor needs to check it."""

    late: LateAnswer
    application: Application
    institution: Institution

    @property
    def history_url(self) -> str:
        """The application's audit trail: every state and answer, who and when."""
        return url_for("monitoring.audit", entity_type="Application",
                       entity_id=self.late.application_id)

    @property
    def history_api_url(self) -> str:
        return url_for("monitoring_api.audit", entity_type="Application",
                       entity_id=self.late.application_id)


def year_period(year: int) -> Period | None:
    """January 1st to the year's end or today, whichever is first; None for a year
    that has not begun (nothing can be late in it yet)."""
    period = Period(date(year, 1, 1), min(date(year, 12, 31), today_in_kazakhstan()))
    return period if period.start <= period.end else None


def late_answers_in_scope(year: int, user: Any) -> list[LateAnswerRow]:
    """The applications in ``user``'s scope (a prosecutor's region, or the country)
    answered late or still unanswered past the deadline during ``year``."""
    period = year_period(year)
    if period is None:
        return []
    late = r31_late_answers(period, scope_clause(Application, user))
    if not late:
        return []
    rows = db.session.execute(
        sa.select(Application, Institution)
        .join(Institution, Institution.id == Application.institution_id)
        .where(Application.id.in_([found.application_id for found in late])))
    found_by_id = {application.id: (application, institution)
                   for application, institution in rows}
    return [LateAnswerRow(found, *found_by_id[found.application_id]) for found in late]
