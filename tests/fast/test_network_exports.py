"""Network exports: every view has the size the corpus gives, and in every format reloads
(networkx, and igraph as a second reader of GraphML; Graphviz for DOT) with the nodes, edges and
attributes of the networkx graph it came from; Vietnamese text survives; HTTP gives the library's
files (the CLI's: ``live/test_cli.py``), which parse back to the counts its headers state."""

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
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from tests.utils.paths import TESTS_DIR
from tests.utils.programs import require_program
from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.namespaces import RDF, VNP, VOCAB
from vnpolicy.graph.network.adapter import NetworkGraph, pagerank, to_networkx
from vnpolicy.graph.network.catalog import FORMAT_INFO, VIEWS
from vnpolicy.graph.network.export import export_network, network_graph, write_graph
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


@pytest.fixture(scope="module")
def graphs(networks: dict[str, Network]) -> dict[str, NetworkGraph]:
    """Each view as a Vietnamese networkx graph, metrics and layout made once per view."""
    return {name: to_networkx(network, "vi") for name, network in networks.items()}


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


JS_READERS = TESTS_DIR / "js"


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


def _graphviz_counts(body: bytes, folder: Path) -> tuple[int, int]:
    """(nodes, edges) of a DOT file as Graphviz's own parser reads it (``gc``)."""
    file = folder / "network.dot"
    file.write_bytes(body)
    count = require_program("gc", package="graphviz")
    counted = subprocess.run(
        [count, "-n", "-e", str(file)], capture_output=True, check=True, timeout=240
    ).stdout.split()
    return int(counted[0]), int(counted[1])


def _node_attributes(graph: "nx.Graph[Any]") -> dict[str, tuple[str, str, int]]:
    return {
        str(node): (str(data["label"]), str(data["type"]), int(data["in_degree"]))
        for node, data in graph.nodes(data=True)
    }


@pytest.mark.parametrize("view_name", VIEWS)
@pytest.mark.parametrize("format_name", FORMATS)
def test_each_view_in_each_format_reloads_as_the_graph_it_came_from(
    graphs: dict[str, NetworkGraph], view_name: str, format_name: str, tmp_path: Path
) -> None:
    source = graphs[view_name]
    made = write_graph(source, format_name)
    assert (made.nodes, made.edges) == (source.number_of_nodes(), source.number_of_edges())
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
        # Gephi opens a drawn graph: every node at the position the layout gave it.
        assert {n: (v["x"], v["y"]) for n, v in read["nodes"].items()} == {
            str(n): (d["x"], d["y"]) for n, d in source.nodes(data=True)
        }
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
        # Graphviz parses it (gc counts what it read) and, for views it lays out in a blink,
        # draws it.
        assert _graphviz_counts(body, tmp_path) == (made.nodes, made.edges)
        if made.edges <= 1000:
            dot = require_program("dot", package="graphviz")
            svg = subprocess.run(
                [dot, "-Tsvg", str(tmp_path / "network.dot")],
                capture_output=True, check=True, timeout=240,
            ).stdout  # fmt: skip
            assert svg.count(b'class="node"') == made.nodes
            assert svg.count(b'class="edge"') == made.edges
    else:
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
        if format_name == "nodes-csv":
            assert {r["id"]: (r["label"], r["type"], int(r["in_degree"])) for r in rows} == expected
        else:
            assert len(rows) == made.edges
            assert {(r["source"], r["target"]) for r in rows} == {(s, t) for s, t in source.edges()}


#: (nodes, edges) of the views of the corpus that no simpler reading of it gives.
# Recorded from the corpus (issue 23 added 42 documents; issue 19 the tracker view).
SIZES = {"policy-map": (171, 98), "full": (1054, 3546), "tracker": (175, 226)}


