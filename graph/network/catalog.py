"""What can be exported, without importing networkx: the views and the formats, with their file
extensions and media types (for the CLI, the HTTP routes and the dataset description)."""

from dataclasses import dataclass

VIEWS = ("documents", "policy-map", "full", "tracker")
VIEW_TITLES = {
    "documents": "documents and the relations between them",
    "policy-map": "Resolution 57-NQ/TW, its provisions, pillars and implementing provisions",
    "full": "every resource and every link between resources",
    "tracker": "the implementation tracker: who carries out each task, goal and target",
}


@dataclass(frozen=True)
class FormatInfo:
    name: str
    extension: str
    media_type: str
    title: str


FORMAT_INFO = {
    info.name: info
    for info in (
        FormatInfo("graphml", "graphml", "application/graphml+xml", "GraphML"),
        FormatInfo("gexf", "gexf", "application/gexf+xml", "GEXF 1.3"),
        FormatInfo("cytoscape", "cyjs", "application/json", "Cytoscape.js JSON"),
        FormatInfo("d3", "d3.json", "application/json", "D3 node-link JSON"),
        FormatInfo("dot", "dot", "text/vnd.graphviz", "Graphviz DOT"),
        FormatInfo("nodes-csv", "nodes.csv", "text/csv", "CSV node table"),
        FormatInfo("edges-csv", "edges.csv", "text/csv", "CSV edge table"),
    )
}
BY_EXTENSION = {info.extension: info for info in FORMAT_INFO.values()}


def export_path(view: str, format_name: str) -> str:
    """The server path of one export: ``/export/documents.graphml``."""
    return f"/export/{view}.{FORMAT_INFO[format_name].extension}"


def parse_export_name(name: str) -> tuple[str, FormatInfo] | None:
    """``documents.graphml`` → (``documents``, GraphML); None for anything else."""
    for view in VIEWS:
        if name.startswith(view + "."):
            info = BY_EXTENSION.get(name[len(view) + 1 :])
            if info is not None:
                return view, info
    return None
