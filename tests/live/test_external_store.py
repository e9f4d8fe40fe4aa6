"""vnpolicy over an external store: a real Oxigraph server (PyPI ``oxigraph``) started here, the
dataset loaded into it with ``vnpolicy publish``, and ``vnpolicy serve --sparql-endpoint`` in
front of it, compared with the embedded server on the same build."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pyoxigraph import Quad, RdfFormat, parse
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS
from SPARQLWrapper import JSON, SPARQLWrapper

from tests.utils.command import vnpolicy
from tests.utils.corpus import R57, R57_GRAPH, path
from tests.utils.paths import DOCUMENT_COUNT
from tests.utils.rdf import response_graph
from tests.utils.servers import (
    AUTH,
    WRITE_TOKEN,
    LiveServer,
    Program,
    free_port,
    running_server,
    start_program,
    stop,
)
from tests.utils.waiting import PATIENCE
from vnpolicy.graph.namespaces import VNP
from vnpolicy.graph.paths import NQUADS_DUMP, QUERIES_DIR

QUERIES = sorted(QUERIES_DIR.glob("*.rq"))
SPDX = Namespace("http://spdx.org/rdf/terms#")


@dataclass(frozen=True)
class Oxigraph:
    """Oxigraph's own server, started by ``oxigraph_server``."""

    program: Program

    @property
    def query(self) -> str:
        return f"{self.program.url}/query"

    @property
    def update(self) -> str:
        return f"{self.program.url}/update"

    @property
    def store(self) -> str:
        return f"{self.program.url}/store"

    def quads(self) -> set[Quad]:
        """Everything the store holds, read with its own Graph Store endpoint."""
        response = httpx.get(
            self.store, headers={"Accept": "application/n-quads"}, timeout=PATIENCE
        )
        response.raise_for_status()
        return set(parse(response.content, format=RdfFormat.N_QUADS))


@contextmanager
def oxigraph_server(folder: Path, union: bool = True) -> Iterator[Oxigraph]:
    """Oxigraph's server on a free port, in memory (with a union default graph, unless not)."""
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.fail("the oxigraph server is a dev dependency: run 'uv sync'")
    union_option = ["--union-default-graph"] if union else []
    program = start_program(
        lambda port: [binary, "serve", "--bind", f"127.0.0.1:{port}", "--timeout-s", "30",
                      *union_option],
        folder,
        "/query?query=ASK%7B%7D",
    )  # fmt: skip
    try:
        yield Oxigraph(program)
    finally:
        stop(program.process)


def publish(oxigraph: Oxigraph, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["vnpolicy", "publish", oxigraph.store, "--sparql-endpoint", oxigraph.query, *extra],
        env={**os.environ, "VNPOLICY_OUT": str(out)},
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=False,
    )


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as store:
        yield store


@pytest.fixture(scope="module")
def published(oxigraph: Oxigraph, built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("publish") / "out"
    shutil.copytree(built, out)
    done = publish(oxigraph, out)
    assert done.returncode == 0, done.stderr
    return out


def external_env(oxigraph: Oxigraph, **settings: str) -> dict[str, str]:
    return {"VNPOLICY_SPARQL_ENDPOINT": oxigraph.query, **settings}


@pytest.fixture(scope="module")
def external(
    oxigraph: Oxigraph, published: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """``vnpolicy serve --sparql-endpoint`` in front of the store, writes through its update
    endpoint. It is given an empty out folder: it holds no data of its own."""
    folder = tmp_path_factory.mktemp("external")
    env = external_env(oxigraph, VNPOLICY_WRITE_TOKEN=WRITE_TOKEN, VNPOLICY_MAX_ROWS="5000")
    args = ("--update-endpoint", oxigraph.update)
    with running_server(folder / "nothing", folder, env, args) as live:
        yield live


def test_publish_loads_every_graph_of_the_dataset(oxigraph: Oxigraph, published: Path) -> None:
    expected = set(parse(path=str(published / NQUADS_DUMP), format=RdfFormat.N_QUADS))
    assert oxigraph.quads() == expected


def test_publish_again_replaces_graphs_and_removes_those_gone(
    oxigraph: Oxigraph, published: Path, external: LiveServer, tmp_path: Path
) -> None:
    """A document dropped from the dataset is dropped from the store; publishing the full
    dataset again brings the store back to it exactly (each graph replaced, not added to)."""
    out = tmp_path / "out"
    shutil.copytree(published, out)
    lines = (out / NQUADS_DUMP).read_text(encoding="utf-8").splitlines(keepends=True)
    fewer = [line for line in lines if not line.rstrip().endswith(f"<{R57_GRAPH}> .")]
    assert len(fewer) < len(lines)
    (out / NQUADS_DUMP).write_text("".join(fewer), encoding="utf-8")
    try:
        done = publish(oxigraph, out)
        assert done.returncode == 0, done.stderr
        assert "removed 1 graphs" in done.stdout
        assert f"the store now holds {len(fewer)}" in done.stdout
        gone = external.http.get("/store", params={"graph": R57_GRAPH})
        assert gone.status_code == 404
    finally:
        done = publish(oxigraph, published)
    assert done.returncode == 0, done.stderr
    expected = set(parse(path=str(published / NQUADS_DUMP), format=RdfFormat.N_QUADS))
    assert oxigraph.quads() == expected


def test_publish_refuses_an_unreachable_store(published: Path) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    done = subprocess.run(
        ["vnpolicy", "publish", f"{nowhere}/store", "--sparql-endpoint", f"{nowhere}/query"],
        env={**os.environ, "VNPOLICY_OUT": str(published)},
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=False,
    )
    assert done.returncode == 2
    assert "could not be reached" in done.stderr


@pytest.mark.parametrize("query", QUERIES, ids=[query.stem for query in QUERIES])
def test_catalogue_answers_as_on_the_embedded_store(
    query: Path, server: LiveServer, external: LiveServer
) -> None:
    text = query.read_text(encoding="utf-8")
    answers = []
    for live in (server, external):
        response = live.http.post(
            "/sparql", data={"query": text}, headers={"Accept": "text/tab-separated-values"}
        )
        assert response.status_code == 200, response.text
        header, *rows = response.text.splitlines()
        answers.append((header, sorted(rows)))
    assert answers[0] == answers[1]


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".rdf"])
def test_resource_descriptions_equal_the_embedded_ones(
    suffix: str, server: LiveServer, external: LiveServer
) -> None:
    embedded, over_store = (
        response_graph(live.http.get(f"{path(R57)}{suffix}")) for live in (server, external)
    )
    assert (URIRef(R57), VNP.officialNumber, Literal("57-NQ/TW")) in embedded
    assert isomorphic(embedded, over_store)