def test_the_documents_view_is_the_documents_and_their_relations(
    networks: dict[str, Network], dataset: Dataset, asserted: Graph
) -> None:
    """Its nodes: every document and every end of a relation, a provision lifted to its
    document; its edges: one per relation statement."""
    data = asserted
    relations = set(data.subjects(RDF.type, VNP.DocumentRelation))

    def lifted(end: Node | None) -> str:
        return str(data.value(end, VNP.inDocument) or end)

    ends = {lifted(data.value(r, p)) for r in relations for p in (VNP.fromResource, VNP.toResource)}
    documents = networks["documents"]
    assert set(documents.nodes) == {str(uri) for uri in dataset.documents} | ends
    assert len(documents.nodes) == len(dataset.documents) + 1  # the Steering Committee, a body
    assert sorted(edge.statement for edge in documents.edges) == sorted(map(str, relations))


@pytest.mark.parametrize("view_name", sorted(SIZES))
def test_the_other_views_have_their_size(networks: dict[str, Network], view_name: str) -> None:
    network = networks[view_name]
    assert (len(network.nodes), len(network.edges)) == SIZES[view_name]


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


def test_the_views_hold_what_they_promise(
    networks: dict[str, Network], asserted: Graph, model: Graph
) -> None:
    documents = networks["documents"]
    assert sum(node.type != "" for node in documents.nodes.values()) == len(documents.nodes)
    by_statement = {edge.statement: edge for edge in documents.edges}
    for relation, edge in by_statement.items():
        node = URIRef(relation)
        certainty = asserted.value(node, VNP.certainty)
        assert edge.certainty == str(certainty).rsplit("/", 1)[1], relation
        sources = {str(source) for source in asserted.objects(node, DCTERMS.source)}
        assert set(edge.sources) == sources, relation

    def lifted(end: Node | None) -> str:
        return str(asserted.value(end, VNP.inDocument) or end)

    implements = URIRef(f"{VOCAB}relation-type/implements")
    implementing = {
        lifted(asserted.value(relation, VNP.fromResource))
        for relation in asserted.subjects(VNP.relationType, implements)
        if lifted(asserted.value(relation, VNP.toResource)) == R57
    }
    drawn = {
        e.source for e in documents.edges if e.target == R57 and e.predicate == str(implements)
    }
    assert drawn == implementing
    policy = networks["policy-map"]
    kinds = {e.kind for e in policy.edges}
    assert {"structure", "concern"} <= kinds
    assertions = {e.assertion for e in policy.edges if e.kind == "concern"}
    assert assertions == {"asserted", "derived"}
    pillar = "https://w3id.org/vnpolicy/vocab/pillar/data"
    labels = {
        label.language: str(label)
        for label in model.objects(URIRef(pillar), SKOS.prefLabel)
        if isinstance(label, Literal)
    }
    assert policy.nodes[pillar].labels == {"en": labels["en"], "vi": labels["vi"]}


def test_pagerank_matches_networkx_on_a_simple_graph(networks: dict[str, Network]) -> None:
    simple: nx.DiGraph[str] = nx.DiGraph(to_networkx(networks["documents"]))
    multi: NetworkGraph = nx.MultiDiGraph(simple)
    ours = pagerank(multi)
    theirs = _pagerank_python(simple, tol=1e-12)
    assert ours.keys() == theirs.keys()
    assert max(abs(ours[n] - theirs[n]) for n in ours) < 1e-6
    assert abs(sum(ours.values()) - 1) < 1e-9


@pytest.fixture(scope="module")
def fixture_store(fixture_out: Path) -> Store:
    """The store the in-process app answers from: the fixture corpus."""
    loaded = Store()
    loaded.bulk_load(path=str(fixture_out / "vnpolicy.nq"), format=RdfFormat.N_QUADS)
    return loaded


