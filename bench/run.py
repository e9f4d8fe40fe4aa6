"""The benchmark suite: one synthetic corpus, several SPARQL servers side by side, one table.

For each size it generates a corpus (bench/generate.py), builds and validates it with
``vnpolicy build`` (time and peak memory), starts each system on 127.0.0.1 (cold start to the
first answer), then runs two query sets on every system in turn — the research catalogue
(graph/queries) and the bench set (bench/queries: large SELECTs, CONSTRUCTs, ASKs, property
paths, text FILTERs, OPTIONAL joins, each in its own format) — alternating the systems, query by
query, ``--repeat`` times, and reports per query the median and p95 latency and the ratio of
each system's median to the floor's. Then throughput at 1, 4 and 16 concurrent clients on the
query mix, the harvester mix (random resources as Turtle and HTML) and the exports of the
documents view, on vnpolicy; answer sizes are compared across systems, so a truncated answer
shows. Last, the attack mix (bench/attacks.py) on a vnpolicy server with its default limits,
with the memory of its main process. Prints the tables and writes JSON.

    uv sync --group bench
    uv run python bench/run.py --documents 1000 8000 --json bench/results.json

Systems: ``vnpolicy`` (``vnpolicy serve``, embedded in-memory Oxigraph behind FastAPI);
``oxigraph-memory``, the floor (the ``oxigraph`` server from PyPI **in memory**, loaded over
HTTP, union default graph: the same engine on the same storage without Python in front);
``oxigraph`` (the same server on a RocksDB copy of the dump); ``rdflib-endpoint`` (rdflib's own
store behind FastAPI; it is given ``--rdflib-timeout`` per query, and a query it cannot answer
in time is reported as such); ``vnpolicy-external``, ``vnpolicy-disk`` and ``virtuoso``.
"""

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))
import queryset  # noqa: E402
from attacks import run_attacks  # noqa: E402
from generate import generate  # noqa: E402  (bench/ is not a package)
from load import free_port, rss_mib, run_level  # noqa: E402
from memory import server_memory  # noqa: E402
from queryset import QueryFile  # noqa: E402
from report import FLOOR, table  # noqa: E402

DOCUMENTS = "SELECT ?d WHERE { ?d a <https://w3id.org/vnpolicy/ontology#Document> }"
BASE = "https://w3id.org/vnpolicy/"
OWN_ADDRESSES = "vnpolicy, a client per address"


@dataclass
class System:
    name: str
    url: str  # the SPARQL endpoint
    process: subprocess.Popen[bytes]
    cold_start_s: float
    root: str = ""  # the linked-data root, for vnpolicy
    restart: "Callable[[], System] | None" = None  # after a timeout, for servers that keep going


@dataclass
class Scale:
    documents: int
    triples: int = 0
    build_s: float = 0.0
    build_peak_mib: float = 0.0
    load: dict[str, float] = field(default_factory=dict)
    cold_start: dict[str, float] = field(default_factory=dict)
    rss_mib: dict[str, float] = field(default_factory=dict)
    queries: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    throughput: dict[str, dict[int, float]] = field(default_factory=dict)
    #: system → ttl / html → p50_ms, p95_ms
    harvester: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    exports: dict[str, float] = field(default_factory=dict)
    write: dict[str, float] = field(default_factory=dict)
    #: the machine's 1-minute load average at the start of each phase (2 cores: above 2, the
    #: systems and the client shared the CPUs with other work)
    load_average: dict[str, float] = field(default_factory=dict)
    main_rss_mib: float = 0.0  #: vnpolicy's main process alone (RSS), after the run
    asks: list[str] = field(default_factory=list)  #: the ASK queries (their rows: 1 or 0)
    #: the attack mix on a server with the default limits (bench/attacks.py)
    attacks: dict[str, object] = field(default_factory=dict)


def wait_for(url: str, process: subprocess.Popen[bytes], started: float, limit: float) -> float:
    """Seconds from ``started`` to the first 200 for ``url`` (a query)."""
    while time.monotonic() - started < limit:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {limit} s")


