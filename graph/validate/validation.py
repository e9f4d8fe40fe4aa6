"""Validating data against the shapes with pyshacl, into a typed report.

The model (ontology and vocabularies) is added to a copy of the data before validation, so
vocabulary membership and subclass targets resolve, and the model itself is checked by the same
run. (pyshacl's own ``ont_graph`` mixing keeps only some model triples, dropping e.g.
skos:definition, so we merge the graphs ourselves.)
pyshacl runs with ``meta_shacl`` so that a broken shape is reported as our defect.
Before pyshacl runs, property shapes take their node shape's targets (``shape_targets``),
which gives the same results set-at-a-time.
"""

import dataclasses
from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import Graph, Node
from rdflib.namespace import SH

from vnpolicy.graph.errors import ModelError
from vnpolicy.graph.model import load_model, load_shapes
from vnpolicy.graph.validate.shape_targets import hoist_property_shapes
from vnpolicy.graph.validate.sparql_constraints import (
    SparqlConstraint,
    SparqlResult,
    evaluate,
    split_sparql_constraints,
)


@dataclass(frozen=True)
class Violation:
    """One validation result, with IRIs and literals as N-Triples-free display strings."""

    source_shape: str
    #: The SPARQL constraint that fired, if any; None for core constraints.
    source_constraint: str | None
    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    component: str


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]

    def as_json(self) -> dict[str, object]:
        """The report as JSON-ready values (``vnpolicy validate --json``, the server's 422)."""
        return {
            "conforms": self.conforms,
            "violations": [dataclasses.asdict(violation) for violation in self.violations],
        }

    def rules(self) -> set[tuple[str, str]]:
        """(rule, focus) pairs: the rule is the SPARQL constraint if one fired, else the shape."""
        return {(v.source_constraint or v.source_shape, v.focus) for v in self.violations}


def validate(
    data: Graph,
    *,
    model: Graph | None = None,
    shapes: Graph | None = None,
    check_shapes: bool = True,
) -> ValidationReport:
    """Validate ``data`` (plus the model) against the shapes; ``data`` is not modified.

    ``check_shapes`` also validates the shapes against SHACL-for-SHACL (about 1.4 s); callers
    validating many graphs with the same shapes check them once and pass False after.
    """
    model = load_model() if model is None else model
    shapes = load_shapes() if shapes is None else shapes
    prepared = prepare_shapes(shapes)
    core_shapes, sparql_constraints = prepared.core, prepared.sparql
    combined = Graph()
    for graph in (data, model):
        for triple in graph:
            combined.add(triple)
    found = run_pyshacl(combined, core_shapes)
    if check_shapes:
        check_full_shapes(shapes)
    found += [sparql_violation(result) for result in evaluate(combined, sparql_constraints)]
    return report_of(found)


@dataclass(frozen=True)
class PreparedShapes:
    """The shapes as validation runs them (about 30 ms to make: a server making many
    validations keeps one)."""

    #: For pyshacl, property shapes given their node shape's targets (``shape_targets``).
    core: Graph
    #: Evaluated on Oxigraph (graph/validate/sparql_constraints.py).
    sparql: list[SparqlConstraint]


def prepare_shapes(shapes: Graph | PreparedShapes) -> PreparedShapes:
    if isinstance(shapes, PreparedShapes):
        return shapes
    core_shapes, sparql_constraints = split_sparql_constraints(shapes)
    return PreparedShapes(hoist_property_shapes(core_shapes), sparql_constraints)


def run_pyshacl(data: Graph, core_shapes: Graph) -> list[Violation]:
    """The results of the core constraints on ``data``, which pyshacl may modify."""
    try:
        _conforms, results, _text = shacl_validate(
            data,
            shacl_graph=core_shapes,
            inference="none",
            inplace=True,
            meta_shacl=False,
            advanced=True,
            allow_infos=True,
            allow_warnings=True,
        )
    except ReportableRuntimeError as exc:
        raise ModelError(f"the SHACL shapes are invalid: {exc.message}") from exc
    return _violations(results)


def sparql_violation(result: SparqlResult) -> Violation:
    return Violation(
        source_shape=result.shape,
        source_constraint=result.constraint,
        focus=result.focus,
        path=result.path,
        value=result.value,
        message=result.message,
        severity=result.severity,
        component=str(SH.SPARQLConstraintComponent),
    )


def report_of(found: list[Violation]) -> ValidationReport:
    """The report of these results: sorted, and conforming unless one is a violation."""
    violations = tuple(sorted(set(found), key=_sort_key))
    blocking = [v for v in violations if v.severity == str(SH.Violation)]
    return ValidationReport(conforms=not blocking, violations=violations)


def check_full_shapes(shapes: Graph) -> None:
    """SHACL-for-SHACL on the complete shapes, SPARQL constraints included."""
    try:
        shacl_validate(Graph(), shacl_graph=shapes, meta_shacl=True, advanced=True)
    except ReportableRuntimeError as exc:
        raise ModelError(f"the SHACL shapes are invalid: {exc.message}") from exc


def _violations(results: Graph) -> list[Violation]:
    found = []
    for result in results.subjects(SH.resultSeverity, None):
        found.append(
            Violation(
                source_shape=_text(results.value(result, SH.sourceShape)),
                source_constraint=_optional(results, result, SH.sourceConstraint),
                focus=_text(results.value(result, SH.focusNode)),
                path=_optional(results, result, SH.resultPath),
                value=_optional(results, result, SH.value),
                message=_text(results.value(result, SH.resultMessage)),
                severity=_text(results.value(result, SH.resultSeverity)),
                component=_text(results.value(result, SH.sourceConstraintComponent)),
            )
        )
    return found


def _sort_key(violation: Violation) -> tuple[str, ...]:
    return tuple(value or "" for value in dataclasses.astuple(violation))


def _optional(results: Graph, result: Node, predicate: Node) -> str | None:
    node = results.value(result, predicate)
    return None if node is None else _text(node)


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)
