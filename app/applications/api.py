"""The applications JSON API (R31): the same operations and rules as the pages.
Officers record and act for their institution; prosecutors and administrators read
(prosecutors their region's); employers and partners are refused (403); another
institution's application is absent (404)."""

from typing import Any

from flask_login import current_user

from app.applications import operations as ops
from app.applications import oversight, waiting
from app.applications.models import Application
from app.applications.schemas import (
    ApplicationFilterSchema,
    ApplicationInSchema,
    ApplicationMonthSchema,
    ApplicationSchema,
    ApplicationYearArgs,
    ReasonInSchema,
    WaitingListArgs,
    WaitingPlaceSchema,
)
from app.core.api import Blueprint
from app.core.auth import READERS, get_in_scope_or_404, roles_required, scoped
from app.core.scans import ScanInSchema, takes_scans
from app.core.vocabulary import Role
from app.extensions import db
from app.inmates.models import Inmate
from app.training.models import Course
from app.vacancies.models import Vacancy

blp = Blueprint("applications_api", __name__, url_prefix="/api/applications",
                description="Applications for work and courses (R31), their answers and "
                            "waiting lists")
takes_scans("applications_api.attach_scan")

MAX_LISTED = 1000


@blp.get("")
@roles_required(*READERS)
@blp.arguments(ApplicationFilterSchema, location="query")
@blp.response(200, ApplicationSchema(many=True))
def list_applications(args: dict[str, Any]):
    """Applications in the caller's scope, latest received first (at most 1,000)."""
    query = scoped(Application)
    for name in ("inmate_id", "state", "kind"):
        if args[name] is not None:
            query = query.where(getattr(Application, name) == args[name])
    query = query.order_by(Application.received_on.desc(), Application.id.desc())
    return db.session.scalars(query.limit(MAX_LISTED)).all()


@blp.post("")
@roles_required(Role.OFFICER)
@blp.arguments(ApplicationInSchema)
@blp.response(201, ApplicationSchema)
def record_application(values: dict[str, Any]):
    """Record a written application (the scan is attached on the inmate's page)."""
    inmate = get_in_scope_or_404(Inmate, values["inmate_id"])
    return ops.apply(inmate, kind=values["kind"], target_id=values["target_id"],
                     received_on=values["received_on"], channel="paper",
                     user_id=current_user.id)


@blp.get("/<int:application_id>")
@roles_required(*READERS)
@blp.response(200, ApplicationSchema)
def get_application(application_id: int):
    return get_in_scope_or_404(Application, application_id)


def _act(application_id: int, action: Any, *args: Any) -> Application:
    application = get_in_scope_or_404(Application, application_id)
    action(application, *args)
    return application


@blp.post("/<int:application_id>/scan")
@roles_required(Role.OFFICER)
@blp.arguments(ScanInSchema, location="files")
@blp.response(200, ApplicationSchema)
def attach_scan(files: dict[str, Any], application_id: int):
    """Attach (or replace) the scan of a written application; 422 on ``scan`` for
    anything but a PDF, JPEG or PNG."""
    return _act(application_id, ops.attach_scan, files["scan"])


@blp.post("/<int:application_id>/withdraw")
@roles_required(Role.OFFICER)
@blp.arguments(ReasonInSchema)
@blp.response(200, ApplicationSchema)
def withdraw(values: dict[str, Any], application_id: int):
    """The person withdraws it (their words, if any); 409 when it is no longer open."""
    return _act(application_id, ops.withdraw, values["reason"])


@blp.post("/<int:application_id>/decline")
@roles_required(Role.OFFICER)
@blp.arguments(ReasonInSchema)
@blp.response(200, ApplicationSchema)
def decline(values: dict[str, Any], application_id: int):
    """The person declines the offer, in their words (required); never held against
    them. 409 when nothing is offered."""
    return _act(application_id, ops.decline, values["reason"])


@blp.post("/<int:application_id>/accept")
@roles_required(Role.OFFICER)
@blp.response(200, ApplicationSchema)
def accept(application_id: int):
    """The person accepts the offer. 409 when nothing is offered."""
    return _act(application_id, ops.accept_offer)


@blp.get("/waiting-list")
@roles_required(*READERS)
@blp.arguments(WaitingListArgs, location="query")
@blp.response(200, WaitingPlaceSchema(many=True))
def waiting_list(args: dict[str, Any]):
    """A course's or vacancy's waiting list today, in the engine's order (404 outside
    the caller's scope)."""
    kind, _colon, target_id = args["target"].partition(":")
    target = get_in_scope_or_404(Vacancy if kind == "vacancy" else Course, int(target_id))
    return waiting.waiting_list(target)


@blp.get("/oversight")
@roles_required(Role.PROSECUTOR, Role.ADMIN)
@blp.arguments(ApplicationYearArgs, location="query")
@blp.response(200, ApplicationMonthSchema(many=True))
def oversight_by_month(args: dict[str, Any]):
    """By institution and month received: received, answered within the year's answer
    days, offered, declined (the prosecutor's region or the whole country)."""
    return oversight.by_institution_and_month(args["year"], current_user)

