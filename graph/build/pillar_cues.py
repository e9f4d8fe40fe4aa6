"""The tagger's rules: how a pillar's cue words are found in a provision's wording.

The cues themselves are data (``skos:hiddenLabel`` in ``ontology/vocab-pillars.ttl``); this module
says how they are read, so "Training" inside "Ministry of Education and Training" or "AI" as the
Vietnamese word "ai" (who) never makes a tag:

- text and cue are compared case-folded, with hyphens, dashes and slashes read as spaces, and
  Vietnamese without its diacritics (``đào tạo`` = ``dao tao``); the last word of an English cue
  also matches its plural (``platform`` → ``platforms``, ``city`` → ``cities``);
- a cue written with a capital (``AI``, ``IoT``, ``5G``) is an abbreviation, matched exactly as
  written;
- organisation names and titles (every body of the bodies vocabulary, "Ministry of …",
  "Minister of …"), a document named by its number ("Law 93/2025/QH15", "Regulation
  230-QĐ/TW") and the phrases in ``AMBIGUOUS`` ("educational institutions") are blanked out
  before any cue is looked for.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Literal, URIRef

from vnpolicy.graph.numbers import ascii_fold

#: Phrases that contain a cue but do not mean its pillar, blanked before matching (normalised).
AMBIGUOUS = ("educational institution", "education institution")
#: Organisations and titles written in English: "Ministry of Education and Training".
_ORGANISATION = re.compile(
    r"\b(?:Ministry|Ministries|Minister|Department|Office|Committee|Council|Academy)"
    r"\s+(?:of|for)\s+(?:(?:the|and|[A-Z][\w'\u2019]*)(?:\s+|,\s*))*(?:the|and|[A-Z][\w'\u2019]*)"
)
#: A document named by its type and number: "Law 93/2025/QH15", "Regulation 230-QĐ/TW".
_NUMBERED_DOCUMENT = re.compile(
    r"\b(?:Law|Regulation|Decree|Circular|Resolution|Decision|Plan|Luật|Quy định)"
    r"\s+(?:No\.?\s*|số\s+)?\d",
    re.IGNORECASE,
)
_SEPARATORS = re.compile("[-\u2010-\u2015/]+")  # hyphen-minus, hyphens and dashes, slash
_SPACES = re.compile(r"\s+")
_BLANK = "\u2423"  # stands in for a blanked span, so no cue is read across it


def normalise(text: str, language: str) -> str:
    """Case-folded, hyphens and slashes as spaces, Vietnamese without diacritics."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = _SEPARATORS.sub(" ", text)
    if language == "vi":
        text = ascii_fold(text)
    return _SPACES.sub(" ", text).strip()


def _plural(word: str) -> str:
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return re.escape(word[:-1]) + "(?:y|ies)"
    if word.endswith("s"):
        return re.escape(word) + "(?:es)?"
    return re.escape(word) + "(?:s|es)?"


@dataclass(frozen=True)
class Cue:
    """One cue of one concept: its label as the vocabulary writes it, and how it is found."""

    concept: URIRef
    label: Literal
    pattern: re.Pattern[str]
    abbreviation: bool

    @property
    def language(self) -> str:
        return self.label.language or ""


def compile_cue(concept: URIRef, label: Literal) -> Cue:
    text = str(label)
    language = label.language or ""
    if any(character.isupper() for character in text):
        return Cue(concept, label, re.compile(rf"(?<!\w){re.escape(text)}(?!\w)"), True)
    words = normalise(text, language).split(" ")
    if language == "en":
        words[-1] = _plural(words[-1])
        body = r"\s".join([*map(re.escape, words[:-1]), words[-1]])
    else:
        body = r"\s".join(map(re.escape, words))
    return Cue(concept, label, re.compile(rf"(?<!\w){body}(?!\w)"), False)


class CueReader:
    """Finds which cues a wording holds, after blanking what must not be read."""

    def __init__(self, cues: Iterable[Cue], organisations: Iterable[Literal]) -> None:
        self.cues = list(cues)
        names = {
            (name.language or "", normalise(str(name), name.language or ""))
            for name in organisations
        }
        self._names = {
            language: sorted({text for lang, text in names if lang == language}, key=len)[::-1]
            for language in ("en", "vi")
        }

    def _blanked(self, text: str, language: str) -> tuple[str, str]:
        """The wording as written and normalised, each with names and titles blanked."""
        written = _ORGANISATION.sub(_BLANK, text)
        written = _NUMBERED_DOCUMENT.sub(_BLANK, written)
        plain = normalise(written, language)
        for phrase in [*self._names.get(language, []), *(AMBIGUOUS if language == "en" else ())]:
            plain = re.sub(rf"(?<!\w){re.escape(phrase)}(?:s|es)?(?!\w)", _BLANK, plain)
        return written, plain

    def matches(self, wording: Literal) -> list[Cue]:
        """The cues found in ``wording`` (cues of its language only), in the order given."""
        language = wording.language or ""
        written, plain = self._blanked(str(wording), language)
        return [
            cue
            for cue in self.cues
            if cue.language == language
            and cue.pattern.search(written if cue.abbreviation else plain)
        ]
