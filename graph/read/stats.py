"""Counts that describe a graph: what it holds, by kind, certainty and vocabulary term.

Each table is one SPARQL query over the embedded store. The data sits in the default graph and
the model in a named graph, so that vocabulary labels are available without being counted.
"""

import re
from dataclasses import dataclass

from pyoxigraph import DefaultGraph
from rdflib import Graph

from vnpolicy.graph.bridge import Terms
from vnpolicy.graph.store import select, store_from_graph
from vnpolicy.graph.uris import SCRATCH_MODEL_GRAPH

#: The model's graph in the scratch store, as SPARQL.
_MODEL = f"<{SCRATCH_MODEL_GRAPH}>"
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
        f"OPTIONAL {{ GRAPH {_MODEL} {{ ?{variable} skos:prefLabel|rdfs:label ?{variable}L "
        f'FILTER (LANG(?{variable}L) = "en") }} }} '
        f"BIND (COALESCE(?{variable}L, STR(?{variable})) AS ?{variable}Label)"
    )


@dataclass(frozen=True)
class _Column:
    heading: str
    #: The property whose value is grouped on, from the counted resource.
    prop: str
    #: Show the value's English label from the model rather than the value itself.
    labelled: bool = True

    @property
    def variable(self) -> str:
        name = re.sub(r"\W", "", self.heading.title())
        return f"{name}Label" if self.labelled else name


def _count_by(cls: str, *columns: _Column) -> tuple[tuple[tuple[str, str], ...], str]:
    """A table counting instances of ``cls`` grouped by the values of ``columns``."""
    patterns = " ".join(
        f"?s {column.prop} ?{column.variable.removesuffix('Label')} ." for column in columns
    )
    labels = " ".join(
        _label(column.variable.removesuffix("Label")) for column in columns if column.labelled
    )
    projection = " ".join(f"?{column.variable}" for column in columns)
    query = (
        f"SELECT {projection} (COUNT(?s) AS ?count) WHERE {{ ?s a {cls} . {patterns} {labels} }} "
        f"GROUP BY {projection}"
    )
    return tuple((column.heading, column.variable) for column in columns), query


_CERTAINTY = _Column("certainty", "vnp:certainty")

#: title → ((heading, variable) per column, query). Every query also returns ?count.
_TABLES: dict[str, tuple[tuple[tuple[str, str], ...], str]] = {
    "Resources by class": (
        (("class", "classLabel"),),
        "SELECT ?classLabel (COUNT(DISTINCT ?s) AS ?count) WHERE { ?s a ?class . "
        "FILTER STRSTARTS(STR(?class), STR(vnp:)) " + _label("class") + " } GROUP BY ?classLabel",
    ),
    "Documents by type": _count_by("vnp:Document", _Column("document type", "eli:type_document")),
    "Provisions by kind": (
        (("kind", "kindLabel"),),
        f"SELECT ?kindLabel (COUNT(?p) AS ?count) WHERE {{ ?p a ?kind . "
        f"GRAPH {_MODEL} {{ ?kind rdfs:subClassOf vnp:Provision }} "
        + _label("kind")
        + " } GROUP BY ?kindLabel",
    ),
    "Document texts by language and kind": _count_by(
        "vnp:DocumentText",
        _Column("language", "dct:language", labelled=False),
        _Column("kind", "vnp:textKind"),
    ),
    "Targets by deadline year and certainty": _count_by(
        "vnp:Target", _Column("year", "vnp:deadlineYear", labelled=False), _CERTAINTY
    ),
    "Relations by type and certainty": _count_by(
        "vnp:DocumentRelation", _Column("relation type", "vnp:relationType"), _CERTAINTY
    ),
    "Classifications by concept and assignment": _count_by(
        "vnp:Classification",
        _Column("concept", "vnp:classifiedAs"),
        _Column("assignment", "vnp:assignment"),
    ),
    "Qualified facts by certainty": _count_by("vnp:QualifiedFact", _CERTAINTY),
    "Sources by kind": _count_by("vnp:Source", _Column("source kind", "vnp:sourceKind")),
    "Source errors by kind": _count_by("vnp:SourceError", _Column("error kind", "vnp:errorKind")),
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
    store.bulk_extend(Terms().quads(model, SCRATCH_MODEL_GRAPH))
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
