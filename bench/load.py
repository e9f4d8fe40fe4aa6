"""A bounded load run against a real ``vnpolicy serve``: a mix of research queries, page and
Turtle dereferences and exports, at rising concurrency; prints throughput, p50/p99 latency and
errors per level, and the memory of the server (PSS of the main process and query workers)
before and after.

    uv run python bench/load.py                 # starts a server on a free port, 60 s in all
    uv run python bench/load.py --seconds 30 --clients 1 4 16 --json out/load.json
"""

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUERIES = sorted((ROOT / "graph" / "queries").glob("*.rq"))
EXPORTS = ["documents.gexf", "documents.cyjs", "policy-map.graphml", "policy-map.d3.json"]
DOCUMENTS = "SELECT ?d WHERE { ?d a vnp:Document } ORDER BY ?d"


@dataclass
class Level:
    clients: int
    requests: int
    errors: int
    throughput: float  # requests per second
    p50_ms: float
    p99_ms: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mib(pid: int) -> float:
    """Memory of a process and its children (the query workers), in MiB: the sum of their
    proportional set sizes (PSS), so that pages the forked workers share with the server
    copy-on-write are counted once, not once per process as a sum of RSS would."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    total = 0
    for each in pids:
        try:
            lines = Path(f"/proc/{each}/smaps_rollup").read_text().splitlines()
        except (FileNotFoundError, ProcessLookupError):
            continue  # a child that has exited (the build's, once it is done)
        total += sum(int(line.split()[1]) for line in lines if line.startswith("Pss:"))
    return total / 1024


def wait_until_whole(server: "subprocess.Popen[bytes]", base: str, seconds: float = 600) -> None:
    """Wait until the server answers with every query worker up (GET /health)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"vnpolicy serve exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=60).json()["status"] == "ok":
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"vnpolicy serve did not answer within {seconds:g} s")


def requests_mix(base: str, documents: list[str]) -> list[tuple[str, str, dict[str, str]]]:
    """(kind, URL, headers) of one round: each query, pages and Turtle of documents, exports."""
    mix = [
        ("query", f"{base}/sparql?{httpx.QueryParams(query=path.read_text())}", {})
        for path in QUERIES
    ]
    for uri in random.Random(57).sample(documents, min(10, len(documents))):
        path = uri.removeprefix("https://w3id.org/vnpolicy")
        mix.append(("page", f"{base}{path}.html", {}))
        mix.append(("turtle", f"{base}{path}", {"Accept": "text/turtle"}))
    mix += [("export", f"{base}/export/{name}", {}) for name in EXPORTS]
    return mix


async def run_level(
    mix: list[tuple[str, str, dict[str, str]]],
    clients: int,
    seconds: float,
    own_addresses: bool = False,
) -> Level:
    """``clients`` clients sending requests of ``mix`` in random order for ``seconds``; with
    ``own_addresses`` each client connects from its own loopback address (127.0.0.2, …), as
    clients on different machines would, instead of all from 127.0.0.1."""
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds

    async def client(number: int) -> None:
        nonlocal errors
        order = random.Random(number)
        transport = (
            httpx.AsyncHTTPTransport(local_address=f"127.0.0.{number + 2}")
            if own_addresses
            else None
        )
        async with httpx.AsyncClient(
            timeout=60, follow_redirects=True, transport=transport
        ) as http:
            while time.monotonic() < deadline:
                _, url, headers = order.choice(mix)
                began = time.monotonic()
                response = await http.get(url, headers=headers)
                latencies.append(time.monotonic() - began)
                if response.status_code != 200:
                    errors += 1

    started = time.monotonic()
    await asyncio.gather(*(client(number) for number in range(clients)))
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return Level(
        clients,
        len(ordered),
        errors,
        round(len(ordered) / elapsed, 1),
        round(statistics.median(ordered) * 1000, 1),
        round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="whole run (split by level)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args()
    port = free_port()
    env = {**os.environ, "VNPOLICY_PORT": str(port)}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "vnpolicy"), "serve"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_whole(server, base)
        answer = httpx.get(
            f"{base}/sparql", params={"query": DOCUMENTS}, headers={"Accept": "application/json"}
        ).json()
        documents = [row["d"]["value"] for row in answer["results"]["bindings"]]
        mix = requests_mix(base, documents)
        asyncio.run(run_level(mix, 2, 3))  # warm-up: caches, first exports
        before = rss_mib(server.pid)
        levels = [
            asyncio.run(run_level(mix, clients, options.seconds / len(options.clients)))
            for clients in options.clients
        ]
        after = rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{len(mix)} distinct requests: {len(QUERIES)} queries, pages, Turtle, exports")
    print(f"{'clients':>7} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}")
    for level in levels:
        print(
            f"{level.clients:>7} {level.requests:>8} {level.errors:>6} {level.throughput:>7} "
            f"{level.p50_ms:>7} {level.p99_ms:>7}"
        )
    print(f"server RSS (main + workers): {before:.0f} MiB before, {after:.0f} MiB after")
    if options.json:
        record = {"levels": [asdict(level) for level in levels], "rss_mib": [before, after]}
        options.json.write_text(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
