"""The kiosk API (``/api/kiosk``): a kiosk's sign-in with a personal file number and
PIN (a session cookie, never a bearer token), the signed-in person's own view and
requests, and the officer's PIN and printed statement's content.

The person's operations answer 401 without a kiosk session and 403 to a staff
caller; while a kiosk session lasts, every other URL of the API answers 403
(app/kiosk/guard.py)."""

from typing import Any

from flask import abort, session
from flask_login import current_user

from app.core.api import Blueprint, document_throttled
from app.core.auth import READERS, get_in_scope_or_404, may_change_institution, roles_required
from app.core.vocabulary import Role
from app.inmates.models import Inmate
from app.kiosk import guard
from app.kiosk import operations as ops
from app.kiosk.guard import current_person, person_only
from app.kiosk.schemas import (
    ApplyArgs,
    KioskApplicationSchema,
    LanguageSchema,
    PersonViewSchema,
    PinSchema,
    SessionSchema,
    SignInSchema,
    WithdrawalRequestSchema,
)
from app.kiosk.throttling import kiosk_throttled
from app.kiosk.view import applications, person_view

blp = Blueprint("kiosk_api", __name__, url_prefix="/api/kiosk",
                description="The person's own view at a kiosk, and the officer's kiosk PINs "
                            "and printed statement (issue 23)")


@blp.post("/session")
@document_throttled
@kiosk_throttled
@blp.arguments(SignInSchema)
@blp.response(201, SessionSchema)
@blp.alt_response(401, description="Wrong file number or PIN, the PIN locked, or no "
                                   "kiosks at the institution")
@blp.doc(security=[])
def start_session(body: dict[str, Any]):
    """Sign in at a kiosk: the session cookie of the answer is the person's kiosk
    session (any staff login of the browser ends). Five wrong PINs in a row lock the
    PIN until the officer issues a new one; attempts per address are throttled."""
    record = ops.sign_in(body["institution_id"], body["file_number"], body["pin"])
    if record is None:
        abort(401, description=ops.refusal_message())
    guard.start_session(record)
    return {"inmate_id": record.inmate_id, "language": ops.language_of(record.inmate)}


@blp.delete("/session")
@blp.response(204)
@blp.doc(security=[])
def end_session():
    """Sign out of the kiosk."""
    guard.end_session()


@blp.get("/me")
@person_only
@blp.response(200, PersonViewSchema)
def me():
    """Everything the signed-in person may see of themselves (and nobody else)."""
    return person_view(current_person())


@blp.put("/me/language")
@person_only
@blp.arguments(LanguageSchema)
@blp.response(204)
def choose_language(body: dict[str, Any]):
    """The language the person reads the kiosk, the statement and answers in."""
    ops.choose_language(current_person(), body["language"])
    session["language"] = body["language"]


@blp.post("/me/consents/<int:consent_id>/withdrawal-request")
@person_only
@blp.response(201, WithdrawalRequestSchema)
def ask_to_withdraw(consent_id: int):
    """Ask to withdraw one of one's consents (R5, R21): recorded and shown to the
    officer, who confirms the withdrawal in writing; the consent stays in force until
    then. 422 for a consent not the person's; 409 if already withdrawn or asked."""
    return ops.ask_to_withdraw(current_person(), consent_id)


@blp.post("/me/applications")
@person_only
@blp.arguments(ApplyArgs)
@blp.response(201, KioskApplicationSchema)
def apply(body: dict[str, Any]):
    """Apply for a vacancy, a trade or a course of one's institution (R31), received
    today at the kiosk. 422 for a target closed or elsewhere; 409 for one already
    asked for and still open."""
    person = current_person()
    application = ops.apply_at_kiosk(person, body["kind"], body["target_id"])
    return next(a for a in applications(person) if a["id"] == application.id)


@blp.post("/me/applications/<int:application_id>/withdrawal")
@person_only
@blp.response(200, KioskApplicationSchema)
def withdraw_application(application_id: int):
    """Withdraw one of one's own open applications. 422 for an application not the
    person's; 409 for one already answered for good (accepted, withdrawn, closed)."""
    person = current_person()
    ops.withdraw_own(person, application_id)
    return next(a for a in applications(person) if a["id"] == application_id)


# --- the officer ------------------------------------------------------------------------

def _inmate(inmate_id: int, change: bool = False) -> Inmate:
    inmate = get_in_scope_or_404(Inmate, inmate_id)
    if change and not may_change_institution(inmate.institution_id):
        abort(403)
    return inmate


@blp.post("/inmates/<int:inmate_id>/pin")
@roles_required(Role.OFFICER)
@blp.response(201, PinSchema)
def issue_pin(inmate_id: int):
    """Issue (or reset) the person's kiosk PIN: answered this once, stored as a hash;
    unlocks a locked PIN and ends the person's kiosk sessions."""
    return {"pin": ops.issue_pin(_inmate(inmate_id, change=True), current_user.id)}


@blp.delete("/inmates/<int:inmate_id>/pin")
@roles_required(Role.OFFICER)
@blp.response(204)
def lock_pin(inmate_id: int):
    """Lock the person's PIN (409 without one) until a new one is issued."""
    ops.revoke_pin(_inmate(inmate_id, change=True))


@blp.get("/inmates/<int:inmate_id>/statement")
@roles_required(*READERS)
@blp.response(200, PersonViewSchema)
def statement(inmate_id: int):
    """The content of the person's printed statement (what their kiosk shows)."""
    return person_view(_inmate(inmate_id))


@blp.get("/requests")
@roles_required(Role.OFFICER)
@blp.response(200, WithdrawalRequestSchema(many=True))
def open_requests():
    """The open requests to withdraw a consent at the officer's institution."""
    return ops.open_requests(current_user.institution_id)
