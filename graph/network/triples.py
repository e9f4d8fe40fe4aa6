"""Networks read from triples: the full view (every resource of the document graphs) and any
CONSTRUCT query's graph. Every resource is a node, every statement whose object is a resource an
edge; literals (and types) become node attributes."""

from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from vnpolicy.graph.namespaces import compact
from vnpolicy.graph.network.model import Edge, Network
from vnpolicy.graph.network.naming import concept_labels, fill_missing, name_types
from vnpolicy.graph.store import ReadableStore
from vnpolicy.graph.uris import DEFAULT_BASE, Minter

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
)


def triples_view(name: str, triples: Iterable[Triple], store: ReadableStore) -> Network:
    """Every resource a node, every statement with a resource as object an edge, literals (and
    types) node attributes: the full view, and any CONSTRUCT query's graph."""
    network = Network(name, {}, [])
    predicates: set[str] = set()
    for index, triple in enumerate(triples):
        subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
        if not isinstance(subject, NamedNode | BlankNode):
            continue
        node = network.node(_id(subject))
        if predicate == _RDF_TYPE and isinstance(obj, NamedNode):
            node.type = ";".join(filter(None, [node.type, compact(obj.value)]))
        elif isinstance(obj, Literal):
            if predicate in _LABELS and obj.language in ("en", "vi"):
                node.labels.setdefault(obj.language, obj.value)
            else:
                key = compact(predicate)
                node.literals[key] = "; ".join(filter(None, [node.literals.get(key), obj.value]))
        elif isinstance(obj, NamedNode | BlankNode):
            network.node(_id(obj))
            predicates.add(predicate)
            network.edges.append(
                Edge(
                    id=f"t{index}",
                    source=_id(subject),
                    target=_id(obj),
                    predicate=predicate,
                    predicate_labels=(),
                    kind=compact(predicate),
                )
            )
    fill_missing(store, network)
    name_types(store, network)
    labels = concept_labels(store, predicates)
    network.edges = [
        Edge(
            **{
                **edge.__dict__,
                "predicate_labels": tuple(sorted(labels.get(edge.predicate, {}).items())),
            }
        )
        for edge in network.edges
    ]
    return network


def _id(term: NamedNode | BlankNode) -> str:
    return term.value if isinstance(term, NamedNode) else f"_:{term.value}"


_FULL = """
CONSTRUCT { ?s ?p ?o } WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(?g NOT IN (<$model>, <$entailments>))
}"""


def full_view(store: ReadableStore, base: str = DEFAULT_BASE) -> Network:
    """Every resource of the document graphs (not the model, not the entailments)."""
    minter = Minter(base)
    query = _FULL.replace("$model", minter.model_graph).replace(
        "$entailments", minter.entailments_graph
    )
    triples = store.query(query)
    return triples_view("full", triples, store)  # type: ignore[arg-type]
