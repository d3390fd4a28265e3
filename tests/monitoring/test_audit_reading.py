"""The audit trail reads as a table of named records and labelled changes: the
inmate, vacancy and user by name, days in the user's language, moments in
Kazakhstan's time (Asia/Almaty), never "Inmate #12"."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_datetime

from app.core.audit import AuditEvent
from app.extensions import db
from app.placements.models import Placement


def _audit_of(placement: Placement) -> AuditEvent:
    return db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "Placement", AuditEvent.entity_id == str(placement.id)))


def test_audit_page_names_the_record_and_what_its_keys_point_at(world, clean,
                                                                prosecutor_client):
    placement = clean(inmate={"last_name": "Invented"})
    entry = _audit_of(placement)
    entry.occurred_at = datetime(2026, 3, 1, 20, 30)  # UTC: 01:30 on 2 March in Almaty
    db.session.commit()
    html = prosecutor_client.get(
        f"/monitoring/audit?entity_type=Placement&entity_id={placement.id}").get_data(as_text=True)
    inmate, vacancy = placement.inmate, placement.vacancy
    assert f"Placement: {inmate.full_name} · {vacancy.title}" in html
    assert f"<b>Inmate</b>: {inmate.full_name}" in html  # inmate_id named
    assert f"<b>Vacancy</b>: {vacancy.title}" in html  # vacancy_id named
    assert f"#{placement.id}<" not in html and f"#{inmate.id}<" not in html
    almaty = format_datetime(entry.occurred_at.replace(tzinfo=UTC), "short",
                             tzinfo=ZoneInfo("Asia/Almaty"), locale="en")
    assert almaty.startswith("3/2/26") and almaty in html and "20:30" not in html
    assert placement.start_date.isoformat() not in html.split("<tbody>")[1]  # a day, not ISO


def test_audit_names_the_user_who_changed_and_reads_in_russian(world, clean, officer_client):
    placement = clean()
    entry = _audit_of(placement)
    entry.actor_id, entry.actor = world["officer"].id, world["officer"].email
    db.session.commit()
    officer_client.post("/language/ru")
    html = officer_client.get("/monitoring/audit").get_data(as_text=True)
    assert f"{world['officer'].full_name} ({world['officer'].email})" in html
    assert f"{placement.inmate.full_name} · {placement.vacancy.title}" in html
    assert "Дата начала" in html  # the field's label in Russian


def test_a_deleted_record_is_named_by_its_last_values(world, clean, prosecutor_client):
    placement = clean()
    name, placement_id = placement.inmate.full_name, placement.id
    db.session.add(AuditEvent(actor="system", institution_id=placement.institution_id,
                              entity_type="Placement", entity_id="999999", action="delete",
                              before={"inmate_id": placement.inmate_id}, after=None))
    db.session.commit()
    html = prosecutor_client.get(
        "/monitoring/audit?entity_type=Placement&entity_id=999999").get_data(as_text=True)
    assert f"Placement: {name}" in html and f"#{placement_id}" not in html
