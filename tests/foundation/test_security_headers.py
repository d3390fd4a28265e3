"""Browser security headers (app/core/headers.py) and templates without inline
script or style, so that the Content-Security-Policy can forbid them."""

import re
from pathlib import Path

import pytest

from app import create_app
from app.config import TestingConfig

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted([*ROOT.glob("app/**/templates/**/*.html"),
                    *ROOT.glob("employers/templates/**/*.html")])
# An inline <script> (one without src=), a <style> element, a style="" attribute, an
# on...="" event handler or a javascript: URL: each would be refused by the CSP.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:",
    re.IGNORECASE,
)


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split(" ", 1)[1] for part in policy.split("; ")}


def _assert_protected(response) -> None:
    policy = _csp(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_templates_are_found():
    assert len(TEMPLATES) > 40
    assert any("employers/templates" in str(path) for path in TEMPLATES)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_inline_script_or_style_in_templates(path):
    found = [match.group(0) for match in INLINE.finditer(path.read_text(encoding="utf-8"))]
    assert not found, f"{path}: move {found} to a file under app/static"


def test_the_scan_catches_inline_code():
    for snippet in ('<script>alert(1)</script>', '<p style="color:red">', '<style>p{}</style>',
                    '<button onclick="x()">', '<a href="javascript:x()">'):
        assert INLINE.search(snippet), snippet
    assert not INLINE.search('<script src="/static/js/app.js" defer></script>')


def test_pages_and_api_answers_carry_the_headers(client, officer_client):
    for response in (client.get("/login"), client.get("/api/auth/me"),
                     client.get("/api/openapi.json"), client.get("/api/docs"),
                     officer_client.get("/inmates/"), officer_client.get("/api/inmates/"),
                     client.get("/no-such-page")):
        _assert_protected(response)
        assert response.headers["Cache-Control"] == "no-store"


def test_logged_in_pages_and_exports_are_never_stored(officer_client, prosecutor_client):
    for response in (officer_client.get("/inmates/export.csv"),
                     officer_client.get("/api/inmates/export?format=xlsx"),
                     prosecutor_client.get("/monitoring/export/findings.csv")):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached(client):
    for path in ("/static/css/app.css", "/static/js/app.js", "/static/js/swagger-init.js"):
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" not in response.headers.get("Cache-Control", "")
        _assert_protected(response)


def test_pages_load_their_behaviour_from_static_files(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<script src="/static/js/app.js" defer></script>' in page
    docs = client.get("/api/docs").get_data(as_text=True)
    assert "/static/js/swagger-init.js" in docs and not INLINE.search(docs)


def test_no_hsts_over_plain_http_or_without_secure_cookies(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    assert "Strict-Transport-Security" not in client.get(
        "/login", base_url="https://localhost").headers


def test_hsts_when_session_cookies_are_secure():
    class SecureConfig(TestingConfig):
        SESSION_COOKIE_SECURE = True

    secure_app = create_app(SecureConfig)
    response = secure_app.test_client().get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Secure" in response.headers["Set-Cookie"]
