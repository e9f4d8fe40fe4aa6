"""The HTML pages in headless Chromium (Debian's ``chromium``, driven by Playwright with
``executable_path``; no browser download): resource pages, the language switch, the embedded
schema.org data, and the query page — with every request outside 127.0.0.1 blocked and counted."""

import json
import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route
from rdflib import RDFS, Graph, URIRef

from tests.utils.corpus import BASE, R57, VIEWPOINT, path
from tests.utils.servers import LiveServer
from tests.utils.sparql import count
from vnpolicy.graph.paths import ONTOLOGY_DIR

pytestmark = pytest.mark.slow
RELATION = "?r a vnp:DocumentRelation ; vnp:relationType ?type"


@pytest.fixture
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    """A fresh page that may only talk to the test server; outside requests are recorded."""
    context = browser.new_context(locale="en-GB")
    outside: list[str] = []

    def guard(route: Route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    opened = context.new_page()
    yield opened
    context.close()
    assert outside == [], "the page fetched something from outside the server"


def test_a_provision_page_shows_texts_pillars_and_provenance(
    page: Page, server: LiveServer
) -> None:
    page.goto(server.url + path(VIEWPOINT))
    assert page.url.endswith(".html")
    assert page.locator("h1").inner_text() == "Guiding viewpoint 3 — Resolution 57-NQ/TW"
    wordings = page.locator(".wording blockquote")
    assert wordings.count() == 2
    assert {wordings.nth(i).get_attribute("lang") for i in range(2)} == {"en"}
    assert page.locator(".badge.asserted").count() == 5
    assert page.locator(".badge.derived").count() == 5
    turtle = page.locator('head link[rel="alternate"][type="text/turtle"]')
    assert turtle.get_attribute("href") == path(VIEWPOINT) + ".ttl"
    graphs = page.locator(".graphs li a").all_inner_texts()
    assert "graph/eli/vn/tw/nq/2024/57" in graphs
    page.locator(".badge.asserted a", has_text="data").first.click()
    assert page.url.endswith("/vocab/pillar/data.html")


def test_the_language_switch_shows_vietnamese_names(page: Page, server: LiveServer) -> None:
    page.goto(server.url + path(R57))
    assert page.locator("h1").inner_text() == "Resolution 57-NQ/TW"
    page.get_by_role("link", name="Tiếng Việt").click()
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == "Nghị quyết 57-NQ/TW"
    assert "?lang=vi" in page.url


def test_a_document_page_has_relations_paging_and_schema_org_data(
    page: Page, server: LiveServer
) -> None:
    page.goto(server.url + path(R57))
    data = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    assert data["@type"] == "Legislation"
    assert data["legislationIdentifier"] == "57-NQ/TW"
    assert data["legislationDate"] == "2024-12-22"
    relations = count(
        server.http,
        f"SELECT DISTINCT ?r {{ {RELATION} {{ ?r vnp:fromResource <{R57}> }} "
        f"UNION {{ ?r vnp:toResource <{R57}> }} }}",
    )
    rows = page.locator(".relations li.incoming, .relations li.outgoing")
    assert rows.count() == relations
    implementing = count(
        server.http,
        f"SELECT DISTINCT ?r {{ {RELATION} ; vnp:toResource <{R57}> "
        f"FILTER(?type = <{BASE}vocab/relation-type/implements>) }}",
    )
    implements = page.locator('.relation-group.incoming[data-kind="implements"] li')
    assert page.locator('.relation-group.incoming[data-kind="implements"] h3').inner_text() == (
        f"Implemented by ({implementing})"
    )
    assert implements.count() == implementing
    links = count(server.http, f"SELECT DISTINCT ?s ?p {{ ?s ?p <{R57}> }}")
    assert 100 < links <= 200, "two pages of links to 57"
    assert page.locator(".incoming table tr").count() == 100
    page.locator('.paging a[rel="next"]').click()
    assert "page=2" in page.url
    assert page.locator(".incoming table tr").count() == links - 100


def test_the_query_page_runs_catalogue_examples_offline(page: Page, server: LiveServer) -> None:
    page.goto(server.url + "/query")
    page.locator("button.example", has_text="viewpoints").first.click()
    page.wait_for_selector("#results table")
    assert page.locator("#results tbody tr").count() == 5
    # The editor (CodeMirror, in a shadow root the locators pierce) replaces the textarea.
    editor = page.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text("SELECT ?v WHERE { ?v a vnp:GuidingViewpoint } ORDER BY ?v")
    page.keyboard.press("Escape")  # the completion list, if open
    page.keyboard.press("Control+Enter")
    # Locators, not wait_for_function: the pages' Content-Security-Policy forbids eval.
    page.locator("#status", has_text=re.compile(r"^5 rows")).wait_for()
    link = page.locator("#results tbody a").first
    assert link.get_attribute("href") == path(R57) + "/section/1/viewpoint/1"
    page.keyboard.press("Control+A")
    page.keyboard.insert_text("SELECT ?x WHERE { ?x a vnp:Nothing ")
    page.keyboard.press("Escape")
    page.keyboard.press("Control+Enter")
    page.locator("#status", has_text=re.compile(r"^400")).wait_for()
    assert "Invalid SPARQL" in page.locator("#status").inner_text()
    csv = page.locator("a.download[data-format=csv]").get_attribute("href") or ""
    assert csv.startswith("/sparql?query=SELECT")
    assert csv.endswith("format=csv")


def test_open_in_the_query_page_runs_the_statements_of_a_resource(
    page: Page, server: LiveServer
) -> None:
    page.goto(server.url + path(VIEWPOINT))
    link = page.get_by_role("link", name="Open in the query page")
    [query] = parse_qs(urlsplit(link.get_attribute("href") or "").query)["query"]
    link.click()
    page.wait_for_selector("#results table")
    assert page.locator("#results tbody tr").count() == count(server.http, query)
    assert BASE + "graph/eli/vn/tw/nq/2024/57" in page.locator("#results").inner_text()


def test_an_ontology_term_opens_at_its_entry_on_the_ontology_page(
    page: Page, server: LiveServer
) -> None:
    model = Graph().parse(ONTOLOGY_DIR / "vnpolicy.ttl", format="turtle")
    defined = {
        str(term).rsplit("#", 1)[1]
        for term in model.subjects(RDFS.isDefinedBy, URIRef(f"{BASE}ontology"))
    }
    page.goto(server.url + "/ontology#Document")
    assert page.url.endswith("/ontology.html#Document")
    entry = page.locator("section.term#Document")
    assert entry.locator("h3").inner_text().startswith("document")
    assert entry.is_visible()
    anchors = page.locator("section.term").evaluate_all("nodes => nodes.map(n => n.id)")
    assert set(anchors) == defined
    entry.get_by_role("link", name="legal resource", exact=True).click()
    assert "uri=http%3A%2F%2Fdata.europa.eu%2Feli%2Fontology%23LegalResource" in page.url
    page.goto(server.url + "/vocab/pillar.html?lang=vi")
    assert page.locator("section.term").count() == 5
    assert page.locator("section.term#data h3").inner_text() == "dữ liệu · data"
