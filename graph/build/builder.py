"""Turning one parsed source file into the RDF of its document graph (docs/decisions/0006)."""

from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from vnpolicy.graph.build.context import (
    BuildContext,
    DocumentHead,
    add_note,
    add_sources,
    add_texts,
    check_keys,
    person,
)
from vnpolicy.graph.build.registry import SourceEntry
from vnpolicy.graph.build.source_format import Origin, SourcePart, as_date
from vnpolicy.graph.build.statements import body_fact, qualified, relation, source_error
from vnpolicy.graph.build.vocabulary import LANGUAGE_SEGMENTS
from vnpolicy.graph.errors import InputError
from vnpolicy.graph.namespaces import DCTERMS, ELI, PREFIXES, RDF, RDFS, SKOS, VNP, XSD
from vnpolicy.graph.numbers import ascii_fold
from vnpolicy.graph.uris import Minter

DOCUMENT_KEYS = {
    "number", "key", "type", "issuer", "drafting-unit", "date", "effective", "status", "signer",
    "signing-capacity", "label", "title", "description", "sources", "note", "texts", "relations",
    "errors", "facts", "heading-language", "evidence", "year", "field",
}  # fmt: skip
PART_KEYS = {
    "title", "description", "text", "sources", "pillars", "deadline", "relations", "note",
    "indicator", "value", "min", "max", "unit", "comparator", "scope", "reference", "certainty",
}  # fmt: skip
#: Provisions whose support is stated (``vnp:certainty``) as a target's is; so is every
#: sub-provision (a provision under a provision), whose place in its parent may be unknown.
CERTAIN_KINDS = {"goal", "target"}
TARGET_KEYS = {"indicator", "value", "min", "max", "unit", "comparator", "scope", "reference"}
TEXT_KEYS = {"language", "kind", "publisher", "title", "sources"}
PART_CLASSES = {
    "section": VNP.Section,
    "viewpoint": VNP.GuidingViewpoint,
    "goal": VNP.Goal,
    "target": VNP.Target,
    "task": VNP.Task,
    "direction": VNP.Direction,
    "article": VNP.Article,
}
STATUS = {
    "in-force": ELI["InForce-inForce"],
    "not-in-force": ELI["InForce-notInForce"],
    "partially-in-force": ELI["InForce-partiallyInForce"],
}


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return graph


class _Text(NamedTuple):
    """A text (expression) of the document, and how the minter named it."""

    uri: URIRef
    language: str
    sources: list[SourceEntry]
    segment: str  # the language segment: vie, eng
    edition: str | None  # a translation's text key; None for the original


