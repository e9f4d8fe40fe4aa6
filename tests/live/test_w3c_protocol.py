"""The W3C SPARQL 1.1 Protocol tests (tests/conformance/w3c-sparql11/protocol/manifest.ttl),
replayed against a real ``vnpolicy serve`` holding the tests' data.

Each ``mf:ProtocolTest`` gives its HTTP requests in the HTTP-in-RDF vocabulary; request paths
start with ``/sparql/``, mapped here to ``/sparql`` (queries) or ``/update`` (updates). The data
files are loaded as the named graphs their ``rdfs:label`` gives, through a test instance whose
``out/`` holds them as its dump; update tests run on a second instance with writes enabled.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDFS

from tests.utils.servers import AUTH, WRITE_TOKEN, LiveServer, serving_nquads
from tests.utils.w3c import MF, SUITES, ManifestTest, Request, entries

SUITE = SUITES / "protocol"
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
MANIFEST = Graph().parse(SUITE / "manifest.ttl", format="turtle")
TABULAR = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
BOOLEAN = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples"}


def _data(test: ManifestTest) -> dict[str, Path]:
    """The data files a test needs, by the name of the graph each is loaded as."""
    return {
        str(MANIFEST.value(graph_data, RDFS.label)): SUITE
        / str(MANIFEST.value(graph_data, UT.graph)).rsplit("/", 1)[1]
        for graph_data in MANIFEST.objects(test.node, UT.graphData)
    }


TESTS = [ManifestTest.read(MANIFEST, test) for test in entries(MANIFEST)]


def _dataset_nquads() -> str:
    """Every data file of the suite as the named graph its label gives."""
    graphs: dict[str, Path] = {}
    for test in TESTS:
        graphs |= _data(test)
    lines = []
    for name, path in sorted(graphs.items()):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                lines.append(f"{line.rstrip().removesuffix('.').rstrip()} <{name}> .")
    return "\n".join(lines) + "\n"


def _serve_suite_data(
    tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]
) -> Iterator[LiveServer]:
    """A test instance of ``vnpolicy serve`` whose dump holds the suite's data."""
    with serving_nquads(_dataset_nquads(), tmp_path_factory.mktemp("w3c"), env) as live:
        yield live


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The read-only instance, for the query tests."""
    yield from _serve_suite_data(tmp_path_factory, {})


@pytest.fixture(scope="module")
def update_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """An instance with writes enabled (a token), for the update tests."""
    yield from _serve_suite_data(tmp_path_factory, {"VNPOLICY_WRITE_TOKEN": WRITE_TOKEN})


def _is_update(test: ManifestTest) -> bool:
    return test.name.startswith(("update_", "bad_update", "bad_multiple_updates"))


def _check_result(test: ManifestTest, request: Request, response: httpx.Response) -> None:
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    result_format = str(test.expected(request, MF.expectedFormat))
    if result_format == "tabular":
        assert media_type in TABULAR, media_type
    elif result_format == "boolean":
        assert media_type in BOOLEAN, media_type
    elif result_format == "RDF":
        assert media_type in RDF_TYPES, media_type
        parsers = {
            "application/rdf+xml": "xml",
            "text/turtle": "turtle",
            "application/n-triples": "nt",
        }
        Graph().parse(data=response.content, format=parsers[media_type])
    boolean = test.expected(request, MF.expectedBoolean)
    if boolean is not None:
        if "json" in media_type:
            value = response.json()["boolean"]
        else:
            element = ET.fromstring(response.content).find(
                "{http://www.w3.org/2005/sparql-results#}boolean"
            )
            assert element is not None
            value = element.text == "true"
        assert value is (str(boolean) == "true")


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_w3c_protocol(request: pytest.FixtureRequest, test: ManifestTest) -> None:
    """Each request as the manifest gives it; an update test's updates go to ``/update`` with the
    token, and its queries to ``/sparql`` on the same instance."""
    updating = _is_update(test)
    live: LiveServer = request.getfixturevalue("update_endpoint" if updating else "endpoint")
    for step in test.requests:
        sent = dict(step.headers)
        path = step.path.replace("/sparql/", "/sparql", 1)
        if updating and not _is_query(step):
            path = step.path.replace("/sparql/", "/update", 1)
            sent |= {name.lower(): value for name, value in AUTH.items()}
        response = live.http.request(step.method, path, headers=sent, content=step.body())
        status_class = f"{str(response.status_code)[0]}xx"
        statuses = {name.removeprefix("StatusCode") for name in test.statuses(step)}
        assert status_class in statuses, (test.title, response.status_code, response.text)
        if status_class == "2xx":
            _check_result(test, step, response)


def _is_query(step: Request) -> bool:
    """Whether a step of an update test is a query (checking the update's effect)."""
    content_type = step.headers.get("content-type", "")
    return content_type == "application/sparql-query" or "query=" in step.path


def test_the_suite_has_34_tests() -> None:
    assert len(TESTS) == 34
    assert sum(not _is_update(test) for test in TESTS) == 20
