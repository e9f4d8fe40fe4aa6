"""Validating a dataset one document graph at a time, in parallel, so the cost grows linearly.

pyshacl validating one graph of a million triples spends most of its time in rdflib lookups
whose cost grows with the graph; a document graph is small. Each document graph is therefore
validated on its own (grouped into batches of about ``BATCH_TRIPLES`` to spread pyshacl's fixed
cost), in worker processes, together with the model and a *stub* of every resource of another
graph it points at. The shapes look at a foreign resource only through its type, its date and
the document a provision belongs to (``STUB_PREDICATES``), so the stub holds those triples, and
those of the document its provisions belong to. Results are kept only for focus nodes of the
batch's own graphs: a stub is context, checked where it is published.

SHACL-SPARQL constraints (``sparql_constraints``) are evaluated set-at-a-time on Oxigraph
over everything at once, which already grows linearly. ``tests/test_document_validation.py``
checks that this gives the same report as validating the union at once, also for violations
that cross documents.
"""

import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Protocol

from pyoxigraph import Store
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from vnpolicy.graph.bridge import Terms
from vnpolicy.graph.collection import fewer_collections
from vnpolicy.graph.model import load_shapes
from vnpolicy.graph.namespaces import ELI, VNP
from vnpolicy.graph.validate.sparql_constraints import SparqlConstraint, evaluate
from vnpolicy.graph.validate.validation import (
    PreparedShapes,
    ValidationReport,
    Violation,
    check_full_shapes,
    prepare_shapes,
    report_of,
    run_pyshacl,
    sparql_violation,
)

#: What the shapes read of a resource published in another graph.
STUB_PREDICATES = (RDF.type, ELI.date_document, VNP.inDocument)
#: About this many triples of document graphs per pyshacl run.
BATCH_TRIPLES = 20_000

if TYPE_CHECKING:
    from vnpolicy.graph.build.dataset import Dataset

Triple = tuple[Node, Node, Node]


class StubSource(Protocol):
    """Where stub triples are looked up: a dict from ``stub_index``, or a store."""

    def get(self, resource: Node, default: list[Triple], /) -> list[Triple]: ...


@dataclass
class _Job:
    """What the worker processes read (inherited by fork, never pickled)."""

    batches: list[list[Graph]]
    model: Graph
    core_shapes: Graph
    stubs: StubSource


_job: _Job | None = None


def stub_index(graphs: Iterable[Graph]) -> dict[Node, list[Triple]]:
    """The stub triples of every subject in ``graphs``, by subject."""
    index: dict[Node, list[Triple]] = defaultdict(list)
    for graph in graphs:
        for predicate in STUB_PREDICATES:
            for triple in graph.triples((None, predicate, None)):
                index[triple[0]].append(triple)
    return index


def stubs_for(graphs: list[Graph], index: StubSource) -> Iterator[Triple]:
    """The stub of every resource outside ``graphs`` that they point at, and of the document
    such a resource belongs to."""
    own = {s for graph in graphs for s in graph.subjects(unique=True)}
    pending: set[Node] = {
        o for graph in graphs for o in graph.objects(unique=True) if isinstance(o, URIRef)
    }
    pending -= own
    seen: set[Node] = set()
    while pending:
        resource = pending.pop()
        seen.add(resource)
        for triple in index.get(resource, []):
            yield triple
            if triple[1] == VNP.inDocument and triple[2] not in seen and triple[2] not in own:
                pending.add(triple[2])


def validate_dataset(dataset: "Dataset", *, check_shapes: bool = True) -> ValidationReport:
    """Validate a built dataset: every document graph and the model (and, with
    ``check_shapes``, the shapes themselves against SHACL-for-SHACL)."""
    shapes = load_shapes()
    if check_shapes:
        check_full_shapes(shapes)
    return validate_graphs(dataset.documents, dataset.model, shapes)


@fewer_collections()
def validate_graphs(
    graphs: Mapping[URIRef, Graph],
    model: Graph,
    shapes: Graph | PreparedShapes,
    *,
    stubs: StubSource | None = None,
    include_model: bool = True,
    workers: int | None = None,
) -> ValidationReport:
    """Validate each graph of ``graphs`` (with the model, and the stubs of what it points at,
    from ``stubs`` or else from ``graphs`` themselves) against ``shapes``; with
    ``include_model`` the model's own resources are validated too."""
    prepared = prepare_shapes(shapes)
    core_shapes, sparql_constraints = prepared.core, prepared.sparql
    index = stubs if stubs is not None else stub_index(graphs.values())
    batches = _batches([graphs[name] for name in sorted(graphs)])
    found = list(_core_results(_Job(batches, model, core_shapes, index), workers))
    if include_model:
        found += _batch_results(run_pyshacl(model, core_shapes), set(model.subjects()))
    found += _sparql_results(graphs.values(), model, index, sparql_constraints)
    return report_of(found)


def _batches(graphs: list[Graph]) -> list[list[Graph]]:
    batches: list[list[Graph]] = [[]]
    size = 0
    for graph in graphs:
        if size >= BATCH_TRIPLES:
            batches.append([])
            size = 0
        batches[-1].append(graph)
        size += len(graph)
    return [batch for batch in batches if batch]


def _core_results(job: _Job, workers: int | None) -> Iterator[Violation]:
    global _job
    processes = min(workers or os.cpu_count() or 1, len(job.batches))
    if processes <= 1:
        for number in range(len(job.batches)):
            yield from _validate_batch(number, job)
        return
    _job = job
    try:
        # fork: the workers read the graphs from the parent's memory instead of a pickle.
        context = multiprocessing.get_context("fork")
        with context.Pool(processes) as pool:
            for results in pool.imap_unordered(_validate_batch_in_worker, range(len(job.batches))):
                yield from results
    finally:
        _job = None


def _validate_batch_in_worker(number: int) -> list[Violation]:
    assert _job is not None, "a worker without a job"
    return _validate_batch(number, _job)


def _validate_batch(number: int, job: _Job) -> list[Violation]:
    batch = job.batches[number]
    data = Graph()
    own: set[Node] = set()
    for graph in batch:
        for triple in graph:
            data.add(triple)
            own.add(triple[0])
    for triple in stubs_for(batch, job.stubs):
        data.add(triple)
    for triple in job.model:
        data.add(triple)
    return _batch_results(run_pyshacl(data, job.core_shapes), own)


def _batch_results(results: list[Violation], own: set[Node]) -> list[Violation]:
    """The results about the batch's own resources (blank nodes are always a graph's own)."""
    names = {str(node) for node in own if not isinstance(node, BNode)}
    return [v for v in results if v.focus in names or BNode(v.focus) in own]


def _sparql_results(
    graphs: Iterable[Graph],
    model: Graph,
    index: StubSource,
    constraints: list[SparqlConstraint],
) -> list[Violation]:
    """The SPARQL constraints, once, on the graphs with the model and the stubs they need."""
    graph_list = list(graphs)
    own = {str(s) for graph in graph_list for s in graph.subjects(unique=True)}
    store = Store()
    store.bulk_extend(Terms().quads(chain(*graph_list, model, stubs_for(graph_list, index))))
    return [
        sparql_violation(result) for result in evaluate(store, constraints) if result.focus in own
    ]
