"""Where a query's time goes, without HTTP: the engine alone against vnpolicy's worker code.

For each query of both sets (bench/queryset.py), in one process over one in-memory store loaded
from a build's dump, it times (median of ``--repeat`` runs):

- *engine*: ``Store.query`` and the engine's own writer, straight into memory, in the format
  the benchmark asks for: what Oxigraph's server does for a query, less its HTTP;
- *worker*: ``vnpolicy.server.runtime.query.execute``, what a vnpolicy query worker does for it
  (the checks of the query text, the query, the row and byte caps, the writing).

The difference is the cost of vnpolicy's checks and caps; what bench/run.py measures over HTTP
beyond *worker* is the HTTP layer and the hand-off from the server process to its worker and
back. Prints a Markdown table.

    uv run python bench/costs.py --out bench/data/8000/out --repeat 7
"""

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from pyoxigraph import QueryBoolean, QuerySolutions, RdfFormat, Store

from vnpolicy.graph.formats import BY_MEDIA_TYPE, Form
from vnpolicy.server.runtime.query import Choices, QueryRequest, execute
from vnpolicy.server.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from queryset import QueryFile, bench_set, catalogue

BASE = "https://w3id.org/vnpolicy/"
#: The bench's own settings for vnpolicy (bench/run.py): no row cap or time limit in the way.
SETTINGS = Settings(max_rows=10_000_000, query_timeout=120)


def engine(store: Store, query: QueryFile) -> int:
    """The query and the engine's writer; the bytes written."""
    answer = store.query(query.text, use_default_graph_as_union=True)
    sink = io.BytesIO()
    chosen = BY_MEDIA_TYPE[query.accept]
    if isinstance(answer, QueryBoolean | QuerySolutions):
        assert chosen.results is not None
        answer.serialize(sink, chosen.results)
    else:
        assert isinstance(chosen.rdf, RdfFormat)
        answer.serialize(sink, chosen.rdf)
    return sink.tell()


def worker(store: Store, query: QueryFile) -> int:
    """What a vnpolicy query worker does; the bytes written."""
    choices = Choices(dict.fromkeys(Form, query.accept), {})
    return len(execute(store, QueryRequest(query.text), choices, SETTINGS, BASE).body)


def median_ms(
    run: Callable[[Store, QueryFile], int], store: Store, query: QueryFile, repeat: int
) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run(store, query)
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="a build's folder (vnpolicy.nq)")
    parser.add_argument("--repeat", type=int, default=7)
    arguments = parser.parse_args()
    store = Store()
    started = time.perf_counter()
    store.bulk_load(path=arguments.out / "vnpolicy.nq", format=RdfFormat.N_QUADS)
    print(f"loaded {len(store):,} quads in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    print("| query | bytes | engine p50 ms | worker p50 ms | worker / engine |")
    print("|---|---|---|---|---|")
    for query in catalogue() + bench_set():
        written = engine(store, query)
        if worker(store, query) != written:
            print(f"  {query.name}: the worker wrote other bytes", file=sys.stderr)
        alone = median_ms(engine, store, query, arguments.repeat)
        worked = median_ms(worker, store, query, arguments.repeat)
        print(f"| {query.name} | {written:,} | {alone:.1f} | {worked:.1f} | {worked / alone:.2f} |")


if __name__ == "__main__":
    main()
