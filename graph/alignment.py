"""Materialising the one step of entailment the ontology's alignment axioms give (decision 0004).

SPARQL endpoints rarely reason, so a query written against ELI, Dublin Core, PROV or schema.org
alone must find our resources: ``a vnp:Document`` also gives ``a eli:LegalResource``, and
``vnp:institutionalises`` also gives ``eli:implements``. The entailed triples go to their own
named graph, so the document graphs stay exactly what the shapes validated.
"""

from rdflib import Graph, URIRef

from graph.namespaces import ELI, RDF, RDFS, VNP

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


def entailments(data: Graph, model: Graph) -> Graph:
    """The triples the subclass and subproperty axioms add to ``data`` and it does not state."""
    classes = _closure(model, RDFS.subClassOf)
    properties = _closure(model, RDFS.subPropertyOf)
    entailed = Graph()
    for subject, predicate, obj in data:
        if predicate == RDF.type and isinstance(obj, URIRef):
            for superclass in classes.get(obj, ()):
                entailed.add((subject, RDF.type, superclass))
        elif isinstance(predicate, URIRef):
            for superproperty in properties.get(predicate, ()):
                if (predicate, superproperty) not in SKIPPED:
                    entailed.add((subject, superproperty, obj))
    return entailed - data
