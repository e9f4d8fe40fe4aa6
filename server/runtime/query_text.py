"""Reading SPARQL text without parsing it: keywords outside strings, IRIs and comments.

Oxigraph parses queries and updates but exposes no syntax tree, and a few protocol rules work on
the text: refusing ``SERVICE`` and ``LOAD`` before anything runs, and giving an update the
dataset of the protocol's ``using-graph-uri``/``using-named-graph-uri`` parameters.
"""

import re
from dataclasses import dataclass

from vnpolicy.server.errors import BadRequest, iri

#: Strings (all four quotings), IRIs and comments: where a keyword is not a keyword.
_OPAQUE = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"|<[^<>\s\"{}|^`]*>|#[^\n]*",
    re.S,
)
_TOKEN = re.compile(r"[{}]|[A-Za-z_][A-Za-z_0-9]*|[?$][A-Za-z_0-9]+|:[A-Za-z_0-9]*")


@dataclass(frozen=True)
class Keyword:
    word: str  # upper case
    start: int
    depth: int  # how many braces enclose it


def _masked(text: str) -> str:
    """The text with strings, IRIs and comments blanked out, positions kept."""
    return _OPAQUE.sub(lambda match: " " * len(match.group()), text)


def keywords(text: str) -> list[Keyword]:
    """Every bare word of the text (not a variable or prefixed name), with its brace depth."""
    found = []
    depth = 0
    for match in _TOKEN.finditer(_masked(text)):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(depth - 1, 0)
        elif token[0].isalpha() or token[0] == "_":
            end = match.end()
            if end < len(text) and text[end] == ":":
                continue  # a prefixed name such as ``foaf:name`` or ``service:x``
            found.append(Keyword(token.upper(), match.start(), depth))
    return found


#: Deepest bracket nesting accepted. Oxigraph's parser recurses once per level and overflows its
#: stack (killing the process) somewhere past 5,000; hand-written queries stay under 30.
MAX_NESTING = 256
_BRACKETS = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}
_BRACKET = re.compile(r"[][{}()]")


def nesting(text: str) -> int:
    """The deepest nesting of ``{}``, ``()`` and ``[]`` outside strings, IRIs and comments."""
    deepest = depth = 0
    for bracket in _BRACKET.findall(_masked(text)):
        depth = max(depth + _BRACKETS[bracket], 0)
        deepest = max(deepest, depth)
    return deepest


#: Most of each construct one query or update may hold. Oxigraph's parser and planner recurse
#: on them (a few thousand UNION branches or ``+`` terms overflow its stack and kill the
#: process), and plan some in more than linear time (150 OPTIONALs or group patterns: seconds;
#: 300: a minute, on an empty store). Hand-written queries use tens.
LIMITS = {
    "UNIONs": 1000,
    "OPTIONALs and MINUSes": 100,
    "group patterns ({…})": 128,
    "operators (|| && = != < > + - * / | ^ !)": 2000,
}
_OPERATORS = re.compile(r"\|\||&&|!=|<=|>=|[=<>+*/|^!-]")


def counts(text: str) -> dict[str, int]:
    """How many of each construct of ``LIMITS`` the text holds (outside strings, IRIs and
    comments; a hyphen inside a prefixed name or a variable is not an operator)."""
    masked = _masked(text)
    words = [keyword.word for keyword in keywords(text)]
    bare = _NAMES.sub(" ", masked)
    return {
        "UNIONs": words.count("UNION"),
        "OPTIONALs and MINUSes": words.count("OPTIONAL") + words.count("MINUS"),
        "group patterns ({…})": masked.count("{"),
        "operators (|| && = != < > + - * / | ^ !)": len(_OPERATORS.findall(bare)),
    }


_NAMES = re.compile(r"[?$]?[A-Za-z_][\w.-]*(?::[\w.-]*)?|:[\w.-]+|\d[\d.eE+-]*")


def check_operation(text: str, what: str, allow_fetches: bool) -> None:
    """Refuse, before anything parses it, a query or update that would fetch from the web
    (``SERVICE``, ``LOAD``) when fetches are off, that nests deep enough to crash a parser, or
    that holds more of a construct than ``LIMITS`` allows."""
    if nesting(text) > MAX_NESTING:
        raise BadRequest(
            f"The {what} nests brackets more than {MAX_NESTING} levels deep; simplify it"
        )
    for construct, found in counts(text).items():
        if found > LIMITS[construct]:
            raise BadRequest(
                f"The {what} has {found} {construct}; at most {LIMITS[construct]:,} are "
                "accepted (the parser recurses on them); simplify it"
            )
    if allow_fetches:
        return
    fetches = {"SERVICE": "a request to another endpoint", "LOAD": "fetching data from the web"}
    for word, action in fetches.items():
        if uses(text, word):
            raise BadRequest(f"{word} ({action}) is disabled on this server")


_INTEGER = re.compile(r"\s*(\d+)")


def top_level_limit(text: str) -> int | None:
    """The query's own ``LIMIT`` (of its outermost query, not of a subquery), if it has one."""
    masked = _masked(text)
    for keyword in keywords(text):
        if keyword.word == "LIMIT" and keyword.depth == 0:
            found = _INTEGER.match(masked, keyword.start + len("LIMIT"))
            return int(found.group(1)) if found else None
    return None


def uses(text: str, word: str) -> bool:
    """Whether ``word`` (e.g. ``SERVICE``, ``LOAD``) is used as a keyword in the text."""
    return any(keyword.word == word for keyword in keywords(text))


def with_protocol_dataset(update: str, using: list[str], using_named: list[str]) -> str:
    """The update with ``USING``/``USING NAMED`` clauses for the protocol's dataset parameters.

    SPARQL 1.1 Protocol §2.2.3: the parameters set the dataset of every operation with a
    ``WHERE`` clause, and an update that names its own dataset (``USING``, ``USING NAMED``,
    ``WITH``) together with the parameters is an error.
    """
    if not using and not using_named:
        return update
    for graph in using:
        iri(graph, "using-graph-uri")
    for graph in using_named:
        iri(graph, "using-named-graph-uri")
    found = keywords(update)
    own = [k.word for k in found if k.depth == 0 and k.word in ("USING", "WITH")]
    if own:
        raise BadRequest(
            f"The update names its dataset with {own[0]}; send either that or the "
            "using-graph-uri/using-named-graph-uri parameters, not both",
        )
    clauses = " ".join(
        [f"USING <{iri}>" for iri in using] + [f"USING NAMED <{iri}>" for iri in using_named]
    )
    inserts = [
        keyword.start
        for previous, keyword in zip([None, *found], found, strict=False)
        if keyword.word == "WHERE"
        and keyword.depth == 0
        and not (previous is not None and previous.word == "DELETE")  # DELETE WHERE: no USING
    ]
    for start in reversed(inserts):
        update = f"{update[:start]}{clauses} {update[start:]}"
    return update
