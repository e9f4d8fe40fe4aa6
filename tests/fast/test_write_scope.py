"""A write is checked by what it changes (``write_check``), on the real store: the graphs
it validates, the cross-document rules it still enforces, and entailments that stay exactly
those of the whole data, write after write."""

from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, parse, serialize
from rdflib import Graph

from vnpolicy.graph.build.alignment import entailments
from vnpolicy.server.errors import NotConforming
from vnpolicy.server.runtime.change import Change
from vnpolicy.server.runtime.uploads import Upload
from vnpolicy.server.runtime.write_check import After, graphs_to_validate
from vnpolicy.server.runtime.writes import Action, Delete, Replace, Update, prepare

BASE = "https://w3id.org/vnpolicy/"
R57 = NamedNode(f"{BASE}eli/vn/tw/nq/2024/57")
R57_GRAPH = NamedNode(f"{BASE}graph/eli/vn/tw/nq/2024/57")
DISPATCH_GRAPH = NamedNode(f"{BASE}graph/eli/vn/bgddt/cv/2024/4324-cntt")
NQ03_GRAPH = NamedNode(f"{BASE}graph/eli/vn/cp/nq/2025/03")
ENTAILED = NamedNode(f"{BASE}graph/entailments")
MODEL = NamedNode(f"{BASE}graph/model")
DATE = NamedNode("http://data.europa.eu/eli/ontology#date_document")
XSD_DATE = NamedNode("http://www.w3.org/2001/XMLSchema#date")
TITLE = NamedNode("http://purl.org/dc/terms/title")
STRAY = NamedNode("http://example.org/X")


@pytest.fixture
def store(built: Path) -> Store:
    loaded = Store()
    loaded.bulk_load(path=str(built / "vnpolicy.nq"), format=RdfFormat.N_QUADS)
    return loaded


def _graph(store: Store, name: NamedNode) -> list[Quad]:
    return list(store.quads_for_pattern(None, None, None, name))


def _upload(quads: list[Quad]) -> Upload:
    """Quads as a client uploads them: one N-Triples document (the graph is named apart)."""
    data = serialize([quad.triple for quad in quads], format=RdfFormat.N_TRIPLES) or b""
    return Upload((("application/n-triples", data),), multipart=False, limit=len(data) + 1)


def _validated(store: Store, change: Change) -> set[str]:
    return {str(name) for name in graphs_to_validate(After(store, change, {MODEL, ENTAILED}))}


def test_a_text_edit_validates_its_own_graph_only(store: Store) -> None:
    title = next(store.quads_for_pattern(None, TITLE, None, DISPATCH_GRAPH))
    edited = Quad(title.subject, TITLE, Literal("Edited", language="en"), DISPATCH_GRAPH)
    change = Change(removed={title}, added={edited})
    assert _validated(store, change) == {DISPATCH_GRAPH.value}


def test_a_date_change_revalidates_the_documents_pointing_at_it(store: Store) -> None:
    date = next(store.quads_for_pattern(R57, DATE, None, R57_GRAPH))
    later = Quad(R57, DATE, Literal("2026-01-01", datatype=XSD_DATE), R57_GRAPH)
    validated = _validated(store, Change(removed={date}, added={later}))
    assert {R57_GRAPH.value, NQ03_GRAPH.value} <= validated
    assert DISPATCH_GRAPH.value not in validated  # 4324 does not point at 57


def test_a_write_that_breaks_another_documents_relation_is_refused(store: Store) -> None:
    """57's own graph conforms with a later date, but 03/NQ-CP (of January 2025) would then
    implement a document dated after it."""
    quads = [
        Quad(q.subject, q.predicate, Literal("2026-01-01", datatype=XSD_DATE), q.graph_name)
        if q.predicate == DATE and q.subject == R57
        else q
        for q in _graph(store, R57_GRAPH)
    ]
    with pytest.raises(NotConforming) as refused:
        prepare(store, BASE, Replace(R57_GRAPH, _upload(quads)))
    assert refused.value.status == 422
    assert "Relation-target-not-later" in refused.value.detail
    assert "/cp/nq/2025/03" in refused.value.detail


def _fresh_entailments(store: Store) -> Graph:
    data = Graph()
    for quad in store.quads_for_pattern(None, None, None, None):
        if quad.graph_name in (MODEL, ENTAILED) or isinstance(quad.graph_name, DefaultGraph):
            continue
        data.parse(data=f"{quad.triple} .", format="nt")
    from vnpolicy.graph.model import load_model

    return entailments(data, load_model())


def _entailed(store: Store) -> Graph:
    graph = Graph()
    for quad in store.quads_for_pattern(None, None, None, ENTAILED):
        graph.parse(data=f"{quad.triple} .", format="nt")
    return graph


def test_entailments_stay_those_of_the_whole_data_write_after_write(store: Store) -> None:
    r57 = _graph(store, R57_GRAPH)
    writes: list[Action] = [
        Delete(DISPATCH_GRAPH),  # its types and relations go, with what they entailed
        Replace(R57_GRAPH, _upload(r57)),  # the same graph again: nothing changes
        Update(  # an entailed triple written straight into the entailments graph is undone
            f"INSERT DATA {{ GRAPH <{ENTAILED.value}> {{ <{R57.value}> a <{STRAY.value}> }} }}",
            BASE,
        ),
    ]
    for action in writes:
        prepare(store, BASE, action).follow(store)
        assert set(_entailed(store)) == set(_fresh_entailments(store))
    assert not set(store.quads_for_pattern(R57, None, STRAY, None))


@pytest.mark.parametrize(
    "term",
    [
        b'"Edited"@en--ltr',
        b"<<( <https://example.org/a> <https://example.org/b> <https://example.org/c> )>>",
    ],
    ids=["directional literal", "triple term"],
)
def test_a_write_rdflib_cannot_hold_is_refused_not_validated_as_something_else(
    store: Store, term: bytes
) -> None:
    """RDF 1.2 terms cannot be handed to pyshacl; the write is refused, never validated with
    the term changed (the term bridge refuses to convert them)."""
    (value,) = (
        quad.object for quad in parse(b"<urn:s> <urn:p> " + term + b" .", RdfFormat.N_QUADS)
    )
    title = next(store.quads_for_pattern(None, TITLE, None, DISPATCH_GRAPH))
    quads = [*_graph(store, DISPATCH_GRAPH), Quad(title.subject, TITLE, value, DISPATCH_GRAPH)]
    with pytest.raises(NotConforming) as refused:
        prepare(store, BASE, Replace(DISPATCH_GRAPH, _upload(quads)))
    assert refused.value.status == 422
    assert "RDF 1.2" in refused.value.detail
