"""The W3C SPARQL 1.1 Graph Store HTTP Protocol tests (tests/conformance/w3c-sparql11/
graph-store-protocol/), replayed against a real ``vnpolicy serve`` with writes enabled.

Each test is a list of requests in the HTTP-in-RDF vocabulary whose paths start with ``/gsp``,
mapped here to ``/store``; writes carry the token. A test starts on an empty store (every graph
dropped), checks each response's status, its ``Content-Type`` where given, and its body as a graph
isomorphic to the expected one; ``$LOCATION$`` is the ``Location`` of an earlier response.
"""

import re
from collections.abc import Iterator
from http import HTTPStatus

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from tests.utils.servers import AUTH, WRITE_TOKEN, LiveServer, serving_nquads
from tests.utils.w3c import HT, MF, SUITES, ManifestTest, entries, headers, text

SUITE = SUITES / "graph-store-protocol"
WRITES = {"PUT", "POST", "DELETE"}


def _status(name: str) -> int:
    """``NoContent`` → 204."""
    return int(HTTPStatus[re.sub(r"(?<=[a-z])(?=[A-Z])", "_", name).upper()])


def _tests() -> list[ManifestTest]:
    tests = []
    for name in ("manifest-indirect.ttl", "manifest-direct.ttl"):
        manifest = Graph().parse(SUITE / name, format="turtle")
        listed = entries(manifest)
        # manifest-direct.ttl defines head_non_existing_direct but leaves it out of its entries;
        # it is run too.
        unlisted = sorted(
            set(manifest.subjects(RDF.type, MF.GraphStoreProtocolTest)) - set(listed), key=str
        )
        tests += [ManifestTest.read(manifest, test) for test in listed + unlisted]
    return tests


TESTS = _tests()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A test instance with writes enabled and an empty dataset."""
    env = {"VNPOLICY_WRITE_TOKEN": WRITE_TOKEN}
    with serving_nquads("", tmp_path_factory.mktemp("gsp"), env) as live:
        yield live


def _empty_the_store(store: LiveServer) -> None:
    response = store.http.post(
        "/update",
        content=b"DROP ALL",
        headers={"Content-Type": "application/sparql-update", **AUTH},
    )
    assert response.status_code == 204, response.text


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_w3c_graph_store_protocol(store: LiveServer, test: ManifestTest) -> None:
    _empty_the_store(store)
    location = ""
    for number, request in enumerate(test.requests, 1):
        where = f"{test.title}, request {number}"
        sent = dict(request.headers)
        if request.method in WRITES:
            sent |= {name.lower(): value for name, value in AUTH.items()}
        path = request.path.replace("$LOCATION$", location).replace("/gsp", "/store", 1)
        response = store.http.request(
            request.method, path, headers=sent, content=request.body(location)
        )
        statuses = {_status(name) for name in test.statuses(request)}
        assert response.status_code in statuses, (where, response.text)
        if test.expected(request, MF.expectedLocation) is not None:
            location = response.headers["location"]
        content_type = headers(test.manifest, test.expected(request, HT.headers))
        if "content-type" in content_type:
            assert response.headers["content-type"] == content_type["content-type"], where
        expected_body = text(test.manifest, test.expected(request, HT.body))
        if expected_body is not None:
            expected = Graph().parse(data=expected_body, format="turtle")
            got = Graph().parse(data=response.text, format="turtle")
            assert isomorphic(got, expected), (where, response.text)


def test_the_suite_has_14_tests() -> None:
    assert len(TESTS) == 14
    assert [t.name for t in TESTS].count("head_non_existing_direct") == 1
