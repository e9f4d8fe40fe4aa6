"""vnpolicy over an external store: a real Oxigraph server (PyPI ``oxigraph``) started here, the
dataset loaded into it with ``vnpolicy publish``, and ``vnpolicy serve --sparql-endpoint`` in
front of it, compared with the embedded server on the same build."""

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pyoxigraph import Quad, RdfFormat, parse, serialize
from rdflib import Graph
from rdflib.compare import isomorphic
from SPARQLWrapper import JSON, SPARQLWrapper

from tests.command import vnpolicy
from tests.conftest import LiveServer, _free_port, running_server, stop_server
from vnpolicy.graph.paths import NQUADS_DUMP

R57 = "https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57"
R57_GRAPH = "https://w3id.org/vnpolicy/graph/eli/vn/tw/nq/2024/57"
QUERIES = sorted((Path(__file__).parent.parent / "graph" / "queries").glob("*.rq"))
TOKEN = "external-token"


@dataclass(frozen=True)
class Oxigraph:
    url: str

    @property
    def query(self) -> str:
        return f"{self.url}/query"

    @property
    def update(self) -> str:
        return f"{self.url}/update"

    @property
    def store(self) -> str:
        return f"{self.url}/store"

    def quads(self) -> set[Quad]:
        """Everything the store holds, read with its own Graph Store endpoint."""
        response = httpx.get(self.store, headers={"Accept": "application/n-quads"}, timeout=30)
        response.raise_for_status()
        return set(parse(response.content, format=RdfFormat.N_QUADS))


def start_oxigraph(folder: Path, union: bool = True) -> tuple[subprocess.Popen[bytes], Oxigraph]:
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.fail("the oxigraph server is a dev dependency: run 'uv sync'")
    port = _free_port()
    args = [
        binary,
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout-s",
        "30",
        "--union-default-graph",
    ]
    if not union:
        args.remove("--union-default-graph")
    with (folder / f"oxigraph-{port}.log").open("wb") as log:
        process = subprocess.Popen(args, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1)
            return process, Oxigraph(url)
        except httpx.TransportError:
            time.sleep(0.1)
    stop_server(process)
    pytest.fail("oxigraph serve did not answer within 30 s")


