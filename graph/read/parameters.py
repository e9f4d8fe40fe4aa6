"""Parameters of the research queries: declared in a query's header, bound by a ``VALUES`` line.

A catalogue query declares each parameter in its header comments::

    # parameter ?year: year, default 2030
    #   The deadline year | Năm đến hạn
    # parameter ?pillar: concept of <https://w3id.org/vnpolicy/vocab/pillar>, default <…/data>
    #   The pillar | Trụ cột

and binds it once in its body by ``VALUES ?year { <the default, as a SPARQL term> }``, so the
file stays a plain query that runs as written. Binding another value replaces only the term of
that line, and the term is always written here from a checked value — an integer, a year, an
escaped string, or an IRI of the parameter's vocabulary (the concepts of a SKOS scheme, or the
instances of a class) — never pasted from the request. The kinds:

- ``year``: a year of four digits, bound as an ``xsd:gYear``;
- ``date``: a day, ``YYYY-MM-DD``, bound as an ``xsd:date``;
- ``integer``: a whole number;
- ``string``: a string literal (at most ``MAX_STRING`` characters);
- ``concept of <scheme>`` and ``instance of <class>``: one of the vocabulary's IRIs, given as
  the IRI or its key (a concept's last path segment, an instance's path under the data's base).
"""

import re
from dataclasses import dataclass
from datetime import date

from pyoxigraph import QuerySolutions

from vnpolicy.graph.errors import InputError
from vnpolicy.graph.store import ReadableStore

MAX_STRING = 200
_GYEAR = "http://www.w3.org/2001/XMLSchema#gYear"
_DATE = "http://www.w3.org/2001/XMLSchema#date"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
KINDS = ("year", "date", "integer", "string", "concept", "instance")
_DECLARATION = re.compile(
    r"^#\s*parameter\s+\?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*"
    r"(?P<kind>year|date|integer|string"
    r"|concept of <(?P<scheme>[^<>\s]+)>|instance of <(?P<cls>[^<>\s]+)>)"
    r"\s*,\s*default\s+(?P<default>.+?)\s*$"
)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}  # fmt: skip


class ParameterError(InputError):
    """A value a parameter cannot take, or a parameter the query does not declare; ``name``
    says which."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"parameter {name!r}: {message}")
        self.name = name


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  #: one of ``KINDS``
    default: str  #: as a client gives it: "2030", an IRI, a string
    label_en: str
    label_vi: str
    vocabulary: str | None = None  #: the scheme or class whose IRIs are allowed

    @property
    def is_iri(self) -> bool:
        return self.kind in ("concept", "instance")

    def label(self, lang: str) -> str:
        return self.label_vi if lang == "vi" else self.label_en

    def values_line(self, term: str) -> str:
        """The ``VALUES`` line that binds the parameter to ``term`` in the query's text."""
        return f"VALUES ?{self.name} {{ {term} }}"


@dataclass(frozen=True)
class AllowedValue:
    """One IRI a vocabulary parameter may take, with its key and labels."""

    iri: str
    key: str
    label_en: str
    label_vi: str

    def label(self, lang: str) -> str:
        return self.label_vi if lang == "vi" else self.label_en


def parse_declaration(line: str, labels: list[str], where: str) -> Parameter:
    """A parameter from its header line and the label lines after it (``English | Việt``)."""
    match = _DECLARATION.match(line)
    if match is None:
        raise InputError(
            f"{where}: a parameter is declared as '# parameter ?name: KIND, default VALUE' "
            f"(KIND: year, date, integer, string, concept of <scheme>, instance of <class>); "
            f"got {line!r}"
        )
    text = " ".join(labels).strip()
    english, _, vietnamese = text.partition("|")
    if not english.strip() or not vietnamese.strip():
        raise InputError(f"{where}: parameter ?{match['name']} needs a label 'English | Việt'")
    kind = match["kind"].split(" ", 1)[0]
    default = match["default"].strip()
    if kind in ("concept", "instance"):
        default = default.removeprefix("<").removesuffix(">")
    elif kind == "string":
        default = default.removeprefix('"').removesuffix('"')
    return Parameter(
        match["name"], kind, default, english.strip(), vietnamese.strip(),
        match["scheme"] or match["cls"],
    )  # fmt: skip


