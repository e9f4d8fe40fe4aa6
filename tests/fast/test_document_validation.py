"""Validating per document graph, in parallel worker processes, gives the same report as
validating the union of the graphs at once: on the corpus, on the corpus with violations that
cross documents, and on every fixture of the shapes manifest with its files as separate graphs."""

import copy
from collections.abc import Callable
from datetime import date

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from tests.utils.shapes_manifest import CASES, FIXTURES, Case
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.namespaces import ELI, VNP
from vnpolicy.graph.rdf_files import read_files
from vnpolicy.graph.validate import document_validation
from vnpolicy.graph.validate.document_validation import validate_graphs
from vnpolicy.graph.validate.validation import ValidationReport, validate

R57 = URIRef("https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57")
R57_TASK_1 = URIRef(f"{R57}/section/3/task/1")
NQ03 = URIRef("https://w3id.org/vnpolicy/eli/vn/cp/nq/2025/03")


def _both(
    graphs: dict[URIRef, Graph], model: Graph, shapes: Graph, *, workers: int = 2
) -> tuple[ValidationReport, ValidationReport]:
    union = Graph()
    for graph in graphs.values():
        union += graph
    whole = validate(union, model=model, shapes=shapes, check_shapes=False)
    split = validate_graphs(graphs, model, shapes, workers=workers)
    return whole, split


def _later_57(graphs: dict[URIRef, Graph]) -> None:
    """57 dated after the documents that implement it: their relations become violations."""
    graph = graphs[R57]
    graph.set((R57, ELI.date_document, Literal(date(2026, 1, 1), datatype=XSD.date)))


def _untyped_task(graphs: dict[URIRef, Graph]) -> None:
    """A task of 57 that other documents implement loses its type."""
    graphs[R57].remove((R57_TASK_1, RDF.type, None))


def _duplicate_ordinal(graphs: dict[URIRef, Graph]) -> None:
    graphs[R57].set((URIRef(f"{R57}/section/3/task/2"), VNP.ordinal, Literal(1)))


def _no_source(graphs: dict[URIRef, Graph]) -> None:
    graphs[NQ03].remove((NQ03, DCTERMS.source, None))


FAULTS: dict[str, Callable[[dict[URIRef, Graph]], None]] = {
    "target-dated-later": _later_57,
    "target-without-type": _untyped_task,
    "duplicate-ordinal": _duplicate_ordinal,
    "document-without-source": _no_source,
}


def test_corpus_gives_the_same_report(dataset: Dataset, model: Graph, shapes: Graph) -> None:
    whole, split = _both(dataset.documents, model, shapes)
    assert whole.conforms
    assert split.conforms
    assert split.violations == whole.violations


Faulted = tuple[dict[URIRef, Graph], ValidationReport, ValidationReport]


@pytest.fixture(scope="module")
def faulted(dataset: Dataset, model: Graph, shapes: Graph) -> dict[str, Faulted]:
    """For each fault: the corpus's graphs with it, and their reports at once and per graph."""
    found = {}
    for name, fault in FAULTS.items():
        graphs = {uri: copy.deepcopy(graph) for uri, graph in dataset.documents.items()}
        fault(graphs)
        found[name] = (graphs, *_both(graphs, model, shapes))
    return found


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_violations_across_documents_are_found_as_at_once(
    fault: str, faulted: dict[str, Faulted]
) -> None:
    _, whole, split = faulted[fault]
    assert not whole.conforms, "the fault must be a violation"
    assert split.violations == whole.violations


def test_small_batches_and_one_process_give_the_same_report(
    fixture_dataset: Dataset, model: Graph, shapes: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One document graph per batch, in one process and in two: on the fixture corpus (57, the
    documents it builds on and two implementing it), with 57 dated after its implementers."""
    graphs = {name: copy.deepcopy(graph) for name, graph in fixture_dataset.documents.items()}
    _later_57(graphs)
    whole, split = _both(graphs, model, shapes)
    assert not whole.conforms, "the fault must be a violation"
    assert split.violations == whole.violations
    monkeypatch.setattr(document_validation, "BATCH_TRIPLES", 1)
    assert len(document_validation._batches(list(graphs.values()))) == len(graphs)
    for workers in (1, 2):
        assert (
            validate_graphs(graphs, model, shapes, workers=workers).violations == whole.violations
        )


def _named(report: ValidationReport) -> set[tuple[str, str]]:
    """(rule, focus), a blank node focus as "_:" (each parse names blank nodes anew)."""
    return {(rule, focus if focus.startswith("http") else "_:") for rule, focus in report.rules()}


@pytest.mark.parametrize("case", [c for c in CASES if len(c.files) > 1], ids=lambda c: c.name)
def test_manifest_fixtures_with_each_file_a_graph(
    case: Case, model: Graph, shapes: Graph, manifest_reports: dict[str, ValidationReport]
) -> None:
    """Fixtures of several files, each file one graph: the stubs carry what crosses them."""
    graphs = {URIRef(f"urn:fixture:{name}"): read_files([FIXTURES / name]) for name in case.files}
    used_model = model if case.with_model else Graph()
    whole = manifest_reports[case.name]
    split = validate_graphs(graphs, used_model, shapes, include_model=case.with_model)
    assert _named(split) == _named(whole)
    assert split.conforms is whole.conforms