def publish(oxigraph: Oxigraph, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["vnpolicy", "publish", oxigraph.store, "--sparql-endpoint", oxigraph.query, *extra],
        env={**os.environ, "VNPOLICY_OUT": str(out)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    process, store = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    try:
        yield store
    finally:
        stop_server(process)


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
    env = external_env(oxigraph, VNPOLICY_WRITE_TOKEN=TOKEN, VNPOLICY_MAX_ROWS="5000")
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
        gone = httpx.get(f"{external.url}/store", params={"graph": R57_GRAPH})
        assert gone.status_code == 404
    finally:
        done = publish(oxigraph, published)
    assert done.returncode == 0, done.stderr
    expected = set(parse(path=str(published / NQUADS_DUMP), format=RdfFormat.N_QUADS))
    assert oxigraph.quads() == expected


def test_publish_refuses_an_unreachable_store(published: Path) -> None:
    port = _free_port()
    done = publish(Oxigraph(f"http://127.0.0.1:{port}"), published)
    assert done.returncode == 2
    assert "could not be reached" in done.stderr


@pytest.mark.parametrize("query", QUERIES, ids=[query.stem for query in QUERIES])
def test_catalogue_answers_as_on_the_embedded_store(
    query: Path, server: LiveServer, external: LiveServer
) -> None:
    text = query.read_text(encoding="utf-8")
    answers = []
    for live in (server, external):
        response = httpx.post(
            f"{live.url}/sparql",
            data={"query": text},
            headers={"Accept": "text/tab-separated-values"},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        header, *rows = response.text.splitlines()
        answers.append((header, sorted(rows)))
    assert answers[0] == answers[1]


@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".rdf"])
def test_resource_descriptions_equal_the_embedded_ones(
    suffix: str, server: LiveServer, external: LiveServer
) -> None:
    formats = {".ttl": RdfFormat.TURTLE, ".jsonld": RdfFormat.JSON_LD, ".rdf": RdfFormat.RDF_XML}
    graphs = []
    for live in (server, external):
        response = httpx.get(f"{live.url}/eli/vn/tw/nq/2024/57{suffix}")
        assert response.status_code == 200
        triples = parse(response.content, format=formats[suffix])
        ntriples = serialize([quad.triple for quad in triples], format=RdfFormat.N_TRIPLES)
        graphs.append(Graph().parse(data=ntriples, format="nt"))
    assert len(graphs[0]) > 100
    assert isomorphic(graphs[0], graphs[1])


def test_pages_exports_catalogue_and_dumps(server: LiveServer, external: LiveServer) -> None:
    page = httpx.get(f"{external.url}/eli/vn/tw/nq/2024/57.html")
    assert page.status_code == 200
    assert "57-NQ/TW" in page.text
    assert httpx.get(f"{external.url}/").status_code == 200
    assert httpx.get(f"{external.url}/sitemap.xml").text.count("<loc>") == httpx.get(
        f"{server.url}/sitemap.xml"
    ).text.count("<loc>")
    for name in ("documents.graphml", "policy-map.d3.json"):
        mine = httpx.get(f"{external.url}/export/{name}", timeout=60)
        theirs = httpx.get(f"{server.url}/export/{name}", timeout=60)
        assert mine.status_code == 200
        for header in ("X-Network-Nodes", "X-Network-Edges"):
            assert mine.headers[header] == theirs.headers[header]
    void = Graph().parse(
        data=httpx.get(
            f"{external.url}/.well-known/void", headers={"Accept": "text/turtle"}
        ).content,
        format="turtle",
    )
    assert len(void) > 20
    dump = httpx.get(f"{external.url}/dumps/{NQUADS_DUMP}", timeout=60)
    assert dump.status_code == 200
    served = set(parse(dump.content, format=RdfFormat.N_QUADS))
    assert served == set(parse(path=str(server.out / NQUADS_DUMP), format=RdfFormat.N_QUADS))


def test_sparql_clients_limits_and_errors(external: LiveServer) -> None:
    client = SPARQLWrapper(f"{external.url}/sparql")
    client.setQuery("SELECT (COUNT(?d) AS ?n) WHERE { ?d a vnp:Document }")
    client.setReturnFormat(JSON)
    answer = client.queryAndConvert()
    assert isinstance(answer, dict)
    assert answer["results"]["bindings"][0]["n"]["value"] == "63"
    bad = httpx.get(f"{external.url}/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert bad.status_code == 400
    assert "1:26" in bad.text  # the position in the query as sent, not as forwarded
    # More than VNPOLICY_MAX_ROWS (5,000) results: an error, never a cut.
    many = httpx.get(
        f"{external.url}/sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5001"},
        timeout=60,
    )
    assert many.status_code == 413
    graph = httpx.get(
        f"{external.url}/sparql",
        params={"query": f"CONSTRUCT {{ <{R57}> ?p ?o }} WHERE {{ <{R57}> ?p ?o }}"},
        headers={"Accept": "text/turtle"},
    )
    assert graph.status_code == 200
    assert len(Graph().parse(data=graph.text, format="turtle")) > 10
    assert httpx.get(f"{external.url}/sparql").status_code == 200  # service description


def _r57_graph(live: LiveServer) -> str:
    response = httpx.get(
        f"{live.url}/store",
        params={"graph": R57_GRAPH},
        headers={"Accept": "application/n-triples"},
    )
    assert response.status_code == 200
    return response.text


def _put(live: LiveServer, body: str) -> httpx.Response:
    return httpx.put(
        f"{live.url}/store",
        params={"graph": R57_GRAPH},
        content=body.encode("utf-8"),
        headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"},
        timeout=60,
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
            assert (
                "Resolution Fifty-Seven" in httpx.get(f"{second.url}/eli/vn/tw/nq/2024/57.ttl").text
            )
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
    update = httpx.post(
        f"{external.url}/update",
        data={"update": "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> } }"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert update.status_code == 405
    assert "Graph Store Protocol" in update.text
    assert oxigraph.quads() == before


def test_writes_through_the_graph_store_alone(
    oxigraph: Oxigraph, published: Path, external: LiveServer, tmp_path: Path
) -> None:
    """Without an update endpoint, a write is one Graph Store PUT per changed graph."""
    before = oxigraph.quads()
    env = external_env(oxigraph, VNPOLICY_WRITE_TOKEN=TOKEN, VNPOLICY_GRAPH_STORE=oxigraph.store)
    original = _r57_graph(external)
    renamed = original.replace('"Resolution 57-NQ/TW"@en', '"Resolution Fifty-Seven"@en')
    with running_server(tmp_path / "nothing", tmp_path, env) as second:
        try:
            assert _put(second, renamed).status_code == 204
            assert "Resolution Fifty-Seven" in _r57_graph(external)
        finally:
            assert _put(second, original).status_code == 204
    assert oxigraph.quads() == before


def test_serve_refuses_a_store_without_union_default_graph(published: Path, tmp_path: Path) -> None:
    process, plain = start_oxigraph(tmp_path, union=False)
    try:
        assert publish(plain, published).returncode == 0
        done = subprocess.run(
            ["vnpolicy", "serve", "--sparql-endpoint", plain.query, "--port", str(_free_port())],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        stop_server(process)
    assert done.returncode == 2
    assert "union" in done.stderr


def test_serve_refuses_an_unreachable_store() -> None:
    endpoint = f"http://127.0.0.1:{_free_port()}/query"
    done = subprocess.run(
        ["vnpolicy", "serve", "--sparql-endpoint", endpoint],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
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
    assert done.stdout.splitlines() == ["n", "63"]
    assert list(tmp_path.iterdir()) == []