def literal_term(parameter: Parameter, value: str) -> str:
    """The SPARQL term of a year, date, integer or string value (checked, escaped)."""
    if parameter.kind == "year":
        if not re.fullmatch(r"[0-9]{4}", value):
            raise ParameterError(parameter.name, f"{value[:40]!r} is not a year of four digits")
        return f'"{value}"^^<{_GYEAR}>'
    if parameter.kind == "date":
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                raise ValueError(value)
            date.fromisoformat(value)
        except ValueError:
            raise ParameterError(
                parameter.name, f"{value[:40]!r} is not a day written YYYY-MM-DD"
            ) from None
        return f'"{value}"^^<{_DATE}>'
    if parameter.kind == "integer":
        if not re.fullmatch(r"-?[0-9]{1,18}", value):
            raise ParameterError(parameter.name, f"{value[:40]!r} is not a whole number")
        return str(int(value))
    if parameter.kind == "string":
        if len(value) > MAX_STRING:
            raise ParameterError(parameter.name, f"longer than {MAX_STRING} characters")
        return '"' + "".join(_ESCAPES.get(char, char) for char in value) + '"'
    raise AssertionError(f"{parameter.kind} is an IRI parameter")


def iri_term(parameter: Parameter, value: str, allowed: list[AllowedValue]) -> str:
    """The IRI, written ``<…>``, of the allowed value ``value`` names (by IRI or key)."""
    for candidate in allowed:
        if value in (candidate.iri, candidate.key):
            return f"<{candidate.iri}>"
    keys = ", ".join(candidate.key for candidate in allowed[:12])
    more = ", …" if len(allowed) > 12 else ""
    raise ParameterError(
        parameter.name,
        f"{value[:80]!r} is not one of the {len(allowed)} allowed values ({keys}{more}; "
        f"each may be given by its IRI or its key)",
    )


def default_term(parameter: Parameter) -> str:
    """The SPARQL term of the parameter's default, as the query's ``VALUES`` line holds it."""
    if parameter.is_iri:
        return f"<{parameter.default}>"
    return literal_term(parameter, parameter.default)


def check_binding(parameter: Parameter, text: str, where: str) -> None:
    """The query binds ``parameter`` to its default by exactly one ``VALUES`` line."""
    term = default_term(parameter)
    if text.count(parameter.values_line(term)) != 1:
        raise InputError(
            f"{where}: parameter ?{parameter.name} is bound once by "
            f"'{parameter.values_line(term)}' in the query"
        )


def bind(
    text: str,
    parameters: tuple[Parameter, ...],
    values: dict[str, str],
    allowed: dict[str, list[AllowedValue]],
) -> str:
    """The query's text with each parameter in ``values`` bound to its value instead of its
    default (``allowed``: the allowed values of each IRI parameter, by name)."""
    declared = {parameter.name: parameter for parameter in parameters}
    for name in values:
        if name not in declared:
            raise ParameterError(name, "the query takes no such parameter")
    for parameter in parameters:
        if parameter.name not in values:
            continue
        value = values[parameter.name]
        default = default_term(parameter)
        if parameter.is_iri:
            term = iri_term(parameter, value, allowed.get(parameter.name, []))
        else:
            term = literal_term(parameter, value)
        text = text.replace(parameter.values_line(default), parameter.values_line(term), 1)
    return text


def allowed_values(store: ReadableStore, parameter: Parameter, base: str) -> list[AllowedValue]:
    """The IRIs a vocabulary parameter may take, with their keys and labels, in key order."""
    assert parameter.vocabulary is not None
    if parameter.kind == "concept":
        member, label = f"<{_SKOS}inScheme> <{parameter.vocabulary}>", f"<{_SKOS}prefLabel>"
    else:
        member = f"a <{parameter.vocabulary}>"
        label = f"<{_RDFS}label>"
    found = store.query(
        f"SELECT ?v ?en ?vi WHERE {{ ?v {member} FILTER(isIRI(?v)) "
        f'OPTIONAL {{ ?v {label} ?en FILTER(LANGMATCHES(LANG(?en), "en")) }} '
        f'OPTIONAL {{ ?v {label} ?vi FILTER(LANGMATCHES(LANG(?vi), "vi")) }} }}',
        use_default_graph_as_union=True,
    )
    assert isinstance(found, QuerySolutions)
    values: dict[str, AllowedValue] = {}
    for row in found:
        iri = row["v"].value
        if iri in values:
            continue
        if parameter.kind == "concept":
            key = iri.rstrip("/").rsplit("/", 1)[-1]
        else:
            key = iri.removeprefix(base) if iri.startswith(base) else iri
        english = row["en"].value if row["en"] is not None else key
        vietnamese = row["vi"].value if row["vi"] is not None else english
        values[iri] = AllowedValue(iri, key, english, vietnamese)
    return sorted(values.values(), key=lambda value: value.key)
