"""In the browser: the labour officer of AK-159/20 (demo data) imports new
inmates from a spreadsheet, runs the matching, decides proposals, ends a
placement; and cannot open another institution's inmate (R16)."""

import csv
import io
from datetime import timedelta

import sqlalchemy as sa

from app.core.vocabulary import EndReason, ProposalStatus
from app.extensions import db
from app.inmates.models import Inmate
from app.inmates.spreadsheets import INMATE_COLUMNS, column_heading
from app.institutions.models import Institution
from app.placements.models import MatchRun, Placement, Proposal
from policy.clock import today_in_kazakhstan
from tests.e2e.conftest import log_in

OFFICER = "officer.dolinka@demo.kz"
NEW_FILES = ("E2E-001", "E2E-002", "E2E-003", "E2E-004")


def shot(page, name: str) -> None:
    page.screenshot(path=f"/tmp/e2e-{name}.png", full_page=True)


def flashes(page) -> str:
    """The flashed messages of the page an action led to (waits for that page to show
    them: on a busy machine the redirect may not have loaded yet)."""
    page.locator(".flash").first.wait_for()
    return " ".join(page.locator(".flash").all_inner_texts())


# --- the spreadsheet -----------------------------------------------------------------------

def _inmate_row(number: str, last_name: str, **changes: str) -> dict[str, str]:
    today = today_in_kazakhstan()
    row = {
        "file_number": number, "last_name": last_name, "first_name": "Test",
        "birth_date": "1988-04-12", "sex": "male", "legal_status": "convicted",
        "convicted_on": (today - timedelta(days=400)).isoformat(), "regime": "medium",
        "conditions": "ordinary", "admission_date": (today - timedelta(days=300)).isoformat(),
        "release_date": (today + timedelta(days=900)).isoformat(), "fitness": "fit",
        "fitness_review_date": (today + timedelta(days=200)).isoformat(),
        "notes": "imported in the e2e test",
    }
    return row | changes


def _csv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    """The rows (by column) under the template's own headings, as an officer fills it."""
    column = {column_heading(name): name for name in INMATE_COLUMNS}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([row.get(column.get(heading, heading), "") for heading in header]
                     for row in rows)
    return buffer.getvalue().encode("utf-8")


def _good_rows(notes: str = "imported in the e2e test") -> list[dict[str, str]]:
    rows = [_inmate_row(number, f"Importov{n}", notes=notes)
            for n, number in enumerate(NEW_FILES, start=1)]
    rows[-1]["fitness"] = "unfit"  # the run must say why E2E-004 is not placed (R3)
    return rows


def _bad_rows() -> list[dict[str, str]]:
    rows = _good_rows()
    rows[1]["birth_date"] = "1990-02-31"  # file row 3
    rows[2]["regime"] = "supermax"  # file row 4
    rows[3]["file_number"] = rows[0]["file_number"]  # file row 5
    return rows


def _download_template(page) -> list[str]:
    with page.expect_download() as info:
        page.click("a[href*='template.csv'][href*='kind=inmates']")
    with open(info.value.path(), encoding="utf-8-sig") as handle:
        return next(csv.reader(handle))


def _upload(page, data: bytes, button: str = "Check (nothing is written)") -> None:
    page.select_option("select[name=kind]", "inmates")
    page.set_input_files("input[name=file]", files=[
        {"name": "new-inmates.csv", "mimeType": "text/csv", "buffer": data}])
    page.click(f"button:has-text('{button}')")


def _problems(page) -> list[tuple[str, str, str]]:
    rows = page.locator("main table tbody tr")
    return [tuple(rows.nth(i).locator("td").all_inner_texts()) for i in range(rows.count())]


def _imported() -> list[Inmate]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Inmate).where(
        Inmate.file_number.in_(NEW_FILES)).order_by(Inmate.file_number)))


def _import_inmates(page) -> None:
    page.click("header nav >> text=Inmates")
    shot(page, "inmates")
    page.click("a:has-text('Import a spreadsheet')")
    header = _download_template(page)
    # headed in the officer's language
    assert {"Personal file number", "Birth date", "Regime", "Medical fitness"} <= set(header)

    _upload(page, _csv(header, _bad_rows()))
    shot(page, "import-problems")
    problems = _problems(page)
    # each column as people read it, with the file's own heading
    assert any(p[:2] == ("3", "Birth date (birth_date)") for p in problems), problems
    assert any(p[:2] == ("4", "Regime (regime)") for p in problems), problems
    assert any(p[:2] == ("5", "Personal file number (file_number)")
               and "appears again (first in row 2)" in p[2] for p in problems), problems
    assert len(problems) == 3, problems
    assert "nothing was written" in page.inner_text("main")
    assert page.locator("button:has-text('Import now')").count() == 0
    assert _imported() == []

    _upload(page, _csv(header, _good_rows()))
    assert "4 to add, 0 to update" in page.inner_text("main")
    assert _imported() == []  # a check writes nothing
    page.click("button:has-text('Import now')")
    assert "4 added" in flashes(page)
    assert [i.file_number for i in _imported()] == list(NEW_FILES)

    page.click("a:has-text('Import a spreadsheet')")
    _upload(page, _csv(header, _good_rows(notes="checked again")))
    assert "0 to add, 4 to update" in page.inner_text("main")
    page.click("button:has-text('Import now')")
    inmates = _imported()
    assert len(inmates) == 4 and {i.notes for i in inmates} == {"checked again"}


# --- matching and decisions ----------------------------------------------------------------