class DocumentBuilder:
    """Builds one document graph; cross-document checks wait until every file is read."""

    def __init__(self, head: DocumentHead, context: BuildContext) -> None:
        self.head = head
        self.context = context
        self.source = head.source
        self.graph = new_graph()
        self.uri = head.uri
        #: Text key → the text.
        self.texts: dict[str, _Text] = {}
        #: Every part minted: URI → (part, the sources of its texts).
        self.parts: dict[URIRef, SourcePart] = {}
        #: The parts that are provisions (not sections): their children are sub-provisions.
        self.provisions: set[URIRef] = set()

    def where(self, key: str | None = None) -> Origin:
        return self.source.origin(key)

    def build(self) -> Graph:
        fields = self.source.fields
        check_keys(fields, DOCUMENT_KEYS, self.where(), "a document")
        self._document(fields)
        self._texts(fields.get("texts") or {})
        for part in self.source.parts:
            self._part(part, self.uri)
        for raw in _as_list(fields.get("relations"), self.where("relations")):
            relation(self.graph, self.context, self.uri, self.uri, raw, self.where("relations"))
        for raw in _as_list(fields.get("errors"), self.where("errors")):
            texts = {key: text.uri for key, text in self.texts.items()}
            source_error(self.graph, self.context, self.uri, raw, self.where("errors"), texts)
        for raw in _as_list(fields.get("facts"), self.where("facts")):
            body_fact(self.graph, self.context, raw, self.where("facts"))
        return self.graph

    # ------------------------------------------------------------------------------ document

    def _document(self, fields: dict[str, Any]) -> None:
        g, uri, context = self.graph, self.uri, self.context
        context.note_origin(uri, self.where("number" if "number" in fields else "key"))
        g.add((uri, RDF.type, VNP.Document))
        if self.head.number is not None:
            number = self.head.number.text
            self._qualified("number", VNP.officialNumber, lambda _: Literal(number))
            if (uri, VNP.officialNumber, Literal(number)) in g:
                g.add((uri, VNP.asciiNumber, Literal(ascii_fold(number))))
        self._qualified("type", ELI.type_document, lambda _: self.head.doc_type)
        if (uri, ELI.type_document, self.head.doc_type) not in g:
            # An uncertain type is stated only as a qualified fact; the document is then filed
            # under the broader kind its type belongs to (e.g. an administrative document).
            broader = context.vocabulary.model.value(self.head.doc_type, SKOS.broader)
            g.add((uri, ELI.type_document, broader or self.head.doc_type))
        issuers = fields.get("issuer")
        if not issuers:
            raise InputError(f"{self.where()}: a document names its 'issuer' (a body id)")
        for issuer in issuers if isinstance(issuers, list) else [issuers]:
            g.add(
                (
                    uri,
                    ELI.passed_by,
                    context.vocabulary.concept("body", issuer, self.where("issuer")),
                )
            )
        self._qualified("drafting-unit", VNP.draftingUnit, self._body)
        self._qualified("date", ELI.date_document, self._date)
        self._qualified("effective", ELI.first_date_entry_in_force, self._date)
        self._qualified("status", ELI.in_force, self._status)
        self._qualified("year", VNP.yearIssued, self._year)
        self._qualified("field", VNP.field, lambda value: Literal(str(value), lang="vi"))
        self._qualified("signer", VNP.signer, lambda name: person(g, context, str(name)))
        add_texts(g, uri, VNP.signingCapacity, fields.get("signing-capacity"), self.where())
        if not fields.get("label"):
            raise InputError(f"{self.where()}: a document has a 'label' ({{en: …, vi: …}})")
        add_texts(g, uri, RDFS.label, fields.get("label"), self.where("label"))
        add_texts(g, uri, DCTERMS.title, fields.get("title"), self.where("title"))
        add_texts(g, uri, DCTERMS.description, fields.get("description"), self.where())
        sources = context.sources(fields.get("sources"), self.where("sources"))
        add_sources(g, uri, sources)
        context.registry.describe(g, sources)
        add_note(g, uri, fields.get("note"))
        if "evidence" in fields:
            rule = context.vocabulary.concept("evidence-rule", fields["evidence"], self.where())
            g.add((uri, VNP.evidenceRule, rule))

    def _qualified(self, key: str, predicate: URIRef, convert: Any) -> None:
        raw = self.source.fields.get(key)
        if raw is not None:
            qualified(
                self.graph, self.context, self.uri, predicate, raw, convert, self.where(key), key
            )

    def _date(self, value: Any) -> Literal:
        return Literal(as_date(value, self.where()).isoformat(), datatype=XSD.date)

    def _year(self, value: Any) -> Literal:
        if not (isinstance(value, int) and 1900 <= value <= 2100):
            raise InputError(f"{self.where('year')}: 'year' is a year such as 2025, not {value!r}")
        return Literal(str(value), datatype=XSD.gYear)

    def _body(self, value: Any) -> URIRef:
        return self.context.vocabulary.concept("body", value, self.where())

    def _status(self, value: Any) -> URIRef:
        if value not in STATUS:
            raise InputError(f"{self.where('status')}: status is one of {', '.join(STATUS)}")
        return STATUS[value]

    def _texts(self, texts: Any) -> None:
        where = self.where("texts")
        if not isinstance(texts, dict):
            raise InputError(f"{where}: 'texts' maps a text key to its language, kind and sources")
        for key, raw in sorted(texts.items()):
            if not isinstance(raw, dict):
                raise InputError(f"{where}: text {key!r} is a mapping (language, kind, sources)")
            check_keys(raw, TEXT_KEYS, where, f"text {key!r}")
            language = raw.get("language")
            if language not in LANGUAGE_SEGMENTS:
                raise InputError(f"{where}: text {key!r} has language 'vi' or 'en'")
            kind = raw.get("kind", "translation")
            segment = LANGUAGE_SEGMENTS[language]
            edition = None if kind == "original" else key
            uri = Minter.text(self.uri, segment, edition)
            self.context.note_origin(uri, where)
            sources = self.context.sources(raw.get("sources"), where)
            g = self.graph
            g.add((uri, RDF.type, VNP.DocumentText))
            g.add((uri, ELI.realizes, self.uri))
            g.add((uri, DCTERMS.language, Literal(language, datatype=XSD.language)))
            g.add((uri, VNP.textKind, self.context.vocabulary.concept("text-kind", kind, where)))
            if "publisher" in raw:
                g.add((uri, DCTERMS.publisher, self._publisher(raw["publisher"], where)))
            if "title" in raw:
                g.add((uri, ELI.title, Literal(str(raw["title"]), lang=language)))
            add_sources(g, uri, sources)
            self.context.registry.describe(g, sources)
            self.texts[key] = _Text(uri, language, sources, segment, edition)

    def _publisher(self, key: str, where: Origin) -> URIRef:
        if key in self.context.vocabulary.ids("body"):
            return self.context.vocabulary.concept("body", key, where)
        uri = self.context.registry.publisher(key, where)
        self.context.registry.describe_publisher(self.graph, uri)
        return uri

    # --------------------------------------------------------------------------------- parts

    def _part(self, part: SourcePart, parent: URIRef, deadline: Any = None) -> None:
        """Mint a part and its children; a target without a deadline takes its parent's."""
        where = part.origin
        if part.kind not in PART_CLASSES:
            raise InputError(
                f"{where}: unknown part kind {part.kind!r}; one of {', '.join(PART_CLASSES)}"
            )
        fields = part.fields
        check_keys(fields, PART_KEYS, where, f"a {part.kind}")
        if part.kind != "target" and set(fields) & TARGET_KEYS:
            raise InputError(
                f"{where}: only a target has {', '.join(sorted(set(fields) & TARGET_KEYS))}"
            )
        uri = Minter.part(parent, part.kind, part.ordinal)
        if uri in self.parts:
            raise InputError(f"{where}: a second {part.kind} {part.ordinal} under the same parent")
        self.parts[uri] = part
        self.context.note_origin(uri, where)
        g = self.graph
        g.add((uri, RDF.type, PART_CLASSES[part.kind]))
        g.add((uri, VNP.inDocument, self.uri))
        g.add((uri, ELI.is_part_of, parent))
        g.add((uri, VNP.ordinal, Literal(part.ordinal, datatype=XSD.integer)))
        if part.printed:
            g.add((uri, ELI.number, Literal(part.printed)))
        titles = dict(fields.get("title") or {})
        if part.title:
            language = self.source.fields.get("heading-language", "vi")
            if language in titles:
                raise InputError(
                    f"{where}: the {language} title is both in the heading and in 'title'"
                )
            titles[language] = part.title
        add_texts(g, uri, DCTERMS.title, titles or None, where)
        add_texts(g, uri, DCTERMS.description, fields.get("description"), where)
        sources = self.context.sources(fields.get("sources"), where)
        text_sources = self._part_texts(uri, fields.get("text"), where)
        all_sources = _unique(sources + text_sources)
        add_sources(g, uri, all_sources)
        self.context.registry.describe(g, all_sources)
        add_note(g, uri, fields.get("note"))
        deadline = fields.get("deadline", deadline)
        if "deadline" in fields or (part.kind == "target" and deadline is not None):
            g.add((uri, VNP.deadlineYear, Literal(str(deadline), datatype=XSD.gYear)))
        for pillar in _as_list(fields.get("pillars"), where):
            self._asserted_pillar(uri, pillar, all_sources, where)
        if part.kind == "target":
            self._target(uri, fields, all_sources, where)
        if part.kind in CERTAIN_KINDS or parent in self.provisions:
            certainty = self.context.certainty(fields.get("certainty"), all_sources, where)
            g.add((uri, VNP.certainty, certainty))
        elif "certainty" in fields:
            raise InputError(
                f"{where}: only a goal, a target or a sub-provision states 'certainty'"
                " (relations carry their own)"
            )
        if part.kind != "section":
            self.provisions.add(uri)
        for raw in _as_list(fields.get("relations"), where):
            relation(g, self.context, uri, self.uri, raw, where)
        for child in part.children:
            self._part(child, uri, deadline)

    def _part_texts(self, uri: URIRef, texts: Any, where: Origin) -> list[SourceEntry]:
        if texts is None:
            return []
        if not isinstance(texts, dict):
            raise InputError(f"{where}: 'text' maps a text key of the front matter to its wording")
        used: list[SourceEntry] = []
        for key, wording in sorted(texts.items()):
            if key not in self.texts:
                raise InputError(f"{where}: text key {key!r} is not declared under 'texts'")
            text = self.texts[key]
            node = Minter.text(uri, text.segment, text.edition)
            self.context.note_origin(node, where)
            g = self.graph
            g.add((node, RDF.type, VNP.ProvisionText))
            g.add((node, ELI.realizes, uri))
            g.add((node, ELI.is_part_of, text.uri))
            g.add((node, RDF.value, Literal(str(wording).strip(), lang=text.language)))
            add_sources(g, node, text.sources)
            used.extend(text.sources)
        return used

    def _asserted_pillar(
        self, uri: URIRef, pillar_id: Any, sources: list[SourceEntry], where: Origin
    ) -> None:
        pillar = self.context.vocabulary.concept("pillar", pillar_id, where)
        node = self.context.minter.statement(uri, "classification", f"asserted-{pillar_id}")
        g = self.graph
        g.add((node, RDF.type, VNP.Classification))
        g.add((node, VNP.classifiedResource, uri))
        g.add((node, VNP.classifiedAs, pillar))
        g.add(
            (node, VNP.assignment, self.context.vocabulary.concept("assignment", "asserted", where))
        )
        add_sources(g, node, sources)
        g.add((uri, VNP.assertedConcern, pillar))

    def _target(
        self, uri: URIRef, fields: dict[str, Any], sources: list[SourceEntry], where: Origin
    ) -> None:
        g, vocabulary = self.graph, self.context.vocabulary
        add_texts(g, uri, VNP.indicator, fields.get("indicator"), where)
        add_texts(g, uri, VNP.referenceQuantity, fields.get("reference"), where)
        for key, predicate in (("value", VNP.value), ("min", VNP.minValue), ("max", VNP.maxValue)):
            if key in fields:
                g.add((uri, predicate, decimal_literal(fields[key], where)))
        for key, scheme, predicate in (
            ("unit", "unit", VNP.unit),
            ("comparator", "comparator", VNP.comparator),
            ("scope", "scope", VNP.scope),
        ):
            if key in fields:
                g.add((uri, predicate, vocabulary.concept(scheme, fields[key], where)))


def decimal_literal(value: Any, where: Origin) -> Literal:
    """An ``xsd:decimal`` in its XSD 1.1 canonical form (``30``, ``0.7``): the form Oxigraph's
    store keeps, so the dumps, the endpoint and every serialisation agree (decision 0011)."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InputError(f"{where}: {value!r} is not a number") from None
    if not number.is_finite():
        raise InputError(f"{where}: {value!r} is not a finite number")
    return Literal(format(number.normalize(), "f"), datatype=XSD.decimal)


def _as_list(value: Any, where: Origin) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where}: expected a list ('- …' lines)")
    return value


def _unique(entries: list[SourceEntry]) -> list[SourceEntry]:
    seen: dict[str, SourceEntry] = {}
    for entry in entries:
        seen.setdefault(entry.key, entry)
    return list(seen.values())


__all__ = ["PART_CLASSES", "DocumentBuilder", "Node", "new_graph"]
