"""Loading the validated dataset into an external store through the SPARQL 1.1 Graph Store
Protocol: one ``PUT`` per named graph (a document's graph, the model, the entailments), which
replaces that graph as one transaction in the store, so a reader sees each document either as
it was or as it is now. With the store's query endpoint, graphs of this dataset that the store
still holds but the dataset no longer has (a document removed from the sources) are deleted, and
the store's count of quads is compared with the dataset's.
"""

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, QuerySolutions, parse

from vnpolicy.graph.errors import InputError
from vnpolicy.graph.formats import dump_format
from vnpolicy.graph.uris import Minter
from vnpolicy.server.errors import Problem
from vnpolicy.server.runtime.remote_store import GraphStoreClient, RemoteStore


@dataclass(frozen=True)
class Published:
    graphs: int
    quads: int
    removed: int
    seconds: float
    store_quads: int | None  # counted by the store afterwards, when its query endpoint is known


def graphs_of(dump: Path) -> dict[NamedNode, list[Quad]]:
    """The dump's quads by named graph; a triple in the default graph is refused (every triple
    of vnpolicy's dataset sits in a named graph)."""
    found = dump_format(dump)
    if found is None:
        raise InputError(f"{dump}: a dataset dump is .nq or .trig")
    by_graph: dict[NamedNode, list[Quad]] = {}
    try:
        for quad in parse(path=str(dump), format=found.engine):
            if not isinstance(quad.graph_name, NamedNode):
                raise InputError(f"{dump}: a triple outside any named graph: {quad.triple}")
            by_graph.setdefault(quad.graph_name, []).append(quad)
    except SyntaxError as error:
        raise InputError(f"{dump} does not parse: {error}") from None
    return by_graph


def publish(
    dump: Path,
    graph_store: str,
    base: str,
    sparql_endpoint: str | None = None,
    jobs: int = 4,
    timeout: float = 120.0,
) -> Published:
    started = time.monotonic()
    by_graph = graphs_of(dump)
    stale: list[NamedNode] = []
    store = RemoteStore(sparql_endpoint, timeout=timeout) if sparql_endpoint else None
    try:
        with (
            GraphStoreClient(graph_store, timeout) as client,
            ThreadPoolExecutor(max_workers=jobs) as executor,
        ):
            graphs = sorted(by_graph, key=lambda graph: graph.value)
            list(executor.map(lambda g: client.put(g, (q.triple for q in by_graph[g])), graphs))
            if store is not None:
                stale = [graph for graph in _ours(store, base) if graph not in by_graph]
                list(executor.map(client.delete, stale))
        counted = None if store is None else _count(store, base)
    except Problem as error:
        raise InputError(error.detail) from None
    finally:
        if store is not None:
            store.close()
    quads = sum(len(quads) for quads in by_graph.values())
    return Published(len(by_graph), quads, len(stale), time.monotonic() - started, counted)


def _ours(store: RemoteStore, base: str) -> Iterator[NamedNode]:
    """The store's named graphs that belong to this dataset (named under ``{base}graph/``)."""
    graphs = Minter(base).graphs
    return (graph for graph in store.named_graphs() if graph.value.startswith(graphs))


def _count(store: RemoteStore, base: str) -> int:
    solutions = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{Minter(base).graphs}")) }}'
    )
    assert isinstance(solutions, QuerySolutions)
    return int(next(iter(solutions))["n"].value)
