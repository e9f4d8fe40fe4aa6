"""Publishing a write: worked out on a copy, validated, then applied all at once.

Every write (a SPARQL Update, a Graph Store Protocol upload or delete) is an ``Action``. A query
worker runs it on a copy of the data (``prepare``) under the query time limit, so that a runaway
update is stopped like a runaway query and a crash takes down a replaceable process, not the
server. The copy's data graphs are validated with the shapes, the documents it touches must sit in
their own named graphs, and the alignment entailments are recomputed. Only then is the difference
applied to the published store — in the event loop, between two requests, so no page sees half
of it — and sent, as the same ``Apply`` message, to every query worker. A refused write answers
4xx and changes nothing.
"""

import hmac
from dataclasses import dataclass
from functools import cache

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    parse,
    serialize,
)
from rdflib import Graph

from graph.alignment import entailments
from graph.namespaces import PREFIX_IRIS, RDF, VNP
from graph.uris import ENTAILMENTS_PATH
from server.change import Apply
from server.errors import ClientError
from server.settings import Settings

GraphName = NamedNode | DefaultGraph
_MODEL_PATH = "graph/model"
TYPE = NamedNode(str(RDF.type))
DOCUMENT = NamedNode(str(VNP.Document))


def home_graph(base: str, document: NamedNode) -> NamedNode:
    """The named graph a document's data belongs in: ``{base}graph/{document path}``."""
    return NamedNode(f"{base}graph/{document.value.removeprefix(base)}")


def check_token(settings: Settings, authorization: str | None) -> None:
    """Refuse a write: 403 when writes are off, 401 without the right bearer token."""
    if not settings.write_token:
        raise ClientError(403, "Writes are disabled on this server (no VNPOLICY_WRITE_TOKEN set)")
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), settings.write_token.encode()
    ):
        raise ClientError(
            401,
            "Writes need 'Authorization: Bearer <token>' with the configured token",
            {"WWW-Authenticate": 'Bearer realm="vnpolicy"'},
        )


@cache
def _model_and_shapes() -> tuple[Graph, Graph]:
    # Imported here: pyshacl takes a quarter of a second to import, and most instances never
    # write.
    from graph.model import load_model, load_shapes

    return load_model(), load_shapes()


def prepare(store: Store, base: str, action: "Action") -> Apply:
    """Run ``action`` on a copy of ``store``, check the copy, and return the difference."""
    before = set(store.quads_for_pattern(None, None, None, None))
    graphs_before = _iri_graphs(store)
    candidate = Store()
    candidate.bulk_extend(before)
    for graph in graphs_before:
        candidate.add_graph(graph)  # empty named graphs too
    action(candidate)
    touched: set[GraphName] = {
        quad.graph_name
        for quad in before.symmetric_difference(candidate)
        if not isinstance(quad.graph_name, BlankNode)
    }
    touched |= graphs_before.symmetric_difference(_iri_graphs(candidate))
    if not touched:
        return Apply(b"", b"", (), ())
    _check_document_graphs(base, candidate, touched)
    entailed_graph = NamedNode(base + ENTAILMENTS_PATH)
    data = _data(candidate, {NamedNode(base + _MODEL_PATH), entailed_graph})
    model, shapes = _model_and_shapes()
    _validate(data, model, shapes)
    _refresh_entailments(candidate, entailed_graph, data, model)
    after = set(candidate.quads_for_pattern(None, None, None, None))
    graphs_after = _iri_graphs(candidate)
    return Apply(
        serialize(sorted(before - after, key=str), format=RdfFormat.N_QUADS) or b"",
        serialize(sorted(after - before, key=str), format=RdfFormat.N_QUADS) or b"",
        tuple(sorted(graph.value for graph in graphs_before - graphs_after)),
        tuple(sorted(graph.value for graph in graphs_after - graphs_before)),
    )


def _data(candidate: Store, skipped: set[NamedNode]) -> Graph:
    """The data graphs of the copy (not the model, not the entailments) as one graph."""
    triples = (
        quad.triple
        for quad in candidate.quads_for_pattern(None, None, None, None)
        if quad.graph_name not in skipped
    )
    # One N-Triples text, so blank nodes keep their identity across triples.
    text = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=text, format="nt")


