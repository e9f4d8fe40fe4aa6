"""Materialising the one step of entailment the ontology's alignment axioms give (decision 0004).

SPARQL endpoints rarely reason, so a query written against ELI, Dublin Core, PROV or schema.org
alone must find our resources: ``a vnp:Document`` also gives ``a eli:LegalResource``, and
``vnp:institutionalises`` also gives ``eli:implements``. The entailed triples go to their own
named graph, so the document graphs stay exactly what the shapes validated.
"""

from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.term import Node

from vnpolicy.graph.namespaces import ELI, RDF, RDFS, VNP

#: Entailments left out on purpose: ``vnp:inDocument ⊑ eli:is_part_of`` would give every nested
#: provision a second ``eli:is_part_of``, and researchers read that property as the direct parent.
SKIPPED = {(VNP.inDocument, ELI.is_part_of)}


def _closure(model: Graph, relation: URIRef) -> dict[URIRef, set[URIRef]]:
    """Every term's strict super-terms under ``relation`` (transitive)."""
    direct: dict[URIRef, set[URIRef]] = {}
    for sub, sup in model.subject_objects(relation):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef) and sub != sup:
            direct.setdefault(sub, set()).add(sup)
    closure: dict[URIRef, set[URIRef]] = {}
    for term in direct:
        seen: set[URIRef] = set()
        stack = list(direct[term])
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(direct.get(current, ()))
        closure[term] = seen
    return closure


def entailments(data: Graph | Iterable[Graph], model: Graph) -> Graph:
    """The triples the subclass and subproperty axioms add to ``data`` (a graph, or several
    read as their union) that ``data`` does not state."""
    classes = _closure(model, RDFS.subClassOf)
    properties = {
        sub: {sup for sup in sups if (sub, sup) not in SKIPPED}
        for sub, sups in _closure(model, RDFS.subPropertyOf).items()
    }
    # Only a triple with one of these predicates or classes can be stated and entailed both.
    superclasses = {sup for sups in classes.values() for sup in sups}
    superproperties = {sup for sups in properties.values() for sup in sups}
    found: set[tuple[Node, Node, Node]] = set()
    stated: set[tuple[Node, Node, Node]] = set()
    for graph in [data] if isinstance(data, Graph) else data:
        for subject, predicate, obj in graph:
            if predicate == RDF.type:
                if obj in superclasses:
                    stated.add((subject, predicate, obj))
                for superclass in classes.get(obj, ()):  # type: ignore[call-overload]
                    found.add((subject, RDF.type, superclass))
            else:
                if predicate in superproperties:
                    stated.add((subject, predicate, obj))
                for superproperty in properties.get(predicate, ()):  # type: ignore[call-overload]
                    found.add((subject, superproperty, obj))
    entailed = Graph()
    entailed.addN((s, p, o, entailed) for s, p, o in found - stated)
    return entailed
