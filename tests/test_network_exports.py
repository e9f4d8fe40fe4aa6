"""Network exports: every view in every format reloads (networkx, and igraph as a second reader
of GraphML; Graphviz for DOT) with the nodes, edges and attributes of the networkx graph it came
from; Vietnamese text survives; the CLI and HTTP give the same files."""

import csv
import io
import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import httpx
import igraph  # type: ignore[import-untyped]
import networkx as nx
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import (  # type: ignore[attr-defined]
    _pagerank_python,
)
from networkx.readwrite.gexf import GEXFReader
from pyoxigraph import RdfFormat, Store

from tests.conftest import LiveServer, require_program
from vnpolicy.graph.network.adapter import NetworkGraph, pagerank, to_networkx
from vnpolicy.graph.network.catalog import FORMAT_INFO, VIEWS
from vnpolicy.graph.network.export import export_network
from vnpolicy.graph.network.model import Network
from vnpolicy.graph.network.views import view

R57 = "https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57"
FORMATS = list(FORMAT_INFO)


@pytest.fixture(scope="module")
def store(built: Path) -> Store:
    loaded = Store()
    loaded.bulk_load(path=str(built / "vnpolicy.nq"), format=RdfFormat.N_QUADS)
    return loaded


@pytest.fixture(scope="module")
def networks(store: Store) -> dict[str, Network]:
    return {name: view(store, name) for name in VIEWS}


def read_gexf_13(data: bytes) -> NetworkGraph:
    """networkx's GEXF reader knows the 1.2 layout, which 1.3 keeps; only the namespaces move."""
    reader = GEXFReader(node_type=None, version="1.2draft")
    reader.NS_GEXF = "http://gexf.net/1.3"
    reader.NS_VIZ = "http://gexf.net/1.3/viz"
    reader.xml = ET.fromstring(data)
    graph: NetworkGraph = reader.make_graph(  # type: ignore[no-untyped-call]
        reader.xml.find(f"{{{reader.NS_GEXF}}}graph")
    )
    return graph


JS_READERS = Path(__file__).parent / "js"


