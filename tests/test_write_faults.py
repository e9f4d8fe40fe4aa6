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
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from tests.conftest import LiveServer, serving_copy, start_server, stop_server

TOKEN = "fault-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BASE = "https://w3id.org/vnpolicy/"
DISPATCH = f"{BASE}eli/vn/bgddt/cv/2024/4324-cntt"
GRAPH = f"{BASE}graph/eli/vn/bgddt/cv/2024/4324-cntt"
TURTLE = {"Content-Type": "text/turtle"}


def _read(server: LiveServer, through_workers: bool = False) -> Graph:
    """The dispatch's graph, from the main process's store or from a query worker's."""
    if through_workers:
        response = httpx.get(
            f"{server.url}/sparql",
            params={
                "query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
            },
            headers={"Accept": "application/n-triples"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return Graph().parse(data=response.text, format="nt")
    response = httpx.get(f"{server.url}/store", params={"graph": GRAPH}, timeout=30)
    assert response.status_code == 200, response.text
    return Graph().parse(data=response.text, format="turtle")


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
    assert len(new - old) > 10
    return old, new


def _put(server: LiveServer, graph: Graph, headers: dict[str, str] | None = None) -> int:
    response = httpx.put(
        f"{server.url}/store",
        params={"graph": GRAPH},
        content=graph.serialize(format="turtle").encode(),
        headers={**TURTLE, **(AUTH if headers is None else headers)},
        timeout=60,
    )
    return response.status_code


def _which(graph: Graph, versions: tuple[Graph, Graph]) -> str:
    if isomorphic(graph, versions[0]):
        return "old"
    if isomorphic(graph, versions[1]):
        return "new"
    return "mixed"


@pytest.fixture(scope="module")
def writable(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("faults")
    with serving_copy(built, folder, {"VNPOLICY_WRITE_TOKEN": TOKEN}) as live:
        yield live


def _every_write(server: LiveServer, headers: dict[str, str]) -> list[httpx.Response]:
    body = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> ."
    nt = {"Content-Type": "application/n-triples", **headers}
    update = {"Content-Type": "application/sparql-update", **headers}
    form = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    url = server.url
    with httpx.Client(timeout=30) as client:
        return [
            client.post(f"{url}/update", content=b"CLEAR ALL", headers=update),
            client.post(f"{url}/update", content=b"update=DROP%20ALL", headers=form),
            client.put(f"{url}/store", params={"graph": GRAPH}, content=body, headers=nt),
            client.post(f"{url}/store", params={"graph": GRAPH}, content=body, headers=nt),
            client.delete(f"{url}/store", params={"graph": GRAPH}, headers=headers),
            client.put(f"{url}/store", params={"default": ""}, content=body, headers=nt),
            client.post(f"{url}/store", content=body, headers=nt),
            client.put(f"{url}/store/some/graph", content=body, headers=nt),
            client.post(f"{url}/store/some/graph", content=body, headers=nt),
            client.delete(f"{url}/store/some/graph", headers=headers),
        ]


def _dump(server: LiveServer) -> bytes:
    return httpx.get(f"{server.url}/dumps/vnpolicy.nq", timeout=30).content


def test_every_write_path_is_refused_without_the_token(
    server: LiveServer, writable: LiveServer
) -> None:
    before = _dump(server)
    assert {r.status_code for r in _every_write(server, AUTH)} == {403}
    assert _dump(server) == before
    before = _dump(writable)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        answers = _every_write(writable, headers)
        assert {r.status_code for r in answers} == {401}
        assert all(r.headers["www-authenticate"].startswith("Bearer") for r in answers)
    assert _dump(writable) == before


def test_concurrent_writers_leave_one_version_and_readers_never_see_a_mix(
    writable: LiveServer,
) -> None:
    versions = _versions(writable)
    seen: list[str] = []
    statuses: list[int] = []
    done = threading.Event()

    def writer(version: Graph) -> None:
        for _ in range(4):
            statuses.append(_put(writable, version))

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
    assert set(statuses) == {204}
    assert len(seen) > 10
    assert "mixed" not in seen
    assert _which(_read(writable), versions) in ("old", "new")
    assert _which(_read(writable, through_workers=True), versions) in ("old", "new")
    assert _put(writable, versions[0]) == 204


def _wait_for(path: Path, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return True
    return False


BULK = "http://example.org/bulk"
BULK_SIZE = 20_000


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
    row = httpx.get(
        f"{server.url}/sparql",
        params={"query": query},
        headers={"Accept": "application/json"},
        timeout=30,
    ).json()["results"]["bindings"][0]
    counts = (int(row["a"]["value"]), int(row["b"]["value"]))
    return {(BULK_SIZE, 0): "old", (0, BULK_SIZE): "new"}.get(counts, f"mixed {counts}")


def test_a_server_killed_during_writes_restarts_with_whole_graphs(
    built: Path, tmp_path: Path
) -> None:
    """SIGKILL during a loop of writes alternating two versions of a 20,000-triple graph — at a
    random moment, or just as a write starts to be applied (its journal appears) — and restart:
    the graph is one version or the other, in the store and in the query workers, and the
    dataset still holds its 63 documents."""
    shutil.copytree(built, tmp_path / "out")
    store = tmp_path / "store"
    env = {"VNPOLICY_WRITE_TOKEN": TOKEN, "VNPOLICY_MAX_BODY": "4000000"}
    settings = (env, ("--store", str(store)))
    process, live = start_server(tmp_path / "out", tmp_path, *settings)
    versions = (_bulk("a"), _bulk("b"))
    nt = {"Content-Type": "application/n-triples", **AUTH}
    chance = random.Random(57)
    outcomes: list[str] = []
    writes = 0
    try:
        first = httpx.put(
            f"{live.url}/store", params={"graph": BULK}, content=versions[0], headers=nt, timeout=60
        )
        assert first.status_code == 201, first.text
        for kill in range(8):
            stop = threading.Event()

            def loop(server: LiveServer = live, stop: threading.Event = stop) -> None:
                nonlocal writes
                for body in itertools.cycle(versions[::-1]):
                    if stop.is_set():
                        return
                    try:
                        httpx.put(
                            f"{server.url}/store",
                            params={"graph": BULK},
                            content=body,
                            headers=nt,
                            timeout=60,
                        )
                        writes += 1
                    except httpx.TransportError:
                        return

            writing = threading.Thread(target=loop)
            writing.start()
            if kill % 2 == 0:
                time.sleep(chance.uniform(0.3, 3))
            else:
                assert _wait_for(store / "vnpolicy-pending-write.json", 30)
                time.sleep(chance.uniform(0, 0.05))
            workers = _children(process.pid)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            assert workers
            assert _all_gone(workers, 15), "query workers outlived their killed server"
            stop.set()
            writing.join(timeout=60)
            process, live = start_server(tmp_path / "out", tmp_path, *settings)
            outcomes.append(_bulk_state(live))
            count = httpx.get(
                f"{live.url}/sparql",
                params={"query": "SELECT (COUNT(?d) AS ?n) WHERE { ?d a vnp:Document }"},
                headers={"Accept": "application/json"},
            ).json()["results"]["bindings"][0]["n"]["value"]
            assert count == "63"
    finally:
        stop_server(process)
    replayed = sum(
        log.read_text(errors="replace").count("finished a write that was interrupted")
        for log in tmp_path.glob("serve-*.log")
    )
    print(f"{writes} writes, 8 kills, {replayed} interrupted writes finished; {outcomes}")
    assert all(outcome in ("old", "new") for outcome in outcomes), outcomes
    assert replayed >= 1, "no kill landed while a write was being applied"


def _children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()]


def _running(pid: int) -> bool:
    """Whether a process is alive (an exited one waiting to be reaped by init is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _all_gone(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_running(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False
