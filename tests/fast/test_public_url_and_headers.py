"""What the server writes does not depend on the request's ``Host`` (absolute URLs come from the
public URL), every answer carries the security headers, URIs under the base never become
off-site links, and the routes mount in another application."""

import xml.etree.ElementTree as ET

import httpx
import pytest
from fastapi import FastAPI
from rdflib import URIRef

from tests.utils.corpus import BASE, R57, path
from tests.utils.inprocess import BASE_URL, InProcessApp
from tests.utils.rdf import response_graph
from vnpolicy.server.http.security import HEADERS
from vnpolicy.server.http.urls import UrlSpace

HOSTILE = {"Host": "evil.example", "X-Forwarded-Proto": "gopher", "X-Forwarded-Host": "x.test"}
SD = "http://www.w3.org/ns/sparql-service-description#"


def _absolute_urls(client: httpx.Client, headers: dict[str, str]) -> set[str]:
    """Every absolute URL the service description, VoID/DCAT, sitemap and robots.txt give."""
    found: set[str] = set()
    turtle = {"Accept": "text/turtle", **headers}
    for target in ("/sparql", "/.well-known/void"):
        graph = response_graph(client.get(target, headers=turtle))
        found |= {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    sitemap = ET.fromstring(client.get("/sitemap.xml", headers=headers).content)
    found |= {(loc.text or "") for loc in sitemap.iter() if loc.tag.endswith("loc")}
    robots = client.get("/robots.txt", headers=headers).text
    found |= {line.split(": ", 1)[1] for line in robots.splitlines() if line.startswith("Sitemap")}
    return found


def test_no_absolute_url_follows_the_host_header(client: httpx.Client) -> None:
    plain = _absolute_urls(client, {})
    hostile = _absolute_urls(client, HOSTILE)
    assert hostile == plain
    assert not any("evil.example" in url or "x.test" in url for url in hostile)
    served = {url for url in plain if not url.startswith((BASE, "http://www.w3.org/"))}
    assert f"{BASE_URL}/sparql" in served
    assert f"{BASE_URL}/dumps/vnpolicy.nq" in served


@pytest.mark.parametrize(
    ("target", "headers"),
    [
        ("/", {}),
        (path(R57) + ".html", {}),
        (path(R57) + ".ttl", {}),
        ("/sparql?query=ASK{}", {}),
        ("/static/style.css", {}),
        ("/no/such/thing", {"Accept": "text/html"}),
        ("/sparql?query=SELECT", {}),
        ("/dumps/nothing", {"Accept": "application/json"}),
    ],
)
def test_every_answer_carries_the_security_headers(
    client: httpx.Client, target: str, headers: dict[str, str]
) -> None:
    response = client.get(target, headers=headers)
    for name, value in HEADERS.items():
        assert response.headers[name] == value, (target, name)
    assert "default-src 'self'" in response.headers["content-security-policy"]


def test_the_cdn_loading_api_pages_are_off(client: httpx.Client) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").json()["info"]["title"] == "vnpolicy"


@pytest.mark.parametrize(
    "uri",
    [
        BASE + "/evil.example/x",
        BASE + "//evil.example/x",
        BASE + "\\evil.example/x",
        BASE + "eli\\..\\x",
    ],
)
def test_a_uri_under_the_base_never_becomes_an_off_site_link(uri: str) -> None:
    urls = UrlSpace(BASE)
    assert urls.path_for(uri) is None
    assert urls.page(uri).startswith("/resource?uri=")
    assert urls.path_for(BASE + "eli/vn/tw/nq/2024/57") == "/eli/vn/tw/nq/2024/57"


def test_the_routes_mount_in_another_application(app: InProcessApp) -> None:
    """``Publisher.router()`` gives every route to another FastAPI application, which answers
    as vnpolicy's own does (here over the running app's publisher and query workers)."""
    publisher = app.app.state.publisher
    host = FastAPI()

    @host.get("/host-own")
    async def own() -> dict[str, str]:
        return {"mine": "yes"}

    host.include_router(publisher.router())

    async def get(target: str, accept: str = "*/*") -> httpx.Response:
        transport = httpx.ASGITransport(app=host)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            return await client.get(target, headers={"Accept": accept})

    assert app.portal.call(get, "/host-own").json() == {"mine": "yes"}
    asked = app.portal.call(get, "/sparql?query=ASK{}", "application/sparql-results+json")
    assert asked.json() == {"head": {}, "boolean": True}
    described = app.portal.call(get, path(R57))
    assert (described.status_code, described.headers["location"]) == (303, path(R57) + ".html")
