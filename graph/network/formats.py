"""Writing a network (a networkx graph from ``graph.network.adapter``) in the formats network
tools read: GraphML, GEXF 1.3, Cytoscape.js JSON, D3 node-link JSON, Graphviz DOT, and CSV node
and edge tables. Every writer returns UTF-8 bytes; Vietnamese text is kept as is.

The JSON layouts are written here, not by networkx, so they stay the same whatever networkx
version is installed.
"""

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import networkx as nx

from vnpolicy.graph.network.adapter import NetworkGraph

#: Node attributes in the order tables show them; others (literals of the full view) follow.
NODE_COLUMNS = (
    "uri", "label", "type", "type_label", "number", "date", "pillars", "pillar_labels",
    "in_degree", "out_degree", "pagerank", "betweenness", "community", "x", "y", "size", "color",
)  # fmt: skip
EDGE_COLUMNS = (
    "uri", "predicate", "predicate_label", "kind", "certainty", "certainty_label", "assertion",
    "sources",
)  # fmt: skip
#: The drawing's attributes (``graph.network.drawing``): GEXF writes them in its ``viz`` namespace
#: rather than as data.
DRAWING = ("x", "y", "size", "color")


def rgb(data: dict[str, Any]) -> tuple[int, int, int]:
    """A node's colour (``#rrggbb``) as red, green and blue."""
    code = str(data["color"]).lstrip("#")
    return int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16)


def _node_columns(graph: NetworkGraph) -> list[str]:
    extra = sorted({key for _, data in graph.nodes(data=True) for key in data} - set(NODE_COLUMNS))
    return [*NODE_COLUMNS, *extra]


def graphml(graph: NetworkGraph) -> bytes:
    """GraphML with named keys; the drawing's ``x``, ``y``, ``size`` and the colour as ``r``,
    ``g``, ``b`` are the keys Gephi's GraphML reader draws with."""
    drawn = graph.copy()
    for _, data in drawn.nodes(data=True):
        data["r"], data["g"], data["b"] = rgb(data)
    buffer = io.BytesIO()
    nx.write_graphml(
        drawn, buffer, encoding="utf-8", named_key_ids=True, edge_id_from_attribute=None
    )
    return buffer.getvalue()


_GEXF = "http://gexf.net/1.3"
_VIZ = "http://gexf.net/1.3/viz"


def _gexf_type(values: list[Any]) -> str:
    if values and all(isinstance(v, bool) for v in values):
        return "boolean"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "integer"
    if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _gexf_attributes(
    parent: ET.Element, kind: str, rows: list[dict[str, Any]], columns: list[str]
) -> dict[str, str]:
    declared = ET.SubElement(parent, f"{{{_GEXF}}}attributes", {"class": kind, "mode": "static"})
    types = {}
    for column in columns:
        values = [row[column] for row in rows if column in row]
        types[column] = _gexf_type(values)
        ET.SubElement(
            declared,
            f"{{{_GEXF}}}attribute",
            {"id": column, "title": column, "type": types[column]},
        )
    return types


def _attvalues(parent: ET.Element, data: dict[str, Any], columns: list[str]) -> None:
    values = ET.SubElement(parent, f"{{{_GEXF}}}attvalues")
    for column in columns:
        if column in data:
            ET.SubElement(
                values, f"{{{_GEXF}}}attvalue", {"for": column, "value": str(data[column])}
            )


def gexf(graph: NetworkGraph) -> bytes:
    """GEXF 1.3, with the drawing in ``viz``: position, colour (by type) and size (by degree)."""
    ET.register_namespace("", _GEXF)
    ET.register_namespace("viz", _VIZ)
    root = ET.Element(f"{{{_GEXF}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{_GEXF}}}meta")
    ET.SubElement(meta, f"{{{_GEXF}}}creator").text = "vnpolicy"
    ET.SubElement(meta, f"{{{_GEXF}}}description").text = f"{graph.graph.get('view', '')} view"
    body = ET.SubElement(
        root, f"{{{_GEXF}}}graph", {"defaultedgetype": "directed", "mode": "static"}
    )
    node_columns = [c for c in _node_columns(graph) if c != "label" and c not in DRAWING]
    _gexf_attributes(body, "node", [d for _, d in graph.nodes(data=True)], node_columns)
    _gexf_attributes(body, "edge", [d for *_, d in graph.edges(data=True)], list(EDGE_COLUMNS))
    nodes = ET.SubElement(body, f"{{{_GEXF}}}nodes")
    for node, data in graph.nodes(data=True):
        element = ET.SubElement(nodes, f"{{{_GEXF}}}node", {"id": node, "label": data["label"]})
        _attvalues(element, data, node_columns)
        red, green, blue = rgb(data)
        ET.SubElement(element, f"{{{_VIZ}}}color", {"r": str(red), "g": str(green), "b": str(blue)})
        ET.SubElement(
            element, f"{{{_VIZ}}}position", {"x": str(data["x"]), "y": str(data["y"]), "z": "0.0"}
        )
        ET.SubElement(element, f"{{{_VIZ}}}size", {"value": str(data["size"])})
    edges = ET.SubElement(body, f"{{{_GEXF}}}edges")
    for index, (source, target, data) in enumerate(graph.edges(data=True)):
        element = ET.SubElement(
            edges,
            f"{{{_GEXF}}}edge",
            {
                "id": f"e{index}",
                "source": source,
                "target": target,
                "label": data["predicate_label"],
            },
        )
        _attvalues(element, data, list(EDGE_COLUMNS))
    ET.indent(root)
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written + b"\n"


