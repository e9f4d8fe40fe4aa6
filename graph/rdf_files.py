"""Reading RDF files into one rdflib graph, with errors that name the file and the line.

Only formats that cannot fetch anything are accepted (Turtle, TriG, N-Triples, N-Quads, N3;
RDF/XML and JSON-LD can pull in external entities or remote contexts): the registry says which.
"""

from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import NamedNode, parse
from rdflib import Graph
from rdflib.exceptions import Error as RdflibError

from vnpolicy.graph.bridge import RdflibTriple, rdflib_triples
from vnpolicy.graph.errors import InputError, UnsupportedTermError
from vnpolicy.graph.formats import RDF_FORMATS, Format
from vnpolicy.graph.namespaces import PREFIXES
from vnpolicy.graph.uris import is_entailments_graph

#: File suffix → format, for the formats accepted as input.
INPUT_FORMATS: dict[str, Format] = {
    f".{found.suffix}": found for found in RDF_FORMATS if not found.may_fetch and found.rdflib
}
#: What rdflib's parsers raise for bad input: BadSyntax is a SyntaxError, decoding failures are
#: ValueErrors, N-Triples/N-Quads raise ParserError, and the Turtle lexer asserts on some strings.
_PARSE_ERRORS = (SyntaxError, ValueError, RdflibError, AssertionError)


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def read_into(graph: Graph, path: Path) -> None:
    """Add the triples of one file to ``graph`` (quads lose their graph name)."""
    found = INPUT_FORMATS.get(path.suffix.lower())
    if found is None:
        accepted = ", ".join(sorted(INPUT_FORMATS))
        raise InputError(f"{path}: unsupported file type {path.suffix!r}; use one of {accepted}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    if found.keeps_graphs:
        for triple in _triples_of_quads(data, found, path):
            graph.add(triple)
        return
    try:
        graph.parse(data=data, format=found.rdflib, publicID=path.resolve().as_uri())
    except _PARSE_ERRORS as exc:
        raise InputError(f"{path}: not valid {found.label}: {_first_line(exc)}") from exc


def _triples_of_quads(data: bytes, found: Format, path: Path) -> list[RdflibTriple]:
    """The triples of a TriG or N-Quads file, all graphs merged, read by Oxigraph (its blank
    nodes renamed, so that two files never share one).

    The entailments graph of a vnpolicy dump is left out: it holds what the alignment axioms
    add, which the shapes deliberately do not describe (docs/decisions/0006).
    """
    try:
        quads = parse(
            data,
            format=found.engine,
            base_iri=path.resolve().as_uri(),
            rename_blank_nodes=True,
        )
        return list(
            rdflib_triples(
                quad
                for quad in quads
                if not (
                    isinstance(quad.graph_name, NamedNode)
                    and is_entailments_graph(quad.graph_name.value)
                )
            )
        )
    except (SyntaxError, UnsupportedTermError) as exc:
        raise InputError(f"{path}: not valid {found.label}: {_first_line(exc)}") from exc


def read_files(paths: Iterable[Path]) -> Graph:
    graph = new_graph()
    for path in paths:
        read_into(graph, path)
    return graph


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())[:500]
