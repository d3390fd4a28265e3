"""What schemathesis found in the OpenAPI document, each pinned by a plain test."""

from app.extensions import db
from tests import factories
from tests.api.contract_data import seed_contract_world

DOCUMENTED = ("401", "403", "404", "409", "422")


def _spec(client) -> dict:
    return client.get("/api/openapi.json").get_json()


def _operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_operation_documents_its_refusals(client):
    spec = _spec(client)
    for path, method, operation in _operations(spec):
        responses = operation["responses"]
        public = operation.get("security") == []
        if not public:
            assert "401" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if method != "get":
            assert {"400", "409", "422"} <= set(responses), (method, path)
    me = spec["paths"]["/api/auth/me"]["get"]["responses"]
    assert "403" not in me  # every role may ask who it is
    assert "403" in spec["paths"]["/api/employer/vacancies"]["get"]["responses"]
    assert "429" in spec["paths"]["/api/auth/tokens"]["post"]["responses"]


def test_path_ids_are_bounded(client):
    for path, _method, operation in _operations(_spec(client)):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["schema"].get("type") == "integer":
                assert parameter["schema"]["maximum"] == 2**31 - 1, path


def test_exports_and_templates_document_their_files(client):
    spec = _spec(client)
    for path in ("/api/inmates/export", "/api/inmates/template"):
        content = spec["paths"][path]["get"]["responses"]["200"]["content"]
        assert {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml."
                "sheet"} == set(content)


def test_pagination_header_is_documented_as_the_string_it_is(client, officer_client):
    spec = _spec(client)
    header = spec["paths"]["/api/placements/runs"]["get"]["responses"]["200"]["headers"]
    assert header["X-Pagination"]["schema"] == {"type": "string"}
    assert officer_client.get("/api/placements/runs").headers["X-Pagination"].startswith("{")


def test_a_body_of_optional_fields_is_not_required(client):
    spec = _spec(client)
    assert spec["paths"]["/api/placements/runs"]["post"]["requestBody"]["required"] is False
    assert spec["paths"]["/api/training/courses"]["post"]["requestBody"]["required"] is True


def test_timestamps_carry_their_time_zone_and_target_is_a_number(app):
    users = seed_contract_world()
    api = factories.ApiClient(app, users["officer"])
    home = api.get("/api/home/officer").get_json()
    assert home["findings"][0]["created_at"].endswith("+00:00")
    assert isinstance(home["rate"]["target"], float)
    db.session.rollback()


def test_every_timestamp_field_writes_its_time_zone(app):
    """Every marshmallow DateTime of the API is a UtcDateTime, or an appointment on
    Kazakhstan's clock written with its zone (a referral message's ``created_at``, then
    an interview's time, were written without one)."""
    from marshmallow import class_registry, fields

    from app.core.fields import KazakhstanDateTime, UtcDateTime

    naive = sorted(f"{name}.{field_name}"
                   for name, classes in class_registry._registry.items() if "." in name
                   for schema in classes
                   for field_name, field in schema._declared_fields.items()
                   if isinstance(field, fields.DateTime)
                   and not isinstance(field, UtcDateTime | KazakhstanDateTime)
                   and not isinstance(field, (fields.Date, fields.Time)))
    assert naive == []


def test_a_patch_without_a_body_is_refused_naming_the_body(app, client, world):
    """A PATCH with no body was taken for a change of nothing (200)."""
    inmate = factories.inmate(world["institution"])
    officer = factories.ApiClient(app, world["officer"])
    for empty in ({}, {"data": b"", "content_type": "application/json"}):
        refused = officer.patch(f"/api/inmates/{inmate.id}", **empty)
        assert refused.status_code == 422 and list(refused.json["errors"]) == ["_"]
    assert officer.patch(f"/api/inmates/{inmate.id}", json={}).status_code == 200
    assert client.patch(f"/api/inmates/{inmate.id}").status_code == 401  # who first
    spec = _spec(client)
    for path in ("/api/inmates/{inmate_id}", "/api/training/courses/{course_id}",
                 "/api/employer/vacancies/{vacancy_id}"):
        assert spec["paths"][path]["patch"]["requestBody"]["required"] is True


def test_malformed_json_gives_errors_as_an_object(officer_client):
    response = officer_client.post("/api/training/courses", data="{not json",
                                   content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"_": ["Invalid JSON body."]}


def test_405_names_the_allowed_methods(client):
    response = client.delete("/api/auth/tokens")
    assert response.status_code == 405
    assert response.headers["Allow"] and "POST" in response.headers["Allow"]


def test_ids_in_bodies_and_queries_are_bounded(client, officer_client):
    schemas = _spec(client)["components"]["schemas"]
    for name, field in (("EnrolIn", "inmate_id"), ("SeparationIn", "other_inmate_id"),
                        ("Finding", "placement_id")):
        assert (schemas[name]["properties"][field]["minimum"],
                schemas[name]["properties"][field]["maximum"]) == (1, 2**31 - 1), name
    assert schemas["VacancyCreate"]["properties"]["institution_ids"]["items"]["maximum"] \
        == 2**31 - 1
    response = officer_client.get(f"/api/placements/?inmate_id={2**40}")
    assert response.status_code == 422 and "inmate_id" in response.get_json()["errors"]


def test_a_whole_number_with_a_fraction_is_refused_not_truncated(app, world):
    """Marshmallow's Integer read 2.5 as 2 and 2.6e-42 as 0: the pay settings stored a
    protected share nobody sent (schemathesis, ST201)."""
    admin = factories.ApiClient(app, world["admin"])
    year = 2031
    for fraction in (2.5, 2.5890419884777833e-42, 5000.000001):
        refused = admin.put(f"/api/pay/settings/{year}", json={
            "rules": [], "protected_bp": fraction, "timesheet_due_days": 10})
        assert refused.status_code == 422, fraction
        assert list(refused.json["errors"]) == ["protected_bp"]
    taken = admin.put(f"/api/pay/settings/{year}", json={
        "rules": [], "protected_bp": 5000, "timesheet_due_days": 10})
    assert taken.status_code == 200 and taken.json["protected_bp"] == 5000
    officer = factories.ApiClient(app, world["officer"])
    assert officer.get("/api/placements/?inmate_id=1.5").status_code == 422


def test_every_whole_number_field_refuses_fractions(app):
    from marshmallow import class_registry, fields

    from app.core.fields import Integer

    truncating = sorted(f"{name}.{field_name}"
                        for name, classes in class_registry._registry.items()
                        if name.startswith(("app.", "employers."))
                        for schema in classes
                        for field_name, field in schema._declared_fields.items()
                        if isinstance(field, fields.Integer)
                        and not isinstance(field, Integer))
    assert truncating == []
