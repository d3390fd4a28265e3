"""The demo's people are named as Kazakhstan's records name them, in Cyrillic: a Latin
transliteration ("Akhmetova Aigerim Serikovich") reads wrong on Russian and Kazakh
pages, and a woman's surname and patronymic take their feminine forms; its places,
businesses, jobs and courses are named in Russian too."""

import re

import sqlalchemy as sa

from app.core.vocabulary import Sex
from app.extensions import db
from app.inmates.models import Certificate, Inmate
from app.institutions.models import Institution, Region
from app.reintegration.models import OutsideJob, PartnerOrganisation, ReleasePlan
from app.training.models import Course
from app.vacancies.models import Employer, Vacancy
from tests.demo_snapshot import seeded_demo

CYRILLIC = re.compile(r"^[А-ЯЁа-яёӘәҒғҚқҢңӨөҰұҮүҺһІі\- ]*( R\d+[a-z]?)?$")  # R2: a rule's example


def test_demo_people_have_cyrillic_names_with_feminine_forms(app):
    seeded_demo(total_inmates=240)
    inmates = db.session.scalars(sa.select(Inmate)).all()
    assert inmates
    for inmate in inmates:
        assert CYRILLIC.match(f"{inmate.last_name} {inmate.first_name} {inmate.middle_name}"
                              .strip()), (
            inmate.full_name)
    women = [i for i in inmates if i.sex == Sex.FEMALE]
    assert women
    assert not any(w.middle_name.endswith("вич") for w in women)
    assert not any(w.last_name.endswith(("ов", "ев")) for w in women)
    contacts = db.session.scalars(sa.select(Employer.contact_person)).all()
    assert contacts and all(CYRILLIC.match(name) for name in contacts)


def test_demo_places_jobs_and_courses_are_named_in_russian(app):
    """Institutions, regions, businesses, vacancies, courses, partners and places read
    as Kazakhstan's records write them ("Долинка", "Карагандинская область"), not in
    English on Russian and Kazakh pages; only codes (AK-159/20) and rule numbers are
    Latin. Trades alone have a name per language (app/taxonomy)."""
    seeded_demo(total_inmates=240)
    codes = re.compile(r"\b[A-Z]{2}-\d+/\d+\b|\bR\d+[a-z]?\b")
    columns = [Region.name, Institution.name, Institution.address, Employer.name,
               Employer.address, Vacancy.title, Vacancy.description, Course.title,
               Course.provider, PartnerOrganisation.name, PartnerOrganisation.locality,
               OutsideJob.title, OutsideJob.locality, ReleasePlan.destination_locality,
               Inmate.education, Certificate.issuer]
    latin = {f"{column}: {value}" for column in columns
             for value in db.session.scalars(sa.select(column).distinct())
             if value and re.search("[A-Za-z]", codes.sub("", value))}
    assert latin == set()
    assert db.session.scalar(sa.select(Region.name).join(Institution).where(
        Institution.code == "AK-159/20")) == "Карагандинская область"
