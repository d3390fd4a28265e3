from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from app.core.auth import roles_required
from app.core.vocabulary import Role
from app.home.operations import changed_fields, officer_dashboard

bp = Blueprint("home", __name__)

ROLE_HOME = {
    Role.ADMIN: "admin.index",
    Role.OFFICER: "home.officer",
    Role.EMPLOYER: "employers.home",
    Role.PROSECUTOR: "monitoring.index",
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


@bp.get("/officer")
@roles_required(Role.OFFICER)
def officer():
    """The officer's home: today's rate against the target, what to act on."""
    board = officer_dashboard(current_user.institution_id)
    return render_template("home/officer.html", board=board, changed_fields=changed_fields)