def build(scale: Scale, sources: Path, out: Path) -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    subprocess.run(
        [BIN / "vnpolicy", "build", "--sources", sources, "--out", out],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    scale.build_s = time.monotonic() - started
    scale.build_peak_mib = (
        max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    )
    scale.triples = _lines(out / "vnpolicy.nq")


def _lines(path: Path) -> int:
    with path.open("rb") as lines:
        return sum(1 for _ in lines)


def start_vnpolicy(
    sources: Path, out: Path, work: Path, on_disk: bool = False, limits: bool = True
) -> System:
    """``vnpolicy serve`` on the in-memory store, or with ``on_disk`` on a RocksDB store in
    ``work`` (``--store``; its first start loads the dump into it). With ``limits`` its row
    cap and time limit are lifted to those of the other systems (10M rows, 120 s); without,
    it keeps its defaults (for the attack mix)."""
    port = free_port()
    env = {**os.environ, "VNPOLICY_OUT": str(out), "VNPOLICY_WRITE_TOKEN": "bench-token"}
    if limits:
        env |= {"VNPOLICY_MAX_ROWS": "10000000", "VNPOLICY_QUERY_TIMEOUT": "120"}
    started = time.monotonic()
    name = "vnpolicy-disk" if on_disk else "vnpolicy" if limits else "vnpolicy-defaults"
    store = ["--store", str(work / "vnpolicy-store")] if on_disk else []
    if on_disk:
        shutil.rmtree(work / "vnpolicy-store", ignore_errors=True)
    process = subprocess.Popen(
        [BIN / "vnpolicy", "serve", "--sources", sources, "--port", str(port), *store],
        env=env,
        stderr=(work / f"{name}.log").open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    cold = wait_for(f"{url}/sparql", process, started, 600)
    return System(name, f"{url}/sparql", process, cold, url)


def start_oxigraph(out: Path, work: Path, scale: Scale) -> System:
    location = work / "oxigraph"
    shutil.rmtree(location, ignore_errors=True)
    started = time.monotonic()
    subprocess.run(
        [BIN / "oxigraph", "load", "--location", location, "--file", out / "vnpolicy.nq"],
        check=True,
        capture_output=True,
    )
    scale.load["oxigraph"] = time.monotonic() - started
    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        [
            BIN / "oxigraph",
            "serve-read-only",
            "--location",
            location,
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            "120",
        ],
        stderr=(work / "oxigraph.log").open("wb"),
    )
    url = f"http://127.0.0.1:{port}/query"
    return System("oxigraph", url, process, wait_for(url, process, started, 120))


def start_oxigraph_memory(out: Path, work: Path, scale: Scale) -> System:
    """Oxigraph's own server **in memory** (``oxigraph serve`` without ``--location``): the same
    engine on the same storage as vnpolicy's embedded store, so the floor its times are held
    to. The dump is loaded over HTTP (Graph Store protocol, ``POST /store`` with N-Quads: the
    quads keep their graphs); the default graph is the union of all graphs, as on vnpolicy."""
    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        [
            BIN / "oxigraph",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            "120",
        ],
        stderr=(work / "oxigraph-memory.log").open("wb"),
    )
    url = f"http://127.0.0.1:{port}/query"
    cold = wait_for(url, process, started, 120)
    loading = time.monotonic()
    with (out / "vnpolicy.nq").open("rb") as dump:
        response = httpx.post(
            f"http://127.0.0.1:{port}/store",
            content=dump,
            headers={"Content-Type": "application/n-quads"},
            timeout=3600,
        )
    if response.status_code not in (200, 201, 204):
        raise RuntimeError(f"oxigraph-memory refused the dump: {response.status_code}")
    scale.load["oxigraph-memory"] = time.monotonic() - loading
    return System("oxigraph-memory", url, process, cold)


