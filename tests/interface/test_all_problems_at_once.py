"""Every problem of a form at once, never in rounds (a BIN typo and a weak
password together; a duplicate file number with the record's other problems),
and rule numbers only for the readers who work by them: officers, prosecutors
and administrators read "R15: ...", entrepreneurs and partners plain words."""

import re

import pytest

from app.core.errors import RuleViolation
from tests import factories
from tests.conftest import login
from tests.factories import acting_as
from tests.inmates.helpers import form_data

STRONG = "long-enough-password"


def _registration(**changes):
    good = factories.valid_bin("0812")
    body = dict(kind="private_company", bin_iin=good[:-1] + str((int(good[-1]) + 1) % 10),
                name="Steel LLP", address="Karaganda, Bukhar-Zhyrau 1",
                contact_person="Aigul Nur", phone="+7 701 000 0000", email="boss@steel.kz",
                password="password123", password_again="password123")
    return body | changes


def _summary(html: str) -> str:
    return html.split('class="error-summary"')[1].split("</div>")[0]


def test_registration_page_lists_the_bin_and_the_weak_password_together(client):
    response = client.post("/employer/register", data=_registration())
    assert response.status_code == 422
    summary = _summary(response.get_data(as_text=True))
    assert "check digit" in summary and "most common passwords" in summary
    assert "R15" not in response.get_data(as_text=True)  # an entrepreneur reads words


def test_registration_page_names_an_e_mail_already_used_with_the_rest(client, world):
    taken = world["officer"].email
    response = client.post("/employer/register", data=_registration(email=taken))
    summary = _summary(response.get_data(as_text=True))
    assert "already exists" in summary and "check digit" in summary


def test_registration_api_lists_every_problem(client):
    body = _registration()
    body.pop("password_again")
    response = client.post("/api/employer/registrations", json=body)
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"bin_iin", "password"}
    assert not any(m.startswith("R15") for m in response.json["errors"]["bin_iin"])


@pytest.fixture
def officer_client(app, world):
    client = app.test_client()
    login(client, world["officer"])
    return client


def test_new_inmate_lists_the_duplicate_file_number_with_the_other_problems(
        officer_client, world):
    factories.inmate(world["institution"], file_number="A-100")
    response = officer_client.post("/inmates/new", data=form_data(
        birth_date="not-a-date", release_date="2016-01-01"))
    assert response.status_code == 422
    summary = _summary(response.get_data(as_text=True))
    assert "already used" in summary and "Not a valid date" in summary
    assert re.search(r"R15: the personal file number A-100 is already used", summary)


def test_an_entrepreneurs_vacancy_refusal_is_in_plain_words(app, world):
    user = world["employer_user"]
    client = app.test_client()
    login(client, user)
    institution = world["institution"]
    response = client.post("/api/employer/vacancies", json={
        "title": "Loader", "trade_id": factories.trade().id, "institution_ids": [institution.id],
        "site": "inside", "positions": 2, "monthly_wage": 200_000, "weekly_hours": 40,
        "shift": "day", "heavy_or_hazardous": False, "women_barred": True})
    assert response.status_code == 422, response.json
    messages = [m for found in response.json["errors"].values() for m in found]
    assert messages and not any(re.match(r"R\d+:", m) for m in messages)


@pytest.mark.parametrize(("role", "shown"), [
    ("officer", "R7: refused"), ("prosecutor", "R7: refused"), ("admin", "R7: refused"),
    ("employer_user", "refused")])
def test_who_reads_the_rule_number(app, world, role, shown):
    with acting_as(world[role]):
        assert RuleViolation("x", "refused", rule="R7").message == shown
    assert RuleViolation("x", "refused", rule="R7").message == "R7: refused"  # CLI, logs


def test_no_form_is_left_to_the_browsers_own_check():
    """A required field left to the browser is refused in the browser's language
    ("Please select an item in the list."), one field at a time: every form is
    checked by the server, which answers in the user's language, all at once."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    templates = [*root.glob("app/**/templates/**/*.html"),
                 *root.glob("employers/templates/**/*.html")]
    unchecked = [f"{path.relative_to(root)}: {tag[:60]}" for path in templates
                 for tag in re.findall(r"<form\b[^>]*>", path.read_text(encoding="utf-8"))
                 if "novalidate" not in tag]
    assert unchecked == []


def test_a_required_reason_left_empty_is_refused_by_the_server_in_russian(app, world):
    user = world["officer"]
    user.language = "ru"
    from app.extensions import db

    db.session.commit()
    client = app.test_client()
    login(client, user)
    inmate = factories.inmate(world["institution"])
    placement = factories.placement(inmate, factories.vacancy(world["employer"],
                                                              world["institution"]))
    response = client.post(f"/placements/{placement.id}/end", data={"reason": ""})
    assert response.status_code == 422
    summary = _summary(response.get_data(as_text=True))
    assert "Основание: Обязательное поле." in summary


def test_tests_never_write_into_the_tracked_screenshots():
    """`make test` leaves docs/ alone: the browser tests save their screenshots in a
    temporary folder; `make screenshots` (SCREENSHOTS_DIR) refreshes the documentation's."""
    from pathlib import Path

    tests = Path(__file__).resolve().parents[1]
    writers = [str(path.relative_to(tests)) for path in tests.rglob("*.py")
               if path.name != Path(__file__).name
               and re.search(r"=\s*f?[\"']docs/|/\s*[\"']docs[\"']", path.read_text())]
    assert writers == []


def test_new_inmate_api_lists_the_duplicate_file_number_with_the_other_problems(
        officer_client, world):
    """One answer names the file number already used (R15) and the record's other
    problems, as the page does: not the date now and the duplicate on the next try."""
    from tests.inmates.helpers import payload

    factories.inmate(world["institution"], file_number="A-100")
    response = officer_client.post("/api/inmates/", json=payload(
        birth_date="not-a-date", release_date="2016-01-01"))
    assert response.status_code == 422
    errors = response.json["errors"]
    assert {"file_number", "birth_date"} <= set(errors)
    assert any("already used" in message for message in errors["file_number"])


def test_new_inmate_api_names_a_duplicate_file_number_alone_when_it_is_the_only_problem(
        officer_client, world):
    """Alone, a file number already used stays the conflict (409) the API documents."""
    from tests.inmates.helpers import payload

    factories.inmate(world["institution"], file_number="A-100")
    response = officer_client.post("/api/inmates/", json=payload())
    assert response.status_code == 409
    assert set(response.json["errors"]) == {"file_number"}
    assert officer_client.post("/api/inmates/", json=payload(file_number="A-101")
                               ).status_code == 201
