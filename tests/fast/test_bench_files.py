"""The benchmark's own files, without timing anything: every query of its second set (bench/queries)
is valid SPARQL of the form it says, asked for in a format the server offers for that form; the
runner counts an answer in each of those formats as the engine does; and the runner's arguments
parse. The benchmark itself runs apart (bench/README.md)."""

import importlib.util
import sys
from types import ModuleType

import pytest
from pyoxigraph import (
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
)

from tests.utils.paths import ROOT
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.formats import BY_MEDIA_TYPE, Kind
from vnpolicy.graph.read.query import store_from_dataset

BENCH = ROOT / "bench"


def _module(name: str) -> ModuleType:
    """A module of bench/ (not a package: its scripts import each other by name)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    if f"bench_{name}" in sys.modules:
        return sys.modules[f"bench_{name}"]
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


queryset = _module("queryset")
BENCH_QUERIES = queryset.bench_set()


@pytest.fixture(scope="module")
def store(dataset: Dataset) -> Store:
    return store_from_dataset(dataset)


def test_the_bench_set_covers_the_shapes_the_catalogue_lacks() -> None:
    forms = {query.form for query in BENCH_QUERIES}
    assert forms == {"SELECT", "ASK", "CONSTRUCT"}
    texts = " ".join(query.text for query in BENCH_QUERIES)
    for shape in ("OPTIONAL", "CONTAINS(", "REGEX(", "skos:broader*", "eli:implements+"):
        assert shape in texts, shape
    assert {query.name.removeprefix("bench/") for query in BENCH_QUERIES} == {
        path.stem for path in (BENCH / "queries").glob("*.rq")
    }


@pytest.mark.parametrize("query", BENCH_QUERIES, ids=lambda query: query.name)
def test_each_query_runs_and_is_asked_for_in_a_format_of_its_form(
    store: Store, query: object
) -> None:
    """It runs on the fixture corpus, and its answer, written in the format it asks for, is
    counted by the runner as the engine counts it."""
    text, form, accept = query.text, query.form, query.accept  # type: ignore[attr-defined]
    offered = BY_MEDIA_TYPE[accept]
    answer = store.query(text, use_default_graph_as_union=True)
    again = store.query(text, use_default_graph_as_union=True)  # to write (answers are read once)
    if form == "CONSTRUCT":
        assert isinstance(answer, QueryTriples)
        assert isinstance(again, QueryTriples)
        assert offered.kind is not Kind.RESULTS, accept
        assert offered.rdf is not None
        body = again.serialize(format=offered.rdf)
        assert queryset.count(body, accept) == len(list(answer))
    elif form == "ASK":
        assert isinstance(answer, QueryBoolean)
        assert offered.results is not None
        body = answer.serialize(format=offered.results)
        assert queryset.count(body, accept) == int(bool(answer))
    else:
        assert isinstance(answer, QuerySolutions)
        assert isinstance(again, QuerySolutions)
        assert offered.results is not None
        body = again.serialize(format=offered.results)
        assert queryset.count(body, accept) == len(list(answer))


@pytest.mark.parametrize(
    "media_type", ["text/csv", "application/sparql-results+json", "text/tab-separated-values"]
)
def test_a_count_reads_rows_that_hold_line_breaks(media_type: str) -> None:
    """A provision's text may hold a line break: a row is a row, not a line."""
    store = Store()
    results = store.query('SELECT ?text WHERE { VALUES ?text { "one\\ntwo" "three" } }')
    assert isinstance(results, QuerySolutions)
    body = results.serialize(format=QueryResultsFormat.from_media_type(media_type))
    assert queryset.count(body, media_type) == 2


def test_a_count_of_an_rdf_answer_is_its_triples() -> None:
    store = Store()
    results = store.query(
        "CONSTRUCT { ?s <http://example.org/p> ?o } WHERE { VALUES (?s ?o) "
        "{ (<http://example.org/a> 1) (<http://example.org/a> 2) (<http://example.org/b> 1) } }"
    )
    assert isinstance(results, QueryTriples)
    assert (
        queryset.count(results.serialize(format=RdfFormat.N_TRIPLES), "application/n-triples") == 3
    )


def test_the_runner_parses_its_arguments() -> None:
    runner = _module("run")
    parser = runner.arguments_parser()
    arguments = parser.parse_args(
        ["--documents", "1000", "8000", "--systems", "vnpolicy", "oxigraph-memory", "--no-attacks"]
    )
    assert arguments.documents == [1000, 8000]
    assert arguments.systems == ["vnpolicy", "oxigraph-memory"]
    assert arguments.attacks is False
    assert parser.parse_args([]).attacks is True
    with pytest.raises(SystemExit):
        parser.parse_args(["--systems", "blazegraph"])


def test_the_runner_reads_both_query_sets() -> None:
    names = [query.name for query in queryset.catalogue() + BENCH_QUERIES]
    assert len(names) == len(set(names))
    assert all(query.accept == "application/sparql-results+json" for query in queryset.catalogue())
