"""The scans of the signed papers behind a consent (R2, R4, R5, R21) and a medical
assessment (R3), where the record held only a reference number: what a scan may be is
app/core/scans.py's; they are kept in the database (``PaperScan``), never as a file
anyone could reach, and read only through ``download``.

Who reads them (R16): a consent's paper, whoever reads the consent itself (the
institution's officers, the prosecutors of its region or the whole country,
administrators); a medical paper holds health details, so only the institution's
officers and the prosecutors, as the restricted flag of R29 (app/inmates/rules.py).
Employers and partners never (R16, R21: a partner sees neither health nor the papers);
officers of another institution and prosecutors of another region find no such person
(404). Every read is written to the audit trail (a "view" entry, as the flag's), so the
prosecutors see who opened which paper.

Functions add and flush; the caller commits once.
"""

from typing import Any

import sqlalchemy as sa
from flask import Response, abort

from app.core import scans
from app.core.audit import record_view
from app.core.scans import Scan
from app.core.vocabulary import Role
from app.extensions import db
from app.inmates.models import Consent, MedicalAssessment, PaperScan
from app.inmates.operations import child_or_404

CONSENT_PAPER_READERS = (Role.OFFICER, Role.PROSECUTOR, Role.ADMIN)
MEDICAL_PAPER_READERS = (Role.OFFICER, Role.PROSECUTOR)  # never administrators

Paper = Consent | MedicalAssessment


def attach(record: Paper, scan: Scan | None, user_id: int | None = None) -> PaperScan | None:
    """Keep ``scan`` as ``record``'s paper (none: nothing to keep), replacing the one
    held (the audit keeps what was replaced, without its bytes); 422 on ``scan`` for a
    file too large or not a PDF, JPEG or PNG, nothing kept."""
    if scans.check("scan", scan) is None:
        return None
    stored = record.scan or _new_for(record)
    stored.keep(scan, user_id)
    db.session.add(stored)
    db.session.flush()
    db.session.expire(record, ["scan"])  # a view-only relationship: read it again
    return stored


def _new_for(record: Paper) -> PaperScan:
    if isinstance(record, Consent):
        return PaperScan(inmate_id=record.inmate_id, consent_id=record.id)
    return PaperScan(inmate_id=record.inmate_id, assessment_id=record.id)


def download(records: list[Paper], record_id: int) -> Response:
    """The paper of the record ``record_id`` among ``records`` (a person's consents or
    assessments, found in the reader's scope), for a reader whose role may read it
    (the route's roles); the read audited. 404 when no such record or no scan."""
    stored = child_or_404(records, record_id).scan
    if stored is None:
        abort(404)
    _audit_read(stored)
    return stored.download()


def _audit_read(stored: PaperScan) -> None:
    record_view(type(stored).__name__, stored.id, stored.audit_institution_id,
                {"inmate_id": stored.inmate_id, "consent_id": stored.consent_id,
                 "assessment_id": stored.assessment_id})


def scanned(records: list[Any]) -> set[int]:
    """The ids of ``records`` (consents or assessments) that have their paper's scan,
    in one query (a profile lists many)."""
    if not records:
        return set()
    column = (PaperScan.consent_id if isinstance(records[0], Consent)
              else PaperScan.assessment_id)
    return set(db.session.scalars(sa.select(column).where(
        column.in_([r.id for r in records]))))
