"""A document read as a document: its parts in document order, each with its statements, its
wordings in each text, and what implements it — the outline of a document page and the place of
a provision (breadcrumb, neighbours).

Parts are ordered by ``vnp:ordinal`` as numbers (``target/3`` before ``target/10``), then by
``eli:number``, then by URI. A document with more than ``MAX_PARTS`` parts is read up to that many
(the page says so): the work a page does stays bounded whatever the document's size.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, QuerySolutions

from vnpolicy.graph.namespaces import PREFIX_IRIS
from vnpolicy.graph.store import ReadableStore

MAX_PARTS = 1000
_VNP = "https://w3id.org/vnpolicy/ontology#"
_ELI = "http://data.europa.eu/eli/ontology#"
IN_DOCUMENT = _VNP + "inDocument"
IS_PART_OF = _ELI + "is_part_of"
ORDINAL = _VNP + "ordinal"
NUMBER = _ELI + "number"


@dataclass(frozen=True)
class Text:
    """A wording of a part (a ``vnp:ProvisionText``) in one text of the document."""

    uri: str
    value: str
    language: str
    expression: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Implementation:
    """A relation from elsewhere to a part (what implements, cites … it)."""

    statement: str
    relation_type: str
    other: str
    certainty: str | None
    other_document: str | None  # the document the other end is in, when it is a provision


@dataclass
class Part:
    uri: str
    statements: dict[str, list[NamedNode | Literal]] = field(default_factory=dict)
    texts: list[Text] = field(default_factory=list)
    implemented_by: list[Implementation] = field(default_factory=list)
    children: list["Part"] = field(default_factory=list)
    depth: int = 0

    def values(self, predicate: str) -> list[NamedNode | Literal]:
        return self.statements.get(predicate, [])

    def first(self, predicate: str) -> NamedNode | Literal | None:
        found = self.values(predicate)
        return found[0] if found else None

    def literals(self, predicate: str) -> dict[str, str]:
        """Language tag ("" for none) → the value, for a literal-valued predicate."""
        found: dict[str, str] = {}
        for value in self.values(predicate):
            if isinstance(value, Literal):
                found.setdefault(value.language or "", value.value)
        return found

    @property
    def parent(self) -> str | None:
        parent = self.first(IS_PART_OF)
        return parent.value if isinstance(parent, NamedNode) else None

    @property
    def types(self) -> list[str]:
        return [t.value for t in self.values(PREFIX_IRIS["rdf"] + "type")]

    @property
    def ordinal(self) -> int | None:
        found = self.first(ORDINAL)
        return int(found.value) if isinstance(found, Literal) and found.value.isdigit() else None

    @property
    def number(self) -> str | None:
        found = self.first(NUMBER)
        return found.value if isinstance(found, Literal) else None

    def order(self) -> tuple[int, int, str, str]:
        """Numbers sort as numbers: 3 before 10; parts without an ordinal come last."""
        number = self.number or ""
        by_number = int(number) if number.isdigit() else 10**9
        ordinal = self.ordinal if self.ordinal is not None else by_number
        return (ordinal, by_number, number, self.uri)


@dataclass
class Outline:
    document: str
    parts: dict[str, Part]
    top: list[Part]  # the document's own parts, in order; each holds its children
    truncated: bool

    def in_order(self) -> list[Part]:
        """Every part, depth first, in document order."""
        found: list[Part] = []

        def walk(parts: Iterable[Part]) -> None:
            for part in parts:
                found.append(part)
                walk(part.children)

        walk(self.top)
        return found

    def ancestors(self, uri: str) -> list[Part]:
        """The parts ``uri`` sits in, outermost first."""
        chain: list[Part] = []
        seen = {uri}
        part = self.parts.get(uri)
        while part is not None and part.parent in self.parts and part.parent not in seen:
            seen.add(part.parent)
            part = self.parts[part.parent]
            chain.append(part)
        return list(reversed(chain))

    def neighbours(self, uri: str) -> tuple[Part | None, Part | None]:
        """The previous and next parts at the same level (same parent)."""
        part = self.parts.get(uri)
        if part is None:
            return None, None
        parent = self.parts.get(part.parent or "")
        siblings = parent.children if parent else self.top
        index = next((i for i, p in enumerate(siblings) if p.uri == uri), None)
        if index is None:
            return None, None
        previous = siblings[index - 1] if index > 0 else None
        following = siblings[index + 1] if index + 1 < len(siblings) else None
        return previous, following


_PARTS = """
SELECT ?part ?p ?o WHERE {
  { SELECT DISTINCT ?part WHERE { $which } ORDER BY ?part LIMIT $limit }
  ?part ?p ?o
}
"""
#: Every part of the document.
_ALL = "?part vnp:inDocument $document"
#: A provision, the parts it sits in, and the parts beside each of them and in it: what its own
#: page shows (breadcrumb, neighbours, children), whatever the document's size.
_AROUND = """
  { $around eli:is_part_of* ?part . ?part vnp:inDocument $document }
  UNION
  { $around eli:is_part_of* ?up . ?part eli:is_part_of ?up ; vnp:inDocument $document }
  UNION
  { ?part eli:is_part_of $around ; vnp:inDocument $document }
