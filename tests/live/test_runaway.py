"""Runaway work is stopped at the time limit — the work itself, not only the wait: its worker
process is killed and replaced — while other clients' simple queries go on being answered:
cartesian products, unbounded property paths, a huge ORDER BY, nested subqueries, and an update
whose WHERE is a cartesian product. Each case starts once the server's query workers are whole
again (``GET /health``), so the cases do not depend on one another."""

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.utils.paths import DOCUMENT_COUNT
from tests.utils.processes import query_workers
from tests.utils.servers import AUTH, WRITE_TOKEN, LiveServer, serving_copy
from tests.utils.sparql import count
from tests.utils.waiting import PATIENCE, wait_until

LIMIT = 2
WORKERS = 3
#: Simple queries that must be answered while one runaway runs.
ANSWERED_MEANWHILE = 3
STOP_REASONS = (
    f"stopped after the {LIMIT} s limit",
    "MiB a worker may use (VNPOLICY_WORKER_MEMORY)",
)
RUNAWAY_QUERIES = {
    "cartesian product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "unbounded property path": "SELECT (COUNT(*) AS ?n) WHERE { ?a (!rdf:nil|^!rdf:nil)* ?b }",
    "huge ORDER BY": "SELECT ?c WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1",
    "nested subqueries": "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { { SELECT ?a ?d "
    "WHERE { ?a ?b ?c . ?d ?e ?f } } ?a ?x ?y } } ?g ?h ?i }",
}
RUNAWAY_UPDATE = (
    "INSERT { GRAPH <http://example.org/runaway> { ?a ?b ?i } } "
    "WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?i } }"
)


@pytest.fixture(scope="module")
def limited(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with a short time limit and three query workers."""
    env = {
        "VNPOLICY_QUERY_TIMEOUT": str(LIMIT),
        "VNPOLICY_QUERY_WORKERS": str(WORKERS),
        "VNPOLICY_WRITE_TOKEN": WRITE_TOKEN,
    }
    with serving_copy(built, tmp_path_factory.mktemp("runaway"), env) as live:
        yield live


def _taken_up(server: LiveServer, pending: "Future[httpx.Response]") -> bool:
    """Whether the runaway is answered already, or a worker is busy with it."""
    return pending.done() or server.health()["workers"]["busy"] >= 1


def _stopped_while_others_answer(
    server: LiveServer, send: Callable[[httpx.Client], httpx.Response]
) -> tuple[httpx.Response, int]:
    """Send a runaway from a thread and, once a worker runs it, simple queries from here until
    its answer comes: that answer, and how many simple queries were answered before it (each
    must be answered, 200)."""
    with (
        ThreadPoolExecutor(1) as executor,
        httpx.Client(base_url=server.url, timeout=PATIENCE) as runaway_client,
    ):
        pending = executor.submit(send, runaway_client)
        wait_until(lambda: _taken_up(server, pending), "a query worker to take the runaway")
        answered = 0
        while not pending.done():
            answer = server.http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert answer.status_code == 200, answer.text
            answered += not pending.done()
        return pending.result(), answered


def _the_killed_worker_is_replaced(server: LiveServer, before: set[int]) -> None:
    """The pool is whole again, with one new worker for the one killed; the server answers."""
    assert server.wait_for_whole_pool() == {
        "configured": WORKERS, "ready": WORKERS, "busy": 0, "replacing": 0, "waiting": 0
    }  # fmt: skip
    after = query_workers(server.process.pid)
    assert len(after) == WORKERS
    assert len(after & before) == WORKERS - 1
    assert count(server.http, "SELECT ?d WHERE { ?d a vnp:Document }") == DOCUMENT_COUNT


@pytest.mark.parametrize("query", RUNAWAY_QUERIES.values(), ids=RUNAWAY_QUERIES.keys())
def test_a_runaway_query_is_stopped_and_others_keep_answering(
    limited: LiveServer, query: str
) -> None:
    limited.wait_for_whole_pool()
    before = query_workers(limited.process.pid)
    assert len(before) == WORKERS
    stopped, answered = _stopped_while_others_answer(
        limited, lambda client: client.get("/sparql", params={"query": query})
    )
    assert stopped.status_code == 503, stopped.text
    # which limit comes first depends on the machine: a fast one fills 2 GiB within 2 s
    assert any(reason in stopped.text for reason in STOP_REASONS), stopped.text
    assert answered >= ANSWERED_MEANWHILE
    _the_killed_worker_is_replaced(limited, before)


def test_a_runaway_update_is_stopped_and_changes_nothing(limited: LiveServer) -> None:
    limited.wait_for_whole_pool()
    before = query_workers(limited.process.pid)
    dump = limited.http.get("/dumps/vnpolicy.nq").content
    stopped, answered = _stopped_while_others_answer(
        limited,
        lambda client: client.post(
            "/update",
            content=RUNAWAY_UPDATE.encode(),
            headers={"Content-Type": "application/sparql-update", **AUTH},
        ),
    )
    assert stopped.status_code == 503, stopped.text
    assert "nothing was changed" in stopped.text
    assert answered >= ANSWERED_MEANWHILE
    _the_killed_worker_is_replaced(limited, before)
    assert limited.http.get("/dumps/vnpolicy.nq").content == dump
