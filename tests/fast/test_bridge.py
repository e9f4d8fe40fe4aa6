"""The term bridge (``graph/bridge.py``): rdflib ↔ pyoxigraph, term by term and through a real
store, including the literal forms decision 0011 is about, and the quad files read through it."""

from pathlib import Path

import pytest
from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    RdfFormat,
    Store,
    Triple,
    parse,
)
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdflibLiteral
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from vnpolicy.graph.bridge import (
    Terms,
    oxigraph_term,
    rdflib_graph,
    rdflib_term,
    rdflib_triples,
)
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.errors import InputError, UnsupportedTermError
from vnpolicy.graph.output.serialise import nquads_text, ordered_triples, turtle
from vnpolicy.graph.rdf_files import read_files

EX = "https://example.org/"
#: rdflib term → the pyoxigraph term it must become (and come back from).
TERMS: list[tuple[Node, object]] = [
    (URIRef(f"{EX}a"), NamedNode(f"{EX}a")),
    (URIRef("https://w3id.org/vnpolicy/eli/vn/bgddt/cv/2024/4324-cntt"),
     NamedNode("https://w3id.org/vnpolicy/eli/vn/bgddt/cv/2024/4324-cntt")),
    (URIRef("https://vi.wikipedia.org/wiki/Bộ_Giáo_dục"),
     NamedNode("https://vi.wikipedia.org/wiki/Bộ_Giáo_dục")),
    (BNode("b0"), BlankNode("b0")),
    (RdflibLiteral("plain"), Literal("plain")),
    (RdflibLiteral('quote " and\nnewline'), Literal('quote " and\nnewline')),
    (RdflibLiteral("Nghị quyết", lang="vi"), Literal("Nghị quyết", language="vi")),
    (RdflibLiteral("Resolution", lang="en"), Literal("Resolution", language="en")),
    (RdflibLiteral("30", datatype=XSD.decimal),
     Literal("30", datatype=NamedNode(str(XSD.decimal)))),
    (RdflibLiteral("0.7", datatype=XSD.decimal),
     Literal("0.7", datatype=NamedNode(str(XSD.decimal)))),
    (RdflibLiteral("3", datatype=XSD.integer), Literal("3", datatype=NamedNode(str(XSD.integer)))),
    (RdflibLiteral("2024-12-22", datatype=XSD.date),
     Literal("2024-12-22", datatype=NamedNode(str(XSD.date)))),
    (RdflibLiteral("2030", datatype=XSD.gYear),
     Literal("2030", datatype=NamedNode(str(XSD.gYear)))),
    (RdflibLiteral("true", datatype=XSD.boolean),
     Literal("true", datatype=NamedNode(str(XSD.boolean)))),
    (RdflibLiteral("vi", datatype=XSD.language),
     Literal("vi", datatype=NamedNode(str(XSD.language)))),
    (RdflibLiteral("ab12", datatype=XSD.hexBinary),
     Literal("ab12", datatype=NamedNode(str(XSD.hexBinary)))),
    (RdflibLiteral("x", datatype=URIRef(f"{EX}unknown-type")),
     Literal("x", datatype=NamedNode(f"{EX}unknown-type"))),
]  # fmt: skip


@pytest.mark.parametrize(("node", "term"), TERMS, ids=lambda value: repr(value)[:60])
def test_each_term_converts_both_ways(node: Node, term: object) -> None:
    converted = oxigraph_term(node)
    assert converted == term
    assert str(converted) == str(term)  # the same N-Triples: same lexical form, same tag
    back = rdflib_term(converted)
    assert back == node
    assert (type(back), str(back)) == (type(node), str(node))


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("30", XSD.decimal),
        ("30.0", XSD.decimal),
        ("1.50", XSD.decimal),
        ("3", XSD.positiveInteger),
        ("2030", XSD.gYear),
    ],
)
def test_a_literal_reaches_oxigraph_as_written(lexical: str, datatype: URIRef) -> None:
    """Decision 0011: the bridge never rewrites a lexical form (rdflib's Turtle writer would turn
    ``"30"^^xsd:decimal`` into ``30.0``); only Oxigraph's store keeps values."""
    term = oxigraph_term(RdflibLiteral(lexical, datatype=datatype))
    assert (term.value, term.datatype.value) == (lexical, str(datatype))
    assert rdflib_term(term) == RdflibLiteral(lexical, datatype=datatype)