"""
_TEXTS = """
SELECT ?text ?part ?value ?expression
       (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources)
WHERE {
  $parts
  ?text eli:realizes ?part ; rdf:value ?value .
  OPTIONAL { ?text eli:is_part_of ?expression }
  OPTIONAL { ?text dct:source ?source }
} GROUP BY ?text ?part ?value ?expression ORDER BY ?text
"""
_IMPLEMENTED = """
SELECT DISTINCT ?statement ?part ?type ?other ?certainty ?other_document WHERE {
  $parts
  ?statement vnp:toResource ?part ; a vnp:DocumentRelation ; vnp:relationType ?type ;
             vnp:fromResource ?other .
  OPTIONAL { ?statement vnp:certainty ?certainty }
  OPTIONAL { ?other vnp:inDocument ?other_document }
} ORDER BY ?part ?type ?other
"""


def _solutions(store: ReadableStore, query: str, document: str, **fills: str) -> QuerySolutions:
    """Run one of the queries above; IRIs are checked by NamedNode before they are written in."""
    text = query
    for key, value in fills.items():
        text = text.replace(f"${key}", value)
    text = text.replace("$document", str(NamedNode(document))).replace("$limit", str(MAX_PARTS + 1))
    rows = store.query(text, prefixes=PREFIX_IRIS, use_default_graph_as_union=True)
    assert isinstance(rows, QuerySolutions)
    return rows


def outline(store: ReadableStore, document: str, around: str | None = None) -> Outline:
    """The parts of ``document`` as a tree in document order (at most ``MAX_PARTS``); with
    ``around`` (a provision), only that provision, the parts it sits in, their neighbours and
    its own parts — what a provision's page needs, read in a few index lookups."""
    which = _ALL
    if around is not None:
        which = _AROUND.replace("$around", str(NamedNode(around)))
    parts: dict[str, Part] = {}
    for row in _solutions(store, _PARTS, document, which=which):
        part_node, predicate, value = row["part"], row["p"], row["o"]
        if not isinstance(value, NamedNode | Literal):
            continue
        part = parts.setdefault(part_node.value, Part(part_node.value))
        part.statements.setdefault(predicate.value, []).append(value)
    truncated = len(parts) > MAX_PARTS
    if truncated:
        for uri in sorted(parts)[MAX_PARTS:]:
            del parts[uri]
    if around is None:
        chosen = _ALL + " ."
    else:
        chosen = "VALUES ?part { " + " ".join(str(NamedNode(uri)) for uri in parts) + " }"
    for row in _solutions(store, _TEXTS, document, parts=chosen):
        worded = parts.get(row["part"].value)
        value = row["value"]
        if worded is None or not isinstance(value, Literal):
            continue
        expression = row["expression"]
        sources = row["sources"]
        worded.texts.append(
            Text(
                uri=row["text"].value,
                value=value.value,
                language=value.language or "",
                expression=expression.value if expression is not None else None,
                sources=tuple(sorted(sources.value.split())) if sources is not None else (),
            )
        )
    for row in _solutions(store, _IMPLEMENTED, document, parts=chosen):
        implemented = parts.get(row["part"].value)
        if implemented is None:
            continue
        certainty, other_document = row["certainty"], row["other_document"]
        implemented.implemented_by.append(
            Implementation(
                statement=row["statement"].value,
                relation_type=row["type"].value,
                other=row["other"].value,
                certainty=certainty.value if certainty is not None else None,
                other_document=other_document.value if other_document is not None else None,
            )
        )
    top: list[Part] = []
    for part in parts.values():
        parent = parts.get(part.parent or "")
        (parent.children if parent is not None else top).append(part)
    for part in parts.values():
        part.children.sort(key=Part.order)
    top.sort(key=Part.order)
    found = Outline(document, parts, top, truncated)
    for part in found.in_order():
        part.depth = len(found.ancestors(part.uri))
    return found


