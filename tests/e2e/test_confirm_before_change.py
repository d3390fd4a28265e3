"""In the browser: an entrepreneur lowers a staffed vacancy's positions under its
workers, is asked to confirm with the worker whose placement would end, presses
Cancel, and nothing has changed; doing it again and confirming applies it."""

from datetime import date, timedelta

import sqlalchemy as sa

from app.auth.models import User
from app.core.audit import AuditEvent
from app.extensions import db
from app.institutions.models import Institution
from app.placements.models import Placement
from app.vacancies.models import Vacancy
from tests import factories
from tests.e2e.conftest import log_in


def _staffed_vacancy() -> Vacancy:
    """The issue's case: 9 positions and 7 workers, at AK-159/20, of the demo business."""
    employer = db.session.scalar(sa.select(User).where(User.email == "employer@demo.kz")).employer
    dolinka = db.session.scalar(sa.select(Institution).where(Institution.code == "AK-159/20"))
    vacancy = factories.vacancy(employer, dolinka, title="Confirm-test sewing", positions=9)
    for n in range(7):
        worker = factories.inmate(dolinka, last_name=f"Sewer{n}", first_name="Test")
        factories.placement(worker, vacancy, start_date=date.today() - timedelta(days=70 - n))
    return vacancy


def _stored(vacancy_id: int) -> tuple[int, int, int]:
    """(positions, open placements, audit entries about them) as committed."""
    db.session.expire_all()
    with db.engine.connect() as connection:
        positions = connection.scalar(sa.select(Vacancy.positions)
                                      .where(Vacancy.id == vacancy_id))
        open_ = connection.scalar(sa.select(sa.func.count()).select_from(Placement).where(
            Placement.vacancy_id == vacancy_id, Placement.end_date.is_(None)))
        audit = connection.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    return positions, open_, audit


def _lower_positions(page, vacancy_id: int, positions: int) -> None:
    page.goto(f"/employer/vacancies/{vacancy_id}/edit")
    page.fill("input[name=positions]", str(positions))
    page.click("button.primary:has-text('Save')")


def test_lowering_positions_then_cancelling_changes_nothing(open_page):
    vacancy_id = _staffed_vacancy().id
    before = _stored(vacancy_id)
    assert before[:2] == (9, 7)
    page = open_page()
    log_in(page, "employer@demo.kz")

    _lower_positions(page, vacancy_id, 6)
    assert "Please confirm" in page.content()
    ending = page.inner_text("table#ending tbody")
    assert "Sewer6" in ending and "Sewer5" not in ending  # the most recent worker only
    page.click("a:has-text('Cancel')")
    assert page.url.endswith(f"/employer/vacancies/{vacancy_id}")
    assert _stored(vacancy_id) == before  # positions 9, 7 workers, no audit entry

    _lower_positions(page, vacancy_id, 6)
    page.click("button:has-text('Save with fewer positions')")
    assert "Vacancy saved" in page.content()
    positions, open_, audit = _stored(vacancy_id)
    assert (positions, open_) == (6, 6) and audit > before[2]
