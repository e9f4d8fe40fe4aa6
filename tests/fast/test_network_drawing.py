"""The drawing every network export carries (``graph.network.drawing``): ForceAtlas2 positions
that are the same on every run and in both languages, written where Gephi (GEXF ``viz``,
GraphML ``x``/``y``/``r``/``g``/``b``/``size``) and Cytoscape (``position``) read them; colours by
type, most frequent first; types, pillars and certainties named in the export's language; and a
layout that stays bounded on a graph larger than ForceAtlas2 is given."""

import io
import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from pyoxigraph import RdfFormat, Store
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from vnpolicy.graph.network import drawing
from vnpolicy.graph.network.adapter import NetworkGraph, to_networkx
from vnpolicy.graph.network.catalog import VIEWS
from vnpolicy.graph.network.formats import cytoscape, gexf, graphml
from vnpolicy.graph.network.model import Edge, Network
from vnpolicy.graph.network.views import view

R57 = "https://w3id.org/vnpolicy/eli/vn/tw/nq/2024/57"
VIZ = "{http://gexf.net/1.3/viz}"
GEXF = "{http://gexf.net/1.3}"


@pytest.fixture(scope="module")
def store(built: Path) -> Store:
    loaded = Store()
    loaded.bulk_load(path=str(built / "vnpolicy.nq"), format=RdfFormat.N_QUADS)
    return loaded


@pytest.fixture(scope="module")
def drawn(store: Store) -> dict[tuple[str, str], NetworkGraph]:
    """Each view in each language, each read from the store on its own."""
    return {
        (name, lang): to_networkx(view(store, name), lang)
        for name in VIEWS
        for lang in ("en", "vi")
    }


def _positions(graph: NetworkGraph) -> dict[str, tuple[float, float]]:
    return {str(node): (data["x"], data["y"]) for node, data in graph.nodes(data=True)}


@pytest.mark.parametrize("view_name", VIEWS)
def test_every_node_is_placed_sized_and_coloured_the_same_in_both_languages(
    drawn: dict[tuple[str, str], NetworkGraph], view_name: str
) -> None:
    english, vietnamese = drawn[view_name, "en"], drawn[view_name, "vi"]
    assert _positions(english) == _positions(vietnamese)
    limit = drawing.EXTENT * 1.1
    for _, data in english.nodes(data=True):
        assert abs(data["x"]) <= limit
        assert abs(data["y"]) <= limit
        assert data["size"] == drawing.node_size(data) >= 4
        assert re.fullmatch(r"#[0-9a-f]{6}", data["color"])
    # Scaled so that the drawing spans the extent on its longer side.
    xs = [x for x, _ in _positions(english).values()]
    ys = [y for _, y in _positions(english).values()]
    assert max(max(xs) - min(xs), max(ys) - min(ys)) == pytest.approx(2 * drawing.EXTENT, abs=0.1)
    # Not stacked: few nodes share a position.
    assert len(set(_positions(english).values())) == len(english)


def test_the_layout_is_the_same_on_every_run(store: Store) -> None:
    first = to_networkx(view(store, "policy-map"))
    again = to_networkx(view(store, "policy-map"))
    assert _positions(first) == _positions(again)
    assert gexf(first) == gexf(again)


def test_lone_nodes_stay_near_the_rest(drawn: dict[tuple[str, str], NetworkGraph]) -> None:
    """Strong gravity: the documents view's documents with no relation sit beside the connected
    ones, so a drawing fitted to every node still shows the connected part large."""
    graph = drawn["documents", "en"]
    simple = nx.Graph(graph)
    main = max(nx.connected_components(simple), key=len)
    xs = [graph.nodes[node]["x"] for node in main]
    ys = [graph.nodes[node]["y"] for node in main]
    assert max(max(xs) - min(xs), max(ys) - min(ys)) > drawing.EXTENT


def test_exports_carry_the_positions_where_tools_read_them(
    drawn: dict[tuple[str, str], NetworkGraph],
) -> None:
    graph = drawn["documents", "vi"]
    expected = _positions(graph)
    root = ET.fromstring(gexf(graph))
    found = {}
    for node in root.iter(f"{GEXF}node"):
        position = node.find(f"{VIZ}position")
        assert position is not None
        found[node.get("id")] = (float(position.get("x", "")), float(position.get("y", "")))
        colour = node.find(f"{VIZ}color")
        assert colour is not None
        code = graph.nodes[str(node.get("id"))]["color"]
        assert "#" + "".join(f"{int(colour.get(c, '')):02x}" for c in "rgb") == code
    assert found == expected
    reread = nx.read_graphml(io.BytesIO(graphml(graph)), force_multigraph=True)
    assert {n: (d["x"], d["y"]) for n, d in reread.nodes(data=True)} == expected
    assert all({"r", "g", "b", "size"} <= set(d) for _, d in reread.nodes(data=True))
    elements = json.loads(cytoscape(graph))["elements"]["nodes"]
    assert {
        e["data"]["id"]: (e["position"]["x"], -e["position"]["y"]) for e in elements
    } == expected


