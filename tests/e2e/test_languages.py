"""In the browser, Russian and Kazakh: the main pages of every role show no
English from the list of words that used to leak (menus, drop-downs, badges,
library messages, error pages). The first visit's language is the browser's.

``SCREENSHOTS_DIR=docs/screenshots`` saves each Kazakh page under ``kk/``."""

import os
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import log_in

# Words of the interface (never of the invented demo data) that once reached
# Russian or Kazakh pages in English; matched as whole, case-sensitive words.
LEAKS = [
    "Missing data for required field", "Not a valid", "Must be one of", "Unprocessable",
    "Not listed as unplaced", "No match run yet", "inside the perimeter",
    "outside the perimeter", "Log out", "Log in", "Home", "Inmates", "Vacancies", "Placements",
    "Findings", "Audit", "Trends", "Violations", "Employment rates", "Labour pool", "Workers",
    "Administration", "Institutions", "Users", "Settings", "Trades", "Save", "Filter",
    "Edit", "Cancel", "Previous", "Next", "Export", "Status", "Region", "draft", "published",
    "paused", "pending", "approved", "refused", "minimum", "medium", "maximum",
    "extraordinary", "male", "female", "convicted", "remand", "fit", "unfit", "fit with limits",
    "declared", "assessed", "day", "evening", "night", "created", "changed", "system",
    "released", "transferred", "held", "resolved", "accepted", "rejected", "enrolled",
    "dropped", "dismissed", "tenge", "UTC", "KZT", "When", "None", "yes", "no",
    "comma-separated", "strict", "ordinary", "facilitated", "preferential",
]
LEAK = re.compile(r"(?<![\w@.-])(" + "|".join(map(re.escape, LEAKS)) + r")(?![\w@-])")

ROLES = {
    "officer": ("officer.dolinka@demo.kz", [
        "/officer", "/inmates/", "/inmates/new", "/training/", "/placements/runs",
        "/placements/", "/monitoring/findings", "/monitoring/audit"]),
    "employer": ("employer@demo.kz", [
        "/employer/", "/employer/vacancies", "/employer/vacancies/new",
        "/employer/labour-pool", "/employer/workers"]),
    "prosecutor": ("prosecutor.karaganda@demo.kz", [
        "/monitoring/", "/monitoring/trends", "/monitoring/violations", "/monitoring/audit",
        "/monitoring/?day=abc"]),
    "admin": ("admin@demo.kz", [
        "/admin/", "/admin/institutions", "/admin/users", "/admin/employers",
        "/admin/settings", "/admin/settings/2026", "/admin/trades", "/admin/trades/new"]),
}
# The first link of these lists is opened too (a profile, a vacancy, a run, evidence).
FOLLOW = {"/inmates/": r"/inmates/\d+$", "/employer/vacancies": r"/employer/vacancies/\d+$",
          "/placements/runs": r"/placements/runs/\d+$",
          "/monitoring/violations": r"/monitoring/placements/\d+$"}
BROWSER_LOCALES = {"ru": "ru-RU", "kk": "kk-KZ"}


def _leaks(text: str) -> list[str]:
    return sorted(set(LEAK.findall(text)))


def _visible_text(page) -> str:
    """The page's text without the user's own e-mail (login names are Latin)."""
    return page.inner_text("main") + " " + page.inner_text("header nav")


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize("role", list(ROLES))
def test_main_pages_show_no_english_in_russian_and_kazakh(browser, server_url, demo, role,
                                                            language):
    email, paths = ROLES[role]
    context = browser.new_context(base_url=server_url, locale=BROWSER_LOCALES[language],
                                  viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/login")  # first visit: the browser's language, before logging in
        assert page.get_attribute("html", "lang") == language
        log_in(page, email)
        found: dict[str, list[str]] = {}
        queue = list(paths)
        while queue:
            path = queue.pop(0)
            page.goto(path)
            assert page.get_attribute("html", "lang") == language, path
            leaks = _leaks(_visible_text(page))
            if leaks:
                found[path] = leaks
            _save_screenshot(page, role, path, language)
            if path in FOLLOW:
                links = [a for a in page.eval_on_selector_all(
                    "main a[href]", "els => els.map(e => e.getAttribute('href'))")
                    if re.search(FOLLOW[path], a or "")]
                queue += links[:1]
        assert found == {}
    finally:
        context.close()


def _save_screenshot(page, role: str, path: str, language: str) -> None:
    folder = os.environ.get("SCREENSHOTS_DIR")
    if not folder or language != "kk" or "?" in path:
        return
    name = re.sub(r"\d+", "n", path.strip("/").replace("/", "-")) or "home"
    target = Path(folder) / language / f"{role}-{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))
