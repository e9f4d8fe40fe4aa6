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
import uuid
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    serialize,
)
from rdflib import Graph

from vnpolicy.graph.bridge import oxigraph_term
from vnpolicy.graph.namespaces import PREFIX_IRIS, RDF, VNP
from vnpolicy.graph.store import ReadableStore
from vnpolicy.graph.uris import Minter
from vnpolicy.server.errors import BadRequest, Conflict, Forbidden, NotConforming, Unauthorized
from vnpolicy.server.runtime.change import Apply, Change, GraphName
from vnpolicy.server.runtime.query_text import check_operation, with_protocol_dataset
from vnpolicy.server.runtime.uploads import Upload
from vnpolicy.server.settings import Settings

if TYPE_CHECKING:
    from vnpolicy.graph.validate.validation import PreparedShapes, ValidationReport

TYPE = oxigraph_term(RDF.type)
DOCUMENT = oxigraph_term(VNP.Document)


def check_token(settings: Settings, authorization: str | None) -> None:
    """Refuse a write: 403 when writes are off, 401 without the right bearer token."""
    if not settings.write_token:
        raise Forbidden("Writes are disabled on this server (no VNPOLICY_WRITE_TOKEN set)")
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), settings.write_token.encode()
    ):
        raise Unauthorized("Writes need 'Authorization: Bearer <token>' with the configured token")


@cache
def _model_and_shapes() -> tuple[Graph, "PreparedShapes"]:
    from vnpolicy.graph.model import load_model, load_shapes
    from vnpolicy.graph.validate.validation import prepare_shapes

    return load_model(), prepare_shapes(load_shapes())


def prepare(store: ReadableStore, base: str, action: "Action") -> Apply:
    """Work out what ``action`` changes, check it, and return it with its entailments."""
    # Imported here: validation imports pyshacl, a quarter of a second, and most instances
    # never write.
    from vnpolicy.server.runtime.write_check import (
        After,
        check_document_graphs,
        entailment_change,
        validate_change,
    )

    change = action.change(store)
    if not change.graphs():
        return Apply(b"", b"", (), ())
    minter = Minter(base)
    entailed_graph = oxigraph_term(minter.entailments_graph)
    after = After(store, change, {oxigraph_term(minter.model_graph), entailed_graph})
    check_document_graphs(after, lambda document: oxigraph_term(minter.home_graph(document.value)))
    model, shapes = _model_and_shapes()
    _refuse_unless_conforms(validate_change(after, model, shapes))
    entailed = entailment_change(after, entailed_graph, model)
    # The entailments win where the write itself wrote into their graph.
    removed = (change.removed - entailed.added) | entailed.removed
    added = (change.added - entailed.removed) | entailed.added
    created = set(change.created)
    if entailed.added and not store.contains_named_graph(entailed_graph):
        created.add(entailed_graph)
    return Apply(
        serialize(sorted(removed, key=str), format=RdfFormat.N_QUADS) or b"",
        serialize(sorted(added, key=str), format=RdfFormat.N_QUADS) or b"",
        tuple(sorted(graph.value for graph in change.dropped)),
        tuple(sorted(graph.value for graph in created)),
    )


def _refuse_unless_conforms(report: "ValidationReport") -> None:
    """Refuse data that does not conform."""
    from vnpolicy.graph.validate.report import format_report

    if not report.conforms:
        raise NotConforming(
            "The data does not conform to the shapes; nothing was changed.\n\n"
            + format_report(report),
            report.as_json(),
        )


def _graph_change(
    store: ReadableStore, graph: GraphName, new: set[Quad] | None, merge: bool
) -> Change:
    """Replace (or with ``merge`` add to) ``graph``'s quads with ``new``; None drops it."""
    old = set(store.quads_for_pattern(None, None, None, graph))
    exists = isinstance(graph, DefaultGraph) or store.contains_named_graph(graph)
    if new is None:
        dropped = {graph} if isinstance(graph, NamedNode) and exists else set()
        return Change(removed=old, dropped=dropped)
    created = {graph} if isinstance(graph, NamedNode) and not exists else set()
    return Change(removed=set() if merge else old - new, added=new - old, created=created)


