"""Names and types for a view's nodes and predicates, in English and Vietnamese."""

from collections.abc import Iterable

from pyoxigraph import NamedNode

from vnpolicy.graph.namespaces import PREFIX_IRIS, compact
from vnpolicy.graph.network.model import Network
from vnpolicy.graph.store import ReadableStore, select

CONCEPT_LABELS_QUERY = """
SELECT ?concept ?en ?vi WHERE {
  VALUES ?concept { $concepts }
  OPTIONAL { ?concept skos:prefLabel|rdfs:label ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?concept skos:prefLabel|rdfs:label ?vi FILTER(LANG(?vi) = "vi") }
}"""


def concept_labels(store: ReadableStore, uris: Iterable[str]) -> dict[str, dict[str, str]]:
    values = " ".join(str(NamedNode(uri)) for uri in sorted(set(uris)))
    if not values:
        return {}
    labels: dict[str, dict[str, str]] = {}
    for row in select(store, CONCEPT_LABELS_QUERY.replace("$concepts", values), union=True):
        found = labels.setdefault(row["concept"], {})
        for language in ("en", "vi"):
            if language in row:
                found.setdefault(language, row[language])
    return labels


TYPES_AND_NAMES_QUERY = """
SELECT ?node (SAMPLE(?class) AS ?type) (SAMPLE(?en) AS ?label_en) (SAMPLE(?vi) AS ?label_vi) WHERE {
  VALUES ?node { $nodes }
  OPTIONAL { ?node a ?class FILTER(STRSTARTS(STR(?class), STR(vnp:))) }
  OPTIONAL { ?node rdfs:label|skos:prefLabel|dct:title ?en FILTER(LANG(?en) = "en") }
  OPTIONAL { ?node rdfs:label|skos:prefLabel|dct:title ?vi FILTER(LANG(?vi) = "vi") }
} GROUP BY ?node"""


def fill_missing(store: ReadableStore, network: Network) -> None:
    """Give nodes reached only as an edge's end (a committee, another document's section) their
    type and names."""
    missing = [
        uri
        for uri, node in network.nodes.items()
        if (not node.type or not node.labels) and not uri.startswith("_:")
    ]
    if not missing:
        return
    values = " ".join(str(NamedNode(uri)) for uri in sorted(missing))
    for row in select(store, TYPES_AND_NAMES_QUERY.replace("$nodes", values), union=True):
        node = network.nodes[row["node"]]
        node.type = node.type or (compact(row["type"]) if "type" in row else "")
        if not node.labels:
            node.labels = by_language(row, "label")


def by_language(row: dict[str, str], column: str) -> dict[str, str]:
    return {lang: row[f"{column}_{lang}"] for lang in ("en", "vi") if f"{column}_{lang}" in row}


def name_types(store: ReadableStore, network: Network) -> None:
    """Name the compact class types of the nodes ("vnp:Task" → "task", "nhiệm vụ") from the
    classes' labels; a type named already (a document's type) keeps its name."""
    wanted: dict[str, str] = {}
    for node in network.nodes.values():
        for value in filter(None, node.type.split(";")):
            prefix, _, local = value.partition(":")
            if value not in network.value_names and prefix in PREFIX_IRIS and local:
                wanted[PREFIX_IRIS[prefix] + local] = value
    for uri, labels in concept_labels(store, wanted).items():
        if labels:
            network.value_names[wanted[uri]] = labels
