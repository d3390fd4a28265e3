"""Login, logout, throttling, CSRF and API tokens."""

import re

import pytest

from app.auth.models import ApiToken
from app.extensions import db
from tests.factories import PASSWORD, bearer


def _login(client, email, password=PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def test_login_with_right_password_reaches_role_home(client, world):
    response = _login(client, world["officer"].email)
    assert response.status_code == 302
    home = client.get("/", follow_redirects=True)
    assert home.request.path == "/officer"


def test_login_with_wrong_password_is_refused(client, world):
    response = _login(client, world["officer"].email, "wrong-password")
    assert response.status_code == 422
    assert b"Wrong e-mail or password" in response.data
    assert client.get("/officer").status_code == 302  # still anonymous


def test_blocked_user_cannot_log_in(client, world):
    world["officer"].active = False
    db.session.commit()
    assert _login(client, world["officer"].email).status_code == 422


def test_passwords_are_stored_with_argon2(world):
    assert world["admin"].password_hash.startswith("$argon2")
    assert PASSWORD not in world["admin"].password_hash


def test_login_is_throttled(client, world, app):
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        _login(client, world["officer"].email, "wrong-password")
    response = _login(client, world["officer"].email)
    assert response.status_code == 429


def test_logout_ends_the_session(officer_client):
    assert officer_client.post("/logout").status_code == 302
    assert officer_client.get("/officer").status_code == 302


def test_pages_require_login(client):
    response = client.get("/officer")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_form_without_csrf_token_is_refused(client, world, csrf_on):
    response = _login(client, world["officer"].email)
    assert response.status_code == 400
    assert b"CSRF" in response.data


def test_form_with_csrf_token_is_accepted(client, world, csrf_on):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": world["officer"].email,
                                           "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_api_write_with_session_cookie_needs_csrf(officer_client, csrf_on):
    response = officer_client.post("/api/auth/tokens", json={"email": "x@y.kz", "password": "z"})
    assert response.status_code == 400


def test_api_write_with_session_and_a_non_bearer_header_still_needs_csrf(officer_client,
                                                                         csrf_on):
    response = officer_client.post("/api/auth/tokens", json={"email": "x@y.kz", "password": "z"},
                                   headers={"Authorization": "Basic eDp5"})
    assert response.status_code == 400


def _hash_of(user):
    db.session.expire_all()
    return db.session.get(type(user), user.id).password_hash


def test_a_bearer_token_wins_over_the_session(officer_client, world, csrf_on):
    """One identity per request: with a browser session and another user's token, the
    request is the token's user's and the session is ignored (a write used to run as the
    session's user, without its CSRF check)."""
    officer, employer = world["officer"], world["employer_user"]
    headers = bearer(employer)
    assert officer_client.get("/api/auth/me", headers=headers).json["email"] == employer.email
    before = _hash_of(officer), _hash_of(employer)
    changed = officer_client.post("/api/auth/password", headers=headers, json={
        "current_password": PASSWORD, "new_password": "another-Passw0rd-77"})
    assert changed.status_code == 204
    assert _hash_of(officer) == before[0] and _hash_of(employer) != before[1]


def test_a_bad_bearer_token_with_a_session_is_refused(officer_client, world, csrf_on):
    officer = world["officer"]
    before = _hash_of(officer)
    for header in ("Bearer not-a-token", "Bearer "):
        headers = {"Authorization": header}
        assert officer_client.get("/api/auth/me", headers=headers).status_code == 401
        refused = officer_client.post("/api/auth/password", headers=headers, json={
            "current_password": PASSWORD, "new_password": "another-Passw0rd-77"})
        assert refused.status_code == 401
    assert _hash_of(officer) == before
    assert officer_client.get("/api/auth/me").status_code == 200  # the session still works


def test_token_use_is_recorded(client, world):
    headers = bearer(world["officer"])
    assert client.get("/api/auth/me", headers=headers).status_code == 200
    db.session.expire_all()
    assert db.session.scalar(db.select(ApiToken)).last_used_at is not None


def test_api_token_exchange_and_use(client, world):
    response = client.post("/api/auth/tokens", json={
        "email": world["officer"].email, "password": PASSWORD, "name": "laptop"})
    assert response.status_code == 201
    token = response.json["token"]
    stored = db.session.scalar(db.select(ApiToken))
    assert stored.token_hash != token and token not in stored.token_hash
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["email"] == world["officer"].email
    assert me.json["role"] == "officer"


def test_api_token_exchange_with_wrong_password_is_401(client, world):
    response = client.post("/api/auth/tokens", json={
        "email": world["officer"].email, "password": "nope"})
    assert response.status_code == 401
    assert response.json["code"] == 401


def test_revoked_token_no_longer_works(client, world):
    headers = bearer(world["officer"])
    db.session.scalar(db.select(ApiToken)).revoked_at = db.func.now()
    db.session.commit()
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_api_without_token_is_401_json(client):
    response = client.get("/api/auth/me")
    assert response.status_code == 401
    assert response.json["status"] == "Unauthorized"


def test_language_switch_to_russian_is_saved_to_the_account(officer_client, world):
    officer_client.post("/language/ru")
    page = officer_client.get("/officer").get_data(as_text=True)
    assert 'lang="ru"' in page and "Уровень трудоустройства" in page
    db.session.expire_all()
    assert world["officer"].language == "ru"


def test_anonymous_visitor_gets_the_browser_language(client):
    page = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert "Войти" in page.get_data(as_text=True)
    assert "Log in" in client.get("/login").get_data(as_text=True)
