"""Writes under faults, against a real server: without the token nothing changes; concurrent
writers of one document leave one of their versions, never a mix, and readers never see half of
one; a server killed (SIGKILL) at random points of a loop of writes to an on-disk store restarts
with every document graph wholly old or wholly new."""

import itertools
import random
import shutil
import signal
import threading
import time
from functools import partial
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from tests.utils.corpus import DISPATCH, DISPATCH_GRAPH
from tests.utils.paths import DOCUMENT_COUNT
from tests.utils.processes import query_workers, running
from tests.utils.rdf import response_graph
from tests.utils.servers import AUTH, WRITE_TOKEN, LiveServer, start_server, stop_server
from tests.utils.sparql import count, select
from tests.utils.waiting import PATIENCE, wait_until

TURTLE = {"Content-Type": "text/turtle"}


def _read(server: LiveServer, through_workers: bool = False) -> Graph:
    """The dispatch's graph, from the main process's store or from a query worker's."""
    if through_workers:
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{DISPATCH_GRAPH}> {{ ?s ?p ?o }} }}"
        return response_graph(
            server.http.get(
                "/sparql", params={"query": query}, headers={"Accept": "application/n-triples"}
            )
        )
    return response_graph(server.http.get("/store", params={"graph": DISPATCH_GRAPH}))


def _versions(server: LiveServer) -> tuple[Graph, Graph]:
    """The published graph (A) and a version with every English literal of the dispatch and its
    provisions changed (B), so that a mix of the two would show."""
    old = _read(server)
    new = Graph()
    for subject, predicate, value in old:
        own = str(subject).startswith(DISPATCH)
        if own and isinstance(value, Literal) and value.language == "en":
            value = Literal(f"{value} (revised)", lang="en")
        new.add((subject, predicate, value))
    assert len(new) == len(old)
    assert len(new - old) > 10, "the two versions differ in many statements"
    return old, new


def _put(server: LiveServer, graph: Graph, headers: dict[str, str] | None = None) -> int:
    response = server.http.put(
        "/store",
        params={"graph": DISPATCH_GRAPH},
        content=graph.serialize(format="turtle").encode(),
        headers={**TURTLE, **(AUTH if headers is None else headers)},
    )
    return response.status_code


def _which(graph: Graph, versions: tuple[Graph, Graph]) -> str:
    if isomorphic(graph, versions[0]):
        return "old"
    if isomorphic(graph, versions[1]):
        return "new"
    return "mixed"


def _more_than(seen: list[str], reads: int) -> bool:
    return len(seen) > reads


def _every_write(server: LiveServer, headers: dict[str, str]) -> list[httpx.Response]:
    body = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> ."
    nt = {"Content-Type": "application/n-triples", **headers}
    update = {"Content-Type": "application/sparql-update", **headers}
    form = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    client = server.http
    return [
        client.post("/update", content=b"CLEAR ALL", headers=update),
        client.post("/update", content=b"update=DROP%20ALL", headers=form),
        client.put("/store", params={"graph": DISPATCH_GRAPH}, content=body, headers=nt),
        client.post("/store", params={"graph": DISPATCH_GRAPH}, content=body, headers=nt),
        client.delete("/store", params={"graph": DISPATCH_GRAPH}, headers=headers),
        client.put("/store", params={"default": ""}, content=body, headers=nt),
        client.post("/store", content=body, headers=nt),
        client.put("/store/some/graph", content=body, headers=nt),
        client.post("/store/some/graph", content=body, headers=nt),
        client.delete("/store/some/graph", headers=headers),
    ]


def _dump(server: LiveServer) -> bytes:
    return server.http.get("/dumps/vnpolicy.nq").content


def test_every_write_path_is_refused_without_the_token(
    server: LiveServer, writable: LiveServer
) -> None:
    before = _dump(server)
    assert {r.status_code for r in _every_write(server, AUTH)} == {403}
    assert _dump(server) == before
    before = _dump(writable)
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {WRITE_TOKEN}"},
    ):
        answers = _every_write(writable, headers)
        assert {r.status_code for r in answers} == {401}
        assert all(r.headers["www-authenticate"].startswith("Bearer") for r in answers)
    assert _dump(writable) == before


def test_concurrent_writers_leave_one_version_and_readers_never_see_a_mix(
    writable: LiveServer,
) -> None:
    """Two writers put the two versions four times each; after each of its writes a writer
    waits for the reader to have read again, so reads interleave with the writes."""
    versions = _versions(writable)
    seen: list[str] = []
    statuses: list[int] = []
    done = threading.Event()

    def writer(version: Graph) -> None:
        for _ in range(4):
            statuses.append(_put(writable, version))
            wait_until(partial(_more_than, seen, len(seen)), "the reader to read again")

    def reader() -> None:
        for through_workers in itertools.cycle((False, True)):
            if done.is_set():
                return
            seen.append(_which(_read(writable, through_workers), versions))

    threads = [threading.Thread(target=writer, args=(version,)) for version in versions]
    watching = threading.Thread(target=reader)
    watching.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    watching.join()
    assert statuses == [204] * 8
    assert len(seen) >= 8
    assert "mixed" not in seen
    assert _which(_read(writable), versions) in ("old", "new")
    assert _which(_read(writable, through_workers=True), versions) in ("old", "new")
    assert _put(writable, versions[0]) == 204


