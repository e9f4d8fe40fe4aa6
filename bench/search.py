"""Measures the search engines decision 0024 chose between: SQLite FTS5 (the standard library's
sqlite3) and tantivy (its Python bindings), on the entries of the real corpus or of a generated
one — index time, index size and query latency (p50, p95) over a fixed set of queries.

Both engines index the same entries folded the same way (``graph/search/folding.py``) with BM25
ranking and the same column weights; each query asks for the first 20 results and the number of
matches. FTS5 is also timed as the server runs it (``SearchIndex.search``: grouped by resource,
facets counted, snippets made). Prints a table; asserts nothing.

    uv run python bench/search.py                        # the real corpus
    uv run python bench/generate.py --documents 2000 --out bench/data/2k
    uv run --with tantivy python bench/search.py --sources bench/data/2k
"""

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from vnpolicy.graph.build.dataset import build_dataset
from vnpolicy.graph.collection import fewer_collections
from vnpolicy.graph.paths import SOURCES_DIR
from vnpolicy.graph.search.engine import WEIGHTS, Query, SearchIndex
from vnpolicy.graph.search.entries import Entry, entries, known_numbers, model_labels
from vnpolicy.graph.search.folding import fold
from vnpolicy.graph.search.index import write_index

QUERIES = [
    "du lieu",
    "dữ liệu",
    "Nghi quyet 57",
    "57-NQ/TW",
    "4324/BGDDT-CNTT",
    "digital transformation",
    "chuyển đổi số",
    "R&D spending",
    "khoa hoc cong nghe doi moi sang tao",
    "decree 100",
    "innovation",
    "nhân lực",
]
ROUNDS = 20


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _row(engine: str, seconds: str, size: str, p50: float, p95: float) -> str:
    return f"| {engine} | {seconds} | {size} | {p50:.2f} | {p95:.2f} |"


def _latency(run: Callable[[str], object]) -> tuple[float, float]:
    """p50 and p95 in milliseconds over ``ROUNDS`` rounds of every query."""
    for text in QUERIES:
        run(text)  # warm
    times = []
    for _ in range(ROUNDS):
        for text in QUERIES:
            start = time.perf_counter()
            run(text)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def _fts5(
    found: list[Entry], folder: Path, labels: dict[str, dict[str, str]], numbers: list
) -> list[str]:  # type: ignore[type-arg]
    import sqlite3

    path = folder / "search.sqlite"
    start = time.perf_counter()
    write_index(path, found, labels, numbers)
    seconds = time.perf_counter() - start
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    weights = ", ".join(map(str, WEIGHTS))

    def plain(text: str) -> object:
        words = fold(text).replace('"', " ").split()
        match = " AND ".join(f'"{w}"' for w in words if w.strip("-/&,.")) or '""'
        top = connection.execute(
            f"SELECT rowid FROM text WHERE text MATCH ? ORDER BY bm25(text, {weights}) LIMIT 20",
            [match],
        ).fetchall()
        total = connection.execute("SELECT count(*) FROM text WHERE text MATCH ?", [match])
        return top, total.fetchone()

    index = SearchIndex(path, time_limit=30)
    served = _latency(lambda text: index.search(Query(text)))
    p50, p95 = _latency(plain)
    size = f"{_size(path) / 1e6:.1f}"
    return [
        _row("SQLite FTS5 (top 20 + count)", f"{seconds:.2f}", size, p50, p95),
        _row("SQLite FTS5 as served (grouped, facets, snippets)", "", "", *served),
    ]


def _tantivy(found: list[Entry], folder: Path) -> list[str]:
    try:
        import tantivy  # type: ignore[import-not-found]
    except ImportError:
        return ["| tantivy | not installed (run with `uv run --with tantivy`) | | | |"]
    builder = tantivy.SchemaBuilder()
    for name in ("number", "title", "body"):
        builder.add_text_field(name, stored=False)
    builder.add_text_field("uri", stored=True, tokenizer_name="raw")
    for name in ("type", "issuer", "year", "pillar", "certainty", "language"):
        builder.add_text_field(name, stored=False, tokenizer_name="raw")
    schema = builder.build()
    path = folder / "tantivy"
    path.mkdir()
    start = time.perf_counter()
    index = tantivy.Index(schema, path=str(path))
    writer = index.writer(heap_size=100_000_000, num_threads=1)
    for entry in found:
        document = tantivy.Document(
            uri=entry.uri, number=fold(entry.number), title=fold(entry.title), body=fold(entry.body)
        )
        for name, value in entry.facets:
            document.add_text(name, value)
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - start
    index.reload()
    searcher = index.searcher()
    boosts = dict(zip(("number", "title", "body"), WEIGHTS, strict=True))

    def run(text: str) -> object:
        words = [w for w in fold(text).replace('"', " ").split() if w.strip("-/&,.")]
        query = index.parse_query(
            " AND ".join(f'"{w}"' for w in words) or '""',
            ["number", "title", "body"],
            field_boosts=boosts,
        )
        return searcher.search(query, 20, count=True).count

    p50, p95 = _latency(run)
    name = f"{getattr(tantivy, '__version__', 'tantivy')} (top 20 + count)"
    return [_row(name, f"{seconds:.2f}", f"{_size(path) / 1e6:.1f}", p50, p95)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=Path, default=SOURCES_DIR, help="a sources folder")
    arguments = parser.parse_args()
    start = time.perf_counter()
    dataset = build_dataset(arguments.sources / "documents", arguments.sources / "registry.yaml")
    built = time.perf_counter() - start
    start = time.perf_counter()
    with fewer_collections():  # as the build runs it
        found = list(entries(dataset))
    gathered = time.perf_counter() - start
    quads = sum(len(graph) for _, graph in dataset.named_graphs())
    print(
        f"{len(dataset.documents)} documents, {quads} quads (built in {built:.1f} s); "
        f"{len(found)} entries gathered in {gathered:.2f} s; CPUs: {os.cpu_count()}"
    )
    print("| engine | index s | size MB | query p50 ms | p95 ms |")
    print("|---|---|---|---|---|")
    folder = Path(tempfile.mkdtemp(prefix="vnpolicy-search-bench-"))
    try:
        for line in _fts5(found, folder, model_labels(dataset.model), known_numbers(dataset)):
            print(line)
        for line in _tantivy(found, folder):
            print(line)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
