"""In the browser (demo data): the officer of AK-159/20 refers a release plan's
job and accommodation to the Shakhtinsk resocialisation centre; the centre's
user accepts, records the accommodation arranged, asks a question and records
an outcome after release; the Karaganda prosecutor sees the figures and the
plan. Screenshots go to reintegration/ of ``screenshots`` (``make screenshots``:
docs/screenshots/reintegration/)."""


import sqlalchemy as sa

from app.core.vocabulary import ConsentKind, PartStatus, PlanPartKind, ReferralStatus
from app.demo import KARAGANDA
from app.extensions import db
from app.inmates.models import Consent, Inmate
from app.institutions.models import Institution, Region
from app.reintegration import operations as ops
from app.reintegration.models import OutcomeCheck, PartnerOrganisation, Referral, ReleasePlan
from policy.clock import today_in_kazakhstan
from tests.e2e.conftest import log_in, screenshots

CENTRE = "Центр ресоциализации г. Шахтинск (вымышлено)"


def shot(page, name: str) -> None:
    page.screenshot(path=str(screenshots("reintegration") / f"{name}.png"), full_page=True)


def _a_plan_to_refer() -> ReleasePlan:
    """A Dolinka plan before release, with consent to share and no referral yet."""
    dolinka = db.session.scalar(sa.select(Institution).where(Institution.code == "AK-159/20"))
    karaganda = db.session.scalar(sa.select(Region).where(Region.name == KARAGANDA))
    plan = db.session.scalar(
        sa.select(ReleasePlan).join(Inmate, Inmate.id == ReleasePlan.inmate_id)
        .where(Inmate.institution_id == dolinka.id, ReleasePlan.released_on.is_(None),
               ~sa.exists().where(Referral.plan_id == ReleasePlan.id))
        .order_by(ReleasePlan.id).limit(1))
    if ops.share_consent_on(plan.inmate_id, today_in_kazakhstan()) is None:
        db.session.add(Consent(inmate_id=plan.inmate_id, kind=ConsentKind.SHARE_WITH_PARTNERS,
                               given_on=today_in_kazakhstan()))
    plan.destination_region_id = karaganda.id
    for part in plan.parts[:2]:
        part.status = PartStatus.NEEDED
    db.session.commit()
    return plan


def _a_released_referral_missing_an_outcome() -> tuple[Referral, int]:
    centre = db.session.scalar(sa.select(PartnerOrganisation).where(
        PartnerOrganisation.name == CENTRE))
    today = today_in_kazakhstan()
    for referral in db.session.scalars(sa.select(Referral).where(
            Referral.partner_id == centre.id, ops.partner_access(today))):
        if referral.plan.released_on is None:
            continue
        for row in ops.outcome_grid(referral.plan, today):
            if row["state"] == "missing":
                return referral, row["months"]
    raise AssertionError("the demo has a missing outcome check for the centre")


def test_officer_partner_prosecutor(open_page):
    plan = _a_plan_to_refer()
    name = plan.inmate.last_name
    released, months = _a_released_referral_missing_an_outcome()

    # --- the officer: home panel, the plan, a referral ---------------------------------------
    officer = open_page()
    log_in(officer, "officer.dolinka@demo.kz")
    assert "with open plan parts" in officer.inner_text("main")
    shot(officer, "1-officer-home")
    officer.goto(f"/release-plans/{plan.id}")
    officer.click("#destination-task a")  # the destination is a task of its own page
    officer.fill("#destination input[name=destination_locality]", "Шахтинск")
    officer.click("#destination button")
    assert "Destination saved." in officer.inner_text("main")
    assert officer.url.endswith(f"/release-plans/{plan.id}")  # Save returns to the list
    officer.select_option("#refer select[name=partner_id]", label=f"{CENTRE} "
                          "(resocialisation centre)")
    for part in plan.parts[:2]:
        officer.check(f"#refer input[name=part_ids][value='{part.id}']")
    officer.fill("#refer input[name=note]", "A bed and work as a welder")
    officer.click("#refer button")
    assert "Referral sent." in officer.inner_text("main")
    shot(officer, "2-officer-plan-referred")

    # --- the partner: worklist, accept, arrange, ask, outcome --------------------------------
    partner = open_page()
    log_in(partner, "partner.karaganda@demo.kz")
    assert partner.url.endswith("/partner/")
    shot(partner, "3-partner-worklist")
    partner.click(f"#worklist a:has-text('{name}')")
    main = partner.inner_text("main")
    assert "A bed and work as a welder" in main and "Шахтинск" in main
    assert plan.inmate.file_number not in main  # R21: no file number, regime or health
    partner.click("#accept")
    assert "Referral accepted." in partner.inner_text("main")
    accommodation = plan.parts[1]
    partner.select_option(f"select[name=status_{accommodation.id}]", "arranged")
    partner.fill(f"input[name=note_{accommodation.id}]", "Bed at the centre from release day")
    partner.fill("#arranged input[name=arranged]", "Bed reserved")
    partner.click("#arranged button")
    assert "Recorded." in partner.inner_text("main")
    partner.fill("main form:has(button:has-text('Ask')) input[name=text]",
                 "Which day exactly is the release?")
    partner.click("button:has-text('Ask')")
    shot(partner, "4-partner-referral")
    partner.goto(f"/partner/referrals/{released.id}")
    partner.select_option("#outcome select[name=months]", str(months))
    partner.check("#outcome input[name=situations][value=housed]")
    partner.check("#outcome input[name=situations][value=employed]")
    partner.click("#outcome button")
    assert "Check before recording the outcome" in partner.inner_text("main")
    partner.click("main form button.danger")
    assert "Outcome recorded." in partner.inner_text("main")
    shot(partner, "5-partner-outcome")
    partner.goto("/inmates/")
    assert "403" in partner.inner_text("main") or "Forbidden" in partner.inner_text("main")

    # --- the prosecutor: figures and the plan ------------------------------------------------
    prosecutor = open_page()
    log_in(prosecutor, "prosecutor.karaganda@demo.kz")
    prosecutor.click("header nav >> text=Release and after")
    assert "AK-159/20" in prosecutor.inner_text("#oversight")
    shot(prosecutor, "6-prosecutor-oversight")
    prosecutor.goto(f"/release-plans/{plan.id}")
    main = prosecutor.inner_text("main")
    assert CENTRE in main and "Which day exactly is the release?" in main
    assert prosecutor.locator("#refer").count() == 0  # read-only
    shot(prosecutor, "7-prosecutor-plan")

    db.session.expire_all()
    referral = ops.referrals_of(db.session.get(ReleasePlan, plan.id))[0]
    assert referral.status == ReferralStatus.ACCEPTED
    stored = db.session.get(ReleasePlan, plan.id)
    by_kind = {p.kind: p for p in stored.parts}
    assert by_kind[PlanPartKind.ACCOMMODATION].status == PartStatus.ARRANGED
    assert stored.destination_locality == "Шахтинск"
    assert db.session.scalar(sa.select(OutcomeCheck).where(
        OutcomeCheck.plan_id == released.plan_id, OutcomeCheck.months == months)).housed
