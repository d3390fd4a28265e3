import sqlalchemy as sa
from app.demo import seed
from app.extensions import db
from app.institutions.models import Institution
from app.inmates.models import Inmate
from app.placements import operations


def test_probe(app):
    seed(total_inmates=240); db.session.commit()
    inst = db.session.scalar(sa.select(Institution).where(Institution.code == "AK-159/20"))
    run = operations.start_run(inst, None)
    for p in run.result["proposals"]:
        i = db.session.get(Inmate, int(p["inmate_id"]))
        print(i.file_number, i.legal_status, i.fitness, i.fitness_review_date, i.disability_group, i.pregnant, i.birth_date)
