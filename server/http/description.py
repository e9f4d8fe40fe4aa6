"""The SPARQL 1.1 Service Description of ``/sparql`` (answered to a GET without a query)."""

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID, XSD

from vnpolicy.graph.bridge import rdflib_term
from vnpolicy.graph.formats import FORMATS
from vnpolicy.graph.store import ReadableStore

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
#: Every format /sparql answers in, by its W3C format IRI.
RESULT_FORMATS = [f.w3c for f in FORMATS if f.w3c]


def service_description(endpoint: str, store: ReadableStore, *, allow_service: bool) -> Graph:
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", W3C_FORMATS)
    graph.bind("void", VOID)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, W3C_FORMATS[name]))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if allow_service:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    dataset = URIRef(f"{endpoint}#dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = URIRef(f"{endpoint}#default-graph")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for graph_name in sorted(store.named_graphs(), key=lambda node: node.value):
        count = len(list(store.quads_for_pattern(None, None, None, graph_name)))
        named = BNode()
        inner = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, rdflib_term(graph_name)))
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        graph.add((inner, VOID.triples, Literal(count, datatype=XSD.integer)))
    distinct = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    union = next(iter(distinct))["n"].value  # type: ignore[arg-type]
    graph.add((default, VOID.triples, Literal(int(union), datatype=XSD.integer)))
    return graph
