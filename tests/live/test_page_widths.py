"""Pages for reading at a desk and on a phone: every kind of page — Resolution 57's, a provision,
a target, the home page, the query page and a query's form, browsing, search, the tracker and
the ontology — at 1280 and 390 px, in English and Vietnamese, in Debian's Chromium: none may
scroll sideways or log an error, and each passes axe-core with no serious or critical
violation. Each is saved as a full-page screenshot in ``test-artifacts/pages/`` (ignored by
git) for a person to look at."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.utils.axe import AXE, serious_violations
from tests.utils.corpus import R57, VIEWPOINT, path
from tests.utils.servers import LiveServer

pytestmark = pytest.mark.slow
ARTEFACTS = Path(__file__).parent.parent.parent / "test-artifacts" / "pages"
TARGET = R57 + "/section/2/goal/1/target/9"
PAGES = {
    "resolution-57": path(R57) + ".html",
    "provision": path(VIEWPOINT) + ".html",
    "target": path(TARGET) + ".html",
    "home": "/",
    "query": "/query",
    "browse": "/browse",
    "eli-browse": "/eli/vn/cp/nd",
    "search": "/search?q=du+lieu",
    "tracker": "/tracker",
    "query-form": "/query/04-targets-2030",
    "ontology": "/ontology.html",
}
WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("page_name", sorted(PAGES))
def test_a_page_fits_its_window_without_scrolling_sideways(
    browser: Browser, server: LiveServer, page_name: str, width: str, language: str
) -> None:
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda message: errors.append(message.text) if message.type == "error" else None,
        )
        url = PAGES[page_name]
        page.goto(server.url + url + ("&" if "?" in url else "?") + f"lang={language}")
        assert page.locator("html").get_attribute("lang") == language
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTEFACTS / f"{page_name}-{width}-{language}.png", full_page=True)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        inner_width = page.evaluate("window.innerWidth")
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
        )
        assert scroll_width <= inner_width, f"{url} is {scroll_width} px wide: {wide}"
        assert errors == []
        if width == "desktop":  # the same markup at both widths: one accessibility check
            if not AXE.is_file():
                pytest.skip("axe-core is not installed: run 'npm ci --prefix tests/js'")
            page.evaluate(AXE.read_text(encoding="utf-8"))
            assert serious_violations(page) == [], url
    finally:
        context.close()
