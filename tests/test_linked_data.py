"""Dereferenceable URIs on a real ``vnpolicy serve``: 303 negotiation, every format parsed back and
compared as graphs, 404s, paging, named graphs, the model at its namespace URIs."""

import httpx
import pytest
from pyoxigraph import RdfFormat, parse
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from tests.conftest import LiveServer
from vnpolicy.graph.namespaces import VNP
from vnpolicy.graph.paths import ONTOLOGY_DIR

BASE = "https://w3id.org/vnpolicy/"
R57 = BASE + "eli/vn/tw/nq/2024/57"
VIEWPOINT = R57 + "/section/1/viewpoint/3"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
RDFLIB_FORMATS = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "rdf": "xml",
}


def path(uri: str) -> str:
    return "/" + uri.removeprefix(BASE)


def fetch(server: LiveServer, target: str, **headers: str) -> httpx.Response:
    return httpx.get(server.url + target, headers=headers, timeout=30)


def rdf(response: httpx.Response, format_name: str) -> Graph:
    assert response.status_code == 200, response.text
    if format_name == "json-ld":  # parsed by Oxigraph: rdflib's JSON-LD parser warns
        triples = parse(response.content, format=RdfFormat.JSON_LD)
        lines = "".join(f"{triple} .\n" for triple in triples)
        return Graph().parse(data=lines, format="nt")
    return Graph().parse(data=response.content, format=format_name)


def construct(server: LiveServer, query: str) -> Graph:
    answer = httpx.get(f"{server.url}/sparql", params={"query": query, "format": "nt"}, timeout=30)
    return Graph().parse(data=answer.content, format="nt")


def select_count(server: LiveServer, query: str) -> int:
    """How many rows ``query`` has on the server's endpoint."""
    answer = httpx.get(
        f"{server.url}/sparql",
        params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ {query} }} }}"},
        timeout=30,
    )
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize(
    ("accept", "params", "suffix"),
    [
        (None, "", "html"),
        ("*/*", "", "html"),
        (BROWSER, "", "html"),
        ("text/turtle", "", "ttl"),
        ("application/ld+json", "", "jsonld"),
        ("application/n-triples", "", "nt"),
        ("application/rdf+xml", "", "rdf"),
        ("application/trig", "", "trig"),
        ("application/n-quads", "", "nq"),
        ("text/turtle;q=0.5, application/rdf+xml", "", "rdf"),
        ("application/*", "", "nt"),  # the first application/ type we offer
        ("text/html", "?format=ttl", "ttl"),
        ("text/turtle", "?format=html", "html"),
        (None, "?lang=vi", "html?lang=vi"),
        ("text/turtle", "?page=2", "ttl?page=2"),
    ],
)
def test_a_resource_answers_303_to_the_negotiated_description(
    server: LiveServer, accept: str | None, params: str, suffix: str
) -> None:
    headers = {"accept": accept} if accept else {}
    response = fetch(server, path(R57) + params, **headers)
    assert response.status_code == 303
    assert response.headers["location"] == f"{path(R57)}.{suffix}"
    assert response.headers["vary"] == "Accept"
    assert f"<{path(R57)}.ttl" in response.headers["link"]


def test_unacceptable_formats_get_406_naming_the_offers(server: LiveServer) -> None:
    response = fetch(server, path(R57), accept="image/png")
    assert response.status_code == 406
    assert "text/turtle" in response.text
    assert "text/html" in response.text


def test_every_rdf_format_gives_the_same_graph_the_endpoint_holds(server: LiveServer) -> None:
    expected = construct(
        server,
        f"CONSTRUCT {{ <{VIEWPOINT}> ?p ?o . ?s ?q <{VIEWPOINT}> }} "
        f"WHERE {{ {{ <{VIEWPOINT}> ?p ?o }} UNION {{ ?s ?q <{VIEWPOINT}> }} }}",
    )
    assert len(expected) > 40
    for suffix, format_name in RDFLIB_FORMATS.items():
        response = fetch(server, f"{path(VIEWPOINT)}.{suffix}")
        assert response.headers["content-type"].startswith(
            {"ttl": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json",
             "rdf": "application/rdf+xml"}[suffix]
        )  # fmt: skip
        assert isomorphic(rdf(response, format_name), expected), suffix


def test_quad_formats_keep_the_named_graphs(server: LiveServer) -> None:
    for suffix, format_ in (("nq", RdfFormat.N_QUADS), ("trig", RdfFormat.TRIG)):
        quads = list(parse(fetch(server, f"{path(VIEWPOINT)}.{suffix}").content, format=format_))
        graphs = {quad.graph_name.value for quad in quads}
        assert graphs == {BASE + "graph/eli/vn/tw/nq/2024/57", BASE + "graph/entailments"}


