"""Search in headless Chromium (Debian's, through Playwright): the box in the header suggests as
one types and the keyboard reaches the document; without JavaScript the box is a plain form;
the search page fits a phone's width and passes axe-core with no serious or critical violation.
Screenshots at 1280 and 390 px are written to the test's temporary folder (kept by pytest as
artefacts)."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.live.test_pages_browser import page  # noqa: F401  (a fixture)
from tests.utils.axe import AXE
from tests.utils.axe import serious_violations as _serious_violations
from tests.utils.corpus import R57, path
from tests.utils.servers import LiveServer

pytestmark = pytest.mark.slow


def test_typing_in_the_search_box_reaches_resolution_57(page: Page, server: LiveServer) -> None:  # noqa: F811
    page.goto(server.url + "/")
    box = page.locator("#site-search")
    box.press_sequentially("Nghi quyet 57", delay=20)
    first = page.locator("#site-search-list [role=option]").first
    first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert first.inner_text().startswith("Resolution 57-NQ/TW")
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    box.press("Enter")
    page.wait_for_url(f"**{path(R57)}.html")
    assert page.locator("h1").inner_text() == "Resolution 57-NQ/TW"


def test_escape_closes_the_suggestions(page: Page, server: LiveServer) -> None:  # noqa: F811
    page.goto(server.url + "/query")
    box = page.locator("#site-search")
    box.press_sequentially("dữ liệu", delay=20)
    page.locator("#site-search-list [role=option]").first.wait_for()
    box.press("Escape")
    assert page.locator("#site-search-list").is_hidden()
    assert box.get_attribute("aria-expanded") == "false"


def test_without_javascript_the_box_is_a_form(browser: Browser, server: LiveServer) -> None:
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    try:
        plain = context.new_page()
        plain.goto(server.url + "/?lang=vi")
        plain.locator("#site-search").fill("du lieu")
        plain.locator("#site-search").press("Enter")
        plain.wait_for_url("**/search?q=du+lieu&lang=vi")
        marks = plain.locator(".search-snippet mark").all_inner_texts()
        assert "dữ liệu" in [mark.lower() for mark in marks]
        assert plain.locator("h1").inner_text() == "Tìm kiếm"
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_search_page_fits_the_screen(
    browser: Browser,
    server: LiveServer,
    width: int,
    tmp_path: Path,
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    try:
        shown = context.new_page()
        errors: list[str] = []
        shown.on(
            "console",
            lambda message: errors.append(message.text) if message.type == "error" else None,
        )
        shown.goto(server.url + "/search?q=Nghi+quyet+57")
        assert shown.locator(".search-hit-title").first.inner_text() == "Resolution 57-NQ/TW"
        assert shown.evaluate("document.documentElement.scrollWidth") <= width
        shown.locator("#site-search").press_sequentially("4324", delay=20)
        shown.locator("#site-search-list [role=option]").first.wait_for()
        shown.screenshot(path=tmp_path / f"search-{width}.png", full_page=True)
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_search_page_passes_axe(page: Page, server: LiveServer, lang: str) -> None:  # noqa: F811
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run 'npm ci --prefix tests/js'")
    page.goto(server.url + f"/search?q=Nghi+quyet+57&lang={lang}")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert _serious_violations(page) == []
    # Again with the suggestions open.
    page.locator("#site-search").press_sequentially("57-NQ", delay=20)
    page.locator("#site-search-list [role=option]").first.wait_for()
    assert _serious_violations(page) == []
