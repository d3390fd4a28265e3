"""Bad input never gives a 500: every route of the app, as every role, with ids
that exist, ids that do not, and junk in query strings, forms and JSON bodies."""

import itertools

import pytest
from werkzeug.routing import IntegerConverter

from app.core.vocabulary import ConsentKind, Role
from app.extensions import db
from app.reintegration import operations as reintegration
from tests import factories
from tests.conftest import login

JUNK_FIELDS = ["start", "end", "start_date", "end_date", "birth_date", "positions", "monthly_wage",
               "weekly_hours", "institution_id", "trade_id", "inmate_id", "vacancy_id",
               "reason", "day", "page", "year", "kind", "status", "email", "password",
               "proposal_ids", "confirm", "level", "seats", "region_id", "file"]
JUNK_VALUES = ["", "zzz", "-1", "99999999999999999999", "2026-02-30", "<script>", "0001-01-01"]
ROLES = ["admin", "officer", "other_officer", "employer_user", "prosecutor", "partner", None]


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule.startswith("/static"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _url(rule, ids):
    values = {}
    for argument in rule.arguments - set(rule.defaults or {}):
        converter = rule._converters[argument]
        if isinstance(converter, IntegerConverter):
            values[argument] = ids
        else:  # e.g. any(publish, pause): the first allowed value
            values[argument] = sorted(getattr(converter, "items", ["zzz"]))[0]
    return rule.build({**(rule.defaults or {}), **values}, append_unknown=False)[1]


@pytest.fixture
def scene(world):
    inmate = factories.inmate(world["institution"])
    factories.consent(inmate, ConsentKind.PRIVATE_EMPLOYER)
    vacancy = factories.vacancy(world["employer"], world["institution"])
    factories.placement(inmate, vacancy)
    factories.course(world["institution"])
    # a partner organisation with a referral of the inmate's release plan (R21)
    factories.consent(inmate, ConsentKind.SHARE_WITH_PARTNERS)
    centre = factories.partner_centre(world["region"])
    plan = reintegration.open_plan(inmate, factories.TODAY)
    reintegration.refer(plan, {"partner_id": centre.id, "part_ids": [plan.parts[0].id]},
                        None, factories.TODAY)
    db.session.commit()
    return {**world, "partner": factories.user(Role.PARTNER, partner_id=centre.id)}


@pytest.mark.parametrize("role", ROLES)
def test_no_route_answers_500(app, scene, role):
    client = app.test_client()
    if role:
        headers = factories.bearer(scene[role])
        login(client, scene[role])
    else:
        headers = {}
    failures = []
    for (rule, method), object_id in itertools.product(list(_routes(app)), [1, 999999, 2**40]):
        url = _url(rule, object_id)
        junk = dict(zip(JUNK_FIELDS, itertools.cycle(JUNK_VALUES), strict=False))
        if method == "GET":
            responses = [client.get(url, query_string=junk, headers=headers)]
        elif url.startswith("/api/"):
            responses = [client.open(url, method=method, json=junk, headers=headers),
                         client.open(url, method=method, data="{not json",
                                     content_type="application/json", headers=headers)]
        else:
            responses = [client.open(url, method=method, data=junk)]
        failures += [(method, url, r.status_code) for r in responses if r.status_code >= 500
                     and (url, r.status_code) != ("/readyz", 503)]  # not ready: its answer
    assert failures == []