def test_a_simple_literal_comes_back_without_a_datatype_as_rdflib_reads_it() -> None:
    """Oxigraph gives every simple literal the datatype xsd:string; rdflib's parsers do not."""
    from_store = Literal("plain", datatype=NamedNode(str(XSD.string)))
    back = rdflib_term(from_store)
    assert isinstance(back, RdflibLiteral)
    assert (back, back.datatype) == (RdflibLiteral("plain"), None)
    parsed = Graph().parse(
        data='<https://example.org/a> <https://example.org/p> "plain" .', format="nt"
    )
    assert {rdflib_term(from_store)} == set(parsed.objects())


def test_store_canonical_forms_come_back_unchanged() -> None:
    """What Oxigraph's store returns (XSD 1.1 canonical values) for the datatypes the data uses
    (decision 0011) is kept by rdflib as it is."""
    store = Store()
    subject, predicate = NamedNode(f"{EX}s"), NamedNode(f"{EX}p")
    written = [
        Literal("30.0", datatype=NamedNode(str(XSD.decimal))),
        Literal("0.70", datatype=NamedNode(str(XSD.decimal))),
        Literal("03", datatype=NamedNode(str(XSD.positiveInteger))),
        Literal("1", datatype=NamedNode(str(XSD.boolean))),
        Literal("2024-12-22", datatype=NamedNode(str(XSD.date))),
        Literal("2030", datatype=NamedNode(str(XSD.gYear))),
        Literal("vi", datatype=NamedNode(str(XSD.language))),
        Literal("Nghị quyết", language="vi"),
        Literal("57-NQ/TW"),
    ]
    store.extend(Quad(subject, predicate, value) for value in written)
    stored = sorted(str(quad.object) for quad in store)
    back = sorted(str(oxigraph_term(rdflib_term(quad.object))) for quad in store)
    assert back == stored
    assert '"30"^^<http://www.w3.org/2001/XMLSchema#decimal>' in stored


def test_terms_converts_each_term_once() -> None:
    terms = Terms()
    first = terms.term(URIRef(f"{EX}a"))
    assert terms.term(URIRef(f"{EX}a")) is first
    assert terms.term(RdflibLiteral("a")) is not first


def test_triples_become_quads_in_a_named_graph_and_come_back() -> None:
    graph = Graph()
    graph.add((URIRef(f"{EX}doc"), RDF.type, URIRef(f"{EX}Document")))
    graph.add((URIRef(f"{EX}doc"), URIRef(f"{EX}title"), RdflibLiteral("Tiêu đề", lang="vi")))
    graph.add((BNode("n1"), URIRef(f"{EX}value"), RdflibLiteral("30", datatype=XSD.decimal)))
    name = URIRef(f"{EX}graph/doc")
    quads = list(Terms().quads(graph, name))
    assert {quad.graph_name for quad in quads} == {NamedNode(str(name))}
    store = Store()
    store.extend(quads)
    assert list(store.named_graphs()) == [NamedNode(str(name))]
    assert set(store.quads_for_pattern(None, None, None, DefaultGraph())) == set()
    read_back = rdflib_graph(store.quads_for_pattern(None, None, None, NamedNode(str(name))))
    assert set(read_back) == set(graph)  # blank nodes keep their labels: equal, not isomorphic
    assert {quad.graph_name for quad in Terms().quads(graph)} == {DefaultGraph()}


