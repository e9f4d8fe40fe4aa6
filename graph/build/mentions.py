"""Finding mentions of documents in text and resolving them to the documents we know.

A mention is a full official number (``57-NQ/TW``, ``4324/BGDDT-CNTT``, ``03-NQ/CP``) or a type
word with a bare sequence number (``Decree 100``, ``Circular 09/2021``, ``Nghị quyết số 57``),
optionally followed by ``of 2024``. The English phrasings are those of the seed texts.
"""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import URIRef

from vnpolicy.graph.numbers import Normalised, NumberForm, OfficialNumber, ascii_fold, normalise

#: Words that name a document type, English and Vietnamese, with the vocabulary types they cover.
TYPE_WORDS: dict[str, frozenset[str]] = {
    word: frozenset(types.split())
    for word, types in {
        "resolution": "party-resolution national-assembly-resolution "
        "standing-committee-resolution government-resolution people-council-resolution",
        "nghị quyết": "party-resolution national-assembly-resolution "
        "standing-committee-resolution government-resolution people-council-resolution",
        "decree": "decree",
        "nghị định": "decree",
        "circular": "circular joint-circular",
        "thông tư": "circular joint-circular",
        "decision": "party-decision normative-decision decision",
        "quyết định": "party-decision normative-decision decision",
        "regulation": "party-regulation",
        "quy định": "party-regulation",
        "law": "law",
        "luật": "law",
        "plan": "party-plan plan provincial-party-plan steering-committee-plan provincial-plan",
        "kế hoạch": "party-plan plan provincial-party-plan steering-committee-plan provincial-plan",
        "programme": "party-programme provincial-party-programme",
        "program": "party-programme provincial-party-programme",
        "chương trình": "party-programme provincial-party-programme",
        "official dispatch": "official-dispatch party-dispatch",
        "dispatch": "official-dispatch party-dispatch",
        "official letter": "official-dispatch party-dispatch",
        "công văn": "official-dispatch party-dispatch",
        "conclusion": "party-conclusion",
        "kết luận": "party-conclusion",
        "directive": "party-directive directive",
        "chỉ thị": "party-directive directive",
        "notice": "party-notice notice",
        "thông báo": "party-notice notice",
    }.items()
}
#: Longest first, so "official dispatch" wins over "dispatch".
_BY_LENGTH = sorted(TYPE_WORDS.items(), key=lambda item: -len(item[0]))
_WORDS = "|".join(sorted((re.escape(word) for word in TYPE_WORDS), key=len, reverse=True))
_CODE = r"[A-Za-zĐđ][A-Za-zĐđ0-9]*"
_FULL = re.compile(
    rf"(?<![\w/.-])[0-9]{{1,5}}(?:\s?/\s?[0-9]{{4}})?(?:\s?[/-]\s?{_CODE})+(?![\w/-])"
)
_SHORT = re.compile(
    rf"(?<!\w)(?P<word>{_WORDS})\s+(?:(?:No\.|số)\s*)?(?P<seq>[0-9]{{1,5}})"
    rf"(?:/(?P<year>[0-9]{{4}}))?(?![\w/-])",
    re.IGNORECASE,
)
_OF_YEAR = re.compile(r"^\s+(?:of|năm)\s+(?P<year>[0-9]{4})\b", re.IGNORECASE)


#: Vietnamese type words as typed without diacritics ("nghi quyet"), to their written form.
_UNFOLDED = {ascii_fold(word): word for word in TYPE_WORDS if ascii_fold(word) != word}
_TYPED_PLAIN = re.compile(
    r"(?<!\w)(?P<word>"
    + "|".join(sorted(map(re.escape, _UNFOLDED), key=len, reverse=True))
    + r")(?P<so>\s+so)?(?=\s*[0-9])",
    re.IGNORECASE,
)


def with_type_words(text: str) -> str:
    """``text`` with Vietnamese type words typed without diacritics written with them
    ("Nghi quyet so 57" → "nghị quyết số 57"), so that ``find_mentions`` reads them; only a
    word followed by a number is changed."""
    return _TYPED_PLAIN.sub(
        lambda match: _UNFOLDED[match["word"].lower()] + (" số" if match["so"] else ""), text
    )


@dataclass(frozen=True)
class Mention:
    """A place in a text that names a document."""

    start: int
    end: int
    text: str
    #: The normalised number for a full mention; None for a short one.
    number: Normalised | None
    sequence: str
    year: int | None
    #: Vocabulary document types the type word allows (empty when no type word was given).
    types: frozenset[str]