def _start_run(page) -> MatchRun:
    page.click("header nav >> text=Match runs")
    shot(page, "runs")
    page.click("button:has-text('Run matching for AK-159/20 today')")
    assert "Match run finished" in flashes(page)
    shot(page, "run")
    main = page.inner_text("main")
    assert "Projected rate if all proposals are accepted (target 75" in main
    assert "People still missing to reach the target" in main
    assert page.locator("main table .badge").count() > 0  # score parts
    assert "recent_training" not in main and "release_time" not in main  # labels, not keys
    db.session.expire_all()
    run = db.session.scalars(sa.select(MatchRun).order_by(MatchRun.id.desc())).first()
    summary = run.result["summary"]
    cards = page.locator(".card .value").all_inner_texts()
    assert str(summary["shortfall"]) == cards[1] and str(summary["proposed"]) == cards[2]
    return run


def _read_unplaced(page) -> None:
    page.click("a:has-text('See each one and why')")
    shot(page, "unplaced")
    assert "Unplaced inmates of run" in page.inner_text("h1")
    page.click("nav.filters >> text=Not able to work")
    row = page.locator("main table tbody tr", has_text="E2E-004")
    assert "R3" in row.inner_text() and "medically unfit" in row.inner_text()
    page.click("a:has-text('Back to the run')")


def _pending_ids(page) -> list[int]:
    boxes = page.locator("input[name=proposal_ids]")
    return [int(boxes.nth(i).get_attribute("value")) for i in range(boxes.count())]


def _decide(page) -> tuple[list[int], int]:
    first = _pending_ids(page)[0]
    page.click(f"a[href$='/placements/proposals/{first}']")
    shot(page, "proposal")
    assert "Score" in page.inner_text("main")
    page.click("button:has-text('Accept')")
    assert " starts work in " in flashes(page)  # by name, not by proposal number

    bulk = _pending_ids(page)[:3]
    for proposal_id in bulk:
        page.check(f"input[name=proposal_ids][value='{proposal_id}']")
    page.select_option("select[name=action]", "accept")
    page.click("button:has-text('Apply to selected')")
    assert "Check before accepting 3 proposals" in page.inner_text("main")  # nothing yet
    shot(page, "accept-check")
    page.click("main form button.danger")
    assert "Decided (3): " in flashes(page)

    rejected = _pending_ids(page)[0]
    page.click(f"a[href$='/placements/proposals/{rejected}']")
    page.fill("input[name=reason]", "Works in the kitchen already, per the governor")
    page.click("button:has-text('Reject')")
    assert "Proposal rejected" in flashes(page)
    return [first, *bulk], rejected


def _check_decisions(accepted: list[int], rejected: int) -> list[Placement]:
    db.session.expire_all()
    proposals = {p.id: p for p in db.session.scalars(
        sa.select(Proposal).where(Proposal.id.in_([*accepted, rejected])))}
    assert {proposals[i].status for i in accepted} == {ProposalStatus.ACCEPTED}
    assert proposals[rejected].status == ProposalStatus.REJECTED
    assert proposals[rejected].rejection_reason.startswith("Works in the kitchen")
    placements = list(db.session.scalars(sa.select(Placement).where(
        Placement.inmate_id.in_([proposals[i].inmate_id for i in accepted]),
        Placement.end_date.is_(None))))
    assert sorted((p.inmate_id, p.vacancy_id) for p in placements) == sorted(
        (proposals[i].inmate_id, proposals[i].vacancy_id) for i in accepted)
    return placements


def _end_placement(page, placement: Placement) -> None:
    page.click("header nav >> text=Placements")
    shot(page, "placements")
    page.fill("input[name=q]", placement.inmate.file_number)
    page.click("button:has-text('Filter')")
    page.click("main table >> a:has-text('End')")
    shot(page, "end-placement")
    end_on = max(today_in_kazakhstan(), placement.start_date)
    page.select_option("select[name=reason]", "dismissed")
    page.fill("input[name=end_date]", end_on.isoformat())
    page.fill("textarea[name=note]", "Repeated absence from the workshop")
    page.click("button:has-text('End placement')")
    assert "Check before ending the placement" in page.inner_text("main")  # nothing yet
    shot(page, "end-placement-check")
    page.click("main form button.danger")
    assert "Placement ended" in flashes(page)

    db.session.expire_all()
    ended = db.session.get(Placement, placement.id)  # still there: R19
    assert (ended.end_date, ended.end_reason, ended.end_note) == (
        end_on, EndReason.DISMISSED, "Repeated absence from the workshop")
    page.select_option("select[name=state]", "all")
    page.fill("input[name=q]", placement.inmate.file_number)
    page.click("button:has-text('Filter')")
    shot(page, "placements-past")
    assert "Repeated absence from the workshop" in page.inner_text("main table")


def test_officer_imports_matches_decides_and_ends_a_placement(open_page):
    page = open_page()
    log_in(page, OFFICER)
    shot(page, "officer-home")
    _import_inmates(page)
    _start_run(page)
    _read_unplaced(page)
    accepted, rejected = _decide(page)
    placements = _check_decisions(accepted, rejected)
    _end_placement(page, placements[0])


def test_officer_cannot_open_another_institutions_inmate(open_page):
    karabas = db.session.scalar(sa.select(Institution.id).where(Institution.code == "AK-159/18"))
    other = db.session.scalar(sa.select(Inmate.id).where(Inmate.institution_id == karabas)
                              .limit(1))
    page = open_page()
    log_in(page, OFFICER)
    response = page.goto(f"/inmates/{other}")
    shot(page, "not-found")
    assert response.status == 404
    assert "not found" in page.inner_text("body").lower()
    for path in (f"/inmates/{other}/edit", f"/placements/?inmate_id={other}"):
        response = page.goto(path)
        assert response.status in (200, 404)
        assert "Карабас" not in page.inner_text("main")
