"""A published write as the store and the query workers follow it."""

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse

GraphName = NamedNode | DefaultGraph


def open_read_only(path: Path, attempts: int = 50) -> Store:
    """A read-only view of an on-disk store. The writer's background compaction may delete a
    file while the view opens; the open is then retried (RocksDB reports it as corruption)."""
    for attempt in range(attempts):
        try:
            return Store.read_only(str(path))
        except (OSError, RuntimeError) as error:
            if attempt == attempts - 1 or "No such file" not in str(error):
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Apply:
    """A published write for a worker to follow: quads removed and added (N-Quads) and named
    graphs dropped and created. An on-disk store is reopened instead (``reopen``): a read-only
    view does not see later writes."""

    removed: bytes
    added: bytes
    dropped: tuple[str, ...]
    created: tuple[str, ...]
    reopen: Path | None = None

    def __bool__(self) -> bool:
        return bool(self.removed or self.added or self.dropped or self.created)

    @property
    def atomic(self) -> bool:
        """Whether the write can be applied as one SPARQL Update, one transaction: not when it
        holds a blank node, which ``DELETE DATA`` cannot name (a literal holding ``_:`` also
        sends a write the other way, which is slower, not wrong)."""
        return b"_:" not in self.removed and b"_:" not in self.added

    def as_update(self) -> str:
        """The write as one SPARQL Update, in the order ``follow`` applies it."""
        parts = []
        removed = list(parse(self.removed, format=RdfFormat.N_QUADS))
        if removed:
            parts.append("DELETE DATA {\n" + data_block(removed) + "\n}")
        parts += [f"DROP SILENT GRAPH <{graph}>" for graph in self.dropped]
        parts += [f"CREATE SILENT GRAPH <{graph}>" for graph in self.created]
        added = list(parse(self.added, format=RdfFormat.N_QUADS))
        if added:
            parts.append("INSERT DATA {\n" + data_block(added) + "\n}")
        return " ;\n".join(parts)

    def follow(self, store: Store) -> Store:
        if self.reopen is not None:
            return open_read_only(self.reopen)
        for quad in parse(self.removed, format=RdfFormat.N_QUADS):
            store.remove(quad)
        for graph in self.dropped:
            store.remove_graph(NamedNode(graph))
        for graph in self.created:
            store.add_graph(NamedNode(graph))
        store.extend(parse(self.added, format=RdfFormat.N_QUADS))
        return store


def data_block(quads: Iterable[Quad]) -> str:
    """Quads as the body of ``INSERT DATA``/``DELETE DATA``: ``GRAPH <g> { s p o . }`` per graph."""
    by_graph: dict[str, list[str]] = {}
    for quad in quads:
        by_graph.setdefault(str(quad.graph_name), []).append(
            f"{quad.subject} {quad.predicate} {quad.object} ."
        )
    return "\n".join(
        f"GRAPH {graph} {{\n" + "\n".join(lines) + "\n}" for graph, lines in by_graph.items()
    )


@dataclass
class Change:
    """What a write changes, worked out before it is checked and published."""

    removed: set[Quad] = field(default_factory=set)
    added: set[Quad] = field(default_factory=set)
    dropped: set[NamedNode] = field(default_factory=set)
    created: set[NamedNode] = field(default_factory=set)

    def graphs(self) -> set[GraphName]:
        touched: set[GraphName] = {
            q.graph_name
            for q in self.removed | self.added
            if not isinstance(q.graph_name, BlankNode)
        }
        return touched | self.dropped | self.created
