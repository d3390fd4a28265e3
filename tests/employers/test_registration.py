"""Registration (R15), approval and refusal, colleagues, the login of a pending business."""

import itertools

import pytest
import sqlalchemy as sa

from app.auth.models import User
from app.core.errors import Conflict, RuleViolation
from app.core.identifiers import check_digit
from app.core.vocabulary import EmployerKind, EmployerStatus, Role
from app.extensions import db
from app.notifications.models import Notification
from app.vacancies.models import Employer
from employers import operations
from tests import factories

PASSWORD = "long-enough-password"


def _no_check_digit_possible() -> str:
    """Eleven digits for which both weightings give 10: no valid number starts so."""
    for digits in itertools.product("0123456789", repeat=4):
        first = "9001011" + "".join(digits)
        if check_digit(first) is None:
            return first + "0"
    raise AssertionError("no such number")


def _body(**changes):
    body = dict(kind="private_company", bin_iin=factories.valid_bin("0812"), name="Steel LLP",
                address="Karaganda, Bukhar-Zhyrau 1", contact_person="Aigul Nur",
                phone="+7 701 000 0000", email="boss@steel.kz", password=PASSWORD)
    body.update(changes)
    return body


def test_registration_creates_a_pending_business_and_its_first_user(client, app):
    response = client.post("/api/employer/registrations", json=_body())
    assert response.status_code == 201, response.json
    assert response.json["employer"]["status"] == "pending"
    assert "password" not in response.json["user"]
    employer = db.session.scalar(sa.select(Employer).where(Employer.name == "Steel LLP"))
    assert employer.status == EmployerStatus.PENDING
    [user] = employer.users
    assert (user.role, user.email, user.is_active) == (Role.EMPLOYER, "boss@steel.kz", False)


def test_sole_trader_registers_with_an_iin(client, app):
    body = _body(kind="sole_trader", bin_iin=factories.valid_bin("8505"))
    assert client.post("/api/employer/registrations", json=body).status_code == 201


@pytest.mark.parametrize("bad, message", [
    ("wrong_digit", "wrong check digit"),
    ("12345", "12 digits"),
    ("1234567890123", "12 digits"),
    ("12345678901a", "12 digits"),
    ("ten_twice", "no check digit"),
])
def test_r15_bin_iin_is_refused_in_plain_words(client, app, bad, message):
    if bad == "wrong_digit":
        good = factories.valid_bin()
        bad = good[:11] + str((int(good[11]) + 1) % 10)
    elif bad == "ten_twice":
        bad = _no_check_digit_possible()
    response = client.post("/api/employer/registrations", json=_body(bin_iin=bad))
    assert response.status_code == 422
    [error] = response.json["errors"]["bin_iin"]
    assert message in error and not error.startswith("R15")  # a business reads words
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Employer)) == 0


def test_registration_page_shows_the_bin_refusal_on_the_field(client, app):
    good = factories.valid_bin()
    data = _body(bin_iin=good[:11] + str((int(good[11]) + 1) % 10), password_again=PASSWORD)
    response = client.post("/employer/register", data=data)
    assert response.status_code == 422
    assert b"R15" not in response.data and b"wrong check digit" in response.data


def test_registration_page_creates_the_business(client, app):
    assert client.get("/employer/register").status_code == 200
    response = client.post("/employer/register", data=_body(password_again=PASSWORD))
    assert response.status_code == 200
    assert b"approval" in response.data
    assert db.session.scalar(sa.select(Employer.status)) == EmployerStatus.PENDING


def test_a_bin_registers_once_and_passwords_are_long(client, app):
    body = _body()
    assert client.post("/api/employer/registrations", json=body).status_code == 201
    again = client.post("/api/employer/registrations", json=_body(
        bin_iin=body["bin_iin"], email="other@steel.kz"))
    assert again.status_code == 422 and "bin_iin" in again.json["errors"]
    short = client.post("/api/employer/registrations", json=_body(password="short"))
    assert short.status_code == 422 and "password" in short.json["errors"]


def test_state_enterprises_do_not_register_themselves(client, app):
    response = client.post("/api/employer/registrations", json=_body(kind="state_enterprise"))
    assert response.status_code == 422 and "kind" in response.json["errors"]


def _register():
    employer, user = operations.register_employer(
        kind=EmployerKind.PRIVATE_COMPANY, bin_iin=factories.valid_bin(), name="Wood LLP",
        address="Temirtau", contact_person="Serik", phone="+7 700 111 2233",
        email="serik@wood.kz", password=PASSWORD)
    db.session.commit()
    return employer, user


def _login(client, email):
    return client.post("/login", data={"email": email, "password": PASSWORD})


