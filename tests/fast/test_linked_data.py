"""Dereferenceable URIs, in process on the fixture corpus: 303 negotiation, every format parsed
back and compared as graphs with the build, 404s, paging, named graphs, the model at its
namespace URIs."""

import re
from html.parser import HTMLParser

import httpx
import pytest
from pyoxigraph import RdfFormat, parse
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from tests.utils.corpus import BASE, R57, R57_GRAPH, VIEWPOINT, path
from tests.utils.rdf import response_graph
from tests.utils.sparql import count
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.formats import DESCRIPTION_FORMATS, TRIPLE_FORMATS
from vnpolicy.graph.namespaces import VNP
from vnpolicy.graph.paths import ONTOLOGY_DIR

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
#: The syntaxes a description is written in with its triples only, by URL suffix.
MEDIA_TYPES = {f.suffix: f.media_type for f in TRIPLE_FORMATS if f.suffix}


def _described(dataset: Dataset, uri: str) -> Graph:
    """What the build says about ``uri`` and what points at it, over every named graph."""
    node = URIRef(uri)
    described = Graph()
    for _, graph in dataset.named_graphs():
        for triple in (*graph.triples((node, None, None)), *graph.triples((None, None, node))):
            described.add(triple)
    return described


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
    client: httpx.Client, accept: str | None, params: str, suffix: str
) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get(path(R57) + params, headers=headers)
    assert response.status_code == 303
    assert response.headers["location"] == f"{path(R57)}.{suffix}"
    assert response.headers["vary"] == "Accept"
    assert f"<{path(R57)}.ttl" in response.headers["link"]


def test_unacceptable_formats_get_406_naming_the_offers(client: httpx.Client) -> None:
    response = client.get(path(R57), headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.text
    assert "text/html" in response.text


def test_every_rdf_format_gives_the_graph_the_build_holds(
    client: httpx.Client, fixture_dataset: Dataset
) -> None:
    expected = _described(fixture_dataset, VIEWPOINT)
    assert (URIRef(VIEWPOINT), RDF.type, VNP.GuidingViewpoint) in expected
    for suffix, media_type in MEDIA_TYPES.items():
        response = client.get(f"{path(VIEWPOINT)}.{suffix}")
        assert response.headers["content-type"].split(";")[0] == media_type
        assert isomorphic(response_graph(response), expected), suffix


def test_quad_formats_keep_the_named_graphs(client: httpx.Client) -> None:
    for suffix, format_ in (("nq", RdfFormat.N_QUADS), ("trig", RdfFormat.TRIG)):
        quads = list(parse(client.get(f"{path(VIEWPOINT)}.{suffix}").content, format=format_))
        graphs = {quad.graph_name.value for quad in quads}
        assert graphs == {R57_GRAPH, BASE + "graph/entailments"}


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
    client: httpx.Client, accept: str, media_type: str, format_: RdfFormat
) -> None:
    response = client.get("/eli/vn/tw/nq/2024/999", headers={"accept": accept})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(media_type)
    assert list(parse(response.content, format=format_)) == []


def test_unknown_uris_and_suffixes_are_404_pages_for_browsers(client: httpx.Client) -> None:
    for target, media_type in (
        ("/eli/vn/tw/nq/2024/999", "text/html"),
        ("/eli/vn/tw/nq/2024/999.ttl", "text/turtle"),  # a suffix names its format
        ("/nothing.html", "text/html"),
    ):
        response = client.get(target, headers={"accept": BROWSER})
        assert response.status_code == 404, target
        assert response.headers["content-type"].split(";")[0] == media_type, target
    assert (
        "names nothing in this dataset" in client.get("/nothing", headers={"accept": BROWSER}).text
    )


