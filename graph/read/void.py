"""The dataset's own description: VoID (sizes, partitions, endpoint, dumps, URI space, examples)
and a DCAT 3 catalogue (the dataset, its distributions, the SPARQL data service), in one graph.

Where the server lives is passed in (``service_root``); the data's URIs stay under ``base``.
"""

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

from vnpolicy.graph.namespaces import ONTOLOGY_IRI, VOCAB
from vnpolicy.graph.network.catalog import FORMAT_INFO, VIEW_TITLES, VIEWS, export_path
from vnpolicy.graph.read.overview import Overview
from vnpolicy.graph.uris import Minter

SPDX = Namespace("http://spdx.org/rdf/terms#")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
VOCABULARIES = (
    ONTOLOGY_IRI + "#",
    "http://data.europa.eu/eli/ontology#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/org#",
    "https://schema.org/",
    "http://xmlns.com/foaf/0.1/",
)
TITLES = (
    ("vnpolicy: Vietnam's science, technology, innovation and digital transformation policy", "en"),
    ("vnpolicy: chính sách khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số", "vi"),
)
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
#: Paths (under the base) of the example resources; the first is the root resource.
EXAMPLES = ("eli/vn/tw/nq/2024/57", "eli/vn/cp/nq/2025/03", "eli/vn/bgddt/cv/2024/4324-cntt")


@dataclass(frozen=True)
class Dump:
    name: str  # file name, e.g. vnpolicy.nq.gz
    url: str
    media_type: str  # of the RDF inside
    compressed: bool
    size: int | None  # None: made on request, not known in advance (an external store)
    sha256: str | None


def root_resource(base: str) -> URIRef:
    """The resource the dataset is about first: Resolution 57-NQ/TW."""
    return Minter(base).resource(EXAMPLES[0])


def described_uris(base: str) -> list[str]:
    """The URIs this description names, all answered by it."""
    minter = Minter(base)
    return [str(minter.dataset), str(minter.catalog), str(minter.data_service)]


def dataset_description(
    overview: Overview, base: str, service_root: str, dumps: list[Dump], modified: str
) -> Graph:
    graph = Graph()
    for prefix, namespace in (("void", VOID), ("dcat", DCAT), ("dct", DCTERMS), ("spdx", SPDX)):
        graph.bind(prefix, namespace)
    minter = Minter(base)
    dataset, catalog, service = minter.dataset, minter.catalog, minter.data_service
    endpoint = URIRef(f"{service_root}sparql")
    add = graph.add
    add((catalog, RDF.type, DCAT.Catalog))
    add((catalog, DCTERMS.title, Literal("vnpolicy catalogue", lang="en")))
    add((catalog, DCAT.dataset, dataset))
    add((catalog, DCAT.service, service))
    add((catalog, FOAF.homepage, URIRef(service_root)))
    for kind in (VOID.Dataset, DCAT.Dataset):
        add((dataset, RDF.type, kind))
    for title, language in TITLES:
        add((dataset, DCTERMS.title, Literal(title, lang=language)))
    add((dataset, DCTERMS.description, Literal(
        "Politburo Resolution 57-NQ/TW (22 December 2024) with its viewpoints, targets and tasks, "
        "and the documents that implement it or stand beside it, with the source and certainty "
        "of every statement.", lang="en")))  # fmt: skip
    add((dataset, DCTERMS.license, LICENCE))
    add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    add((dataset, DCAT.landingPage, URIRef(service_root)))
    add((dataset, FOAF.homepage, URIRef(service_root)))
    add((dataset, VOID.sparqlEndpoint, endpoint))
    add((dataset, VOID.uriSpace, Literal(base)))
    add((dataset, VOID.rootResource, root_resource(base)))
    for example in EXAMPLES:
        add((dataset, VOID.exampleResource, minter.resource(example)))
    for vocabulary in VOCABULARIES:
        add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    add((dataset, VOID.triples, Literal(overview.triples)))
    add((dataset, VOID.entities, Literal(overview.subjects)))
    add((dataset, VOID.classes, Literal(len(overview.classes))))
    add((dataset, VOID.properties, Literal(len(overview.properties))))
    add((dataset, DCAT.theme, URIRef(f"{VOCAB}pillar")))
    for position, (class_uri, count) in enumerate(overview.classes, 1):
        partition = BNode(f"class{position}")
        add((dataset, VOID.classPartition, partition))
        add((partition, VOID["class"], URIRef(class_uri)))
        add((partition, VOID.entities, Literal(count)))
    for position, (property_uri, count) in enumerate(overview.properties, 1):
        partition = BNode(f"property{position}")
        add((dataset, VOID.propertyPartition, partition))
        add((partition, VOID.property, URIRef(property_uri)))
        add((partition, VOID.triples, Literal(count)))
    for graph_name, count in overview.graphs:
        subset = URIRef(graph_name)
        add((dataset, VOID.subset, subset))
        add((subset, RDF.type, VOID.Dataset))
        add((subset, VOID.triples, Literal(count)))
    for dump in dumps:
        url = URIRef(dump.url)
        add((dataset, VOID.dataDump, url))
        add((dataset, DCAT.distribution, url))
        add((url, RDF.type, DCAT.Distribution))
        add((url, DCAT.downloadURL, url))
        add((url, DCAT.accessURL, url))
        add((url, DCAT.mediaType, URIRef(MEDIA_TYPES + dump.media_type)))
        if dump.compressed:
            add((url, DCAT.compressFormat, URIRef(MEDIA_TYPES + "application/gzip")))
        add((url, DCTERMS.title, Literal(dump.name)))
        add((url, DCTERMS.license, LICENCE))
        if dump.size is None or dump.sha256 is None:
            continue
        add((url, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        checksum = BNode()
        add((url, SPDX.checksum, checksum))
        add((checksum, RDF.type, SPDX.Checksum))
        add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
    for view in VIEWS:
        for info in FORMAT_INFO.values():
            url = URIRef(service_root.rstrip("/") + export_path(view, info.name))
            add((dataset, DCAT.distribution, url))
            add((url, RDF.type, DCAT.Distribution))
            add((url, DCAT.downloadURL, url))
            add((url, DCAT.accessURL, url))
            add((url, DCAT.mediaType, URIRef(MEDIA_TYPES + info.media_type)))
            add((url, DCTERMS.title, Literal(f"Network of {VIEW_TITLES[view]} ({info.title})")))
            add((url, DCTERMS.license, LICENCE))
    add((service, RDF.type, DCAT.DataService))
    add((service, DCTERMS.title, Literal("vnpolicy SPARQL 1.1 endpoint", lang="en")))
    add((service, DCAT.endpointURL, endpoint))
    add((service, DCAT.endpointDescription, endpoint))
    add((service, DCAT.servesDataset, dataset))
    add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    return graph