def _iri_graphs(store: ReadableStore) -> set[NamedNode]:
    """The store's named graphs named by IRIs (SPARQL cannot write blank-node graph names)."""
    return {graph for graph in store.named_graphs() if isinstance(graph, NamedNode)}


@dataclass(frozen=True)
class Update:
    """Run a SPARQL Update; the project's prefixes are predeclared, as for queries, and relative
    IRIs resolve against the endpoint's URL. ``using`` and ``using_named`` are the protocol's
    dataset parameters (written into the update as ``USING``); ``allow_fetches`` lets ``LOAD``
    and ``SERVICE`` through."""

    text: str
    base_iri: str
    using: tuple[str, ...] = ()
    using_named: tuple[str, ...] = ()
    allow_fetches: bool = False

    def change(self, store: ReadableStore) -> Change:
        """Run on a copy of the store (an update may touch any graph): its cost grows with the
        dataset; a Graph Store upload costs what the graph holds. The update's text is checked
        here, in the worker, not by the server."""
        check_operation(self.text, "update", self.allow_fetches)
        text = with_protocol_dataset(self.text, list(self.using), list(self.using_named))
        before = set(store.quads_for_pattern(None, None, None, None))
        graphs_before = _iri_graphs(store)
        candidate = Store()
        candidate.bulk_extend(before)
        for graph in graphs_before:
            candidate.add_graph(graph)  # empty named graphs too
        try:
            candidate.update(text, base_iri=self.base_iri, prefixes=PREFIX_IRIS)
        except SyntaxError as error:
            raise BadRequest(f"Invalid SPARQL Update: {error}") from None
        except OSError as error:
            raise BadRequest(f"The update failed: {error}") from None
        after = set(candidate.quads_for_pattern(None, None, None, None))
        graphs_after = _iri_graphs(candidate)
        return Change(
            removed=before - after,
            added=after - before,
            dropped=graphs_before - graphs_after,
            created=graphs_after - graphs_before,
        )


@dataclass(frozen=True)
class Replace:
    """Graph Store PUT: the graph's triples become the upload's."""

    graph: GraphName
    upload: Upload

    def change(self, store: ReadableStore) -> Change:
        return _graph_change(store, self.graph, set(self.upload.quads(self.graph)), merge=False)


@dataclass(frozen=True)
class Merge:
    """Graph Store POST: the upload's triples are added to the graph."""

    graph: GraphName
    upload: Upload

    def change(self, store: ReadableStore) -> Change:
        return _graph_change(store, self.graph, set(self.upload.quads(self.graph)), merge=True)


@dataclass(frozen=True)
class AddGraph:
    """Graph Store POST without a graph: a new graph, named for the one document the upload
    describes (``{base}graph/{document path}``; refused 409 if it is published), or a fresh
    upload graph when it describes none."""

    base: str
    upload: Upload

    def change(self, store: ReadableStore) -> Change:
        quads = self.upload.quads(DefaultGraph())
        documents = {q.subject for q in quads if q.predicate == TYPE and q.object == DOCUMENT}
        minter = Minter(self.base)
        if len(documents) == 1 and isinstance(document := documents.pop(), NamedNode):
            graph = oxigraph_term(minter.home_graph(document.value))
            if store.contains_named_graph(graph):
                raise Conflict(
                    f"{document.value} is already published; PUT ?graph={graph.value} replaces it"
                )
        else:
            graph = oxigraph_term(minter.upload_graph(uuid.uuid4()))
        placed = {Quad(q.subject, q.predicate, q.object, graph) for q in quads}
        return _graph_change(store, graph, placed, merge=False)


@dataclass(frozen=True)
class Delete:
    """Graph Store DELETE."""

    graph: GraphName

    def change(self, store: ReadableStore) -> Change:
        return _graph_change(store, self.graph, None, merge=False)


#: A change to make on the copy; plain data, so that it can be sent to a query worker.
Action = Update | Replace | Merge | Delete | AddGraph
