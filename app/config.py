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
        settings = " ".join(f"-c {name}={value}"
                            for name, value in config["POSTGRESQL_SETTINGS"].items())
        connect_args["options"] = f"{connect_args.get('options', '')} {settings}".strip()
        options["connect_args"] = connect_args
    return options


class Config:
    SECRET_KEY = _secret_key()
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    POSTGRESQL_SETTINGS = {"jit": "off"}  # each connection's (engine_options)
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

    # Jobs (app/jobs): RQ on this Redis when set; without it, a worker thread in each
    # web process (the embedded install of `make run`).
    REDIS_URL = os.environ.get("REDIS_URL", "")
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "labour-jobs")
    JOBS_REDIS_PREFIX = os.environ.get("JOBS_REDIS_PREFIX", "labour")
    JOBS_EMBEDDED_WORKER = os.environ.get("JOBS_EMBEDDED_WORKER", "1") == "1"
    JOBS_FOLDER = os.environ.get("JOBS_FOLDER", "")  # progress files without Redis; instance/jobs
    # A running job with no heartbeat (every 2 s) for this long lost its worker.
    JOBS_STALE_SECONDS = int(os.environ.get("JOBS_STALE_SECONDS", "60"))
    JOBS_TIMEOUT_SECONDS = int(os.environ.get("JOBS_TIMEOUT_SECONDS", str(3 * 3600)))
    # Largest file a job imports through the web (streamed to disk, read in chunks).
    JOB_UPLOAD_MAX_BYTES = int(os.environ.get("JOB_UPLOAD_MAX_BYTES", str(200 * 1024 * 1024)))
    # Days of the daily schedule caught up after the service was down.
    SCHEDULE_CATCH_UP_DAYS = int(os.environ.get("SCHEDULE_CATCH_UP_DAYS", "31"))
    # One JSON line per request in the log (production); plain lines otherwise.
    LOG_JSON = os.environ.get("LOG_JSON", "")
    # /metrics: open to these client addresses, or with this bearer token.
    METRICS_ALLOWED = os.environ.get("METRICS_ALLOWED", "127.0.0.1,::1")
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

    BABEL_DEFAULT_LOCALE = "en"
    # Times are stored in UTC and shown in Kazakhstan's time.
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
    # Kazakh (the state language), Russian, English; each named in its own language.
    LANGUAGES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
    WTF_I18N_ENABLED = True  # WTForms' messages from its own ru/kk catalogues

    # Uploads (inmate import): refuse files larger than this many bytes.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_BYTES", 5 * 1024 * 1024))

    # E-mail of notifications (app/notifications/mail.py, Flask-Mailman). No MAIL_SERVER:
    # no e-mail is sent; the inbox works the same.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"  # STARTTLS
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"  # TLS from the start (465)
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "10"))  # seconds a request may wait
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "no-reply@localhost")
    MAIL_BACKEND = "smtp"
    # Where e-mails' links lead: the address users open the site at.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:8000")

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
    LOG_JSON = os.environ.get("LOG_JSON", "1")  # one JSON line per request
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
    # Jobs run when a test runs a worker (RQ's SimpleWorker, or work_once), never
    # on a thread of their own; the tests that use Redis set REDIS_URL themselves.
    REDIS_URL = ""
    JOBS_EMBEDDED_WORKER = False
    MAIL_SERVER = ""  # the e-mail tests start an SMTP server of their own
    PUBLIC_URL = "http://testserver.kz"


CONFIGS = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}


def config_from_env() -> type[Config]:
    return CONFIGS[os.environ.get("APP_ENV", "production")]
