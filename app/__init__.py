"""The Flask application factory: reads as the table of contents of the app."""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app.config import config_from_env, engine_options
from app.core.fields import MAX_ID
from app.core.i18n import install_library_messages
from app.core.numbers import install_local_numbers
from app.extensions import api, babel, csrf, db, limiter, login_manager, mail, migrate

# Before any schema is defined: marshmallow's messages in the user's language.
install_library_messages()
# Numbers typed as people in Kazakhstan write them ("6,5", "250 000 ₸") in every field.
install_local_numbers()


def create_app(config: type | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config or config_from_env())
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    app.url_map.converters["int"] = DatabaseIdConverter
    _init_extensions(app)
    _connect_receivers()
    _register_blueprints(app)

    from app.core.errors import register_error_handlers
    from app.core.headers import register_security_headers
    from app.core.input import register_input_checks
    from app.core.observability import register_observability
    from app.core.templating import register_template_helpers
    from app.core.transactions import register_request_transaction

    register_input_checks(app)
    register_observability(app)
    register_request_transaction(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_security_headers(app)
    from app.taxonomy.models import trade_label

    app.add_template_global(trade_label)  # engine results name trades by code

    from app.cli import register_cli

    register_cli(app)
    return app


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in URLs: a number past the largest database id matches no
    route (404) instead of overflowing the database driver."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _init_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every model registered before use)
    from app.auth.loaders import register_login_loaders
    from app.core.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path),
                                                      "migrations"))
    login_manager.init_app(app)
    register_login_loaders(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    api.init_app(app)
    mail.init_app(app)


def _connect_receivers() -> None:
    """The packages that follow up the signals of the packages below them
    (app/core/signals.py): the stack of packages runs one way."""
    import app.applications.receivers  # noqa: F401  (connected on import)
    import app.inmates.daily  # noqa: F401  (daily tasks, app/jobs/schedule.py)
    import app.mail_jobs  # noqa: F401  (the e-mail of notifications as a job)
    import app.pay.daily  # noqa: F401
    import app.pay.receivers  # noqa: F401  (connected on import)
    import app.placements.receivers  # noqa: F401
    import app.placements.reconcile  # noqa: F401  (the kept figures' daily check)
    import app.training.receivers  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from app.admin.views import bp as admin_pages
    from app.applications.api import blp as applications_api
    from app.applications.views import bp as applications_pages
    from app.auth.api import blp as auth_api
    from app.auth.views import bp as auth_pages
    from app.home.api import blp as home_api
    from app.home.views import bp as home_pages
    from app.inmates.api import blp as inmates_api
    from app.inmates.views import bp as inmates_pages
    from app.jobs import init_app as init_jobs
    from app.kiosk import init_app as init_kiosk
    from app.kiosk.api import blp as kiosk_api
    from app.kiosk.views import BLUEPRINTS as kiosk_pages
    from app.monitoring.api import blp as monitoring_api
    from app.monitoring.views import bp as monitoring_pages
    from app.notifications import init_app as init_notifications
    from app.notifications.api import blp as notifications_api
    from app.notifications.views import bp as notifications_pages
    from app.pay.api import blp as pay_api
    from app.pay.views import bp as pay_pages
    from app.placements.api import blp as placements_api
    from app.placements.views import bp as placements_pages
    from app.planner.api import blp as planner_api
    from app.planner.views import bp as planner_pages
    from app.reintegration import init_app as init_reintegration
    from app.reintegration.api import jobs_api, oversight_api, partner_api, plans_api
    from app.reintegration.views import BLUEPRINTS as reintegration_pages
    from app.training.api import blp as training_api
    from app.training.views import bp as training_pages
    from employers.api import blp as employers_api
    from employers.views import bp as employers_pages

    for pages in (home_pages, auth_pages, admin_pages, inmates_pages, training_pages,
                  placements_pages, monitoring_pages, employers_pages, planner_pages,
                  *reintegration_pages, pay_pages, notifications_pages, applications_pages,
                  *kiosk_pages):
        app.register_blueprint(pages)
    for json_api in (auth_api, home_api, inmates_api, training_api, placements_api, monitoring_api,
                     employers_api, planner_api, plans_api, partner_api, oversight_api, jobs_api,
                     pay_api, notifications_api, applications_api, kiosk_api):
        api.register_blueprint(json_api)
        # The API authenticates with bearer tokens; session writes are CSRF-checked
        # in auth/loaders.py instead.
        csrf.exempt(json_api)
    init_reintegration(app)
    init_jobs(app)
    init_notifications(app)
    init_kiosk(app)
