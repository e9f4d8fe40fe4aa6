"""The implementation tracker: the catalogue query's rows grouped (``graph/read/tracker.py``) on
the corpus, and ``/tracker`` as page, SPARQL results JSON and CSV on the fixture corpus."""

import csv
import io
from html.parser import HTMLParser

import httpx
import pytest
from pyoxigraph import Store

from tests.utils.corpus import BASE, R57
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.network.views import view
from vnpolicy.graph.read.query import run_select, store_from_dataset
from vnpolicy.graph.read.tracker import Tracker, tracker_from_rows, tracker_query

R03 = BASE + "eli/vn/cp/nq/2025/03"
CIRCULAR = BASE + "eli/vn/bgddt/tt/2021/09"


@pytest.fixture(scope="module")
def tracker(dataset: Dataset) -> Tracker:
    store: Store = store_from_dataset(dataset)
    table = run_select(store, tracker_query())
    rows = [dict(zip(table.variables, row, strict=True)) for row in table.rows]
    return tracker_from_rows(rows, BASE)


def test_the_tracked_documents_come_in_order_with_their_items(tracker: Tracker) -> None:
    wholes = [document.whole.uri for document in tracker.documents]
    assert wholes == [R57, R03, CIRCULAR, BASE + "eli/vn/bgddt/cv/2024/4324-cntt"]
    r57 = tracker.documents[0]
    kinds = {item.kind for item in r57.items}
    assert kinds == {"task", "goal", "target"}
    tasks = [item.number for item in r57.items if item.steps[0][0] == "task"]
    assert tasks[:4] == ["1", "1.1", "2", "2.1"]
    government = [item.number for item in tracker.documents[1].items][:12]
    assert government.index("1.2") < government.index("1.10")


def test_each_task_of_57_lists_its_implementers_with_certainty_and_sources(
    tracker: Tracker,
) -> None:
    r57 = tracker.documents[0]
    by_number = {(item.steps[0][0], item.number): item for item in r57.items}
    task2 = by_number[("task", "2")]
    stated = [link for link in task2.stated_links if link.implementer == R03]
    assert len(stated) == 1
    assert stated[0].relation == "implements"
    assert stated[0].certainty in {"multiple-sources", "single-source"}
    assert stated[0].sources
    # Law 71/2025 contributes to a sub-task of 03/NQ-CP's task 2: a chain, never a stated link
    law71 = BASE + "eli/vn/qh15/luat/2025/71"
    chained = [link for link in task2.links if link.implementer == law71]
    assert [link.stated for link in chained] == [False]
    assert chained[0].via == R03 + "/section/2/task/2"
    assert chained[0].via_certainty
    assert not by_number[("task", "1.1")].links  # a gap: no implementing document known


def test_the_whole_resolution_is_implemented_directly_and_through_chains(
    tracker: Tracker,
) -> None:
    whole = tracker.documents[0].whole
    direct = {link.implementer for link in whole.stated_links}
    assert R03 in direct
    plan935 = BASE + "eli/vn/bgddt/kh/2025/935"
    assert plan935 not in direct  # it implements 03/NQ-CP and 01-KH/BCĐTW, not 57 itself
    through = {link.via for link in whole.derived_links if link.implementer == plan935}
    assert R03 in through
    for link in whole.links:
        assert link.certainty in {"multiple-sources", "single-source", "uncertain"}


def test_coverage_counts_asserted_and_derived_apart(tracker: Tracker) -> None:
    coverage = tracker.coverage()
    items = [item for document in tracker.documents for item in document.items]
    for pillar, counts in coverage.items():
        assert counts["asserted"] == sum(pillar in item.asserted for item in items)
        assert counts["derived"] == sum(
            pillar in item.derived and pillar not in item.asserted for item in items
        )
    assert coverage["institutions"]["asserted"] >= 1


