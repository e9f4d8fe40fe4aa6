"""The one bridge between rdflib's terms and pyoxigraph's, both ways.

rdflib reads the model, builds the data and feeds pyshacl; Oxigraph stores, queries and writes
it (docs/decisions/0001, 0017). Every conversion between the two is made here.

- rdflib → pyoxigraph: ``oxigraph_term`` converts one term; ``Terms`` converts each term once and
  then looks it up (a corpus repeats its predicates, classes and concepts on every document) and
  makes triples and quads of rdflib triples. A literal keeps its lexical form as written:
  ``"30"^^xsd:decimal`` stays ``"30"`` and ``"30.0"`` stays ``"30.0"`` (decision 0011; only
  Oxigraph's store keeps values instead of forms).
- pyoxigraph → rdflib: ``rdflib_term``, ``rdflib_triples`` and ``rdflib_graph`` make the terms
  rdflib's own parsers make of the same N-Triples, so that they compare equal to what rdflib
  read or built: a simple literal (``xsd:string``) has no datatype; a typed literal is normalised
  as rdflib normalises every literal (``"01"^^xsd:integer`` becomes ``"1"``, as Oxigraph's store
  keeps it too; the forms the store returns for the datatypes we use, decision 0011, stay as
  they are); a blank node keeps its label, so that a graph read back names the same nodes as the
  store. What rdflib cannot hold (RDF 1.2 triple terms, literals with a base direction) is
  refused (``UnsupportedTermError``), never converted into something else.
"""

from collections.abc import Iterable, Iterator
from typing import overload

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Triple
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdflibLiteral
from rdflib.term import Node

from vnpolicy.graph.errors import UnsupportedTermError

#: A term of pyoxigraph's (RDF 1.1: no quoted triples).
OxTerm = NamedNode | BlankNode | Literal
#: A triple of rdflib terms.
RdflibTriple = tuple[Node, Node, Node]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@overload
def oxigraph_term(node: URIRef) -> NamedNode: ...
@overload
def oxigraph_term(node: BNode) -> BlankNode: ...
@overload
def oxigraph_term(node: RdflibLiteral) -> Literal: ...
@overload
def oxigraph_term(node: Node) -> OxTerm: ...
def oxigraph_term(node: Node) -> OxTerm:
    """The pyoxigraph term of an rdflib term; a literal keeps its lexical form."""
    if isinstance(node, URIRef):
        return NamedNode(str(node))
    if isinstance(node, RdflibLiteral):
        if node.language:
            return Literal(str(node), language=node.language)
        if node.datatype is not None:
            return Literal(str(node), datatype=NamedNode(str(node.datatype)))
        return Literal(str(node))
    if isinstance(node, BNode):
        return BlankNode(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


class Terms:
    """rdflib → pyoxigraph, each term converted once and then looked up."""

    def __init__(self) -> None:
        self._cache: dict[Node, OxTerm] = {}

    def term(self, node: Node) -> OxTerm:
        converted = self._cache.get(node)
        if converted is None:
            converted = self._cache[node] = oxigraph_term(node)
        return converted

    def triples(self, triples: Iterable[RdflibTriple]) -> Iterator[Triple]:
        """``triples`` (an rdflib graph, or any rdflib triples) as pyoxigraph triples."""
        term = self.term
        for s, p, o in triples:
            yield Triple(term(s), term(p), term(o))  # type: ignore[arg-type]

    def quads(self, triples: Iterable[RdflibTriple], graph: URIRef | None = None) -> Iterator[Quad]:
        """``triples`` as quads in the named graph ``graph`` (None: the default graph)."""
        term = self.term
        name = None if graph is None else term(graph)
        for s, p, o in triples:
            yield Quad(term(s), term(p), term(o), name)  # type: ignore[arg-type]


@overload
def rdflib_term(term: NamedNode) -> URIRef: ...
@overload
def rdflib_term(term: OxTerm | DefaultGraph | Triple) -> Node: ...
def rdflib_term(term: OxTerm | DefaultGraph | Triple) -> Node:
    """The rdflib term of a pyoxigraph term, as rdflib's parsers would make it."""
    if isinstance(term, NamedNode):
        return URIRef(term.value)
    if isinstance(term, BlankNode):
        return BNode(term.value)
    if isinstance(term, Literal):
        if term.direction is not None:
            raise UnsupportedTermError(f"{term} has a base direction (RDF 1.2): rdflib has none")
        if term.language:
            return RdflibLiteral(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return RdflibLiteral(term.value)
        return RdflibLiteral(term.value, datatype=URIRef(datatype))
    if isinstance(term, Triple):
        raise UnsupportedTermError(f"{term} is a triple term (RDF 1.2): rdflib cannot hold it")
    raise TypeError(f"not an RDF term: {term!r}")


def rdflib_triples(statements: Iterable[Triple | Quad]) -> Iterator[RdflibTriple]:
    """The triples of pyoxigraph triples or quads (graph names dropped) as rdflib triples."""
    for statement in statements:
        yield (
            rdflib_term(statement.subject),
            rdflib_term(statement.predicate),
            rdflib_term(statement.object),
        )


def rdflib_graph(statements: Iterable[Triple | Quad]) -> Graph:
    """The triples of pyoxigraph triples or quads as one rdflib graph."""
    graph = Graph()
    for triple in rdflib_triples(statements):
        graph.add(triple)
    return graph
