"""What a query worker is asked to do, and how it does it: run a query, make a network export,
work out a write, follow a published one.

A job is plain data (it crosses a process boundary pickled). ``run`` does one in the worker:
an answer is a media type and bytes (``Done`` names them), a prepared write an ``Apply``, a
refusal the ``Problem`` it raised.
"""

import hashlib
import json
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, parse

from vnpolicy.graph.formats import BY_MEDIA_TYPE
from vnpolicy.graph.output.serialise import written
from vnpolicy.graph.store import ReadableStore
from vnpolicy.server.errors import BadRequest, TooLarge
from vnpolicy.server.runtime.change import Apply
from vnpolicy.server.runtime.query import Answer, Capped, Choices, QueryRequest, execute
from vnpolicy.server.runtime.writes import Action, prepare
from vnpolicy.server.settings import Settings


@dataclass(frozen=True)
class Query:
    """A SPARQL query, written in the format chosen for its form."""

    request: QueryRequest
    choices: Choices
    base_iri: str


@dataclass(frozen=True)
class ViewExport:
    """A view of the graph as network files: every format written into ``folder`` at once (the
    view's metrics, the costly part, are shared by all of them). The answer's body is a JSON
    object of each file's entity tag (a digest of its bytes)."""

    view: str
    language: str
    compound: bool
    folder: Path


@dataclass(frozen=True)
class CustomExport:
    """A CONSTRUCT query's graph as a network file."""

    query: Query
    format_name: str
    language: str
    compound: bool


@dataclass(frozen=True)
class GraphRead:
    """A Graph Store Protocol read: one graph (None: the default graph) in an RDF syntax."""

    graph: str | None
    media_type: str


@dataclass(frozen=True)
class Done:
    """The end of an answer: its media type, and what else the server tells the client."""

    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


Job = Query | GraphRead | ViewExport | CustomExport | Action


def run(store: ReadableStore, settings: Settings, job: Job) -> "tuple[Done, bytes] | Apply":
    """Do one job in a worker (a ``Problem`` it raises is the answer)."""
    if isinstance(job, Query):
        answer = execute(store, job.request, job.choices, settings, job.base_iri)
        return Done(answer.media_type), answer.body
    if isinstance(job, GraphRead):
        return read_graph(store, settings, job)
    if isinstance(job, ViewExport | CustomExport):
        return export(store, settings, job)
    return prepare(store, settings.base, job)


def export(
    store: ReadableStore, settings: Settings, job: ViewExport | CustomExport
) -> tuple[Done, bytes]:
    if isinstance(job, ViewExport):
        return _view_export(store, settings, job)
    return _custom_export(store, settings, job)


def read_graph(store: ReadableStore, settings: Settings, job: GraphRead) -> tuple[Done, bytes]:
    graph = DefaultGraph() if job.graph is None else NamedNode(job.graph)
    quads = list(islice(store.quads_for_pattern(None, None, None, graph), settings.max_rows + 1))
    if len(quads) > settings.max_rows:
        raise TooLarge(
            f"The graph holds more than {settings.max_rows} triples; read it from the dumps "
            "or with a query (answers are never cut)"
        )
    sink = Capped(settings.max_result_bytes)
    written(quads, BY_MEDIA_TYPE[job.media_type], sink)
    return Done(job.media_type), sink.getvalue()


def _view_export(store: ReadableStore, settings: Settings, job: ViewExport) -> tuple[Done, bytes]:
    from vnpolicy.graph.network.catalog import FORMAT_INFO
    from vnpolicy.graph.network.export import view_graph, write_graph

    graph = view_graph(store, job.view, job.language, settings.base)
    job.folder.mkdir(parents=True, exist_ok=True)
    counts: dict[str, str] = {}
    tags: dict[str, str] = {}
    for name in FORMAT_INFO:
        made = write_graph(graph, name, job.compound)
        partial = job.folder / f".{name}.partial"
        partial.write_bytes(made.body)
        partial.replace(job.folder / name)
        tags[name] = '"' + hashlib.sha256(made.body).hexdigest()[:32] + '"'
        counts = {"X-Network-Nodes": str(made.nodes), "X-Network-Edges": str(made.edges)}
    return Done("application/json", counts), json.dumps(tags).encode()


def _custom_export(
    store: ReadableStore, settings: Settings, job: CustomExport
) -> tuple[Done, bytes]:
    from vnpolicy.graph.network.catalog import FORMAT_INFO
    from vnpolicy.graph.network.export import export_network
    from vnpolicy.graph.network.triples import triples_view

    asked = job.query
    answer: Answer = execute(store, asked.request, asked.choices, settings, asked.base_iri)
    try:
        triples = list(parse(answer.body, format=RdfFormat.N_TRIPLES))
    except SyntaxError as error:  # pragma: no cover - the engine wrote it
        raise BadRequest(f"The query's graph does not read back: {error}") from None
    network = triples_view("custom", triples, store)
    made = export_network(network, job.format_name, job.language, job.compound)
    headers = {"X-Network-Nodes": str(made.nodes), "X-Network-Edges": str(made.edges)}
    return Done(FORMAT_INFO[job.format_name].media_type, headers), made.body
