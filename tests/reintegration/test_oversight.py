"""Oversight of release and reintegration on any past day: figures read from
dated rows, so later data never moves them; scoped to the reader's region."""

from datetime import datetime, time, timedelta

from app.extensions import db
from app.inmates.operations import add_months, release_inmate
from app.reintegration import operations as ops
from app.reintegration.models import PlanPartChange
from policy.clock import today_in_kazakhstan
from tests import factories
from tests.factories import ApiClient
from tests.reintegration.conftest import TODAY, refer

YESTERDAY = TODAY - timedelta(days=1)


def _figures(client, day):
    response = client.get("/api/monitoring/reintegration", query_string={"day": day.isoformat()})
    assert response.status_code == 200, response.json
    return response.json


def _backdate(scene) -> None:
    """The scene's plans were opened a week ago (their first status too)."""
    for plan in (scene.plan, scene.other_plan):
        plan.opened_on = TODAY - timedelta(days=7)
    for change in db.session.scalars(db.select(PlanPartChange)):
        change.day = TODAY - timedelta(days=7)
    db.session.commit()


def test_past_day_completeness_is_not_moved_by_later_data(app, scene):
    _backdate(scene)
    prosecutor = ApiClient(app, scene.world["prosecutor"])
    # every part of one plan decided yesterday: complete on that day
    for part in scene.plan.parts:
        ops.update_part(part, {"status": "not_needed"}, YESTERDAY)
    referral = refer(scene.other_plan, scene.centre, scene.world["officer"],
                     due_on=TODAY)
    db.session.commit()
    before = _figures(prosecutor, YESTERDAY)["total"]
    assert before["plans_open"] == 2 and before["plans_complete"] == 1
    # today: the plan is reopened, the other completed, a referral goes overdue,
    # the person is released
    ops.update_part(scene.plan.parts[0], {"status": "needed"}, TODAY)
    for part in scene.other_plan.parts:
        ops.update_part(part, {"status": "not_needed"}, TODAY)
    referral.due_on = YESTERDAY - timedelta(days=1)
    db.session.commit()
    with factories.acting_as(scene.world["officer"]):
        release_inmate(scene.leaving, TODAY)
        db.session.commit()
    after = _figures(prosecutor, YESTERDAY)["total"]
    overdue_day_before = _figures(prosecutor, YESTERDAY)["total"]["referrals_overdue"]
    assert after["plans_open"] == 2 and after["plans_complete"] == 1
    assert after["releases"] == 0
    # ... while today's figures show the changes
    today = _figures(prosecutor, TODAY)["total"]
    assert today["releases"] == 1 and today["complete_at_release"] == 0
    assert today["plans_open"] == 1 and today["plans_complete"] == 1
    assert today["referrals_overdue"] == 1
    assert overdue_day_before == 0  # sent only today: not overdue on any earlier day


def _released_long_ago(scene, days=200, on=None):
    """The scene's person released ``days`` ago (or ``on``), recorded that day."""
    with factories.acting_as(scene.world["officer"]):
        release_inmate(scene.leaving, TODAY)
        db.session.commit()
    plan = ops.plan_of(scene.leaving.id)
    plan.released_on = on or TODAY - timedelta(days=days)
    plan.release_recorded_at = datetime.combine(plan.released_on, time(12))
    db.session.commit()
    return plan


def _late_check(plan, checked_on, situations=("employed",)):
    """An outcome check entered now, dated ``checked_on``."""
    ops.record_outcome(plan, {"months": 6, "situations": list(situations),
                              "checked_on": checked_on}, None, TODAY)
    db.session.commit()


def test_outcomes_against_baselines_and_missing(app, scene):
    plan = _released_long_ago(scene)
    prosecutor = ApiClient(app, scene.world["prosecutor"])
    figures = _figures(prosecutor, TODAY)
    assert figures["baseline_employed"] == 0.3 and figures["baseline_housed"] == 0.6
    total = figures["total"]
    assert total["outcomes_6_due"] == 1 and total["outcomes_6_missing"] == 1
    _late_check(plan, TODAY - timedelta(days=10))
    total = _figures(prosecutor, TODAY)["total"]
    assert total["outcomes_6_missing"] == 0 and total["employed_6"] == 1
    # the check was dated after that day: a day before it still reads missing
    total = _figures(prosecutor, TODAY - timedelta(days=11))
    assert total["total"]["outcomes_6_missing"] == 1


