"""What search finds, read from the built dataset: one entry per resource and language.

Documents (numbers, titles, labels, descriptions), their provisions and targets (headings,
wordings, indicators), the people and organisations they name, and the model's concepts and
terms (labels and definitions). Each entry carries the facets a reader narrows by: the type,
the issuer and year of its document, its pillars, certainties and language. Facet values are
compact IRIs (``document-type:decree``, ``pillar:data``) or plain years and language codes.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from vnpolicy.graph.build.dataset import Dataset
from vnpolicy.graph.namespaces import DCTERMS, ELI, FOAF, RDF, RDFS, SKOS, VNP, VOCAB, compact

LANGUAGES = ("vi", "en")
FACETS = ("type", "issuer", "year", "pillar", "certainty", "language")
_PILLAR = f"{VOCAB}pillar/"


@dataclass(frozen=True)
class Entry:
    """One resource in one language ("" when it has no text in either)."""

    uri: str
    lang: str
    kind: str  #: document, provision, agent or term
    #: The document it belongs to (itself for a document); None for the model's terms.
    document: str | None
    label: str  #: how a result names it, in this language where it can
    number: str
    title: str
    body: str
    facets: tuple[tuple[str, str], ...]
    #: The resource's name in each language that has one: (language, name).
    names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class KnownNumber:
    """A document's official number, for looking numbers up (``/id?number=``, ranking)."""

    uri: str
    number: str
    doc_type: str  #: the document type's id (``party-resolution``)
    year: int | None


@dataclass
class _Gathered:
    kind: str
    document: str | None
    numbers: list[str] = field(default_factory=list)
    labels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    titles: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    bodies: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    facets: set[tuple[str, str]] = field(default_factory=set)


def _text(value: Node) -> tuple[str, str] | None:
    """A literal's text and language ("" without one)."""
    if isinstance(value, Literal):
        return str(value), (value.language or "").lower().split("-")[0]
    return None


def _add(into: dict[str, list[str]], values: Iterable[Node], default_lang: str = "") -> None:
    for value in values:
        found = _text(value)
        if found and found[0].strip() and found[0] not in into[found[1] or default_lang]:
            into[found[1] or default_lang].append(found[0])


def sorted_nodes(nodes: Iterable[Node]) -> list[Node]:
    """Distinct nodes in a stable order (by their text)."""
    return sorted(set(nodes), key=str)


class _Triples:
    """A graph's triples read once into dictionaries: a document graph is read by many small
    lookups, each of which costs a scan of the store's contexts in rdflib's memory store."""

    def __init__(self, graph: Iterable[tuple[Node, Node, Node]]) -> None:
        self._out: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
        self._in: dict[tuple[Node, Node | None], list[Node]] = defaultdict(list)
        for subject, predicate, obj in graph:
            self._out[(subject, predicate)].append(obj)
            self._in[(predicate, obj)].append(subject)
            self._in[(predicate, None)].append(subject)

    def objects(self, subject: Node | None, predicate: Node) -> list[Node]:
        return self._out.get((subject, predicate), []) if subject is not None else []

    def subjects(self, predicate: Node, obj: Node | None) -> list[Node]:
        return self._in.get((predicate, obj), [])

    def value(self, subject: Node | None, predicate: Node) -> Node | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None


def _most_specific_type(graph: _Triples, node: Node) -> str | None:
    types = sorted(str(t) for t in graph.objects(node, RDF.type) if str(t).startswith(str(VNP)))
    specific = [t for t in types if not t.endswith(("#Provision", "#Document"))]
    chosen = specific or types
    return compact(chosen[0]) if chosen else None


