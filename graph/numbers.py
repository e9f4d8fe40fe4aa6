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


# ------------------------------------------------------------------------------ normalisation

#: Type codes of official numbers, as written (FACTS.md §8.2-8.5), for restoring diacritics.
TYPE_CODES = frozenset(
    [
        "NQ",
        "QĐ",
        "CT",
        "QC",
        "QyĐ",
        "TC",
        "TB",
        "HD",
        "CTr",
        "KH",
        "PA",
        "ĐA",
        "DA",
        "BC",
        "BB",
        "TTr",
        "HĐ",
        "CĐ",
        "BGN",
        "BTT",
        "GUQ",
        "GM",
        "GGT",
        "GNP",
        "PG",
        "PC",
        "PB",
        "NĐ",
        "TT",
        "TTLT",
        "KL",
        "CV",
        "SY",
        "TrS",
        "SL",
    ]
)
#: Issuer and drafting-unit codes seen in the corpus (FACTS.md §8.4), as written.
ISSUER_CODES = frozenset(
    [
        "TW",
        "HNTW",
        "BCĐTW",
        "VPTW",
        "CP",
        "TTg",
        "BGDĐT",
        "BVHTTDL",
        "BKHCN",
        "BTTTT",
        "VPCP",
        "CNTT",
        "GDPT",
        "QLCL",
        "GDMN",
        "UBND",
        "HĐND",
    ]
)
#: Issuers of Party documents; a Party-style number with any other issuer is a State document.
PARTY_ISSUERS = frozenset({"TW", "HNTW", "BCĐTW", "VPTW", "TU", "ĐU", "BCĐ"})
#: Provincial issuers: the same number recurs in every province, so a number with one of these
#: names a document only together with its province (docs/decisions/0021).
LOCAL_ISSUERS = frozenset({"TU", "BCĐ", "UBND", "HĐND"})
#: A provincial Party issuer that is also a common mistake for the central ``TW`` (FACTS.md §8.5):
#: when no provincial document has the number, it is read as the central one.
_READ_AS_CENTRAL = frozenset({"TU", "BCĐ"})
#: Codes only legal normative documents use: such a number always carries a year.
NORMATIVE_ONLY_CODES = frozenset({"NĐ", "TT", "TTLT"})
_KNOWN_CODES = TYPE_CODES | ISSUER_CODES | PARTY_ISSUERS
_BY_FOLDED: dict[str, list[str]] = {}
for _code in sorted(_KNOWN_CODES):
    _BY_FOLDED.setdefault(ascii_fold(_code).upper(), []).append(_code)
_ASSEMBLY = re.compile(r"^(UBTV)?QH[0-9]+$", re.IGNORECASE)
_PREFIX = re.compile(r"^(?:số|so|no\.?|number)\s*:?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Normalised:
    """A number read leniently: its canonical form and the corrections made to reach it."""

    number: OfficialNumber
    corrections: tuple[str, ...]

    @property
    def key(self) -> str:
        return number_key(self.number)

    @property
    def is_local(self) -> bool:
        """Whether a provincial body issues the number (``10-CTr/TU``, ``43/KH-UBND``)."""
        return is_local(self.number)

    @property
    def central_reading(self) -> "Normalised | None":
        """``57-NQ/TU`` read as the central ``57-NQ/TW``, a common mistake (FACTS.md §8.5); to
        be used only when no provincial document has the number as written."""
        number = self.number
        if number.form is NumberForm.PARTY and number.parts[1] in _READ_AS_CENTRAL:
            central = parse(f"{number.sequence}-{number.parts[0]}/TW")
            return Normalised(central, (*self.corrections, f"issuer {number.parts[1]} read as TW"))
        return None


def is_local(number: OfficialNumber) -> bool:
    """Whether the number's issuing body is a provincial one (its last part: TU, UBND, …)."""
    return number.form is not NumberForm.NORMATIVE and number.parts[-1] in LOCAL_ISSUERS


def number_key(number: OfficialNumber) -> str:
    """The identifier numbers are matched on: diacritic-free and upper-case (``2330/QD-TTG``)."""
    return ascii_fold(number.text).upper()


def _restore(code: str) -> str:
    """``BGDDT`` → ``BGDĐT``, ``qd`` → ``QĐ``; a code already written right, or unknown, stays."""
    if code in _KNOWN_CODES:
        return code
    if _ASSEMBLY.match(code):
        return code.upper()
    candidates = _BY_FOLDED.get(ascii_fold(code).upper(), [])
    return candidates[0] if len(candidates) == 1 else code.upper()


def _is_party_issuer(code: str) -> bool:
    return code in PARTY_ISSUERS


def normalise(text: str) -> Normalised:
    """Read a number as people write it and return its official form.

    Accepts the diacritic-free forms of English texts (``4324/BGDDT-CNTT``, ``168/2024/ND-CP``),
    a leading ``Số``/``No.``, stray spaces, and the common mistakes of FACTS.md §8.5: Party
    punctuation on a State number (``03-NQ/CP``), State punctuation on a Party number
    (``57/NQ-TW``) and a normative number without its year (``30/TT-BGDĐT``, returned with
    ``year=None``). Each fix is listed in ``corrections``. A provincial ``TU`` or ``BCĐ`` is kept
    (``10-CTr/TU`` is a provincial Party number); ``central_reading`` gives the ``TW`` reading
    for when no provincial document has the number. Raises ``ValueError`` when the text is not a
    number in any of these forms.
    """
    compact = re.sub(r"\s*([/-])\s*", r"\1", _PREFIX.sub("", text.strip()))
    tokens = re.split(r"([/-])", compact)
    restored = "".join(
        token if token in "/-" or token.isdigit() else _restore(token) for token in tokens
    )
    corrections: list[str] = []
    try:
        number = parse(restored)
    except ValueError:
        number = _repair(restored, corrections, text)
    if number.form is NumberForm.PARTY and not _is_party_issuer(number.parts[1]):
        corrections.append("Party punctuation on a State number")
        number = parse(f"{number.sequence}/{number.parts[0]}-{number.parts[1]}")
    elif number.form is NumberForm.ADMINISTRATIVE and len(number.parts) == 2:
        code, issuer = number.parts
        if _is_party_issuer(issuer) and code in TYPE_CODES:
            corrections.append("State punctuation on a Party number")
            number = parse(f"{number.sequence}-{code}/{issuer}")
    if number.form is NumberForm.ADMINISTRATIVE and number.parts[0] in NORMATIVE_ONLY_CODES:
        corrections.append("year omitted from a normative number")
        number = OfficialNumber(
            number.text, NumberForm.NORMATIVE, number.sequence, None, number.parts
        )
    return Normalised(number, tuple(corrections))


def _repair(restored: str, corrections: list[str], original: str) -> OfficialNumber:
    """Numbers ``parse`` refuses but people write: a bare ``BCĐ`` Party issuer."""
    match = re.match(r"^([0-9]+)-([A-ZĐ][A-Za-zĐ]*)/BCĐ$", restored)
    if match:
        return OfficialNumber(restored, NumberForm.PARTY, match[1], None, (match[2], "BCĐ"))
    raise ValueError(
        f"{original!r} is not an official number in Party form (57-NQ/TW), state normative form "
        "(168/2024/NĐ-CP, 193/2025/QH15) or state administrative form (03/NQ-CP, 4324/BGDĐT-CNTT)"
    )