def test_incoming_links_are_paged_and_the_pages_add_up(client: httpx.Client) -> None:
    concept = "http://www.w3.org/2004/02/skos/core#Concept"
    links = count(client, f"SELECT DISTINCT ?s ?p {{ ?s ?p <{concept}> }}")
    assert links > 100, "the fixture must give more than one page of incoming links"
    subjects: set[tuple[str, str]] = set()
    target: str | None = f"/resource?{httpx.QueryParams(uri=concept, format='nt')}"
    pages = 0
    while target:
        response = client.get(target)
        graph = response_graph(response)
        subjects |= {(str(s), str(p)) for s, p, _ in graph.triples((None, None, URIRef(concept)))}
        pages += 1
        target = response.links.get("next", {}).get("url")
    assert pages == -(-links // 100)
    assert len(subjects) == links


def test_named_graphs_dereference_to_their_contents(
    client: httpx.Client, fixture_dataset: Dataset
) -> None:
    quads = list(parse(client.get(f"{path(R57_GRAPH)}.nq").content, format=RdfFormat.N_QUADS))
    assert {quad.graph_name.value for quad in quads} == {R57_GRAPH}
    assert len(quads) == len(fixture_dataset.documents[URIRef(R57)])


def test_the_ontology_and_vocabularies_are_served_at_their_namespace_uris(
    client: httpx.Client,
) -> None:
    ontology_file = Graph().parse(ONTOLOGY_DIR / "vnpolicy.ttl")
    served = response_graph(
        client.get("/ontology", headers={"accept": "text/turtle"}, follow_redirects=True)
    )
    typed = set(ontology_file.subject_objects(RDF.type))
    assert (URIRef(BASE + "ontology#Document"), URIRef(str(RDF) + "Class")) not in typed
    assert typed <= set(served.subject_objects(RDF.type))
    pillars = response_graph(
        client.get("/vocab/pillar", headers={"accept": "text/turtle"}, follow_redirects=True)
    )
    concepts = {str(c) for c in pillars.subjects(RDF.type, SKOS.Concept)}
    names = ("data", "institutions", "human-resources", "infrastructure", "strategic-technology")
    assert concepts == {BASE + f"vocab/pillar/{name}" for name in names}


def test_outside_uris_are_described_at_the_resource_page(
    client: httpx.Client, fixture_dataset: Dataset
) -> None:
    term = "http://data.europa.eu/eli/ontology#is_part_of"
    response = client.get("/resource", params={"uri": term}, headers={"accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["vary"] == "Accept, Accept-Language"
    assert isomorphic(response_graph(response), _described(fixture_dataset, term))
    for bad, status in (("not an iri", 400), ("http://example.org/unknown", 404)):
        assert client.get("/resource", params={"uri": bad}).status_code == status


class _HeadLinks(HTMLParser):
    """The ``<link rel="alternate">`` elements of a page, as (href, type)."""

    def __init__(self) -> None:
        super().__init__()
        self.alternates: set[tuple[str, str]] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "alternate":
            self.alternates.add((found["href"] or "", found["type"] or ""))


def _link_header(response: httpx.Response) -> set[tuple[str, str]]:
    """The ``rel="alternate"`` links of the ``Link`` header, as (target, type)."""
    return set(
        re.findall(r'<([^>]*)>;\s*rel="alternate";\s*type="([^"]*)"', response.headers["link"])
    )


@pytest.mark.parametrize(
    "target",
    [
        f"{path(R57)}.html",
        f"{path(VIEWPOINT)}.html?lang=vi",
        "/ontology.html",
        "/vocab/pillar.html",
        f"{path(R57_GRAPH)}.html",
        "/resource?uri=http://www.w3.org/2004/02/skos/core%23Concept",
    ],
)
def test_html_pages_carry_the_link_header_alternates_in_their_head(
    client: httpx.Client, target: str
) -> None:
    response = client.get(target, headers={"accept": BROWSER})
    assert response.headers["content-type"].startswith("text/html")
    page = _HeadLinks()
    page.feed(response.text)
    alternates = _link_header(response)
    assert {media_type for _, media_type in alternates} == {
        f.media_type for f in DESCRIPTION_FORMATS
    }  # fmt: skip
    # The head also links the change feeds (site-wide, not formats of this description).
    feeds = {link for link in page.alternates if link[1] == "application/atom+xml"}
    assert ("/feeds/changes.atom", "application/atom+xml") in feeds
    assert all(
        href.startswith(("/feeds/changes", "/feeds/type/", "/feeds/issuer/")) for href, _ in feeds
    )
    assert page.alternates - feeds == alternates


def test_head_answers_with_the_headers_of_get(client: httpx.Client) -> None:
    got = client.get(f"{path(R57)}.ttl")
    head = client.head(f"{path(R57)}.ttl")
    assert head.status_code == 200
    for header in ("content-type", "etag", "link"):
        assert head.headers[header] == got.headers[header], header
