"""Kiosk PINs (issue, check, lock), the person's language and their requests to
withdraw a consent. The person's own view is in ``view.py``."""

import secrets
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.applications import operations as applications
from app.applications.models import Application, ApplicationChannel, ApplicationKind
from app.core.audit import current_actor
from app.core.errors import Conflict, RuleViolation
from app.core.models import utcnow
from app.core.security import check_password, hash_password, spend_password_check
from app.core.transactions import after_refusal
from app.core.vocabulary import CustodyStatus
from app.extensions import db
from app.inmates.models import Consent, Inmate
from app.institutions.models import Institution
from app.kiosk.models import ConsentWithdrawalRequest, KioskPin

PIN_DIGITS = 6
# Wrong PINs in a row that lock the PIN until the officer issues a new one.
MAX_FAILURES = 5
# The languages a person may choose for what is written to them; the first is the
# default until they choose.
PERSON_LANGUAGES = ("ru", "kk")


# --- PINs ---------------------------------------------------------------------------------

def pin_of(inmate_id: int) -> KioskPin | None:
    return db.session.scalar(sa.select(KioskPin).where(KioskPin.inmate_id == inmate_id))


def issue_pin(inmate: Inmate, user_id: int | None) -> str:
    """A new PIN for ``inmate`` (a first one or a reset): returned once to be handed
    over, stored only as its hash. It unlocks a locked PIN and ends the person's kiosk
    sessions."""
    pin = "".join(secrets.choice("0123456789") for _digit in range(PIN_DIGITS))
    set_pin(inmate, pin, user_id)
    return pin


def set_pin(inmate: Inmate, pin: str, user_id: int | None) -> KioskPin:
    """Store ``pin`` for ``inmate`` (the demo's known PINs; otherwise :func:`issue_pin`)."""
    if inmate.status != CustodyStatus.HELD:
        raise RuleViolation("inmate", _("a PIN is issued only to a person held here"))
    record = pin_of(inmate.id) or KioskPin(inmate_id=inmate.id, session_version=0)
    record.pin_hash = hash_password(pin)
    record.issued_at, record.issued_by_id = utcnow(), user_id
    record.failures, record.locked_at = 0, None
    record.session_version = (record.session_version or 0) + 1
    db.session.add(record)
    db.session.flush()
    return record


def revoke_pin(inmate: Inmate) -> None:
    """The person cannot sign in until a new PIN is issued."""
    record = pin_of(inmate.id)
    if record is None:
        raise Conflict("inmate", _("this person has no kiosk PIN"))
    _lock(record)
    db.session.flush()


def _lock(record: KioskPin) -> None:
    record.locked_at = utcnow()
    record.session_version += 1  # a session under way ends too


def kiosk_institutions() -> list[Institution]:
    return list(db.session.scalars(sa.select(Institution).where(Institution.runs_kiosks)
                                   .order_by(Institution.code)))


def _kiosk_person(institution_id: int, file_number: str) -> Inmate | None:
    """The person held at a kiosk-running institution under this file number."""
    return db.session.scalar(
        sa.select(Inmate).join(Institution, Institution.id == Inmate.institution_id)
        .where(Inmate.institution_id == institution_id, Institution.runs_kiosks,
               Inmate.file_number == file_number.strip(),
               Inmate.status == CustodyStatus.HELD))


def sign_in(institution_id: int, file_number: str, pin: str) -> KioskPin | None:
    """The PIN record of the person these are, or None, never saying which part was
    wrong. One argon2 check whatever the outcome (timing tells no one which file
    numbers exist). A wrong PIN counts towards the lock even though the request is
    refused (``after_refusal``); a right one clears the count."""
    person = _kiosk_person(institution_id, file_number)
    record = pin_of(person.id) if person is not None else None
    if record is None or record.locked:
        spend_password_check(pin)
        return None
    if not check_password(record.pin_hash, pin):
        after_refusal(lambda record_id=record.id: _count_failure(record_id))
        return None
    record.failures, record.last_used_at = 0, utcnow()
    return record


def refusal_message() -> str:
    """The one answer to a refused sign-in, whatever was wrong."""
    return _("Wrong file number or PIN, or the PIN is locked: ask your officer for a new "
             "one.")


def _count_failure(record_id: int) -> None:
    record = db.session.get(KioskPin, record_id)
    record.failures += 1
    if record.failures >= MAX_FAILURES:
        _lock(record)
    db.session.flush()


