"""What every step of a build shares: the minter, the vocabularies, the registry, the documents
known so far, where each minted resource was written, and the warnings to report."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef

from vnpolicy.graph.build.mentions import DocumentIndex
from vnpolicy.graph.build.registry import Registry, SourceEntry
from vnpolicy.graph.build.source_format import Origin, SourceFile
from vnpolicy.graph.build.vocabulary import Vocabulary
from vnpolicy.graph.errors import InputError
from vnpolicy.graph.namespaces import DCTERMS, FOAF, RDF, SKOS, VNP
from vnpolicy.graph.numbers import OfficialNumber, normalise
from vnpolicy.graph.uris import Minter


@dataclass
class DocumentHead:
    """What the first pass learns of a document: enough to link to it from other files."""

    source: SourceFile
    uri: URIRef
    number: OfficialNumber | None
    type_id: str
    doc_type: URIRef
    date: datetime.date | None
    label: str
    #: The province id of a provincial body's document.
    province: str | None = None

    @property
    def year(self) -> int | None:
        if self.number is not None and self.number.year is not None:
            return self.number.year
        return self.date.year if self.date else None


@dataclass
class BuildContext:
    minter: Minter
    vocabulary: Vocabulary
    registry: Registry
    index: DocumentIndex
    heads: dict[URIRef, DocumentHead]
    #: Unnumbered documents by the key their file gives.
    keyed: dict[str, URIRef]
    origins: dict[URIRef, Origin] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: Parts named as relation targets, checked once every document is built: (uri, where).
    wanted_parts: list[tuple[URIRef, Origin]] = field(default_factory=list)

    def note_origin(self, uri: URIRef, where: Origin) -> None:
        self.origins.setdefault(uri, where)

    def sources(self, keys: Any, where: Origin) -> list[SourceEntry]:
        if keys is None:
            return []
        if isinstance(keys, str):
            keys = [keys]
        if not isinstance(keys, list):
            raise InputError(f"{where}: 'sources' is a list of source keys")
        return [self.registry.source(key, where) for key in keys]

    def certainty(self, explicit: Any, sources: list[SourceEntry], where: Origin) -> URIRef:
        """The stated certainty, or the one the sources give: two independent ones or not."""
        if explicit is not None:
            return self.vocabulary.concept("certainty", explicit, where)
        independent = {entry.independence_key for entry in sources}
        return self.vocabulary.concept(
            "certainty", "multiple-sources" if len(independent) > 1 else "single-source", where
        )

    def document(self, reference: Any, where: Origin, province: str | None = None) -> URIRef:
        """The URI of a document named by its official number or, if unnumbered, its key.

        A provincial number several provinces have is read as the one of ``province``, the
        province of the citing document, as Vietnamese documents cite their own province's.
        """
        if not isinstance(reference, str):
            raise InputError(
                f"{where}: a document is named by its number or key, got {reference!r}"
            )
        if reference in self.keyed:
            return self.keyed[reference]
        try:
            number = normalise(reference)
        except ValueError:
            number = None
        found = self.index.by_number(number, province) if number is not None else None
        if found is None and number is not None and len(self.index.candidates(number)) > 1:
            raise InputError(
                f"{where}: {reference!r} is the number of several provinces' documents; cite "
                "it from a document of its province or by the key of its file"
            )
        if found is None:
            raise InputError(
                f"{where}: no source file describes document {reference!r}; add one to "
                "graph/sources/documents/ (every link needs both ends)"
            )
        return found.uri


def add_sources(graph: Graph, subject: URIRef, entries: Iterable[SourceEntry]) -> None:
    for entry in entries:
        graph.add((subject, DCTERMS.source, entry.uri))


def add_texts(graph: Graph, subject: URIRef, predicate: URIRef, value: Any, where: Origin) -> None:
    """``{en: …, vi: …}`` as language-tagged literals."""
    if value is None:
        return
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected a language map like {{en: …, vi: …}}, got {value!r}")
    for language, text in sorted(value.items()):
        if language not in ("vi", "en"):
            raise InputError(f"{where}: language {language!r} is not 'vi' or 'en'")
        graph.add((subject, predicate, Literal(str(text).strip(), lang=language)))


def add_note(graph: Graph, subject: URIRef, note: Any) -> None:
    if note:
        graph.add((subject, SKOS.editorialNote, Literal(str(note).strip(), lang="en")))


def check_keys(fields: dict[str, Any], allowed: set[str], where: Origin, what: str) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise InputError(
            f"{where}: unknown field(s) {', '.join(unknown)} for {what}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )


def person(graph: Graph, context: BuildContext, name: str) -> URIRef:
    uri = context.minter.agent("person", name)
    graph.add((uri, RDF.type, VNP.Person))
    graph.add((uri, FOAF.name, Literal(name, lang="vi")))
    return uri
