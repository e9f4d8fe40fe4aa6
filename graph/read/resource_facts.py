"""The statements a reader of one resource cares most about, gathered with their provenance:
the wordings of a provision in each text, its pillars (asserted apart from derived), the
relations it takes part in with their certainty and sources, qualified facts and known errors.

These are reified in the graph (a ``vnp:DocumentRelation``, a ``vnp:Classification``, …), so a
plain description shows them only as incoming links; here each becomes one readable row.
"""

from dataclasses import dataclass, field
from typing import TypedDict

from pyoxigraph import Literal, NamedNode

from vnpolicy.graph.store import ReadableStore, select


@dataclass(frozen=True)
class Wording:
    text: str  # the vnp:ProvisionText
    value: str
    language: str
    expression: str | None  # the document text it belongs to
    sources: tuple[str, ...]


@dataclass(frozen=True)
class PillarLink:
    concept: str
    asserted: bool
    statement: str  # the vnp:Classification
    sources: tuple[str, ...]
    matched: str | None  # the cue a derived tag matched


@dataclass(frozen=True)
class RelationRow:
    statement: str
    relation_type: str
    other: str  # the resource at the other end
    outgoing: bool
    certainty: str | None
    sources: tuple[str, ...]
    note: str | None
    note_language: str | None = None


@dataclass(frozen=True)
class FactRow:
    statement: str
    kind: str  # "qualified fact" or "source error"
    predicate: str | None
    value: str | None
    certainty: str | None
    sources: tuple[str, ...]
    note: str | None
    note_language: str | None = None


@dataclass(frozen=True)
class ResourceFacts:
    wordings: list[Wording] = field(default_factory=list)
    pillars: list[PillarLink] = field(default_factory=list)
    relations: list[RelationRow] = field(default_factory=list)
    facts: list[FactRow] = field(default_factory=list)


# Each query starts from the resource: Oxigraph joins in the order written, and starting from
# a class would read every statement of that class (50 ms a page at 1.4M quads, 1 ms now).
_WORDINGS = """
SELECT ?text ?value ?expression (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources)
WHERE {
  ?text eli:realizes $uri ; rdf:value ?value .
  OPTIONAL { ?text eli:is_part_of ?expression }
  OPTIONAL { ?text dct:source ?source }
} GROUP BY ?text ?value ?expression ORDER BY ?text
"""
_PILLARS = """
SELECT ?statement ?concept ?assignment ?matched
       (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources)
WHERE {
  ?statement vnp:classifiedResource $uri ; a vnp:Classification ; vnp:classifiedAs ?concept ;
             vnp:assignment ?assignment .
  OPTIONAL { ?statement vnp:matchedLabel ?matched }
  OPTIONAL { ?statement dct:source ?source }
} GROUP BY ?statement ?concept ?assignment ?matched ORDER BY ?concept ?assignment
"""
_RELATIONS = """
SELECT ?statement ?type ?other ?outgoing ?certainty ?note (LANG(?note) AS ?note_language)
       (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources)
WHERE {
  {
    ?statement vnp:fromResource $uri ; a vnp:DocumentRelation ; vnp:relationType ?type ;
               vnp:toResource ?other .
    BIND(true AS ?outgoing)
  } UNION {
    ?statement vnp:toResource $uri ; a vnp:DocumentRelation ; vnp:relationType ?type ;
               vnp:fromResource ?other .
    BIND(false AS ?outgoing)
  }
  OPTIONAL { ?statement vnp:certainty ?certainty }
  OPTIONAL { ?statement skos:editorialNote ?note }
  OPTIONAL { ?statement dct:source ?source }
} GROUP BY ?statement ?type ?other ?outgoing ?certainty ?note ORDER BY DESC(?outgoing) ?type ?other
"""
_FACTS = """
SELECT ?statement ?kind ?predicate ?value ?certainty ?note (LANG(?note) AS ?note_language)
       (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources)
WHERE {
  {
    ?statement rdf:subject $uri ; a vnp:QualifiedFact ;
               rdf:predicate ?predicate ; rdf:object ?value .
    OPTIONAL { ?statement vnp:certainty ?certainty }
    OPTIONAL { ?statement skos:editorialNote ?note }
    BIND("qualified fact" AS ?kind)
  } UNION {
    ?statement vnp:errorAbout $uri ; a vnp:SourceError ; vnp:statedValue ?value .
    OPTIONAL { ?statement vnp:errorProperty ?predicate }
    OPTIONAL { ?statement rdfs:comment ?note }
    BIND("source error" AS ?kind)
  }
  OPTIONAL { ?statement dct:source|vnp:inSource ?source }
} GROUP BY ?statement ?kind ?predicate ?value ?certainty ?note ORDER BY ?kind ?statement
"""


def _rows(store: ReadableStore, query: str, uri: str) -> list[dict[str, str]]:
    # NamedNode checks the IRI, so its N-Triples form is safe to put in the query text.
    return select(store, query.replace("$uri", str(NamedNode(uri))), union=True)


def _sources(joined: str | None) -> tuple[str, ...]:
    return tuple(sorted(joined.split())) if joined else ()


class _Provenance(TypedDict):
    """What a row of a reified statement (a relation, a fact) says of the statement itself."""

    statement: str
    certainty: str | None
    sources: tuple[str, ...]
    note: str | None
    note_language: str | None


def _provenance(row: dict[str, str]) -> _Provenance:
    return _Provenance(
        statement=row.get("statement", ""),
        certainty=row.get("certainty"),
        sources=_sources(row.get("sources")),
        note=row.get("note"),
        note_language=row.get("note_language") or None,
    )


def _language(store: ReadableStore, text: str) -> str:
    for quad in store.quads_for_pattern(NamedNode(text), None, None, None):
        if isinstance(quad.object, Literal) and quad.object.language:
            return quad.object.language
    return ""


def resource_facts(store: ReadableStore, uri: str) -> ResourceFacts:
    wordings = [
        Wording(
            text=row.get("text", ""),
            value=row.get("value", ""),
            language=_language(store, row.get("text", "")),
            expression=row.get("expression"),
            sources=_sources(row.get("sources")),
        )
        for row in _rows(store, _WORDINGS, uri)
    ]
    pillars = [
        PillarLink(
            concept=row.get("concept", ""),
            asserted=row.get("assignment", "").endswith("/asserted"),
            statement=row.get("statement", ""),
            sources=_sources(row.get("sources")),
            matched=row.get("matched"),
        )
        for row in _rows(store, _PILLARS, uri)
    ]
    relations = [
        RelationRow(
            relation_type=row.get("type", ""),
            other=row.get("other", ""),
            outgoing=row.get("outgoing") == "true",
            **_provenance(row),
        )
        for row in _rows(store, _RELATIONS, uri)
    ]
    facts = [
        FactRow(
            kind=row.get("kind", ""),
            predicate=row.get("predicate"),
            value=row.get("value"),
            **_provenance(row),
        )
        for row in _rows(store, _FACTS, uri)
    ]
    return ResourceFacts(wordings, pillars, relations, facts)