def _parsed_counts(format_name: str, body: bytes, folder: Path) -> tuple[int | None, int | None]:
    """(nodes, edges) as a reader of ``format_name`` finds them (None: the format has no such
    count, as a CSV of nodes has no edges)."""
    if format_name == "graphml":
        graphml = nx.read_graphml(io.BytesIO(body), force_multigraph=True)
        return graphml.number_of_nodes(), graphml.number_of_edges()
    if format_name == "gexf":
        gexf = read_gexf_13(body)
        return gexf.number_of_nodes(), gexf.number_of_edges()
    if format_name == "cytoscape":
        elements = json.loads(body)["elements"]
        return len(elements["nodes"]), len(elements["edges"])
    if format_name == "d3":
        document = json.loads(body)
        return len(document["nodes"]), len(document["links"])
    if format_name == "dot":
        return _graphviz_counts(body, folder)
    rows = len(list(csv.DictReader(io.StringIO(body.decode("utf-8")))))
    return (rows, None) if format_name == "nodes-csv" else (None, rows)


@pytest.fixture(scope="module")
def fixture_graphs(fixture_store: Store) -> dict[str, NetworkGraph]:
    return {name: network_graph(view(fixture_store, name), "vi") for name in VIEWS}


@pytest.mark.parametrize("view_name", VIEWS)
@pytest.mark.parametrize("format_name", FORMATS)
def test_http_exports_are_the_library_exports_and_parse_back(
    client: httpx.Client,
    fixture_graphs: dict[str, NetworkGraph],
    view_name: str,
    format_name: str,
    tmp_path: Path,
) -> None:
    info = FORMAT_INFO[format_name]
    response = client.get(f"/export/{view_name}.{info.extension}", params={"lang": "vi"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == info.media_type
    assert response.headers["content-disposition"] == (
        f'attachment; filename="vnpolicy-{view_name}.{info.extension}"'
    )
    made = write_graph(fixture_graphs[view_name], format_name)
    assert response.content == made.body
    stated = int(response.headers["x-network-nodes"]), int(response.headers["x-network-edges"])
    assert stated == (made.nodes, made.edges)
    nodes, edges = _parsed_counts(format_name, response.content, tmp_path)
    assert nodes in (None, made.nodes)
    assert edges in (None, made.edges)


def _implements_pairs(client: httpx.Client) -> int:
    query = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?a ?b { ?a eli:implements ?b } }"
    answer = client.get("/sparql", params={"query": query}).json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def test_http_custom_exports_and_errors(client: httpx.Client) -> None:
    construct = "CONSTRUCT { ?a eli:implements ?b } WHERE { ?a eli:implements ?b }"
    response = client.post(
        "/export?format=cytoscape&compound=1",
        content=construct,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 200, response.text
    edges = json.loads(response.content)["elements"]["edges"]
    assert len(edges) == int(response.headers["x-network-edges"]) == _implements_pairs(client)
    assert {edge["data"]["predicate"] for edge in edges} == {
        "http://data.europa.eu/eli/ontology#implements"
    }
    form = client.post("/export", data={"query": construct, "format": "dot"})
    assert form.status_code == 200
    assert form.content.startswith(b'digraph "custom"')
    cases = [
        client.post(
            "/export?format=d3",
            content="SELECT * { ?s ?p ?o } LIMIT 1",
            headers={"Content-Type": "application/sparql-query"},
        ),
        client.post("/export", data={"query": construct, "format": "png"}),
        client.post("/export", data={"query": "CONSTRUCT {"}),
        client.get("/export/documents.png"),
        client.get("/export/documents.graphml?lang=fr"),
    ]
    assert [r.status_code for r in cases] == [400, 400, 400, 404, 400]
    assert all(r.text.strip() for r in cases)


def test_the_home_page_and_the_catalogue_link_every_export(client: httpx.Client) -> None:
    home = client.get("/").text
    for name in VIEWS:
        for info in FORMAT_INFO.values():
            assert f"/export/{name}.{info.extension}" in home
    catalogue = client.get("/catalog", headers={"Accept": "application/n-triples"}).text
    for name in VIEWS:
        assert f"/export/{name}.graphml>" in catalogue
