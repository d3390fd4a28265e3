"""Administration pages, role refusals and the error formats."""

from decimal import Decimal

import pytest

from app.core.vocabulary import Role
from app.extensions import db
from app.institutions.models import Institution
from app.settings.models import YearSettings
from app.taxonomy.models import Trade


@pytest.mark.parametrize("path", ["/admin/", "/admin/institutions", "/admin/users",
                                  "/admin/settings", "/admin/trades", "/admin/users/new"])
def test_admin_pages_open_for_admin(admin_client, trades, path):
    assert admin_client.get(path).status_code == 200


@pytest.mark.parametrize("role_client", ["officer_client", "employer_client",
                                         "prosecutor_client"])
def test_admin_pages_refused_to_other_roles(app, request, role_client):
    client = request.getfixturevalue(role_client)
    assert client.get("/admin/institutions").status_code == 403
    assert client.post("/admin/trades/new", data={"code": "x"}).status_code == 403


def test_admin_creates_institution(admin_client, world):
    response = admin_client.post("/admin/institutions/new", data={
        "code": "AK-159/18", "name": "Karabas", "region_id": world["region"].id,
        "kind": "colony", "regime": "medium", "address": ""})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Institution).where(Institution.code == "AK-159/18"))


def test_duplicate_institution_code_is_named(admin_client, world):
    response = admin_client.post("/admin/institutions/new", data={
        "code": world["institution"].code, "name": "Copy", "region_id": world["region"].id,
        "kind": "colony", "regime": "medium"})
    assert response.status_code == 422
    assert b"is already used" in response.data


def test_admin_creates_officer_only_with_institution(admin_client, world):
    data = {"email": "new.officer@example.kz", "full_name": "New Officer", "role": "officer",
            "institution_id": 0, "employer_id": 0, "region_id": 0, "password": "long-enough-1"}
    refused = admin_client.post("/admin/users/new", data=data)
    assert refused.status_code == 422
    assert b"is required for the role officer" in refused.data
    data["institution_id"] = world["institution"].id
    assert admin_client.post("/admin/users/new", data=data).status_code == 302


def test_trade_needs_four_digit_isco_code(admin_client):
    response = admin_client.post("/admin/trades/new", data={
        "code": "welder", "name_en": "Welder", "name_ru": "Сварщик", "isco_code": "72"})
    assert response.status_code == 422
    assert b"must be 4 digits" in response.data
    assert db.session.scalar(db.select(Trade)) is None


SETTINGS_FORM = {
    "target_percent": "80", "min_monthly_wage": "90000", "full_time_hours": "40",
    "max_hours_adult": "40", "max_hours_disabled": "36", "max_hours_juvenile_16": "36",
    "max_hours_juvenile_14": "24", "pension_age_men": "63", "pension_age_women": "61",
    "outside_medium_conditions": ["facilitated", "preferential"],
    "voluntary_groups": ["pension_age", "disability_1_2", "pregnant"], "weight_skill": "30",
    "weight_certificate": "20", "weight_wish": "15", "weight_recent_training": "10",
    "weight_release_time": "10", "weight_wage": "5",
    "risk_levels": "low, medium, high", "risk_assessment_days": "30",
    "risk_review_months": "12", "unassessed_highest_outside": "y", "scattered_cap": "2",
    "bans_run_in_prison": "y"}


def test_settings_are_saved_per_year_and_audited(admin_client):
    from app.core.audit import AuditEvent

    assert admin_client.post("/admin/settings/2027", data=SETTINGS_FORM).status_code == 302
    stored = db.session.get(YearSettings, 2027)
    assert stored.min_monthly_wage == 90000 and stored.target_rate == Decimal("0.800")
    assert stored.law.outside_medium_conditions == {"facilitated", "preferential"}
    assert stored.law.risk_levels == ("low", "medium", "high")  # R27: typed with blanks
    assert stored.law.scattered_cap == 2 and stored.law.bans_run_in_prison
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.entity_type == "YearSettings"))
    assert event.action == "create" and event.after["min_monthly_wage"] == 90000
    page = admin_client.get("/admin/settings/2027").get_data(as_text=True)
    assert 'value="80.0"' in page and 'type="checkbox"' in page
    refused = admin_client.post("/admin/settings/2027", data={
        **SETTINGS_FORM, "outside_medium_conditions": ["strict", "lenient"]})
    assert refused.status_code == 422
    assert "lenient" in refused.get_data(as_text=True)


@pytest.mark.parametrize(("changes", "message"), [
    ({"full_time_hours": "36"}, "above full time"),
    ({"max_hours_disabled": "41"}, "above the adult limit"),
    ({"max_hours_juvenile_16": "41"}, "above the adult limit"),
    ({"max_hours_juvenile_14": "37"}, "limit from 16"),
    ({"target_percent": "101"}, "100"),
    ({"risk_levels": "low, low"}, "two distinct levels"),
])
def test_settings_that_contradict_themselves_are_refused_whole(admin_client, changes, message):
    """R9/R10: the adult limit is full time at most, no other limit above it: a 40-hour
    vacancy can never pass entry and then fail the engine's pro-rata wage."""
    refused = admin_client.post("/admin/settings/2027", data={**SETTINGS_FORM, **changes})
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)
    assert db.session.get(YearSettings, 2027) is None  # nothing stored


def test_unknown_page_is_html_404(officer_client):
    response = officer_client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json["code"] == 404


def test_api_validation_error_names_the_field(client):
    response = client.post("/api/auth/tokens", json={"email": "not-an-email"})
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"email", "password"}


def test_malformed_json_is_400_or_422_not_500(client):
    response = client.post("/api/auth/tokens", data="{not json",
                           content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.is_json


def test_role_is_enforced_on_api(client, world):
    from tests.factories import bearer

    headers = bearer(world["employer_user"])
    assert client.get("/api/auth/me", headers=headers).json["role"] == Role.EMPLOYER.value


def test_openapi_document_and_docs_page_are_served_locally(client):
    spec = client.get("/api/openapi.json")
    assert spec.status_code == 200
    assert "/api/auth/tokens" in spec.json["paths"]
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_ids_beyond_the_database_range_are_404_not_overflow(officer_client):
    assert officer_client.get(f"/inmates/{2**40}").status_code == 404


def test_query_string_numbers_out_of_range_are_422(officer_client):
    response = officer_client.get("/placements/", query_string={"inmate_id": 2**70})
    assert response.status_code == 422
    assert b"out of range" in response.data


def test_days_before_the_programme_are_refused_not_crashed(client, world):
    from tests.factories import bearer

    headers = bearer(world["prosecutor"])
    response = client.get("/api/monitoring/rates", query_string={"day": "0001-01-05"},
                          headers=headers)
    assert response.status_code == 422 and "day" in response.json["errors"]
    response = client.get("/api/monitoring/violations", query_string={"start": "0001-01-01"},
                          headers=headers)
    assert response.status_code == 422 and "start" in response.json["errors"]
