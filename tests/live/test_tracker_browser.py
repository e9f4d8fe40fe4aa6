"""``/tracker`` in headless Chromium (Debian's ``chromium`` by Playwright's ``executable_path``):
at a desktop and a phone width it fits the window (no horizontal scrolling of the page; the
coverage tables scroll inside their own box), logs no console error, fetches nothing from
outside the server, and reads in both languages."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.utils.servers import LiveServer

pytestmark = pytest.mark.slow
WIDTHS = (1280, 390)


def _open(browser: Browser, server: LiveServer, width: int, target: str) -> tuple[Page, list[str]]:
    """The page at ``target`` in a window ``width`` wide; its console errors and any request to
    outside the server are collected in the list returned."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    problems: list[str] = []

    def guard(route: Route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            problems.append(f"outside request: {route.request.url}")
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    response = page.goto(server.url + target)
    assert response is not None
    assert response.status == 200
    return page, problems


@pytest.mark.parametrize("width", WIDTHS)
def test_the_tracker_fits_the_window_without_errors(
    browser: Browser, server: LiveServer, width: int, tmp_path: Path
) -> None:
    page, problems = _open(browser, server, width, "/tracker")
    assert page.locator("h1").inner_text() == "Implementation tracker"
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than a {width}px window"
    sections = page.locator("section.tracked h2").all_inner_texts()
    assert sections[0] == "Resolution 57-NQ/TW"
    assert page.locator(".gap", has_text="No implementing document known.").count() > 0
    assert page.locator(".links li.stated").count() > 0
    assert page.locator(".links li.derived .via").count() > 0
    page.screenshot(path=str(tmp_path / f"tracker-{width}.png"), full_page=False)
    page.context.close()
    assert problems == []


def test_the_tracker_reads_in_vietnamese_and_links_to_its_data(
    browser: Browser, server: LiveServer
) -> None:
    page, problems = _open(browser, server, 390, "/tracker?lang=vi")
    assert page.locator("h1").inner_text() == "Theo dõi triển khai"
    assert page.locator(".gap", has_text="Chưa biết văn bản nào triển khai.").count() > 0
    assert page.locator("section.tracked h2").first.inner_text() == "Nghị quyết 57-NQ/TW"
    csv = page.locator('head link[rel="alternate"][type="text/csv"]').get_attribute("href")
    assert csv == "/tracker?format=csv"
    page.locator("section.tracked h2 a").first.click()
    assert "/eli/vn/tw/nq/2024/57" in page.url
    page.context.close()
    assert problems == []
