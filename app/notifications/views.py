"""The inbox page of every role."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.auth import roles_required
from app.core.pagination import page_number
from app.core.urls import local_path
from app.core.vocabulary import Role
from app.extensions import db
from app.notifications import operations

bp = Blueprint("notifications", __name__, url_prefix="/notifications",
               template_folder="templates")
PER_PAGE = 30


@bp.get("/")
@roles_required(*Role)
def inbox():
    page = db.paginate(operations.inbox_query(current_user.id), page=page_number(),
                       per_page=PER_PAGE, error_out=False)
    return render_template("notifications/inbox.html", page=page,
                           notes=[operations.shown(note) for note in page.items],
                           unread=operations.unread_count(current_user.id))


@bp.post("/<int:notification_id>/open")
@roles_required(*Role)
def open_page(notification_id: int):
    """Mark read and go to the page the notification is about."""
    note = operations.mark_read(operations.own_or_404(current_user.id, notification_id))
    return redirect(local_path(note.link) or url_for("notifications.inbox"))


@bp.post("/<int:notification_id>/read")
@roles_required(*Role)
def mark_read(notification_id: int):
    operations.mark_read(operations.own_or_404(current_user.id, notification_id))
    return redirect(url_for("notifications.inbox"))


@bp.post("/read")
@roles_required(*Role)
def mark_all_read():
    marked = operations.mark_all_read(current_user.id)
    flash(_("Notifications marked read: %(count)s.", count=marked), "success")
    return redirect(url_for("notifications.inbox"))