def _validate(data: Graph, model: Graph, shapes: Graph) -> None:
    """Refuse data that does not conform."""
    from graph.report import format_report
    from graph.validation import validate

    report = validate(data, model=model, shapes=shapes, check_shapes=False)
    if not report.conforms:
        raise ClientError(
            422,
            "The data does not conform to the shapes; nothing was changed.\n\n"
            + format_report(report),
            details={"report": report.as_json()},
        )


def _check_document_graphs(base: str, candidate: Store, touched: set[GraphName]) -> None:
    """Each document sits in its own graph, ``{base}graph/{path}``, and nowhere else (so a graph
    of that space holds no other document)."""
    for graph in touched:
        for quad in candidate.quads_for_pattern(None, TYPE, DOCUMENT, graph):
            document = quad.subject
            if not isinstance(document, NamedNode):
                raise ClientError(422, f"A document in graph {graph} has no IRI")
            home = home_graph(base, document)
            if graph != home:
                raise ClientError(
                    422,
                    f"{document.value} is described in graph {graph}; a document's data goes in "
                    f"its own graph, {home.value}. Nothing was changed.",
                )


def _refresh_entailments(
    candidate: Store, entailed_graph: NamedNode, data: Graph, model: Graph
) -> None:
    """Recompute the alignment entailments (decision 0004) for the new data."""
    entailed = entailments(data, model)
    if candidate.contains_named_graph(entailed_graph):
        candidate.remove_graph(entailed_graph)
    elif not entailed:
        return
    candidate.add_graph(entailed_graph)
    text = entailed.serialize(format="nt", encoding="utf-8")
    candidate.extend(
        Quad(t.subject, t.predicate, t.object, entailed_graph)
        for t in parse(text, format=RdfFormat.N_TRIPLES)
    )


def _iri_graphs(store: Store) -> set[NamedNode]:
    """The store's named graphs named by IRIs (SPARQL cannot write blank-node graph names)."""
    return {graph for graph in store.named_graphs() if isinstance(graph, NamedNode)}


@dataclass(frozen=True)
class Update:
    """Run a SPARQL Update; the project's prefixes are predeclared, as for queries, and relative
    IRIs resolve against the endpoint's URL."""

    text: str
    base_iri: str

    def __call__(self, candidate: Store) -> None:
        try:
            candidate.update(self.text, base_iri=self.base_iri, prefixes=PREFIX_IRIS)
        except SyntaxError as error:
            raise ClientError(400, f"Invalid SPARQL Update: {error}") from None
        except OSError as error:
            raise ClientError(400, f"The update failed: {error}") from None


@dataclass(frozen=True)
class Replace:
    """Graph Store PUT: the graph's triples become ``quads``."""

    graph: GraphName
    quads: list[Quad]

    def __call__(self, candidate: Store) -> None:
        if isinstance(self.graph, DefaultGraph):
            candidate.clear_graph(self.graph)
        else:
            if candidate.contains_named_graph(self.graph):
                candidate.remove_graph(self.graph)
            candidate.add_graph(self.graph)
        candidate.extend(self.quads)


@dataclass(frozen=True)
class Merge:
    """Graph Store POST: ``quads`` are added to the graph."""

    graph: GraphName
    quads: list[Quad]

    def __call__(self, candidate: Store) -> None:
        if isinstance(self.graph, NamedNode):
            candidate.add_graph(self.graph)
        candidate.extend(self.quads)


@dataclass(frozen=True)
class Delete:
    """Graph Store DELETE."""

    graph: GraphName

    def __call__(self, candidate: Store) -> None:
        if isinstance(self.graph, DefaultGraph):
            candidate.clear_graph(self.graph)
        else:
            candidate.remove_graph(self.graph)


#: A change to make on the copy; plain data, so that it can be sent to a query worker.
Action = Update | Replace | Merge | Delete
