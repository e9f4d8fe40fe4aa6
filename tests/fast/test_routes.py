"""The routing table: every (method, route) of ``app.routes`` with a request that reaches it and
the status and media type it answers — a route added without a row here fails the coverage test.
Also ``/health`` and its place in the OpenAPI description."""

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.routing import Match, Mount, Route

from tests.utils.corpus import R57, R57_GRAPH, path
from tests.utils.inprocess import InProcessApp
from vnpolicy.graph.network.catalog import FORMAT_INFO
from vnpolicy.graph.read.query import catalogue

ASK = {"query": "ASK {}"}
TRIPLE = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> ."
NT = {"Content-Type": "application/n-triples"}
CONSTRUCT = "CONSTRUCT { ?a eli:implements ?b } WHERE { ?a eli:implements ?b }"


@dataclass(frozen=True)
class Row:
    method: str
    route: str  #: the path of the route in ``app.routes`` that must answer
    target: str  #: the request's path and query
    status: int
    media_type: str | None  #: None: a redirect to the HTML description
    request: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}"


def _read(
    route: str, target: str, status: int, media_type: str | None, **request: Any
) -> list[Row]:
    """GET and HEAD of a read-only route, which answer alike (HEAD without the body)."""
    return [Row(method, route, target, status, media_type, request) for method in ("GET", "HEAD")]


def _refused(route: str, target: str, *methods: str, status: int, **request: Any) -> list[Row]:
    return [Row(method, route, target, status, "text/plain", request) for method in methods]


