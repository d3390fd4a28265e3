"""Kazakh, Russian and English: complete catalogues, library messages in the
user's language, the first visit's language from the browser, local time and money."""

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from marshmallow import validate

from app.core.audit import AuditEvent
from app.core.i18n import LIBRARY_MESSAGES, field_classes, field_messages
from app.core.templating import format_tenge
from app.core.vocabulary import Role, VacancyStatus
from app.extensions import db
from app.taxonomy.models import Trade, localized_name
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"


def _catalogue(path: Path, locale: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _ids(catalogue) -> set:
    return {message.id for message in catalogue if message.id}


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_catalogue_translates_every_string_without_fuzzy_entries(language):
    template = _catalogue(TRANSLATIONS / "messages.pot")
    catalogue = _catalogue(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", language)
    assert _ids(template) - _ids(catalogue) == set(), "run pybabel update"
    untranslated = [m.id for m in catalogue if m.id and not (
        all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
    # what `pybabel compile` refuses: placeholders of the translation unlike the original's
    assert [(m.id, [str(e) for e in errors]) for m, errors in catalogue.check()] == []


def test_messages_pot_is_extracted_from_the_current_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract",
                    "-F", "babel.cfg", "-k", "_l", "-k", "N_", "-o", str(fresh), "."],
                   cwd=ROOT, check=True, capture_output=True)
    committed = _ids(_catalogue(TRANSLATIONS / "messages.pot"))
    extracted = _ids(_catalogue(fresh))
    assert extracted - committed == set(), "strings missing from messages.pot: re-extract"
    assert committed - extracted == set(), "strings no longer in the code: re-extract"


def test_every_message_marshmallow_can_show_is_in_the_catalogue():
    known = {m._args[0] for m in LIBRARY_MESSAGES}
    shown = {str(text) for cls in field_classes() for text in field_messages(cls).values()
             if "{obj_type}" not in str(text)}  # abstract bases name no type
    for ranged in (validate.Range(min=1), validate.Range(max=1), validate.Range(min=1, max=2),
                   validate.Range(min=1, max=2, min_inclusive=False, max_inclusive=False)):
        shown |= {str(ranged.message_min), str(ranged.message_max), str(ranged.message_all)}
    for cls in (validate.Length, validate.OneOf, validate.Equal, validate.Regexp,
                validate.Email, validate.URL, validate.ContainsOnly, validate.NoneOf):
        shown |= {str(v) for k, v in vars(cls).items()
                  if k.startswith(("message", "default_message")) and isinstance(v, str)}
    assert shown - known == set()


def test_api_refusals_are_in_the_users_language(app, world):
    world["officer"].language = "kk"
    db.session.commit()
    response = factories.ApiClient(app, world["officer"]).post(
        "/api/inmates/", json={"birth_date": "abc", "disability_group": 7, "bogus": 1})
    assert response.status_code == 422
    errors = response.json["errors"]
    assert errors["last_name"] == ["Міндетті өріс толтырылмаған."]
    assert errors["birth_date"] == ["Жарамды күн емес."]
    assert errors["disability_group"] == ["1 мен 3 аралығында болуы тиіс."]
    assert errors["bogus"] == ["Белгісіз өріс."]


def test_page_form_refusals_are_in_russian(officer_client, world):
    officer_client.post("/language/ru")
    response = officer_client.post("/inmates/new", data={"birth_date": "abc", "sex": "male"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Обязательное поле не заполнено." in page and "Недопустимая дата." in page
    assert "Missing data" not in page and "Not a valid" not in page


def test_wtforms_messages_are_in_kazakh(admin_client):
    admin_client.post("/language/kk")
    response = admin_client.post("/admin/trades/new", data={})
    assert response.status_code == 422
    assert "Бұл өріс міндетті түрде керек." in response.get_data(as_text=True)


def test_error_page_names_fields_in_the_users_language(prosecutor_client):
    prosecutor_client.post("/language/kk")
    response = prosecutor_client.get("/monitoring/?day=abc")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<b>Күн</b>: Жарамды күн емес." in page
    assert "Unprocessable" not in page


def test_first_visit_takes_the_browsers_language_and_offers_kazakh(client):
    page = client.get("/login", headers={"Accept-Language": "kk-KZ,kk;q=0.9,ru;q=0.8"})
    text = page.get_data(as_text=True)
    assert 'lang="kk"' in text and "Кіру" in text
    assert ">Қазақша</span>" in text and ">Русский</span>" in text


def test_the_chosen_language_is_saved_to_the_account(officer_client, world):
    officer_client.post("/language/kk")
    db.session.expire_all()
    assert world["officer"].language == "kk"
    page = officer_client.get("/officer", headers={"Accept-Language": "ru"})
    assert 'lang="kk"' in page.get_data(as_text=True)


def test_drop_downs_and_vacancy_badges_are_translated(officer_client, employer_client, world):
    officer_client.post("/language/kk")
    form = officer_client.get("/inmates/new").get_data(as_text=True)
    assert '<option value="maximum">максималды</option>' in form
    assert '<option value="limited">шектеулермен жарамды</option>' in form
    vacancy = factories.vacancy(world["employer"], world["institution"],
                                status=VacancyStatus.DRAFT)
    employer_client.post("/language/kk")
    page = employer_client.get(f"/employer/vacancies/{vacancy.id}").get_data(as_text=True)
    assert '<span class="badge">жоба</span>' in page
    assert "периметр ішінде" in page and "(күндізгі)" in page
    form = employer_client.get("/employer/vacancies/new").get_data(as_text=True)
    assert '<option value="day">күндізгі</option>' in form  # a shift, not a date


def test_why_not_employed_is_translated(officer_client, world):
    inmate = factories.inmate(world["institution"])
    officer_client.post("/language/ru")
    page = officer_client.get(f"/inmates/{inmate.id}").get_data(as_text=True)
    assert "Подбор ещё не проводился" in page and "No match run yet" not in page


def test_times_are_stored_in_utc_and_shown_in_almaty_time(prosecutor_client, world):
    inmate = factories.inmate(world["institution"])
    event = db.session.scalar(db.select(AuditEvent).where(
        AuditEvent.entity_type == "Inmate", AuditEvent.entity_id == str(inmate.id)))
    event.occurred_at = datetime(2026, 3, 1, 20, 30)  # UTC, as stored
    db.session.commit()
    prosecutor_client.post("/language/ru")
    page = prosecutor_client.get("/monitoring/audit").get_data(as_text=True)
    assert "02.03.2026, 01:30" in page  # Asia/Almaty, UTC+5
    assert "2026-03-01 20:30" not in page


@pytest.mark.parametrize(("language", "shown"), [
    ("kk", "85\xa0000\xa0₸"), ("ru", "85\xa0000\xa0₸"), ("en", "KZT85,000")])
def test_money_is_written_in_tenge_the_languages_way(app, language, shown):
    with app.test_request_context(headers={"Accept-Language": language}):
        assert format_tenge(85000) == shown


def test_trades_have_kazakh_names_with_the_russian_as_fallback(app, trades):
    welder = db.session.scalar(db.select(Trade).where(Trade.code == "welder"))
    assert welder.name_kk == "Дәнекерлеуші"
    unnamed = Trade(code="new_trade", name_en="New", name_ru="Новая", isco_code="9329")
    with app.test_request_context(headers={"Accept-Language": "kk"}):
        assert localized_name(welder) == "Дәнекерлеуші"
        assert localized_name(unnamed) == "Новая"


def test_settings_show_codes_by_their_translated_names(admin_client):
    admin_client.post("/language/kk")
    page = admin_client.get("/admin/settings/2026").get_data(as_text=True)
    assert "жеңілдетілген</label>" in page and "зейнет жасы</label>" in page
    assert "comma-separated" not in page


def test_audit_names_fields_and_actors_in_the_users_language(prosecutor_client, world):
    factories.inmate(world["institution"])
    prosecutor_client.post("/language/kk")
    page = prosecutor_client.get("/monitoring/audit").get_data(as_text=True)
    assert "<b>Туған күні</b>" in page and "birth_date" not in page


def test_role_names_are_translated(app):
    from app.core.labels import label

    with app.test_request_context(headers={"Accept-Language": "kk"}):
        assert label(Role.OFFICER) == "еңбек жөніндегі қызметкер"


def test_error_pages_explain_in_the_users_language_not_werkzeugs_english(officer_client):
    officer_client.post("/language/kk")
    response = officer_client.get("/logout")  # a form's address, POST only
    page = response.get_data(as_text=True)
    assert response.status_code == 405
    assert "Бұл мекенжай мұндай сұрауды қабылдамайды." in page
    assert "method is not allowed" not in page