def _void(live: LiveServer) -> Graph:
    """The server's VoID description, with its own URL (endpoint, dumps) written alike, without
    what differs by design: the embedded server states the size and checksum of its dump files
    and the releases its build keeps (a server over a store has no build), a server over a store
    when the store last changed."""
    answer = live.http.get("/.well-known/void", headers={"Accept": "text/turtle"})
    text = answer.text.replace(live.url, "http://server.test")
    graph = Graph().parse(data=text, format="turtle")
    for checksum in list(graph.objects(None, SPDX.checksum)):
        graph.remove((checksum, None, None))
    for predicate in (SPDX.checksum, DCAT.byteSize, DCTERMS.modified):
        graph.remove((None, predicate, None))
    releases = "http://server.test/releases"
    for subject in set(graph.subjects()):
        if str(subject).startswith(releases):
            graph.remove((subject, None, None))
    for version in ("hasVersion", "hasCurrentVersion"):  # DCAT 3 terms rdflib does not list
        graph.remove((None, URIRef(f"http://www.w3.org/ns/dcat#{version}"), None))
    return graph


def test_pages_exports_catalogue_and_dumps(server: LiveServer, external: LiveServer) -> None:
    page = external.http.get(f"{path(R57)}.html")
    assert page.status_code == 200
    assert "57-NQ/TW" in page.text
    assert external.http.get("/").status_code == 200
    sitemaps = [live.http.get("/sitemap.xml").text for live in (server, external)]
    assert sitemaps[1].replace(external.url, server.url) == sitemaps[0]
    for name in ("documents.graphml", "policy-map.d3.json"):
        mine, theirs = (live.http.get(f"/export/{name}") for live in (external, server))
        assert mine.status_code == 200
        for header in ("X-Network-Nodes", "X-Network-Edges"):
            assert mine.headers[header] == theirs.headers[header]
    assert isomorphic(_void(external), _void(server))
    dump = external.http.get(f"/dumps/{NQUADS_DUMP}")
    assert dump.status_code == 200
    served = set(parse(dump.content, format=RdfFormat.N_QUADS))
    assert served == set(parse(path=str(server.out / NQUADS_DUMP), format=RdfFormat.N_QUADS))


def test_sparql_clients_limits_and_errors(server: LiveServer, external: LiveServer) -> None:
    client = SPARQLWrapper(f"{external.url}/sparql")
    client.setQuery("SELECT (COUNT(?d) AS ?n) WHERE { ?d a vnp:Document }")
    client.setReturnFormat(JSON)
    answer = client.queryAndConvert()
    assert isinstance(answer, dict)
    assert answer["results"]["bindings"][0]["n"]["value"] == str(DOCUMENT_COUNT)
    bad = external.http.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert bad.status_code == 400
    assert "1:26" in bad.text  # the position in the query as sent, not as forwarded
    # More than VNPOLICY_MAX_ROWS (5,000) results: an error, never a cut.
    many = external.http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5001"})
    assert many.status_code == 413
    construct = f"CONSTRUCT {{ <{R57}> ?p ?o }} WHERE {{ <{R57}> ?p ?o }}"
    embedded, over_store = (
        response_graph(
            live.http.get("/sparql", params={"query": construct}, headers={"Accept": "text/turtle"})
        )
        for live in (server, external)
    )
    assert (URIRef(R57), VNP.officialNumber, Literal("57-NQ/TW")) in embedded
    assert isomorphic(over_store, embedded)
    description = external.http.get("/sparql")
    assert description.status_code == 200
    assert (
        URIRef(f"{external.url}/sparql"),
        URIRef("http://www.w3.org/ns/sparql-service-description#endpoint"),
        URIRef(f"{external.url}/sparql"),
    ) in response_graph(description)