BULK = "http://example.org/bulk"
BULK_SIZE = 20_000
#: Time limit of the killed server's queries and writes: generous, so that a loaded machine
#: working out a 20,000-triple write (5-10 s there) is never stopped by it, only by the kills
#: (and below the clients' patience, so that a stopped write is answered, not abandoned).
KILL_TEST_LIMIT = "90"


def _bulk(version: str) -> bytes:
    """A graph large enough that applying it takes a while: a kill lands inside often."""
    return "".join(
        f'<http://example.org/item/{i}> <http://example.org/value> "{version}{i}" .\n'
        for i in range(BULK_SIZE)
    ).encode()


def _bulk_state(server: LiveServer) -> str:
    query = (
        "SELECT (SUM(IF(STRSTARTS(?v, 'a'), 1, 0)) AS ?a) (SUM(IF(STRSTARTS(?v, 'b'), 1, 0)) AS ?b)"
        f" WHERE {{ GRAPH <{BULK}> {{ ?s ?p ?v }} }}"
    )
    [row] = select(server.http, query)
    counts = (int(row["a"]), int(row["b"]))
    return {(BULK_SIZE, 0): "old", (0, BULK_SIZE): "new"}.get(counts, f"mixed {counts}")


def _all_gone(pids: set[int]) -> bool:
    return not any(running(pid) for pid in pids)


def _write_until_stopped(server: LiveServer, versions: tuple[bytes, bytes]) -> threading.Event:
    """Write the two versions in turn from a thread until the returned event is set or the
    server goes away."""
    stop = threading.Event()
    nt = {"Content-Type": "application/n-triples", **AUTH}

    def loop() -> None:
        with httpx.Client(base_url=server.url, timeout=PATIENCE) as client:
            for body in itertools.cycle(versions[::-1]):
                if stop.is_set():
                    return
                try:
                    client.put("/store", params={"graph": BULK}, content=body, headers=nt)
                except httpx.TransportError:
                    return

    threading.Thread(target=loop, daemon=True).start()
    return stop


@pytest.mark.slow
def test_a_server_killed_during_writes_restarts_with_whole_graphs(
    built: Path, tmp_path: Path
) -> None:
    """SIGKILL during a loop of writes alternating two versions of a 20,000-triple graph — at a
    random moment, or just as a write starts to be applied (its journal appears) — and restart:
    the graph is one version or the other, in the store and in the query workers, and the
    dataset still holds all its documents."""
    shutil.copytree(built, tmp_path / "out")
    store = tmp_path / "store"
    journal = store / "vnpolicy-pending-write.json"
    env = {
        "VNPOLICY_WRITE_TOKEN": WRITE_TOKEN,
        "VNPOLICY_MAX_BODY": "4000000",
        "VNPOLICY_QUERY_TIMEOUT": KILL_TEST_LIMIT,
    }
    settings = (env, ("--store", str(store)))
    live = start_server(tmp_path / "out", tmp_path, *settings)
    versions = (_bulk("a"), _bulk("b"))
    chance = random.Random(57)
    outcomes: list[str] = []
    try:
        first = live.http.put(
            "/store",
            params={"graph": BULK},
            content=versions[0],
            headers={"Content-Type": "application/n-triples", **AUTH},
        )
        assert first.status_code == 201, first.text
        for kill in range(8):
            writing = _write_until_stopped(live, versions)
            if kill % 2 == 0:
                time.sleep(chance.uniform(0.3, 3))  # the fault: a kill at a random moment
            else:
                wait_until(journal.exists, "a write to start being applied", interval=0.001)
                time.sleep(chance.uniform(0, 0.05))  # the fault: a kill while it is applied
            workers = query_workers(live.process.pid)
            live.process.send_signal(signal.SIGKILL)
            live.process.wait(timeout=PATIENCE)
            assert len(workers) == 2
            wait_until(
                partial(_all_gone, workers), "the query workers to leave with their killed server"
            )
            writing.set()
            stop_server(live)
            live = start_server(tmp_path / "out", tmp_path, *settings)
            outcomes.append(_bulk_state(live))
            assert count(live.http, "SELECT ?d WHERE { ?d a vnp:Document }") == DOCUMENT_COUNT
    finally:
        stop_server(live)
    replayed = sum(
        log.read_text(errors="replace").count("finished a write that was interrupted")
        for log in tmp_path.glob("vnpolicy-*.log")
    )
    print(f"8 kills, {replayed} interrupted writes finished; {outcomes}")
    assert all(outcome in ("old", "new") for outcome in outcomes), outcomes
    assert replayed >= 1, "no kill landed while a write was being applied"
