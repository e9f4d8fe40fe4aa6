"""The SPARQL 1.1 endpoint's protocol, in process on the fixture corpus: the three ways to send a
query, result formats by Accept and by ``format``, the dataset parameters, and the 4xx a
malformed request gets. (Real clients over a socket: ``live/test_clients.py``.)"""

import asyncio
import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import RDF, RDFS, VOID, Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from tests.utils.corpus import R57, R57_GRAPH
from tests.utils.inprocess import BASE_URL
from tests.utils.rdf import response_graph
from tests.utils.sparql import count
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.formats import BY_SUFFIX
from vnpolicy.graph.read.query import store_from_dataset
from vnpolicy.server.http.description import ServiceDescriptions, service_description

TURTLE, NTRIPLES = BY_SUFFIX["ttl"], BY_SUFFIX["nt"]

COUNT_DOCUMENTS = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a vnp:Document }"
VIEWPOINTS = f"SELECT ?v WHERE {{ ?v a vnp:GuidingViewpoint ; vnp:inDocument <{R57}> }} ORDER BY ?v"
SR = "{http://www.w3.org/2005/sparql-results#}"


def test_query_by_get_form_post_and_direct_post_agree(client: httpx.Client) -> None:
    by_get = client.get("/sparql", params={"query": VIEWPOINTS}).json()
    by_form = client.post("/sparql", data={"query": VIEWPOINTS}).json()
    by_direct = client.post(
        "/sparql",
        content=VIEWPOINTS.encode(),
        headers={"Content-Type": "application/sparql-query"},
    ).json()
    assert by_get == by_form == by_direct
    assert [b["v"]["value"] for b in by_get["results"]["bindings"]] == [
        f"{R57}/section/1/viewpoint/{n}" for n in range(1, 6)
    ]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/json"),
        ("text/*;q=0.5, application/sparql-results+xml;q=0.4", "text/csv"),
    ],
)
def test_select_formats(
    client: httpx.Client, fixture_dataset: Dataset, accept: str | None, media_type: str
) -> None:
    documents = str(len(fixture_dataset.documents))
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": COUNT_DOCUMENTS}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["vary"] == "Accept"
    text = response.text
    if "json" in media_type:
        assert json.loads(text)["results"]["bindings"][0]["n"]["value"] == documents
    elif "xml" in media_type:
        literal = ET.fromstring(text).find(f".//{SR}literal")
        assert literal is not None
        assert literal.text == documents
    elif media_type == "text/csv":
        assert list(csv.reader(io.StringIO(text))) == [["n"], [documents]]
    else:
        # An integer in TSV is written the short way Turtle allows (SPARQL 1.1 TSV §3.2).
        assert text.splitlines() == ["?n", documents]


def test_format_parameter_overrides_accept(client: httpx.Client) -> None:
    response = client.get(
        "/sparql",
        params={"query": COUNT_DOCUMENTS, "format": "csv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(
    "media_type",
    [
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
        "application/n-quads",
    ],
)
def test_construct_in_each_rdf_format_parses_to_the_built_graph(
    client: httpx.Client, fixture_dataset: Dataset, media_type: str
) -> None:
    query = f"CONSTRUCT {{ <{R57}> ?p ?o }} WHERE {{ GRAPH <{R57_GRAPH}> {{ <{R57}> ?p ?o }} }}"
    expected = Graph()
    for triple in fixture_dataset.documents[URIRef(R57)].triples((URIRef(R57), None, None)):
        expected.add(triple)
    response = client.get("/sparql", params={"query": query}, headers={"Accept": media_type})
    assert response.headers["content-type"].split(";")[0] == media_type
    assert isomorphic(response_graph(response), expected)


def test_dataset_parameters_restrict_the_dataset(client: httpx.Client) -> None:
    only_57 = client.get(
        "/sparql", params={"query": COUNT_DOCUMENTS, "default-graph-uri": R57_GRAPH}
    ).json()
    assert only_57["results"]["bindings"][0]["n"]["value"] == "1"
    named = client.get(
        "/sparql",
        params={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": R57_GRAPH,
        },
    ).json()
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [R57_GRAPH]


def test_ask_in_json_and_xml(client: httpx.Client) -> None:
    query = f"ASK {{ <{R57}> a vnp:Document }}"
    assert client.get("/sparql", params={"query": query}).json() == {"head": {}, "boolean": True}
    response = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"}
    )
    boolean = ET.fromstring(response.text).find(f"{SR}boolean")
    assert boolean is not None
    assert boolean.text == "true"
    refused = client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    assert refused.status_code == 406
    assert "application/sparql-results+json" in refused.text


def test_a_quoted_service_keyword_is_not_refused(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"query": 'SELECT ("SERVICE" AS ?x) WHERE {} # SERVICE'}
    )
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == [
        {"x": {"type": "literal", "value": "SERVICE"}}
    ]


def test_service_description(client: httpx.Client, fixture_dataset: Dataset) -> None:
    graph = response_graph(client.get("/sparql"))
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(f"{BASE_URL}/sparql")
    assert (endpoint, URIRef(f"{sd}supportedLanguage"), URIRef(f"{sd}SPARQL11Query")) in graph
    names = {str(o) for o in graph.objects(None, URIRef(f"{sd}name"))}
    assert names == {str(name) for name, _ in fixture_dataset.named_graphs()}


def test_the_service_description_states_each_named_graphs_size(client: httpx.Client) -> None:
    graph = response_graph(client.get("/sparql", headers={"accept": "text/turtle"}))
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    sizes = {}
    for named in graph.subjects(RDF.type, sd.NamedGraph):
        size = graph.value(graph.value(named, sd.graph), VOID.triples)
        sizes[str(graph.value(named, sd.name))] = int(str(size))
    assert sizes
    for name in sorted(sizes)[:3]:
        assert sizes[name] == count(client, f"SELECT * WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
    assert (
        URIRef(f"{BASE_URL}/sparql"),
        RDFS.seeAlso,
        URIRef(f"{BASE_URL}/.well-known/void"),
    ) in graph


def test_a_store_of_many_graphs_is_described_without_listing_them(fixture_dataset: Dataset) -> None:
    store = store_from_dataset(fixture_dataset)
    described = service_description("http://x/sparql", store, allow_service=False, graph_limit=2)
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert not list(described.subjects(RDF.type, sd.NamedGraph))
    assert (URIRef("http://x/sparql"), RDF.type, sd.Service) in described


def test_the_description_is_made_once_per_generation_and_format(fixture_dataset: Dataset) -> None:
    store = store_from_dataset(fixture_dataset)
    made: list[int] = []

    def make() -> Graph:
        made.append(1)
        return service_description("http://x/sparql", store, allow_service=False)

    descriptions = ServiceDescriptions(make)

    async def ask() -> list[bytes]:
        return [await descriptions.written(fmt) for fmt in (TURTLE, TURTLE, NTRIPLES)]

    turtle, again, ntriples = asyncio.run(ask())
    assert turtle == again
    assert len(made) == 1
    assert isomorphic(parsed(turtle, "turtle"), parsed(ntriples, "nt"))
    descriptions.forget()
    asyncio.run(ask())
    assert len(made) == 2


def parsed(data: bytes, syntax: str) -> Graph:
    return Graph().parse(data=data, format=syntax)
