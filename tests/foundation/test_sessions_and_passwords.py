"""Sessions that end server-side, the password rule, changing and resetting a password,
equal work for known and unknown e-mails, and throttling per account."""

import re
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from app.auth import operations
from app.auth.models import User
from app.auth.passwords import password_problem
from app.extensions import db
from tests.factories import PASSWORD, bearer

NEW = "Steppe-Lantern-41"


def _login(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def _copy_cookie(source, target) -> None:
    """Give ``target`` the session cookie ``source`` holds (an attacker's copy)."""
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value)


def _fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


# --- sessions end server-side --------------------------------------------------------------

def test_a_copied_cookie_stops_working_after_logout(app, client, world):
    assert _login(client, world["officer"].email).status_code == 302
    thief = app.test_client()
    _copy_cookie(client, thief)
    assert thief.get("/officer").status_code == 200  # the copy works while the session lives
    assert client.post("/logout").status_code == 302
    assert thief.get("/officer").status_code == 302  # and no longer after logout
    assert "/login" in thief.get("/officer").headers["Location"]


def test_a_copied_cookie_stops_working_when_the_password_changes(app, client, world):
    _login(client, world["officer"].email)
    thief = app.test_client()
    _copy_cookie(client, thief)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert client.get("/officer").status_code == 200  # the changer stays logged in
    assert thief.get("/officer").status_code == 302
    assert _login(app.test_client(), world["officer"].email, NEW).status_code == 302


def test_blocking_a_user_ends_their_sessions(app, client, admin_client, world):
    _login(client, world["officer"].email)
    assert client.get("/officer").status_code == 200
    assert admin_client.post(f"/admin/users/{world['officer'].id}/active").status_code == 302
    assert _fresh(world["officer"]).active is False
    assert client.get("/officer").status_code == 302
    # Unblocking does not bring the old session back.
    admin_client.post(f"/admin/users/{world['officer'].id}/active")
    assert client.get("/officer").status_code == 302


# --- the password rule ---------------------------------------------------------------------

@pytest.mark.parametrize("password", [
    " " * 12, "\t\n" * 6, "   short   ", "aaaaaaaaaaaa", "abababababab", "1234567890",
    "abcdefghijkl", "9876543210", "qwertyuiop", "password123", "Password123!",
    "iloveyou2024", "1q2w3e4r5t", "йцукенгшщз", "ivanov.officer-77",
])
def test_weak_and_common_passwords_are_refused(password):
    assert password_problem(password, "ivanov.officer@example.kz") is not None


@pytest.mark.parametrize("password", [PASSWORD, NEW, "demo-password-1", "тихий берег 2026"])
def test_reasonable_passwords_pass(password):
    assert password_problem(password, "someone@example.kz") is None


def test_registration_refuses_a_whitespace_password(client, trades):
    response = client.post("/api/employer/registrations", json={
        "kind": "private_company", "bin_iin": "000000000000", "name": "Steppe Bakery",
        "address": "Karaganda", "contact_person": "A. B.", "phone": "+77010000000",
        "email": "bakery@example.kz", "password": " " * 14})
    assert response.status_code == 422
    assert "password" in response.get_json()["errors"]
    assert User.query.filter_by(email="bakery@example.kz").first() is None


def test_colleague_creation_refuses_a_common_password(client, world):
    response = client.post("/api/employer/users", headers=bearer(world["employer_user"]),
                           json={"email": "second@business.kz", "full_name": "Second",
                                 "password": "password1234"})
    assert response.status_code == 422
    assert "password" in response.get_json()["errors"]


def test_admin_created_user_refuses_a_run(admin_client, world):
    response = admin_client.post("/admin/users/new", data={
        "email": "new@example.kz", "full_name": "New", "password": "1234567890",
        "role": "prosecutor", "institution_id": 0, "employer_id": 0, "region_id": 0})
    assert response.status_code == 422
    assert User.query.filter_by(email="new@example.kz").first() is None


# --- changing one's own password -----------------------------------------------------------

def test_change_needs_the_current_password(officer_client, world):
    response = officer_client.post("/account/password", data={
        "current_password": "not-my-password", "new_password": NEW, "confirm": NEW})
    assert response.status_code == 422
    assert b"is not your current password" in response.data
    assert operations.check_password(_fresh(world["officer"]).password_hash, PASSWORD)


