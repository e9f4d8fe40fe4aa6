"""Descriptions page their incoming links the same way whether Python groups them (a few) or the
store counts and pages them (many): the two paths agree on every resource of the fixture."""

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, Store

from vnpolicy.graph.read import describe as described


@pytest.fixture(scope="module")
def store(fixture_out: Path) -> Store:
    loaded = Store()
    loaded.bulk_load(path=str(fixture_out / "vnpolicy.nq"), format=RdfFormat.N_QUADS)
    return loaded


def test_the_store_counts_and_pages_incoming_links_as_python_does(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    pointed_at = {
        quad.object.value
        for quad in store.quads_for_pattern(None, None, None, None)
        if isinstance(quad.object, NamedNode)
    }
    busiest = sorted(
        pointed_at,
        key=lambda uri: -sum(1 for _ in store.quads_for_pattern(None, None, NamedNode(uri))),
    )[:25]
    assert len(busiest) == 25
    for uri in busiest:
        few = [described.describe(store, uri, page, 7) for page in (1, 2, 3)]
        monkeypatch.setattr(described, "FEW_INCOMING", 0)  # every link goes to the store
        many = [described.describe(store, uri, page, 7) for page in (1, 2, 3)]
        monkeypatch.undo()
        assert few == many, uri
        assert few[0] is not None
        assert few[0].incoming_total > 7, uri  # paging was exercised