def cytoscape(graph: NetworkGraph, compound: bool = False) -> bytes:
    """Cytoscape.js ``elements``: node ids are URIs, edge ids ``e0``, ``e1``…, so no id is used
    twice; each node has the drawing's ``position`` (y grows downwards on a screen, so it is
    turned over). With ``compound``, a node of exactly one pillar sits in that pillar's parent
    node."""
    nodes: list[dict[str, Any]] = []
    parents: set[str] = set()
    for node, data in graph.nodes(data=True):
        entry = {"id": node, **data}
        pillars = [p for p in str(data.get("pillars", "")).split(";") if p]
        if compound and len(pillars) == 1:
            entry["parent"] = f"pillar-group:{pillars[0]}"
            parents.add(pillars[0])
        nodes.append({"data": entry, "position": {"x": data["x"], "y": -data["y"]}})
    for pillar in sorted(parents):
        nodes.append(
            {"data": {"id": f"pillar-group:{pillar}", "label": pillar, "type": "pillar group"}}
        )
    edges = [
        {"data": {"id": f"e{index}", "source": source, "target": target, **data}}
        for index, (source, target, data) in enumerate(graph.edges(data=True))
    ]
    document = {"data": dict(graph.graph), "elements": {"nodes": nodes, "edges": edges}}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def d3(graph: NetworkGraph) -> bytes:
    """D3's node-link layout: ``nodes`` with ``id``, ``links`` with ``source``/``target`` ids."""
    document = {
        "directed": True,
        "multigraph": True,
        "graph": dict(graph.graph),
        "nodes": [{"id": node, **data} for node, data in graph.nodes(data=True)],
        "links": [
            {"source": source, "target": target, "key": key, **data}
            for source, target, key, data in graph.edges(keys=True, data=True)
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _dot_id(value: Any) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _dot_attributes(data: dict[str, Any]) -> str:
    return ", ".join(f"{_dot_id(key)}={_dot_id(value)}" for key, value in data.items())


def dot(graph: NetworkGraph) -> bytes:
    """Graphviz DOT; every id and value quoted (IRIs contain ``:``)."""
    lines = [f"digraph {_dot_id(graph.graph.get('view', 'vnpolicy'))} {{"]
    lines.append('  node [shape="box", style="rounded,filled", fontname="sans-serif"];')
    for node, data in graph.nodes(data=True):
        fill = f"{data['color']}40"
        lines.append(f"  {_dot_id(node)} [{_dot_attributes(data)}, fillcolor={_dot_id(fill)}];")
    for source, target, data in graph.edges(data=True):
        shown = {"label": data["predicate_label"], **data}
        style = "dashed" if data.get("assertion") == "derived" else "solid"
        attributes = f"{_dot_attributes(shown)}, style={_dot_id(style)}"
        lines.append(f"  {_dot_id(source)} -> {_dot_id(target)} [{attributes}];")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _table(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def nodes_csv(graph: NetworkGraph) -> bytes:
    return _table(
        [{"id": n, **d} for n, d in graph.nodes(data=True)], ["id", *_node_columns(graph)]
    )


def edges_csv(graph: NetworkGraph) -> bytes:
    rows = [
        {"id": f"e{i}", "source": s, "target": t, **d}
        for i, (s, t, d) in enumerate(graph.edges(data=True))
    ]
    return _table(rows, ["id", "source", "target", *EDGE_COLUMNS])


WRITERS: dict[str, Callable[[NetworkGraph], bytes]] = {
    "graphml": graphml,
    "gexf": gexf,
    "cytoscape": cytoscape,
    "d3": d3,
    "dot": dot,
    "nodes-csv": nodes_csv,
    "edges-csv": edges_csv,
}
