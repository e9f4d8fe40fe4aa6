"""The research query catalogue: every query has a title and description and returns the rows
recorded in tests/queries/<name>.json (checked by hand when recorded; a change in the corpus that
changes an answer must update the record in the same commit)."""

import json

import pytest
from pyoxigraph import Store

from tests.utils.paths import TESTS_DIR
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.read.query import catalogue, run_select, store_from_dataset

EXPECTED = TESTS_DIR / "queries"
QUERIES = catalogue()


@pytest.fixture(scope="module")
def store(dataset: Dataset) -> Store:
    return store_from_dataset(dataset)


def test_the_catalogue_has_at_least_15_documented_queries() -> None:
    assert len(QUERIES) >= 15
    for query in QUERIES:
        assert len(query.title) > 10, query.name
        assert len(query.description) > 40, query.name


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_returns_its_expected_rows(store: Store, query: object) -> None:
    table = run_select(store, query.text)  # type: ignore[attr-defined]
    expected = json.loads((EXPECTED / f"{query.name}.json").read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    assert table.variables == expected["variables"]
    assert table.rows == expected["rows"]


def test_key_answers(store: Store) -> None:
    by_name = {query.name: query for query in QUERIES}
    subtasks = run_select(store, by_name["13-government-subtasks-by-57-task"].text).rows
    assert [int(row[2]) for row in subtasks] == [10, 8, 8, 7, 7, 8, 4]
    chain = run_select(store, by_name["06-implementing-57"].text).rows
    # Plan 935 implements 03/NQ-CP (not 57 directly); its number is uncertain, so its URI is shown
    assert [row[3] for row in chain if row[1] == "Plan 935/KH-BGDĐT"] == ["false"]
    viewpoints = run_select(store, by_name["01-viewpoints-side-by-side"].text).rows
    assert len(viewpoints) == 5
    assert all(row[1] and row[2] for row in viewpoints)


def test_in_force_on_answers_from_the_dates_the_sources_give(store: Store) -> None:
    """Law 29/2013/QH13 is in force until Law 93/2025/QH15, which the sources say probably
    replaces it (uncertain), enters into force on 1 October 2025: from then its status is
    unknown, so it is not listed; a law in force from 2026 is not listed before; the day is one
    line to change."""
    query = {query.name: query for query in QUERIES}["19-in-force-on"].text
    assert 'VALUES ?on { "2025-06-01"^^<http://www.w3.org/2001/XMLSchema#date> }' in query
    numbers = {
        day: {row[1] for row in run_select(store, query.replace("2025-06-01", day)).rows}
        for day in ("2025-06-01", "2025-10-01", "2026-01-01")
    }
    assert "29/2013/QH13" in numbers["2025-06-01"]
    assert "29/2013/QH13" not in numbers["2025-10-01"]
    assert "93/2025/QH15" in numbers["2025-10-01"]
    assert "93/2025/QH15" not in numbers["2025-06-01"]
    assert "71/2025/QH15" in numbers["2026-01-01"] - numbers["2025-10-01"]


def test_legal_events_are_dated_with_their_certainty(store: Store) -> None:
    query = {query.name: query for query in QUERIES}["20-legal-events"].text
    events = {(row[1], row[2], row[4]): (row[3], row[5]) for row in run_select(store, query).rows}
    assert events[("29/2013/QH13", "replaced", "93/2025/QH15")] == ("2025-10-01", "uncertain")
    assert events[("100/2019/NĐ-CP", "partially repealed", "168/2024/NĐ-CP")][0] == "2025-01-01"
    assert events[("57-NQ/TW", "entry into force", "")] == ("2024-12-22", "single source")


def test_every_query_is_titled_and_described_in_vietnamese_once() -> None:
    for query in QUERIES:
        header = query.text.split("\nPREFIX", 1)[0]
        assert header.count("# title-vi:") == 1, query.name
        assert header.count("# description-vi:") == 1, query.name
        assert query.title_vi, query.name
        assert query.description_vi, query.name
