"""Vietnamese official document numbers ("số, ký hiệu"): folding and parsing.

Three written forms exist (FACTS.md §8): the Party form ``57-NQ/TW``, the state normative form
``168/2024/NĐ-CP`` (or ``193/2025/QH15`` for the National Assembly) and the state administrative
form ``03/NQ-CP``; an official dispatch (công văn) has no type code: ``4324/BGDĐT-CNTT``.
The shapes check a number against its document type's pattern; this module only reads numbers.
"""

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum


class NumberForm(Enum):
    PARTY = "party"
    NORMATIVE = "normative"
    ADMINISTRATIVE = "administrative"


_CODE = r"[A-ZĐ][A-Za-zĐ]*"
_ISSUER = r"[A-ZĐ][A-Za-zĐ0-9]*"
_PARTY = re.compile(rf"^(?P<seq>[0-9]+)-(?P<code>{_CODE})/(?P<issuers>{_ISSUER})$")
_NORMATIVE = re.compile(
    rf"^(?P<seq>[0-9]+)/(?P<year>[0-9]{{4}})/"
    rf"(?:(?P<code>{_CODE})-(?P<issuers>{_ISSUER}(?:-{_ISSUER})*)|(?P<assembly>(?:UBTV)?QH[0-9]+))$"
)
_ADMINISTRATIVE = re.compile(rf"^(?P<seq>[0-9]+)/(?P<parts>{_CODE}(?:-{_ISSUER})+)$")


@dataclass(frozen=True)
class OfficialNumber:
    """An official number split into its parts. ``parts`` after the sequence, in written order."""

    text: str
    form: NumberForm
    sequence: str
    year: int | None
    parts: tuple[str, ...]


def ascii_fold(text: str) -> str:
    """The diacritic-free form English sites use: ``4324/BGDĐT-CNTT`` → ``4324/BGDDT-CNTT``."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def parse(text: str) -> OfficialNumber:
    """Split an official number; raise ``ValueError`` naming the forms when it fits none."""
    if match := _PARTY.match(text):
        return OfficialNumber(
            text, NumberForm.PARTY, match["seq"], None, (match["code"], match["issuers"])
        )
    if match := _NORMATIVE.match(text):
        if match["assembly"]:
            parts: tuple[str, ...] = (match["assembly"],)
        else:
            parts = (match["code"], *match["issuers"].split("-"))
        return OfficialNumber(text, NumberForm.NORMATIVE, match["seq"], int(match["year"]), parts)
    if match := _ADMINISTRATIVE.match(text):
        parts = tuple(match["parts"].split("-"))
        return OfficialNumber(text, NumberForm.ADMINISTRATIVE, match["seq"], None, parts)
    raise ValueError(
        f"{text!r} is not an official number in Party form (57-NQ/TW), state normative form "
        "(168/2024/NĐ-CP, 193/2025/QH15) or state administrative form (03/NQ-CP, 4324/BGDĐT-CNTT)"
    )
