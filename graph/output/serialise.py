"""Writing rdflib graphs with Oxigraph's serialisers: deterministic, exact, and fast at scale.

rdflib's Turtle and N-Triples writers spend about 10 µs per triple in Python, most of a large
build's writing time (docs/decisions/0017). Here the triples, converted to pyoxigraph by the term
bridge (``graph/bridge.py``, each term once), are put in a fixed order, and Oxigraph writes the
bytes. Oxigraph keeps a literal's lexical form, so ``"30"^^xsd:decimal`` stays what the store
holds (decision 0011).
"""

from collections.abc import Iterable
from typing import IO

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, serialize
from rdflib import Graph

from vnpolicy.graph.bridge import Terms
from vnpolicy.graph.formats import Format
from vnpolicy.graph.namespaces import PREFIX_IRIS, namespace_of


def ordered_triples(terms: Terms, graph: Graph) -> list[Triple]:
    """The triples of ``graph`` in N-Triples order (subject, predicate, object as text)."""
    return sorted(terms.triples(graph), key=str)


def used_prefixes(triples: Iterable[Triple]) -> dict[str, str]:
    """The project prefixes whose namespace holds an IRI of ``triples``, sorted by prefix."""
    iris: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, NamedNode):
                iris.add(term.value)
            elif isinstance(term, Literal):
                iris.add(term.datatype.value)
    used = {found for iri in iris if (found := namespace_of(iri)) is not None}
    return dict(sorted(used))


def turtle(triples: list[Triple]) -> str:
    """Turtle with the project's prefixes that ``triples`` use, declared in prefix order
    (Oxigraph orders them by namespace length, which is stable but reads as random)."""
    text = serialize(triples, format=RdfFormat.TURTLE, prefixes=used_prefixes(triples)) or b""
    lines = text.decode("utf-8").split("\n")
    count = _count_prefix_lines(lines)
    return "\n".join([*sorted(lines[:count]), *lines[count:]])


def trig_body(quads: Iterable[Quad]) -> str:
    """TriG of ``quads`` (grouped by graph) abbreviated with the project's prefixes, without
    their declarations: the caller declares them once for all bodies."""
    text = (serialize(quads, format=RdfFormat.TRIG, prefixes=PREFIX_IRIS) or b"").decode("utf-8")
    lines = text.split("\n")
    return "\n".join(lines[_count_prefix_lines(lines) :])


def nquads_text(quads: Iterable[Quad]) -> str:
    """N-Quads of ``quads``, in their order."""
    return (serialize(quads, format=RdfFormat.N_QUADS) or b"").decode("utf-8")


def _count_prefix_lines(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if not line.startswith("@prefix")), len(lines))


#: The syntaxes that abbreviate IRIs with prefixes.
_ABBREVIATING = {RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.N3}


def written(quads: Iterable[Quad], written_as: Format, output: IO[bytes] | None = None) -> bytes:
    """Quads in a syntax that keeps graphs; otherwise their triples, each once. The syntaxes
    that abbreviate (Turtle, TriG, N3) use the project's prefixes. Into ``output`` when given
    (then the bytes returned are empty)."""
    if written_as.keeps_graphs:
        data: list[Quad] | list[Triple] = list(quads)
    else:
        data = list(dict.fromkeys(quad.triple for quad in quads))
    prefixes = PREFIX_IRIS if written_as.rdf in _ABBREVIATING else None
    return serialize(data, output, written_as.engine, prefixes=prefixes) or b""