def read_with_graphology(body: bytes, folder: Path) -> dict[str, Any]:
    """The GEXF as graphology-gexf (Node) reads it: a reader independent of networkx."""
    node = require_program("node", package="nodejs")
    if not (JS_READERS / "node_modules" / "graphology-gexf").is_dir():
        message = "graphology-gexf is not installed: run 'npm ci --prefix tests/js'"
        if os.environ.get("REQUIRE_TEST_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    file = folder / "network.gexf"
    file.write_bytes(body)
    completed = subprocess.run(
        [node, str(JS_READERS / "read_gexf.js"), str(file)],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    read: dict[str, Any] = json.loads(completed.stdout)
    return read


def _node_attributes(graph: "nx.Graph[Any]") -> dict[str, tuple[str, str, int]]:
    return {
        str(node): (str(data["label"]), str(data["type"]), int(data["in_degree"]))
        for node, data in graph.nodes(data=True)
    }


@pytest.mark.parametrize("view_name", VIEWS)
@pytest.mark.parametrize("format_name", FORMATS)
def test_each_view_in_each_format_reloads_as_the_graph_it_came_from(
    networks: dict[str, Network], view_name: str, format_name: str, tmp_path: Path
) -> None:
    network = networks[view_name]
    source = to_networkx(network, "vi")
    made = export_network(network, format_name, "vi")
    assert (made.nodes, made.edges) == (source.number_of_nodes(), source.number_of_edges())
    assert made.nodes > 0
    assert made.edges > 0
    expected = _node_attributes(source)
    body = made.body
    if format_name == "graphml":
        reloaded = nx.read_graphml(io.BytesIO(body), force_multigraph=True)
        assert _node_attributes(reloaded) == expected
        assert reloaded.number_of_edges() == made.edges
        file = tmp_path / "network.graphml"
        file.write_bytes(body)
        other = igraph.Graph.Read_GraphML(str(file))
        assert (other.vcount(), other.ecount()) == (made.nodes, made.edges)
        assert {"label", "pagerank", "community"} <= set(other.vs.attributes())
        assert {"predicate", "kind", "certainty"} <= set(other.es.attributes())
        assert set(other.vs["label"]) == {label for label, _, _ in expected.values()}
    elif format_name == "gexf":
        reloaded = read_gexf_13(body)
        assert {str(n) for n in reloaded} == set(expected)
        assert {str(n): str(d["label"]) for n, d in reloaded.nodes(data=True)} == {
            n: label for n, (label, _, _) in expected.items()
        }
        assert reloaded.number_of_edges() == made.edges
        assert all("viz" in data for _, data in reloaded.nodes(data=True))
        read = read_with_graphology(body, tmp_path)
        assert (read["order"], read["size"]) == (made.nodes, made.edges)
        assert {n: (v["label"], v["type"], v["in_degree"]) for n, v in read["nodes"].items()} == (
            expected
        )
        assert all(v["color"].startswith("rgb(") and v["size"] > 0 for v in read["nodes"].values())
    elif format_name == "cytoscape":
        elements = json.loads(body)["elements"]
        ids = [e["data"]["id"] for e in elements["nodes"] + elements["edges"]]
        assert len(ids) == len(set(ids)), "an id is used twice"
        assert len(elements["nodes"]) == made.nodes
        assert len(elements["edges"]) == made.edges
        shown = {n["data"]["id"]: n["data"]["label"] for n in elements["nodes"]}
        assert shown == {n: label for n, (label, _, _) in expected.items()}
    elif format_name == "d3":
        document = json.loads(body)
        reloaded = nx.node_link_graph(document, edges="links")
        assert _node_attributes(reloaded) == expected
        assert reloaded.number_of_edges() == made.edges
    elif format_name == "dot":
        dot = require_program("dot", package="graphviz")
        file = tmp_path / "network.dot"
        file.write_bytes(body)
        svg = subprocess.run(
            [dot, "-Tsvg", "-Kneato" if made.edges > 1000 else "-Kdot", str(file)],
            capture_output=True,
            check=True,
            timeout=240,
        ).stdout
        assert svg.count(b'class="node"') == made.nodes
        assert svg.count(b'class="edge"') == made.edges
    else:
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
        if format_name == "nodes-csv":
            assert {r["id"]: (r["label"], r["type"], int(r["in_degree"])) for r in rows} == expected
        else:
            assert len(rows) == made.edges
            assert {(r["source"], r["target"]) for r in rows} == {(s, t) for s, t in source.edges()}


def test_vietnamese_labels_are_written_intact(networks: dict[str, Network]) -> None:
    label = networks["documents"].nodes[R57].labels["vi"]
    assert "Nghị quyết" in label or "khoa học" in label
    implements = next(e for e in networks["documents"].edges if e.target == R57)
    relation = dict(implements.predicate_labels)["vi"]
    assert any(ord(c) > 127 for c in relation)
    for format_name in FORMATS:
        text = export_network(networks["documents"], format_name, "vi").body.decode("utf-8")
        escaped = label.replace('"', '\\"')
        if format_name != "edges-csv":
            assert label in text or escaped in text, format_name
        if format_name != "nodes-csv":
            assert relation in text, format_name


def test_the_views_hold_what_they_promise(networks: dict[str, Network]) -> None:
    documents = networks["documents"]
    assert sum(node.type != "" for node in documents.nodes.values()) == len(documents.nodes)
    implements = [e for e in documents.edges if e.predicate.endswith("/implements")]
    assert any(e.target == R57 for e in implements)
    assert all(e.certainty for e in documents.edges)
    assert all(e.sources for e in documents.edges)
    policy = networks["policy-map"]
    kinds = {e.kind for e in policy.edges}
    assert {"structure", "concern"} <= kinds
    assertions = {e.assertion for e in policy.edges if e.kind == "concern"}
    assert assertions == {"asserted", "derived"}
    pillar = "https://w3id.org/vnpolicy/vocab/pillar/data"
    assert pillar in policy.nodes
    assert policy.nodes[pillar].labels["vi"]


def test_pagerank_matches_networkx_on_a_simple_graph(networks: dict[str, Network]) -> None:
    simple: nx.DiGraph[str] = nx.DiGraph(to_networkx(networks["documents"]))
    multi: NetworkGraph = nx.MultiDiGraph(simple)
    ours = pagerank(multi)
    theirs = _pagerank_python(simple, tol=1e-12)
    assert ours.keys() == theirs.keys()
    assert max(abs(ours[n] - theirs[n]) for n in ours) < 1e-6
    assert abs(sum(ours.values()) - 1) < 1e-9


def test_the_cli_writes_the_same_file(built: Path, tmp_path: Path, store: Store) -> None:
    output = tmp_path / "documents.gexf"
    completed = subprocess.run(
        ["vnpolicy", "export", "--view", "documents", "--format", "gexf", "--lang", "vi",
         "--data", str(built / "vnpolicy.nq"), "-o", str(output)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert "64 nodes, 72 edges" in completed.stderr
    assert output.read_bytes() == export_network(view(store, "documents"), "gexf", "vi").body
    query = tmp_path / "implements.rq"
    query.write_text("CONSTRUCT { ?a eli:implements ?b } WHERE { ?a eli:implements ?b }")
    custom = subprocess.run(
        ["vnpolicy", "export", "--query", str(query), "--format", "d3",
         "--data", str(built / "vnpolicy.nq")],
        capture_output=True, check=False, timeout=120,
    )  # fmt: skip
    assert custom.returncode == 0, custom.stderr
    links = json.loads(custom.stdout)["links"]
    assert links
    assert {link["predicate"] for link in links} == {
        "http://data.europa.eu/eli/ontology#implements"
    }
    bad = subprocess.run(
        ["vnpolicy", "export", "--view", "nope", "--data", str(built / "vnpolicy.nq")],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "unknown view 'nope'" in bad.stderr


@pytest.mark.parametrize("view_name", VIEWS)
def test_http_exports_every_format(server: LiveServer, view_name: str) -> None:
    for info in FORMAT_INFO.values():
        response = httpx.get(
            f"{server.url}/export/{view_name}.{info.extension}?lang=vi", timeout=60
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == info.media_type
        assert response.headers["content-disposition"] == (
            f'attachment; filename="vnpolicy-{view_name}.{info.extension}"'
        )
        assert int(response.headers["x-network-nodes"]) > 0


def test_http_custom_exports_and_errors(server: LiveServer) -> None:
    construct = "CONSTRUCT { ?a eli:implements ?b } WHERE { ?a eli:implements ?b }"
    response = httpx.post(
        f"{server.url}/export?format=cytoscape&compound=1",
        content=construct,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 200, response.text
    edges = json.loads(response.content)["elements"]["edges"]
    assert edges
    assert int(response.headers["x-network-edges"]) == len(edges)
    form = httpx.post(f"{server.url}/export", data={"query": construct, "format": "dot"})
    assert form.status_code == 200
    assert form.content.startswith(b'digraph "custom"')
    cases = [
        httpx.post(
            f"{server.url}/export?format=d3",
            content="SELECT * { ?s ?p ?o } LIMIT 1",
            headers={"Content-Type": "application/sparql-query"},
        ),
        httpx.post(f"{server.url}/export", data={"query": construct, "format": "png"}),
        httpx.post(f"{server.url}/export", data={"query": "CONSTRUCT {"}),
        httpx.get(f"{server.url}/export/documents.png"),
        httpx.get(f"{server.url}/export/documents.graphml?lang=fr"),
    ]
    assert [r.status_code for r in cases] == [400, 400, 400, 404, 400]
    assert all(r.text.strip() for r in cases)


def test_the_home_page_and_the_catalogue_link_every_export(server: LiveServer) -> None:
    home = httpx.get(f"{server.url}/").text
    for name in VIEWS:
        for info in FORMAT_INFO.values():
            assert f"/export/{name}.{info.extension}" in home
    catalogue = httpx.get(f"{server.url}/catalog", headers={"Accept": "application/n-triples"}).text
    for name in VIEWS:
        assert f"/export/{name}.graphml>" in catalogue
