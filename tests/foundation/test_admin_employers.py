"""Administrators approve or refuse businesses that registered themselves."""

from app.core.vocabulary import EmployerKind, EmployerStatus, Role
from app.extensions import db
from app.notifications.models import Notification
from app.vacancies.models import Employer
from tests import factories
from tests.factories import PASSWORD


def _pending_business():
    business = factories.employer(status=EmployerStatus.PENDING)
    owner = factories.user(Role.EMPLOYER, employer_id=business.id)
    return business, owner


def _can_log_in(client, user) -> bool:
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    return response.status_code == 302


def test_approval_opens_the_account_and_notifies(app, admin_client, client):
    business, owner = _pending_business()
    assert not _can_log_in(client, owner)
    response = admin_client.post(f"/admin/employers/{business.id}", data={"decision": "approve"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Employer, business.id).status == EmployerStatus.APPROVED
    notes = db.session.scalars(db.select(Notification).where(
        Notification.user_id == owner.id)).all()
    assert [note.kind for note in notes] == ["business_approved"]
    assert _can_log_in(client, owner)


def test_refusal_needs_a_reason(app, admin_client):
    business, _ = _pending_business()
    response = admin_client.post(f"/admin/employers/{business.id}",
                                 data={"decision": "refuse", "reason": ""})
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Employer, business.id).status == EmployerStatus.PENDING
    response = admin_client.post(f"/admin/employers/{business.id}",
                                 data={"decision": "refuse", "reason": "BIN belongs to another"})
    assert response.status_code == 302
    db.session.expire_all()
    refused = db.session.get(Employer, business.id)
    assert (refused.status, refused.refusal_reason) == (EmployerStatus.REFUSED,
                                                        "BIN belongs to another")


def test_admin_creates_state_enterprise_with_checked_bin(app, admin_client):
    data = {"kind": "state_enterprise", "name": "RSE Enbek", "bin_iin": "900401500011",
            "institution_id": 0}
    refused = admin_client.post("/admin/employers/new", data=data)
    assert refused.status_code == 422
    assert b"wrong check digit" in refused.data
    data["bin_iin"] = "900401500010"
    assert admin_client.post("/admin/employers/new", data=data).status_code == 302
    created = db.session.scalar(db.select(Employer).where(Employer.name == "RSE Enbek"))
    assert created.kind == EmployerKind.STATE_ENTERPRISE and created.is_approved


def test_only_admins_decide(app, officer_client):
    business, _ = _pending_business()
    response = officer_client.post(f"/admin/employers/{business.id}", data={"decision": "approve"})
    assert response.status_code == 403
