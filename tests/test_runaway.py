"""Runaway work is stopped at the time limit — the work itself, not only the wait — while other
clients' simple queries keep their normal latency: cartesian products, unbounded property paths,
a huge ORDER BY, nested subqueries, and an update whose WHERE is a cartesian product."""

import concurrent.futures
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import LiveServer, serving_copy

TOKEN = "runaway-test-token"
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
    """A server with a 1 s limit and three query workers."""
    folder = tmp_path_factory.mktemp("runaway")
    env = {
        "VNPOLICY_QUERY_TIMEOUT": "1",
        "VNPOLICY_QUERY_WORKERS": "3",
        "VNPOLICY_WRITE_TOKEN": TOKEN,
    }
    with serving_copy(built, folder, env) as live:
        yield live


def _stopped_while_others_answer(
    server: LiveServer, send: "concurrent.futures.Future[httpx.Response]", started: float
) -> list[float]:
    """The latencies of simple queries sent while ``send`` runs."""
    quick: list[float] = []
    with httpx.Client(timeout=30) as client:
        time.sleep(0.2)
        while not send.done() or len(quick) < 5:
            began = time.monotonic()
            answer = client.get(f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert answer.status_code == 200
            quick.append(time.monotonic() - began)
            if time.monotonic() - started > 20:
                break
    return quick


@pytest.mark.parametrize("query", RUNAWAY_QUERIES.values(), ids=RUNAWAY_QUERIES.keys())
def test_a_runaway_query_is_stopped_and_others_keep_answering(
    limited: LiveServer, query: str
) -> None:
    time.sleep(2.5)  # the worker stopped by the previous case is being replaced
    with concurrent.futures.ThreadPoolExecutor(1) as executor:
        started = time.monotonic()
        pending = executor.submit(
            httpx.get, f"{limited.url}/sparql", params={"query": query}, timeout=30
        )
        quick = _stopped_while_others_answer(limited, pending, started)
        stopped = pending.result()
        elapsed = time.monotonic() - started
    assert stopped.status_code == 503, stopped.text
    assert "stopped after the 1 s limit" in stopped.text
    assert elapsed < 5
    assert max(quick) < 1.0, quick


def test_a_runaway_update_is_stopped_and_changes_nothing(limited: LiveServer) -> None:
    time.sleep(2.5)
    before = httpx.get(f"{limited.url}/dumps/vnpolicy.nq", timeout=30).content
    with concurrent.futures.ThreadPoolExecutor(1) as executor:
        started = time.monotonic()
        pending = executor.submit(
            httpx.post,
            f"{limited.url}/update",
            content=RUNAWAY_UPDATE.encode(),
            headers={
                "Content-Type": "application/sparql-update",
                "Authorization": f"Bearer {TOKEN}",
            },
            timeout=30,
        )
        quick = _stopped_while_others_answer(limited, pending, started)
        stopped = pending.result()
    assert stopped.status_code == 503, stopped.text
    assert "nothing was changed" in stopped.text
    assert max(quick) < 1.0, quick
    assert httpx.get(f"{limited.url}/dumps/vnpolicy.nq", timeout=30).content == before
