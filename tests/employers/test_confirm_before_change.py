"""Confirm before change: lowering a staffed vacancy's positions under its workers, or
closing it, changes nothing until it is confirmed — not the positions, not the
placements, not the audit trail, not the institution's notifications — on the pages
and in the API. The confirmation lists the workers whose placements would end; the
confirmation applies exactly that (the page's confirmation names the placements it
showed, so a change of them meanwhile asks again)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.core.vocabulary import EndReason, VacancyStatus
from app.extensions import db
from app.notifications.models import Notification
from app.placements import staffing
from app.placements.models import Placement
from app.vacancies import operations as vacancy_ops
from app.vacancies.models import Vacancy
from tests import factories

API = "/api/employer/vacancies"
PAGES = "/employer/vacancies"


@pytest.fixture
def staffed(world, trades):
    """The issue's case: 9 positions, 7 workers (Worker0 oldest ... Worker6 newest)."""
    vacancy = factories.vacancy(world["employer"], world["institution"], positions=9)
    for n in range(7):
        factories.placement(factories.inmate(world["institution"], last_name=f"Worker{n}"),
                            vacancy, start_date=factories.TODAY - timedelta(days=70 - 10 * n))
    return vacancy


def _state(vacancy_id: int) -> tuple:
    """Everything a change of the vacancy could write, read from the database."""
    db.session.expire_all()
    vacancy = db.session.get(Vacancy, vacancy_id)
    placements = db.session.execute(
        sa.select(Placement.id, Placement.end_date, Placement.end_reason)
        .where(Placement.vacancy_id == vacancy_id).order_by(Placement.id)).all()
    count = sa.select(sa.func.count())
    return (vacancy_ops.vacancy_values(vacancy), vacancy.status, placements,
            db.session.scalar(count.select_from(AuditEvent)),
            db.session.scalar(count.select_from(Notification)))


def _ended(vacancy_id: int) -> list[str]:
    db.session.expire_all()
    return sorted(p.inmate.last_name for p in db.session.scalars(
        sa.select(Placement).where(Placement.vacancy_id == vacancy_id,
                                   Placement.end_reason == EndReason.VACANCY_CLOSED)))


# --- API ----------------------------------------------------------------------------


def test_api_fewer_positions_unconfirmed_changes_nothing_and_lists_the_consequences(
        client, staffed, employer_api):
    before = _state(staffed.id)
    refused = client.patch(f"{API}/{staffed.id}", headers=employer_api,
                           json={"positions": 6, "title": "Renamed"})
    assert refused.status_code == 409
    assert "confirm" in refused.json["errors"]
    assert [row["name"] for row in refused.json["ending"]] == ["Worker6 Ivan"]
    assert refused.json["ending"][0]["end_date"] == factories.TODAY.isoformat()
    assert _state(staffed.id) == before  # positions 9, title, placements, audit, notices

    done = client.patch(f"{API}/{staffed.id}", headers=employer_api,
                        json={"positions": 6, "title": "Renamed", "confirm": True})
    assert done.status_code == 200, done.json
    assert (done.json["positions"], done.json["title"]) == (6, "Renamed")
    assert _ended(staffed.id) == ["Worker6"]


def test_api_close_unconfirmed_changes_nothing(client, staffed, employer_api):
    before = _state(staffed.id)
    for body in ({}, {"confirm": False}):
        refused = client.post(f"{API}/{staffed.id}/close", headers=employer_api, json=body)
        assert refused.status_code == 409
        assert len(refused.json["ending"]) == 7
        assert _state(staffed.id) == before
    done = client.post(f"{API}/{staffed.id}/close", headers=employer_api, json={"confirm": True})
    assert done.status_code == 200 and done.json["status"] == "closed"
    assert len(_ended(staffed.id)) == 7


def test_api_refused_change_after_confirmation_still_writes_nothing(
        client, staffed, employer_api):
    """Confirmed, but the hours break R9: the whole request is rolled back."""
    before = _state(staffed.id)
    response = client.patch(f"{API}/{staffed.id}", headers=employer_api,
                            json={"positions": 6, "weekly_hours": 50, "confirm": True})
    assert response.status_code == 422
    assert _state(staffed.id) == before


