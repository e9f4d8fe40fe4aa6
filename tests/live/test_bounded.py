"""The server process does only bounded work: each attack of issue 17, at a size that runs in
seconds, against a real server — answers past the row and byte caps, a worker past its memory,
clients that hang up, a client holding every worker, a queue longer than the time limit, deep
uploads, queries that crash parsers — while cheap requests go on being answered, the server
process stays small and nothing changes."""

import json
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.utils.paths import DOCUMENT_COUNT
from tests.utils.processes import query_workers, rss_mib
from tests.utils.servers import AUTH, WRITE_TOKEN, LiveServer, serving_copy
from tests.utils.waiting import PATIENCE, wait_until

#: All the rows of the data (7,000-odd) twice over: far past a cap of 100.
MANY = "SELECT ?s ?o WHERE { ?s ?p ?o }"
#: Runs until stopped: the data three times over with itself.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Sorts the data with itself: memory grows fast.
HUNGRY = "SELECT ?c WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
ASK = {"query": "ASK { ?s ?p ?o }"}
DIRECT = {"Content-Type": "application/sparql-query"}
#: A page of the server process's own (a viewpoint's description: within every cap here).
PAGE = "/eli/vn/tw/nq/2024/57/section/1/viewpoint/1.ttl"
#: Headers that make a request another client's (the servers here trust X-Forwarded-For).
_FROM = {address: {"X-Forwarded-For": address} for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3")}
#: What the server process may grow by during an attack.
GROWTH_MIB = 64


def _server(built: Path, folder: Path, **settings: str) -> Iterator[LiveServer]:
    env = {f"VNPOLICY_{name.upper()}": value for name, value in settings.items()}
    with serving_copy(built, folder, env) as live:
        yield live


@pytest.fixture(scope="module")
def capped(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Caps small enough for the corpus to pass them: 100 rows, 20,000 bytes, 64 MiB a worker."""
    yield from _server(
        built,
        tmp_path_factory.mktemp("capped"),
        max_rows="100",
        max_result_bytes="20000",
        worker_memory="64",
        write_token=WRITE_TOKEN,
    )


@pytest.fixture(scope="module")
def rows_capped(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """At most 100 rows (and the default byte cap)."""
    yield from _server(built, tmp_path_factory.mktemp("rows"), max_rows="100")


@pytest.fixture(scope="module")
def patient(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Two workers, an hour's time limit, and proxy headers trusted (so that tests can speak as
    several clients: X-Forwarded-For)."""
    yield from _server(
        built, tmp_path_factory.mktemp("patient"), query_timeout="3600", trust_proxy="1"
    )


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_more_rows_than_the_cap_is_a_413_in_every_format(
    rows_capped: LiveServer, accept: str
) -> None:
    server = rows_capped
    refused = server.http.get("/sparql", params={"query": MANY}, headers={"Accept": accept})
    assert refused.status_code == 413, refused.text
    assert "more than 100 results" in refused.text
    limited = server.http.get(
        "/sparql", params={"query": MANY + " LIMIT 40"}, headers={"Accept": accept}
    )
    assert limited.status_code == 200
    exactly = server.http.get(
        "/sparql",
        params={"query": "SELECT ?s WHERE { ?s a vnp:Document } ORDER BY ?s LIMIT 100 OFFSET 0"},
        headers={"Accept": "text/tab-separated-values"},
    )
    # the header and 100 documents: as many rows as the cap is not more than it
    assert len(exactly.text.splitlines()) == 1 + min(100, DOCUMENT_COUNT)


def test_more_triples_than_the_cap_is_a_413(capped: LiveServer) -> None:
    refused = capped.http.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/turtle"},
    )
    assert refused.status_code == 413
    assert "more than 100 results" in refused.text


def test_an_answer_larger_than_the_byte_cap_is_a_413_never_a_cut(capped: LiveServer) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 100"  # within the rows, past 20,000 bytes
    refused = capped.http.get("/sparql", params={"query": query})
    assert refused.status_code == 413
    assert "larger than the 20,000 bytes allowed" in refused.text
    problem = capped.http.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/json"}
    )
    assert problem.json()["status"] == 413


def test_a_worker_past_its_memory_is_stopped_and_replaced(capped: LiveServer) -> None:
    capped.wait_for_whole_pool()
    before = query_workers(capped.process.pid)
    server_before = rss_mib(capped.process.pid)
    stopped = capped.http.get("/sparql", params={"query": HUNGRY})
    assert stopped.status_code == 503, stopped.text
    assert "used more than the 64 MiB a worker may use" in stopped.text
    capped.wait_for_whole_pool()
    after = query_workers(capped.process.pid)
    assert len(after - before) == 1  # one new worker for the one stopped
    assert rss_mib(capped.process.pid) - server_before < GROWTH_MIB
    assert capped.http.get("/sparql", params=ASK).json()["boolean"] is True


