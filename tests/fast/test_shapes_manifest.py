"""Manifest-driven SHACL tests: every fixture gives exactly its expected violations, and every
shape is rejected by at least one fixture and exercised by at least one accepting fixture."""

from typing import Any

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.paths import Path as RdfPath
from rdflib.paths import SequencePath

from tests.utils.shapes_manifest import CASES, Case
from vnpolicy.graph.namespaces import VNPS
from vnpolicy.graph.validate.validation import ValidationReport

_ABBREVIATIONS = {"ex:": "https://example.org/", "vnp:": "https://w3id.org/vnpolicy/ontology#"}


def _expand(focus: str) -> str:
    if focus.startswith("<") and focus.endswith(">"):
        return focus[1:-1]
    for prefix, namespace in _ABBREVIATIONS.items():
        if focus.startswith(prefix):
            return namespace + focus[len(prefix) :]
    return focus


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_case_gives_exactly_the_expected_violations(
    case: Case, manifest_reports: dict[str, ValidationReport]
) -> None:
    report = manifest_reports[case.name]
    found = set()
    for rule, focus in report.rules():
        found.add((rule.removeprefix(str(VNPS)), "_:" if not focus.startswith("http") else focus))
    expected = {(rule, _expand(focus)) for rule, focus in case.violations}
    assert report.conforms is case.conforms
    assert found == expected


def _rules(shapes: Graph) -> dict[URIRef, URIRef]:
    """Every named rule (property shape or SPARQL constraint) → the node shape that holds it."""
    rules = {}
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        for predicate in (SH.property, SH.sparql):
            for rule in shapes.objects(node_shape, predicate):
                assert isinstance(rule, URIRef), f"{node_shape} has an anonymous rule: name it"
                rules[rule] = URIRef(str(node_shape))
    return rules


def test_every_rule_is_rejected_by_a_fixture(shapes: Graph) -> None:
    rejected = {rule for case in CASES for rule, _ in case.violations}
    rules = _rules(shapes)
    missing = sorted(
        rule.removeprefix(str(VNPS))
        for rule in rules
        if rule.removeprefix(str(VNPS)) not in rejected
    )
    assert missing == []


def test_every_node_shape_is_rejected_by_a_fixture(shapes: Graph) -> None:
    rules = _rules(shapes)
    rejected = {rule for case in CASES for rule, _ in case.violations}
    node_shapes = {URIRef(str(s)) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    missing = []
    for node_shape in node_shapes:
        members = {r for r, owner in rules.items() if owner == node_shape} | {node_shape}
        if not any(member.removeprefix(str(VNPS)) in rejected for member in members):
            missing.append(node_shape.removeprefix(str(VNPS)))
    assert sorted(missing) == []


def _path(shapes: Graph, node: Any) -> URIRef | RdfPath:
    if isinstance(node, BNode):
        return SequencePath(*(_path(shapes, item) for item in Collection(shapes, node)))
    assert isinstance(node, URIRef), f"unsupported SHACL path {node!r}"
    return node


def _focus_nodes(data: Graph, shapes: Graph, node_shape: URIRef) -> set[Any]:
    focus: set[Any] = set()
    for target_class in shapes.objects(node_shape, SH.targetClass):
        classes = set(data.transitive_subjects(RDFS.subClassOf, target_class))
        for cls in classes:
            focus.update(data.subjects(RDF.type, cls))
    focus.update(shapes.objects(node_shape, SH.targetNode))
    for predicate in shapes.objects(node_shape, SH.targetSubjectsOf):
        focus.update(data.subjects(predicate, None))
    return focus


def test_every_shape_is_exercised_by_an_accepting_fixture(model: Graph, shapes: Graph) -> None:
    accepting = [case for case in CASES if case.conforms]
    graphs = []
    for case in accepting:
        data = case.data()
        if case.with_model:
            data += model
        graphs.append(data)
    unexercised = []
    for rule, node_shape in _rules(shapes).items():
        path_node = shapes.value(rule, SH.path)
        exercised = False
        for data in graphs:
            focus = _focus_nodes(data, shapes, node_shape)
            if path_node is None:
                exercised = bool(focus)
            else:
                path = _path(shapes, path_node)
                exercised = any(any(True for _ in data.objects(f, path)) for f in focus)
            if exercised:
                break
        if not exercised:
            unexercised.append(rule.removeprefix(str(VNPS)))
    assert sorted(unexercised) == []