def test_change_refuses_a_common_new_password(officer_client, world):
    response = officer_client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "football123", "confirm": "football123"})
    assert response.status_code == 422
    assert operations.check_password(_fresh(world["officer"]).password_hash, PASSWORD)


def test_api_changes_the_password(client, world):
    headers = bearer(world["prosecutor"])
    wrong = client.post("/api/auth/password", headers=headers,
                        json={"current_password": "nope-nope-nope", "new_password": NEW})
    assert wrong.status_code == 422 and "current_password" in wrong.get_json()["errors"]
    weak = client.post("/api/auth/password", headers=headers,
                       json={"current_password": PASSWORD, "new_password": "          "})
    assert weak.status_code == 422 and "new_password" in weak.get_json()["errors"]
    done = client.post("/api/auth/password", headers=headers,
                       json={"current_password": PASSWORD, "new_password": NEW})
    assert done.status_code == 204
    assert operations.check_password(_fresh(world["prosecutor"]).password_hash, NEW)
    assert client.post("/api/auth/password", json={}).status_code == 401


# --- reset by an administrator -------------------------------------------------------------

def _reset_link(admin_client, user) -> str:
    page = admin_client.post(f"/admin/users/{user.id}/reset-link")
    assert page.status_code == 200
    link = re.search(r"http://localhost(/password/reset/[^<\s\"]+)", page.get_data(as_text=True))
    return link.group(1)


def test_a_reset_link_works_once(admin_client, client, world):
    path = _reset_link(admin_client, world["officer"])
    assert client.get(path).status_code == 200
    weak = client.post(path, data={"new_password": "qwertyuiop", "confirm": "qwertyuiop"})
    assert weak.status_code == 422
    done = client.post(path, data={"new_password": NEW, "confirm": NEW})
    assert done.status_code == 302
    assert _login(client, world["officer"].email, NEW).status_code == 302
    again = client.post(path, data={"new_password": "Another-Pass-99", "confirm":
                                    "Another-Pass-99"})
    assert again.status_code == 404
    assert operations.check_password(_fresh(world["officer"]).password_hash, NEW)


def test_a_reset_link_expires(admin_client, client, world, monkeypatch):
    path = _reset_link(admin_client, world["officer"])
    monkeypatch.setattr(operations, "RESET_LINK_MAX_AGE", timedelta(seconds=-1))
    assert client.get(path).status_code == 404
    assert client.get(path[:-3] + "abc").status_code == 404


def test_only_administrators_make_reset_links(officer_client, world):
    assert officer_client.post(f"/admin/users/{world['admin'].id}/reset-link").status_code == 403


# --- timing: the same argon2 work for a known and an unknown e-mail ------------------------

def test_unknown_email_costs_the_same_hash_operations_as_a_wrong_password(client, world,
                                                                            monkeypatch):
    counts = {"hash": 0, "verify": 0}
    real_hash, real_verify = PasswordHasher.hash, PasswordHasher.verify

    def counting_hash(self, *args, **kwargs):
        counts["hash"] += 1
        return real_hash(self, *args, **kwargs)

    def counting_verify(self, *args, **kwargs):
        counts["verify"] += 1
        return real_verify(self, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "hash", counting_hash)
    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)

    def cost(email, endpoint):
        counts.update(hash=0, verify=0)
        if endpoint == "page":
            assert _login(client, email, "wrong-password-1").status_code == 422
        else:
            response = client.post("/api/auth/tokens",
                                   json={"email": email, "password": "wrong-password-1"})
            assert response.status_code == 401
        return dict(counts)

    cost("warm-up@example.kz", "page")  # the throwaway hash may be made once per process
    for endpoint in ("page", "api"):
        known = cost(world["officer"].email, endpoint)
        unknown = cost("nobody@example.kz", endpoint)
        assert known == unknown == {"hash": 0, "verify": 1}
    # An employer whose business awaits approval: still one operation for a wrong password.
    assert cost(world["employer_user"].email, "page") == {"hash": 0, "verify": 1}


# --- throttling per account ----------------------------------------------------------------

def test_one_address_cannot_double_its_tries_across_page_and_api(app, client, world):
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    statuses = []
    for attempt in range(limit + 2):
        email = f"someone{attempt}@example.kz"  # a different account each time
        if attempt % 2:
            statuses.append(_login(client, email, "guess-guess-1").status_code)
        else:
            statuses.append(client.post("/api/auth/tokens", json={
                "email": email, "password": "guess-guess-1"}).status_code)
    assert 429 in statuses
    assert statuses.index(429) == limit


