"""Every role's inbox: the header's unread count, the list in the reader's language,
marking read (one and all), the JSON API, and nobody reads another's notifications."""

import pytest
import sqlalchemy as sa

from app.core.transactions import committing
from app.core.vocabulary import MailChoice, Role
from app.extensions import db
from app.notifications.messages import day_param
from app.notifications.models import Notification
from app.notifications.operations import notify
from tests import factories
from tests.conftest import login
from tests.factories import ApiClient

DUE = factories.TODAY


def _finding_for(*users) -> list[Notification]:
    with committing():
        return notify(users, "finding_recorded", {"institution": "Dolinka"},
                      link="/monitoring/findings")


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


@pytest.mark.parametrize("role", ["admin", "officer", "employer_user", "prosecutor"])
def test_every_role_has_an_inbox_with_the_unread_count_in_the_header(app, world, role):
    user = world[role]
    client = _client(app, user)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "No notification." in page and 'class="count"' not in page
    _finding_for(user)
    page = client.get("/notifications/").get_data(as_text=True)
    assert 'class="count">1<' in page
    assert "A prosecutor recorded a finding on Dolinka." in page


def test_messages_are_rendered_in_each_readers_language(app, world):
    """Stored once as a kind and parameters; each reader gets their own language."""
    kazakh, russian = world["officer"], factories.user(Role.OFFICER,
                                                        institution_id=world["institution"].id)
    kazakh.language, russian.language = "kk", "ru"
    db.session.commit()
    with committing():
        notify([kazakh, russian], "referral_new",
               {"institution": "Dolinka", "due_on": day_param(DUE)}, link="/partner/")
    stored = db.session.scalars(sa.select(Notification)).all()
    assert {n.kind for n in stored} == {"referral_new"}
    assert stored[0].params == {"institution": "Dolinka", "due_on": {"day": DUE.isoformat()}}
    kk = ApiClient(app, kazakh).get("/api/notifications/").get_json()[0]
    ru = ApiClient(app, russian).get("/api/notifications/").get_json()[0]
    assert kk["subject"] == "Dolinka мекемесінен жаңа жолдама"
    assert ru["subject"] == "Новое направление от Dolinka"
    assert kk["body"] != ru["body"] and "Dolinka" in kk["body"]


def test_mark_one_and_all_read_on_the_page(app, world):
    officer = world["officer"]
    first, second, third = (_finding_for(officer)[0] for _ in range(3))
    client = _client(app, officer)
    response = client.post(f"/notifications/{first.id}/open")
    assert response.status_code == 302 and response.location.endswith("/monitoring/findings")
    assert client.post(f"/notifications/{second.id}/read").status_code == 302
    assert 'class="count">1<' in client.get("/notifications/").get_data(as_text=True)
    assert client.post("/notifications/read").status_code == 302
    db.session.expire_all()
    assert all(db.session.get(Notification, n.id).read_at for n in (first, second, third))
    assert 'class="count"' not in client.get("/notifications/").get_data(as_text=True)


def test_nobody_reads_or_marks_another_users_notification(app, world):
    note = _finding_for(world["officer"])[0]
    other = world["other_officer"]
    assert _client(app, other).post(f"/notifications/{note.id}/read").status_code == 404
    api = ApiClient(app, other)
    assert api.post(f"/api/notifications/{note.id}/read").status_code == 404
    assert api.get("/api/notifications/").get_json() == []
    assert api.post("/api/notifications/read").get_json() == {"marked": 0}
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is None


def test_the_api_lists_counts_and_marks(app, world):
    officer = world["officer"]
    notes = [_finding_for(officer)[0] for _ in range(3)]
    api = ApiClient(app, officer)
    assert api.get("/api/notifications/unread").get_json() == {"unread": 3}
    answer = api.post(f"/api/notifications/{notes[0].id}/read").get_json()
    assert answer["read"] is True and answer["link"] == "/monitoring/findings"
    listed = api.get("/api/notifications/?unread=true&page_size=1")
    assert listed.status_code == 200 and len(listed.get_json()) == 1
    assert '"total": 2' in listed.headers["X-Pagination"]
    assert api.post("/api/notifications/read").get_json() == {"marked": 2}
    assert api.get("/api/notifications/unread").get_json() == {"unread": 0}


def test_the_acting_user_is_not_told_of_their_own_action(app, world):
    officer = world["officer"]
    with factories.acting_as(officer), committing():
        assert notify([officer], "finding_recorded", {"institution": "x"}) == []


def test_a_keyed_notice_is_made_once_per_user(app, world):
    officer = world["officer"]
    for _ in range(2):
        with committing():
            notify([officer], "release_soon", {"institution": "x",
                                               "release_on": day_param(DUE)}, key="release:1")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1


def test_the_account_page_keeps_the_mail_choice(app, world):
    officer = world["officer"]
    client = _client(app, officer)
    page = client.get("/account").get_data(as_text=True)
    assert "one e-mail a day with the unread notifications" in page
    assert client.post("/account", data={"mail_choice": "daily_digest"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(type(officer), officer.id).mail_choice == MailChoice.DAILY_DIGEST
    assert client.post("/account", data={"mail_choice": "hourly"}).status_code == 422
    officer.language = "kk"  # the choices in the reader's language
    db.session.commit()
    page = client.get("/account").get_data(as_text=True)
    assert "күніне бір хат" in page and "one e-mail a day" not in page


def test_the_api_sets_the_mail_choice_and_names_a_bad_field(app, world):
    api = ApiClient(app, world["employer_user"])
    assert api.get("/api/notifications/mail").get_json() == {"mail_choice": "immediately"}
    response = api.put("/api/notifications/mail", json={"mail_choice": "hourly"})
    assert response.status_code == 422 and "mail_choice" in response.get_json()["errors"]
    answer = api.put("/api/notifications/mail", json={"mail_choice": "no_email"})
    assert answer.get_json() == {"mail_choice": "no_email"}