def test_late_entries_do_not_move_a_past_day(app, scene):
    """A release and an outcome check entered today with earlier days leave the
    figures of the days before today as they were: those days did not know them."""
    _backdate(scene)
    plan = _released_long_ago(scene)
    prosecutor = ApiClient(app, scene.world["prosecutor"])
    past_day = TODAY - timedelta(days=3)
    past = _figures(prosecutor, past_day)
    past_trend = prosecutor.get("/api/monitoring/reintegration/trends",
                                query_string={"months": 12}).json["points"][:-1]
    assert past["total"]["outcomes_6_missing"] == 1 and past["total"]["plans_open"] == 1
    # today: the 6-month check is entered, dated before the past day, and the
    # other person's release is entered with a day before it too
    _late_check(plan, past_day - timedelta(days=10))
    with factories.acting_as(scene.world["officer"]):
        release_inmate(scene.other, past_day - timedelta(days=2), today=TODAY)
        db.session.commit()
    assert _figures(prosecutor, past_day) == past
    later_trend = prosecutor.get("/api/monitoring/reintegration/trends",
                                 query_string={"months": 12}).json["points"][:-1]
    assert later_trend == past_trend  # every month before this one is unchanged
    # ... while today knows both
    today = _figures(prosecutor, TODAY)["total"]
    assert today["outcomes_6_missing"] == 0 and today["employed_6"] == 1
    assert today["releases"] == past["total"]["releases"] + 1
    assert today["plans_open"] == past["total"]["plans_open"] - 1


def test_oversight_scope_and_roles(app, scene, prosecutor_client):
    with factories.acting_as(scene.world["officer"]):
        release_inmate(scene.leaving, TODAY)
        db.session.commit()
    assert _figures(ApiClient(app, scene.world["other_prosecutor"]), TODAY)["total"][
        "releases"] == 0
    assert _figures(ApiClient(app, scene.world["national_prosecutor"]), TODAY)["total"][
        "releases"] == 1
    # an akimat's users see their regions' figures; other partners and officers do not
    assert _figures(ApiClient(app, scene.akimat_user), TODAY)["total"]["releases"] == 1
    assert ApiClient(app, scene.partner).get("/api/monitoring/reintegration").status_code == 403
    assert ApiClient(app, scene.world["officer"]).get(
        "/api/monitoring/reintegration").status_code == 403
    page = prosecutor_client.get("/monitoring/reintegration/")
    assert page.status_code == 200 and scene.institution.code in page.get_data(as_text=True)
    export = prosecutor_client.get("/monitoring/reintegration/export.csv")
    assert export.status_code == 200
    assert scene.institution.code in export.get_data(as_text=True)
    assert "Leavingov" not in export.get_data(as_text=True)
    header = export.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert header.startswith("Day,Institution,Region,Releases") and "_" not in header
    assert f"reintegration-{today_in_kazakhstan().isoformat()}.csv" in export.headers[
        "Content-Disposition"]


def test_akimat_users_find_the_figures_from_their_worklist(app, scene):
    from tests.conftest import login

    akimat, centre = app.test_client(), app.test_client()
    login(akimat, scene.akimat_user)
    login(centre, scene.partner)
    assert "/monitoring/reintegration/" in akimat.get("/partner/").get_data(as_text=True)
    assert "/monitoring/reintegration/" not in centre.get("/partner/").get_data(as_text=True)
    assert akimat.get("/monitoring/reintegration/").status_code == 200
    assert centre.get("/monitoring/reintegration/").status_code == 403


def test_trends_chart_table_and_baselines(app, scene, prosecutor_client):
    plan = _released_long_ago(scene, on=add_months(TODAY, -6))  # the check falls due today
    _late_check(plan, TODAY, situations=("housed",))
    prosecutor = ApiClient(app, scene.world["prosecutor"])
    points = prosecutor.get("/api/monitoring/reintegration/trends").json["points"]
    assert len(points) == 12 and points[-1]["day"] == TODAY.isoformat()
    last = points[-1]
    # the check fell due this month: housed, not employed, 1 recorded of 1 due
    assert last["counts"]["outcomes_6_recorded"] == 1
    assert last["shares"]["housed_6"] == 1.0 and last["shares"]["employed_6"] == 0.0
    assert last["below"] == ["employed_6"]
    # a month nobody was released in has no share, never a made-up 0 %
    assert all(p["shares"]["complete_at_release"] is None for p in points
               if p["counts"]["releases"] == 0)
    page = prosecutor_client.get("/monitoring/reintegration/trends")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count("<svg") == 7 and html.count("<table") == 7
    # below the baseline is said in words (table and the point's name), not colour alone
    assert "below the baseline" in html and 'class="below-target"' in html
    assert "Leavingov" not in html


def test_trends_refused_to_who_may_not_oversee(app, scene):
    from tests.conftest import login

    for user in (scene.partner, scene.world["officer"], scene.world["employer_user"]):
        assert ApiClient(app, user).get(
            "/api/monitoring/reintegration/trends").status_code == 403
        client = app.test_client()
        login(client, user)
        assert client.get("/monitoring/reintegration/trends").status_code == 403
    assert ApiClient(app, scene.akimat_user).get(
        "/api/monitoring/reintegration/trends").status_code == 200
    # a regional prosecutor elsewhere sees none of this region's releases
    _released_long_ago(scene, days=20)
    points = ApiClient(app, scene.world["other_prosecutor"]).get(
        "/api/monitoring/reintegration/trends").json["points"]
    assert sum(p["counts"]["releases"] for p in points) == 0
