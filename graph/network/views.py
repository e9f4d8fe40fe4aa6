"""The network views of the graph, defined by SPARQL: what is a node, what is an edge.

A view is read from the store into plain ``Node`` and ``Edge`` records; the networkx adapter
(``graph.network.adapter``) turns them into a graph and adds the metrics, and the writers
(``graph.network.formats``) serialise that graph. Labels keep both languages here; a view picks
one (with fallback) only when it is exported.
"""

from vnpolicy.graph.namespaces import compact
from vnpolicy.graph.network.model import Edge, Network
from vnpolicy.graph.network.naming import by_language, concept_labels, fill_missing, name_types
from vnpolicy.graph.network.tracker_view import tracker_view
from vnpolicy.graph.network.triples import full_view
from vnpolicy.graph.store import ReadableStore, select
from vnpolicy.graph.uris import DEFAULT_BASE, Minter

_DOCUMENTS = """
SELECT ?doc ?label_en ?label_vi ?type ?type_vi ?number ?date WHERE {
  ?doc a vnp:Document .
  OPTIONAL { ?doc rdfs:label ?label_en FILTER(LANG(?label_en) = "en") }
  OPTIONAL { ?doc rdfs:label ?label_vi FILTER(LANG(?label_vi) = "vi") }
  OPTIONAL { ?doc eli:type_document/skos:prefLabel ?type FILTER(LANG(?type) = "en") }
  OPTIONAL { ?doc eli:type_document/skos:prefLabel ?type_vi FILTER(LANG(?type_vi) = "vi") }
  OPTIONAL { ?doc vnp:officialNumber ?number }
  OPTIONAL { ?doc eli:date_document ?date }
}"""

_DOCUMENT_PILLARS = """
SELECT DISTINCT ?doc ?pillar WHERE {
  ?part vnp:inDocument ?doc ; vnp:assertedConcern|vnp:derivedConcern ?pillar .
  ?pillar skos:inScheme <https://w3id.org/vnpolicy/vocab/pillar> .
}"""

#: Relations between documents, or between provisions lifted to their documents ($from/$to).
_RELATIONS = """
SELECT ?relation ?from ?to ?type ?kind ?certainty ?level
       (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources) WHERE {
  ?relation a vnp:DocumentRelation ; vnp:fromResource ?f ; vnp:toResource ?t ;
            vnp:relationType ?type .
  OPTIONAL { ?type skos:broader ?kind }
  OPTIONAL { ?relation vnp:certainty ?certainty }
  OPTIONAL { ?relation dct:source ?source }
  OPTIONAL { ?f vnp:inDocument ?fdoc }
  OPTIONAL { ?t vnp:inDocument ?tdoc }
  BIND($from AS ?from)
  BIND($to AS ?to)
  BIND(IF(BOUND(?fdoc) || BOUND(?tdoc), "provision", "document") AS ?level)
} GROUP BY ?relation ?from ?to ?type ?kind ?certainty ?level"""

#: Resolution 57's provisions, and the provisions of other documents that implement them.
_POLICY_PARTS = """
SELECT DISTINCT ?part ?parent ?kind ?label_en ?label_vi ?number ?kind_en ?kind_vi ?ordinal WHERE {
  { ?part vnp:inDocument <$r57> }
  UNION
  { ?relation vnp:fromResource ?part ; vnp:toResource/vnp:inDocument <$r57> .
    ?part vnp:inDocument ?doc FILTER(?doc != <$r57>) }
  ?part a ?kind ; eli:is_part_of ?parent .
  ?kind rdfs:subClassOf vnp:Provision .
  OPTIONAL { ?part dct:title ?label_en FILTER(LANG(?label_en) = "en") }
  OPTIONAL { ?part dct:title ?label_vi FILTER(LANG(?label_vi) = "vi") }
  OPTIONAL { ?part eli:number ?number }
  OPTIONAL { ?part vnp:ordinal ?ordinal }
  OPTIONAL { ?kind rdfs:label ?kind_en FILTER(LANG(?kind_en) = "en") }
  OPTIONAL { ?kind rdfs:label ?kind_vi FILTER(LANG(?kind_vi) = "vi") }
}"""

_CONCERNS = """
SELECT ?part ?concept ?predicate WHERE {
  VALUES ?predicate { vnp:assertedConcern vnp:derivedConcern }
  ?part ?predicate ?concept .
}"""


def _relations(store: ReadableStore, lifted: bool) -> list[dict[str, str]]:
    """Every relation statement; ``lifted`` maps provision ends to their documents."""
    ends = ("COALESCE(?fdoc, ?f)", "COALESCE(?tdoc, ?t)") if lifted else ("?f", "?t")
    query = _RELATIONS.replace("$from", ends[0]).replace("$to", ends[1])
    return sorted(select(store, query, union=True), key=lambda row: row["relation"])


def _relation_edge(row: dict[str, str], labels: dict[str, dict[str, str]], kind: str) -> Edge:
    return Edge(
        id=row["relation"],
        source=row["from"],
        target=row["to"],
        predicate=row["type"],
        predicate_labels=tuple(sorted(labels.get(row["type"], {}).items())),
        kind=kind,
        statement=row["relation"],
        certainty=row.get("certainty", "").rsplit("/", 1)[-1],
        sources=tuple(row.get("sources", "").split()),
    )


