"""Graph names and the dataset's own URIs, minted in one place (``graph/uris.py``): each name
under two bases and the names the built dataset uses (the name an upload gets through the Graph
Store Protocol is tested with the other writes, in ``test_writes.py``)."""

import uuid
from collections.abc import Callable

import pytest
from rdflib import URIRef

from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.errors import InputError
from vnpolicy.graph.read.void import described_uris, root_resource
from vnpolicy.graph.uris import (
    DEFAULT_BASE,
    DEFAULT_GRAPH_KEY,
    SCRATCH_MODEL_GRAPH,
    Minter,
    check_base,
    is_entailments_graph,
)

OTHER_BASE = "https://data.example.org/policy/"
R57 = "eli/vn/tw/nq/2024/57"
KEY = uuid.UUID("0b5d3c52-47a4-4c5e-9a53-2f0c8f2b7d11")

#: (what, how the minter makes it, the path under the base it must be).
NAMES: list[tuple[str, Callable[[Minter], str], str]] = [
    ("graph space", lambda m: m.graphs, "graph/"),
    ("home graph", lambda m: m.home_graph(m.resource(R57)), f"graph/{R57}"),
    ("model graph", lambda m: m.model_graph, "graph/model"),
    ("entailments graph", lambda m: m.entailments_graph, "graph/entailments"),
    ("upload graph", lambda m: m.upload_graph(KEY), f"graph/upload/{KEY}"),
    ("dataset", lambda m: m.dataset, "id/dataset"),
    ("catalog", lambda m: m.catalog, "id/catalog"),
    ("data service", lambda m: m.data_service, "id/dataset/sparql"),
    ("a resource", lambda m: m.resource(R57), R57),
    ("a document", lambda m: m.document("TW", "nq", 2024, "57"), R57),
]


@pytest.mark.parametrize("base", [DEFAULT_BASE, OTHER_BASE])
@pytest.mark.parametrize(("what", "mint", "path"), NAMES, ids=[name[0] for name in NAMES])
def test_each_name_sits_at_its_path_under_the_base(
    base: str, what: str, mint: Callable[[Minter], str], path: str
) -> None:
    assert str(mint(Minter(base))) == base + path, what


def test_a_document_s_graph_is_never_the_document() -> None:
    minter = Minter()
    document = minter.resource(R57)
    assert minter.home_graph(document) != document
    assert minter.home_graph(document) == minter.home_graph(str(document))
    assert minter.home_graph(document).startswith(minter.graphs)


def test_the_entailments_graph_is_recognised_under_any_base() -> None:
    for base in (DEFAULT_BASE, OTHER_BASE):
        minter = Minter(base)
        assert is_entailments_graph(minter.entailments_graph)
        assert not is_entailments_graph(minter.model_graph)
        assert not is_entailments_graph(minter.home_graph(minter.resource(R57)))


def test_scratch_names_never_name_published_data(dataset: Dataset) -> None:
    names = {name for name, _ in dataset.named_graphs()}
    assert SCRATCH_MODEL_GRAPH != DEFAULT_GRAPH_KEY
    for scratch in (SCRATCH_MODEL_GRAPH, DEFAULT_GRAPH_KEY):
        assert scratch.startswith("urn:")
        assert scratch not in names


def test_the_dataset_s_graphs_are_the_minted_ones(dataset: Dataset) -> None:
    """The model first, one home graph per document in order, the entailments last."""
    minter = dataset.minter
    names = [name for name, _ in dataset.named_graphs()]
    assert names == [
        minter.model_graph,
        *(minter.home_graph(document) for document in sorted(dataset.documents)),
        minter.entailments_graph,
    ]
    assert all(name.startswith(minter.graphs) for name in names)


def test_the_description_names_its_uris_with_the_minter() -> None:
    minter = Minter(OTHER_BASE)
    assert described_uris(OTHER_BASE) == [
        str(minter.dataset),
        str(minter.catalog),
        str(minter.data_service),
    ]
    assert root_resource(OTHER_BASE) == URIRef(OTHER_BASE + R57)


def test_a_local_base_is_refused_where_the_base_is_read() -> None:
    """The base is checked once, when the settings are read (``check_base``), not by every
    minter made from it."""
    from vnpolicy.server.settings import load_settings

    with pytest.raises(ValueError, match="local"):
        check_base("http://127.0.0.1:8000/")
    with pytest.raises(InputError, match="local"):
        load_settings({"VNPOLICY_BASE": "http://127.0.0.1:8000/"})
