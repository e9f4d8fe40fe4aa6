"""The ``tracker`` network view: what carries out what, from the implementation tracker.

Nodes are the tracked documents and their tasks, goals, targets and directions, and the
documents that implement them; edges run from an implementing document to the item it carries
out, one per link of the tracker (``graph/queries/18-tracker.rq``), each with its relation type,
certainty and sources, and ``assertion`` ``derived`` for a chain the sources do not state.
Items and their documents are joined by ``is part of`` edges.
"""

from vnpolicy.graph.network.model import Edge, Network
from vnpolicy.graph.network.naming import concept_labels, fill_missing
from vnpolicy.graph.read.tracker import tracker_from_rows, tracker_query
from vnpolicy.graph.store import ReadableStore, select
from vnpolicy.graph.uris import DEFAULT_BASE

_PART_OF = "http://data.europa.eu/eli/ontology#is_part_of"
_RELATION_TYPE = "https://w3id.org/vnpolicy/vocab/relation-type/"


def tracker_view(store: ReadableStore, base: str = DEFAULT_BASE) -> Network:
    query = tracker_query().replace(f"{DEFAULT_BASE}eli/", f"{base}eli/")
    tracker = tracker_from_rows(select(store, query, union=True), base)
    network = Network("tracker", {}, [])
    items = [item for document in tracker.documents for item in (document.whole, *document.items)]
    relation_types = sorted({_RELATION_TYPE + link.relation for i in items for link in i.links})
    labels = concept_labels(store, [_PART_OF, *relation_types])
    for item in items:
        node = network.node(item.uri)
        if item.kind != "document":
            node.type = f"vnp:{item.kind.capitalize()}"
            node.number = item.number
            node.labels = {
                language: text[:120]
                for language, text in (("en", item.text), ("vi", item.text_vi))
                if text
            }
            node.pillars = sorted(set(item.asserted) | set(item.derived))
            network.edges.append(
                Edge(
                    id=f"{item.uri}#is_part_of",
                    source=item.uri,
                    target=item.document,
                    predicate=_PART_OF,
                    predicate_labels=tuple(sorted(labels.get(_PART_OF, {}).items())),
                    kind="structure",
                )
            )
        for link in item.links:
            network.node(link.implementer)
            predicate = _RELATION_TYPE + link.relation
            network.edges.append(
                Edge(
                    id=f"{link.statement}#{'stated' if link.stated else 'via/' + link.via}"
                    f"#{item.uri}",
                    source=link.implementer,
                    target=item.uri,
                    predicate=predicate,
                    predicate_labels=tuple(sorted(labels.get(predicate, {}).items())),
                    kind="implementation",
                    statement=link.statement,
                    certainty=link.certainty,
                    assertion="asserted" if link.stated else "derived",
                    sources=link.sources,
                )
            )
    fill_missing(store, network)
    return network
