from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for
from flask_login import current_user

from app.core.audit_reading import readable
from app.core.auth import roles_required
from app.core.signals import officer_home
from app.core.vocabulary import Role
from app.home.operations import officer_dashboard

bp = Blueprint("home", __name__)

ROLE_HOME = {
    Role.ADMIN: "admin.index",
    Role.OFFICER: "home.officer",
    Role.EMPLOYER: "employers.home",
    Role.PROSECUTOR: "monitoring.index",
    Role.PARTNER: "partner.worklist",
}


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(ROLE_HOME[current_user.role]))


@bp.get("/healthz")
def healthz():
    from app.extensions import db

    db.session.execute(db.text("SELECT 1"))
    return {"status": "ok", "database": "ok"}


@bp.get("/readyz")
def readyz():
    """Ready for traffic: database, migrations at head, Redis (when used), a live worker
    (503 naming what is not)."""
    from app.home.status import readiness

    ready, checks = readiness()
    return {"status": "ready" if ready else "not ready", "checks": checks}, 200 if ready else 503


@bp.get("/metrics")
def metrics():
    """Prometheus' page, for the addresses or the token the settings allow (404 to
    anyone else: the page does not exist for them)."""
    from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

    from app.home.status import metrics_allowed, refresh_gauges

    if not metrics_allowed():
        abort(404)
    refresh_gauges()
    exporter = current_app.extensions["prometheus"]
    return Response(generate_latest(_registry(exporter)), mimetype=CONTENT_TYPE_LATEST)


def _registry(exporter):
    """All gunicorn workers' figures when PROMETHEUS_MULTIPROC_DIR is set."""
    import os

    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return exporter.registry
    from prometheus_client import CollectorRegistry, multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


@bp.get("/officer")
@roles_required(Role.OFFICER)
def officer():
    """The officer's home: today's rate against the target, what to act on."""
    board = officer_dashboard(current_user.institution_id)
    # Upper packages (release plans) do their daily upkeep and add their panels.
    panels = [panel for _receiver, panel in officer_home.send(
        current_app._get_current_object(), institution_id=current_user.institution_id,
        day=board.day) if panel]
    return render_template("home/officer.html", board=board, panels=panels,
                           employer_changes=readable(board.employer_changes))
