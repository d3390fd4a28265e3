"""The demo's kiosk: AK-159/20 Dolinka runs kiosks, and two invented people there have
known PINs (printed by ``flask seed-demo`` with the logins): one at paid work with
payslips, reading Kazakh; one with a release plan, reading Russian."""

import sqlalchemy as sa

from app.core.security import check_password
from app.core.vocabulary import CustodyStatus
from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.kiosk import operations as ops
from app.pay.models import Payslip
from app.reintegration.models import ReleasePlan

KIOSK_INSTITUTION = "AK-159/20"
DEMO_PINS = ("240517", "731902")


def seed_kiosk() -> list[tuple[str, str, str]]:
    """Idempotent; the kiosk sign-ins as (role, "institution file number", PIN)."""
    institution = db.session.scalar(sa.select(Institution).where(
        Institution.code == KIOSK_INSTITUTION))
    if institution is None:
        return []
    institution.runs_kiosks = True
    people = _demo_people(institution.id)
    logins = []
    for (person, language), pin in zip(people, DEMO_PINS, strict=False):
        record = ops.pin_of(person.id)
        if record is None or record.locked or not check_password(record.pin_hash, pin):
            ops.set_pin(person, pin, None)
        person.language = language
        logins.append(("kiosk", f"{institution.code} {person.file_number}", pin))
    db.session.flush()
    return logins


def _demo_people(institution_id: int) -> list[tuple[Inmate, str]]:
    """The first held person with payslips, and the first other one with a release plan
    (the same two on every run)."""
    held = sa.select(Inmate).where(Inmate.institution_id == institution_id,
                                   Inmate.status == CustodyStatus.HELD).order_by(Inmate.id)
    paid = db.session.scalar(held.where(
        sa.exists().where(Payslip.inmate_id == Inmate.id)))
    planned = db.session.scalar(held.where(
        sa.exists().where(ReleasePlan.inmate_id == Inmate.id),
        Inmate.id != (paid.id if paid else 0)))
    return [(person, language) for person, language in ((paid, "kk"), (planned, "ru"))
            if person is not None]