def test_rdflib_dereferences_a_uri_by_content_negotiation(server: LiveServer) -> None:
    """rdflib asks for RDF, follows the 303 and parses what it gets."""
    graph = Graph().parse(server.url + path(R57))
    assert (URIRef(R57), VNP.officialNumber, Literal("57-NQ/TW")) in graph
    assert isomorphic(graph, rdf(fetch(server, f"{path(R57)}.ttl"), "turtle"))


@pytest.mark.parametrize(
    ("accept", "media_type", "format_"),
    [
        ("text/turtle", "text/turtle", RdfFormat.TURTLE),
        ("application/ld+json", "application/ld+json", RdfFormat.JSON_LD),
        ("application/rdf+xml", "application/rdf+xml", RdfFormat.RDF_XML),
        ("application/n-triples", "application/n-triples", RdfFormat.N_TRIPLES),
    ],
)
def test_unknown_uris_are_404_in_the_negotiated_rdf_format(
    server: LiveServer, accept: str, media_type: str, format_: RdfFormat
) -> None:
    response = fetch(server, "/eli/vn/tw/nq/2024/999", accept=accept)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(media_type)
    assert list(parse(response.content, format=format_)) == []


def test_unknown_uris_and_suffixes_are_404_pages_for_browsers(server: LiveServer) -> None:
    for target in ("/eli/vn/tw/nq/2024/999", "/eli/vn/tw/nq/2024/999.ttl", "/nothing.html"):
        response = fetch(server, target, accept=BROWSER)
        assert response.status_code == 404, target
    assert "names nothing in this dataset" in fetch(server, "/nothing", accept=BROWSER).text


def test_incoming_links_are_paged_and_the_pages_add_up(server: LiveServer) -> None:
    count = select_count(server, f"SELECT DISTINCT ?s ?p {{ ?s ?p <{R57}> }}")
    assert count > 100  # more than one page
    subjects: set[tuple[str, str]] = set()
    target: str | None = f"{path(R57)}.nt"
    pages = 0
    while target:
        response = fetch(server, target)
        graph = rdf(response, "nt")
        subjects |= {(str(s), str(p)) for s, p, _ in graph.triples((None, None, URIRef(R57)))}
        pages += 1
        target = response.links.get("next", {}).get("url")
    assert pages == -(-count // 100)
    assert len(subjects) == count


def test_named_graphs_dereference_to_their_contents(server: LiveServer) -> None:
    name = BASE + "graph/eli/vn/bgddt/cv/2024/4324-cntt"
    quads = list(parse(fetch(server, f"{path(name)}.nq").content, format=RdfFormat.N_QUADS))
    stored = select_count(server, f"SELECT * {{ GRAPH <{name}> {{ ?s ?p ?o }} }}")
    assert len(quads) == stored > 100
    assert {quad.graph_name.value for quad in quads} == {name}


def test_the_ontology_and_vocabularies_are_served_at_their_namespace_uris(
    server: LiveServer,
) -> None:
    ontology_file = Graph().parse(ONTOLOGY_DIR / "vnpolicy.ttl")
    served = Graph().parse(server.url + "/ontology")
    terms = set(ontology_file.subjects(RDF.type, None)) - {URIRef(BASE + "ontology")}
    assert terms
    assert terms <= set(served.subjects(RDF.type, None))
    pillars = Graph().parse(server.url + "/vocab/pillar")
    concepts = {str(c) for c in pillars.subjects(RDF.type, SKOS.Concept)}
    names = ("data", "institutions", "human-resources", "infrastructure", "strategic-technology")
    assert {BASE + f"vocab/pillar/{name}" for name in names} <= concepts


def test_outside_uris_are_described_at_the_resource_page(server: LiveServer) -> None:
    term = "http://data.europa.eu/eli/ontology#is_part_of"
    response = httpx.get(
        f"{server.url}/resource", params={"uri": term}, headers={"accept": "text/turtle"}
    )
    assert response.status_code == 200
    assert response.headers["vary"] == "Accept, Accept-Language"
    graph = Graph().parse(data=response.content, format="turtle")
    assert len(set(graph.predicates(None, None))) == 1  # its uses, as incoming links
    for bad, status in (("not an iri", 400), ("http://example.org/unknown", 404)):
        assert httpx.get(f"{server.url}/resource", params={"uri": bad}).status_code == status


def test_head_answers_like_get_without_a_body(server: LiveServer) -> None:
    response = httpx.head(server.url + f"{path(R57)}.ttl")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.content == b""
