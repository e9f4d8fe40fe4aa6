"""The attack mix of issue 17, sent to a real ``vnpolicy serve`` with its default limits, and
the memory of its main (HTTP) process before, during and after.

Each kind of attack is sent a few times, the cheap ones many times: runaway queries whose
clients hang up, runaways waited out to the time limit, 1 MB queries, uploads past the body
limit, JSON-LD nested 10,000 deep, a Turtle list of 450,000 items, answers past the row cap,
custom exports of everything, and up to 2,000 requests (for at most 90 s), each with its
own ``Host`` header. Meanwhile a
probe dereferences one document as Turtle every 100 ms and keeps its slowest answer. The
memory is the resident set (RSS) of the main process alone, not its template or its query
workers (bench/memory.py), read after a warm-up, after each kind, and once the pool is whole
again at the end.
"""

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
from memory import server_memory

AUTH = {"Authorization": "Bearer bench-token"}  # the write token bench/run.py gives vnpolicy
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
HUNGRY = "SELECT ?c WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
MANY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
EVERYTHING = "CONSTRUCT WHERE { ?s ?p ?o }"
HOST_PATHS = ["/sparql", "/.well-known/void", "/robots.txt", "/sitemap.xml"]
HOSTS_SECONDS = 90.0  #: the Host requests stop after this long (each is answered in turn)


@dataclass
class AttackReport:
    """What the attack mix did to the main process: its RSS (MiB) after each step, the status
    codes each kind of attack got, and the slowest probe answer (ms)."""

    main_rss_mib: dict[str, float] = field(default_factory=dict)
    statuses: dict[str, dict[str, int]] = field(default_factory=dict)
    #: the slowest probe answer during each step (ms)
    probe_max_ms: dict[str, float] = field(default_factory=dict)
    probes: int = 0
    step: str = "before"
    #: the slowest answer to a request with its own Host, per path (ms)
    host_slowest_ms: dict[str, float] = field(default_factory=dict)

    @property
    def growth_mib(self) -> float:
        return self.main_rss_mib["end"] - self.main_rss_mib["before"]

    def lines(self) -> list[str]:
        lines = [
            "| step | answers | main-process RSS after, MiB | slowest probe, ms |",
            "|---|---|---|---|",
        ]
        for step, mib in self.main_rss_mib.items():
            counts = self.statuses.get(step, {})
            answers = ", ".join(f"{n} x {status}" for status, n in sorted(counts.items()))
            slowest = f"{self.probe_max_ms[step]:.0f}" if step in self.probe_max_ms else ""
            lines.append(f"| {step} | {answers} | {mib:.0f} | {slowest} |")
        return [
            *lines,
            "",
            f"main process: {self.main_rss_mib['before']:.0f} MiB before,"
            f" {self.main_rss_mib['end']:.0f} MiB after (growth {self.growth_mib:+.0f} MiB);"
            f" probe (a Turtle dereference every 100 ms): {self.probes} answered,"
            f" slowest {max(self.probe_max_ms.values(), default=0):.0f} ms",
            "slowest answer to a request with its own Host: "
            + ", ".join(f"{path} {ms:.0f} ms" for path, ms in self.host_slowest_ms.items()),
        ]


def _send(
    request: Callable[[httpx.Client], httpx.Response], base: str, hang_up_after: float | None
) -> str:
    """One request on its own connection; the status, or ``hung up`` when the client gives
    up after ``hang_up_after`` seconds (the connection is closed)."""
    timeout = httpx.Timeout(hang_up_after or 120.0)
    with httpx.Client(base_url=base, timeout=timeout, trust_env=False) as client:
        try:
            return str(request(client).status_code)
        except httpx.TimeoutException:
            return "hung up"


def _many(
    request: Callable[[httpx.Client], httpx.Response],
    base: str,
    times: int,
    hang_up_after: float | None = None,
    parallel: int = 4,
) -> dict[str, int]:
    with ThreadPoolExecutor(parallel) as executor:
        return dict(
            Counter(executor.map(lambda _: _send(request, base, hang_up_after), range(times)))
        )


def _hosts(base: str, count: int, seconds: float, report: "AttackReport") -> dict[str, int]:
    """``count`` requests, each with its own ``Host``, over one connection, for at most
    ``seconds``; the slowest answer of each path goes to ``report``."""
    statuses: Counter[str] = Counter()
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=base, timeout=120, trust_env=False) as client:
        for number in range(count):
            if time.monotonic() > deadline:
                statuses["not sent (out of time)"] = count - number
                break
            path = HOST_PATHS[number % len(HOST_PATHS)]
            began = time.perf_counter()
            response = client.get(path, headers={"Host": f"h{number}.attacker.example"})
            took = 1000 * (time.perf_counter() - began)
            report.host_slowest_ms[path] = max(report.host_slowest_ms.get(path, 0.0), took)
            statuses[str(response.status_code)] += 1
    return dict(statuses)