class _Page(HTMLParser):
    """The text of elements by class, and the page's alternate links."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: dict[str, list[str]] = {}
        self.alternates: dict[str, str] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "alternate":
            self.alternates[attributes.get("type") or ""] = attributes.get("href") or ""
        if tag in ("p", "h1", "h2", "section"):
            self._open.append(attributes.get("class") or tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "h1", "h2", "section") and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and data.strip():
            self.texts.setdefault(self._open[-1], []).append(data.strip())


def test_the_page_shows_the_tracker_with_gaps_and_alternates(client: httpx.Client) -> None:
    response = client.get("/tracker", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["vary"] == "Accept, Accept-Language"
    page = _Page()
    page.feed(response.text)
    assert page.texts["h1"] == ["Implementation tracker"]
    assert "No implementing document known." in page.texts["gap"]
    assert page.alternates == {
        "application/sparql-results+json": "/tracker?format=json",
        "text/csv": "/tracker?format=csv",
        "application/atom+xml": "/feeds/changes.atom",  # every page links the change feed
    }
    assert 'rel="alternate"; type="text/csv"' in response.headers["link"]
    vietnamese = _Page()
    vietnamese.feed(client.get("/tracker?lang=vi").text)
    assert vietnamese.texts["h1"] == ["Theo dõi triển khai"]


@pytest.mark.parametrize(
    ("request_headers", "params", "media_type"),
    [
        ({"Accept": "application/sparql-results+json"}, {}, "application/sparql-results+json"),
        ({"Accept": "application/json"}, {}, "application/json"),
        ({}, {"format": "json"}, "application/sparql-results+json"),
        ({"Accept": "text/csv"}, {}, "text/csv; charset=utf-8"),
        ({"Accept": "text/html"}, {"format": "csv"}, "text/csv; charset=utf-8"),
    ],
)
def test_json_and_csv_are_negotiated(
    client: httpx.Client, request_headers: dict[str, str], params: dict[str, str], media_type: str
) -> None:
    response = client.get("/tracker", headers=request_headers, params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.headers["vary"] == "Accept"


def test_json_and_csv_hold_the_same_rows(client: httpx.Client) -> None:
    data = client.get("/tracker", params={"format": "json"}).json()
    variables = data["head"]["vars"]
    assert variables[:3] == ["tracked", "item", "kind"]
    rows = [
        [binding.get(name, {}).get("value", "") for name in variables]
        for binding in data["results"]["bindings"]
    ]
    table = list(csv.reader(io.StringIO(client.get("/tracker", params={"format": "csv"}).text)))
    assert table[0] == variables
    assert sorted(table[1:]) == sorted(rows)
    items = {row[variables.index("item")] for row in rows}
    assert R57 in items
    gaps = [row for row in rows if not row[variables.index("implementer")]]
    assert gaps  # items with no implementing document known are rows too


def test_an_unoffered_format_is_refused_with_406_naming_the_offers(client: httpx.Client) -> None:
    response = client.get("/tracker", headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    assert "text/csv" in response.text
    assert client.get("/tracker", params={"format": "xml"}).status_code == 406


def test_resolution_57_and_the_home_page_link_to_the_tracker(client: httpx.Client) -> None:
    page = client.get("/eli/vn/tw/nq/2024/57.html").text
    assert 'href="/tracker#tracked-1"' in page
    assert 'href="/tracker"' in client.get("/").text


def test_the_tracker_network_view_marks_chains_as_derived(dataset: Dataset) -> None:
    network = view(store_from_dataset(dataset), "tracker")
    implementing = [edge for edge in network.edges if edge.kind == "implementation"]
    assert {edge.assertion for edge in implementing} == {"asserted", "derived"}
    assert all(edge.certainty and edge.sources for edge in implementing)
    law71 = BASE + "eli/vn/qh15/luat/2025/71"
    task2 = R57 + "/section/3/task/2"
    assert [e.assertion for e in implementing if (e.source, e.target) == (law71, task2)] == [
        "derived"
    ]
    assert network.nodes[task2].pillars == ["institutions"]