def test_pyoxigraph_triples_become_rdflib_triples() -> None:
    triple = Triple(NamedNode(f"{EX}s"), NamedNode(f"{EX}p"), Literal("o", language="en"))
    assert list(rdflib_triples([triple])) == [
        (URIRef(f"{EX}s"), URIRef(f"{EX}p"), RdflibLiteral("o", lang="en"))
    ]


def test_the_whole_corpus_goes_through_the_store_and_back(dataset: Dataset) -> None:
    """Every quad of the dataset, bridged into a store and read back, is the same rdflib data."""
    terms = Terms()
    store = Store()
    for name, graph in dataset.named_graphs():
        store.extend(terms.quads(graph, name))
    for name, graph in dataset.named_graphs():
        back = rdflib_graph(store.quads_for_pattern(None, None, None, oxigraph_term(name)))
        assert set(back) == set(graph), name
        assert isomorphic(back, graph)


@pytest.mark.parametrize(
    "nquads",
    [
        b'<https://example.org/s> <https://example.org/p> "x"@en--ltr <https://example.org/g> .\n',
        b"<https://example.org/s> <https://example.org/p> "
        b"<<( <https://example.org/a> <https://example.org/b> <https://example.org/c> )>> .\n",
    ],
    ids=["directional literal", "triple term"],
)
def test_rdf_1_2_terms_are_refused_not_changed(nquads: bytes) -> None:
    (quad,) = parse(nquads, format=RdfFormat.N_QUADS)
    with pytest.raises(UnsupportedTermError, match=r"RDF 1\.2") as refused:
        rdflib_term(quad.object)
    assert isinstance(refused.value, InputError)


def test_what_is_not_a_term_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        rdflib_term(DefaultGraph())
    with pytest.raises(TypeError):
        oxigraph_term("not a term")  # type: ignore[call-overload]


def test_quad_files_are_read_through_the_bridge_as_rdflib_reads_turtle(
    dataset: Dataset, tmp_path: Path
) -> None:
    """A document graph written as N-Quads and as Turtle reads back as the same rdflib graph;
    each file's blank nodes stay its own, and the entailments graph of a dump is left out."""
    graph = dataset.documents[URIRef("https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57")]
    name = URIRef("https://w3id.org/vnpolicy/graph/eli/vn/tw/nq/2024/57")
    entailed = (URIRef(f"{EX}s"), URIRef(f"{EX}p"), URIRef(f"{EX}o"))
    nquads = nquads_text(Terms().quads(graph, name)) + nquads_text(
        Terms().quads([entailed], URIRef("https://w3id.org/vnpolicy/graph/entailments"))
    )
    (tmp_path / "57.nq").write_text(nquads, encoding="utf-8")
    # rdflib's own Turtle writer would turn "80"^^xsd:decimal into 80.0 (decision 0011)
    (tmp_path / "57.ttl").write_text(turtle(ordered_triples(Terms(), graph)), encoding="utf-8")
    from_quads, from_turtle = read_files([tmp_path / "57.nq"]), read_files([tmp_path / "57.ttl"])
    assert entailed not in from_quads
    assert set(from_quads) == set(from_turtle) == set(graph)
    blank = '_:b0 <https://example.org/p> "x" <https://example.org/g> .\n'
    for file in ("one.nq", "two.nq"):
        (tmp_path / file).write_text(blank, encoding="utf-8")
    both = read_files([tmp_path / "one.nq", tmp_path / "two.nq"])
    assert len(set(both.subjects())) == 2


def test_a_quad_file_rdflib_cannot_hold_is_unusable_input(tmp_path: Path) -> None:
    path = tmp_path / "directional.nq"
    path.write_text(
        '<https://example.org/s> <https://example.org/p> "x"@en--ltr <https://example.org/g> .\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"directional\.nq: not valid N-Quads: .*RDF 1\.2"):
        read_files([path])
