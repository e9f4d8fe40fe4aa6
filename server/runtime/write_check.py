"""Checking a write by what it changes, so that its cost follows the change, not the dataset.

A write is a ``Change``: quads removed and added, named graphs dropped and created. What it
touches is checked against the store as it would be after it (``After``), without copying the
store:

- each document sits in its own named graph;
- the touched data graphs are validated one by one (``document_validation``) with stubs of
  what they point at; graphs pointing at a resource whose type, date or document changed are
  validated again too, since their relations may now break a rule;
- the alignment entailments (decision 0004) are recomputed for the (subject, object) pairs the
  change touches: each entailed triple follows from one data triple with the same subject and
  object, so recomputing those pairs from the data is exact.
"""

from collections.abc import Callable, Iterator

from pyoxigraph import BlankNode, NamedNode, Quad
from rdflib import Graph, URIRef
from rdflib.term import Node

from vnpolicy.graph.bridge import Terms, oxigraph_term, rdflib_graph, rdflib_term
from vnpolicy.graph.build.alignment import entailments
from vnpolicy.graph.errors import UnsupportedTermError
from vnpolicy.graph.store import ReadableStore
from vnpolicy.graph.uris import DEFAULT_GRAPH_KEY
from vnpolicy.graph.validate.document_validation import STUB_PREDICATES, validate_graphs
from vnpolicy.graph.validate.validation import PreparedShapes, ValidationReport
from vnpolicy.server.errors import NotConforming
from vnpolicy.server.runtime.change import Change, GraphName
from vnpolicy.server.runtime.writes import DOCUMENT, TYPE

_STUB_PREDICATES = {oxigraph_term(p) for p in STUB_PREDICATES}


class After:
    """The store as it would be after ``change``, read through ``skipped`` graphs (the model and
    the entailments are not data)."""

    def __init__(self, store: ReadableStore, change: Change, skipped: set[NamedNode]) -> None:
        self.store = store
        self.change = change
        self.skipped = skipped
        self.touched = change.graphs()
        self._added_by_subject: dict[object, list[Quad]] = {}
        self._added_by_object: dict[object, list[Quad]] = {}
        for quad in change.added:
            if quad.graph_name not in skipped:
                self._added_by_subject.setdefault(quad.subject, []).append(quad)
                self._added_by_object.setdefault(quad.object, []).append(quad)

    def graph(self, name: GraphName) -> set[Quad]:
        if name in self.change.dropped:
            return set()
        quads = set(self.store.quads_for_pattern(None, None, None, name))
        quads -= self.change.removed
        return quads | {q for q in self.change.added if q.graph_name == name}

    def data(self, subject: object, predicate: object, obj: object) -> Iterator[Quad]:
        """Data quads matching the pattern (None: any)."""
        for quad in self.store.quads_for_pattern(subject, predicate, obj, None):  # type: ignore[arg-type]
            if quad.graph_name in self.skipped or isinstance(quad.graph_name, BlankNode):
                continue
            if quad.graph_name in self.touched and (
                quad in self.change.removed or quad.graph_name in self.change.dropped
            ):
                continue
            yield quad
        if subject is not None:
            added = self._added_by_subject.get(subject, [])
        elif obj is not None:
            added = self._added_by_object.get(obj, [])
        else:
            added = [q for q in self.change.added if q.graph_name not in self.skipped]
        for quad in added:
            if _matches(quad, subject, predicate, obj):
                yield quad


def _matches(quad: Quad, subject: object, predicate: object, obj: object) -> bool:
    return (
        (subject is None or quad.subject == subject)
        and (predicate is None or quad.predicate == predicate)
        and (obj is None or quad.object == obj)
    )


def check_document_graphs(after: After, home: Callable[[NamedNode], NamedNode]) -> None:
    """Each document sits in its own graph and nowhere else (so a graph of that space holds no
    other document)."""
    for graph in after.touched:
        for quad in after.graph(graph):
            if quad.predicate != TYPE or quad.object != DOCUMENT:
                continue
            document = quad.subject
            if not isinstance(document, NamedNode):
                raise NotConforming(f"A document in graph {graph} has no IRI", None)
            wanted = home(document)
            if graph != wanted:
                raise NotConforming(
                    f"{document.value} is described in graph {graph}; a document's data goes in "
                    f"its own graph, {wanted.value}. Nothing was changed.",
                    None,
                )


def graphs_to_validate(after: After) -> dict[URIRef, Graph]:
    """The touched data graphs as they will be, and the graphs that point at a resource whose
    stub (type, date, document) the change alters."""
    names = {g for g in after.touched if g not in after.skipped}
    changed = {
        q.subject
        for q in after.change.removed | after.change.added
        if q.predicate in _STUB_PREDICATES and q.graph_name not in after.skipped
    }
    for resource in changed:
        names |= {q.graph_name for q in after.data(None, None, resource)}  # type: ignore[misc]
    return {_key(name): rdflib_graph(after.graph(name)) for name in names}


class StoreStubs:
    """Stub triples (``document_validation``) looked up in the store after the change."""

    def __init__(self, after: After) -> None:
        self.after = after

    def get(
        self, resource: Node, default: list[tuple[Node, Node, Node]], /
    ) -> list[tuple[Node, Node, Node]]:
        if not isinstance(resource, URIRef):
            return []
        return [
            (resource, rdflib_term(q.predicate), rdflib_term(q.object))
            for predicate in _STUB_PREDICATES
            for q in self.after.data(oxigraph_term(resource), predicate, None)
        ]


def validate_change(after: After, model: Graph, shapes: PreparedShapes) -> ValidationReport:
    """Validate what the change touches; data rdflib cannot hold is refused (422)."""
    try:
        graphs = {name: graph for name, graph in graphs_to_validate(after).items() if len(graph)}
        return validate_graphs(
            graphs, model, shapes, stubs=StoreStubs(after), include_model=False, workers=1
        )
    except UnsupportedTermError as error:
        raise NotConforming(
            f"The data cannot be validated: {error}. Nothing was changed.", None
        ) from None


def entailment_change(after: After, entailed_graph: NamedNode, model: Graph) -> Change:
    """The entailed quads to remove and add where the change touches them, including quads
    written straight into the entailments graph (which are recomputed too). A type triple of a
    subject entails its other types; any other triple entails triples with the same subject and
    object: so those keys are recomputed from the data that has them."""
    diff = after.change.removed | after.change.added
    typed = {q.subject for q in diff if q.predicate == TYPE}
    pairs = {(q.subject, q.object) for q in diff if q.predicate != TYPE}
    data = Graph()
    old: set[Quad] = set()
    for subject in typed:
        data += rdflib_graph(after.data(subject, TYPE, None))
        old |= set(after.store.quads_for_pattern(subject, TYPE, None, entailed_graph))
    for subject, obj in pairs:
        data += rdflib_graph(q for q in after.data(subject, None, obj) if q.predicate != TYPE)
        old |= {
            q
            for q in after.store.quads_for_pattern(subject, None, obj, entailed_graph)
            if q.predicate != TYPE
        }
    old -= after.change.removed
    old |= {q for q in after.change.added if q.graph_name == entailed_graph}
    new = {
        Quad(t.subject, t.predicate, t.object, entailed_graph)
        for t in Terms().triples(entailments(data, model))
    }
    return Change(removed=old - new, added=new - old)


def _key(name: GraphName) -> URIRef:
    return rdflib_term(name) if isinstance(name, NamedNode) else DEFAULT_GRAPH_KEY
