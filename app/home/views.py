from flask import Blueprint, current_app, redirect, render_template, url_for
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