def _name_certainties(store: ReadableStore, network: Network, rows: list[dict[str, str]]) -> None:
    certainties = [row["certainty"] for row in rows if "certainty" in row]
    for uri, labels in concept_labels(store, certainties).items():
        network.value_names[uri.rsplit("/", 1)[-1]] = labels


def _relation_edges(store: ReadableStore, network: Network) -> None:
    rows = _relations(store, lifted=True)
    _name_certainties(store, network, rows)
    labels = concept_labels(store, [row["type"] for row in rows])
    for row in rows:
        network.node(row["from"])
        network.node(row["to"])
        kind = row.get("kind", "").rsplit("/", 1)[-1]
        network.edges.append(_relation_edge(row, labels, f"{kind} ({row['level']})"))


def _add_documents(store: ReadableStore, network: Network) -> None:
    for row in select(store, _DOCUMENTS, union=True):
        node = network.node(row["doc"])
        node.labels = {
            lang: row[f"label_{lang}"] for lang in ("en", "vi") if f"label_{lang}" in row
        }
        node.type, node.number, node.date = (
            row.get("type", ""),
            row.get("number", ""),
            row.get("date", ""),
        )
        if "type" in row:
            network.value_names[row["type"]] = {"en": row["type"], **by_language(row, "type")}
    pillars = select(store, _DOCUMENT_PILLARS, union=True)
    for row in pillars:
        if row["doc"] in network.nodes:
            network.nodes[row["doc"]].pillars.append(row["pillar"].rsplit("/", 1)[-1])
    for uri, labels in concept_labels(store, [row["pillar"] for row in pillars]).items():
        network.value_names[uri.rsplit("/", 1)[-1]] = labels


def documents_view(store: ReadableStore) -> Network:
    """Documents and the typed relations between them (provision-level ones lifted)."""
    network = Network("documents", {}, [])
    _add_documents(store, network)
    _relation_edges(store, network)
    fill_missing(store, network)
    name_types(store, network)
    return network


def policy_map_view(store: ReadableStore, base: str = DEFAULT_BASE) -> Network:
    """Resolution 57 → its provisions → pillars and domains; other documents' provisions → the
    Resolution 57 provisions they implement and the pillars they concern."""
    network = Network("policy-map", {}, [])
    r57 = Minter(base).document("TW", "nq", 2024, "57")  # Resolution 57-NQ/TW
    parts = select(store, _POLICY_PARTS.replace("$r57", r57), union=True)
    structural = concept_labels(store, ["http://data.europa.eu/eli/ontology#is_part_of"])
    part_uris = {row["part"] for row in parts}
    for row in sorted(parts, key=lambda r: r["part"]):
        node = network.node(row["part"])
        node.type = compact(row["kind"])
        node.number = row.get("number", "")
        node.labels = by_language(row, "label") or {
            # A provision without a title: "guiding viewpoint 3".
            language: f"{kind} {row.get('number') or row.get('ordinal', '')}".strip()
            for language, kind in by_language(row, "kind").items()
        }
        network.node(row["parent"])
        network.edges.append(
            Edge(
                id=f"{row['part']}#is_part_of",
                source=row["part"],
                target=row["parent"],
                predicate="http://data.europa.eu/eli/ontology#is_part_of",
                predicate_labels=tuple(
                    sorted(
                        structural.get(
                            "http://data.europa.eu/eli/ontology#is_part_of", {"en": "is part of"}
                        ).items()
                    )
                ),
                kind="structure",
            )
        )
    concerns = [row for row in select(store, _CONCERNS, union=True) if row["part"] in part_uris]
    labels = concept_labels(
        store, [r["concept"] for r in concerns] + [r["predicate"] for r in concerns]
    )
    for row in sorted(concerns, key=lambda r: (r["part"], r["predicate"], r["concept"])):
        derived = row["predicate"].endswith("derivedConcern")
        concept = network.node(row["concept"])
        concept.labels = labels.get(row["concept"], {})
        concept.type = "skos:Concept"
        network.edges.append(
            Edge(
                id=f"{row['part']}#{'derived' if derived else 'asserted'}/{row['concept']}",
                source=row["part"],
                target=row["concept"],
                predicate=row["predicate"],
                predicate_labels=tuple(sorted(labels.get(row["predicate"], {}).items())),
                kind="concern",
                assertion="derived" if derived else "asserted",
            )
        )
    implementing = [
        row
        for row in _relations(store, lifted=False)
        if row["from"] in part_uris and row["to"] in part_uris
    ]
    type_labels = concept_labels(store, [row["type"] for row in implementing])
    _name_certainties(store, network, implementing)
    for row in implementing:
        kind = row.get("kind", "").rsplit("/", 1)[-1]
        network.edges.append(_relation_edge(row, type_labels, kind))
    _add_documents(store, network)
    fill_missing(store, network)
    name_types(store, network)
    network.value_names.setdefault("skos:Concept", {"en": "concept", "vi": "khái niệm"})
    return network


def view(store: ReadableStore, name: str, base: str = DEFAULT_BASE) -> Network:
    """One of ``VIEWS``, read from ``store`` (whose data uses ``base``)."""
    if name == "documents":
        return documents_view(store)
    if name == "policy-map":
        return policy_map_view(store, base)
    if name == "tracker":
        return tracker_view(store, base)
    return full_view(store, base)
