"""The SPARQL 1.1 Service Description of ``/sparql`` (answered to a GET without a query).

It is made once per generation of the data, in a thread (at 1.44M quads reading every named
graph's size takes seconds), and kept written in each format asked for, so a request for it
costs the event loop nothing that grows with the data. A store of more than ``GRAPH_LIMIT``
named graphs is described without listing them (the VoID description lists them).
"""

import asyncio
from collections.abc import Callable

from rdflib import RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID, XSD
from starlette.concurrency import run_in_threadpool

from vnpolicy.graph.bridge import Terms, rdflib_term
from vnpolicy.graph.formats import FORMATS, Format
from vnpolicy.graph.output.serialise import written
from vnpolicy.graph.store import ReadableStore, select

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
#: Every format /sparql answers in, by its W3C format IRI.
RESULT_FORMATS = [f.w3c for f in FORMATS if f.w3c]
#: The most named graphs the description lists, each with its size.
GRAPH_LIMIT = 1_000
_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def service_description(
    endpoint: str,
    store: ReadableStore,
    *,
    allow_service: bool,
    void: str | None = None,
    graph_limit: int = GRAPH_LIMIT,
) -> Graph:
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
    names = sorted(store.named_graphs(), key=lambda node: node.value)
    if void is not None:
        graph.add((service, RDFS.seeAlso, URIRef(void)))
    if len(names) <= graph_limit:
        sizes = {row["g"]: int(row["n"]) for row in select(store, _GRAPH_SIZES)}
        for graph_name in names:
            named = BNode()
            inner = BNode()
            graph.add((dataset, SD.namedGraph, named))
            graph.add((named, RDF.type, SD.NamedGraph))
            graph.add((named, SD.name, rdflib_term(graph_name)))
            graph.add((named, SD.graph, inner))
            graph.add((inner, RDF.type, SD.Graph))
            size = Literal(sizes.get(graph_name.value, 0), datatype=XSD.integer)
            graph.add((inner, VOID.triples, size))
    distinct = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    union = next(iter(distinct))["n"].value  # type: ignore[arg-type]
    graph.add((default, VOID.triples, Literal(int(union), datatype=XSD.integer)))
    return graph


class ServiceDescriptions:
    """The description, made at most once per generation of the data and written at most once
    per format; ``forget`` after each write."""

    def __init__(self, make: Callable[[], Graph]) -> None:
        self._make = make
        self._graph: Graph | None = None
        self._written: dict[str, bytes] = {}  # bounded: one entry per RDF format
        self._generation = 0
        self._lock = asyncio.Lock()

    def forget(self) -> None:
        self._generation += 1
        self._graph = None
        self._written = {}

    async def written(self, written_as: Format) -> bytes:
        async with self._lock:  # concurrent first requests wait for one build, not make many
            generation = self._generation
            found = self._written.get(written_as.label)
            if found is not None:
                return found
            graph = self._graph if self._graph is not None else await run_in_threadpool(self._make)
            body = await run_in_threadpool(lambda: written(Terms().quads(graph), written_as))
            if generation == self._generation:  # no write landed meanwhile
                self._graph = graph
                self._written[written_as.label] = body
            return body