def start_vnpolicy_external(oxigraph: System, work: Path) -> System:
    """vnpolicy holding no data, in front of the Oxigraph server (``--sparql-endpoint``)."""
    port = free_port()
    env = {**os.environ, "VNPOLICY_MAX_ROWS": "10000000", "VNPOLICY_QUERY_TIMEOUT": "120"}
    started = time.monotonic()
    process = subprocess.Popen(
        [BIN / "vnpolicy", "serve", "--sparql-endpoint", oxigraph.url, "--port", str(port)],
        env=env,
        stderr=(work / "vnpolicy-external.log").open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    cold = wait_for(f"{url}/sparql", process, started, 120)
    return System("vnpolicy-external", f"{url}/sparql", process, cold, url)


VIRTUOSO_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 170000
MaxDirtyBuffers = 130000
DirsAllowed = ., {data}
ServerThreads = 20
Charset = UTF-8

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 20
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""


def start_virtuoso(out: Path, work: Path, scale: Scale) -> System:
    """Virtuoso 7 from Debian (``virtuoso-opensource``) on its own database in ``work``, bound
    to 127.0.0.1, its silent 10,000-row cap (``ResultSetMaxRows``) lifted; the dump is bulk
    loaded with ``ld_dir`` and ``rdf_loader_run`` (the quads keep their graphs). Its default
    graph is the union of all graphs."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None:
        raise RuntimeError("Virtuoso is not installed: apt-get install virtuoso-opensource")
    db = work / "virtuoso"
    shutil.rmtree(db, ignore_errors=True)
    db.mkdir(parents=True)
    sql_port, http_port = free_port(), free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(db=db, data=out.resolve(), sql_port=sql_port, http_port=http_port)
    )
    started = time.monotonic()
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", ini],
        cwd=db,
        stdout=subprocess.DEVNULL,
        stderr=(work / "virtuoso-stderr.log").open("wb"),
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    wait_for(url, process, started, 300)
    loading = time.monotonic()
    statements = (
        f"ld_dir('{out.resolve()}', 'vnpolicy.nq', 'urn:x-vnpolicy:unused'); "
        "rdf_loader_run(); checkpoint;"
    )
    subprocess.run(
        [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={statements}"],
        check=True,
        capture_output=True,
        timeout=3600,
    )
    scale.load["virtuoso"] = time.monotonic() - loading
    return System("virtuoso", url, process, loading - started)


def start_rdflib_endpoint(out: Path, work: Path) -> System:
    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        [
            BIN / "rdflib-endpoint",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            out / "vnpolicy.nq",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(work / "rdflib-endpoint.log").open("wb"),
    )
    url = f"http://127.0.0.1:{port}/"
    system = System("rdflib-endpoint", url, process, wait_for(url, process, started, 1800))
    # It keeps computing a query its client gave up on, and answers nothing else meanwhile.
    system.restart = lambda: start_rdflib_endpoint(out, work)
    return system


#: One client for every query, keeping its connections open as a harvester or a SPARQL client
#: library would (``httpx.post`` makes a client, and its TLS context, per call: ~20 ms each).
_CLIENT = httpx.Client(trust_env=False, limits=httpx.Limits(max_connections=64))


def ask_query(system: System, query: QueryFile, timeout: float) -> tuple[float, int]:
    """Seconds for one query over HTTP (in the media type the query asks for), and the rows or
    triples of its answer (an ASK: 1 or 0; -1 on failure)."""
    started = time.perf_counter()
    try:
        response = _CLIENT.post(
            system.url,
            data={"query": query.text},
            headers={"Accept": query.accept},
            timeout=timeout,
        )
    except httpx.TimeoutException:
        return timeout, -1
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        return elapsed, -1
    return elapsed, queryset.count(response.content, response.headers["content-type"])


def run_catalogue(
    scale: Scale, systems: list[System], repeat: int, timeouts: dict[str, float]
) -> None:
    """Each query of both sets on every system in turn, ``repeat`` rounds, alternating the
    order of the systems from round to round."""
    for query in queryset.catalogue() + queryset.bench_set():
        times: dict[str, list[float]] = {s.name: [] for s in systems}
        for round_number in range(repeat):
            order = systems if round_number % 2 == 0 else systems[::-1]
            for system in order:
                if times[system.name] and times[system.name][-1] >= timeouts[system.name]:
                    continue  # it did not answer in time: do not wait again
                elapsed, rows = ask_query(system, query, timeouts[system.name])
                times[system.name].append(elapsed)
                if rows == -1 and elapsed >= timeouts[system.name] and system.restart:
                    print(f"  {system.name}: {query.name} timed out; restarting", file=sys.stderr)
                    system.process.kill()
                    system.process.wait(30)
                    fresh = system.restart()
                    system.process, system.url = fresh.process, fresh.url
                scale.rows.setdefault(query.name, {})[system.name] = rows
        scale.queries[query.name] = {
            name: {
                "p50_ms": 1000 * statistics.median(values),
                "p95_ms": 1000 * _p95(values),
                "runs": len(values),
            }
            for name, values in times.items()
        }
        if query.is_ask:
            scale.asks.append(query.name)
        answers = ", ".join(f"{n} {r}" for n, r in scale.rows[query.name].items())
        print(f"  {query.name}: {answers}", file=sys.stderr)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run_throughput(
    scale: Scale, systems: list[System], clients: list[int], seconds: float, fast: set[str]
) -> None:
    """The query mix (by GET, each in its own media type): the queries of both sets that the
    floor answers in well under a second."""
    queries = [q for q in queryset.catalogue() + queryset.bench_set() if q.name in fast]
    for level in clients:
        for system in systems:
            mix = [
                ("query", f"{system.url}?{httpx.QueryParams(query=q.text)}", {"Accept": q.accept})
                for q in queries
            ]
            # vnpolicy lets one client address hold all its workers but one: it is measured
            # again with each client on its own loopback address, as clients on different
            # machines would be.
            runs = [(system.name, False)]
            if system.name == "vnpolicy":
                runs.append((OWN_ADDRESSES, True))
            for name, own_addresses in runs:
                result = asyncio.run(run_level(mix, level, seconds, own_addresses))
                scale.throughput.setdefault(name, {})[level] = result.throughput
                if result.errors:
                    print(f"  {name}: {result.errors} errors at {level} clients", file=sys.stderr)


def run_harvester(scale: Scale, vnpolicy: System, samples: int) -> None:
    """Random resource URIs dereferenced as Turtle and as HTML (after the 303), from one of the
    vnpolicy systems."""
    uris = _documents(vnpolicy)
    rng = random.Random(57)
    for suffix in ("ttl", "html"):
        times = []
        with httpx.Client(timeout=60) as http:
            for _ in range(samples):
                path = rng.choice(uris).removeprefix(BASE)
                started = time.perf_counter()
                response = http.get(f"{vnpolicy.root}/{path}.{suffix}")
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, (path, response.status_code)
        scale.harvester.setdefault(vnpolicy.name, {})[suffix] = {
            "p50_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * _p95(times),
        }


def run_exports(scale: Scale, vnpolicy: System) -> None:
    for extension in ("graphml", "gexf", "cyjs", "d3.json", "dot", "nodes.csv", "edges.csv"):
        started = time.perf_counter()
        response = httpx.get(f"{vnpolicy.root}/export/documents.{extension}", timeout=600)
        scale.exports[extension] = time.perf_counter() - started
        assert response.status_code == 200, (extension, response.status_code)


def run_write(scale: Scale, vnpolicy: System, out: Path, repeat: int = 5) -> None:
    """A single-document write: PUT one generated document's graph back, changed (its title)."""
    documents = sorted((out / "documents").glob("*.ttl"))
    document = next(p for p in documents if "100001" in p.name)
    text = document.read_text(encoding="utf-8")
    graph = _graph_of(text)
    times = []
    for number in range(repeat):
        body = text.replace("(synthetic)", f"(synthetic, edit {number})")
        started = time.perf_counter()
        response = httpx.put(
            f"{vnpolicy.root}/store",
            params={"graph": graph},
            content=body,
            headers={"Content-Type": "text/turtle", "Authorization": "Bearer bench-token"},
            timeout=120,
        )
        times.append(time.perf_counter() - started)
        assert response.status_code == 204, response.text[:500]
    scale.write = {"p50_ms": 1000 * statistics.median(times), "max_ms": 1000 * max(times)}


def _graph_of(turtle: str) -> str:
    """The named graph of the document a Turtle file describes."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    graph = Graph().parse(data=turtle, format="turtle")
    document = next(graph.subjects(RDF.type, URIRef(f"{BASE}ontology#Document")))
    return f"{BASE}graph/{str(document).removeprefix(BASE)}"


def measure(documents: int, arguments: argparse.Namespace) -> Scale:
    scale = Scale(documents)
    work = arguments.work / str(documents)
    sources, out = work / "sources", work / "out"
    if arguments.reuse and (out / "vnpolicy.nq").exists():
        print(f"[{documents}] reusing the build in {out}", file=sys.stderr)
        scale.triples = _lines(out / "vnpolicy.nq")
    else:
        generate(documents, sources, arguments.seed)
        print(f"[{documents}] building", file=sys.stderr)
        build(scale, sources, out)
    systems: list[System] = []
    try:
        print(f"[{documents}] starting servers", file=sys.stderr)
        systems.append(start_vnpolicy(sources, out, work))
        systems.append(start_oxigraph_memory(out, work, scale))
        systems.append(start_oxigraph(out, work, scale))
        if "vnpolicy-external" in arguments.systems:
            systems.append(start_vnpolicy_external(systems[2], work))
        if "vnpolicy-disk" in arguments.systems:
            systems.append(start_vnpolicy(sources, out, work, on_disk=True))
        if "virtuoso" in arguments.systems:
            systems.append(start_virtuoso(out, work, scale))
        if "rdflib-endpoint" in arguments.systems and scale.triples <= arguments.rdflib_max:
            systems.append(start_rdflib_endpoint(out, work))
        for system in systems:
            scale.cold_start[system.name] = system.cold_start_s
        timeouts = {
            s.name: (arguments.rdflib_timeout if s.name == "rdflib-endpoint" else 120.0)
            for s in systems
        }
        print(f"[{documents}] queries", file=sys.stderr)
        scale.load_average["queries"] = os.getloadavg()[0]
        run_catalogue(scale, systems, arguments.repeat, timeouts)
        fast = {q for q, by in scale.queries.items() if by[FLOOR]["p50_ms"] < 1000}
        print(f"[{documents}] throughput", file=sys.stderr)
        scale.load_average["throughput"] = os.getloadavg()[0]
        run_throughput(
            scale,
            [s for s in systems if s.name != "rdflib-endpoint"],
            arguments.clients,
            arguments.seconds,
            fast,
        )
        vnpolicy = systems[0]
        print(f"[{documents}] harvester, exports, write", file=sys.stderr)
        for system in systems:
            if system.name.startswith("vnpolicy"):
                run_harvester(scale, system, arguments.samples)
        run_exports(scale, vnpolicy)
        run_write(scale, vnpolicy, out)
        for system in systems:
            scale.rss_mib[system.name] = rss_mib(system.process.pid)
        main = server_memory(vnpolicy.process.pid)
        scale.main_rss_mib = main.main.rss if main else 0.0
    finally:
        for system in systems:
            system.process.terminate()
            system.process.wait(30)
    if arguments.attacks:
        print(f"[{documents}] attack mix (default limits)", file=sys.stderr)
        scale.load_average["attacks"] = os.getloadavg()[0]
        defended = start_vnpolicy(sources, out, work, limits=False)
        try:
            document = _documents(defended)[0].removeprefix(BASE)
            report = run_attacks(defended.root, defended.process.pid, f"/{document}.ttl")
            scale.attacks = asdict(report)
            print("\n".join(report.lines()), file=sys.stderr)
        except (RuntimeError, httpx.HTTPError) as error:  # the other phases' results are kept
            scale.attacks = {"error": f"{type(error).__name__}: {error}"}
            print(f"  the attack mix failed: {error}", file=sys.stderr)
        finally:
            defended.process.terminate()
            defended.process.wait(30)
    return scale


def _documents(vnpolicy: System) -> list[str]:
    """Every document's URI, in the store's order."""
    rows = _CLIENT.post(
        vnpolicy.url,
        data={"query": DOCUMENTS + " LIMIT 100000"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=120,
    ).json()
    return [b["d"]["value"] for b in rows["results"]["bindings"]]


def arguments_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, nargs="+", default=[1000])
    parser.add_argument("--seed", type=int, default=57)
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument(
        "--systems",
        nargs="+",
        default=["vnpolicy", "oxigraph", "vnpolicy-external", "virtuoso", "rdflib-endpoint"],
        choices=[
            "vnpolicy",
            FLOOR,
            "oxigraph",
            "vnpolicy-external",
            "vnpolicy-disk",
            "virtuoso",
            "rdflib-endpoint",
        ],
        help=f"vnpolicy, {FLOOR} (the floor: Oxigraph server in memory) and oxigraph (Oxigraph "
        "server on a RocksDB copy) always run; add vnpolicy-external, vnpolicy-disk (on a "
        "RocksDB store, --store), virtuoso, rdflib-endpoint",
    )
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument(
        "--rdflib-max",
        type=int,
        default=300_000,
        help="skip rdflib-endpoint above this many quads (it loads them into Python objects)",
    )
    parser.add_argument("--work", type=Path, default=HERE / "data")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the corpus and build of an earlier run in --work when there is one (its "
        "build is not timed again)",
    )
    parser.add_argument(
        "--no-attacks",
        dest="attacks",
        action="store_false",
        help="skip the attack mix (a server with the default limits; bench/attacks.py)",
    )
    return parser


def main() -> None:
    parser = arguments_parser()
    arguments = parser.parse_args()
    scales = [measure(n, arguments) for n in arguments.documents]
    print(table(scales))
    if arguments.json:
        arguments.json.write_text(json.dumps([s.__dict__ for s in scales], indent=2))


if __name__ == "__main__":
    main()
