"""The dataset descriptions and downloads a harvester uses: VoID and DCAT, dumps with validators,
sitemap and robots.txt — on a real server, read back with rdflib and the standard library."""

import gzip
import hashlib
import xml.etree.ElementTree as ET

import httpx
from pyoxigraph import RdfFormat, parse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, RDF, VOID, XSD

from tests.conftest import LiveServer
from tests.test_linked_data import BASE, R57, rdf, select_count
from vnpolicy.graph.paths import NQUADS_DUMP

VNP_DOCUMENT = URIRef("https://w3id.org/vnpolicy/ontology#Document")
SPDX = "http://spdx.org/rdf/terms#"


def void(server: LiveServer) -> Graph:
    response = httpx.get(f"{server.url}/.well-known/void", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["vary"] == "Accept"
    return Graph().parse(data=response.content, format="turtle")


def test_void_states_sizes_partitions_endpoint_and_uri_space(server: LiveServer) -> None:
    graph = void(server)
    dataset = URIRef(BASE + "id/dataset")
    assert (dataset, RDF.type, VOID.Dataset) in graph
    triples = select_count(server, "SELECT DISTINCT ?s ?p ?o { ?s ?p ?o }")
    assert graph.value(dataset, VOID.triples) == Literal(triples, datatype=XSD.integer)
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(f"{server.url}/sparql")
    assert str(graph.value(dataset, VOID.uriSpace)) == BASE
    documents = [
        graph.value(partition, VOID.entities)
        for partition in graph.objects(dataset, VOID.classPartition)
        if graph.value(partition, VOID["class"]) == VNP_DOCUMENT
    ]
    assert documents == [Literal(select_count(server, "SELECT ?d { ?d a vnp:Document }"))]
    graphs = set(graph.objects(dataset, VOID.subset))
    assert URIRef(BASE + "graph/eli/vn/tw/nq/2024/57") in graphs
    for example in graph.objects(dataset, VOID.exampleResource):
        page = httpx.get(server.url + "/" + str(example).removeprefix(BASE), follow_redirects=True)
        assert page.status_code == 200, example


def test_browsers_asking_for_void_are_sent_to_the_home_page(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/.well-known/void", headers={"accept": "text/html"})
    assert (response.status_code, response.headers["location"]) == (303, "/")


def test_dcat_catalogue_lists_every_dump_with_size_and_checksum(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/catalog", params={"format": "jsonld"})
    graph = rdf(response, "json-ld")
    catalog = URIRef(BASE + "id/catalog")
    dataset = graph.value(catalog, DCAT.dataset)
    assert dataset == URIRef(BASE + "id/dataset")
    distributions = set(graph.objects(dataset, DCAT.distribution))
    dumps = set(graph.objects(dataset, URIRef("http://rdfs.org/ns/void#dataDump")))
    assert len(dumps) == 4
    networks = distributions - dumps
    assert len(networks) == 3 * 7  # every view in every network format
    for network in networks:
        answer = httpx.get(str(graph.value(network, DCAT.downloadURL)), timeout=60)
        media_type = str(graph.value(network, DCAT.mediaType)).rsplit("/media-types/", 1)[1]
        assert answer.headers["content-type"].split(";")[0] == media_type
    for distribution in dumps:
        body = httpx.get(str(graph.value(distribution, DCAT.downloadURL))).content
        assert str(graph.value(distribution, DCAT.byteSize)) == str(len(body))
        checksum = graph.value(distribution, URIRef(SPDX + "checksum"))
        value = graph.value(checksum, URIRef(SPDX + "checksumValue"))
        assert str(value) == hashlib.sha256(body).hexdigest()
    service = graph.value(catalog, DCAT.service)
    assert graph.value(service, DCAT.endpointURL) == URIRef(f"{server.url}/sparql")
    assert (service, RDF.type, DCAT.DataService) in graph
    minted = httpx.get(server.url + "/id/dataset")
    assert (minted.status_code, minted.headers["location"]) == (303, "/.well-known/void")


def test_dumps_download_with_etag_last_modified_and_304(server: LiveServer) -> None:
    plain = httpx.get(f"{server.url}/dumps/vnpolicy.nq")
    assert plain.status_code == 200
    assert plain.content == (server.out / NQUADS_DUMP).read_bytes()
    compressed = httpx.get(f"{server.url}/dumps/vnpolicy.nq.gz")
    assert compressed.headers["content-type"] == "application/gzip"
    assert "attachment" in compressed.headers["content-disposition"]
    assert gzip.decompress(compressed.content) == plain.content
    trig = httpx.get(f"{server.url}/dumps/vnpolicy.trig.gz")
    quads = list(parse(gzip.decompress(trig.content), format=RdfFormat.TRIG))
    assert len(set(quads)) == len(set(parse(plain.content, format=RdfFormat.N_QUADS)))
    etag, modified = plain.headers["etag"], plain.headers["last-modified"]
    for headers in ({"if-none-match": etag}, {"if-modified-since": modified}):
        again = httpx.get(f"{server.url}/dumps/vnpolicy.nq", headers=headers)
        assert (again.status_code, again.content) == (304, b"")
        assert again.headers["etag"] == etag
    other = httpx.get(f"{server.url}/dumps/vnpolicy.nq", headers={"if-none-match": '"other"'})
    assert other.status_code == 200
    assert httpx.get(f"{server.url}/dumps/../manifest.json").status_code == 404
    assert httpx.get(f"{server.url}/dumps/secret.txt").status_code == 404


def test_the_sitemap_reaches_every_resource_and_each_answers(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/sitemap.xml")
    assert response.headers["content-type"].startswith("application/xml")
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [loc.text or "" for loc in ET.fromstring(response.content).iter(f"{namespace}loc")]
    paths = {location.removeprefix(server.url) for location in locations}
    subjects = httpx.get(
        f"{server.url}/sparql",
        params={"query": f'SELECT DISTINCT ?s {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}")) }}'},
    ).json()["results"]["bindings"]
    expected = {"/" + row["s"]["value"].removeprefix(BASE).split("#")[0] for row in subjects}
    assert expected <= paths
    assert "/graph/eli/vn/tw/nq/2024/57" in paths
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for page in sorted(paths):
            answer = client.get(page, headers={"accept": "text/turtle"}, follow_redirects=True)
            assert answer.status_code == 200, page


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_off_the_endpoint(
    server: LiveServer,
) -> None:
    lines = httpx.get(f"{server.url}/robots.txt").text.splitlines()
    assert f"Sitemap: {server.url}/sitemap.xml" in lines
    assert "Disallow: /sparql" in lines


def test_the_home_page_links_every_entry_point(server: LiveServer) -> None:
    page = httpx.get(server.url + "/").text
    for link in ("/query", "/sparql", "/.well-known/void", "/catalog", "/sitemap.xml",
                 "/ontology", "/dumps/vnpolicy.nq.gz", "/" + R57.removeprefix(BASE)):  # fmt: skip
        assert f'href="{link}' in page, link
        assert httpx.get(server.url + link, follow_redirects=True).status_code == 200, link
