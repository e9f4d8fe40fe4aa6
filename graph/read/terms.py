"""The terms a vocabulary defines, for its page: an ontology's classes and properties
(``rdfs:isDefinedBy``), a concept scheme's concepts (``skos:inScheme``)."""

from dataclasses import dataclass

from pyoxigraph import NamedNode

from vnpolicy.graph.store import ReadableStore, select

#: Kinds in the order a page lists them.
KINDS = (
    ("Class", "Classes", "Lớp"),
    ("ObjectProperty", "Object properties", "Thuộc tính quan hệ"),
    ("DatatypeProperty", "Datatype properties", "Thuộc tính dữ liệu"),
    ("AnnotationProperty", "Annotation properties", "Thuộc tính chú thích"),
    ("Concept", "Concepts", "Khái niệm"),
)

_TERMS = """
SELECT ?term ?kind
       (SAMPLE(?en) AS ?label_en) (SAMPLE(?vi) AS ?label_vi)
       (SAMPLE(?def_en) AS ?definition_en) (SAMPLE(?def_vi) AS ?definition_vi)
       (GROUP_CONCAT(DISTINCT STR(?super); separator=" ") AS ?supers)
       (GROUP_CONCAT(DISTINCT STR(?domain); separator=" ") AS ?domains)
       (GROUP_CONCAT(DISTINCT STR(?range); separator=" ") AS ?ranges)
WHERE {
  { ?term rdfs:isDefinedBy $vocabulary ; a ?type .
    VALUES (?type ?kind) { (owl:Class "Class") (owl:ObjectProperty "ObjectProperty")
                           (owl:DatatypeProperty "DatatypeProperty")
                           (owl:AnnotationProperty "AnnotationProperty") } }
  UNION
  { ?term skos:inScheme $vocabulary . BIND("Concept" AS ?kind) }
  OPTIONAL { ?term rdfs:label|skos:prefLabel ?en FILTER(LANGMATCHES(LANG(?en), "en")) }
  OPTIONAL { ?term rdfs:label|skos:prefLabel ?vi FILTER(LANGMATCHES(LANG(?vi), "vi")) }
  OPTIONAL { ?term skos:definition ?def_en FILTER(LANGMATCHES(LANG(?def_en), "en")) }
  OPTIONAL { ?term skos:definition ?def_vi FILTER(LANGMATCHES(LANG(?def_vi), "vi")) }
  OPTIONAL { ?term rdfs:subClassOf|rdfs:subPropertyOf|skos:broader ?super FILTER(isIRI(?super)) }
  OPTIONAL { ?term rdfs:domain ?domain FILTER(isIRI(?domain)) }
  OPTIONAL { ?term rdfs:range ?range FILTER(isIRI(?range)) }
}
GROUP BY ?term ?kind
ORDER BY ?kind ?term
"""


@dataclass(frozen=True)
class Term:
    uri: str
    kind: str  # a local name of KINDS
    labels: dict[str, str]  # language -> label
    definitions: dict[str, str]
    supers: list[str]
    domains: list[str]
    ranges: list[str]

    @property
    def anchor(self) -> str:
        """The fragment the term has on its vocabulary's page (a hash term's own fragment)."""
        return self.uri.rsplit("#", 1)[1] if "#" in self.uri else self.uri.rsplit("/", 1)[1]


def _by_language(row: dict[str, str], column: str) -> dict[str, str]:
    return {lang: row[f"{column}_{lang}"] for lang in ("en", "vi") if f"{column}_{lang}" in row}


def defined_terms(store: ReadableStore, vocabulary: str) -> list[Term]:
    """Every term ``vocabulary`` (an ontology or a concept scheme) defines, in a stable order."""
    query = _TERMS.replace("$vocabulary", str(NamedNode(vocabulary)))
    terms = []
    for row in select(store, query, union=True):
        terms.append(
            Term(
                uri=row["term"],
                kind=row["kind"],
                labels={
                    lang: row[f"label_{lang}"] for lang in ("en", "vi") if f"label_{lang}" in row
                },
                definitions={
                    lang: row[f"definition_{lang}"]
                    for lang in ("en", "vi")
                    if f"definition_{lang}" in row
                },
                supers=row.get("supers", "").split(),
                domains=row.get("domains", "").split(),
                ranges=row.get("ranges", "").split(),
            )
        )
    order = [kind for kind, _, _ in KINDS]
    return sorted(terms, key=lambda term: (order.index(term.kind), term.uri))
