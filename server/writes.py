"""Writes: SPARQL Update (``/update``) and the Graph Store Protocol (``/store``), off unless a
bearer token is configured.

Every write is worked out on a copy of the data first: the copy is changed, its document graphs
are validated with the shapes, and only a conforming result is applied to the published store —
as one step in the event loop, so no page or query sees half of it — and then to every query
worker. A non-conforming write answers ``422`` with the SHACL report and changes nothing.
"""

import asyncio
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse, serialize
from rdflib import Graph

from graph.model import load_model, load_shapes
from graph.report import format_report
from graph.uris import ENTAILMENTS_PATH
from graph.validation import validate
from server.errors import ClientError
from server.settings import Settings

#: Graphs the shapes do not validate: the model is shipped, the entailments derived.
_NOT_VALIDATED = ("graph/model", ENTAILMENTS_PATH)
_LOAD = re.compile(r"\bLOAD\b", re.IGNORECASE)


@dataclass(frozen=True)
class Change:
    removed: list[Quad]
    added: list[Quad]

    def nquads(self) -> tuple[bytes, bytes]:
        return (
            serialize(self.removed, format=RdfFormat.N_QUADS) or b"",
            serialize(self.added, format=RdfFormat.N_QUADS) or b"",
        )


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
    """Applies validated changes to the published store, one at a time."""

    def __init__(self, store: Store, base: str) -> None:
        self.store = store
        self.skipped = {NamedNode(base + name) for name in _NOT_VALIDATED}
        self.lock = asyncio.Lock()
        self._model: Graph | None = None
        self._shapes: Graph | None = None

    def _copy(self) -> Store:
        copy = Store()
        copy.bulk_extend(self.store.quads_for_pattern(None, None, None, None))
        return copy

    def _validate(self, candidate: Store) -> None:
        if self._model is None:
            self._model, self._shapes = load_model(), load_shapes()
        triples = (
            quad.triple
            for quad in candidate.quads_for_pattern(None, None, None, None)
            if quad.graph_name not in self.skipped
        )
        data = Graph().parse(
            data=serialize(triples, format=RdfFormat.N_TRIPLES) or b"", format="nt"
        )
        report = validate(data, model=self._model, shapes=self._shapes, check_shapes=False)
        if not report.conforms:
            raise ClientError(
                422,
                f"The data does not conform to the shapes; nothing was changed.\n\n"
                f"{format_report(report)}",
            )

    async def write(self, change_copy: Callable[[Store], None]) -> Change:
        """Change a copy with ``change_copy``, validate it, then publish the difference."""
        async with self.lock:
            loop = asyncio.get_running_loop()
            candidate = await loop.run_in_executor(None, self._copy)
            change_copy(candidate)
            await loop.run_in_executor(None, self._validate, candidate)
            before = set(self.store.quads_for_pattern(None, None, None, None))
            after = set(candidate.quads_for_pattern(None, None, None, None))
            change = Change(sorted(before - after, key=str), sorted(after - before, key=str))
            for quad in change.removed:  # in the event loop: no reader sees half of it
                self.store.remove(quad)
            self.store.extend(change.added)
            self.store.flush()
            return change


def update_action(update: str, settings: Settings) -> Callable[[Store], None]:
    if _LOAD.search(update) and not settings.allow_service:
        raise ClientError(400, "LOAD (fetching data from the web) is disabled on this server")

    def run(candidate: Store) -> None:
        try:
            candidate.update(update)
        except SyntaxError as error:
            raise ClientError(400, f"Invalid SPARQL Update: {error}") from None
        except OSError as error:
            raise ClientError(400, f"The update failed: {error}") from None

    return run


def parse_graph(body: bytes, rdf_format: RdfFormat, graph: NamedNode | DefaultGraph) -> list[Quad]:
    """The triples of an uploaded document, placed in ``graph``."""
    try:
        return [
            Quad(t.subject, t.predicate, t.object, graph) for t in parse(body, format=rdf_format)
        ]
    except SyntaxError as error:
        raise ClientError(400, f"The uploaded RDF does not parse: {error}") from None


#: Media types a graph may be uploaded in; all parsed by Oxigraph, which fetches nothing.
UPLOAD_FORMATS = {
    "text/turtle": RdfFormat.TURTLE,
    "application/x-turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
}


def target_graph(params: list[tuple[str, str]]) -> NamedNode | DefaultGraph:
    """The graph a Graph Store Protocol request names: ``?graph=IRI`` or ``?default``."""
    graphs = [value for name, value in params if name == "graph"]
    default = any(name == "default" for name, _ in params)
    if len(graphs) + default != 1:
        raise ClientError(400, "Name one graph: '?graph=IRI' or '?default'")
    if default:
        return DefaultGraph()
    try:
        return NamedNode(graphs[0])
    except ValueError:
        raise ClientError(400, f"graph={graphs[0]!r} is not an absolute IRI") from None


def exists(store: Store, graph: NamedNode | DefaultGraph) -> bool:
    if isinstance(graph, DefaultGraph):
        return True
    return store.contains_named_graph(graph)


def replace_action(graph: NamedNode | DefaultGraph, quads: list[Quad]) -> Callable[[Store], None]:
    def run(candidate: Store) -> None:
        if isinstance(graph, DefaultGraph):
            candidate.clear_graph(graph)
        elif candidate.contains_named_graph(graph):
            candidate.remove_graph(graph)
        if isinstance(graph, NamedNode):
            candidate.add_graph(graph)
        candidate.extend(quads)

    return run


def merge_action(graph: NamedNode | DefaultGraph, quads: list[Quad]) -> Callable[[Store], None]:
    def run(candidate: Store) -> None:
        if isinstance(graph, NamedNode):
            candidate.add_graph(graph)
        candidate.extend(quads)

    return run


def delete_action(graph: NamedNode | DefaultGraph) -> Callable[[Store], None]:
    def run(candidate: Store) -> None:
        if isinstance(graph, DefaultGraph):
            candidate.clear_graph(graph)
        else:
            candidate.remove_graph(graph)

    return run