class _Reader:
    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.model = dataset.model
        self.found: dict[str, _Gathered] = {}

    def gather(self, uri: str, kind: str, document: str | None) -> _Gathered:
        if uri not in self.found:
            self.found[uri] = _Gathered(kind, document)
        return self.found[uri]

    def read(self) -> None:
        for document in sorted(self.dataset.documents):
            self._document(document, _Triples(self.dataset.documents[document]))
        self._model()

    def _document(self, document: URIRef, graph: _Triples) -> None:
        entry = self.gather(str(document), "document", str(document))
        for prop in (VNP.officialNumber, VNP.asciiNumber):
            entry.numbers += [str(n) for n in graph.objects(document, prop)]
        _add(entry.labels, graph.objects(document, RDFS.label))
        _add(entry.titles, graph.objects(document, RDFS.label))
        _add(entry.titles, graph.objects(document, DCTERMS.title))
        _add(entry.bodies, graph.objects(document, DCTERMS.description), "en")
        shared: set[tuple[str, str]] = set()
        for kind in graph.objects(document, ELI.type_document):
            entry.facets.add(("type", compact(str(kind))))
        for issuer in graph.objects(document, ELI.passed_by):
            shared.add(("issuer", compact(str(issuer))))
        for date in graph.objects(document, ELI.date_document):
            shared.add(("year", str(date)[:4]))
        entry.facets |= shared
        for fact in graph.subjects(RDF.subject, document):
            for certainty in graph.objects(fact, VNP.certainty):
                entry.facets.add(("certainty", compact(str(certainty))))
        self._concerns(graph, document, entry)
        for part in sorted_nodes(graph.subjects(VNP.inDocument, document)):
            self._part(graph, part, str(document), shared)
        for agent in sorted_nodes(graph.subjects(FOAF.name, None)):
            _add(self.gather(str(agent), "agent", None).titles, graph.objects(agent, FOAF.name))
        for subject in sorted_nodes(graph.subjects(RDF.type, VNP.Organization)):
            gathered = self.gather(str(subject), "agent", None)
            _add(gathered.titles, graph.objects(subject, SKOS.prefLabel))

    def _concerns(self, graph: _Triples, node: Node, entry: _Gathered) -> None:
        for prop in (VNP.assertedConcern, VNP.derivedConcern):
            for concept in graph.objects(node, prop):
                if str(concept).startswith(_PILLAR):
                    entry.facets.add(("pillar", compact(str(concept))))

    def _part(
        self, graph: _Triples, part: Node, document: str, shared: set[tuple[str, str]]
    ) -> None:
        entry = self.gather(str(part), "provision", document)
        entry.facets |= shared
        kind = _most_specific_type(graph, part)
        if kind:
            entry.facets.add(("type", kind))
        entry.numbers += [str(n) for n in graph.objects(part, ELI.number)]
        _add(entry.titles, graph.objects(part, DCTERMS.title))
        _add(entry.titles, graph.objects(part, VNP.indicator))
        _add(entry.bodies, graph.objects(part, VNP.referenceQuantity))
        for certainty in graph.objects(part, VNP.certainty):
            entry.facets.add(("certainty", compact(str(certainty))))
        self._concerns(graph, part, entry)
        for wording in sorted_nodes(graph.subjects(ELI.realizes, part)):
            expression = graph.value(wording, ELI.is_part_of)
            language = graph.value(expression, DCTERMS.language) if expression else None
            _add(entry.bodies, graph.objects(wording, RDF.value), str(language or ""))

    def _model(self) -> None:
        labelled = [*self.model.subjects(SKOS.prefLabel, None)]
        for subject in sorted_nodes(labelled) + sorted_nodes(self.model.subjects(RDFS.label, None)):
            if not isinstance(subject, URIRef):
                continue
            entry = self.gather(str(subject), "term", None)
            if entry.kind != "term":
                continue
            kind = self.model.value(subject, RDF.type)
            if kind is not None and not entry.facets:
                entry.facets.add(("type", compact(str(kind))))
            for prop in (SKOS.prefLabel, RDFS.label):
                _add(entry.labels, self.model.objects(subject, prop))
                _add(entry.titles, self.model.objects(subject, prop))
            _add(entry.titles, self.model.objects(subject, SKOS.altLabel))
            _add(entry.bodies, self.model.objects(subject, SKOS.hiddenLabel))
            _add(entry.bodies, self.model.objects(subject, SKOS.definition))
            for notation in self.model.objects(subject, SKOS.notation):
                if str(notation) not in entry.numbers:
                    entry.numbers.append(str(notation))


def _pick(values: dict[str, list[str]], lang: str) -> str | None:
    for language in (lang, *(other for other in LANGUAGES if other != lang), ""):
        if values.get(language):
            return values[language][0]
    return None


def entries(dataset: Dataset) -> Iterator[Entry]:
    """Every entry of the dataset, in a stable order (the index is the same bytes each build)."""
    reader = _Reader(dataset)
    reader.read()
    labels = model_labels(dataset.model)
    for uri, found in sorted(reader.found.items()):
        languages = [lang for lang in LANGUAGES if found.titles.get(lang) or found.bodies.get(lang)]
        neutral = (*found.titles.get("", []), *found.bodies.get("", []))
        if found.kind != "document" and not languages and not neutral:
            continue  # a part with no words of its own: nothing to find it by
        names = tuple(
            (lang, name)
            for lang in LANGUAGES
            if (
                name := _provision_label(reader, found, uri, lang, labels)
                if found.kind == "provision"
                else (found.labels.get(lang) or found.titles.get(lang) or [""])[0]
            )
        )
        for lang in languages or [""]:
            label = _pick(found.labels, lang) or _pick(found.titles, lang)
            if found.kind == "provision":
                label = _provision_label(reader, found, uri, lang, labels)
            facets = sorted(found.facets | ({("language", lang)} if lang else set()))
            yield Entry(
                uri=uri,
                lang=lang,
                kind=found.kind,
                document=found.document,
                label=label or uri.rsplit("/", 1)[-1],
                number=" ".join(dict.fromkeys(found.numbers)),
                title="\n".join([*found.titles.get(lang, []), *neutral[:1]]),
                body="\n".join([*found.bodies.get(lang, []), *neutral[1:]]),
                facets=tuple(facets),
                names=names,
            )


def _provision_label(
    reader: _Reader, found: _Gathered, uri: str, lang: str, labels: dict[str, dict[str, str]]
) -> str:
    """``Task 2 — Resolution 57-NQ/TW`` (the kind in the page language, its number, its
    document)."""
    kind = next((value for name, value in found.facets if name == "type"), "")
    kind_name = labels.get(kind, {}).get(lang) or labels.get(kind, {}).get("en") or ""
    number = found.numbers[0] if found.numbers else uri.rsplit("/", 1)[-1]
    head = " ".join(filter(None, (kind_name[:1].upper() + kind_name[1:], number)))
    document = reader.found.get(found.document or "")
    document_name = _pick(document.labels, lang) if document else None
    return " — ".join(filter(None, (head, document_name)))


def model_labels(model: Graph) -> dict[str, dict[str, str]]:
    """The names of facet values by compact IRI and language, from the model."""
    names: dict[str, dict[str, str]] = {}
    for prop in (SKOS.prefLabel, RDFS.label):
        for subject, value in sorted(model.subject_objects(prop)):
            found = _text(value)
            if isinstance(subject, URIRef) and found:
                names.setdefault(compact(str(subject)), {}).setdefault(found[1] or "en", found[0])
    return names


def known_numbers(dataset: Dataset) -> list[KnownNumber]:
    """Every document's official number, with its type and year."""
    found = []
    for known in dataset.context.index:
        if known.number is not None:
            found.append(KnownNumber(str(known.uri), known.number.text, known.doc_type, known.year))
    return sorted(found, key=lambda known: known.uri)