def _r57_graph(live: LiveServer) -> str:
    response = live.http.get(
        "/store", params={"graph": R57_GRAPH}, headers={"Accept": "application/n-triples"}
    )
    assert response.status_code == 200
    return response.text


def _put(live: LiveServer, body: str) -> httpx.Response:
    return live.http.put(
        "/store",
        params={"graph": R57_GRAPH},
        content=body.encode("utf-8"),
        headers={"Content-Type": "application/n-triples", **AUTH},
    )


def test_validated_writes_reach_the_store_and_other_servers(
    oxigraph: Oxigraph, external: LiveServer, tmp_path: Path
) -> None:
    """A write through one server lands in the store (one update) and shows on a second server
    over the same store at once: the servers hold no data of their own."""
    before = oxigraph.quads()
    original = _r57_graph(external)
    renamed = original.replace('"Resolution 57-NQ/TW"@en', '"Resolution Fifty-Seven"@en')
    assert renamed != original
    env = external_env(oxigraph)
    with running_server(tmp_path / "nothing", tmp_path, env) as second:
        try:
            assert _put(external, renamed).status_code == 204
            assert "Resolution Fifty-Seven" in second.http.get(f"{path(R57)}.ttl").text
        finally:
            assert _put(external, original).status_code == 204
    assert oxigraph.quads() == before


def test_refused_writes_change_nothing(oxigraph: Oxigraph, external: LiveServer) -> None:
    before = oxigraph.quads()
    original = _r57_graph(external)
    later = original.replace('"2024-12-22"^^', '"2026-12-22"^^')
    assert later != original
    refused = _put(external, later)
    assert refused.status_code == 422
    assert "Relation-target-not-later" in refused.text
    update = external.http.post(
        "/update",
        data={"update": "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> } }"},
        headers=AUTH,
    )
    assert update.status_code == 405
    assert "Graph Store Protocol" in update.text
    assert oxigraph.quads() == before


def test_writes_through_the_graph_store_alone(
    oxigraph: Oxigraph, published: Path, external: LiveServer, tmp_path: Path
) -> None:
    """Without an update endpoint, a write is one Graph Store PUT per changed graph."""
    before = oxigraph.quads()
    env = external_env(
        oxigraph, VNPOLICY_WRITE_TOKEN=WRITE_TOKEN, VNPOLICY_GRAPH_STORE=oxigraph.store
    )
    original = _r57_graph(external)
    renamed = original.replace('"Resolution 57-NQ/TW"@en', '"Resolution Fifty-Seven"@en')
    with running_server(tmp_path / "nothing", tmp_path, env) as second:
        try:
            assert _put(second, renamed).status_code == 204
            assert "Resolution Fifty-Seven" in _r57_graph(external)
        finally:
            assert _put(second, original).status_code == 204
    assert oxigraph.quads() == before


def _serve(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["vnpolicy", "serve", *arguments],
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        check=False,
    )


def test_serve_refuses_a_store_without_union_default_graph(published: Path, tmp_path: Path) -> None:
    with oxigraph_server(tmp_path, union=False) as plain:
        assert publish(plain, published).returncode == 0
        done = _serve("--sparql-endpoint", plain.query, "--port", str(free_port()))
    assert done.returncode == 2
    assert "union" in done.stderr


def test_serve_refuses_an_unreachable_store() -> None:
    done = _serve("--sparql-endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert done.returncode == 2
    assert "could not be reached" in done.stderr


def test_serve_get_answers_from_the_external_store(
    oxigraph: Oxigraph, published: Path, tmp_path: Path
) -> None:
    """``serve --get`` with the external store's options starts the same application as
    ``serve``: the answer comes from the store, and nothing is built or written here."""
    query = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a vnp:Document }"
    done = vnpolicy(
        "serve", "--sparql-endpoint", oxigraph.query, "--get", f"/sparql?query={query}",
        "--accept", "text/csv", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["n", str(DOCUMENT_COUNT)]
    assert list(tmp_path.iterdir()) == []


def test_search_reads_the_index_written_beside_the_dumps(
    oxigraph: Oxigraph, published: Path, server: LiveServer, external: LiveServer, tmp_path: Path
) -> None:
    """Search over an external store reads the index from the out folder, as the embedded
    store does; without one it says how to make it."""
    missing = external.http.get("/search", params={"q": "57"})
    assert missing.status_code == 503
    assert "vnpolicy build" in missing.text
    with running_server(published, tmp_path, external_env(oxigraph)) as beside:
        asked = {"q": "Nghi quyet 57", "format": "json"}
        mine, theirs = (live.http.get("/search", params=asked).json() for live in (beside, server))
        assert [hit["uri"] for hit in mine["results"]] == [hit["uri"] for hit in theirs["results"]]
        assert mine["results"][0]["uri"] == R57
        found = beside.http.get("/id", params={"number": "Nghi quyet 57"})
        assert (found.status_code, found.headers["location"]) == (303, path(R57))
