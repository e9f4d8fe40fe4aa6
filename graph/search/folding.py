"""The normalisation search applies to indexed text and to queries alike: NFC, then each
character decomposed (NFKD) with its combining marks dropped, ``đ``/``Đ`` read as ``d``, and case
folded — so "Dữ liệu", "du lieu", "DU LIEU" and decomposed (NFD) input are the same words.

Folding works character by character of the NFC text, so every folded character comes from one
original character: ``folded`` keeps that map, and a match found in the folded text is shown in
the original wording, diacritics and all.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Characters that are letters of their own in Vietnamese, not a letter with a mark.
_OWN_LETTERS = {"đ": "d", "Đ": "d"}


@lru_cache(maxsize=4096)
def _fold_char(character: str) -> str:
    if character in _OWN_LETTERS:
        return _OWN_LETTERS[character]
    if character.isascii():
        return character.lower() if character.isprintable() or character in "\t\n" else " "
    if not character.isprintable() and not character.isspace():
        return " "
    decomposed = unicodedata.normalize("NFKD", character)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """``text`` as search reads it: ``"Nghị quyết"`` → ``"nghi quyet"``."""
    return "".join(_fold_char(c) for c in unicodedata.normalize("NFC", text))


@dataclass(frozen=True)
class Folded:
    """Folded text and, for each of its characters, the index of the original character."""

    original: str
    text: str
    origin: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that folded into ``text[start:end]``."""
        if start >= end or not self.origin:
            return (0, 0)
        return self.origin[start], self.origin[min(end, len(self.origin)) - 1] + 1


def folded(text: str) -> Folded:
    """Fold ``text`` (made NFC first) keeping where each folded character came from."""
    original = unicodedata.normalize("NFC", text)
    parts: list[str] = []
    origin: list[int] = []
    for index, character in enumerate(original):
        piece = _fold_char(character)
        parts.append(piece)
        origin.extend([index] * len(piece))
    return Folded(original, "".join(parts), tuple(origin))


def aligned(text: str) -> bool:
    """Whether every character of ``text`` (NFC) folds to exactly one character, so that a
    position in the folded text is the same position in the original (nearly every text: a
    Vietnamese letter with its marks folds to one letter)."""
    return all(len(_fold_char(c)) == 1 for c in unicodedata.normalize("NFC", text))
