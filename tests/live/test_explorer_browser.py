"""The graph explorer in headless Chromium (Debian's, through Playwright): it draws each view with
sigma.js at the positions the export carries, with labels; search prefers an exact number;
filters and the legend speak the page's language; a selected node opens its page; the page fits
a 390 px phone and passes axe-core with no serious or critical violation. Screenshots are kept
in ``test-artifacts/screenshots/`` for people to look at."""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, sync_playwright

from tests.utils.axe import AXE, serious_violations
from tests.utils.corpus import R57
from tests.utils.paths import ROOT
from tests.utils.programs import require_program
from tests.utils.servers import LiveServer
from tests.utils.waiting import wait_until

pytestmark = pytest.mark.slow
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
LAW_57 = "https://w3id.org/vnpolicy/eli/vn/qh13/luat/2014/57"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = require_program("chromium", package="chromium")
    with sync_playwright() as playwright:
        # SwiftShader draws WebGL without a GPU, as on a CI machine.
        launched = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
        )
        yield launched
        launched.close()


class Watched:
    """A page that may talk only to the test server, with its console errors and outside
    requests recorded."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)


@pytest.fixture(params=sorted(WIDTHS))
def watched(
    request: pytest.FixtureRequest, browser: Browser, server: LiveServer
) -> Iterator[Watched]:
    width, height = WIDTHS[request.param]
    context = browser.new_context(
        locale="en-GB", viewport={"width": width, "height": height}, is_mobile=width < 500,
        has_touch=width < 500,
    )  # fmt: skip
    page = context.new_page()
    seen = Watched(page)

    def guard(route: Route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            seen.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    yield seen
    context.close()
    assert seen.outside == [], "the page fetched something from outside the server"


def _open(page: Page, server: LiveServer, view: str = "documents", lang: str = "en") -> None:
    page.goto(f"{server.url}/explore?lang={lang}")
    if view != "documents":
        page.wait_for_selector("#explorer[data-loaded='documents']")
        page.select_option("#view", view)
    page.wait_for_selector(f"#explorer[data-loaded='{view}']")


def _export(server: LiveServer, view: str, lang: str = "en") -> dict[str, Any]:
    document: dict[str, Any] = server.http.get(f"/export/{view}.d3.json?lang={lang}").json()
    return document


def _overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scrolling)."""
    width: int = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return width


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _painted(page: Page) -> int:
    """Pixels of the WebGL node layer that are not blank (read in the same task as a redraw:
    WebGL keeps no drawing once it is on the screen)."""
    count: int = page.evaluate(
        """() => {
          explorer.redraw();
          const source = document.querySelector('#network canvas.sigma-nodes');
          const copy = document.createElement('canvas');
          copy.width = source.width; copy.height = source.height;
          const context = copy.getContext('2d');
          context.drawImage(source, 0, 0);
          const data = context.getImageData(0, 0, copy.width, copy.height).data;
          let painted = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]) painted++;
          return painted;
        }"""
    )
    return count


def _width(watched: Watched) -> str:
    return "phone" if watched.page.viewport_size["width"] < 500 else "desktop"  # type: ignore[index]


@pytest.mark.parametrize("view", ["documents", "policy-map", "full"])
def test_each_view_is_drawn_whole_with_labels(
    watched: Watched, server: LiveServer, view: str
) -> None:
    page = watched.page
    _open(page, server, view)
    _shot(page, f"explorer-{view}-{_width(watched)}")
    nodes = _export(server, view)["nodes"]
    assert sorted(page.evaluate("explorer.drawn()")) == sorted(n["id"] for n in nodes)
    assert _painted(page) > 2000, "the WebGL layer is blank"
    labels = page.evaluate("explorer.labels()")
    by_id = {n["id"]: n for n in nodes}
    assert len(labels) >= min(8, len(nodes)), "too few labels are drawn"
    # The labels drawn are the best connected nodes' (sigma draws the largest first).
    biggest = max(nodes, key=lambda n: n["in_degree"] + n["out_degree"])
    assert biggest["id"] in labels
    assert all(by_id[node]["label"] for node in labels)
    status = page.locator("#explorer-status").inner_text()
    assert f"{len(nodes)} of {len(nodes)} nodes" in status
    assert _overflow(page) == 0
    assert watched.errors == []


def test_searching_a_number_selects_the_document_with_that_number(
    watched: Watched, server: LiveServer
) -> None:
    page = watched.page
    _open(page, server)
    numbers = {n["id"]: n["number"] for n in _export(server, "documents")["nodes"]}
    assert numbers[LAW_57] == "57/2014/QH13", "the corpus has a law numbered 57 too"
    page.fill("#search", "57")
    page.locator("#selection h2").wait_for()
    assert page.evaluate("explorer.selected()") == R57
    assert page.evaluate("explorer.search('57')")[:2] == [R57, LAW_57]
    page.fill("#search", "57/2014/QH13")
    page.locator("#selection h2", has_text="57/2014").wait_for()
    assert page.evaluate("explorer.selected()") == LAW_57
    page.fill("#search", "nghi quyet 57-nq/tw")
    page.locator("#selection h2", has_text="57-NQ/TW").wait_for()
    assert page.evaluate("explorer.selected()") == R57
    _shot(page, f"explorer-search-{_width(watched)}")
    # The panel lists the neighbours and opens the page.
    around = page.locator("#selection li")
    assert around.count() == min(30, len(set(_neighbours(server, R57))))
    page.locator("#selection a.open").click()
    page.wait_for_url("**/eli/vn/tw/nq/2024/57.html")
    assert watched.errors == []