ROWS: list[Row] = [
    *_read("/sparql", "/sparql", 200, "application/sparql-results+json", params=ASK),
    Row("POST", "/sparql", "/sparql", 200, "application/sparql-results+json", {"data": ASK}),
    *_refused("/sparql", "/sparql", "PUT", "DELETE", "PATCH", status=405),
    Row("POST", "/update", "/update", 403, "text/plain",
        {"content": b"CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}}),
    *_refused("/update", "/update", "GET", "HEAD", "PUT", "DELETE", "PATCH", status=405),
    *_read("/store", f"/store?graph={R57_GRAPH}", 200, "text/turtle"),
    *_refused("/store", f"/store?graph={R57_GRAPH}", "DELETE", status=403),
    *_refused("/store", "/store?graph=http://example.org/g", "PUT", "POST", status=403,
              content=TRIPLE, headers=NT),
    *_read("/store/{path:path}", "/store/no/such/graph", 404, "text/plain"),
    *_refused("/store/{path:path}", "/store/no/such/graph", "DELETE", status=403),
    *_refused("/store/{path:path}", "/store/no/such/graph", "PUT", "POST", status=403,
              content=TRIPLE, headers=NT),
    *_read("/health", "/health", 200, "application/json"),
    *_read("/explore", "/explore", 200, "text/html"),
    *_read("/tracker", "/tracker", 200, "text/html"),
    *_read("/export/{name}", "/export/documents.graphml", 200, FORMAT_INFO["graphml"].media_type),
    Row("POST", "/export", "/export", 200, FORMAT_INFO["d3"].media_type,
        {"data": {"query": CONSTRUCT, "format": "d3"}}),
    *_read("/", "/", 200, "text/html"),
    *_read("/query", "/query", 200, "text/html"),
    *_read("/.well-known/void", "/.well-known/void", 200, "text/turtle",
           headers={"Accept": "text/turtle"}),
    *_read("/catalog", "/catalog", 200, "application/ld+json",
           headers={"Accept": "application/ld+json"}),
    *_read("/sitemap.xml", "/sitemap.xml", 200, "application/xml"),
    *_read("/browse", "/browse", 200, "text/html"),
    *_read("/robots.txt", "/robots.txt", 200, "text/plain"),
    *_read("/favicon.ico", "/favicon.ico", 200, "image/x-icon"),
    *_read("/dumps/{name}", "/dumps/vnpolicy.nq", 200, "application/n-quads"),
    *_read("/resource", "/resource?uri=http://www.w3.org/2004/02/skos/core%23Concept", 200,
           "text/turtle", headers={"Accept": "text/turtle"}),
    *_read("/{path:path}", path(R57), 303, None),
    *_read("/openapi.json", "/openapi.json", 200, "application/json"),
    *_read("/releases", "/releases", 200, "text/turtle"),
    *_read("/releases/{identifier}", "/releases/nope", 404, "text/plain"),
    *_read("/releases/{identifier}/{rest:path}", "/releases/nope/vnpolicy.nq", 404, "text/plain"),
    *_read("/ldes", "/ldes", 200, "text/turtle"),
    *_read("/ldes/pages", "/ldes/pages", 200, "text/turtle"),
    *_read("/ldes/pages/{identifier}", "/ldes/pages/nope", 404, "text/plain"),
    *_read("/feeds/changes.atom", "/feeds/changes.atom", 200, "application/atom+xml"),
    *_read("/feeds/{kind}/{code}.atom", "/feeds/type/decree.atom", 200, "application/atom+xml"),
    *_read("/timegate/{path:path}", "/timegate/eli/vn/none/1", 404, "text/plain"),
    *_read("/timemap/{path:path}", f"/timemap{path(R57)}", 200, "application/link-format"),
    *_read("/search", "/search?q=57", 200, "text/html"),
    *_read("/search/suggest", "/search/suggest?q=57", 200, "application/x-suggestions+json"),
    *_read("/opensearch.xml", "/opensearch.xml", 200, "application/opensearchdescription+xml"),
    *_read("/id", "/id?number=69", 300, "text/html"),
    Row("GET", "/static", "/static/style.css", 200, "text/css"),
    # the research query catalogue as an API (issue 22): one route per query, then any other name
    *_read("/api/queries", "/api/queries", 200, "application/json"),
    *_read("/api/terms", "/api/terms", 200, "application/json"),
    *[row for query in catalogue() for row in _read(
        f"/api/queries/{query.name}", f"/api/queries/{query.name}", 200,
        "application/sparql-results+json")],
    *_read("/api/queries/{name}", "/api/queries/no-such-query", 404, "text/plain"),
    *_read("/query/{name}", "/query/04-targets-2030", 200, "text/html"),
]  # fmt: skip


def _routed(app: FastAPI) -> set[tuple[str, str]]:
    """Every (method, path) the application routes; a mount serves GET."""
    pairs = set()
    for route in app.routes:
        if isinstance(route, Route):
            pairs |= {(method, route.path) for method in route.methods or ()}
        elif isinstance(route, Mount):
            pairs.add(("GET", route.path))
    return pairs


def _answering_route(app: FastAPI, method: str, target: str) -> str:
    """The path of the first route that matches a request, as the router chooses it."""
    scope = {"type": "http", "method": method, "path": httpx.URL(target).path}
    for route in app.routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return str(getattr(route, "path", ""))
    raise AssertionError(f"no route matches {method} {target}")


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_each_route_answers_as_the_table_says(app: InProcessApp, row: Row) -> None:
    assert _answering_route(app.app, row.method, row.target) == row.route
    response = app.client.request(row.method, row.target, **row.request)
    assert response.status_code == row.status, response.text[:300]
    if row.media_type is None:
        assert response.headers["location"] == f"{row.target}.html"
    else:
        assert response.headers["content-type"].split(";")[0] == row.media_type
    if row.method == "HEAD":
        assert response.content == b""


def test_the_table_covers_every_route_and_no_other(app: InProcessApp) -> None:
    assert {(row.method, row.route) for row in ROWS} == _routed(app.app)
    assert len({row.id for row in ROWS}) == len(ROWS), "a route has two rows"


def test_health_counts_the_query_workers(app: InProcessApp) -> None:
    response = app.client.get("/health")
    assert response.json() == {
        "status": "ok",
        "workers": {"configured": 2, "ready": 2, "busy": 0, "replacing": 0, "waiting": 0},
    }
    assert app.settings.query_workers == 2
    assert response.headers["cache-control"] == "no-store"


def test_health_is_described_in_the_openapi_document(app: InProcessApp) -> None:
    described = app.client.get("/openapi.json").json()
    answer = described["paths"]["/health"]["get"]["responses"]["200"]
    reference = answer["content"]["application/json"]["schema"]["$ref"]
    schemas = described["components"]["schemas"]
    health = schemas[reference.rsplit("/", 1)[1]]
    assert health["properties"]["status"]["enum"] == ["ok", "degraded"]
    workers = schemas[health["properties"]["workers"]["$ref"].rsplit("/", 1)[1]]
    assert set(workers["required"]) == {"configured", "ready", "busy", "replacing"}
