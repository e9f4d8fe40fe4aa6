"""Property shapes given their node shape's targets (``shape_targets``) report exactly what
the shapes as written report: on every fixture of the shapes manifest and on the corpus."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from tests.utils.shapes_manifest import CASES, Case
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.validate.shape_targets import hoist_property_shapes
from vnpolicy.graph.validate.sparql_constraints import split_sparql_constraints
from vnpolicy.graph.validate.validation import Violation, run_pyshacl

_EX = "https://example.org/shapes#"
_SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <{_EX}> .
ex:Targeted a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property ex:name .
ex:name sh:path ex:name ; sh:minCount 1 .
ex:Closed a sh:NodeShape ; sh:targetClass ex:Thing ; sh:closed true ; sh:property ex:closedName .
ex:closedName sh:path ex:name .
ex:Nested a sh:NodeShape ; sh:property ex:nestedName .
ex:nestedName sh:path ex:name ; sh:maxCount 1 .
ex:User a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:part ; sh:node ex:Nested ] .
ex:Untargeted a sh:NodeShape ; sh:property ex:loose .
ex:loose sh:path ex:name .
"""


def _violations(data: Graph, core_shapes: Graph) -> set[Violation]:
    copy = Graph()
    copy += data
    return set(run_pyshacl(copy, core_shapes))


def ex(name: str) -> URIRef:
    return URIRef(_EX + name)


def test_a_targeted_node_shape_hands_its_targets_to_its_property_shapes() -> None:
    shapes = Graph().parse(data=_SHAPES, format="turtle")
    hoisted = hoist_property_shapes(shapes)
    assert (ex("name"), SH.targetClass, ex("Thing")) in hoisted
    assert (ex("Targeted"), SH.property, ex("name")) not in hoisted
    # Kept: a closed shape reads its property paths; a shape used by sh:node is checked per
    # value node; a shape without targets has nothing to hand over.
    assert (ex("Closed"), SH.property, ex("closedName")) in hoisted
    assert (ex("Nested"), SH.property, ex("nestedName")) in hoisted
    assert (ex("Untargeted"), SH.property, ex("loose")) in hoisted
    assert not list(hoisted.objects(ex("nestedName"), SH.targetClass))
    assert len(hoisted) == len(shapes)  # one link dropped, one target added


@pytest.fixture(scope="module")
def core_shapes(shapes: Graph) -> tuple[Graph, Graph]:
    core, _ = split_sparql_constraints(shapes)
    hoisted = hoist_property_shapes(core)
    assert len(list(hoisted[: SH.property :])) < len(list(core[: SH.property :]))
    return core, hoisted


@pytest.fixture(scope="module")
def fixture_results(
    model: Graph, core_shapes: tuple[Graph, Graph]
) -> dict[str, tuple[set[Violation], set[Violation]]]:
    """Each fixture's violations under the shapes as written and as hoisted, by case name."""
    results = {}
    for case in CASES:
        data = case.data()
        if case.with_model:
            data += model
        written, hoisted = (_violations(data, shapes) for shapes in core_shapes)
        results[case.name] = (written, hoisted)
    return results


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_each_fixture_gives_the_same_results(
    case: Case, fixture_results: dict[str, tuple[set[Violation], set[Violation]]]
) -> None:
    written, hoisted = fixture_results[case.name]
    assert written == hoisted


def test_the_fixtures_reach_property_shapes_that_were_given_targets(
    core_shapes: tuple[Graph, Graph],
    fixture_results: dict[str, tuple[set[Violation], set[Violation]]],
) -> None:
    """The comparison above is not vacuous: fixtures fail property shapes that now have targets."""
    core, hoisted = core_shapes
    given = {str(s) for s in hoisted.subjects(SH.targetClass)} - {
        str(s) for s in core.subjects(SH.targetClass)
    }
    failed = {v.source_shape for _, found in fixture_results.values() for v in found}
    assert len(given & failed) >= 10, sorted(given & failed)


def test_the_corpus_gives_the_same_results(
    dataset: Dataset, model: Graph, core_shapes: tuple[Graph, Graph]
) -> None:
    data = dataset.asserted()
    data += model
    written, hoisted = (_violations(data, shapes) for shapes in core_shapes)
    assert written == hoisted
