"""Looking up the model's vocabularies by the short ids editors write in source files.

A source file says ``type: party-resolution`` or ``unit: percent``; this module turns each id into
the concept's URI after checking the concept exists, so a typo is an error with its line.
"""

from dataclasses import dataclass
from functools import cached_property

from rdflib import Graph, Literal, URIRef

from vnpolicy.graph.build.pillar_cues import CueReader, compile_cue
from vnpolicy.graph.build.source_format import Origin
from vnpolicy.graph.errors import InputError
from vnpolicy.graph.namespaces import SKOS, VNP, VOCAB

#: ISO 639-2 codes used in text URIs (``…/57/eng/lawnet``), as ELI does.
LANGUAGE_SEGMENTS = {"vi": "vie", "en": "eng"}


@dataclass
class Vocabulary:
    """The concepts of the model, by scheme and id."""

    model: Graph

    def concept(self, scheme: str, concept_id: object, where: Origin) -> URIRef:
        """The URI of ``scheme/concept_id``; an ``InputError`` listing the choices if unknown."""
        uri = URIRef(f"{VOCAB}{scheme}/{concept_id}")
        if (uri, SKOS.inScheme, URIRef(f"{VOCAB}{scheme}")) not in self.model:
            choices = ", ".join(sorted(self.ids(scheme)))
            raise InputError(f"{where}: unknown {scheme} {concept_id!r}; one of: {choices}")
        return uri

    def ids(self, scheme: str) -> set[str]:
        prefix = f"{VOCAB}{scheme}/"
        return {
            str(concept)[len(prefix) :]
            for concept in self.model.subjects(SKOS.inScheme, URIRef(f"{VOCAB}{scheme}"))
            if str(concept).startswith(prefix)
        }

    def uri_segment(self, doc_type: URIRef) -> str:
        segment = self.model.value(doc_type, VNP.uriSegment)
        if segment is None:
            raise InputError(f"document type {doc_type} has no URI segment")
        return str(segment)

    def province(self, body: URIRef) -> tuple[str, str] | None:
        """A provincial body's province: its id and its URI segment (docs/decisions/0021)."""
        province = self.model.value(body, VNP.jurisdiction)
        if province is None:
            return None
        segment = self.model.value(province, VNP.uriSegment)
        if segment is None:
            raise InputError(f"province {province} has no URI segment")
        return str(province).rsplit("/", 1)[1], str(segment)

    def direct_property(self, relation_type: URIRef) -> URIRef | None:
        value = self.model.value(relation_type, VNP.directProperty)
        return value if isinstance(value, URIRef) else None

    @cached_property
    def pillar_labels(self) -> list[tuple[URIRef, Literal]]:
        """The cue words of every pillar (``skos:hiddenLabel``), longest first.

        Only the curated cues are matched: a display label such as "institutions" also means
        schools ("educational institutions") and would tag the wrong provisions.
        """
        labels = [
            (pillar, label)
            for pillar in self.model.subjects(SKOS.inScheme, URIRef(f"{VOCAB}pillar"))
            if isinstance(pillar, URIRef)
            for label in self.model.objects(pillar, SKOS.hiddenLabel)
            if isinstance(label, Literal) and label.language
        ]
        return sorted(labels, key=lambda item: (-len(item[1]), str(item[0]), str(item[1])))

    @cached_property
    def cue_reader(self) -> CueReader:
        """The pillar and domain cues, with the names of every body to leave out of a wording."""
        bodies = URIRef(f"{VOCAB}body")
        names = [
            name
            for body in self.model.subjects(SKOS.inScheme, bodies)
            for predicate in (SKOS.prefLabel, SKOS.altLabel)
            for name in self.model.objects(body, predicate)
            if isinstance(name, Literal) and name.language in ("en", "vi")
        ]
        cues = [compile_cue(concept, label) for concept, label in self.pillar_labels]
        return CueReader(cues, names)
