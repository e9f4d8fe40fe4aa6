"""Writing the built dataset: TriG and N-Quads of the whole, Turtle and JSON-LD per document,
and the search index (graph/search/index.py), so that search cannot drift from the dumps.

Every file is deterministic (same sources, same bytes); the texts come from
graph/output/rendering.py. The files are written to a temporary folder beside the output and
swapped in at the end, so a failed build never leaves a half-written output behind.
"""

import json
import os
import shutil
from pathlib import Path
from typing import Any

from rdflib import URIRef

from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.collection import fewer_collections
from vnpolicy.graph.output.releases import DEFAULT_KEPT, RELEASES, git_commit, record_release
from vnpolicy.graph.output.rendering import Rendering, render
from vnpolicy.graph.paths import MANIFEST_FILE, NQUADS_DUMP, SEARCH_INDEX, TRIG_DUMP
from vnpolicy.graph.processes import running
from vnpolicy.graph.search.index import index_dataset

DOCUMENTS = "documents"


def document_slug(dataset: Dataset, document: URIRef) -> str:
    """``…/eli/vn/tw/nq/2024/57`` → ``tw-nq-2024-57``; an unnumbered ``…/id/document/x`` → ``x``."""
    path = str(document).removeprefix(dataset.minter.base)
    return path.removeprefix("eli/vn/").removeprefix("id/document/").replace("/", "-")


def manifest(
    dataset: Dataset, inputs: str | None = None, search_entries: int | None = None
) -> dict[str, Any]:
    graphs = []
    by_graph = {dataset.minter.home_graph(uri): uri for uri in dataset.documents}
    for name, graph in dataset.named_graphs():
        entry: dict[str, Any] = {"graph": str(name), "triples": len(graph)}
        document = by_graph.get(name)
        if document is not None:
            slug = document_slug(dataset, document)
            entry |= {
                "document": str(document),
                "turtle": f"{DOCUMENTS}/{slug}.ttl",
                "jsonld": f"{DOCUMENTS}/{slug}.jsonld",
            }
        graphs.append(entry)
    return {
        "base": dataset.minter.base,
        "inputs": inputs,
        "quads": sum(entry["triples"] for entry in graphs),
        "graphs": graphs,
        "warnings": dataset.context.warnings,
        "search": {"file": SEARCH_INDEX, "entries": search_entries},
    }


@fewer_collections()
def write_dataset(
    dataset: Dataset,
    out_dir: Path,
    inputs: str | None = None,
    rendering: Rendering | None = None,
    releases_kept: int = DEFAULT_KEPT,
) -> list[Path]:
    """Write every dump under ``out_dir`` (replacing what was there, but for the releases kept
    in ``out_dir/releases``, which carry over); return the files written. When the data
    changed, the build is recorded as a new release (graph/output/releases.py) and the newest
    ``releases_kept`` are kept.

    ``rendering`` may give the dataset already rendered (``render(dataset)``)."""
    out_dir = out_dir.resolve()
    _remove_leftovers(out_dir)
    staging = out_dir.with_name(f".{out_dir.name}.staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / DOCUMENTS).mkdir(parents=True)
    try:
        rendering = rendering or render(dataset)
        (staging / TRIG_DUMP).write_text(rendering.trig, encoding="utf-8")
        (staging / NQUADS_DUMP).write_text(rendering.nquads, encoding="utf-8")
        for document in sorted(dataset.documents):
            slug = document_slug(dataset, document)
            turtle, jsonld = rendering.documents[str(dataset.minter.home_graph(document))]
            (staging / DOCUMENTS / f"{slug}.ttl").write_text(turtle, encoding="utf-8")
            (staging / DOCUMENTS / f"{slug}.jsonld").write_text(jsonld, encoding="utf-8")
        entries = index_dataset(dataset, staging / SEARCH_INDEX)
        (staging / MANIFEST_FILE).write_text(
            json.dumps(manifest(dataset, inputs, entries), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        if out_dir.exists():
            out_dir.rename(old)
        staging.rename(out_dir)
        if (old / RELEASES).is_dir():
            (old / RELEASES).rename(out_dir / RELEASES)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    slugs = {document: document_slug(dataset, document) for document in dataset.documents}
    record_release(out_dir, dataset, slugs, inputs, releases_kept, git_commit())
    releases = out_dir / RELEASES
    return sorted(
        path for path in out_dir.rglob("*") if path.is_file() and releases not in path.parents
    )


def _remove_leftovers(out_dir: Path) -> None:
    """Remove the staging and replaced folders a killed build left beside ``out_dir``
    (``.out.staging-PID``, ``.out.old-PID`` of a process that no longer runs)."""
    for kind in ("staging", "old"):
        for folder in out_dir.parent.glob(f".{out_dir.name}.{kind}-*"):
            pid = folder.name.rpartition("-")[2]
            if pid.isdigit() and not running(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)
