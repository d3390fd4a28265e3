"""R27-R30 through the API: risk-and-needs assessments beside the medical ones, court
bans, serious incidents, the restricted flag (audited, officers and prosecutors only),
a vacancy's highest risk level and the institution's cap, and their refusals."""

from datetime import timedelta

import sqlalchemy as sa

from app.core.audit import AuditEvent
from app.extensions import db
from app.inmates.models import RiskAssessment, SeriousIncident
from tests import factories
from tests.factories import ApiClient
from tests.security.helpers import TODAY, assess, flag


def _person(world):
    return factories.inmate(world["institution"])


def test_risk_assessments_are_recorded_and_listed(app, world):
    person = _person(world)
    officer = ApiClient(app, world["officer"])
    url = f"/api/inmates/{person.id}/risk-assessments"
    made = officer.post(url, json={"level": "high", "needs": ["substance_use", "education"],
                                   "reason": "admission",
                                   "assessed_on": str(TODAY - timedelta(days=3))})
    assert made.status_code == 201, made.json
    assert made.json["needs"] == ["education", "substance_use"]  # in the domains' order
    assert made.json["assessed_by"]
    listed = ApiClient(app, world["prosecutor"]).get(url)
    assert listed.status_code == 200 and [a["level"] for a in listed.json] == ["high"]
    detail = officer.get(f"/api/inmates/{person.id}").json
    assert detail["risk_level"] == "high" and detail["risk_assessments"][0]["level"] == "high"
    # the medical assessments keep their own place
    assert officer.post(f"/api/inmates/{person.id}/assessments",
                        json={"fitness": "fit"}).status_code == 201


def test_risk_assessment_refusals_name_the_field(app, world):
    person = _person(world)
    officer = ApiClient(app, world["officer"])
    url = f"/api/inmates/{person.id}/risk-assessments"
    bad_level = officer.post(url, json={"level": "extreme"})
    assert bad_level.status_code == 422 and "level" in bad_level.json["errors"]
    assert "R27" in bad_level.json["message"]
    bad_need = officer.post(url, json={"level": "low", "needs": ["astrology"]})
    assert bad_need.status_code == 422 and "needs" in bad_need.json["errors"]
    future = officer.post(url, json={"level": "low",
                                     "assessed_on": str(TODAY + timedelta(days=1))})
    assert future.status_code == 422 and "assessed_on" in future.json["errors"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RiskAssessment)) == 0
    for who in ("employer_user", "prosecutor"):
        assert ApiClient(app, world[who]).post(url, json={"level": "low"}).status_code == 403
    assert ApiClient(app, world["other_officer"]).get(url).status_code == 404
    assert ApiClient(app, world["other_prosecutor"]).get(url).status_code == 404


def test_bans_are_recorded_with_their_trades(app, world):
    person = _person(world)
    welder = factories.trade("welder")
    officer = ApiClient(app, world["officer"])
    url = f"/api/inmates/{person.id}/bans"
    made = officer.post(url, json={"trade_ids": [welder.id], "decision_ref": "2-77/2024",
                                   "starts_on": str(TODAY - timedelta(days=10)),
                                   "ends_on": str(TODAY + timedelta(days=300))})
    assert made.status_code == 201, made.json
    assert made.json["runs_today"] and made.json["trades"][0]["code"] == "welder"
    assert [b["decision_ref"] for b in officer.get(url).json] == ["2-77/2024"]
    no_trade = officer.post(url, json={"trade_ids": [], "decision_ref": "x",
                                       "starts_on": str(TODAY)})
    assert no_trade.status_code == 422 and "trade_ids" in no_trade.json["errors"]
    backwards = officer.post(url, json={"trade_ids": [welder.id], "decision_ref": "x",
                                        "starts_on": str(TODAY), "ends_on": str(TODAY)})
    assert backwards.status_code == 422 and "ends_on" in backwards.json["errors"]


def _views() -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "view")))


def test_the_flag_is_shown_to_officers_and_prosecutors_only_and_every_showing_audited(
        app, world):
    person = _person(world)
    officer = ApiClient(app, world["officer"])
    assert officer.put(f"/api/inmates/{person.id}/flag", json={}).status_code == 200
    assert len(_views()) == 1
    for who in ("officer", "prosecutor", "national_prosecutor"):
        client = ApiClient(app, world[who])
        assert client.get(f"/api/inmates/{person.id}/flag").json["flagged"] is True
        assert client.get(f"/api/inmates/{person.id}").json["scattered_flag"] is True
    views = _views()
    assert len(views) == 7
    assert {v.actor_id for v in views} == {world[w].id for w in (
        "officer", "prosecutor", "national_prosecutor")}
    assert all(v.institution_id == world["institution"].id for v in views)
    # administrators read the record, never the flag
    admin = ApiClient(app, world["admin"])
    assert admin.get(f"/api/inmates/{person.id}/flag").status_code == 403
    assert "scattered_flag" not in admin.get(f"/api/inmates/{person.id}").json
    assert ApiClient(app, world["other_prosecutor"]).get(
        f"/api/inmates/{person.id}/flag").status_code == 404
    assert len(_views()) == 7
    # the prosecutors read who looked
    audit = ApiClient(app, world["prosecutor"]).get(
        "/api/monitoring/audit", query_string={"entity_type": "ScatteredFlag"})
    assert audit.status_code == 200, audit.json
    assert sum(1 for e in audit.json["items"] if e["action"] == "view") == 7


