"""The dataset descriptions and downloads a harvester uses: VoID and DCAT, dumps with validators,
sitemap and robots.txt — in process on the fixture corpus, read back with rdflib and the standard
library."""

import gzip
import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
from pyoxigraph import RdfFormat, parse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, RDF, VOID, XSD

from tests.utils.corpus import BASE, R57, path
from tests.utils.inprocess import BASE_URL
from tests.utils.rdf import response_graph
from tests.utils.sparql import count
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.network.catalog import FORMAT_INFO, VIEWS
from vnpolicy.graph.paths import NQUADS_DUMP

VNP_DOCUMENT = URIRef("https://w3id.org/vnpolicy/ontology#Document")
SPDX = "http://spdx.org/rdf/terms#"


def void(client: httpx.Client) -> Graph:
    response = client.get("/.well-known/void", headers={"accept": "text/turtle"})
    assert response.headers["vary"] == "Accept"
    return response_graph(response)


def test_void_states_sizes_partitions_endpoint_and_uri_space(
    client: httpx.Client, fixture_dataset: Dataset
) -> None:
    graph = void(client)
    dataset = URIRef(BASE + "id/dataset")
    assert (dataset, RDF.type, VOID.Dataset) in graph
    triples = count(client, "SELECT DISTINCT ?s ?p ?o { ?s ?p ?o }")
    assert graph.value(dataset, VOID.triples) == Literal(triples, datatype=XSD.integer)
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{BASE_URL}/sparql")
    assert str(graph.value(dataset, VOID.uriSpace)) == BASE
    documents = [
        graph.value(partition, VOID.entities)
        for partition in graph.objects(dataset, VOID.classPartition)
        if graph.value(partition, VOID["class"]) == VNP_DOCUMENT
    ]
    assert documents == [Literal(len(fixture_dataset.documents), datatype=XSD.integer)]
    subsets = {str(subset) for subset in graph.objects(dataset, VOID.subset)}
    assert {BASE + "graph/" + path(uri)[1:] for uri in fixture_dataset.documents} <= subsets
    examples = list(graph.objects(dataset, VOID.exampleResource))
    assert URIRef(R57) in examples
    for example in examples:
        assert client.get(path(str(example)), follow_redirects=True).status_code == 200, example


def test_browsers_asking_for_void_are_sent_to_the_home_page(client: httpx.Client) -> None:
    response = client.get("/.well-known/void", headers={"accept": "text/html"})
    assert (response.status_code, response.headers["location"]) == (303, "/")


def test_dcat_catalogue_lists_every_dump_with_size_and_checksum(client: httpx.Client) -> None:
    graph = response_graph(client.get("/catalog", params={"format": "jsonld"}))
    catalog = URIRef(BASE + "id/catalog")
    dataset = graph.value(catalog, DCAT.dataset)
    assert dataset == URIRef(BASE + "id/dataset")
    distributions = set(graph.objects(dataset, DCAT.distribution))
    dumps = set(graph.objects(dataset, URIRef("http://rdfs.org/ns/void#dataDump")))
    assert {str(graph.value(dump, DCAT.downloadURL)).rsplit("/", 1)[1] for dump in dumps} == {
        "vnpolicy.nq", "vnpolicy.nq.gz", "vnpolicy.trig", "vnpolicy.trig.gz"
    }  # fmt: skip
    networks = distributions - dumps
    exports = [f"{view}.{info.extension}" for view in VIEWS for info in FORMAT_INFO.values()]
    assert {str(graph.value(network, DCAT.downloadURL)) for network in networks} == {
        f"{BASE_URL}/export/{name}" for name in exports
    }
    for network in networks:
        answer = client.get(str(graph.value(network, DCAT.downloadURL)))
        media_type = str(graph.value(network, DCAT.mediaType)).rsplit("/media-types/", 1)[1]
        assert answer.headers["content-type"].split(";")[0] == media_type
    for distribution in dumps:
        body = client.get(str(graph.value(distribution, DCAT.downloadURL))).content
        assert str(graph.value(distribution, DCAT.byteSize)) == str(len(body))
        checksum = graph.value(distribution, URIRef(SPDX + "checksum"))
        value = graph.value(checksum, URIRef(SPDX + "checksumValue"))
        assert str(value) == hashlib.sha256(body).hexdigest()
    service = graph.value(catalog, DCAT.service)
    assert graph.value(service, DCAT.endpointURL) == URIRef(f"{BASE_URL}/sparql")
    assert (service, RDF.type, DCAT.DataService) in graph
    minted = client.get("/id/dataset")
    assert (minted.status_code, minted.headers["location"]) == (303, "/.well-known/void")