def test_a_client_that_hangs_up_frees_its_worker(patient: LiveServer) -> None:
    """Runaway queries whose clients give up after a moment are stopped then (an hour's limit
    would otherwise hold both workers): the next query is answered, by new workers."""
    patient.wait_for_whole_pool()
    before = query_workers(patient.process.pid)
    for _ in range(4):
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(f"{patient.url}/sparql", params={"query": RUNAWAY}, timeout=0.5)
    answer = patient.http.get("/sparql", params=ASK)
    assert answer.json()["boolean"] is True
    patient.wait_for_whole_pool()
    assert not query_workers(patient.process.pid) & before  # every runaway's worker replaced


def test_one_client_cannot_hold_every_worker(patient: LiveServer) -> None:
    """One client's runaways take at most all workers but one; another client is answered."""
    patient.wait_for_whole_pool()
    greedy = {"X-Forwarded-For": "10.0.0.1"}
    with ThreadPoolExecutor(2) as executor:
        clients = [httpx.Client(base_url=patient.url, timeout=PATIENCE) for _ in range(2)]
        pending: list[Future[httpx.Response]] = [
            executor.submit(client.get, "/sparql", params={"query": RUNAWAY}, headers=greedy)
            for client in clients
        ]
        wait_until(lambda: patient.health()["workers"]["busy"] >= 1, "a runaway to start")
        other = patient.http.get("/sparql", params=ASK, headers={"X-Forwarded-For": "10.0.0.2"})
        assert other.json()["boolean"] is True
        assert not any(future.done() for future in pending)
        for client in clients:
            client.close()  # the greedy client hangs up: its runaways are stopped
        for future in pending:
            with pytest.raises(httpx.HTTPError):
                future.result()
    patient.wait_for_whole_pool()


def test_a_request_waits_for_a_worker_at_most_the_time_limit(built: Path, tmp_path: Path) -> None:
    """One worker, a 3 s limit: a runaway holds it, a second one waits and then holds it too;
    a query queued behind them gets a 503 with Retry-After when its wait reaches the limit."""
    with (
        serving_copy(
            built,
            tmp_path,
            {
                "VNPOLICY_QUERY_WORKERS": "1",
                "VNPOLICY_QUERY_TIMEOUT": "3",
                "VNPOLICY_TRUST_PROXY": "1",
            },
        ) as live,
        ThreadPoolExecutor(2) as executor,
    ):
        first = executor.submit(
            live.http.get,
            "/sparql",
            params={"query": RUNAWAY},
            headers={"X-Forwarded-For": "10.0.0.1"},
        )
        wait_until(lambda: live.health()["workers"]["busy"] == 1, "the first runaway to start")
        second = executor.submit(
            httpx.get,
            f"{live.url}/sparql",
            params={"query": RUNAWAY},
            headers={"X-Forwarded-For": "10.0.0.2"},
            timeout=PATIENCE,
        )
        wait_until(lambda: live.health()["workers"]["waiting"] == 1, "the second to be queued")
        queued = httpx.get(
            f"{live.url}/sparql",
            params=ASK,
            headers={"X-Forwarded-For": "10.0.0.3"},
            timeout=PATIENCE,
        )
        assert queued.status_code == 503, queued.text
        assert queued.headers["retry-after"] == "3"
        assert "stayed busy" in queued.text
        assert first.result().status_code == 503
        assert second.result().status_code in (503,)


def test_an_upload_nested_deep_is_refused_before_it_is_parsed(capped: LiveServer) -> None:
    deep = b"[" * 10_000 + b"]" * 10_000
    response = capped.http.put(
        "/store",
        params={"graph": "http://example.org/deep"},
        content=deep,
        headers={"Content-Type": "application/ld+json", **AUTH},
    )
    assert response.status_code == 400, response.text
    assert "nests objects or arrays more than 100 levels deep" in response.text


UNIONS = "SELECT * WHERE { " + " UNION ".join(f"{{ ?s ?p {i} }}" for i in range(10_000)) + " }"
OPTIONALS = "SELECT * WHERE { ?s ?p ?o " + " ".join(
    f"OPTIONAL {{ ?s ?p ?o{i} }}" for i in range(300)
)
ADDITIONS = "SELECT (" + " + ".join(["1"] * 10_000) + " AS ?x) WHERE {}"