# --- pages --------------------------------------------------------------------------


def _form(vacancy: Vacancy, **changes: str) -> dict[str, str]:
    data = {"title": vacancy.title, "trade_id": str(vacancy.trade_id), "site": "inside",
            "positions": str(vacancy.positions), "monthly_wage": str(vacancy.monthly_wage),
            "weekly_hours": str(vacancy.weekly_hours), "shift": "day",
            "start_date": vacancy.start_date.isoformat()}
    return data | changes


def _confirm_value(page: bytes) -> str:
    marker = b'name="confirm" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index(b'"', start)].decode()


def test_page_fewer_positions_asks_cancel_changes_nothing_confirm_applies(
        employer_client, staffed):
    before = _state(staffed.id)
    data = _form(staffed, positions="6")
    step = employer_client.post(f"{PAGES}/{staffed.id}/edit", data=data)
    assert step.status_code == 409 and b"Please confirm" in step.data
    assert b"Worker6" in step.data and b"Worker5" not in step.data  # the newest only
    assert f'href="{PAGES}/{staffed.id}"'.encode() in step.data  # Cancel, no JavaScript
    assert _state(staffed.id) == before

    cancelled = employer_client.get(f"{PAGES}/{staffed.id}")  # what Cancel leads to
    assert cancelled.status_code == 200
    assert _state(staffed.id) == before

    confirm = _confirm_value(step.data)
    done = employer_client.post(f"{PAGES}/{staffed.id}/edit", data={**data, "confirm": confirm})
    assert done.status_code == 302
    assert _state(staffed.id)[0]["positions"] == 6
    assert _ended(staffed.id) == ["Worker6"]


def test_page_confirmation_of_other_placements_asks_again(employer_client, world, staffed):
    """A worker was placed after the question was asked: the confirmation given named
    other placements, so nothing changes and the page asks again with the new ones."""
    data = _form(staffed, positions="6")
    step = employer_client.post(f"{PAGES}/{staffed.id}/edit", data=data)
    confirm = _confirm_value(step.data)
    factories.placement(factories.inmate(world["institution"], last_name="Latecomer"), staffed,
                        start_date=factories.TODAY)
    before = _state(staffed.id)
    again = employer_client.post(f"{PAGES}/{staffed.id}/edit", data={**data, "confirm": confirm})
    assert again.status_code == 409
    assert b"have changed since you were asked" in again.data
    assert b"Latecomer" in again.data and b"Worker6" in again.data
    assert _state(staffed.id) == before


def test_page_close_asks_and_changes_nothing_until_confirmed(employer_client, staffed):
    before = _state(staffed.id)
    step = employer_client.post(f"{PAGES}/{staffed.id}/close")
    assert step.status_code == 409 and b"Please confirm" in step.data
    assert all(f"Worker{n}".encode() in step.data for n in range(7))
    assert _state(staffed.id) == before
    done = employer_client.post(f"{PAGES}/{staffed.id}/close",
                                data={"confirm": _confirm_value(step.data)})
    assert done.status_code == 302
    assert _state(staffed.id)[1] == VacancyStatus.CLOSED and len(_ended(staffed.id)) == 7


# --- the operations -----------------------------------------------------------------


@pytest.mark.parametrize("change", [
    lambda vacancy: staffing.update_vacancy(vacancy, {"positions": 6, "title": "X"}),
    lambda vacancy: staffing.close_vacancy(vacancy),
])
def test_asking_touches_nothing_in_the_session(staffed, change):
    """The question is raised before the change is applied, so even a caller that
    went on to commit would write nothing."""
    with pytest.raises(staffing.ConfirmationNeeded) as asked:
        change(staffed)
    assert len(asked.value.placements) in (1, 7)
    assert not db.session.dirty and not db.session.new and not db.session.deleted
    assert (staffed.positions, staffed.title, staffed.status) == (
        9, "Welder", VacancyStatus.PUBLISHED)
