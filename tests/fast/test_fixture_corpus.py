"""The fixture corpus of the in-process tier cannot drift from the real one: its files are what
``tests/utils/corpus.py`` copies from ``graph/sources``, it conforms to the shapes, and each of
its document graphs is exactly the graph the full build gives that document."""

from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic

from tests.utils.corpus import DOCUMENTS, FIXTURE_SOURCES, write_fixture
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.validate.validation import validate


def _files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_the_fixture_files_are_what_the_corpus_gives(tmp_path: Path) -> None:
    write_fixture(tmp_path)
    committed, fresh = _files(FIXTURE_SOURCES), _files(tmp_path)
    assert sorted(committed) == sorted(fresh)
    stale = sorted(name for name, data in fresh.items() if committed[name] != data)
    assert stale == [], "tests/data is stale: run 'uv run python -m tests.utils.corpus'"


def test_the_fixture_builds_and_conforms(
    fixture_dataset: Dataset, model: Graph, shapes: Graph
) -> None:
    assert len(fixture_dataset.documents) == len(DOCUMENTS)
    report = validate(fixture_dataset.asserted(), model=model, shapes=shapes, check_shapes=False)
    assert report.violations == ()
    assert fixture_dataset.context.warnings == []  # every mention resolves within the subset


def test_each_document_graph_is_the_one_the_full_build_gives(
    fixture_dataset: Dataset, dataset: Dataset
) -> None:
    for uri, graph in fixture_dataset.documents.items():
        assert isomorphic(graph, dataset.documents[uri]), uri
