"""From a number as written to the document it names: its official form and its URI.

A known document (one with a source file) gives its own URI. Otherwise the URI is minted the way
the build would mint it, when the number and the type word around it leave one URI segment; a
National Assembly number (``93/2025/QH15``) needs a type word to tell a law from a resolution. A
provincial number (``10-CTr/TU``) names a known document only when one province has it; a new
one gets no URI, since its province is not in the number (docs/decisions/0021).
"""

import unicodedata
from dataclasses import dataclass

from rdflib import URIRef

from vnpolicy.graph.build.mentions import DocumentIndex, Mention, find_mentions, with_type_words
from vnpolicy.graph.build.vocabulary import Vocabulary
from vnpolicy.graph.namespaces import SKOS, VNP, VOCAB
from vnpolicy.graph.numbers import Normalised, NumberForm, normalise, number_key
from vnpolicy.graph.uris import DISPATCH_SEGMENT, Minter

_FORMS = {form: URIRef(f"{VOCAB}number-form/{form.value}") for form in NumberForm}


@dataclass(frozen=True)
class Identified:
    text: str
    number: str | None
    key: str | None
    corrections: tuple[str, ...]
    uri: URIRef | None
    known: bool


def _segments(vocabulary: Vocabulary, number: Normalised, hint: frozenset[str]) -> set[str]:
    """The URI segments the number's type code (or, without one, the type word) allows."""
    model = vocabulary.model
    scheme = URIRef(f"{VOCAB}document-type")
    types = [
        concept
        for concept in model.subjects(SKOS.inScheme, scheme)
        if (concept, VNP.numberForm, _FORMS[number.number.form]) in model
    ]
    parts = number.number.parts
    is_assembly = number.number.form is NumberForm.NORMATIVE and len(parts) == 1
    is_dispatch = number.number.form is NumberForm.ADMINISTRATIVE and not any(
        (concept, SKOS.notation, None) in model
        and str(model.value(concept, SKOS.notation)) == parts[0]
        for concept in types
    )
    if is_dispatch:
        return {DISPATCH_SEGMENT}
    candidates = {
        concept
        for concept in types
        if is_assembly or str(model.value(concept, SKOS.notation)) == parts[0]
    }
    if hint:
        candidates = {c for c in candidates if str(c).rsplit("/", 1)[1] in hint}
    if is_assembly:  # laws and resolutions share the form; only the type word tells them apart
        candidates = {c for c in candidates if (c, SKOS.notation, None) not in model}
    return {
        vocabulary.uri_segment(concept) for concept in candidates if isinstance(concept, URIRef)
    }


def _has_exact(index: DocumentIndex, number: Normalised) -> bool:
    return any(
        known.number is not None and number_key(known.number) == number.key
        for known in index.candidates(number)
    )


def identify(text: str, index: DocumentIndex, vocabulary: Vocabulary, minter: Minter) -> Identified:
    """What ``text`` (a number, or a phrase such as "Decree 100" or "Nghi quyet 57") names."""
    text = unicodedata.normalize("NFC", text)
    mention: Mention | None = next(iter(find_mentions(with_type_words(text))), None)
    number: Normalised | None
    try:
        number = normalise(text)
    except ValueError:
        number = mention.number if mention else None
    if mention is not None and number is None:
        known = index.resolve(mention)
        if known is None:
            return Identified(text, None, None, (), None, False)
        official = known.number.text if known.number else None
        return Identified(text, official, None, (), known.uri, True)
    if number is None:
        raise ValueError(f"{text!r} names no document: neither an official number nor a mention")
    central = number.central_reading
    if central is not None and not _has_exact(index, number):
        number = central  # 57-NQ/TU: no province has it, so the central 57-NQ/TW is meant
    found = index.by_number(number)
    if found is not None:
        return Identified(text, number.number.text, number.key, number.corrections, found.uri, True)
    hint = mention.types if mention else frozenset()
    segments = _segments(vocabulary, number, hint)
    # A number without its year (Party, administrative) needs the year of signing: "of 2024".
    year = number.number.year or (mention.year if mention else None)
    uri = None
    # A provincial number needs its province, which the number does not carry.
    if len(segments) == 1 and year is not None and not number.is_local:
        uri = minter.document_for(number.number, segments.pop(), year)
    return Identified(text, number.number.text, number.key, number.corrections, uri, False)
