"""Real clients of a real ``vnpolicy serve`` over a socket: SPARQLWrapper in each result format,
rdflib's SPARQLStore, rdflib dereferencing a URI (it asks for RDF and follows the 303), and HEAD
answered by the HTTP server without a body. (The protocol itself, in process:
``fast/test_sparql_protocol.py``.)"""

import csv
import io
from xml.dom.minidom import Document

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from tests.utils.corpus import R57, path
from tests.utils.paths import DOCUMENT_COUNT
from tests.utils.rdf import response_graph
from tests.utils.servers import LiveServer
from vnpolicy.graph.namespaces import VNP

PREFIX = "PREFIX vnp: <https://w3id.org/vnpolicy/ontology#> "
COUNT_DOCUMENTS = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a vnp:Document }"
VIEWPOINTS = f"SELECT ?v WHERE {{ ?v a vnp:GuidingViewpoint ; vnp:inDocument <{R57}> }} ORDER BY ?v"
SR_NAMESPACE = "http://www.w3.org/2005/sparql-results#"


def test_sparqlwrapper_reads_each_result_format(server: LiveServer) -> None:
    client = SPARQLWrapper(f"{server.url}/sparql")
    client.setQuery(PREFIX + COUNT_DOCUMENTS)
    client.setReturnFormat(JSON)
    as_json = client.query().convert()
    assert isinstance(as_json, dict)
    assert as_json["results"]["bindings"][0]["n"]["value"] == str(DOCUMENT_COUNT)
    client.setReturnFormat(XML)
    as_xml = client.query().convert()  # a DOM document
    assert isinstance(as_xml, Document)
    literals = as_xml.getElementsByTagNameNS(SR_NAMESPACE, "literal")
    assert [literal.firstChild.data for literal in literals] == [str(DOCUMENT_COUNT)]  # type: ignore[union-attr]
    client.setReturnFormat(CSV)
    as_csv = client.query().convert()
    assert isinstance(as_csv, bytes)
    assert list(csv.reader(io.StringIO(as_csv.decode()))) == [["n"], [str(DOCUMENT_COUNT)]]
    client.setQuery(f"CONSTRUCT {{ <{R57}> a ?t }} WHERE {{ <{R57}> a ?t }}")
    client.setReturnFormat(TURTLE)
    turtle = client.query().convert()
    assert isinstance(turtle, bytes)
    expected = response_graph(
        server.http.get(
            "/sparql",
            params={"query": f"CONSTRUCT {{ <{R57}> a ?t }} WHERE {{ <{R57}> a ?t }}"},
            headers={"Accept": "application/n-triples"},
        )
    )
    assert (URIRef(R57), None, None) in expected
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), expected)


def test_rdflib_sparqlstore_client(server: LiveServer) -> None:
    store = SPARQLStore(f"{server.url}/sparql", returnFormat="json")
    rows = list(store.query(VIEWPOINTS, initNs={"vnp": "https://w3id.org/vnpolicy/ontology#"}))
    assert [str(row[0]) for row in rows] == [  # type: ignore[index]
        f"{R57}/section/1/viewpoint/{n}" for n in range(1, 6)
    ]


def test_rdflib_dereferences_a_uri_by_content_negotiation(server: LiveServer) -> None:
    """rdflib asks for RDF, follows the 303 and parses what it gets."""
    graph = Graph().parse(server.url + path(R57))
    assert (URIRef(R57), VNP.officialNumber, Literal("57-NQ/TW")) in graph
    assert isomorphic(graph, response_graph(server.http.get(f"{path(R57)}.ttl")))


def test_head_answers_like_get_without_a_body(server: LiveServer) -> None:
    got = server.http.get(f"{path(R57)}.ttl")
    response = server.http.head(f"{path(R57)}.ttl")
    assert response.status_code == 200
    assert response.headers["content-type"] == got.headers["content-type"]
    assert response.headers["etag"] == got.headers["etag"]
    assert response.content == b""
