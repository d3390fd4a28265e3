"""In the browser: an entrepreneur lowers a staffed vacancy's positions under its
workers, is asked to confirm with the worker whose placement would end, presses
Cancel, and nothing has changed; doing it again and confirming applies it."""

from datetime import timedelta

import sqlalchemy as sa

from app.auth.models import User
from app.core.audit import AuditEvent
from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.placements.models import Placement
from app.vacancies.models import Vacancy
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.e2e.conftest import log_in, screenshots


def _staffed_vacancy() -> Vacancy:
    """The issue's case: 9 positions and 7 workers, at AK-159/20, of the demo business."""
    employer = db.session.scalar(sa.select(User).where(User.email == "employer@demo.kz")).employer
    dolinka = db.session.scalar(sa.select(Institution).where(Institution.code == "AK-159/20"))
    vacancy = factories.vacancy(employer, dolinka, title="Confirm-test sewing", positions=9)
    for n in range(7):
        worker = factories.inmate(dolinka, last_name=f"Sewer{n}", first_name="Test")
        started = today_in_kazakhstan() - timedelta(days=70 - n)
        factories.placement(worker, vacancy, start_date=started)
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
    assert "Please confirm" in page.inner_text("body")
    ending = page.inner_text("table#ending tbody")
    assert "Sewer6" in ending and "Sewer5" not in ending  # the most recent worker only
    page.click("a:has-text('Cancel')")
    page.wait_for_url(f"**/employer/vacancies/{vacancy_id}")
    assert _stored(vacancy_id) == before  # positions 9, 7 workers, no audit entry

    _lower_positions(page, vacancy_id, 6)
    page.click("button:has-text('Save with fewer positions')")
    page.wait_for_url(f"**/employer/vacancies/{vacancy_id}")  # the save's redirect, loaded
    assert "Vacancy saved" in page.inner_text("body")
    positions, open_, audit = _stored(vacancy_id)
    assert (positions, open_) == (6, 6) and audit > before[2]


def _kazakh(page) -> None:
    page.click("header form[action$='/language/kk'] button")
    page.wait_for_load_state()


def test_ending_a_placement_is_checked_in_kazakh_cancel_changes_nothing(open_page):
    """The officer ends a placement: the answers and what follows are shown first (in
    Kazakh), Cancel leaves the placement open, the page's button ends it."""
    dolinka = db.session.scalar(sa.select(Institution.id).where(Institution.code == "AK-159/20"))
    placement = db.session.scalar(sa.select(Placement).join(Inmate).where(
        Inmate.institution_id == dolinka, Placement.end_date.is_(None))
        .order_by(Placement.id).limit(1))
    placement_id, name = placement.id, placement.inmate.full_name
    end_on = max(today_in_kazakhstan(), placement.start_date).isoformat()
    page = open_page()
    log_in(page, "officer.dolinka@demo.kz")
    _kazakh(page)

    def ask() -> None:
        page.goto(f"/placements/{placement_id}/end")
        page.select_option("select[name=reason]", "health")
        page.fill("input[name=end_date]", end_on)
        page.click("main form button.primary")

    ask()
    main = page.inner_text("main")
    assert "Жұмысқа орналасуды тоқтатар алдында тексеріңіз" in main and name in main
    page.screenshot(path=str(screenshots("confirm") / "end-placement-check-kk.png"),
                    full_page=True)
    page.click("main form a")  # Cancel
    db.session.expire_all()
    assert db.session.get(Placement, placement_id).end_date is None

    ask()
    page.click("main form button.danger")
    db.session.expire_all()
    assert db.session.get(Placement, placement_id).end_date.isoformat() == end_on
