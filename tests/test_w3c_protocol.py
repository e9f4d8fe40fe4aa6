"""The W3C SPARQL 1.1 Protocol tests (tests/conformance/w3c-sparql11/protocol/manifest.ttl),
replayed against a real ``vnpolicy serve`` holding the tests' data.

Each ``mf:ProtocolTest`` gives its HTTP requests in the HTTP-in-RDF vocabulary; request paths
start with ``/sparql/``, mapped here to ``/sparql`` (queries) or ``/update`` (updates). The data
files are loaded as the named graphs their ``rdfs:label`` gives, through a test instance whose
``out/`` holds them as its dump; update tests run on a second instance with writes enabled.
"""

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from tests.conftest import serving_nquads

SUITE = Path(__file__).parent / "conformance" / "w3c-sparql11" / "protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
MANIFEST = Graph().parse(SUITE / "manifest.ttl", format="turtle")
TOKEN = "w3c-test-token"
TABULAR = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
BOOLEAN = {"application/sparql-results+json", "application/sparql-results+xml"}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples"}


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    result_format: str | None
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    steps: list[Step]
    data: dict[str, Path]


def _required(node: Node | None) -> Node:
    assert node is not None, "the manifest lacks a required list"
    return node


def _steps(test: Node) -> list[Step]:
    action = MANIFEST.value(test, MF.action)
    steps = []
    for request in Collection(MANIFEST, _required(MANIFEST.value(action, HT.requests))):
        headers = {}
        header_list = MANIFEST.value(request, HT.headers)
        if header_list is not None:
            for header in Collection(MANIFEST, header_list):
                name = str(MANIFEST.value(header, HT.fieldName))
                headers[name] = str(MANIFEST.value(header, HT.fieldValue))
        body_node = MANIFEST.value(request, HT.body)
        body = None
        if body_node is not None:
            chars = str(MANIFEST.value(body_node, CNT.chars))
            encoding = str(MANIFEST.value(body_node, CNT.characterEncoding) or "UTF-8")
            body = chars.encode(encoding.lower())
        response = MANIFEST.value(request, HT.resp)
        statuses = {
            str(code).rsplit("#", 1)[1].removeprefix("StatusCode")
            for code in MANIFEST.objects(response, MF.expectedStatus)
        }
        expected_format = MANIFEST.value(response, MF.expectedFormat)
        expected_boolean = MANIFEST.value(response, MF.expectedBoolean)
        steps.append(
            Step(
                method=str(MANIFEST.value(request, HT.methodName)),
                path=str(MANIFEST.value(request, HT.absolutePath)),
                headers=headers,
                body=body,
                statuses=statuses,
                result_format=str(expected_format) if expected_format is not None else None,
                boolean=None if expected_boolean is None else str(expected_boolean) == "true",
            )
        )
    return steps


def _tests() -> list[ProtocolTest]:
    manifest = next(MANIFEST.subjects(RDF.type, MF.Manifest))
    tests = []
    for test in Collection(MANIFEST, _required(MANIFEST.value(manifest, MF.entries))):
        data = {
            str(MANIFEST.value(graph_data, RDFS.label)): SUITE
            / str(MANIFEST.value(graph_data, UT.graph)).rsplit("/", 1)[1]
            for graph_data in MANIFEST.objects(test, UT.graphData)
        }
        tests.append(
            ProtocolTest(
                name=str(test).rsplit("#", 1)[1],
                title=str(MANIFEST.value(test, MF.name)),
                steps=_steps(test),
                data=data,
            )
        )
    return tests


TESTS = _tests()


def _dataset_nquads() -> str:
    """Every data file of the suite as the named graph its label gives."""
    graphs: dict[str, Path] = {}
    for test in TESTS:
        graphs |= test.data
    lines = []
    for name, path in sorted(graphs.items()):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                lines.append(f"{line.rstrip().removesuffix('.').rstrip()} <{name}> .")
    return "\n".join(lines) + "\n"


def _serve_suite_data(
    tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]
) -> Iterator[str]:
    """A test instance of ``vnpolicy serve`` whose dump holds the suite's data."""
    with serving_nquads(_dataset_nquads(), tmp_path_factory.mktemp("w3c"), env) as live:
        yield live.url


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The read-only instance, for the query tests."""
    yield from _serve_suite_data(tmp_path_factory, {})


@pytest.fixture(scope="module")
def update_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An instance with writes enabled (a token), for the update tests."""
    yield from _serve_suite_data(tmp_path_factory, {"VNPOLICY_WRITE_TOKEN": TOKEN})


def _is_update(test: ProtocolTest) -> bool:
    return test.name.startswith(("update_", "bad_update", "bad_multiple_updates"))


def _check_result(step: Step, response: httpx.Response) -> None:
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    if step.result_format == "tabular":
        assert media_type in TABULAR, media_type
    elif step.result_format == "boolean":
        assert media_type in BOOLEAN, media_type
    elif step.result_format == "RDF":
        assert media_type in RDF_TYPES, media_type
        parsers = {
            "application/rdf+xml": "xml",
            "text/turtle": "turtle",
            "application/n-triples": "nt",
        }
        Graph().parse(data=response.content, format=parsers[media_type])
    if step.boolean is not None:
        if "json" in media_type:
            value = response.json()["boolean"]
        else:
            element = ET.fromstring(response.content).find(
                "{http://www.w3.org/2005/sparql-results#}boolean"
            )
            assert element is not None
            value = element.text == "true"
        assert value is step.boolean


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_w3c_protocol(request: pytest.FixtureRequest, test: ProtocolTest) -> None:
    """Each request as the manifest gives it; an update test's updates go to ``/update`` with the
    token, and its queries to ``/sparql`` on the same instance."""
    updating = _is_update(test)
    url = request.getfixturevalue("update_endpoint" if updating else "endpoint")
    for step in test.steps:
        headers = dict(step.headers)
        path = step.path.replace("/sparql/", "/sparql", 1)
        if updating and not _is_query(step):
            path = step.path.replace("/sparql/", "/update", 1)
            headers["Authorization"] = f"Bearer {TOKEN}"
        response = httpx.request(
            step.method, url + path, headers=headers, content=step.body, timeout=30
        )
        status_class = f"{str(response.status_code)[0]}xx"
        assert status_class in step.statuses, (test.title, response.status_code, response.text)
        if status_class == "2xx":
            _check_result(step, response)


def _is_query(step: Step) -> bool:
    """Whether a step of an update test is a query (checking the update's effect)."""
    content_type = step.headers.get("content-type", "")
    return content_type == "application/sparql-query" or "query=" in step.path


def test_the_suite_has_34_tests() -> None:
    assert len(TESTS) == 34
    assert sum(not _is_update(test) for test in TESTS) == 20