def test_dumps_download_with_etag_last_modified_and_304(
    client: httpx.Client, fixture_out: Path
) -> None:
    plain = client.get("/dumps/vnpolicy.nq")
    assert plain.status_code == 200
    assert plain.content == (fixture_out / NQUADS_DUMP).read_bytes()
    compressed = client.get("/dumps/vnpolicy.nq.gz")
    assert compressed.headers["content-type"] == "application/gzip"
    assert "attachment" in compressed.headers["content-disposition"]
    assert gzip.decompress(compressed.content) == plain.content
    trig = client.get("/dumps/vnpolicy.trig.gz")
    quads = set(parse(gzip.decompress(trig.content), format=RdfFormat.TRIG))
    assert quads == set(parse(plain.content, format=RdfFormat.N_QUADS))
    etag, modified = plain.headers["etag"], plain.headers["last-modified"]
    for headers in ({"if-none-match": etag}, {"if-modified-since": modified}):
        again = client.get("/dumps/vnpolicy.nq", headers=headers)
        assert (again.status_code, again.content) == (304, b"")
        assert again.headers["etag"] == etag
    other = client.get("/dumps/vnpolicy.nq", headers={"if-none-match": '"other"'})
    assert other.status_code == 200
    assert client.get("/dumps/../manifest.json").status_code == 404
    assert client.get("/dumps/secret.txt").status_code == 404


def test_the_sitemap_reaches_every_resource_and_each_answers(client: httpx.Client) -> None:
    response = client.get("/sitemap.xml")
    assert response.headers["content-type"].startswith("application/xml")
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [loc.text or "" for loc in ET.fromstring(response.content).iter(f"{namespace}loc")]
    paths = {location.removeprefix(BASE_URL) for location in locations}
    subjects = client.get(
        "/sparql",
        params={"query": f'SELECT DISTINCT ?s {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}")) }}'},
    ).json()["results"]["bindings"]
    expected = {path(row["s"]["value"]).split("#")[0] for row in subjects}
    assert expected <= paths
    assert path(BASE + "graph/eli/vn/tw/nq/2024/57") in paths
    assert "/query/04-targets-2030" in paths  # each research query's page
    for page in sorted(paths):
        # RDF where the page has it; the browse list (/browse) is HTML, JSON or CSV only
        accept = "text/turtle, text/html;q=0.5"
        answer = client.get(page, headers={"accept": accept}, follow_redirects=True)
        assert answer.status_code == 200, page


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_off_the_endpoint(
    client: httpx.Client,
) -> None:
    lines = client.get("/robots.txt").text.splitlines()
    assert f"Sitemap: {BASE_URL}/sitemap.xml" in lines
    assert "Disallow: /sparql" in lines


def test_the_home_page_links_every_entry_point(client: httpx.Client) -> None:
    page = client.get("/").text
    for link in ("/query", "/sparql", "/.well-known/void", "/catalog", "/sitemap.xml",
                 "/ontology", "/dumps/vnpolicy.nq.gz", path(R57)):  # fmt: skip
        assert f'href="{link}' in page, link
        assert client.get(link, follow_redirects=True).status_code == 200, link


def test_every_network_view_is_named_in_both_languages() -> None:
    from vnpolicy.server.http.site import VIEW_TITLES_VI

    assert set(VIEW_TITLES_VI) == set(VIEWS)
