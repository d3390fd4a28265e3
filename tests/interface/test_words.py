"""Words users read: record types of the audit log, trade pickers sorted in the
user's language with nothing chosen for them, dates that end a sentence."""

import re

from app.core.labels import FIELD_LABELS, LABELS
from app.extensions import db
from app.taxonomy.models import Trade
from tests import factories
from tests.conftest import login


def test_every_audited_record_type_and_its_moments_have_a_name():
    audited = sorted(mapper.class_.__name__ for mapper in db.Model.registry.mappers
                     if getattr(mapper.class_, "__audited__", False))
    assert [name for name in audited if name not in LABELS] == []
    assert {"recorded_at", "release_recorded_at", "correction_reason"} <= FIELD_LABELS.keys()


def test_the_vacancy_trade_picker_is_sorted_in_russian_and_chooses_nothing(app, world):
    for code, en, ru in (("a", "Zinc plater", "Ацетиленщик"), ("b", "Anchor maker", "Якорщик"),
                         ("c", "Miller", "Мельник")):
        db.session.add(Trade(code=code, isco_code="7212", name_en=en, name_ru=ru, name_kk=ru))
    db.session.commit()
    user = world["employer_user"]
    user.language = "ru"
    db.session.commit()
    client = app.test_client()
    login(client, user)
    html = client.get("/employer/vacancies/new").get_data(as_text=True)
    picker = html.split('name="trade_id"')[1].split("</select>")[0]
    names = re.findall(r"<option[^>]*>([^<]*)</option>", picker)
    assert names[0] == "" and not re.search(r'selected value="\d', picker)  # no trade chosen
    listed = [n for n in names[1:] if n in ("Ацетиленщик", "Мельник", "Якорщик")]
    assert listed == ["Ацетиленщик", "Мельник", "Якорщик"]


def test_the_labour_pool_writes_hours_in_russian(app, world):
    user = world["employer_user"]
    user.language = "ru"
    db.session.commit()
    for _ in range(6):
        factories.inmate(world["institution"])
    client = app.test_client()
    login(client, user)
    html = client.get("/employer/labour-pool").get_data(as_text=True)
    assert re.search(r"\d+ ч в неделю", html) and not re.search(r"\d+ h:", html)
