"""One commit per request, in one place (app/core/transactions.py).

No view, API function, operation or helper commits or rolls back: the request commits
once when it answers below 400 and rolls back otherwise. A request that fails after
its operation has already flushed work (rows and their audit entries) leaves nothing
written, on the pages and in the API; a GET that records a token's use is committed.
"""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Response

from app.auth.models import ApiToken
from app.core.audit import AuditEvent
from app.core.vocabulary import Fitness, VacancyStatus
from app.extensions import db
from app.institutions.models import Region
from app.placements.models import Placement
from app.vacancies.models import Vacancy
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
THE_ONE_PLACE = Path("app/core/transactions.py")
TRANSACTION_CALLS = {"commit", "rollback"}


def transaction_calls(source: str) -> list[tuple[int, str]]:
    """(line, name) of every ``<anything>.commit(...)`` / ``.rollback(...)`` call."""
    return [(node.lineno, node.func.attr) for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in TRANSACTION_CALLS]


def test_the_check_sees_every_spelling_of_a_commit():
    source = ("db.session.commit()\nsession = db.session\nsession.rollback()\n"
              "get_session().commit()\nconnection.commit()\nflush()\nsubmit()\n")
    assert [name for _line, name in transaction_calls(source)] == [
        "commit", "rollback", "commit", "commit"]


def test_only_the_request_transaction_commits_or_rolls_back():
    modules = [path for package in ("app", "employers")
               for path in sorted((ROOT / package).rglob("*.py"))]
    assert len(modules) > 50
    found = [f"{path.relative_to(ROOT)}:{line} {name}()"
             for path in modules if path.relative_to(ROOT) != THE_ONE_PLACE
             for line, name in transaction_calls(path.read_text(encoding="utf-8"))]
    assert found == []
    assert transaction_calls((ROOT / THE_ONE_PLACE).read_text(encoding="utf-8"))


def _stored_regions() -> set[str]:
    with db.engine.connect() as connection:  # what is committed, not the session's view
        return set(connection.scalars(sa.select(Region.name)))


@pytest.mark.parametrize(("status", "kept"), [(200, True), (201, True), (302, True),
                                              (404, False), (409, False), (422, False)])
def test_a_request_commits_below_400_and_rolls_back_otherwise(app, status, kept):
    with app.test_request_context("/"):
        db.session.add(Region(name=f"Region {status}"))
        db.session.flush()
        app.process_response(Response(status=status))
    assert (f"Region {status}" in _stored_regions()) is kept


# --- a failure after a flush writes nothing -----------------------------------------


@pytest.fixture
def staffed(world, trades):
    """A vacancy with one worker of limited fitness: heavy work would break R3."""
    vacancy = factories.vacancy(world["employer"], world["institution"])
    factories.placement(factories.inmate(world["institution"], fitness=Fitness.LIMITED),
                        vacancy)
    return vacancy


def _written(vacancy_id: int) -> tuple:
    db.session.expire_all()
    vacancy = db.session.get(Vacancy, vacancy_id)
    return (vacancy.title, vacancy.heavy_or_hazardous,
            db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)),
            db.session.scalar(sa.select(sa.func.count()).select_from(Placement)
                              .where(Placement.end_date.is_(None))))


def test_api_refusal_after_a_flush_writes_nothing(client, staffed, world):
    """The edit is applied and flushed (with its audit entry) before the R3 check
    refuses it; the 409 rolls all of it back."""
    before = _written(staffed.id)
    response = client.patch(f"/api/employer/vacancies/{staffed.id}",
                            headers=factories.bearer(world["employer_user"]),
                            json={"title": "Heavy welding", "heavy_or_hazardous": True})
    assert response.status_code == 409
    assert response.json["errors"]["heavy_or_hazardous"][0].startswith("1 current worker")
    assert _written(staffed.id) == before


def test_page_refusal_after_a_flush_shows_the_form_with_422_and_writes_nothing(
        employer_client, staffed):
    before = _written(staffed.id)
    response = employer_client.post(f"/employer/vacancies/{staffed.id}/edit", data={
        "title": "Heavy welding", "trade_id": str(staffed.trade_id), "site": "inside",
        "positions": "3", "monthly_wage": "90000", "weekly_hours": "40", "shift": "day",
        "start_date": staffed.start_date.isoformat(), "heavy_or_hazardous": "y"})
    assert response.status_code == 422
    assert b"1 current worker may not keep this job" in response.data
    assert _written(staffed.id) == before


def test_page_refusal_flashed_after_a_redirect_writes_nothing(employer_client, world, trades):
    """Publishing a vacancy whose end date has passed is refused on the vacancy's page."""
    draft = factories.vacancy(world["employer"], world["institution"], status=VacancyStatus.DRAFT,
                              start_date=factories.TODAY - timedelta(days=30),
                              end_date=factories.TODAY - timedelta(days=1))
    response = employer_client.post(f"/employer/vacancies/{draft.id}/publish")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Vacancy, draft.id).status == VacancyStatus.DRAFT


# --- token use ----------------------------------------------------------------------


def test_a_get_records_the_token_use_in_its_own_transaction(client, world):
    headers = factories.bearer(world["employer_user"])
    token = db.session.scalar(sa.select(ApiToken))
    assert token.last_used_at is None
    assert client.get("/api/auth/me", headers=headers).status_code == 200
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at is not None


def test_a_failed_request_does_not_record_the_token_use(client, world):
    headers = factories.bearer(world["employer_user"])
    response = client.get("/api/employer/vacancies/2147483000", headers=headers)
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.scalar(sa.select(ApiToken.last_used_at)) is None
