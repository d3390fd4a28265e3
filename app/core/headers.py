"""Browser security headers (flask-talisman) and no caching of personal data.

- Content-Security-Policy: scripts, styles, images and requests from this site only;
  no inline script or style (pages load ``static/js/app.js`` and ``static/css/app.css``;
  a test scans every template), no framing (``frame-ancestors 'none'``), forms post
  only here.
- X-Frame-Options DENY, X-Content-Type-Options nosniff, a Referrer-Policy that sends no
  path to other sites, and HSTS when the site runs behind HTTPS
  (``SESSION_COOKIE_SECURE=1``).
- ``Cache-Control: no-store`` on every answer but static files: pages, API answers and
  exports carry personal data and must not stay in a browser's or proxy's cache.
"""

from flask import Flask, Response, request
from flask_talisman import DENY, Talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    # Swagger UI's stylesheet draws its icons from data: URIs.
    "img-src": ["'self'", "data:"],
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
REFERRER_POLICY = "strict-origin-when-cross-origin"
HSTS_SECONDS = 365 * 24 * 3600


def register_security_headers(app: Flask) -> None:
    secure = bool(app.config.get("SESSION_COOKIE_SECURE"))
    app.extensions["talisman"] = Talisman(
        app,
        force_https=False,  # TLS ends at the reverse proxy; the app never redirects itself
        frame_options=DENY,
        content_security_policy=CONTENT_SECURITY_POLICY,
        referrer_policy=REFERRER_POLICY,
        strict_transport_security=secure,
        strict_transport_security_max_age=HSTS_SECONDS,
        session_cookie_secure=secure,
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        feature_policy={},
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"},
    )

    @app.after_request
    def no_store_personal_data(response: Response) -> Response:
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response
