"""Redirect targets from the request stay on this site (no open redirect)."""

import pytest

from app.core.urls import local_path
from tests.factories import PASSWORD

HOSTILE = ["//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example",
           "/\\evil.example", "/\\\\evil.example", "/%09/evil.example".replace("%09", "\t"),
           "/\x00/evil.example", "/\x7f/evil.example", "/\u00a0/evil.example",
           "https://evil.example", "evil.example", "/ /evil.example", ""]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_refused(target):
    assert local_path(target) is None


@pytest.mark.parametrize("target", ["/", "/officer", "/monitoring/placements/3?x=1#y",
                                    "/inmates?q=%2F%2Fevil"])
def test_local_paths_pass(target):
    assert local_path(target) == target


def test_login_next_with_a_tab_does_not_leave_the_site(client, world):
    response = client.post("/login?next=%2F%09%2Fevil.example",
                           data={"email": world["officer"].email, "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "evil.example" not in location
    assert location == "/"


def test_finding_next_with_a_backslash_does_not_leave_the_site(world, prosecutor_client):
    response = prosecutor_client.post("/monitoring/findings", data={
        "text": "Check the workshop", "kind": "warning", "institution_id": world["institution"].id,
        "next": "/\t/evil.example"})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]
    response = prosecutor_client.post("/monitoring/findings", data={
        "text": "Check the workshop", "kind": "warning", "institution_id": world["institution"].id,
        "next": "/\\evil.example"})
    assert "evil.example" not in response.headers["Location"]
