"""The embedded SPARQL store: pyoxigraph, filled from rdflib graphs.

rdflib parses, serialises and holds the model; queries run on Oxigraph (docs/decisions/0001).
"""

from collections.abc import Iterator
from typing import Protocol

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
)
from rdflib import Graph

from vnpolicy.graph.bridge import Terms
from vnpolicy.graph.namespaces import PREFIX_IRIS


def store_from_graph(graph: Graph) -> Store:
    """An in-memory store holding the triples of ``graph`` in its default graph."""
    store = Store()
    store.bulk_extend(Terms().quads(graph))
    return store


def select(store: "ReadableStore", query: str, *, union: bool = False) -> list[dict[str, str]]:
    """Run a SELECT query; each row maps variable names to the plain value of its term (unbound
    variables are left out). The project's prefixes are predeclared; with ``union`` the default
    graph is the union of all graphs."""
    solutions = store.query(query, prefixes=PREFIX_IRIS, use_default_graph_as_union=union)
    if not isinstance(solutions, QuerySolutions):
        raise TypeError("select() runs SELECT queries only")
    names = [variable.value for variable in solutions.variables]
    rows = []
    for solution in solutions:
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = term.value
        rows.append(row)
    return rows


class ReadableStore(Protocol):
    """What reading the published dataset needs of a store. pyoxigraph's ``Store`` (the embedded
    store) and ``RemoteStore`` (an external SPARQL 1.1 store, ``server/runtime/remote_store.py``)
    both satisfy it, so every page, export, dump and query runs on either (decision 0016). A
    query's default graph is the union of the named graphs when asked for (an external store is
    set up so, always)."""

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: list[NamedNode | BlankNode | DefaultGraph] | None = None,
        named_graphs: list[NamedNode | BlankNode] | None = None,
    ) -> QuerySolutions | QueryBoolean | Iterator[Triple]: ...

    def quads_for_pattern(
        self,
        subject: NamedNode | BlankNode | Triple | None,
        predicate: NamedNode | None,
        object: NamedNode | BlankNode | Literal | Triple | None,
        graph_name: NamedNode | BlankNode | DefaultGraph | None = None,
    ) -> Iterator[Quad]: ...

    def named_graphs(self) -> Iterator[NamedNode | BlankNode]: ...

    def contains_named_graph(self, graph_name: NamedNode | DefaultGraph, /) -> bool: ...

    def dump(self, output: str, format: RdfFormat) -> bytes | None: ...

    def __len__(self) -> int: ...