def test_flag_refusals(app, world):
    person = _person(world)
    officer = ApiClient(app, world["officer"])
    assert officer.post(f"/api/inmates/{person.id}/flag/lift", json={}).status_code == 409
    officer.put(f"/api/inmates/{person.id}/flag",
                json={"flagged_on": str(TODAY - timedelta(days=5))})
    assert officer.put(f"/api/inmates/{person.id}/flag", json={}).status_code == 409
    lifted = officer.post(f"/api/inmates/{person.id}/flag/lift", json={})
    assert lifted.status_code == 200 and lifted.json["flagged"] is False
    assert ApiClient(app, world["prosecutor"]).put(
        f"/api/inmates/{person.id}/flag", json={}).status_code == 403


def test_a_vacancys_highest_level_is_set_by_the_institutions_officer(app, world):
    job = factories.vacancy(world["employer"], world["institution"])
    officer = ApiClient(app, world["officer"])
    url = f"/api/placements/vacancies/{job.id}/max-risk-level"
    assert officer.put(url, json={"max_risk_level": "medium"}).json["max_risk_level"] == \
        "medium"
    bad = officer.put(url, json={"max_risk_level": "extreme"})
    assert bad.status_code == 422 and "max_risk_level" in bad.json["errors"]
    assert ApiClient(app, world["other_officer"]).put(
        url, json={"max_risk_level": "low"}).status_code == 404
    assert ApiClient(app, world["employer_user"]).put(
        url, json={"max_risk_level": "low"}).status_code == 403
    # a current worker above the new limit: refused, the officer ends the placement first
    worker = _person(world)
    assess(worker, "high")
    factories.placement(worker, job)
    refused = officer.put(url, json={"max_risk_level": "low"})
    assert refused.status_code == 409 and "R28" in refused.json["message"]
    assert officer.put(url, json={"max_risk_level": None}).json["max_risk_level"] is None


def test_the_institutions_own_cap(app, world):
    officer = ApiClient(app, world["officer"])
    answer = officer.put("/api/placements/scattered-cap", json={"scattered_cap": 3})
    assert answer.status_code == 200 and answer.json["cap"] == 3
    assert answer.json["year_cap"] == 2
    assert officer.put("/api/placements/scattered-cap",
                       json={"scattered_cap": -1}).status_code == 422
    assert officer.put("/api/placements/scattered-cap",
                       json={"scattered_cap": None}).json["cap"] == 2


def test_overdue_assessments(app, world):
    from app.inmates.security import overdue_assessments

    never = factories.inmate(world["institution"], admission_date=TODAY - timedelta(days=31),
                             convicted_on=TODAY - timedelta(days=31))
    recent = factories.inmate(world["institution"], admission_date=TODAY - timedelta(days=29),
                              convicted_on=TODAY - timedelta(days=29))
    lapsed = _person(world)
    assess(lapsed, "low", on=TODAY - timedelta(days=400))
    fresh = _person(world)
    assess(fresh, "low", on=TODAY - timedelta(days=10))
    incident = _person(world)
    assess(incident, "low", on=TODAY - timedelta(days=10))
    ApiClient(app, world["officer"]).post(f"/api/inmates/{incident.id}/incidents", json={
        "occurred_on": str(TODAY - timedelta(days=2)), "summary": "Assault on staff"})
    due = {d.inmate_id for d in overdue_assessments(world["institution"].id)}
    assert due == {never.id, lapsed.id, incident.id}
    assert recent.id not in due and fresh.id not in due
    flag(never)  # nothing of R29 changes R27


def test_r29_reasons_of_a_run_only_for_those_who_may_see_the_flag(app, world):
    from app.placements.models import MatchRun

    person = _person(world)
    barred = [{"rule": "R29", "reason": "cap"}, {"rule": "R8", "reason": "regime"}]
    run = MatchRun(institution_id=world["institution"].id, as_of=TODAY, input_snapshot={},
                   settings_snapshot={}, result={
                       "proposals": [], "training_recommendations": [], "summary": {},
                       "unplaced": [{"inmate_id": str(person.id), "reason": "no_eligible_vacancy",
                                     "barred_by": barred}]})
    db.session.add(run)
    db.session.commit()

    def rules_seen(who):
        client = ApiClient(app, world[who])
        detail = client.get(f"/api/placements/runs/{run.id}").json
        profile = client.get(f"/api/inmates/{person.id}").json
        return ([b["rule"] for b in detail["unplaced"][0]["barred_by"]],
                [b["rule"] for b in profile["why_not_employed"]["barred_by"]])

    assert rules_seen("officer") == (["R29", "R8"], ["R29", "R8"])
    assert rules_seen("prosecutor") == (["R29", "R8"], ["R29", "R8"])
    assert rules_seen("admin") == (["R8"], ["R8"])


def test_the_profile_reads_each_security_record_once(app, world):
    """The level, the overdue assessment and the flag in force come from the lists the
    profile shows, not from reading the same rows again (three readings of the
    assessments and two of the incidents and flags before)."""
    from sqlalchemy import event

    person = factories.inmate(world["institution"], convicted_on=TODAY - timedelta(days=400))
    assess(person, "high", TODAY - timedelta(days=300))
    flag(person, TODAY - timedelta(days=10))
    db.session.add(SeriousIncident(inmate_id=person.id, occurred_on=TODAY - timedelta(days=2),
                                   summary="A fight in the workshop"))
    db.session.commit()
    read: dict[str, int] = {}

    def count(_conn, _cursor, statement, *_args):
        for table in ("risk_assessments", "serious_incidents", "scattered_flags"):
            if statement.lstrip().startswith("SELECT") and f"FROM {table}" in statement:
                read[table] = read.get(table, 0) + 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        detail = ApiClient(app, world["officer"]).get(f"/api/inmates/{person.id}").json
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert detail["risk_level"] == "high" and detail["scattered_flag"] is True
    assert "incident" in detail["risk_assessment_due"]
    assert read == {"risk_assessments": 1, "serious_incidents": 1, "scattered_flags": 1}
