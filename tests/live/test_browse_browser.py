"""The browse pages in headless Chromium at a desktop and a phone width, in both languages: no
horizontal scrolling, facets that narrow the list, paging; screenshots are kept in
``test-artifacts/screenshots/`` for a person to look at."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Response

from tests.utils.servers import LiveServer

pytestmark = pytest.mark.slow
SCREENSHOTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}


def _open(browser: Browser, server: LiveServer, width: int, target: str) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda response: _failed(response, errors))
    page.goto(server.url + target)
    return page, errors


def _failed(response: Response, errors: list[str]) -> None:
    """Record a failed request."""
    if response.status >= 400:
        errors.append(f"{response.status} {response.url}")


def _overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize(
    "target",
    ["/browse", "/browse?lang=vi", "/browse?type=decree", "/eli/vn", "/eli/vn/cp/nd?lang=vi",
     "/eli/vn/tw/nq/2024", "/", "/?lang=vi&sort=number"],
)  # fmt: skip
def test_browse_pages_fit_the_window(
    browser: Browser, server: LiveServer, width: int, target: str
) -> None:
    page, errors = _open(browser, server, width, target)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = target.strip("/").replace("/", "_").replace("?", "_").replace("&", "_") or "home"
    page.screenshot(path=SCREENSHOTS / f"browse-{name}-{width}.png", full_page=True)
    assert _overflow(page) <= 0
    assert errors == []
    page.close()


def test_a_reader_narrows_the_list_and_pages_through_it(
    browser: Browser, server: LiveServer
) -> None:
    page, errors = _open(browser, server, WIDTHS["phone"], "/browse")
    total = len(page.locator("table.documents-list tbody tr").all())
    assert total == 50  # the first page of the 63 documents
    page.get_by_role("link", name="next →").click()
    assert len(page.locator("table.documents-list tbody tr").all()) > 0
    assert "page=2" in page.url
    page.get_by_role("link", name="Law", exact=True).click()
    rows = page.locator("table.documents-list tbody tr")
    assert 0 < rows.count() < total
    assert all("law" in rows.nth(i).inner_text().lower() for i in range(rows.count()))
    assert "page=" not in page.url  # narrowing starts again at page 1
    page.locator(".chosen-filter a").click()
    assert len(page.locator("table.documents-list tbody tr").all()) == total
    assert errors == []
