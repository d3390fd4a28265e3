"""R29 and R28's restricted data never leave their audience: every GET route of the app
(pages, API, downloads), with the ids of a person who is assessed, flagged, banned, at
work for an employer and referred to a partner, as an employer, a partner, a prosecutor
and an officer of another region and an administrator. None of them ever receives the
person's risk level, the flag or the court ban; the flag's audit records no view by them.
"""

import itertools

import pytest
import sqlalchemy as sa
from werkzeug.routing import IntegerConverter

from app.core.audit import AuditEvent
from app.core.vocabulary import ConsentKind, Role
from app.extensions import db
from app.reintegration import operations as reintegration
from app.settings.operations import default_settings
from tests import factories
from tests.conftest import login
from tests.security.helpers import TODAY, assess, ban, flag

LEVEL = "Zlevelmark"  # the person's level: a name found nowhere else
FLAG_REF, BAN_REF = "FLAGREFMARK", "BANREFMARK"
# An officer's own pages list the year's scale (every level's name), not a person's level.
SCALE_PAGES = {"/placements/workplaces", "/api/placements/workplaces"}
NEVER = {  # what each reader must never receive
    "employer_user": (LEVEL, FLAG_REF, BAN_REF, "scattered_flag", "flag_history"),
    "partner": (LEVEL, FLAG_REF, BAN_REF, "scattered_flag", "flag_history"),
    "other_prosecutor": (LEVEL, FLAG_REF, BAN_REF, "scattered_flag", "flag_history"),
    "other_officer": (LEVEL, FLAG_REF, BAN_REF, "scattered_flag", "flag_history"),
    "admin": (FLAG_REF, "scattered_flag", "flag_history"),
}


@pytest.fixture
def scene(world):
    settings = default_settings(TODAY.year)
    settings.risk_levels = f"low,medium,{LEVEL}"
    db.session.add(settings)
    db.session.commit()
    person = factories.inmate(world["institution"])
    factories.consent(person, ConsentKind.PRIVATE_EMPLOYER)
    vacancy = factories.vacancy(world["employer"], world["institution"])
    placement = factories.placement(person, vacancy)
    assess(person, LEVEL)
    flag(person).document_ref = FLAG_REF
    ban(person, factories.trade("cook")).decision_ref = BAN_REF
    factories.consent(person, ConsentKind.SHARE_WITH_PARTNERS)
    centre = factories.partner_centre(world["region"])
    plan = reintegration.open_plan(person, TODAY)
    referral = reintegration.refer(plan, {"partner_id": centre.id,
                                          "part_ids": [plan.parts[0].id]}, None, TODAY)
    db.session.commit()
    ids = sorted({person.id, vacancy.id, placement.id, plan.id, referral.id, 1})
    return {**world, "partner": factories.user(Role.PARTNER, partner_id=centre.id),
            "ids": ids, "person": person}


def _get_routes(app):
    for rule in app.url_map.iter_rules():
        # the API's description names the fields, not anybody's values
        if "GET" in rule.methods and not rule.rule.startswith(("/static", "/api/openapi",
                                                                 "/api/docs")):
            yield rule


def _urls(rule, ids):
    ints = [a for a in rule.arguments - set(rule.defaults or {})
            if isinstance(rule._converters[a], IntegerConverter)]
    others = {a: sorted(getattr(rule._converters[a], "items", ["csv"]))[0]
              for a in rule.arguments - set(rule.defaults or {}) if a not in ints}
    for chosen in (itertools.product(ids, repeat=len(ints)) if len(ints) < 3 else [ids[:1] * 3]):
        values = {**(rule.defaults or {}), **others, **dict(zip(ints, chosen, strict=False))}
        yield rule.build(values, append_unknown=False)[1]


@pytest.mark.parametrize("role", sorted(NEVER))
def test_restricted_data_never_reaches_others(app, scene, role):
    client = app.test_client()
    login(client, scene[role])
    headers = factories.bearer(scene[role])
    leaks, answered = [], 0
    for rule in _get_routes(app):
        for url in _urls(rule, scene["ids"]):
            response = client.get(url, headers=headers)
            answered += response.status_code == 200
            body = response.get_data().decode("utf-8", "replace")
            leaks += [(url, word) for word in NEVER[role] if word in body
                      and not (word == LEVEL and url in SCALE_PAGES)]
    assert not leaks
    assert answered > 10  # the reader really saw pages and answers of their own
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "view", AuditEvent.actor_id == scene[role].id)) == 0


def test_the_crawl_finds_what_the_audience_sees(app, scene):
    """The same crawl for the institution's officer finds the level and the flag: the
    test above would see a leak."""
    client = app.test_client()
    login(client, scene["officer"])
    page = client.get(f"/inmates/{scene['person'].id}").get_data(as_text=True)
    api = client.get(f"/api/inmates/{scene['person'].id}",
                     headers=factories.bearer(scene["officer"])).get_data(as_text=True)
    assert LEVEL in page and FLAG_REF in page and BAN_REF in page
    assert LEVEL in api and "scattered_flag" in api
