"""The SPARQL 1.1 endpoint of a real ``vnpolicy serve`` on 127.0.0.1, with real clients."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from pyoxigraph import RdfFormat, parse
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from tests.conftest import LiveServer
from vnpolicy.graph.build.dataset import Dataset

R57 = "https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57"
COUNT_DOCUMENTS = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a vnp:Document }"
VIEWPOINTS = f"SELECT ?v WHERE {{ ?v a vnp:GuidingViewpoint ; vnp:inDocument <{R57}> }} ORDER BY ?v"
SR = "{http://www.w3.org/2005/sparql-results#}"


def get(server: LiveServer, **params: str) -> httpx.Response:
    return httpx.get(f"{server.url}/sparql", params=params, timeout=30)


def test_query_by_get_form_post_and_direct_post_agree(server: LiveServer) -> None:
    by_get = get(server, query=VIEWPOINTS).json()
    by_form = httpx.post(f"{server.url}/sparql", data={"query": VIEWPOINTS}, timeout=30).json()
    by_direct = httpx.post(
        f"{server.url}/sparql",
        content=VIEWPOINTS.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
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
def test_select_formats(server: LiveServer, accept: str | None, media_type: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(
        f"{server.url}/sparql", params={"query": COUNT_DOCUMENTS}, headers=headers, timeout=30
    )
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["vary"] == "Accept"
    text = response.text
    if "json" in media_type:
        assert json.loads(text)["results"]["bindings"][0]["n"]["value"] == "63"
    elif "xml" in media_type:
        literal = ET.fromstring(text).find(f".//{SR}literal")
        assert literal is not None
        assert literal.text == "63"
    elif media_type == "text/csv":
        assert list(csv.reader(io.StringIO(text))) == [["n"], ["63"]]
    else:
        assert text.splitlines()[1].startswith('"63"^^')


def test_format_parameter_overrides_accept(server: LiveServer) -> None:
    response = httpx.get(
        f"{server.url}/sparql",
        params={"query": COUNT_DOCUMENTS, "format": "csv"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.headers["content-type"].startswith("text/csv")


def test_construct_in_each_rdf_format_parses_to_the_same_graph(
    server: LiveServer, dataset: Dataset
) -> None:
    graph_57 = "https://w3id.org/vnpolicy/graph/eli/vn/tw/nq/2024/57"
    query = f"CONSTRUCT {{ <{R57}> ?p ?o }} WHERE {{ GRAPH <{graph_57}> {{ <{R57}> ?p ?o }} }}"
    expected = Graph()
    for triple in dataset.documents[URIRef(R57)].triples((URIRef(R57), None, None)):
        expected.add(triple)
    for media_type, rdflib_format in [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-quads", "nquads"),
    ]:
        response = httpx.get(
            f"{server.url}/sparql",
            params={"query": query},
            headers={"Accept": media_type},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media_type
        parsed = Graph()
        if rdflib_format in ("nquads", "json-ld"):  # read by Oxigraph (rdflib warns on JSON-LD)
            oxigraph_format = RdfFormat.N_QUADS if rdflib_format == "nquads" else RdfFormat.JSON_LD
            for quad in parse(response.content, format=oxigraph_format):
                parsed.parse(data=f"{quad.triple} .", format="nt")
        else:
            parsed.parse(data=response.text, format=rdflib_format)
        assert isomorphic(parsed, expected), media_type


def test_dataset_parameters_restrict_the_dataset(server: LiveServer) -> None:
    graph_57 = "https://w3id.org/vnpolicy/graph/eli/vn/tw/nq/2024/57"
    only_57 = get(server, query=COUNT_DOCUMENTS, **{"default-graph-uri": graph_57}).json()
    assert only_57["results"]["bindings"][0]["n"]["value"] == "1"
    named = get(
        server,
        query="SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        **{"named-graph-uri": graph_57},
    ).json()
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [graph_57]


def test_ask_in_json_and_xml(server: LiveServer) -> None:
    query = f"ASK {{ <{R57}> a vnp:Document }}"
    assert get(server, query=query).json() == {"head": {}, "boolean": True}
    response = httpx.get(
        f"{server.url}/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+xml"},
        timeout=30,
    )
    assert ET.fromstring(response.text).find(f"{SR}boolean").text == "true"  # type: ignore[union-attr]
    refused = httpx.get(
        f"{server.url}/sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=30
    )
    assert refused.status_code == 406
    assert "application/sparql-results+json" in refused.text


@pytest.mark.parametrize(
    ("request_args", "status", "message"),
    [
        ({"method": "PUT"}, 405, "Use GET or POST"),
        (
            {"method": "GET", "params": {"query": "SELECT * WHERE { ?s ?p }"}},
            400,
            "Invalid SPARQL: error at 1:",
        ),
        (
            {"method": "GET", "params": [("query", "ASK {}"), ("query", "ASK {}")]},
            400,
            "One query per request",
        ),
        (
            {"method": "POST", "content": b"ASK {}", "headers": {"Content-Type": "text/plain"}},
            415,
            "application/sparql-query",
        ),
        (
            {"method": "POST", "content": b"query=ASK%20%7B%7D"},
            415,
            "not a body without Content-Type",
        ),
        (
            {
                "method": "POST",
                "content": "ASK {}".encode("utf-16"),
                "headers": {"Content-Type": "application/sparql-query"},
            },
            400,
            "not valid UTF-8",
        ),
        (
            {
                "method": "POST",
                "content": b"ASK {}",
                "headers": {"Content-Type": "application/sparql-query; charset=utf-16"},
            },
            415,
            "charset utf-16",
        ),
        ({"method": "POST", "data": {"update": "CLEAR ALL"}}, 400, "/update"),
        ({"method": "GET", "params": {"update": "CLEAR ALL"}}, 400, "/update"),
        (
            {
                "method": "GET",
                "params": {
                    "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
                },
            },
            400,
            "SERVICE",
        ),
        (
            {"method": "GET", "params": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}},
            406,
            "available: application/sparql-results+json",
        ),
        (
            {
                "method": "POST",
                "content": b"x" * 2_000_000,
                "headers": {"Content-Type": "application/sparql-query"},
            },
            413,
            "exceeds",
        ),
    ],
)
def test_protocol_errors_are_4xx_with_a_message(
    server: LiveServer, request_args: dict[str, object], status: int, message: str
) -> None:
    response = httpx.request(url=f"{server.url}/sparql", timeout=30, **request_args)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert message in response.text


def test_a_quoted_service_keyword_is_not_refused(server: LiveServer) -> None:
    response = get(server, query='SELECT ("SERVICE" AS ?x) WHERE {} # SERVICE')
    assert response.status_code == 200


def test_service_description(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/sparql", timeout=30)
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(f"{server.url}/sparql")
    assert (endpoint, URIRef(f"{sd}supportedLanguage"), URIRef(f"{sd}SPARQL11Query")) in graph
    names = {str(o) for o in graph.objects(None, URIRef(f"{sd}name"))}
    assert "https://w3id.org/vnpolicy/graph/eli/vn/tw/nq/2024/57" in names
    assert len(names) == 65


def test_sparqlwrapper_client(server: LiveServer) -> None:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(f"PREFIX vnp: <https://w3id.org/vnpolicy/ontology#> {COUNT_DOCUMENTS}")
    for fmt in (JSON, XML, CSV):
        client.setReturnFormat(fmt)
        converted = client.query().convert()
        assert converted
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == "63"  # type: ignore[index, call-overload]
    client.setQuery(f"CONSTRUCT {{ <{R57}> a ?t }} WHERE {{ <{R57}> a ?t }}")
    client.setReturnFormat(TURTLE)
    turtle = client.query().convert()
    assert isinstance(turtle, bytes)
    assert (URIRef(R57), None, None) in Graph().parse(data=turtle, format="turtle")


def test_rdflib_sparqlstore_client(server: LiveServer) -> None:
    store = SPARQLStore(f"{server.url}/sparql", returnFormat="json")
    rows = list(store.query(VIEWPOINTS, initNs={"vnp": "https://w3id.org/vnpolicy/ontology#"}))
    assert len(rows) == 5
