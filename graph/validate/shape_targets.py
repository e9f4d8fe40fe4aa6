"""Giving property shapes their node shape's targets, so pyshacl checks each one set-at-a-time.

pyshacl 0.40 evaluates a node shape's ``sh:property`` shapes one focus node at a time: a
separate ``validate`` call, with its constraint objects built anew, for every (focus node,
property shape) pair — most of its time on a large graph goes to that fixed cost, not to
looking at data. A property shape that carries targets of its own is validated with all its
focus nodes in one call. SHACL gives both the same results (same focus node, path, value,
source shape and component), so before validation each property shape of a targeted node
shape gets that node shape's targets and the ``sh:property`` link is dropped
(docs/decisions/0017). Left as they are: node shapes that are closed (closedness reads the
property paths), deactivated, or used as a value shape by another shape, and property shapes
shared by several node shapes. ``tests/test_shape_targets.py`` checks the reports are equal.
"""

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
#: Where one shape names another as a shape its values must (or must not) conform to.
_SHAPE_REFERENCES = (SH.node, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)


def _referenced_shapes(shapes: Graph) -> set[Node]:
    referenced: set[Node] = set()
    for predicate in _SHAPE_REFERENCES:
        referenced.update(shapes.objects(None, predicate))
    for predicate in _SHAPE_LISTS:
        for members in shapes.objects(None, predicate):
            referenced.update(shapes.items(members))
    return referenced


def _targets(shapes: Graph, shape: Node) -> list[tuple[Node, Node]]:
    targets: list[tuple[Node, Node]] = [(p, o) for p in _TARGETS for o in shapes.objects(shape, p)]
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        targets.append((SH.targetClass, shape))  # an implicit class target
    return targets


def hoist_property_shapes(shapes: Graph) -> Graph:
    """A copy of ``shapes`` in which property shapes carry their node shape's targets."""
    hoisted = Graph()
    hoisted += shapes
    referenced = _referenced_shapes(shapes)
    owners: dict[Node, list[Node]] = {}
    for node_shape, property_shape in shapes.subject_objects(SH.property):
        owners.setdefault(property_shape, []).append(node_shape)
    for property_shape, node_shapes in owners.items():
        if len(node_shapes) != 1:
            continue
        node_shape = node_shapes[0]
        if (
            node_shape in referenced
            or (node_shape, SH.closed, None) in shapes
            or (node_shape, SH.deactivated, None) in shapes
            or (node_shape, SH.path, None) in shapes
        ):
            continue
        targets = _targets(shapes, node_shape)
        if not targets:
            continue
        for predicate, target in targets:
            hoisted.add((property_shape, predicate, target))
        hoisted.remove((node_shape, SH.property, property_shape))
    return hoisted