def _type_before(text: str, start: int) -> frozenset[str]:
    before = text[max(0, start - 40) : start].rstrip()
    before = re.sub(r"(?:No\.|số)$", "", before, flags=re.IGNORECASE).rstrip()
    for word, types in _BY_LENGTH:
        if before.lower().endswith(word):
            return types
    return frozenset()


def _year_after(text: str, end: int) -> int | None:
    match = _OF_YEAR.match(text[end:])
    return int(match["year"]) if match else None


def find_mentions(text: str) -> list[Mention]:
    """Every mention of a document in ``text``, in order; overlapping short forms are dropped."""
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for match in _FULL.finditer(text):
        try:
            number = normalise(match[0])
        except ValueError:
            continue
        year = number.number.year or _year_after(text, match.end())
        mentions.append(
            Mention(
                match.start(),
                match.end(),
                match[0],
                number,
                number.number.sequence,
                year,
                _type_before(text, match.start()),
            )
        )
        taken.append((match.start(), match.end()))
    for match in _SHORT.finditer(text):
        seq_start = match.start("seq")
        if any(start <= seq_start < end for start, end in taken):
            continue
        year = int(match["year"]) if match["year"] else _year_after(text, match.end())
        mentions.append(
            Mention(
                match.start(),
                match.end(),
                match[0],
                None,
                match["seq"].lstrip("0") or "0",
                year,
                TYPE_WORDS[match["word"].lower()],
            )
        )
    return sorted(mentions, key=lambda mention: mention.start)


@dataclass(frozen=True)
class KnownDocument:
    uri: URIRef
    number: OfficialNumber | None
    doc_type: str
    year: int | None
    #: The province of a provincial body's document (its id in the province vocabulary).
    province: str | None = None


class DocumentIndex:
    """The documents of the corpus, looked up by number key, or by type and sequence.

    A provincial number (``10-CTr/TU``) recurs in every province: it names one document only
    when one province has it, or together with the province of the text that cites it.
    """

    def __init__(self, documents: Iterable[KnownDocument]) -> None:
        self._by_key: dict[str, list[KnownDocument]] = defaultdict(list)
        self._by_sequence: dict[str, list[KnownDocument]] = defaultdict(list)
        for document in documents:
            if document.number is None:
                continue
            key = ascii_fold(document.number.text).upper()
            self._by_key[key].append(document)
            self._by_sequence[document.number.sequence.lstrip("0") or "0"].append(document)

    def candidates(self, number: Normalised) -> list[KnownDocument]:
        """Every document with this number (several only for a provincial number); a normative
        number without a year matches the rest; ``57-NQ/TU`` falls back to ``57-NQ/TW``."""
        if found := self._by_key.get(number.key):
            return list(found)
        if number.number.form is NumberForm.NORMATIVE and number.number.year is None:
            rest = number.key.split("/", 1)[1]
            matches = [
                document
                for key, documents in self._by_key.items()
                if key.split("/", 1)[0] == number.key.split("/", 1)[0]
                and key.split("/", 2)[-1] == rest
                for document in documents
            ]
            return matches if len(matches) == 1 else []
        central = number.central_reading
        return self.candidates(central) if central is not None else []

    def by_number(self, number: Normalised, province: str | None = None) -> KnownDocument | None:
        """The one document with this number, preferring ``province`` among several."""
        found = self.candidates(number)
        if len(found) > 1 and province is not None:
            found = [document for document in found if document.province == province]
        return found[0] if len(found) == 1 else None

    def resolve(self, mention: Mention, province: str | None = None) -> KnownDocument | None:
        """The one document a mention names (in a text of ``province``), or None when none or
        several fit."""
        if mention.number is not None:
            return self.by_number(mention.number, province)
        candidates = [
            document
            for document in self._by_sequence.get(mention.sequence, [])
            if document.doc_type in mention.types
            and (mention.year is None or document.year is None or document.year == mention.year)
        ]
        return candidates[0] if len(candidates) == 1 else None

    def mentioned(self, mention: Mention) -> list[KnownDocument]:
        """Every document a mention may name (``resolve`` wants exactly one)."""
        if mention.number is not None:
            return self.candidates(mention.number)
        return [
            document
            for document in self._by_sequence.get(mention.sequence, [])
            if document.doc_type in mention.types
            and (mention.year is None or document.year is None or document.year == mention.year)
        ]

    def by_sequence(self, sequence: str) -> list[KnownDocument]:
        """Every document whose number has this sequence number (``57``)."""
        return list(self._by_sequence.get(sequence.lstrip("0") or "0", []))

    def __iter__(self) -> Iterator[KnownDocument]:
        return (document for documents in self._by_key.values() for document in documents)
