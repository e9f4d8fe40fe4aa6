"""Counts that describe a graph: what it holds, by kind, certainty and vocabulary term.

Each table is one SPARQL query over the embedded store. The data sits in the default graph and
the model in a named graph, so that vocabulary labels are available without being counted.
"""

from dataclasses import dataclass

from pyoxigraph import DefaultGraph, NamedNode, RdfFormat
from rdflib import Graph

from graph.store import select, store_from_graph

MODEL_GRAPH = "urn:vnpolicy:model"
_PREFIXES = """
PREFIX vnp: <https://w3id.org/vnpolicy/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def _label(variable: str) -> str:
    """A SPARQL fragment binding ``?{variable}Label`` to the English label of ``?{variable}``."""
    return (
        f"OPTIONAL {{ GRAPH <{MODEL_GRAPH}> {{ ?{variable} skos:prefLabel|rdfs:label ?{variable}L "
        f'FILTER (LANG(?{variable}L) = "en") }} }} '
        f"BIND (COALESCE(?{variable}L, STR(?{variable})) AS ?{variable}Label)"
    )


#: title → ((heading, variable) per column, query). Every query also returns ?count.
_TABLES: dict[str, tuple[tuple[tuple[str, str], ...], str]] = {
    "Resources by class": (
        (("class", "classLabel"),),
        "SELECT ?classLabel (COUNT(DISTINCT ?s) AS ?count) WHERE { ?s a ?class . "
        "FILTER STRSTARTS(STR(?class), STR(vnp:)) " + _label("class") + " } GROUP BY ?classLabel",
    ),
    "Documents by type": (
        (("document type", "typeLabel"),),
        "SELECT ?typeLabel (COUNT(?d) AS ?count) "
        "WHERE { ?d a vnp:Document ; eli:type_document ?type . "
        + _label("type")
        + " } GROUP BY ?typeLabel",
    ),
    "Provisions by kind": (
        (("kind", "kindLabel"),),
        "SELECT ?kindLabel (COUNT(?p) AS ?count) WHERE { ?p a ?kind . "
        "GRAPH <"
        + MODEL_GRAPH
        + "> { ?kind rdfs:subClassOf vnp:Provision } "
        + _label("kind")
        + " } GROUP BY ?kindLabel",
    ),
    "Document texts by language and kind": (
        (("language", "language"), ("kind", "kindLabel")),
        "SELECT ?language ?kindLabel (COUNT(?t) AS ?count) WHERE { ?t a vnp:DocumentText ; "
        "dct:language ?language ; vnp:textKind ?kind . " + _label("kind") + " } "
        "GROUP BY ?language ?kindLabel",
    ),
    "Targets by deadline year and certainty": (
        (("year", "year"), ("certainty", "certaintyLabel")),
        "SELECT ?year ?certaintyLabel (COUNT(?t) AS ?count) WHERE { ?t a vnp:Target ; "
        "vnp:deadlineYear ?year ; vnp:certainty ?certainty . " + _label("certainty") + " } "
        "GROUP BY ?year ?certaintyLabel",
    ),
    "Relations by type and certainty": (
        (("relation type", "typeLabel"), ("certainty", "certaintyLabel")),
        "SELECT ?typeLabel ?certaintyLabel (COUNT(?r) AS ?count) "
        "WHERE { ?r a vnp:DocumentRelation ; "
        "vnp:relationType ?type ; vnp:certainty ?certainty . "
        + _label("type")
        + _label("certainty")
        + " } GROUP BY ?typeLabel ?certaintyLabel",
    ),
    "Classifications by concept and assignment": (
        (("concept", "conceptLabel"), ("assignment", "assignmentLabel")),
        "SELECT ?conceptLabel ?assignmentLabel (COUNT(?c) AS ?count) "
        "WHERE { ?c a vnp:Classification ; "
        "vnp:classifiedAs ?concept ; vnp:assignment ?assignment . "
        + _label("concept")
        + _label("assignment")
        + " } GROUP BY ?conceptLabel ?assignmentLabel",
    ),
    "Qualified facts by certainty": (
        (("certainty", "certaintyLabel"),),
        "SELECT ?certaintyLabel (COUNT(?f) AS ?count) WHERE { ?f a vnp:QualifiedFact ; "
        "vnp:certainty ?certainty . " + _label("certainty") + " } GROUP BY ?certaintyLabel",
    ),
    "Sources by kind": (
        (("source kind", "kindLabel"),),
        "SELECT ?kindLabel (COUNT(?s) AS ?count) WHERE { ?s a vnp:Source ; vnp:sourceKind ?kind . "
        + _label("kind")
        + " } GROUP BY ?kindLabel",
    ),
    "Source errors by kind": (
        (("error kind", "kindLabel"),),
        "SELECT ?kindLabel (COUNT(?e) AS ?count) "
        "WHERE { ?e a vnp:SourceError ; vnp:errorKind ?kind . "
        + _label("kind")
        + " } GROUP BY ?kindLabel",
    ),
}


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[str, ...], int], ...]


@dataclass(frozen=True)
class GraphStats:
    triples: int
    tables: tuple[Table, ...]


def compute_stats(data: Graph, model: Graph) -> GraphStats:
    store = store_from_graph(data)
    model_graph = NamedNode(MODEL_GRAPH)
    store.bulk_load(
        model.serialize(format="nt", encoding="utf-8"),
        format=RdfFormat.N_TRIPLES,
        to_graph=model_graph,
    )
    tables = []
    for title, (columns, query) in _TABLES.items():
        results = select(store, _PREFIXES + query)
        rows = sorted(
            (
                (tuple(row.get(name, "") for _, name in columns), int(row["count"]))
                for row in results
            ),
            key=lambda row: (-row[1], row[0]),
        )
        tables.append(Table(title, tuple(heading for heading, _ in columns), tuple(rows)))
    triples = sum(1 for _ in store.quads_for_pattern(None, None, None, DefaultGraph()))
    return GraphStats(triples=triples, tables=tuple(tables))


def format_stats(stats: GraphStats) -> str:
    lines = [f"Triples: {stats.triples}", ""]
    for table in stats.tables:
        lines.append(table.title)
        if not table.rows:
            lines.extend(["  (none)", ""])
            continue
        widths = [
            max(len(heading), *(len(cells[i]) for cells, _ in table.rows))
            for i, heading in enumerate(table.columns)
        ]
        header = "  ".join(
            heading.ljust(width) for heading, width in zip(table.columns, widths, strict=True)
        )
        lines.append(f"  {header}  count")
        for cells, count in table.rows:
            cols = "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            lines.append(f"  {cols}  {count:>5}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