def _attacks(base: str, report: "AttackReport") -> dict[str, Callable[[], dict[str, int]]]:
    padding = "# " + "x" * 900_000 + "\n"  # a 1 MB query: within the body limit (1,000,000)
    upload = b"<http://example.org/s> <http://example.org/p> " + b'"' + b"x" * 5_000_000 + b'" .'
    deep = b"[" * 10_000 + b"]" * 10_000
    listed = b"<http://example.org/s> <http://example.org/p> (" + b" 1" * 450_000 + b" ) ."

    def store(body: bytes, media_type: str) -> Callable[[httpx.Client], httpx.Response]:
        return lambda c: c.post(
            "/store", content=body, headers={"Content-Type": media_type, **AUTH}
        )

    return {
        "runaways, clients hang up after 0.5 s": lambda: _many(
            lambda c: c.get("/sparql", params={"query": RUNAWAY}), base, 12, 0.5
        ),
        "runaways (ORDER BY over a product) waited out": lambda: _many(
            lambda c: c.get("/sparql", params={"query": HUNGRY}), base, 2, parallel=2
        ),
        "1 MB queries, clients hang up after 1 s": lambda: _many(
            lambda c: c.post(
                "/sparql",
                content=(padding + RUNAWAY).encode(),
                headers={"Content-Type": "application/sparql-query"},
            ),
            base,
            4,
            1.0,
        ),
        "5 MB uploads": lambda: _many(store(upload, "application/n-triples"), base, 8),
        "JSON-LD nested 10,000 deep": lambda: _many(store(deep, "application/ld+json"), base, 4),
        "Turtle list of 450,000 items": lambda: _many(store(listed, "text/turtle"), base, 2),
        "answers past the row cap": lambda: _many(
            lambda c: c.get("/sparql", params={"query": MANY}), base, 4
        ),
        "custom exports of everything": lambda: _many(
            lambda c: c.post("/export", data={"query": EVERYTHING, "format": "d3"}), base, 2
        ),
        "2,000 distinct Host headers": lambda: _hosts(base, 2000, HOSTS_SECONDS, report),
    }


def _probe(base: str, path: str, stop: threading.Event, report: AttackReport) -> None:
    with httpx.Client(base_url=base, timeout=120, trust_env=False) as client:
        while not stop.is_set():
            began = time.perf_counter()
            client.get(path, headers={"Accept": "text/turtle"})
            took = 1000 * (time.perf_counter() - began)
            step = report.step
            report.probe_max_ms[step] = max(report.probe_max_ms.get(step, 0.0), took)
            report.probes += 1
            stop.wait(0.1)


def _whole(base: str, seconds: float = 300) -> None:
    """Wait until every query worker is up again (``GET /health``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if httpx.get(f"{base}/health", timeout=60).json()["status"] == "ok":
            return
        time.sleep(0.2)
    raise RuntimeError(f"{base}: the query workers did not come back within {seconds:g} s")


def _main_rss(pid: int) -> float:
    found = server_memory(pid)
    if found is None:
        raise RuntimeError(f"the server (process {pid}) has gone")
    return found.main.rss


def run_attacks(base: str, pid: int, document_path: str) -> AttackReport:
    """The attack mix against the server at ``base`` (main process ``pid``); ``document_path``
    is the local path of a document, for the probe."""
    report = AttackReport()
    with httpx.Client(base_url=base, timeout=120, trust_env=False) as client:
        for path in [*HOST_PATHS, "/", document_path, "/health"]:  # warm-up: caches, templates
            client.get(path)
        client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"})
    _whole(base)
    report.main_rss_mib["before"] = _main_rss(pid)
    stop = threading.Event()
    probe = threading.Thread(target=_probe, args=(base, document_path, stop, report))
    probe.start()
    try:
        for kind, attack in _attacks(base, report).items():
            report.step = kind
            try:
                report.statuses[kind] = attack()
            except httpx.HTTPError as error:  # recorded: one failed attack keeps the others
                report.statuses[kind] = {f"failed: {type(error).__name__}": 1}
            report.main_rss_mib[kind] = _main_rss(pid)
    finally:
        stop.set()
        probe.join()
    _whole(base)
    report.main_rss_mib["end"] = _main_rss(pid)
    return report
