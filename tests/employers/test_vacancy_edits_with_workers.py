"""An employer's edit of a vacancy that has workers is re-checked against every current
placement with the accept-time rule check: an edit that would make a worker's placement
break a rule is refused with 409 naming the rule and how many workers it concerns, and
nothing is written. The required skills and certificates are audited (R18)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.core.vocabulary import Fitness, Regime, Sex, Shift, Site
from app.extensions import db
from app.inmates.models import SeparationLink
from app.placements.models import Placement
from app.vacancies.models import Vacancy
from policy.clock import today_in_kazakhstan
from tests import factories

API = "/api/employer/vacancies"


def _worker(vacancy, world, **fields):
    inmate = factories.inmate(world["institution"], **fields)
    return factories.placement(inmate, vacancy)


def _patch(client, headers, vacancy, **changes):
    return client.patch(f"{API}/{vacancy.id}", headers=headers, json=changes)


def _fresh(vacancy):
    db.session.expire_all()
    return db.session.get(Vacancy, vacancy.id)


def _open_placements(vacancy) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Placement).where(
        Placement.vacancy_id == vacancy.id, Placement.end_date.is_(None)))


@pytest.mark.parametrize(("worker", "vacancy_fields", "changes", "rule", "field"), [
    ({"fitness": Fitness.LIMITED}, {}, {"heavy_or_hazardous": True}, "R3",
     "heavy_or_hazardous"),
    ({"sex": Sex.FEMALE}, {"heavy_or_hazardous": True}, {"women_barred": True}, "R7",
     "women_barred"),
    ({"regime": Regime.MAXIMUM}, {}, {"site": "outside"}, "R8", "site"),
])
def test_an_edit_a_worker_could_not_be_placed_under_is_refused(
        client, world, trades, employer_api, worker, vacancy_fields, changes, rule, field):
    vacancy = factories.vacancy(world["employer"], world["institution"], **vacancy_fields)
    _worker(vacancy, world, **worker)
    _worker(vacancy, world, regime=Regime.MINIMUM)  # fit, male, may work outside: stays
    response = _patch(client, employer_api, vacancy, title="Renamed", **changes)
    assert response.status_code == 409, response.json
    message = response.json["errors"][field][0]
    assert message.startswith("1 current worker may not keep this job")  # no rule number
    assert "end the placement first" in message
    after = _fresh(vacancy)
    assert after.title == "Welder"  # nothing half-written
    assert all(getattr(after, name) != value for name, value in changes.items())
    assert _open_placements(vacancy) == 2


def test_every_worker_concerned_is_counted(client, world, trades, employer_api):
    vacancy = factories.vacancy(world["employer"], world["institution"])
    for _ in range(2):
        _worker(vacancy, world, fitness=Fitness.LIMITED)
    response = _patch(client, employer_api, vacancy, heavy_or_hazardous=True)
    assert response.status_code == 409
    assert response.json["message"].startswith("2 current workers may not keep this job")


def test_r12_a_certificate_the_workers_lack_is_refused(client, world, trades, employer_api):
    vacancy = factories.vacancy(world["employer"], world["institution"])
    _worker(vacancy, world)
    response = _patch(client, employer_api, vacancy,
                      required_certificate_ids=[factories.trade("welder").id])
    assert response.status_code == 409
    assert response.json["errors"]["required_certificate_ids"][0].startswith("1 ")
    assert _fresh(vacancy).required_certificates == []


def test_r14_moving_a_shift_next_to_a_separated_inmate_is_refused(client, world, trades,
                                                                   employer_api):
    night = factories.vacancy(world["employer"], world["institution"], shift=Shift.NIGHT)
    day = factories.vacancy(world["employer"], world["institution"], shift=Shift.DAY)
    one, other = _worker(night, world), _worker(day, world)
    low, high = sorted((one.inmate_id, other.inmate_id))
    db.session.add(SeparationLink(inmate_a_id=low, inmate_b_id=high,
                                  created_on=today_in_kazakhstan() - timedelta(days=100)))
    db.session.commit()
    response = _patch(client, employer_api, night, shift="day")
    assert response.status_code == 409
    assert response.json["errors"]["shift"][0].startswith("1 current worker")
    assert _fresh(night).shift == Shift.NIGHT


def test_an_edit_the_workers_may_keep_is_saved(client, world, trades, employer_api):
    """The workers have no recorded consent to a private employer (R5): a rule already
    broken before the edit is the officers' matter and does not block it."""
    vacancy = factories.vacancy(world["employer"], world["institution"])
    _worker(vacancy, world, regime=Regime.MINIMUM)
    response = _patch(client, employer_api, vacancy, heavy_or_hazardous=True,
                      site="outside", monthly_wage=120_000, title="Heavy welding")
    assert response.status_code == 200, response.json
    after = _fresh(vacancy)
    assert (after.heavy_or_hazardous, after.site, after.monthly_wage) == (
        True, Site.OUTSIDE, 120_000)


def test_r18_required_skills_and_certificates_are_audited(client, world, trades,
                                                          employer_api):
    vacancy = factories.vacancy(world["employer"], world["institution"])
    welder, turner = factories.trade("welder"), factories.trade("turner")
    response = _patch(client, employer_api, vacancy, required_skill_ids=[welder.id, turner.id],
                      required_certificate_ids=[welder.id])
    assert response.status_code == 200, response.json
    response = _patch(client, employer_api, vacancy, required_skill_ids=[turner.id])
    assert response.status_code == 200, response.json
    db.session.expire_all()
    entries = list(db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.entity_type == "Vacancy",
                                    AuditEvent.entity_id == str(vacancy.id),
                                    AuditEvent.action == "update").order_by(AuditEvent.id)))
    trade_entries = [e for e in entries if "required_skills" in (e.after or {})]
    assert [(e.before, e.after) for e in trade_entries] == [
        ({"required_skills": [], "required_certificates": []},
         {"required_skills": sorted([welder.code, turner.code]),
          "required_certificates": [welder.code]}),
        ({"required_skills": sorted([welder.code, turner.code])},
         {"required_skills": [turner.code]}),
    ]
    assert trade_entries[0].actor == world["employer_user"].email
    assert trade_entries[0].institution_id == world["institution"].id


def test_r18_required_trades_of_a_new_vacancy_are_audited(client, world, trades, employer_api):
    from tests.employers.conftest import vacancy_body

    welder = factories.trade("welder")
    response = client.post(API, headers=employer_api, json=vacancy_body(
        [world["institution"].id], required_certificate_ids=[welder.id]))
    assert response.status_code == 201, response.json
    entry = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.entity_type == "Vacancy", AuditEvent.action == "update",
        AuditEvent.entity_id == str(response.json[0]["id"])))
    assert entry.after == {"required_certificates": [welder.code]}
