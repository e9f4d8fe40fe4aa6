"""/sparql answers in every format of the registry, chooses it before the query runs, and real
clients get what they ask for — SPARQLWrapper's N3 and RDF/XML return formats included."""

from pathlib import Path
from typing import Any

import httpx
import pytest
from pyoxigraph import Quad, parse
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from SPARQLWrapper import N3, RDFXML, SPARQLWrapper

from tests.utils.servers import LiveServer, serving_copy
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.formats import RDF_FORMATS, Format

R57 = "https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57"
GRAPH_57 = "https://w3id.org/vnpolicy/graph/eli/vn/tw/nq/2024/57"
CONSTRUCT_57 = f"CONSTRUCT {{ <{R57}> ?p ?o }} WHERE {{ GRAPH <{GRAPH_57}> {{ <{R57}> ?p ?o }} }}"
#: Runs for ever (the cartesian product of the data with itself, three times).
RUNAWAY = "CONSTRUCT { ?a ?b ?i } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _expected(dataset: Dataset) -> Graph:
    expected = Graph()
    for triple in dataset.documents[URIRef(R57)].triples((URIRef(R57), None, None)):
        expected.add(triple)
    return expected


def _as_rdflib(data: bytes, written_as: Format) -> Graph:
    """A graph read back by Oxigraph (quads lose their graph name)."""
    graph = Graph()
    for item in parse(data, format=written_as.engine):
        triple = item.triple if isinstance(item, Quad) else item
        graph.parse(data=f"{triple} .", format="nt")
    return graph


@pytest.mark.parametrize("written_as", RDF_FORMATS, ids=lambda f: f.label)
@pytest.mark.parametrize("asked_by", ["accept", "format"])
def test_construct_in_every_rdf_syntax_is_the_same_graph(
    server: LiveServer, dataset: Dataset, written_as: Format, asked_by: str
) -> None:
    if asked_by == "accept":
        headers, params = {"Accept": written_as.media_type}, {"query": CONSTRUCT_57}
    else:
        headers, params = {}, {"query": CONSTRUCT_57, "format": written_as.names[0]}
    response = httpx.get(f"{server.url}/sparql", params=params, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == written_as.media_type
    assert response.headers["vary"] == "Accept"
    assert isomorphic(_as_rdflib(response.content, written_as), _expected(dataset))


@pytest.mark.parametrize(
    ("return_format", "media_type"), [(N3, "text/n3"), (RDFXML, "application/rdf+xml")]
)
# SPARQLWrapper converts RDF/XML into rdflib's deprecated ConjunctiveGraph.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")
def test_sparqlwrapper_n3_and_rdf_xml(
    server: LiveServer, dataset: Dataset, return_format: str, media_type: str
) -> None:
    """SPARQLWrapper sends ``format=n3`` or ``format=rdf+xml`` (with ``output``/``results``
    twins and its own Accept) and converts the answer by its media type."""
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(CONSTRUCT_57)
    client.setReturnFormat(return_format)
    result = client.query()
    assert result.response.headers["Content-Type"].split(";")[0] == media_type
    converted: Any = result.convert()
    graph = (
        converted if isinstance(converted, Graph) else Graph().parse(data=converted, format="n3")
    )
    assert isomorphic(graph, _expected(dataset))


@pytest.mark.parametrize(
    ("query", "accept", "refused"),
    [
        (RUNAWAY, "text/csv", "a graph"),
        (RUNAWAY.replace("CONSTRUCT { ?a ?b ?i }", "SELECT *"), "text/turtle", "SELECT results"),
        ("ASK { ?a ?b ?c }", "text/csv", "an ASK result"),
    ],
    ids=["construct as CSV", "select as Turtle", "ask as CSV"],
)
def test_a_format_the_query_cannot_have_is_refused_before_it_runs(
    built: Path, tmp_path: Path, query: str, accept: str, refused: str
) -> None:
    """A runaway query asked for in a format its form has no 406 at once: had it run, the
    answer would be the 503 of the time limit (an hour here), not a 406."""
    with serving_copy(built, tmp_path, {"VNPOLICY_QUERY_TIMEOUT": "3600"}) as live:
        response = httpx.get(
            f"{live.url}/sparql", params={"query": query}, headers={"Accept": accept}, timeout=600
        )
        assert response.status_code == 406, response.text
        assert f"Cannot answer {refused} in '{accept}'" in response.text
        # The worker is free: a cheap query is answered next.
        ask = httpx.get(f"{live.url}/sparql", params={"query": "ASK {}"}, timeout=600)
        assert ask.json() == {"head": {}, "boolean": True}


def test_an_accept_no_form_can_answer_is_refused_without_a_worker(server: LiveServer) -> None:
    response = httpx.get(
        f"{server.url}/sparql",
        params={"query": RUNAWAY},
        headers={"Accept": "image/png"},
        timeout=30,
    )
    assert response.status_code == 406
    assert "Cannot answer any query in 'image/png'" in response.text
    for media_type in ("text/csv", "text/turtle", "application/sparql-results+json", "text/n3"):
        assert media_type in response.text


def test_head_answers_like_get(server: LiveServer) -> None:
    got = httpx.get(f"{server.url}/sparql", params={"query": "ASK {}"}, timeout=30)
    head = httpx.head(f"{server.url}/sparql", params={"query": "ASK {}"}, timeout=30)
    assert head.status_code == got.status_code == 200
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.content == b""
