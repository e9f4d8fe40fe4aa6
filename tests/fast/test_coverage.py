"""The README's coverage table is written from the graph, and counts what the sources hold."""

import difflib
from collections import Counter

import pytest
from rdflib import Graph

from tests.utils.paths import ROOT
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.read.coverage import COMMAND, coverage, coverage_markdown, rewrite


def test_the_readme_coverage_table_is_written_from_the_graph(
    dataset: Dataset, asserted: Graph
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    written = rewrite(readme, coverage_markdown(asserted, dataset.model))
    if written != readme:
        diff = difflib.unified_diff(
            readme.splitlines(), written.splitlines(), "README.md", "from the graph", lineterm=""
        )
        pytest.fail(f"README.md's coverage table is stale; run\n    {COMMAND}\n"
                    + "\n".join(list(diff)[:40]))  # fmt: skip


def test_each_province_counts_the_source_files_of_its_bodies(
    dataset: Dataset, asserted: Graph
) -> None:
    by_province = Counter(head.province for head in dataset.context.heads.values())
    _, provinces = coverage(asserted, dataset.model)
    labels = {
        str(label): str(concept).rsplit("/", 1)[1]
        for concept, label in dataset.model.subject_objects(
            dataset.model.namespace_manager.expand_curie("skos:prefLabel")
        )
        if getattr(label, "language", None) == "en" and "/vocab/province/" in str(concept)
    }
    assert {labels[row.name]: row.documents for row in provinces if row.documents} == {
        province: count for province, count in by_province.items() if province is not None
    }
    # a province without documents shows the searches tried, if any were recorded
    nghe_an = next(row for row in provinces if labels[row.name] == "nghe-an")
    assert (nghe_an.documents, bool(nghe_an.searches)) == (0, True)