@pytest.mark.parametrize(
    ("query", "construct"),
    [
        (UNIONS, "9999 UNIONs"),
        (OPTIONALS + " }", "300 OPTIONALs and MINUSes"),
        (ADDITIONS, "9999 operators"),
    ],
    ids=["10k UNION branches", "300 OPTIONALs", "10k additions"],
)
def test_a_query_that_would_crash_or_stall_the_parser_is_refused(
    capped: LiveServer, query: str, construct: str
) -> None:
    capped.wait_for_whole_pool()
    before = query_workers(capped.process.pid)
    response = capped.http.post("/sparql", data={"query": query})
    assert response.status_code == 400, response.text
    assert construct in response.text
    assert query_workers(capped.process.pid) == before  # no worker died or was replaced


def test_the_server_stays_small_through_the_attacks(capped: LiveServer) -> None:
    """The attacks above, once more each, in a row: the server process grows less than
    ``GROWTH_MIB`` and the data is as it was."""
    dump = capped.http.get("/dumps/vnpolicy.nq").content
    grown_from = rss_mib(capped.process.pid)
    for _ in range(3):
        capped.http.get("/sparql", params={"query": MANY})
        capped.http.get("/sparql", params={"query": HUNGRY})
        capped.http.post("/export", data={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "d3"})
        capped.wait_for_whole_pool()
    assert rss_mib(capped.process.pid) - grown_from < GROWTH_MIB
    assert capped.http.get("/dumps/vnpolicy.nq").content == dump
    assert json.loads(capped.http.get("/health").text)["status"] == "ok"


def _pages_answer_while(server: LiveServer, pending: "list[Future[httpx.Response]]") -> int:
    """Pages fetched (each 200) while every one of ``pending`` is still unanswered."""
    answered = 0
    while not any(future.done() for future in pending):
        page = server.http.get(PAGE)
        assert page.status_code == 200
        answered += not any(future.done() for future in pending)
    return answered


def test_megabyte_queries_are_read_by_workers_while_pages_go_on(patient: LiveServer) -> None:
    """Four 1 MB queries (a long comment, then a runaway) are scanned and parsed by workers; the
    server process goes on answering pages meanwhile."""
    patient.wait_for_whole_pool()
    padding = "# " + "x" * 900_000 + "\n"  # within the body limit (1,000,000 bytes)
    with ThreadPoolExecutor(4) as executor:
        clients = [httpx.Client(base_url=patient.url, timeout=PATIENCE) for _ in range(4)]
        pending = [
            executor.submit(
                client.post,
                "/sparql",
                content=(padding + RUNAWAY).encode(),
                headers={
                    "Content-Type": "application/sparql-query",
                    **_FROM[f"10.0.0.{n % 3 + 1}"],
                },
            )
            for n, client in enumerate(clients)
        ]
        wait_until(lambda: patient.health()["workers"]["busy"] == 2, "both workers to be busy")
        assert _pages_answer_while(patient, pending) >= 3
        for client in clients:
            client.close()  # hung up: the runaways are stopped
    patient.wait_for_whole_pool()


def test_a_huge_turtle_list_is_parsed_by_a_worker_and_refused(capped: LiveServer) -> None:
    """A 1 MB Turtle collection (a million triples) is parsed by a worker and refused past the
    row cap; the server process stays small."""
    grown_from = rss_mib(capped.process.pid)
    listed = b"<http://example.org/s> <http://example.org/p> (" + b" 1" * 450_000 + b" ) ."
    refused = capped.http.put(
        "/store",
        params={"graph": "http://example.org/list"},
        content=listed,
        headers={"Content-Type": "text/turtle", **AUTH},
    )
    assert refused.status_code == 413, refused.text
    assert "holds more than 100 triples" in refused.text
    assert rss_mib(capped.process.pid) - grown_from < GROWTH_MIB


def test_network_exports_are_made_by_workers(capped: LiveServer) -> None:
    """Custom exports of the whole data, several at once, are made by the workers (the server
    process computes no metric); a page is answered meanwhile."""
    grown_from = rss_mib(capped.process.pid)
    construct = {"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "graphml"}
    with ThreadPoolExecutor(3) as executor:
        pending = [executor.submit(capped.http.post, "/export", data=construct) for _ in range(3)]
        page = capped.http.get(PAGE)
        assert page.status_code == 200
        answers = [future.result() for future in pending]
    # Past the row cap of this server: refused by the worker, never cut.
    assert {answer.status_code for answer in answers} == {413}
    assert rss_mib(capped.process.pid) - grown_from < GROWTH_MIB
