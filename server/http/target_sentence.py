"""A quantitative target as a sentence a reader can take in at a glance, composed from what the
graph holds (``vnp:deadlineYear``, ``vnp:indicator``, ``vnp:comparator``, ``vnp:value`` or
``vnp:minValue``/``vnp:maxValue``, ``vnp:unit``, ``vnp:referenceQuantity``, ``vnp:scope``):
"By 2030: Scale of the digital economy ≥ 30 % of GDP".

The sentence is a list of pieces, each with the language it is written in: the interface's words
in the page's language, the indicator and reference quantity in the language the graph has them
in (an English-only indicator stays English on the Vietnamese page, marked ``lang="en"``).
Nothing is added that the graph does not say.
"""

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from vnpolicy.graph.read.document_parts import Part

_VNP = "https://w3id.org/vnpolicy/ontology#"
_VOCAB = "https://w3id.org/vnpolicy/vocab/"
TARGET = _VNP + "Target"

#: comparator → symbol written before the value.
_SYMBOLS = {
    "at-least": "≥",
    "more-than": ">",
    "at-most": "≤",
    "equal-to": "=",
}
#: unit → (English, Vietnamese) written after the value.
_UNITS = {
    "percent": ("%", "%"),
    "percent-per-year": ("% a year", "% mỗi năm"),
    "per-10000-people": ("per 10,000 people", "trên 10.000 dân"),
    "count": ("", ""),
    "index-value": ("", ""),
    "rank": ("", ""),
}


@dataclass(frozen=True)
class Piece:
    text: str
    language: str | None = None  # set when it may differ from the page's language


@dataclass(frozen=True)
class TargetSentence:
    pieces: list[Piece]
    certainty: str | None  # the certainty concept's URI

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)


def _local(node: NamedNode | Literal | None, scheme: str) -> str | None:
    if isinstance(node, NamedNode) and node.value.startswith(_VOCAB + scheme + "/"):
        return node.value.rsplit("/", 1)[1]
    return None


def _number(value: str) -> str:
    """``30.0`` → ``30``; ``1.5`` stays; thousands get a thin separator-free comma."""
    try:
        number = float(value)
    except ValueError:
        return value
    if number.is_integer():
        return f"{int(number):,}"
    return value


def _in(language: str, texts: dict[str, str]) -> Piece | None:
    """A text in the page's language, else English, else any, with its language."""
    for tag in (language, "en", ""):
        if tag in texts:
            return Piece(texts[tag], tag or None)
    if texts:
        tag = sorted(texts)[0]
        return Piece(texts[tag], tag)
    return None


def target_sentence(
    part: Part, language: str, deadline: str | None, scope_name: str | None
) -> TargetSentence | None:
    """The sentence of a ``vnp:Target`` part; ``deadline`` is its own deadline year or the one
    of the goal it sits in, ``scope_name`` the scope's label in the page's language."""
    if TARGET not in part.types:
        return None
    vi = language == "vi"
    pieces: list[Piece] = []
    if deadline:
        pieces.append(Piece(f"Đến năm {deadline}: " if vi else f"By {deadline}: "))
    indicator = _in(language, part.literals(_VNP + "indicator"))
    if indicator is not None:
        pieces.append(indicator)
    comparator = _local(part.first(_VNP + "comparator"), "comparator")
    unit = _local(part.first(_VNP + "unit"), "unit")
    unit_words = _UNITS.get(unit or "", ("", ""))[1 if vi else 0]
    value = part.first(_VNP + "value")
    low, high = part.first(_VNP + "minValue"), part.first(_VNP + "maxValue")
    reference = _in(language, part.literals(_VNP + "referenceQuantity"))
    amount = ""
    if comparator == "rank-within" and value is not None:
        where = f" {scope_name}" if scope_name else ""
        amount = (
            f"thuộc nhóm {_number(value.value)} dẫn đầu{where}"
            if vi
            else f"among the top {_number(value.value)}" + (f" in{where}" if where else "")
        )
    elif comparator == "within-range" and low is not None and high is not None:
        low_text, high_text = _number(low.value), _number(high.value)
        amount = f"từ {low_text} đến {high_text}" if vi else f"between {low_text} and {high_text}"
    elif value is not None:
        symbol = _SYMBOLS.get(comparator or "", "")
        amount = " ".join(filter(None, (symbol, _number(value.value))))
    if amount:
        separator = ": " if comparator == "rank-within" and indicator else " "
        unit_text = f" {unit_words}" if unit_words and comparator != "rank-within" else ""
        pieces.append(Piece((separator if indicator else "") + amount + unit_text))
    if reference is not None:
        joiner = (" " if vi else " of ") if unit in ("percent", "percent-per-year") else " "
        pieces.append(Piece(joiner))
        pieces.append(reference)
    if scope_name and comparator != "rank-within":
        pieces.append(Piece(" — " + scope_name))
    certainty = part.first(_VNP + "certainty")
    return TargetSentence(pieces, certainty.value if isinstance(certainty, NamedNode) else None)
