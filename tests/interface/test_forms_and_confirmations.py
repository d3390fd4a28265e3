"""The interface's promises: every problem of a form at once in an error summary that
links each field, fields in error marked for screen readers, destructive actions
confirmed on a page of their own before anything changes."""

from app.core.vocabulary import SkillSource
from app.extensions import db
from app.inmates import operations as inmate_ops
from app.inmates.models import InmateSkill
from app.taxonomy.models import Trade
from tests import factories


def test_registration_lists_every_problem_at_once(client):
    response = client.post("/employer/register", data={
        "kind": "private_company", "bin_iin": "123456789012", "name": "", "address": "",
        "contact_person": "", "phone": "1", "email": "not-an-address",
        "password": "short", "password_again": "other"})
    assert response.status_code == 422
    page = response.text
    # The number's check digit is refused in the same round as the empty fields.
    for field in ("bin_iin", "name", "address", "contact_person", "phone", "email",
                  "password", "password_again"):
        assert f'href="#{field}"' in page, field
    assert page.count('aria-invalid="true"') == 8
    assert 'aria-describedby="bin_iin-hint bin_iin-error"' in page
    assert 'value="123456789012"' in page  # what was typed stays, passwords too
    assert 'value="short"' in page and 'value="other"' in page


def test_removing_a_skill_is_confirmed_first(officer_client, world):
    inmate = factories.inmate(world["institution"])
    trade = factories.trade()
    inmate_ops.set_skill(inmate, trade.id, 2, SkillSource.DECLARED)
    db.session.commit()
    skill_id, name = inmate.skills[0].id, inmate.full_name
    url = f"/inmates/{inmate.id}/skills/{skill_id}/remove"
    asked = officer_client.get(url)
    assert asked.status_code == 200
    assert name in asked.text and "Nothing has been changed yet" in asked.text
    db.session.expire_all()
    assert db.session.get(InmateSkill, skill_id) is not None
    assert officer_client.post(url).status_code == 302
    db.session.expire_all()
    assert db.session.get(InmateSkill, skill_id) is None


def test_blocking_a_user_is_confirmed_first(admin_client, world):
    officer = world["other_officer"]
    url = f"/admin/users/{officer.id}/active"
    asked = admin_client.get(url)
    assert asked.status_code == 200 and officer.email in asked.text
    db.session.expire_all()
    assert db.session.get(type(officer), officer.id).active
    assert admin_client.post(url).status_code == 302
    db.session.expire_all()
    assert not db.session.get(type(officer), officer.id).active


def test_end_placement_preselects_nothing(officer_client, world):
    inmate = factories.inmate(world["institution"])
    vacancy = factories.vacancy(factories.employer(), world["institution"])
    placement = factories.placement(inmate, vacancy)
    db.session.commit()
    page = officer_client.get(f"/placements/{placement.id}/end").text
    assert "selected" not in page.split('name="reason"')[1].split("</select>")[0]
    end_date = page.split('name="end_date"')[0].rsplit("<input", 1)[1] + page.split(
        'name="end_date"')[1].split(">")[0]
    assert 'value=""' in end_date or "value=" not in end_date
    refused = officer_client.post(f"/placements/{placement.id}/end", data={})
    assert refused.status_code == 422 and 'href="#reason"' in refused.text


def test_closing_a_vacancy_is_confirmed_first(employer_client, world):
    vacancy = factories.vacancy(world["employer"], world["institution"])
    db.session.commit()
    vacancy_id, title = vacancy.id, vacancy.title
    asked = employer_client.get(f"/employer/vacancies/{vacancy_id}/close")
    assert asked.status_code == 200 and title in asked.text
    db.session.expire_all()
    assert db.session.get(type(vacancy), vacancy_id).status.value != "closed"


def test_enrolment_by_name_or_file_number(officer_client, world):
    course = factories.course(world["institution"])
    factories.inmate(world["institution"], last_name="Abenov", file_number="N-1")
    factories.inmate(world["institution"], last_name="Abenova", first_name="Aigul",
                     file_number="N-2")
    db.session.commit()
    url = f"/training/courses/{course.id}/enrol"
    several = officer_client.post(url, data={"file_number": "aben"})
    assert several.status_code == 422 and "several inmates fit" in several.text
    assert "N-1" in several.text and "N-2" in several.text
    assert officer_client.post(url, data={"file_number": "Aigul Abenova"}).status_code == 302
    assert officer_client.post(url, data={"file_number": "N-1"}).status_code == 302
    nobody = officer_client.post(url, data={"file_number": "Zhaksylykov"})
    assert nobody.status_code == 422 and 'href="#file_number"' in nobody.text


def test_deactivating_a_used_trade_is_confirmed_first(admin_client, world):
    vacancy = factories.vacancy(world["employer"], world["institution"])
    db.session.commit()
    trade = vacancy.trade_id
    fields = {"code": "welder", "name_en": "Welder", "name_ru": "Сварщик", "isco_code": "7212"}
    asked = admin_client.post(f"/admin/trades/{trade}", data=fields)  # "active" unticked
    assert asked.status_code == 200 and vacancy.title in asked.text
    db.session.expire_all()
    assert db.session.get(Trade, trade).active
    done = admin_client.post(f"/admin/trades/{trade}", data=fields | {"confirmed": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert not db.session.get(Trade, trade).active