def test_an_account_is_throttled_whatever_the_address(app, world):
    limit = int(app.config["ACCOUNT_LOGIN_RATE_LIMIT"].split()[0])
    email = world["officer"].email
    statuses = []
    for attempt in range(limit + 1):
        address = {"REMOTE_ADDR": f"10.0.{attempt}.1"}
        client = app.test_client()
        if attempt % 2:
            statuses.append(client.post("/login", environ_base=address, data={
                "email": email, "password": f"guess-{attempt}-xyz"}).status_code)
        else:
            statuses.append(client.post("/api/auth/tokens", environ_base=address, json={
                "email": email.upper(), "password": f"guess-{attempt}-xyz"}).status_code)
    assert statuses[:limit] == [401 if i % 2 == 0 else 422 for i in range(limit)]
    assert statuses[limit] == 429
    # Another account is not affected.
    other = app.test_client().post("/login", environ_base={"REMOTE_ADDR": "10.9.9.9"}, data={
        "email": world["prosecutor"].email, "password": PASSWORD})
    assert other.status_code == 302


def test_colleague_creation_is_throttled(app, client, world):
    limit = int(app.config["COLLEAGUE_RATE_LIMIT"].split()[0])
    headers = bearer(world["employer_user"])
    statuses = [client.post("/api/employer/users", headers=headers, json={
        "email": f"colleague{i}@business.kz", "full_name": f"Colleague {i}",
        "password": NEW}).status_code for i in range(limit + 1)]
    assert statuses == [201] * limit + [429]


def test_colleague_creation_without_a_token_is_401_never_429(app, client, world):
    limit = int(app.config["COLLEAGUE_RATE_LIMIT"].split()[0])
    body = {"email": "colleague@business.kz", "full_name": "Colleague", "password": NEW}
    statuses = {client.post("/api/employer/users", json=body).status_code
                for _ in range(limit + 2)}
    assert statuses == {401}
    officer = bearer(world["officer"])
    statuses = {client.post("/api/employer/users", json=body, headers=officer).status_code
                for _ in range(limit + 2)}
    assert statuses == {403}
    # nor do they use up the business's allowance
    created = client.post("/api/employer/users", json=body,
                          headers=bearer(world["employer_user"]))
    assert created.status_code == 201


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(app, world):
    """Five wrong passwords a minute from any addresses locked the account for
    everybody; now the owner still logs in from an address they logged in from."""
    limit = int(app.config["ACCOUNT_LOGIN_RATE_LIMIT"].split()[0])
    email = world["officer"].email
    home, attacker, new_place = ({"REMOTE_ADDR": a} for a in ("10.1.1.1", "10.6.6.6",
                                                              "10.2.2.2"))

    def attempt(address, password, via="page"):
        client = app.test_client()
        if via == "page":
            return client.post("/login", environ_base=address,
                               data={"email": email, "password": password}).status_code
        return client.post("/api/auth/tokens", environ_base=address,
                           json={"email": email, "password": password}).status_code

    assert attempt(home, PASSWORD) == 302  # the owner's usual address
    statuses = [attempt({"REMOTE_ADDR": f"10.6.{i}.6"}, f"guess-{i}-xyz")
                for i in range(limit)]
    assert statuses == [422] * limit
    # the account is locked for addresses it never logged in from, before any check
    assert attempt(attacker, PASSWORD) == 429 and attempt(new_place, PASSWORD) == 429
    # the owner's address still gets in, by page and by API
    assert attempt(home, PASSWORD) == 302 and attempt(home, PASSWORD, "api") == 201
    # a familiar address that fails through the limit itself is locked too
    statuses = [attempt(home, f"typo-{i}-xyz") for i in range(limit)]
    assert statuses == [422] * limit
    assert attempt(home, PASSWORD) == 429


def test_a_familiar_address_is_locked_by_its_own_failures_only(app, world):
    limit = int(app.config["ACCOUNT_LOGIN_RATE_LIMIT"].split()[0])
    email = world["officer"].email
    client = app.test_client()
    address = {"REMOTE_ADDR": "10.3.3.3"}
    post = lambda password: client.post("/api/auth/tokens", environ_base=address, json={  # noqa: E731
        "email": email, "password": password}).status_code
    assert [post(f"guess-{i}-xyz") for i in range(limit)] == [401] * limit
    assert post(PASSWORD) == 429  # never logged in from here: locked