def test_a_pending_account_cannot_log_in_and_is_told_why(client, world):
    _register()
    response = _login(client, "serik@wood.kz")
    assert response.status_code == 422
    assert b"awaiting an administrator" in response.data
    token = client.post("/api/auth/tokens", json={"email": "serik@wood.kz",
                                                  "password": PASSWORD})
    assert token.status_code == 401
    wrong = client.post("/login", data={"email": "serik@wood.kz", "password": "x" * 12})
    assert b"awaiting" not in wrong.data  # told only to whoever knows the password


def test_approval_opens_the_account_and_notifies_the_business(client, world):
    employer, _ = _register()
    operations.approve_employer(employer, decided_by=world["admin"])
    db.session.commit()
    assert employer.status == EmployerStatus.APPROVED
    assert employer.decided_by_id == world["admin"].id and employer.decided_at
    kinds = db.session.scalars(sa.select(Notification.kind).join(Notification.user).where(
        User.employer_id == employer.id)).all()
    assert "business_approved" in kinds
    assert _login(client, "serik@wood.kz").status_code == 302
    assert client.get("/employer/").status_code == 200
    with pytest.raises(Conflict):
        operations.approve_employer(employer, decided_by=world["admin"])


def test_refusal_needs_a_reason_and_tells_it(client, world):
    employer, _ = _register()
    with pytest.raises(RuleViolation):
        operations.refuse_employer(employer, decided_by=world["admin"], reason=" ")
    operations.refuse_employer(employer, decided_by=world["admin"], reason="BIN not found")
    db.session.commit()
    note = db.session.scalar(sa.select(Notification).where(
        Notification.kind == "business_refused"))
    assert note.params["reason"] == "BIN not found" and note.user.email == "serik@wood.kz"
    response = _login(client, "serik@wood.kz")
    assert response.status_code == 422 and b"BIN not found" in response.data


def test_only_an_administrator_decides(world):
    employer, _ = _register()
    with pytest.raises(RuleViolation):
        operations.approve_employer(employer, decided_by=world["officer"])


def test_administrators_create_state_and_institution_employers(world):
    state = operations.create_employer(kind=EmployerKind.STATE_ENTERPRISE, name="Enbek",
                                       bin_iin=factories.valid_bin())
    own = operations.create_employer(kind=EmployerKind.INSTITUTION, name="Kitchen",
                                     institution_id=world["institution"].id)
    db.session.commit()
    assert state.is_approved and own.is_approved and own.bin_iin is None
    with pytest.raises(RuleViolation) as refused:
        operations.create_employer(kind=EmployerKind.STATE_ENTERPRISE, name="No BIN")
    assert refused.value.rule == "R15"
    with pytest.raises(RuleViolation):
        operations.create_employer(kind=EmployerKind.INSTITUTION, name="Laundry")


def test_an_approved_business_adds_a_colleague(client, employer_client, employer_api, world):
    response = client.post("/api/employer/users", headers=employer_api, json={
        "email": "second@business.kz", "full_name": "Second User", "password": PASSWORD})
    assert response.status_code == 201
    db.session.expire_all()
    colleague = db.session.scalar(sa.select(User).where(User.email == "second@business.kz"))
    assert colleague.employer_id == world["employer"].id and colleague.is_active
    listed = client.get("/api/employer/users", headers=employer_api).json
    assert {u["email"] for u in listed} == {world["employer_user"].email, "second@business.kz"}
    page = employer_client.post("/employer/users", data={
        "email": "third@business.kz", "full_name": "Third", "password": PASSWORD,
        "password_again": PASSWORD})
    assert page.status_code == 302


def test_a_pending_business_adds_no_colleague(world):
    employer, _ = _register()
    with pytest.raises(RuleViolation):
        operations.add_colleague(employer, email="x@wood.kz", full_name="X", password=PASSWORD)


def test_registration_is_throttled_across_the_page_and_the_api(client, app):
    """Each attempt runs a slow password hash and tells whether a number is taken:
    the 11th in a minute from one address is refused, whichever door it uses."""
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    assert limit == 10
    for n in range(limit):
        body = _body(bin_iin=factories.valid_bin(), email=f"boss{n}@steel.kz")
        if n % 2:
            response = client.post("/employer/register", data=body | {"password_again": PASSWORD})
            assert response.status_code == 200, n
        else:
            assert client.post("/api/employer/registrations", json=body).status_code == 201, n
    refused = client.post("/api/employer/registrations", json=_body())
    assert refused.status_code == 429
    page = client.post("/employer/register", data=_body(password_again=PASSWORD))
    assert page.status_code == 429
    assert client.get("/employer/register").status_code == 200  # the form still opens
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Employer)) == limit