def document_of(store: ReadableStore, uri: str) -> str | None:
    """The document a provision belongs to (``vnp:inDocument``), if it is one."""
    for quad in store.quads_for_pattern(NamedNode(uri), NamedNode(IN_DOCUMENT), None, None):
        if isinstance(quad.object, NamedNode):
            return quad.object.value
    return None


@dataclass(frozen=True)
class Expression:
    """One text of a document (a ``vnp:DocumentText``): the original or a translation."""

    uri: str
    language: str
    kind: str | None  # text-kind concept
    publisher: str | None
    sources: tuple[str, ...]


_EXPRESSIONS = """
SELECT ?text ?language ?kind ?publisher
       (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources)
WHERE {
  ?text eli:realizes $document ; a vnp:DocumentText .
  OPTIONAL { ?text dct:language ?language }
  OPTIONAL { ?text vnp:textKind ?kind }
  OPTIONAL { ?text dct:publisher ?publisher }
  OPTIONAL { ?text dct:source ?source }
} GROUP BY ?text ?language ?kind ?publisher ORDER BY ?language ?text
"""


def expressions(store: ReadableStore, document: str) -> list[Expression]:
    """The texts of ``document``, by language."""
    found = []
    for row in _solutions(store, _EXPRESSIONS, document):
        language, kind, publisher, sources = (
            row["language"],
            row["kind"],
            row["publisher"],
            row["sources"],
        )
        found.append(
            Expression(
                uri=row["text"].value,
                language=language.value if language is not None else "",
                kind=kind.value if kind is not None else None,
                publisher=publisher.value if publisher is not None else None,
                sources=tuple(sorted(sources.value.split())) if sources is not None else (),
            )
        )
    return found


@dataclass(frozen=True)
class Whereabouts:
    """When a resource dates from and, for a provision, which document it is in, its most
    specific kind and its number (to name a provision that has no title)."""

    date: str | None
    document: str | None
    kind: str | None = None
    number: str | None = None


def whereabouts(store: ReadableStore, uris: Iterable[str]) -> dict[str, Whereabouts]:
    """The date of each document among ``uris``; for a provision, its document and its date,
    its kind and its number."""
    wanted = sorted(set(uris))
    if not wanted:
        return {}
    values = " ".join(str(NamedNode(uri)) for uri in wanted)
    rows = store.query(
        "SELECT ?u (MIN(STR(?d)) AS ?date) (SAMPLE(?in) AS ?document) (MIN(STR(?k)) AS ?kind) "
        "(SAMPLE(?n) AS ?number) "
        f"WHERE {{ VALUES ?u {{ {values} }} "
        "{ ?u eli:date_document ?d } UNION { ?u vnp:inDocument ?in . "
        "OPTIONAL { ?in eli:date_document ?d } "
        "OPTIONAL { ?u a ?k FILTER(STRSTARTS(STR(?k), STR(vnp:)) && ?k != vnp:Provision) } "
        "OPTIONAL { ?u eli:number|vnp:ordinal ?n } } } GROUP BY ?u",
        prefixes=PREFIX_IRIS,
        use_default_graph_as_union=True,
    )
    assert isinstance(rows, QuerySolutions)
    found = {}
    for row in rows:
        date, document, kind, number = row["date"], row["document"], row["kind"], row["number"]
        found[row["u"].value] = Whereabouts(
            date.value if date is not None else None,
            document.value if document is not None else None,
            kind.value if kind is not None else None,
            number.value if number is not None else None,
        )
    return found