def test_colours_go_to_the_most_frequent_types_first(
    drawn: dict[tuple[str, str], NetworkGraph],
) -> None:
    graph = drawn["documents", "en"]
    counts: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        counts[data["type"]] = counts.get(data["type"], 0) + 1
    commonest = max(counts, key=lambda kind: (counts[kind], kind))
    assert counts[commonest] > 1
    colours = {data["type"]: data["color"] for _, data in graph.nodes(data=True)}
    assert colours[commonest] == drawing.TYPE_COLOURS[0]
    distinct = [kind for kind in colours if colours[kind] != drawing.OTHER_COLOUR]
    assert len({colours[kind] for kind in distinct}) == len(distinct)


def test_types_pillars_and_certainties_are_named_in_the_export_language(
    drawn: dict[tuple[str, str], NetworkGraph], model: Graph
) -> None:
    for lang in ("en", "vi"):
        graph = drawn["policy-map", lang]
        pillar = "https://w3id.org/vnpolicy/vocab/pillar/human-resources"
        name = next(
            str(label)
            for label in model.objects(URIRef(pillar), SKOS.prefLabel)
            if isinstance(label, Literal) and label.language == lang
        )
        tagged = [d for _, d in graph.nodes(data=True) if "human-resources" in d["pillars"]]
        assert tagged
        for data in tagged:
            names = dict(
                zip(data["pillars"].split(";"), data["pillar_labels"].split(";"), strict=True)
            )
            assert names["human-resources"] == name
        labels = {data["type_label"] for _, data in graph.nodes(data=True)}
        assert not any(label.startswith("vnp:") for label in labels), labels
    english = drawn["documents", "en"].nodes[R57]
    vietnamese = drawn["documents", "vi"].nodes[R57]
    assert english["type_label"] == english["type"] == "Party resolution"
    assert vietnamese["type_label"] == "Nghị quyết của Đảng"
    certainties = {
        (d["certainty"], d["certainty_label"])
        for *_, d in drawn["documents", "vi"].edges(data=True)
    }
    assert ("single-source", "một nguồn") in certainties


def test_a_graph_larger_than_forceatlas2_is_given_is_placed_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past ``LAYOUT_NODES`` the best connected nodes go through ForceAtlas2 and the rest are
    placed beside a neighbour, or on a ring when they have none."""
    network = Network("test", {}, [])
    hub = "urn:hub"
    for index in range(12):
        leaf = f"urn:leaf/{index:02}"
        network.node(leaf)
        network.edges.append(Edge(f"e{index}", hub, leaf, "urn:p", (), "test"))
        network.edges.append(Edge(f"f{index}", leaf, f"urn:tip/{index:02}", "urn:p", (), "test"))
        network.node(f"urn:tip/{index:02}")
    network.node(hub)
    network.node("urn:alone")
    monkeypatch.setattr(drawing, "LAYOUT_NODES", 13)  # the hub and its twelve leaves
    graph = to_networkx(network)
    positions = _positions(graph)
    assert set(positions) == set(graph)
    for index in range(12):
        tip_at, leaf_at = positions[f"urn:tip/{index:02}"], positions[f"urn:leaf/{index:02}"]
        assert math.dist(tip_at, leaf_at) <= 0.06 * drawing.EXTENT + 0.01
    assert math.hypot(*positions["urn:alone"]) == pytest.approx(1.1 * drawing.EXTENT, abs=0.01)
    assert _positions(to_networkx(network)) == positions


def test_the_steps_shrink_as_the_graph_grows() -> None:
    steps = [drawing.steps_for(n) for n in (2, 100, 633, 2_000, 100_000)]
    assert steps == sorted(steps, reverse=True)
    assert steps[0] == drawing.MOST_STEPS
    assert steps[-1] == drawing.FEWEST_STEPS
    assert drawing.steps_for(633) * 633 * 633 <= drawing.PAIR_STEPS
