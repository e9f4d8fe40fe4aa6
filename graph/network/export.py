"""One export: a view (or a CONSTRUCT query's graph) in one format, in one language."""

import time
from dataclasses import dataclass, replace

from pyoxigraph import QueryTriples

from vnpolicy.graph.errors import InputError
from vnpolicy.graph.namespaces import PREFIX_IRIS
from vnpolicy.graph.network.adapter import NetworkGraph, to_networkx
from vnpolicy.graph.network.catalog import FORMAT_INFO, VIEWS
from vnpolicy.graph.network.formats import WRITERS, cytoscape
from vnpolicy.graph.network.model import Network
from vnpolicy.graph.network.triples import triples_view
from vnpolicy.graph.network.views import view
from vnpolicy.graph.store import ReadableStore
from vnpolicy.graph.uris import DEFAULT_BASE


@dataclass(frozen=True)
class Export:
    body: bytes
    nodes: int
    edges: int
    seconds: float


def network_graph(network: Network, language: str = "en") -> NetworkGraph:
    """The network as a networkx graph with labels in ``language`` and the node metrics: the
    costly step, shared by every format of one view."""
    if language not in ("en", "vi"):
        raise InputError(f"unknown language {language!r}; choose en or vi")
    return to_networkx(network, language)


def write_graph(graph: NetworkGraph, format_name: str, compound: bool = False) -> Export:
    started = time.perf_counter()
    if format_name not in FORMAT_INFO:
        raise InputError(f"unknown format {format_name!r}; choose one of {', '.join(FORMAT_INFO)}")
    if format_name == "cytoscape":
        body = cytoscape(graph, compound=compound)
    else:
        body = WRITERS[format_name](graph)
    return Export(
        body, graph.number_of_nodes(), graph.number_of_edges(), time.perf_counter() - started
    )


def export_network(
    network: Network, format_name: str, language: str = "en", compound: bool = False
) -> Export:
    started = time.perf_counter()
    if format_name not in FORMAT_INFO:
        raise InputError(f"unknown format {format_name!r}; choose one of {', '.join(FORMAT_INFO)}")
    made = write_graph(network_graph(network, language), format_name, compound)
    return replace(made, seconds=time.perf_counter() - started)


def view_graph(
    store: ReadableStore, view_name: str, language: str = "en", base: str = DEFAULT_BASE
) -> NetworkGraph:
    if view_name not in VIEWS:
        raise InputError(f"unknown view {view_name!r}; choose one of {', '.join(VIEWS)}")
    return network_graph(view(store, view_name, base), language)


def export_view(
    store: ReadableStore,
    view_name: str,
    format_name: str,
    language: str = "en",
    compound: bool = False,
    base: str = DEFAULT_BASE,
) -> Export:
    if view_name not in VIEWS:
        raise InputError(f"unknown view {view_name!r}; choose one of {', '.join(VIEWS)}")
    return export_network(view(store, view_name, base), format_name, language, compound)


def construct_network(store: ReadableStore, query: str) -> Network:
    """The network of a CONSTRUCT (or DESCRIBE) query run on ``store``."""
    try:
        answer = store.query(query, use_default_graph_as_union=True, prefixes=PREFIX_IRIS)
    except SyntaxError as error:
        raise InputError(f"invalid SPARQL: {error}") from None
    if not isinstance(answer, QueryTriples):
        raise InputError("a custom view needs a CONSTRUCT or DESCRIBE query")
    return triples_view("custom", answer, store)