def session_valid(record: KioskPin | None, version: int) -> bool:
    """Whether a kiosk session of ``version`` for this PIN may go on: the PIN not
    reissued or locked, the person still held where kiosks run."""
    if record is None or record.locked or record.session_version != version:
        return False
    person = record.inmate
    return person.status == CustodyStatus.HELD and person.institution.runs_kiosks


# --- the person's language ---------------------------------------------------------------

def language_of(inmate: Inmate) -> str:
    return inmate.language if inmate.language in PERSON_LANGUAGES else PERSON_LANGUAGES[0]


def choose_language(inmate: Inmate, language: str) -> None:
    if language not in PERSON_LANGUAGES:
        raise RuleViolation("language", _("must be Kazakh (kk) or Russian (ru)"))
    inmate.language = language
    db.session.flush()


# --- the person's applications (R31) -------------------------------------------------------

def apply_at_kiosk(inmate: Inmate, kind: str, target_id: int) -> Application:
    """The person applies at the kiosk (received today, channel ``kiosk``)."""
    if kind not in {k.value for k in ApplicationKind}:
        raise RuleViolation("kind", _("must be a vacancy, a trade or a course"))
    return applications.apply(inmate, kind=kind, target_id=target_id,
                              channel=ApplicationChannel.KIOSK)


def withdraw_own(inmate: Inmate, application_id: int) -> Application:
    """The person withdraws one of their own open applications."""
    application = db.session.get(Application, application_id)
    if application is None or application.inmate_id != inmate.id:
        raise RuleViolation("application_id", _("no such application of yours"))
    return applications.withdraw(application)


# --- requests to withdraw a consent (R5, R21) ---------------------------------------------

def open_request(consent_id: int) -> ConsentWithdrawalRequest | None:
    return db.session.scalar(sa.select(ConsentWithdrawalRequest).where(
        ConsentWithdrawalRequest.consent_id == consent_id,
        ConsentWithdrawalRequest.closed_at.is_(None)))


def ask_to_withdraw(inmate: Inmate, consent_id: int) -> ConsentWithdrawalRequest:
    """Record the person's request; the consent stays in force until the officer
    confirms the withdrawal in writing."""
    consent = db.session.get(Consent, consent_id)
    if consent is None or consent.inmate_id != inmate.id:
        raise RuleViolation("consent_id", _("no such consent of yours"))
    if consent.withdrawn_on is not None:
        raise Conflict("consent_id", _("this consent has already been withdrawn"))
    if open_request(consent.id) is not None:
        raise Conflict("consent_id", _("you have already asked to withdraw this consent"))
    request = ConsentWithdrawalRequest(consent_id=consent.id, inmate_id=inmate.id)
    db.session.add(request)
    db.session.flush()
    return request


def open_requests(institution_id: int, inmate_id: int | None = None
                  ) -> list[ConsentWithdrawalRequest]:
    query = (sa.select(ConsentWithdrawalRequest)
             .join(Inmate, Inmate.id == ConsentWithdrawalRequest.inmate_id)
             .where(Inmate.institution_id == institution_id,
                    ConsentWithdrawalRequest.closed_at.is_(None))
             .order_by(ConsentWithdrawalRequest.requested_at))
    if inmate_id is not None:
        query = query.where(ConsentWithdrawalRequest.inmate_id == inmate_id)
    return list(db.session.scalars(query))


def close_request(request: ConsentWithdrawalRequest, outcome: str, note: str,
                  user_id: int | None, at: datetime | None = None) -> None:
    """The officer's answer: ``withdrawn`` (recorded on the consent in writing) or
    ``kept`` (the person changed their mind, with a note)."""
    if request.closed_at is not None:
        raise Conflict("request", _("this request has already been answered"))
    if outcome == "kept" and not note.strip():
        raise RuleViolation("note", _("say why the consent stays in force"))
    request.outcome, request.note = outcome, note.strip()[:300]
    request.closed_at, request.closed_by_id = at or utcnow(), user_id
    db.session.flush()


def close_on_withdrawal(consent: Consent, on: date, **_: object) -> list:
    """A consent withdrawn in writing answers the person's open request for it
    (``consent_withdrawn`` receiver; it ends no placement itself)."""
    request = open_request(consent.id)
    if request is not None:
        close_request(request, "withdrawn", "", current_actor()[0])
    return []
