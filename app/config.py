"""Settings read from the environment, one class per environment."""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    default = f"sqlite:///{BASE_DIR / 'instance' / 'labour.db'}"
    return os.environ.get("DATABASE_URL", default)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in instance/
    so sessions survive restarts of a single-host install."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = BASE_DIR / "instance" / "secret_key"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def engine_options(config: dict) -> dict:
    """SQLALCHEMY_ENGINE_OPTIONS for the configured database. On PostgreSQL, JIT is
    off: the app's queries read thousands of rows, not millions, and JIT spent longer
    compiling them than it saved (80 ms on a 340 ms violations query; seconds on the
    trend query)."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        connect_args = dict(options.get("connect_args", {}))
        connect_args["options"] = f"{connect_args.get('options', '')} -c jit=off".strip()
        options["connect_args"] = connect_args
    return options


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None

    # Login throttling (Flask-Limiter). Use Redis in production so that all
    # gunicorn workers share one counter: RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    # Failed logins per account, whatever the address (app/auth/throttling.py).
    ACCOUNT_LOGIN_RATE_LIMIT = os.environ.get("ACCOUNT_LOGIN_RATE_LIMIT",
                                              "5 per minute;30 per hour")
    # Colleagues one business may add.
    COLLEAGUE_RATE_LIMIT = os.environ.get("COLLEAGUE_RATE_LIMIT", "10 per hour")
    # Behind a reverse proxy, how many proxies to trust for the client's address
    # (X-Forwarded-For), so throttling counts clients, not the proxy.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    BABEL_DEFAULT_LOCALE = "en"
    # Times are stored in UTC and shown in Kazakhstan's time.
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
    # Kazakh (the state language), Russian, English; each named in its own language.
    LANGUAGES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
    WTF_I18N_ENABLED = True  # WTForms' messages from its own ru/kk catalogues

    # Uploads (inmate import): refuse files larger than this many bytes.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_BYTES", 5 * 1024 * 1024))

    API_TITLE = "Prison labour and training matching API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    OPENAPI_SWAGGER_UI_URL = "/static/vendor/swagger-ui/"
    API_SPEC_OPTIONS = {
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
        },
        "security": [{"bearerAuth": []}],
    }


class ProductionConfig(Config):
    # Set SESSION_COOKIE_SECURE=1 behind HTTPS (the demo serves plain HTTP on 127.0.0.1).
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    # Password hashing is deliberately slow in production; tests use the
    # cheapest argon2 parameters so that hundreds of logins stay fast.
    PASSWORD_HASH_FAST = True


CONFIGS = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS[os.environ.get("APP_ENV", "production")]
