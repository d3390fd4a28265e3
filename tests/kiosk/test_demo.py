"""The demo's two kiosk sign-ins work as ``flask seed-demo`` prints them, every run."""

from app.demo import seed
from app.extensions import db
from app.institutions.models import Institution
from tests.demo_snapshot import seeded_demo


def test_the_demo_prints_two_kiosk_sign_ins_that_work(app):
    seeded_demo(total_inmates=240)
    kiosks = [login for login in seed(total_inmates=240) if login[0] == "kiosk"]
    db.session.commit()
    assert len(kiosks) == 2
    client = app.test_client()
    languages = []
    for _role, where, pin in kiosks:
        code, file_number = where.split(" ")
        institution = db.session.query(Institution).filter_by(code=code).one()
        assert institution.runs_kiosks
        signed_in = client.post("/api/kiosk/session", json={
            "institution_id": institution.id, "file_number": file_number, "pin": pin})
        assert signed_in.status_code == 201
        view = client.get("/api/kiosk/me").json
        assert view["file_number"] == file_number
        languages.append(view["language"])
        client.delete("/api/kiosk/session")
    assert languages == ["kk", "ru"]  # one of each, as the demo people chose
