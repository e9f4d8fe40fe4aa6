"""The records a network view is read into: nodes, edges and the network holding them."""

from dataclasses import dataclass, field


@dataclass
class Node:
    uri: str
    labels: dict[str, str] = field(default_factory=dict)  # language -> label
    type: str = ""
    number: str = ""
    date: str = ""
    pillars: list[str] = field(default_factory=list)
    literals: dict[str, str] = field(default_factory=dict)  # full view: other literal values


@dataclass(frozen=True)
class Edge:
    id: str
    source: str
    target: str
    predicate: str
    predicate_labels: tuple[tuple[str, str], ...]  # (language, label)
    kind: str
    statement: str = ""  # the reified statement the edge comes from, if any
    certainty: str = ""
    assertion: str = "asserted"  # or "derived"
    sources: tuple[str, ...] = ()


@dataclass
class Network:
    view: str
    nodes: dict[str, Node]
    edges: list[Edge]
    #: The names, by language, of the values the nodes' ``type`` and ``pillars`` and the edges'
    #: ``certainty`` take ("law", "vnp:Task", "human-resources", "single-source"), for legends
    #: and filters that people read.
    value_names: dict[str, dict[str, str]] = field(default_factory=dict)

    def node(self, uri: str) -> Node:
        return self.nodes.setdefault(uri, Node(uri))
