"""Review findings: partial re-import, unreadable CSV rows, the audit of trade
wishes and custody dates (R18), and record edits that would make a held
placement illegal (R2, R8...)."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.core.vocabulary import EmployerKind, EndReason, Regime, Site
from app.extensions import db
from app.inmates.models import Inmate, MedicalAssessment
from app.inmates.spreadsheets import INMATE_COLUMNS, REQUIRED
from app.placements.operations import end_placement
from tests import factories
from tests.inmates.helpers import TODAY, form_data, payload
from tests.inmates.test_spreadsheets import csv_file, upload


def _inmate(file_number: str) -> Inmate:
    db.session.expire_all()
    return db.session.scalar(sa.select(Inmate).where(Inmate.file_number == file_number))


def _audit(entity_type: str, entity_id: int) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.entity_type == entity_type, AuditEvent.entity_id == str(entity_id),
        AuditEvent.action == "update").order_by(AuditEvent.id)))


# --- 1. a partial re-import changes only the columns it has ---------------------------------

FULL = payload(file_number="P-1", disability_group=3, education="secondary",
               notes="welder before", release_date=(TODAY + timedelta(days=800)).isoformat())


def test_partial_reimport_keeps_the_other_fields(officer_api, world):
    assert upload(officer_api, csv_file([FULL])).status_code == 200
    before = _inmate("P-1")
    kept = {name: getattr(before, name) for name in (
        "release_date", "disability_group", "notes", "education", "fitness_review_date",
        "convicted_on", "conditions")}
    assessments = len(before.medical_assessments)
    partial = {name: FULL[name] for name in REQUIRED["inmates"]} | {"last_name": "Renamed"}
    response = upload(officer_api, csv_file([partial], columns=REQUIRED["inmates"]))
    assert response.status_code == 200 and response.json["to_update"] == 1
    after = _inmate("P-1")
    assert after.last_name == "Renamed"
    assert {name: getattr(after, name) for name in kept} == kept
    assert len(after.medical_assessments) == assessments  # fitness did not change


def test_blank_cell_in_a_present_column_clears_it(officer_api, world):
    upload(officer_api, csv_file([FULL]))
    columns = (*REQUIRED["inmates"], "notes")
    response = upload(officer_api, csv_file([FULL | {"notes": ""}], columns=columns))
    assert response.json["to_update"] == 1
    assert _inmate("P-1").notes == "" and _inmate("P-1").education == "secondary"


def test_partial_reimport_with_review_date_adds_an_assessment(officer_api, world):
    upload(officer_api, csv_file([FULL]))
    columns = (*REQUIRED["inmates"], "fitness_review_date")
    later = (TODAY + timedelta(days=300)).isoformat()
    upload(officer_api, csv_file([FULL | {"fitness_review_date": later}], columns=columns))
    inmate = _inmate("P-1")
    assert inmate.fitness_review_date.isoformat() == later
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MedicalAssessment)
                             .where(MedicalAssessment.inmate_id == inmate.id)) == 2


# --- 2. a CSV row the reader cannot parse is a problem, not a 500 ---------------------------

def test_oversized_csv_cell_is_a_row_problem(officer_api, officer_client, world):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(INMATE_COLUMNS))
    writer.writeheader()
    writer.writerow(payload(file_number="H-1"))
    writer.writerow(payload(file_number="H-2", notes="x" * (csv.field_size_limit() + 10)))
    content = out.getvalue().encode()
    response = upload(officer_api, content)
    assert response.status_code == 422
    assert [(p["row"], p["column"]) for p in response.json["problems"]] == [(3, "row")]
    assert "cannot be read" in response.json["problems"][0]["problem"]
    assert _inmate("H-1") is None
    page = officer_client.post("/inmates/import", data={
        "kind": "inmates", "file": (io.BytesIO(content), "big.csv")},
        content_type="multipart/form-data")
    assert page.status_code == 422


# --- 3. trade wishes and custody dates are audited (R18) ------------------------------------

def test_adding_and_removing_a_wish_is_audited(officer_api, world, trades):
    inmate = factories.inmate(world["institution"])
    trade = factories.trade("welder")
    assert officer_api.post(f"/api/inmates/{inmate.id}/wishes",
                            json={"trade_id": trade.id}).status_code == 204
    assert officer_api.delete(f"/api/inmates/{inmate.id}/wishes/{trade.id}").status_code == 204
    added, removed = [(e.before, e.after) for e in _audit("Inmate", inmate.id)]
    assert added == ({"trade_wishes": []}, {"trade_wishes": ["welder"]})
    assert removed == ({"trade_wishes": ["welder"]}, {"trade_wishes": []})
    assert {e.actor for e in _audit("Inmate", inmate.id)} == {world["officer"].email}


def test_moving_the_admission_date_audits_the_custody_period(officer_api, world):
    inmate = factories.inmate(world["institution"])
    period = inmate.custody_periods[0]
    old, new = inmate.admission_date, inmate.admission_date + timedelta(days=5)
    response = officer_api.patch(f"/api/inmates/{inmate.id}",
                                 json={"admission_date": new.isoformat()})
    assert response.status_code == 200
    [entry] = _audit("CustodyPeriod", period.id)
    assert (entry.before, entry.after) == ({"started_on": old.isoformat()},
                                           {"started_on": new.isoformat()})


# --- 4. an edit that would make a held placement illegal is refused -------------------------

@pytest.fixture
def outside_worker(world):
    inmate = factories.inmate(world["institution"], regime=Regime.MINIMUM)
    employer = factories.employer(EmployerKind.STATE_ENTERPRISE)
    vacancy = factories.vacancy(employer, world["institution"], site=Site.OUTSIDE)
    return inmate, factories.placement(inmate, vacancy)


def test_r8_regime_change_with_an_outside_placement_is_409(officer_api, outside_worker):
    inmate, placement = outside_worker
    response = officer_api.patch(f"/api/inmates/{inmate.id}", json={"regime": "maximum"})
    assert response.status_code == 409
    message = response.json["errors"]["regime"][0]
    assert message.startswith("R8:") and f"#{placement.id}" not in message
    assert f"{placement.vacancy.title} · {placement.vacancy.employer.name}" in message
    assert "end the placement first" in message
    assert _inmate(inmate.file_number).regime == Regime.MINIMUM
    # an edit the placement does not care about is still accepted
    assert officer_api.patch(f"/api/inmates/{inmate.id}",
                             json={"last_name": "Other"}).status_code == 200


def test_r2_remand_with_a_placement_is_409(officer_api, outside_worker):
    inmate, placement = outside_worker
    response = officer_api.patch(f"/api/inmates/{inmate.id}",
                                 json={"legal_status": "remand", "convicted_on": None})
    assert response.status_code == 409
    assert response.json["errors"]["legal_status"][0].startswith("R2:")
    assert _inmate(inmate.file_number).legal_status.value == "convicted"


def test_regime_change_allowed_once_the_placement_ended(officer_api, outside_worker):
    inmate, placement = outside_worker
    end_placement(placement, EndReason.COMPLETED, TODAY - timedelta(days=1))
    db.session.commit()
    response = officer_api.patch(f"/api/inmates/{inmate.id}", json={"regime": "maximum"})
    assert response.status_code == 200


def test_page_edit_shows_the_refusal(officer_client, outside_worker):
    inmate, placement = outside_worker
    data = form_data(file_number=inmate.file_number, last_name=inmate.last_name,
                     first_name=inmate.first_name, birth_date=inmate.birth_date.isoformat(),
                     admission_date=inmate.admission_date.isoformat(),
                     convicted_on=inmate.convicted_on.isoformat(), regime="maximum")
    response = officer_client.post(f"/inmates/{inmate.id}/edit", data=data)
    assert response.status_code == 422
    assert placement.vacancy.title in response.get_data(as_text=True)
    assert _inmate(inmate.file_number).regime == Regime.MINIMUM


def test_import_row_that_breaks_a_placement_is_a_problem(officer_api, outside_worker):
    inmate, placement = outside_worker
    row = payload(file_number=inmate.file_number, birth_date=inmate.birth_date.isoformat(),
                  admission_date=inmate.admission_date.isoformat(),
                  convicted_on=inmate.convicted_on.isoformat(), regime="maximum")
    response = upload(officer_api, csv_file([row], columns=REQUIRED["inmates"]),
                      dry_run="true")
    assert response.status_code == 422
    [problem] = response.json["problems"]
    assert problem["column"] == "regime" and problem["problem"].startswith("R8:")
    assert _inmate(inmate.file_number).regime == Regime.MINIMUM


@pytest.mark.parametrize("change", [
    lambda inmate: {"birth_date": (inmate.birth_date - timedelta(days=1)).isoformat()},
    lambda inmate: {"release_date": (TODAY + timedelta(days=400)).isoformat()},
    lambda inmate: {"regime": "minimum"},
])
def test_an_edit_the_placement_allows_is_accepted(officer_api, officer_client, outside_worker,
                                                  change):
    """Birth date, release date or regime changed in a way the current placement
    allows: the engine fields change, no rule newly breaks, the edit is saved (it
    answered 500: an empty list of broken rules reached the refusal)."""
    inmate, _placement = outside_worker
    values = change(inmate)
    response = officer_api.patch(f"/api/inmates/{inmate.id}", json=values)
    assert response.status_code == 200, response.json
    page = officer_client.post(f"/inmates/{inmate.id}/edit", data=form_data(**{
        "file_number": inmate.file_number, "last_name": inmate.last_name,
        "first_name": inmate.first_name, "birth_date": inmate.birth_date.isoformat(),
        "admission_date": inmate.admission_date.isoformat(),
        "convicted_on": inmate.convicted_on.isoformat(), "regime": "minimum", **values}))
    assert page.status_code in (200, 302)
