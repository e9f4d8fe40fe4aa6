"""Publishing a write: worked out on a copy, validated, then applied all at once.

Every write (a SPARQL Update, a Graph Store Protocol upload or delete) first changes a copy of the
data. The copy's data graphs are validated with the shapes, the documents it touches must sit in
their own named graphs, and the alignment entailments are recomputed. Only then is the difference
applied to the published store — in the event loop, between two requests, so no page sees half
of it — and sent, as the same ``Apply`` message, to every query worker. A refused write answers
4xx and changes nothing.
"""

import asyncio
import hmac
from collections.abc import Callable

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
from server.errors import ClientError
from server.settings import Settings
from server.workers import Apply

GraphName = NamedNode | DefaultGraph
#: A change to make on the copy.
Action = Callable[[Store], None]
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


class Writer:
    """Applies validated changes to the published store, one write at a time."""

    def __init__(self, store: Store, base: str) -> None:
        self.store = store
        self.base = base
        self.model_graph = NamedNode(base + _MODEL_PATH)
        self.entailed_graph = NamedNode(base + ENTAILMENTS_PATH)
        self.lock = asyncio.Lock()
        self._model: Graph | None = None
        self._shapes: Graph | None = None

    async def write(self, action: Action) -> Apply:
        """Run ``action`` on a copy, check the copy, then publish the difference. The change
        is returned in the form the query workers follow, and the store follows the same one."""
        async with self.lock:
            loop = asyncio.get_running_loop()
            change = await loop.run_in_executor(None, self._prepare, action)
            change.follow(self.store)  # in the event loop: no reader sees half of it
            self.store.flush()
            return change

    def _prepare(self, action: Action) -> Apply:
        before = set(self.store.quads_for_pattern(None, None, None, None))
        graphs_before = _iri_graphs(self.store)
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
        self._check_document_graphs(candidate, touched)
        data = self._data(candidate)
        model = self._validate(data)
        self._refresh_entailments(candidate, data, model)
        after = set(candidate.quads_for_pattern(None, None, None, None))
        graphs_after = _iri_graphs(candidate)
        return Apply(
            serialize(sorted(before - after, key=str), format=RdfFormat.N_QUADS) or b"",
            serialize(sorted(after - before, key=str), format=RdfFormat.N_QUADS) or b"",
            tuple(sorted(graph.value for graph in graphs_before - graphs_after)),
            tuple(sorted(graph.value for graph in graphs_after - graphs_before)),
        )

    def _data(self, candidate: Store) -> Graph:
        """The data graphs of the copy (not the model, not the entailments) as one graph."""
        skipped = {self.model_graph, self.entailed_graph}
        triples = (
            quad.triple
            for quad in candidate.quads_for_pattern(None, None, None, None)
            if quad.graph_name not in skipped
        )
        # One N-Triples text, so blank nodes keep their identity across triples.
        text = serialize(triples, format=RdfFormat.N_TRIPLES) or b""
        return Graph().parse(data=text, format="nt")

    def _validate(self, data: Graph) -> Graph:
        """Refuse data that does not conform; return the model it was checked with."""
        # Imported here: pyshacl takes a quarter of a second to import, and the server starts
        # without it (most instances never write).
        from graph.model import load_model, load_shapes
        from graph.report import format_report
        from graph.validation import validate

        if self._model is None or self._shapes is None:
            self._model, self._shapes = load_model(), load_shapes()
        report = validate(data, model=self._model, shapes=self._shapes, check_shapes=False)
        if not report.conforms:
            raise ClientError(
                422,
                "The data does not conform to the shapes; nothing was changed.\n\n"
                + format_report(report),
                details={"report": report.as_json()},
            )
        return self._model

    def _check_document_graphs(self, candidate: Store, touched: set[GraphName]) -> None:
        """Each document sits in its own graph, ``{base}graph/{path}``, and nowhere else (so a
        graph of that space holds no other document)."""
        for graph in touched:
            for quad in candidate.quads_for_pattern(None, TYPE, DOCUMENT, graph):
                document = quad.subject
                if not isinstance(document, NamedNode):
                    raise ClientError(422, f"A document in graph {graph} has no IRI")
                home = home_graph(self.base, document)
                if graph != home:
                    raise ClientError(
                        422,
                        f"{document.value} is described in graph {graph}; a document's data "
                        f"goes in its own graph, {home.value}. Nothing was changed.",
                    )

    def _refresh_entailments(self, candidate: Store, data: Graph, model: Graph) -> None:
        """Recompute the alignment entailments (decision 0004) for the new data."""
        entailed = entailments(data, model)
        if candidate.contains_named_graph(self.entailed_graph):
            candidate.remove_graph(self.entailed_graph)
        elif not entailed:
            return
        candidate.add_graph(self.entailed_graph)
        text = entailed.serialize(format="nt", encoding="utf-8")
        candidate.extend(
            Quad(t.subject, t.predicate, t.object, self.entailed_graph)
            for t in parse(text, format=RdfFormat.N_TRIPLES)
        )


def _iri_graphs(store: Store) -> set[NamedNode]:
    """The store's named graphs named by IRIs (SPARQL cannot write blank-node graph names)."""
    return {graph for graph in store.named_graphs() if isinstance(graph, NamedNode)}


def update_action(update: str, base_iri: str) -> Action:
    """Run a SPARQL Update; the project's prefixes are predeclared, as for queries, and relative
    IRIs resolve against the endpoint's URL."""

    def run(candidate: Store) -> None:
        try:
            candidate.update(update, base_iri=base_iri, prefixes=PREFIX_IRIS)
        except SyntaxError as error:
            raise ClientError(400, f"Invalid SPARQL Update: {error}") from None
        except OSError as error:
            raise ClientError(400, f"The update failed: {error}") from None

    return run


def replace_action(graph: GraphName, quads: list[Quad]) -> Action:
    def run(candidate: Store) -> None:
        if isinstance(graph, DefaultGraph):
            candidate.clear_graph(graph)
        else:
            if candidate.contains_named_graph(graph):
                candidate.remove_graph(graph)
            candidate.add_graph(graph)
        candidate.extend(quads)

    return run


def merge_action(graph: GraphName, quads: list[Quad]) -> Action:
    def run(candidate: Store) -> None:
        if isinstance(graph, NamedNode):
            candidate.add_graph(graph)
        candidate.extend(quads)

    return run


def delete_action(graph: GraphName) -> Action:
    def run(candidate: Store) -> None:
        if isinstance(graph, DefaultGraph):
            candidate.clear_graph(graph)
        else:
            candidate.remove_graph(graph)

    return run