def _neighbours(server: LiveServer, node: str) -> list[str]:
    links = _export(server, "documents")["links"]
    return [link["target"] for link in links if link["source"] == node] + [
        link["source"] for link in links if link["target"] == node
    ]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_filters_and_legend_speak_the_page_language(
    watched: Watched, server: LiveServer, lang: str
) -> None:
    page = watched.page
    _open(page, server, "policy-map", lang)
    data = _export(server, "policy-map", lang)
    types = page.locator("#filter-type label").all_inner_texts()
    expected_types = {n["type_label"] for n in data["nodes"] if n["type"]}
    assert {re.sub(r"\s+\d+$", "", text.strip()) for text in types} == expected_types
    assert not any(":" in text or "-" in text.split()[0] for text in types), types
    pillars = page.locator("#filter-pillar label").all_inner_texts()
    human = "dữ liệu" if lang == "vi" else "data"
    assert any(text.strip().startswith(human) for text in pillars), pillars
    assert not any("human-resources" in text or "strategic-technology" in text for text in pillars)
    legend = page.locator("#explorer legend").all_inner_texts()
    assert ("Trụ cột" in legend) == (lang == "vi")
    assert ("Pillars" in legend) == (lang == "en")
    status = page.locator("#explorer-status").inner_text()
    assert status.startswith("Hiển thị" if lang == "vi" else f"{len(data['nodes'])} of")
    certainty = page.locator("#filter-certainty label").all_inner_texts()
    assert not any("multiple-sources" in text for text in certainty)
    # Ticking a type off hides exactly its nodes; the colours of the legend are the nodes'.
    first = page.locator("#filter-type input").first
    hidden_type = first.get_attribute("value")
    first.uncheck()
    drawn = set(page.evaluate("explorer.drawn()"))
    assert drawn == {n["id"] for n in data["nodes"] if (n["type"] or "(none)") != hidden_type}
    assert _overflow(page) == 0
    _shot(page, f"explorer-filters-{lang}-{_width(watched)}")
    assert watched.errors == []


def test_the_year_filter_keeps_documents_of_those_years(
    watched: Watched, server: LiveServer
) -> None:
    page = watched.page
    _open(page, server)
    nodes = _export(server, "documents")["nodes"]
    years = sorted({n["date"][:4] for n in nodes if n["date"]})
    page.select_option("#year-from", "2025")
    page.select_option("#year-to", years[-1])
    drawn = set(page.evaluate("explorer.drawn()"))
    assert drawn == {n["id"] for n in nodes if not n["date"] or n["date"][:4] >= "2025"}
    assert R57 not in drawn  # signed in 2024
    assert watched.errors == []


def test_pointing_at_a_node_lights_up_its_neighbourhood(
    watched: Watched, server: LiveServer
) -> None:
    """The selected node and its neighbours keep their colours, the rest fade; pointing at
    another node lights up its neighbourhood instead, and leaving it brings back the
    selection's; on a phone, tapping a node selects it."""
    page = watched.page
    _open(page, server)
    assert set(page.evaluate("explorer.lit()")) == set(page.evaluate("explorer.drawn()"))
    page.fill("#search", "57/2014/QH13")
    page.locator("#selection h2", has_text="57/2014").wait_for()
    assert set(page.evaluate("explorer.lit()")) == {LAW_57, *_neighbours(server, LAW_57)}
    page.locator("#fit").click()
    page.locator("#network").scroll_into_view_if_needed()
    phone = _width(watched) == "phone"
    r57_around = {R57, *_neighbours(server, R57)}

    def settled() -> dict[str, float] | None:
        """Resolution 57's place on the screen once the camera has stopped moving (its animation
        over, and the place the same twice: a loaded machine draws frames late)."""
        if page.evaluate("explorer.moving()"):
            return None
        before = page.evaluate(f"explorer.screenPosition({json.dumps(R57)})")
        page.wait_for_timeout(50)
        after: dict[str, float] = page.evaluate(f"explorer.screenPosition({json.dumps(R57)})")
        return after if after == before else None

    at = wait_until(settled, "the camera to stop")
    if phone:  # nothing hovers on a phone: a tap (one: two would open the page) selects
        page.touchscreen.tap(at["x"], at["y"])
    else:
        page.mouse.move(at["x"], at["y"])
    wait_until(
        lambda: set(page.evaluate("explorer.lit()")) == r57_around,
        "Resolution 57's neighbourhood to light up",
    )
    _shot(page, f"explorer-neighbourhood-{_width(watched)}")
    if phone:
        assert page.evaluate("explorer.selected()") == R57
    else:
        page.mouse.move(1, 1)
        law_around = {LAW_57, *_neighbours(server, LAW_57)}
        wait_until(lambda: set(page.evaluate("explorer.lit()")) == law_around, "the selection")
    assert watched.errors == []


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_explorer_passes_axe(watched: Watched, server: LiveServer, lang: str) -> None:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run 'npm ci --prefix tests/js'")
    page = watched.page
    _open(page, server, "documents", lang)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    assert serious_violations(page) == []
    # Again with a node selected: the panel with its links, and search results.
    page.fill("#search", "57")
    page.locator("#selection h2").wait_for()
    assert serious_violations(page) == []
    assert watched.errors == []
