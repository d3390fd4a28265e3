"""In the browser: the officer opens a placement's printable order from the placements
list; it is numbered per institution and year, made from the record (person, employer,
vacancy, wage, first day) in the language it is issued in (or another, chosen on the
page), and prints on one A4 page
(print CSS: no header, menu or buttons). Ending a placement issues its removal order,
printed the same way. A prosecutor of the region reads it; an officer of another
institution gets 404."""

import re
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.inmates.models import Inmate
from app.institutions.models import Institution
from app.placements.models import Placement, PlacementOrder
from policy.clock import today_in_kazakhstan
from tests.e2e.conftest import log_in, screenshots

A4_HEIGHT_PX = 1123  # 297 mm at 96 px per inch


def _dolinka_placement(skip: int = 0) -> Placement:
    dolinka = db.session.scalar(sa.select(Institution.id).where(Institution.code == "AK-159/20"))
    return db.session.scalar(sa.select(Placement).join(Inmate).where(
        Inmate.institution_id == dolinka, Placement.end_date.is_(None))
        .order_by(Placement.id).offset(skip).limit(1))


def _one_a4_page(page) -> None:
    page.emulate_media(media="print")
    assert not page.is_visible("header") and not page.is_visible("button[data-print]")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= A4_HEIGHT_PX, height  # one A4 page
    pdf = page.pdf(format="A4", print_background=False)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # printed: one sheet


def test_the_officer_prints_a_placement_order_in_kazakh(open_page):
    placement = _dolinka_placement()
    file_number = placement.inmate.file_number
    employer = placement.vacancy.employer.name
    page = open_page()
    log_in(page, "officer.dolinka@demo.kz")
    page.click("header form[action$='/language/kk'] button")
    page.wait_for_load_state()
    page.goto(f"/placements/?q={file_number}")
    page.click(f"main table a[href$='/placements/{placement.id}/order']")
    assert "Приказ" in page.inner_text("#order")  # issued in Russian, as the demo's records
    page.click("main p.no-print a[lang=kk]")
    page.wait_for_load_state()
    order = page.inner_text("#order")
    assert "AK-159/20/" in order and "Бұйрық" in order
    assert placement.inmate.full_name in order and employer in order
    assert "₸" in order and "Бірінші жұмыс күні" in order  # the wage, the first day
    page.screenshot(path=str(screenshots("orders") / "placement-order-kk.png"), full_page=True)
    _one_a4_page(page)


def test_the_officer_ends_a_placement_and_prints_its_removal_order_in_kazakh(open_page):
    placement = _dolinka_placement(skip=1)
    placement_id, name = placement.id, placement.inmate.full_name
    file_number, employer = placement.inmate.file_number, placement.vacancy.employer.name
    end_on = max(today_in_kazakhstan(), placement.start_date) + timedelta(days=1)
    page = open_page()
    log_in(page, "officer.dolinka@demo.kz")
    page.click("header form[action$='/language/kk'] button")
    page.wait_for_load_state()
    page.goto(f"/placements/{placement_id}/end")
    page.select_option("select[name=reason]", "health")
    page.fill("input[name=end_date]", end_on.isoformat())
    page.fill("textarea[name=note]", "дәрігердің қорытындысы")
    page.click("main form button.primary")
    page.click("main form button.danger")  # confirmed
    page.goto(f"/placements/?q={file_number}&state=all")
    page.click(f"main table a[href$='/placements/{placement_id}/removal-order']")
    order = page.inner_text("#order")
    db.session.expire_all()
    removal = db.session.scalar(sa.select(PlacementOrder).where(
        PlacementOrder.placement_id == placement_id, PlacementOrder.kind == "removal"))
    assert removal.language == "kk" and removal.number in order
    assert removal.number.startswith(f"AK-159/20/{today_in_kazakhstan().year}/")
    assert "Бұйрық" in order and "ақылы жұмыстан шығару туралы" in order
    assert name in order and employer in order and "дәрігердің қорытындысы" in order
    assert "Соңғы жұмыс күні" in order and "Бірінші жұмыс күні" in order
    assert "Head of the institution" not in order and "Last working day" not in order
    page.screenshot(path=str(screenshots("orders") / "removal-order-kk.png"), full_page=True)
    _one_a4_page(page)


def test_who_reads_an_order(open_page):
    placement_id = _dolinka_placement().id
    page = open_page()
    log_in(page, "prosecutor.karaganda@demo.kz")
    response = page.goto(f"/placements/{placement_id}/order")
    assert response.status == 200 and "AK-159/20/" in page.inner_text("#order")
    page.context.clear_cookies()
    log_in(page, "officer.karabas@demo.kz")
    assert page.goto(f"/placements/{placement_id}/order").status == 404
