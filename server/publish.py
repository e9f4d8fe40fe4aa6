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

import httpx
from pyoxigraph import NamedNode, Quad, QuerySolutions, RdfFormat, parse, serialize

from graph.errors import InputError
from server.errors import ClientError
from server.remote_store import RemoteStore


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
    kind = RdfFormat.TRIG if dump.suffix == ".trig" else RdfFormat.N_QUADS
    by_graph: dict[NamedNode, list[Quad]] = {}
    try:
        for quad in parse(path=str(dump), format=kind):
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
    with httpx.Client(timeout=timeout, trust_env=False) as client:

        def put(graph: NamedNode) -> None:
            body = serialize([quad.triple for quad in by_graph[graph]], format=RdfFormat.N_TRIPLES)
            response = client.put(
                graph_store,
                params={"graph": graph.value},
                content=body or b"",
                headers={"Content-Type": "application/n-triples"},
            )
            _check(response, f"PUT of {graph.value}")

        def delete(graph: NamedNode) -> None:
            response = client.delete(graph_store, params={"graph": graph.value})
            if response.status_code != 404:
                _check(response, f"DELETE of {graph.value}")

        stale: list[NamedNode] = []
        store = RemoteStore(sparql_endpoint, timeout=timeout) if sparql_endpoint else None
        try:
            with ThreadPoolExecutor(max_workers=jobs) as executor:
                list(executor.map(put, sorted(by_graph, key=lambda g: g.value)))
                if store is not None:
                    stale = [g for g in _ours(store, base) if g not in by_graph]
                    list(executor.map(delete, stale))
            counted = None if store is None else _count(store, base)
        except httpx.HTTPError as error:
            raise InputError(f"the store at {graph_store} could not be reached: {error}") from None
        except ClientError as error:
            raise InputError(error.message) from None
        finally:
            if store is not None:
                store.close()
    quads = sum(len(quads) for quads in by_graph.values())
    return Published(len(by_graph), quads, len(stale), time.monotonic() - started, counted)


def _ours(store: RemoteStore, base: str) -> Iterator[NamedNode]:
    """The store's named graphs that belong to this dataset (named under ``{base}graph/``)."""
    return (graph for graph in store.named_graphs() if graph.value.startswith(f"{base}graph/"))


def _count(store: RemoteStore, base: str) -> int:
    solutions = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{base}graph/")) }}'
    )
    assert isinstance(solutions, QuerySolutions)
    return int(next(iter(solutions))["n"].value)


def _check(response: httpx.Response, what: str) -> None:
    if response.status_code >= 400:
        text = " ".join(response.text.split())[:300]
        raise InputError(f"the store refused the {what}: {response.status_code} {text}")
