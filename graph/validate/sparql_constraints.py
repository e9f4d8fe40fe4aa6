"""SHACL-SPARQL constraints of node shapes, evaluated on Oxigraph once per constraint.

pyshacl evaluates a SPARQL constraint once per focus node with rdflib's SPARQL engine: about
20 ms a node, so half a minute for the corpus and hours at scale. The SHACL semantics are
simple enough to evaluate set-at-a-time instead (docs/decisions/0007): the focus nodes of the
shape are bound with ``VALUES ?this { … }`` at the start of the query's ``WHERE`` group, the
query runs once on Oxigraph, and each solution becomes one result, as SHACL 1.0 §5.3 specifies
(``?this`` the focus node, ``?value`` the value, ``?path`` the path, ``{?var}`` filled into the
message). Core constraints, and SPARQL constraints of property shapes, stay with pyshacl; the
fixture manifest checks that both give the results the shapes promise.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Store
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from vnpolicy.graph.bridge import oxigraph_term
from vnpolicy.graph.errors import ModelError
from vnpolicy.graph.store import store_from_graph


@dataclass(frozen=True)
class SparqlConstraint:
    shape: URIRef
    constraint: Node
    select: str
    message: str
    severity: URIRef
    targets: tuple[tuple[URIRef, Node], ...]


@dataclass(frozen=True)
class SparqlResult:
    shape: str
    constraint: str
    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str


def _prefixes(shapes: Graph, constraint: Node) -> str:
    lines = []
    for declarer in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(declarer, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def split_sparql_constraints(shapes: Graph) -> tuple[Graph, list[SparqlConstraint]]:
    """The shapes without the node shapes' SPARQL constraints, and those constraints."""
    rest = Graph()
    rest += shapes
    for prefix, namespace in shapes.namespaces():
        rest.bind(prefix, namespace)
    constraints = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql), key=str):
        if not isinstance(shape, URIRef) or (shape, SH.path, None) in shapes:
            continue
        if (shape, SH.deactivated, None) in shapes or (constraint, SH.deactivated, None) in shapes:
            continue
        select = shapes.value(constraint, SH.select)
        if select is None:
            continue
        targets = tuple(
            (predicate, target)
            for predicate in _TARGETS
            for target in sorted(shapes.objects(shape, predicate), key=str)
            if isinstance(predicate, URIRef)
        )
        severity = shapes.value(constraint, SH.severity) or shapes.value(shape, SH.severity)
        constraints.append(
            SparqlConstraint(
                shape=shape,
                constraint=constraint,
                select=_prefixes(shapes, constraint) + "\n" + str(select),
                message=str(shapes.value(constraint, SH.message) or ""),
                severity=severity if isinstance(severity, URIRef) else SH.Violation,
                targets=targets,
            )
        )
        rest.remove((shape, SH.sparql, constraint))
    return rest, constraints


def _term(node: Node) -> str:
    """A term of the shapes as SPARQL text (its N-Triples form)."""
    return str(oxigraph_term(node))


def _focus_pattern(targets: tuple[tuple[URIRef, Node], ...]) -> str:
    branches = []
    for predicate, target in targets:
        if predicate == SH.targetClass:
            branches.append(f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* {_term(target)} }}")
        elif predicate == SH.targetNode:
            branches.append(f"{{ VALUES ?this {{ {_term(target)} }} }}")
        elif predicate == SH.targetSubjectsOf:
            branches.append(f"{{ ?this {_term(target)} ?any }}")
        else:
            branches.append(f"{{ ?any {_term(target)} ?this }}")
    return " UNION ".join(branches)


def _shown(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, NamedNode | Literal | BlankNode):
        return str(term.value)
    return str(term)


def _bind_focus(query: str, targets: str) -> str:
    """Bind ``?this`` to the focus nodes at the start of the outermost ``WHERE`` group: a
    ``SELECT DISTINCT`` of the targets (IRIs only), which Oxigraph evaluates first. A ``VALUES``
    list of the focus nodes says the same but grows quadratic in Oxigraph's joins: 30,000
    classifications took 38 s to join with one triple pattern, the pattern itself 0.1 s."""
    query = re.sub(r"\$(\w+)", r"?\1", query)
    match = re.search(r"\bWHERE\s*\{", query, re.IGNORECASE)
    if match is None:
        raise ModelError(f"SPARQL constraint without a WHERE clause: {query[:80]!r}")
    focus = f"{{ SELECT DISTINCT ?this WHERE {{ {targets} FILTER (isIRI(?this)) }} }}\n"
    return query[: match.end()] + "\n" + focus + query[match.end() :]


def evaluate(data: Graph | Store, constraints: list[SparqlConstraint]) -> Iterator[SparqlResult]:
    """Every result of every constraint on ``data`` (which must include the model), a graph or
    the default graph of a store."""
    store = store_from_graph(data) if isinstance(data, Graph) else data
    seen: set[SparqlResult] = set()
    for constraint in constraints:
        if not constraint.targets:
            continue
        targets = _focus_pattern(constraint.targets)
        if not store.query(f"ASK {{ {targets} FILTER (isIRI(?this)) }}"):
            continue
        solutions = _select(store, _bind_focus(constraint.select, targets))
        names = [variable.value for variable in solutions.variables]
        for solution in solutions:
            bindings = {name: _shown(solution[name]) for name in names}
            message = re.sub(
                r"\{[?$](\w+)\}",
                lambda match, b=bindings: b.get(match[1]) or "",  # type: ignore[misc]
                constraint.message,
            )
            result = SparqlResult(
                shape=str(constraint.shape),
                constraint=str(constraint.constraint),
                focus=bindings.get("this") or "",
                path=bindings.get("path"),
                value=bindings.get("value"),
                message=message,
                severity=str(constraint.severity),
            )
            if result not in seen:  # two solutions that say the same thing are one result
                seen.add(result)
                yield result


def _select(store: Store, query: str) -> QuerySolutions:
    try:
        result = store.query(query)
    except SyntaxError as error:
        raise ModelError(f"a SPARQL constraint does not parse: {error}\n{query}") from error
    if not isinstance(result, QuerySolutions):
        raise ModelError(f"a SPARQL constraint is not a SELECT query: {query[:80]!r}")
    return result
